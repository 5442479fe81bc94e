import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { PostgresEngineKind } from '../../core/contracts';
import { Profile } from '../../core/profile';
import { exportLogGroups, identifierFor } from '../../private/database-engines';
import { acknowledge } from '../../private/nag';
import { PostgresVersion } from '../postgres-version';
import { EngineProps, MIN_GP3_GIB } from './checks';

/** Everything both engines share, resolved by `PostgresDatabase`. */
export interface EngineInputs {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly credentials: rds.Credentials;
  readonly databaseName: string;
  readonly encryptionKey?: kms.IKey;
  readonly multiAz: boolean;
  readonly backupRetention: Duration;
  readonly deletionProtection: boolean;
  readonly logRetention: logs.RetentionDays;
  /** The port the database listens on. */
  readonly port: number;
  /** Enhanced Monitoring's interval; zero is off. */
  readonly monitoringInterval: Duration;
  readonly profile: Profile;
  readonly parameters: { [name: string]: string };
}

/** RDS-only inputs. */
export interface RdsInputs extends EngineInputs {
  readonly version: rds.PostgresEngineVersion;
  readonly instanceType: ec2.InstanceType;
  readonly allocatedStorage: number;
  readonly maxAllocatedStorage: number;
}

/** Aurora-only inputs. */
export interface AuroraInputs extends EngineInputs {
  readonly version: rds.AuroraPostgresEngineVersion;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly autoPause?: Duration;
}

/** The engine a database runs, its version and the engine-specific props it was given. */
export interface EngineChoice {
  readonly kind: PostgresEngineKind;
  readonly version: PostgresVersion;
  readonly props: EngineProps;
}

/** The engine's resources: an instance (and maybe its replica) on RDS, a cluster on Aurora. */
export interface CreatedEngine {
  readonly instance?: rds.DatabaseInstance;
  readonly replica?: rds.DatabaseInstanceReadReplica;
  readonly cluster?: rds.DatabaseCluster;
}

/** Creates the chosen engine with its defaults (a db.t4g.micro on RDS, 0.5 to 4 ACUs on Aurora). */
export function createEngine(scope: Construct, input: EngineInputs, choice: EngineChoice): CreatedEngine {
  const props = choice.props;
  if (choice.kind === PostgresEngineKind.RDS) {
    const rdsInput = {
      ...input,
      version: choice.version.rdsVersion,
      instanceType: props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      allocatedStorage: props.allocatedStorageGiB ?? MIN_GP3_GIB,
      maxAllocatedStorage: props.maxAllocatedStorageGiB ?? Math.max(100, props.allocatedStorageGiB ?? MIN_GP3_GIB),
    };
    const instance = createRdsInstance(scope, rdsInput);
    return { instance, replica: props.readReplica ? createReadReplica(scope, instance, rdsInput) : undefined };
  }
  const minCapacity = props.minCapacity ?? (input.profile.production ? 0.5 : 0);
  return {
    cluster: createAuroraCluster(scope, {
      ...input,
      version: choice.version.auroraVersion!,
      minCapacity,
      maxCapacity: props.maxCapacity ?? Math.max(4, minCapacity),
      autoPause: props.autoPauseAfter ?? Duration.minutes(5),
    }),
  };
}

const MULTI_AZ_IDS = ['AwsSolutions-RDS3', 'HIPAA.Security-RDSMultiAZSupport', 'NIST.800.53.R5-RDSMultiAZSupport'];
const BACKUP_PLAN_IDS = ['HIPAA.Security-RDSInBackupPlan', 'NIST.800.53.R5-RDSInBackupPlan'];
const DELETION_IDS = ['AwsSolutions-RDS10', 'HIPAA.Security-RDSInstanceDeletionProtectionEnabled', 'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled'];
/** The finding on the default port, when the database keeps it. */
function acknowledgeDefaultPort(database: Construct, input: EngineInputs): void {
  if (input.port !== 5432) return;
  acknowledge(database, {
    ids: ['AwsSolutions-RDS11'],
    reason: 'The default port 5432 is kept: the security group admits only named peers, and a non-default port is obscurity, not security. `port` changes it.',
  });
}
const ENHANCED_MONITORING_IDS = ['HIPAA.Security-RDSEnhancedMonitoringEnabled', 'NIST.800.53.R5-RDSEnhancedMonitoringEnabled'];

/** Creates the RDS for PostgreSQL instance. Its id, `Instance`, must never change. */
export function createRdsInstance(scope: Construct, input: RdsInputs): rds.DatabaseInstance {
  const engine = rds.DatabaseInstanceEngine.postgres({ version: input.version });
  const instanceIdentifier = identifierFor(scope, 'instance');
  const instance = new rds.DatabaseInstance(scope, 'Instance', {
    ...instanceSettings(input),
    engine,
    instanceIdentifier,
    credentials: input.credentials,
    databaseName: input.databaseName,
    parameterGroup: new rds.ParameterGroup(scope, 'Parameters', { engine, parameters: input.parameters }),
    allocatedStorage: input.allocatedStorage,
    storageEncrypted: true,
    storageEncryptionKey: input.encryptionKey,
    multiAz: input.multiAz,
    backupRetention: input.backupRetention,
    deleteAutomatedBackups: !input.profile.production,
    removalPolicy: input.profile.removalPolicy,
  });
  exportLogGroups(scope, instance, 'Logs', `/aws/rds/instance/${instanceIdentifier}`, ['postgresql', 'upgrade'], input);
  acknowledgeCommon(instance, input);
  return instance;
}

/** Creates a read replica of the instance, in the same subnets and security group. */
export function createReadReplica(scope: Construct, source: rds.DatabaseInstance, input: RdsInputs): rds.DatabaseInstanceReadReplica {
  const engine = rds.DatabaseInstanceEngine.postgres({ version: input.version });
  const instanceIdentifier = identifierFor(scope, 'replica');
  const replica = new rds.DatabaseInstanceReadReplica(scope, 'Replica', {
    ...instanceSettings(input),
    sourceDatabaseInstance: source,
    instanceIdentifier,
    parameterGroup: new rds.ParameterGroup(scope, 'ReplicaParameters', { engine, parameters: input.parameters }),
    // Encryption (and its key) is inherited from the source: CloudFormation rejects StorageEncrypted
    // here. A replica holds no data of its own, so there is nothing to snapshot.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  acknowledge(replica, { ids: ['CloudFormation-Validate::W9008'], reason: 'A read replica inherits encryption from its source; setting StorageEncrypted with SourceDBInstanceIdentifier is itself a validation error (F3020).' });
  exportLogGroups(scope, replica, 'ReplicaLogs', `/aws/rds/instance/${instanceIdentifier}`, ['postgresql', 'upgrade'], input);
  acknowledge(replica, {
    ids: ['AwsSolutions-RDS2', 'HIPAA.Security-RDSStorageEncrypted', 'NIST.800.53.R5-RDSStorageEncrypted'],
    reason: 'A read replica inherits the encryption at rest (and the key) of its always-encrypted source instance; CloudFormation rejects StorageEncrypted on a replica.',
  }, {
    ids: MULTI_AZ_IDS,
    reason: 'A read replica scales reads; the source instance carries availability (Multi-AZ in the highly available profile).',
  }, {
    ids: [...BACKUP_PLAN_IDS, 'AwsSolutions-RDS13', 'HIPAA.Security-RDSInstanceBackupEnabled', 'NIST.800.53.R5-RDSInstanceBackupEnabled'],
    reason: 'Backups and point-in-time recovery are taken from the source instance; the replica holds a copy of the same data.',
  });
  if (input.port === 5432) {
    acknowledgeDefaultPort(replica, input);
  } else {
    acknowledge(replica, {
      ids: ['AwsSolutions-RDS11'],
      reason: `The replica listens on port ${input.port}, its source's; its template names no engine (it runs its source's), which the rule reads as the default port.`,
    });
  }
  acknowledgeMonitoring(replica, input);
  if (!input.deletionProtection) {
    acknowledge(replica, { ids: DELETION_IDS, reason: `Deletion protection is off in profile '${input.profile.name}' so that development stacks can be torn down.` });
  }
  return replica;
}

/** Creates the Aurora PostgreSQL Serverless v2 cluster. Its id, `Cluster`, must never change. */
export function createAuroraCluster(scope: Construct, input: AuroraInputs): rds.DatabaseCluster {
  const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: input.version });
  const clusterIdentifier = identifierFor(scope, 'cluster');
  const cluster = new rds.DatabaseCluster(scope, 'Cluster', {
    ...placement(input),
    engine,
    clusterIdentifier,
    credentials: input.credentials,
    defaultDatabaseName: input.databaseName,
    port: input.port,
    parameterGroup: new rds.ParameterGroup(scope, 'Parameters', { engine, parameters: input.parameters }),
    // Performance Insights is named on each instance too: with a new app's feature flags an
    // instance that does not name it is read as "off", and aws-cdk-lib warns about the mismatch.
    writer: rds.ClusterInstance.serverlessV2('Writer', { publiclyAccessible: false, autoMinorVersionUpgrade: true, caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1, ...instancePerformanceInsights(input) }),
    // a reader in another AZ is Aurora's Multi-AZ; it scales with the writer to take over at full size
    readers: input.multiAz
      ? [rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true, publiclyAccessible: false, autoMinorVersionUpgrade: true, caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1, ...instancePerformanceInsights(input) })]
      : [],
    serverlessV2MinCapacity: input.minCapacity,
    serverlessV2MaxCapacity: input.maxCapacity,
    serverlessV2AutoPauseDuration: input.minCapacity === 0 ? input.autoPause : undefined,
    storageEncrypted: true,
    storageEncryptionKey: input.encryptionKey,
    iamAuthentication: true,
    backup: { retention: input.backupRetention },
    deletionProtection: input.deletionProtection,
    removalPolicy: input.profile.removalPolicy,
    copyTagsToSnapshot: true,
    cloudwatchLogsExports: ['postgresql'],
    ...instancePerformanceInsights(input),
    ...enhancedMonitoring(input),
  });
  exportLogGroups(scope, cluster, 'Logs', `/aws/rds/cluster/${clusterIdentifier}`, ['postgresql'], input);
  for (const member of ['Writer', 'Reader']) {
    const child = cluster.node.tryFindChild(member);
    if (child) {
      // Aurora encrypts at the cluster (StorageEncrypted above); the property does not apply to its instances.
      acknowledge(child, { ids: ['CloudFormation-Validate::W9008'], reason: 'Aurora instances take encryption from their cluster, which sets StorageEncrypted.' });
    }
  }
  acknowledgeCommon(cluster, input);
  return cluster;
}

function acknowledgeCommon(database: Construct, input: EngineInputs): void {
  acknowledgeDefaultPort(database, input);
  acknowledge(database, {
    ids: BACKUP_PLAN_IDS,
    reason: 'Automated backups with point-in-time recovery (retention set by the profile) protect the data without the cost of an AWS Backup plan.',
  });
  acknowledgeMonitoring(database, input);
  if (!input.multiAz) {
    acknowledge(database, {
      ids: MULTI_AZ_IDS,
      reason: `Single-AZ by profile '${input.profile.name}' to halve the instance cost; the highly available profile (or \`multiAz: true\`) adds a standby without replacing the database.`,
    });
  }
  if (!input.deletionProtection) {
    acknowledge(database, {
      ids: [...DELETION_IDS, 'HIPAA.Security-RDSClusterDeletionProtectionEnabled', 'NIST.800.53.R5-RDSClusterDeletionProtectionEnabled'],
      reason: `Deletion protection is off in profile '${input.profile.name}' so that development stacks can be torn down.`,
    });
  }
}

/** Where a database lives and what guards it, the same for every engine. */
function placement(input: EngineInputs): { vpc: ec2.IVpc; vpcSubnets: ec2.SubnetSelection; securityGroups: ec2.ISecurityGroup[] } {
  return { vpc: input.vpc, vpcSubnets: input.subnets, securityGroups: [input.securityGroup] };
}

/** What the RDS instance and its read replica share. */
function instanceSettings(input: RdsInputs): Omit<rds.DatabaseInstanceReadReplicaProps, 'sourceDatabaseInstance'> {
  return {
    ...placement(input),
    instanceType: input.instanceType,
    port: input.port,
    publiclyAccessible: false,
    storageType: rds.StorageType.GP3,
    maxAllocatedStorage: input.maxAllocatedStorage,
    iamAuthentication: true,
    deletionProtection: input.deletionProtection,
    copyTagsToSnapshot: true,
    autoMinorVersionUpgrade: true,
    caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
    cloudwatchLogsExports: ['postgresql', 'upgrade'],
    ...instancePerformanceInsights(input),
    ...enhancedMonitoring(input),
  };
}

/** Enhanced Monitoring's interval when it is on (aws-cdk-lib then creates the role RDS writes with). */
function enhancedMonitoring(input: EngineInputs): { monitoringInterval?: Duration } {
  return input.monitoringInterval.toSeconds() > 0 ? { monitoringInterval: input.monitoringInterval } : {};
}

/** The finding on the monitoring role aws-cdk-lib creates, or on the database when monitoring is off. */
function acknowledgeMonitoring(database: Construct, input: EngineInputs): void {
  const role = database.node.tryFindChild('MonitoringRole');
  if (role) {
    acknowledge(role, {
      ids: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]'],
      reason: 'The AWS managed policy RDS documents for Enhanced Monitoring: it only writes the RDSOSMetrics log stream.',
    });
    return;
  }
  acknowledge(database, {
    ids: ENHANCED_MONITORING_IDS,
    reason: `Enhanced Monitoring is off in profile '${input.profile.name}': Performance Insights (free tier) and CloudWatch metrics cover a small database, and its OS metrics are billed as log ingestion. \`monitoringInterval\` or the profile's \`enhancedMonitoring\` turns it on.`,
  });
}

/** The Performance Insights settings of every engine, repeated on each Aurora instance. */
function instancePerformanceInsights(input: EngineInputs): Pick<rds.ServerlessV2ClusterInstanceProps, 'enablePerformanceInsights' | 'performanceInsightRetention' | 'performanceInsightEncryptionKey'> {
  return {
    enablePerformanceInsights: true,
    performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
    performanceInsightEncryptionKey: input.encryptionKey,
  };
}
