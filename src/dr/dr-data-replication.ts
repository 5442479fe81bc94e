import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AuroraGlobalReplica } from './aurora-global-replica';
import { createReplicaLogBucket, replicateBucket } from './private/bucket-replication';
import { createDrNetwork } from './private/compute';
import { replicateTo } from './private/containers';
import { createDatabaseReplica, createReplicaKey, replicaSecretArn, siteReplicaBucketName } from './private/replication';
import { checkDatabase, checkRegions, checkReplicableBucket, checkSourceBackups } from './private/validate';
import { IPostgresDatabase } from '../core/contracts';
import { Profile } from '../core/profile';
import { Network } from '../network/network';
import { acknowledge } from '../private/nag';
import { resolveProfile } from '../private/profile';
import { registerReplica, servesSite } from '../private/site-replicas';

/** Properties of a `DrDataReplication`. */
export interface DrDataReplicationProps {
  /**
   * The primary database in another region: an RDS PostgreSQL instance, from which a read replica
   * is made, or an Aurora PostgreSQL cluster, which becomes the writer of a global database with a
   * headless secondary cluster here.
   */
  readonly database: IPostgresDatabase;
  /**
   * The DR region's network. The replica goes in its isolated subnets.
   *
   * @default - a new `Network` with no egress (nothing billed while idle), two AZs
   */
  readonly network?: Network;
  /**
   * The replica's instance type.
   *
   * @default db.t4g.micro
   */
  readonly replicaInstanceType?: ec2.InstanceType;
  /**
   * Buckets to replicate to this region (the site bucket, uploads). Each must be a versioned
   * `s3.Bucket` of this app, encrypted with SSE-S3 or SSE-KMS under a customer managed key.
   * Each replica is encrypted under a KMS key of its own in this region.
   * The replica of a `CostConsciousStaticSite`'s bucket also becomes the site's failover origin.
   *
   * @default - no bucket is replicated
   */
  readonly bucketsToReplicate?: s3.IBucket[];
  /**
   * The deployment profile (retention, deletion protection, backups).
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * The data half of a pilot light, in the DR region: an encrypted cross-region read replica of the
 * primary database, the database secret replicated here, and replicated buckets.
 *
 * Create it in a stack of the DR region (with `crossRegionReferences: true`).
 *
 * @example
 * import { DrDataReplication, IPostgresDatabase } from 'cdk-lean-stack';
 *
 * declare const database: IPostgresDatabase;
 *
 * const data = new DrDataReplication(this, 'Data', { database });
 */
export class DrDataReplication extends Construct {
  /** The KMS key encrypting the replica (and, in `PilotLightDr`, the notification topic). */
  public readonly replicaKey: kms.Key;
  /** The DR region's network. */
  public readonly network: Network;
  /** The cross-region read replica of an RDS primary (the runbook promotes it). */
  public readonly replica?: rds.CfnDBInstance;
  /** The global database and its headless secondary cluster, for an Aurora primary (the runbook adds a writer and detaches it). */
  public readonly aurora?: AuroraGlobalReplica;
  /** The replica's endpoint, which stays the database endpoint after failover. */
  public readonly endpointAddress: string;
  /** The replica's security group: no inbound rule until `allowFrom` admits a client. */
  public readonly replicaSecurityGroup: ec2.SecurityGroup;
  /** The port the replica listens on (the primary's). */
  public readonly port: number;
  /** The database name (the primary's). */
  public readonly databaseName: string;
  /** The replica of the database secret in this region, when the secret could be replicated. */
  public readonly replicaSecret?: secretsmanager.ISecret;
  /** The ARN of `replicaSecret`, when the secret could be replicated. */
  public readonly replicaSecretArn?: string;
  /** The replica buckets in this region, in the order of `bucketsToReplicate` (each with its KMS key as `encryptionKey`). */
  public readonly replicaBuckets: s3.Bucket[];
  /** The bucket receiving the replica buckets' S3 server access logs, when there are replicas and the profile logs access. */
  public readonly accessLogBucket?: s3.Bucket;

  constructor(scope: Construct, id: string, props: DrDataReplicationProps) {
    super(scope, id);
    const profile = resolveProfile(this, props.profile, { encryptsOwnLogs: true });
    const primaryRegion = Stack.of(props.database).region;
    const drRegion = Stack.of(this).region;
    checkRegions(this, primaryRegion, drRegion);
    const sourceInstance = checkDatabase(this, props.database);
    if (sourceInstance) checkSourceBackups(this, sourceInstance);
    (props.bucketsToReplicate ?? []).forEach((b, i) => checkReplicableBucket(this, i, b));
    this.port = props.database.port;
    this.databaseName = props.database.databaseName;

    if (!sourceInstance) {
      // Aurora: a global database with a headless secondary here, instead of a read replica
      this.aurora = new AuroraGlobalReplica(this, 'Aurora', { database: props.database, network: props.network, profile });
      this.replicaKey = this.aurora.replicaKey;
      this.network = this.aurora.network;
      this.replicaSecurityGroup = this.aurora.securityGroup;
      this.endpointAddress = this.aurora.secondaryCluster.attrEndpointAddress;
    } else {
      this.replicaKey = createReplicaKey(this, profile);
      this.network = props.network ?? createDrNetwork(this, profile);
      const { replica, securityGroup } = createDatabaseReplica(this, {
        sourceInstance,
        primaryRegion,
        vpc: this.network.vpc,
        key: this.replicaKey,
        instanceType: props.replicaInstanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
        port: props.database.port,
        profile,
      });
      this.replica = replica;
      this.replicaSecurityGroup = securityGroup;
      this.endpointAddress = replica.attrEndpointAddress;
    }

    const concreteSecret = concreteSecretOf(props.database);
    if (concreteSecret) {
      replicateTo(concreteSecret, drRegion);
      this.replicaSecretArn = replicaSecretArn(concreteSecret.secretArn, drRegion);
      this.replicaSecret = secretsmanager.Secret.fromSecretCompleteArn(this, 'ReplicaSecret', this.replicaSecretArn);
    } else {
      Annotations.of(this).addWarningV2('cdk-lean-stack:pilotLightDrSecretNotReplicated',
        `The database secret ${props.database.secret.node.path} is not a Secret defined in this app, so it cannot be replicated here: `
        + `replicate it to ${drRegion} yourself; the standby service gets no database credentials from it.`);
    }
    const buckets = props.bucketsToReplicate ?? [];
    if (buckets.length > 0 && profile.accessLogs) this.accessLogBucket = createReplicaLogBucket(this, profile, this.replicaKey);
    this.replicaBuckets = buckets.map((bucket, i) => {
      acknowledge(bucket, {
        ids: ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
        reason: `Replicated to ${drRegion} by PilotLightDr (the rule is written by a custom resource in the DR stack).`,
      });
      // a site's bucket: its replica becomes the site's failover origin, under a name the site's stack can compute
      const bucketName = servesSite(bucket) ? siteReplicaBucketName(bucket, drRegion) : undefined;
      const { destination } = replicateBucket(this, `Bucket${i}`, { source: bucket, primaryRegion, profile, bucketName, logBucket: this.accessLogBucket });
      if (bucketName) registerReplica(destination, { source: bucket, bucketName, region: drRegion });
      return destination;
    });
  }

  /** Admits a client (the standby service) to the replica's port. */
  public allowFrom(client: ec2.IConnectable): void {
    this.replicaSecurityGroup.addIngressRule(client.connections.securityGroups[0], ec2.Port.tcp(this.port), 'DR service to replica');
  }

  /** The replica's lag behind the primary, in seconds (maximum per minute). */
  public metricReplicaLag(): cloudwatch.IMetric {
    if (this.aurora) {
      // Aurora reports its global replication lag in milliseconds
      return new cloudwatch.MathExpression({
        expression: 'lag / 1000',
        usingMetrics: { lag: this.aurora.metricReplicationLag() },
        label: 'AuroraGlobalDBReplicationLag (seconds)',
        period: Duration.minutes(1),
      });
    }
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName: 'ReplicaLag',
      dimensionsMap: { DBInstanceIdentifier: this.replica!.ref },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
    });
  }
}

/**
 * The database's secret as a concrete Secret, which can be replicated: the secret itself, or, when
 * it is an attachment (`secret.attach(instance)`), the secret it was attached from, which is the
 * attachment's parent in the construct tree.
 */
function concreteSecretOf(database: IPostgresDatabase): secretsmanager.Secret | undefined {
  if (database.secret instanceof secretsmanager.Secret) return database.secret;
  if (database.secret instanceof secretsmanager.SecretTargetAttachment) {
    const parent = database.secret.node.scope;
    return parent instanceof secretsmanager.Secret ? parent : undefined;
  }
  return undefined;
}
