import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { INetwork, PostgresEngineKind } from '../../core/contracts';
import { checkLogRetentionDays, checkPattern, checkRange, invalid, LeanStackValidationError } from '../../private/validate';
import type { PostgresDatabaseProps } from '../postgres-database-props';
import { PostgresVersion } from '../postgres-version';

/** RDS for PostgreSQL's smallest gp3 volume, and its largest. */
export const MIN_GP3_GIB = 20;
export const MAX_GP3_GIB = 65536;
/** Aurora Serverless v2's capacity bounds, in ACUs. */
export const MAX_ACU = 256;

/** Checks an Aurora Serverless v2 capacity: 0 to 256 ACUs in steps of 0.5. */
export function checkCapacity(scope: IConstruct, prop: string, value: number, min: number): void {
  if (Token.isUnresolved(value)) return;
  if (Number.isNaN(value) || value < min || value > MAX_ACU || !Number.isInteger(value * 2)) {
    invalid(scope, prop, value, `a number of ACUs between ${min} and ${MAX_ACU} in steps of 0.5`);
  }
}

/** Checks the backup retention: 0 to 35 days, at least 7 in production. Returns whole days. */
export function checkBackupRetention(scope: IConstruct, retention: Duration, production: boolean): number {
  const days = retention.toDays({ integral: false });
  const min = production ? 7 : 0;
  if (Token.isUnresolved(days)) return days;
  if (!Number.isInteger(days) || days < min || days > 35) {
    throw new LeanStackValidationError(scope, production
      ? `\`backupRetention\` must be a whole number of days between 7 and 35 in a production profile, got: ${days} days`
      : `\`backupRetention\` must be a whole number of days between 0 and 35, got: ${days} days`);
  }
  return days;
}

/**
 * The subnets that hold the database: isolated ones, else private ones; never public. Refuses a
 * network whose data subnets span fewer than 2 AZs (a DB subnet group needs 2).
 */
export function dataSubnetsOf(scope: IConstruct, network: INetwork): ec2.SubnetSelection {
  const vpc = network.vpc;
  let selection: ec2.SubnetSelection;
  if (vpc.isolatedSubnets.length > 0) {
    selection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  } else if (vpc.privateSubnets.length > 0) {
    selection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  } else {
    throw new LeanStackValidationError(scope, '`network` must have isolated (or private) subnets for the database, got: a VPC with public subnets only');
  }
  const azs = new Set(vpc.selectSubnets(selection).subnets.map((s) => s.availabilityZone));
  if (azs.size < 2) {
    throw new LeanStackValidationError(scope, `\`network\` must have data subnets in at least 2 Availability Zones (a DB subnet group needs 2), got: ${azs.size}`);
  }
  return selection;
}

/** The subnets where a workload that needs AWS APIs can run: private with egress, else data subnets. */
export function apiReachableSubnetsOf(network: INetwork, dataSubnets: ec2.SubnetSelection): ec2.SubnetSelection {
  return network.egress.hasNat && network.vpc.privateSubnets.length > 0
    ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }
    : dataSubnets;
}

/**
 * Refuses a feature that calls AWS APIs from inside the VPC when the network has neither NAT nor
 * the interface endpoints it needs.
 */
export function checkReachesAws(scope: IConstruct, prop: string, network: INetwork, services: string[], fix: string): void {
  if (network.egress.hasNat) return;
  const missing = services.filter((s) => !network.interfaceEndpointServices.includes(s));
  if (missing.length === 0) return;
  throw new LeanStackValidationError(scope,
    `\`${prop}\` needs a way to reach ${services.join(', ')} from inside the VPC: a network egress with NAT (e.g. Egress.natInstance()) or the interface endpoints ${services.map((s) => `'${s}'`).join(', ')}; `
    + `got: egress '${network.egress.kind}' and interface endpoints [${network.interfaceEndpointServices.join(', ')}] (missing ${missing.join(', ')}). ${fix}`);
}

/** The engine-specific props of a `PostgresDatabase`. */
export type EngineProps = Pick<PostgresDatabaseProps,
'instanceType' | 'allocatedStorageGiB' | 'maxAllocatedStorageGiB' | 'minCapacity' | 'maxCapacity' | 'autoPauseAfter' | 'readReplica'>;

/** Rejects the props of the other engine, then checks the chosen engine's own. */
export function checkEngineProps(
  scope: IConstruct, props: EngineProps, engine: PostgresEngineKind, production: boolean, version: PostgresVersion,
): void {
  const isRds = engine === PostgresEngineKind.RDS;
  const rdsOnly: Array<[string, unknown]> = [
    ['instanceType', props.instanceType],
    ['allocatedStorageGiB', props.allocatedStorageGiB],
    ['maxAllocatedStorageGiB', props.maxAllocatedStorageGiB],
  ];
  const auroraOnly: Array<[string, unknown]> = [
    ['minCapacity', props.minCapacity],
    ['maxCapacity', props.maxCapacity],
    ['autoPauseAfter', props.autoPauseAfter],
  ];
  for (const [prop, value] of isRds ? auroraOnly : rdsOnly) {
    if (value !== undefined) throw new LeanStackValidationError(scope, `\`${prop}\` does not apply to engine '${engine}'; remove it or choose the other engine`);
  }
  if (isRds) {
    checkRange(scope, 'allocatedStorageGiB', props.allocatedStorageGiB, { min: MIN_GP3_GIB, max: MAX_GP3_GIB, integer: true });
    checkRange(scope, 'maxAllocatedStorageGiB', props.maxAllocatedStorageGiB, { min: props.allocatedStorageGiB ?? MIN_GP3_GIB, max: MAX_GP3_GIB, integer: true });
    return;
  }
  if (props.readReplica) {
    invalid(scope, 'readReplica', true, `false with engine '${engine}' (an Aurora cluster adds readers instead: set \`multiAz: true\`)`);
  }
  if (!version.auroraVersion) {
    invalid(scope, 'version', version.majorVersion, `a version Aurora PostgreSQL offers (this one has no \`auroraVersion\`) with engine '${engine}'`);
  }
  if (props.minCapacity !== undefined) checkCapacity(scope, 'minCapacity', props.minCapacity, 0);
  if (props.maxCapacity !== undefined) checkCapacity(scope, 'maxCapacity', props.maxCapacity, 1);
  const min = props.minCapacity ?? (production ? 0.5 : 0);
  if (props.maxCapacity !== undefined && min > props.maxCapacity) {
    throw new LeanStackValidationError(scope, `\`minCapacity\` (${min}) must not be above \`maxCapacity\` (${props.maxCapacity})`);
  }
  if (props.autoPauseAfter !== undefined) {
    if (min !== 0) invalid(scope, 'autoPauseAfter', props.autoPauseAfter.toHumanString(), 'left out unless `minCapacity` is 0 (only a database at 0 ACU pauses)');
    checkRange(scope, 'autoPauseAfter (seconds)', props.autoPauseAfter.toSeconds(), { min: 300, max: 86400, integer: true });
  }
}

/** What the database resolved before checking: its engine, version and the defaults it applies. */
export interface ResolvedDatabase {
  readonly engine: PostgresEngineKind;
  readonly version: PostgresVersion;
  readonly production: boolean;
  readonly databaseName: string;
  readonly backupRetention: Duration;
  readonly slowStatementThreshold: Duration;
}

/** Rejects a `PostgresDatabase`'s props that RDS would refuse or that contradict each other. */
export function checkDatabaseProps(scope: IConstruct, props: PostgresDatabaseProps, resolved: ResolvedDatabase): void {
  checkPattern(scope, 'databaseName', resolved.databaseName, /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, 'a letter followed by up to 62 letters, digits or underscores');
  checkBackupRetention(scope, resolved.backupRetention, resolved.production);
  checkRange(scope, 'slowStatementThreshold (milliseconds)', resolved.slowStatementThreshold.toMilliseconds({ integral: false }), { min: 0, max: 2147483647, integer: true });
  checkEngineProps(scope, props, resolved.engine, resolved.production, resolved.version);
  checkLogRetentionDays(scope, 'logRetention', props.logRetention);
  checkMonitoringInterval(scope, props.monitoringInterval);
  checkRange(scope, 'port', props.port, { min: 1150, max: 65535, integer: true });
  const backupDays = resolved.backupRetention.toDays({ integral: false });
  if (props.readReplica && !Token.isUnresolved(backupDays) && backupDays === 0) {
    // RDS creates a read replica only from a source that keeps automated backups.
    invalid(scope, 'readReplica', true, 'false when `backupRetention` is 0 days (a read replica needs a source with automated backups)');
  }
  if (props.rotateSecretAfter && !props.rotateSecretAfter.isUnresolved()) {
    const hours = props.rotateSecretAfter.toHours({ integral: false });
    if (hours < 4 || hours > 24000) {
      invalid(scope, 'rotateSecretAfter', props.rotateSecretAfter.toHumanString(), 'a duration from 4 hours to 1000 days (what Secrets Manager rotation accepts)');
    }
  }
  if (props.rotateSecretAfter) {
    checkReachesAws(scope, 'rotateSecretAfter', props.network, ['secretsmanager'], 'Rotation runs in a Lambda function inside the VPC.');
  }
  if (props.breakGlassHost) {
    checkReachesAws(scope, 'breakGlassHost', props.network, ['ssm', 'ssmmessages'], 'Session Manager\'s agent must reach Systems Manager.');
  }
}

/** Enhanced Monitoring intervals RDS accepts, in seconds (0 is off). */
const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];

function checkMonitoringInterval(scope: IConstruct, interval: Duration | undefined): void {
  if (!interval || interval.isUnresolved()) return;
  const seconds = interval.toSeconds({ integral: false });
  if (!MONITORING_INTERVALS.includes(seconds)) {
    invalid(scope, 'monitoringInterval', `${seconds} seconds`, 'one of 0 (off), 1, 5, 10, 15, 30 or 60 seconds');
  }
}
