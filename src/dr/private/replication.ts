import { createHash } from 'crypto';
import { Aws, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Profile } from '../../core/profile';
import { exportLogGroups, identifierFor } from '../../private/database-engines';
import { createDataKey } from '../../private/kms';
import { acknowledge } from '../../private/nag';

/** The KMS key that encrypts the replica in the DR region (a cross-region replica needs one there). */
export function createReplicaKey(scope: Construct, profile: Profile): kms.Key {
  return createDataKey(scope, 'ReplicaKey', {
    description: 'Encrypts the pilot-light database replica in the DR region',
    removalPolicy: profile.storeRemovalPolicy,
  });
}

export interface DatabaseReplicaOptions {
  readonly sourceInstance: rds.DatabaseInstance;
  readonly primaryRegion: string;
  readonly vpc: ec2.IVpc;
  readonly key: kms.IKey;
  readonly instanceType: ec2.InstanceType;
  readonly port: number;
  readonly profile: Profile;
}

export interface DatabaseReplica {
  readonly replica: rds.CfnDBInstance;
  readonly securityGroup: ec2.SecurityGroup;
}

/**
 * A cross-region read replica. The L1 is used on purpose: the source must be given by ARN with
 * `SourceRegion` and a key in this region (aws/aws-cdk#12838, #28998: the L2 read replica passes the
 * source's identifier, which RDS cannot find from another region).
 */
export function createDatabaseReplica(scope: Construct, options: DatabaseReplicaOptions): DatabaseReplica {
  const { profile } = options;
  const securityGroup = new ec2.SecurityGroup(scope, 'ReplicaSecurityGroup', {
    vpc: options.vpc,
    description: 'Pilot-light database replica',
    allowAllOutbound: false,
  });
  const subnetGroup = new rds.SubnetGroup(scope, 'ReplicaSubnets', {
    vpc: options.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    description: 'Pilot-light database replica subnets',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // A fixed identifier, as the primary has: the log groups below exist (with retention) before
  // RDS writes to them, instead of RDS creating them with no expiry.
  const dbInstanceIdentifier = identifierFor(scope, 'replica');
  const replica = new rds.CfnDBInstance(scope, 'Replica', {
    dbInstanceIdentifier,
    sourceDbInstanceIdentifier: options.sourceInstance.instanceArn,
    sourceRegion: options.primaryRegion,
    // as aws-cdk-lib's DatabaseInstanceReadReplica does: the replica runs the source's engine
    engine: 'postgres',
    kmsKeyId: options.key.keyArn,
    // KmsKeyId encrypts the replica; CloudFormation rejects StorageEncrypted next to a source
    dbInstanceClass: `db.${options.instanceType.toString()}`,
    dbSubnetGroupName: subnetGroup.subnetGroupName,
    vpcSecurityGroups: [securityGroup.securityGroupId],
    port: String(options.port),
    publiclyAccessible: false,
    // pilot light: one AZ while idle; a promoted replica can be made Multi-AZ afterwards
    multiAz: false,
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    deletionProtection: profile.deletionProtection,
    backupRetentionPeriod: profile.backupRetention.toDays(),
    enableCloudwatchLogsExports: ['postgresql', 'upgrade'],
    ...monitoringOf(scope, options.sourceInstance, options.key),
  });
  exportLogGroups(scope, replica, 'ReplicaLogs', `/aws/rds/instance/${dbInstanceIdentifier}`, ['postgresql', 'upgrade'], {
    logRetention: profile.logRetention,
    profile,
  });
  // A replica cannot be snapshotted on delete; in production it is kept (once promoted it is the database).
  replica.applyRemovalPolicy(profile.storeRemovalPolicy);
  acknowledge(replica, {
    ids: ['CloudFormation-Validate::W9008'],
    reason: 'KmsKeyId encrypts the replica; StorageEncrypted must not be set next to SourceDBInstanceIdentifier (F3020).',
  }, {
    ids: ['AwsSolutions-RDS2', 'HIPAA.Security-RDSStorageEncrypted', 'NIST.800.53.R5-RDSStorageEncrypted'],
    reason: 'The replica is encrypted with the DR-region KMS key given as KmsKeyId; CloudFormation rejects StorageEncrypted on a replica, which the rule looks for.',
  }, {
    ids: ['NIST.800.53.R5-RDSInBackupPlan', 'HIPAA.Security-RDSInBackupPlan'],
    reason: 'The replica is the cross-region copy of a database whose backups are planned in the primary region; it keeps automated backups too.',
  }, {
    ids: ['AwsSolutions-RDS3', 'HIPAA.Security-RDSMultiAZSupport', 'NIST.800.53.R5-RDSMultiAZSupport'],
    reason: 'A pilot-light replica runs in one AZ to halve its idle cost; after promotion it can be modified to Multi-AZ.',
  }, {
    ids: ['HIPAA.Security-RDSEnhancedMonitoringEnabled', 'NIST.800.53.R5-RDSEnhancedMonitoringEnabled'],
    reason: 'Enhanced monitoring follows the source database (off there, off here: a cost without a reader on an idle replica); the ReplicaLag alarm and the readiness check watch it.',
  });
  if (options.port === 5432) {
    acknowledge(replica, {
      ids: ['AwsSolutions-RDS11'],
      reason: 'A replica listens on the port of its source database; the port is chosen there.',
    });
  }
  if (!profile.deletionProtection) {
    acknowledge(replica, {
      ids: ['AwsSolutions-RDS10', 'HIPAA.Security-RDSInstanceDeletionProtectionEnabled', 'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled'],
      reason: 'Deletion protection follows the profile; the development profile turns it off so the stack can be deleted.',
    });
  }
  return { replica, securityGroup };
}

/**
 * The source's storage, IAM database authentication and monitoring, so that clients using IAM tokens and
 * the dashboards keep working after promotion. Performance Insights is encrypted with the DR key.
 */
function monitoringOf(scope: Construct, source: rds.DatabaseInstance, key: kms.IKey): Partial<rds.CfnDBInstanceProps> {
  const cfn = source.node.defaultChild as rds.CfnDBInstance;
  const props: { -readonly [K in keyof rds.CfnDBInstanceProps]?: rds.CfnDBInstanceProps[K] } = {
    enableIamDatabaseAuthentication: cfn.enableIamDatabaseAuthentication,
    // the size RDS gives the replica anyway, written down so that the idle cost estimate prices it
    allocatedStorage: cfn.allocatedStorage,
    maxAllocatedStorage: cfn.maxAllocatedStorage,
    storageType: cfn.storageType,
  };
  if (cfn.enablePerformanceInsights === true) {
    props.enablePerformanceInsights = true;
    props.performanceInsightsKmsKeyId = key.keyArn;
    props.performanceInsightsRetentionPeriod = cfn.performanceInsightsRetentionPeriod;
  }
  if (typeof cfn.monitoringInterval === 'number' && cfn.monitoringInterval > 0) {
    const role = new iam.Role(scope, 'ReplicaMonitoringRole', {
      assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
    });
    acknowledge(role, { ids: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]'], reason: 'The AWS managed policy RDS documents for enhanced monitoring: it only writes the monitoring log stream.' });
    props.monitoringInterval = cfn.monitoringInterval;
    props.monitoringRoleArn = role.roleArn;
  }
  return props;
}

/**
 * The ARN of the replica of `secretArn` in `region`: the same name and suffix, another region.
 * Works on tokens, so a secret from another stack can be referenced.
 */
export function replicaSecretArn(secretArn: string, region: string): string {
  return Fn.join(':', ['arn', Aws.PARTITION, 'secretsmanager', region, Fn.select(4, Fn.split(':', secretArn)), 'secret', Fn.select(6, Fn.split(':', secretArn))]);
}

/**
 * ECR replication of the given repositories to the DR region. The resource is registry-wide: an
 * account and region hold one replication configuration, so a second one (from another app)
 * replaces this one.
 */
export function replicateImages(scope: Construct, repositories: ecr.IRepository[], drRegion: string): ecr.CfnReplicationConfiguration {
  return new ecr.CfnReplicationConfiguration(scope, 'ImageReplication', {
    replicationConfiguration: {
      rules: [{
        destinations: [{ region: drRegion, registryId: Stack.of(scope).account }],
        repositoryFilters: repositories.map((r) => ({ filter: r.repositoryName, filterType: 'PREFIX_MATCH' })),
      }],
    },
  });
}

/**
 * The name of the replica of a site's bucket: the site's stack must name it as an origin without
 * a reference to the DR stack (which already depends on it), so it is made of literals and the
 * account, like the CDK bootstrap bucket: `<primary stack>-site-<hash of the source's path>-<account>-<region>`,
 * at most 62 characters.
 */
export function siteReplicaBucketName(source: s3.IBucket, drRegion: string): string {
  const sourceStack = Stack.of(source);
  const prefix = sourceStack.stackName.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/^-+/, '').slice(0, 16).replace(/-+$/, '') || 'lean';
  const hash = createHash('sha256').update(source.node.path).digest('hex').slice(0, 8);
  return `${prefix}-site-${hash}-${sourceStack.account}-${drRegion}`;
}
