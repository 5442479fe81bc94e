import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { INetwork } from '../../core/contracts';
import { invalid, LeanStackValidationError } from '../../private/validate';

/** RDS for PostgreSQL's smallest gp3 volume, and its largest. */
export const MIN_GP3_GIB = 20;
export const MAX_GP3_GIB = 65536;
/** Aurora Serverless v2's capacity bounds, in ACUs. */
export const MAX_ACU = 256;

/**
 * The instance families RDS for PostgreSQL offers (AWS's "Supported DB engines for DB instance
 * classes" table). A new family fails here until it is added: a clear error beats a failed deploy.
 */
export const RDS_POSTGRES_FAMILIES = [
  't3', 't4g',
  'm5', 'm5d', 'm6g', 'm6gd', 'm6i', 'm6id', 'm6idn', 'm6in', 'm7g', 'm7gd', 'm7i', 'm8g', 'm8gd',
  'r5', 'r5b', 'r5d', 'r6g', 'r6gd', 'r6i', 'r6id', 'r6idn', 'r6in', 'r7g', 'r7gd', 'r7i', 'r8g', 'r8gd',
  'x2g', 'x2idn', 'x2iedn', 'c6gd',
];

/** Checks an RDS instance class, `db.<family>.<size>`, and returns the EC2-style type without `db.`. */
export function checkInstanceClass(scope: IConstruct, prop: string, value: string): ec2.InstanceType {
  if (Token.isUnresolved(value)) return new ec2.InstanceType(value.replace(/^db\./, ''));
  const form = 'an RDS for PostgreSQL instance class db.<family>.<size> (e.g. \'db.t4g.micro\', \'db.m7g.large\')';
  const match = /^db\.([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/.exec(value);
  if (!match) invalid(scope, prop, value, form);
  const [, family, size] = match;
  if (!RDS_POSTGRES_FAMILIES.includes(family)) {
    invalid(scope, prop, value, `${form} of a family RDS for PostgreSQL offers: ${RDS_POSTGRES_FAMILIES.join(', ')}`);
  }
  // Burstable classes run from micro to 2xlarge; the others from large up.
  const sizes = family.startsWith('t') ? /^(micro|small|medium|large|2?xlarge)$/ : /^(large|([2-9]|[1-4]\d)?xlarge|metal(-\d+xl)?)$/;
  if (!sizes.test(size)) {
    invalid(scope, prop, value, `${form} in a size the family offers (${family.startsWith('t') ? 'micro to 2xlarge' : 'large, xlarge to 48xlarge, or metal'})`);
  }
  return new ec2.InstanceType(value.replace(/^db\./, ''));
}

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
