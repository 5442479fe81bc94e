import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { createDrNetwork } from './private/compute';
import { createReplicaKey } from './private/replication';
import { checkRegions } from './private/validate';
import { IPostgresDatabase, PostgresEngineKind } from '../core/contracts';
import { Profile } from '../core/profile';
import { Network } from '../network/network';
import { exportLogGroups, identifierFor } from '../private/database-engines';
import { acknowledge } from '../private/nag';
import { resolveProfile } from '../private/profile';
import { invalid, LeanStackValidationError } from '../private/validate';

/** Properties of an `AuroraGlobalReplica`. */
export interface AuroraGlobalReplicaProps {
  /** The primary database: an Aurora PostgreSQL cluster in another region. */
  readonly database: IPostgresDatabase;
  /**
   * The DR region's network. The secondary cluster goes in its isolated subnets.
   *
   * @default - a new `Network` with no egress (nothing billed while idle), two AZs
   */
  readonly network?: Network;
  /**
   * The deployment profile (deletion protection, backups, log retention).
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * The Aurora pilot light, in the DR region: the primary Aurora PostgreSQL cluster becomes the
 * writer of an Aurora global database (`AWS::RDS::GlobalCluster`, created in the primary's stack)
 * whose secondary cluster lives here **headless**, with no DB instance. Aurora replicates the
 * storage with a typical lag under a second; nothing bills idle but the secondary's storage and the
 * replicated write I/O (both usage). To take over, add a writer instance to the secondary and
 * detach it from the global database (`RemoveFromGlobalCluster`), which makes it a standalone
 * cluster that takes writes: README's "Aurora pilot light" lists the calls.
 *
 * Create it in a stack of the DR region (with `crossRegionReferences: true`).
 *
 * @example
 * import { AuroraGlobalReplica, IPostgresDatabase } from 'cdk-lean-stack';
 *
 * declare const auroraDatabase: IPostgresDatabase;
 *
 * const replica = new AuroraGlobalReplica(this, 'AuroraDr', { database: auroraDatabase });
 */
export class AuroraGlobalReplica extends Construct {
  /** The global database, in the primary's stack, with the primary cluster as its writer. */
  public readonly globalCluster: rds.CfnGlobalCluster;
  /** The headless secondary cluster in this region (no DB instance until failover). */
  public readonly secondaryCluster: rds.CfnDBCluster;
  /** The KMS key encrypting the secondary cluster. */
  public readonly replicaKey: kms.Key;
  /** The DR region's network. */
  public readonly network: Network;
  /** The secondary's security group: no inbound rule until `allowFrom` admits a client. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The secondary cluster's identifier, which its writer endpoint keeps after detaching. */
  public readonly clusterIdentifier: string;
  /** The global database's identifier. */
  public readonly globalClusterIdentifier: string;
  /** The port the secondary listens on (the primary's). */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: AuroraGlobalReplicaProps) {
    super(scope, id);
    const profile = resolveProfile(this, props.profile, { encryptsOwnLogs: true });
    const primaryStack = Stack.of(props.database);
    checkRegions(this, primaryStack.region, Stack.of(this).region);
    const source = checkAuroraSource(this, props.database);
    const sourceCfn = source.node.defaultChild as rds.CfnDBCluster;
    this.port = props.database.port;

    // The global database belongs with its writer; the DR stack names it by identifier, so it
    // deploys after the primary's stack.
    this.globalClusterIdentifier = identifierFor(this, 'global');
    this.globalCluster = new rds.CfnGlobalCluster(primaryStack, `${id}GlobalCluster${Stack.of(this).region.replace(/-/g, '')}`, {
      globalClusterIdentifier: this.globalClusterIdentifier,
      sourceDbClusterIdentifier: source.clusterIdentifier,
      deletionProtection: profile.deletionProtection,
    });
    this.globalCluster.applyRemovalPolicy(profile.storeRemovalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    Stack.of(this).addStackDependency(primaryStack, 'the secondary cluster joins the global database created with the primary');

    this.replicaKey = createReplicaKey(this, profile);
    this.network = props.network ?? createDrNetwork(this, profile);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecondarySecurityGroup', {
      vpc: this.network.vpc, description: 'Aurora global database secondary', allowAllOutbound: false,
    });
    const subnetGroup = new rds.CfnDBSubnetGroup(this, 'SecondarySubnets', {
      dbSubnetGroupDescription: 'Aurora global database secondary subnets',
      subnetIds: this.network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    this.clusterIdentifier = identifierFor(this, 'secondary');
    this.secondaryCluster = new rds.CfnDBCluster(this, 'SecondaryCluster', {
      dbClusterIdentifier: this.clusterIdentifier,
      globalClusterIdentifier: this.globalClusterIdentifier,
      engine: 'aurora-postgresql',
      // a secondary must run the writer's exact version
      engineVersion: sourceCfn.engineVersion,
      storageEncrypted: true,
      kmsKeyId: this.replicaKey.keyArn,
      dbSubnetGroupName: subnetGroup.ref,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      port: this.port,
      // the writer's scaling and IAM authentication, so the promoted cluster behaves like it
      serverlessV2ScalingConfiguration: sourceCfn.serverlessV2ScalingConfiguration,
      enableIamDatabaseAuthentication: sourceCfn.enableIamDatabaseAuthentication,
      deletionProtection: profile.deletionProtection,
      backupRetentionPeriod: Math.max(1, profile.backupRetention.toDays()),
      copyTagsToSnapshot: true,
      enableCloudwatchLogsExports: ['postgresql'],
    });
    this.secondaryCluster.applyRemovalPolicy(profile.storeRemovalPolicy);
    exportLogGroups(this, this.secondaryCluster, 'SecondaryLogs', `/aws/rds/cluster/${this.clusterIdentifier}`, ['postgresql'], {
      logRetention: profile.logRetention, profile,
    });
    acknowledgeSecondary(this.secondaryCluster, profile, this.port, sourceCfn.enableIamDatabaseAuthentication === true);
  }

  /** Admits a client (the standby service) to the secondary's port. */
  public allowFrom(client: ec2.IConnectable): void {
    this.securityGroup.addIngressRule(client.connections.securityGroups[0], ec2.Port.tcp(this.port), 'DR service to Aurora secondary');
  }

  /** How far the secondary's storage lags behind the writer, in milliseconds (maximum per minute). */
  public metricReplicationLag(): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName: 'AuroraGlobalDBReplicationLag',
      dimensionsMap: { DBClusterIdentifier: this.clusterIdentifier },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
    });
  }
}

/** An Aurora PostgreSQL cluster of this app; returns it. */
function checkAuroraSource(scope: Construct, database: IPostgresDatabase): rds.DatabaseCluster {
  if (database.engineKind !== PostgresEngineKind.AURORA_SERVERLESS_V2) {
    invalid(scope, 'database.engineKind', database.engineKind, `'${PostgresEngineKind.AURORA_SERVERLESS_V2}' (an RDS instance gets a cross-region read replica from \`DrDataReplication\`)`);
  }
  if (!database.cluster) {
    throw new LeanStackValidationError(scope, '`database.cluster` is required for an Aurora global database (an Aurora cluster of this app), got: undefined');
  }
  return database.cluster;
}

/** The secondary's deliberate trade-offs, acknowledged on it. */
function acknowledgeSecondary(cluster: rds.CfnDBCluster, profile: Profile, port: number, iamAuthentication: boolean): void {
  acknowledge(cluster, {
    ids: ['NIST.800.53.R5-RDSInBackupPlan', 'HIPAA.Security-RDSInBackupPlan'],
    reason: 'The secondary is the cross-region copy of a cluster whose backups are planned in the primary region; it keeps automated backups too.',
  });
  if (port === 5432) acknowledge(cluster, { ids: ['AwsSolutions-RDS11'], reason: 'A secondary listens on the port of its writer; the port is chosen there.' });
  if (!iamAuthentication) {
    acknowledge(cluster, { ids: ['AwsSolutions-RDS6'], reason: 'IAM database authentication follows the writer cluster (off there, off here), so clients connect the same way after failover.' });
  }
  if (!profile.deletionProtection) {
    acknowledge(cluster, {
      ids: ['AwsSolutions-RDS10', 'HIPAA.Security-RDSInstanceDeletionProtectionEnabled', 'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled'],
      reason: 'Deletion protection follows the profile; the development profile turns it off so the stack can be deleted.',
    });
  }
}
