import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { IPostgresDatabase, PostgresEngineKind } from '../../core/contracts';
import { checkOneOf, checkPattern, checkRange, HOST_NAME, invalid, LeanStackValidationError } from '../../private/validate';

/** Rejects a DR region that is missing, unresolved or the primary's own region. */
export function checkRegions(scope: IConstruct, primaryRegion: string, drRegion: string): void {
  if (Token.isUnresolved(primaryRegion)) {
    throw new LeanStackValidationError(scope, 'the primary stack must have an explicit `env.region` (cross-region references need it), got: an environment-agnostic stack');
  }
  if (Token.isUnresolved(drRegion)) invalid(scope, 'drRegion', drRegion, 'an explicit region such as \'eu-central-1\'');
  checkRegionName(scope, 'drRegion', drRegion);
  if (drRegion === primaryRegion) invalid(scope, 'drRegion', drRegion, `a region other than the primary region '${primaryRegion}'`);
}

/** The source of the replica: an RDS instance (returned), or an Aurora cluster of this app (undefined: a global database). */
export function checkDatabase(scope: IConstruct, database: IPostgresDatabase): rds.DatabaseInstance | undefined {
  if (database.engineKind === PostgresEngineKind.AURORA_SERVERLESS_V2) {
    if (!database.cluster) {
      throw new LeanStackValidationError(scope, '`database.cluster` is required for an Aurora global database (an Aurora cluster of this app), got: undefined');
    }
    return undefined;
  }
  if (!database.instance) {
    throw new LeanStackValidationError(scope, '`database.instance` is required for a cross-region read replica (an RDS PostgreSQL instance), got: undefined');
  }
  return database.instance;
}

/**
 * A bucket can be replicated only when it is versioned, which can be checked only on a Bucket defined in the app, and
 * encrypted with SSE-S3 or a customer managed key the replication role can be granted.
 */
export function checkReplicableBucket(scope: IConstruct, index: number, bucket: s3.IBucket): void {
  const prop = `bucketsToReplicate[${index}]`;
  if (!(bucket instanceof s3.Bucket)) {
    throw new LeanStackValidationError(scope, `\`${prop}\` must be an s3.Bucket defined in this app (versioning cannot be checked on an imported bucket), got: ${bucket.node.path}`);
  }
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  const versioning = Stack.of(bucket).resolve(cfn.versioningConfiguration) as { status?: string } | undefined;
  if (!versioning || versioning.status !== 'Enabled') {
    invalid(scope, `${prop}.versioned`, versioning?.status ?? 'not versioned', 'Enabled (S3 replication needs versioning on the source bucket)');
  }
  // SSE-KMS needs the source key in the replication role's policy: the AWS managed key aws/s3 has no ARN here
  const encryption = Stack.of(bucket).resolve(cfn.bucketEncryption) as
    { serverSideEncryptionConfiguration?: Array<{ serverSideEncryptionByDefault?: { sseAlgorithm?: string } }> } | undefined;
  const algorithm = encryption?.serverSideEncryptionConfiguration?.[0]?.serverSideEncryptionByDefault?.sseAlgorithm;
  if (algorithm !== undefined && algorithm !== 'AES256' && !bucket.encryptionKey) {
    invalid(scope, `${prop}.encryption`, `${algorithm} under the AWS managed key`, 'SSE-S3 or SSE-KMS under a customer managed key (`encryptionKey`)');
  }
  if (!Stack.of(bucket).region || Token.isUnresolved(Stack.of(bucket).region)) {
    invalid(scope, prop, bucket.node.path, 'a bucket in a stack with an explicit region');
  }
}

export interface DetectionSettings {
  readonly interval: Duration;
  readonly failureThreshold: number;
  readonly recoveryPointObjective: Duration;
  readonly readinessInterval: Duration;
}

/** Health check settings Route 53 accepts, and an RPO the health check can honour. */
export function checkDetection(scope: IConstruct, s: DetectionSettings): void {
  checkHealthCheck(scope, s.interval, s.failureThreshold);
  const detection = s.interval.toSeconds() * s.failureThreshold;
  if (s.recoveryPointObjective.toSeconds() < detection) {
    invalid(scope, 'recoveryPointObjective', `${s.recoveryPointObjective.toSeconds()} s`,
      `at least the health check's detection time (${s.interval.toSeconds()} s x ${s.failureThreshold} = ${detection} s): writes made while the failure is still undetected cannot be promised`);
  }
  checkReadinessInterval(scope, s.readinessInterval);
}

/** The readiness schedule: an EventBridge rate in whole minutes, at most daily (a staler check proves little). */
export function checkReadinessInterval(scope: IConstruct, interval: Duration): void {
  const minutes = interval.toMinutes({ integral: false });
  if (Token.isUnresolved(minutes)) return;
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) {
    invalid(scope, 'readinessInterval', `${interval.toSeconds()} seconds`, 'a whole number of minutes from 5 minutes to 1 day (1440 minutes)');
  }
}

/** The host the health check requests: a DNS name, not a URL. */
export function checkHealthCheckDomain(scope: IConstruct, domainName: string | undefined): void {
  checkPattern(scope, 'healthCheckDomainName', domainName, HOST_NAME, "a host name without scheme, port or path, such as 'api.example.com'");
}

/** The health check settings Route 53 accepts. */
export function checkHealthCheck(scope: IConstruct, interval: Duration, failureThreshold: number): void {
  checkOneOf(scope, 'healthCheckInterval', interval.toSeconds(), [10, 30]);
  checkRange(scope, 'healthCheckFailureThreshold', failureThreshold, { min: 1, max: 10, integer: true });
}

/** A region name such as `eu-central-1` (also `us-gov-west-1`, `cn-north-1`). */
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** Rejects a DR region that is not a region name. */
export function checkRegionName(scope: IConstruct, prop: string, region: string): void {
  if (Token.isUnresolved(region)) return;
  if (!REGION.test(region)) invalid(scope, prop, region, "a region name such as 'eu-central-1'");
}

/** A read replica needs automated backups on its source. */
export function checkSourceBackups(scope: IConstruct, instance: rds.DatabaseInstance): void {
  const retention = (instance.node.defaultChild as rds.CfnDBInstance).backupRetentionPeriod;
  if (retention === 0) {
    invalid(scope, 'database.backupRetention', '0 days', 'at least 1 day (RDS creates read replicas only from a source with automated backups)');
  }
}

/** The health check requests a path. */
export function checkHealthPath(scope: IConstruct, path: string): void {
  if (!Token.isUnresolved(path) && !path.startsWith('/')) invalid(scope, 'healthCheckPath', path, "a path starting with '/'");
}

/** A non-empty image tag. */
export function checkImageTag(scope: IConstruct, tag: string | undefined): void {
  if (tag !== undefined && !Token.isUnresolved(tag) && tag.trim() === '') invalid(scope, 'imageTag', tag, 'a non-empty tag such as \'v42\'');
}

const normal = (name: string) => name.toLowerCase().replace(/\.$/, '');

/**
 * Failover records live in their zone and never point at themselves (a CNAME from a name to the
 * same name never resolves, and its health check would check the record, not the front door).
 */
export function checkRecords(
  scope: IConstruct, prefix: string,
  records: { recordName: string; zoneName: string; primaryDomain?: string; secondaryDomain?: string },
): void {
  const { recordName, zoneName } = records;
  if (Token.isUnresolved(recordName)) return;
  const record = normal(recordName);
  if (!Token.isUnresolved(zoneName) && record !== normal(zoneName) && !record.endsWith(`.${normal(zoneName)}`)) {
    invalid(scope, `${prefix}.recordName`, recordName, `a name in the hosted zone '${normal(zoneName)}'`);
  }
  for (const [which, domain] of [['PRIMARY', records.primaryDomain], ['SECONDARY', records.secondaryDomain]] as const) {
    if (domain !== undefined && !Token.isUnresolved(domain) && normal(domain) === record) {
      invalid(scope, `${prefix}.recordName`, recordName,
        `another name than the ${which} target (a record pointing at itself never resolves; point it at the front door's own domain)`);
    }
  }
}
