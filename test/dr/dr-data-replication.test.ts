import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { fixture } from './fakes';
import { PostgresEngineKind } from '../../src/core/contracts';
import { Profile } from '../../src/core/profile';
import { IdleCostEstimate } from '../../src/cost';
import { DrDataReplication } from '../../src/dr';
import { Egress, Network } from '../../src/network';
import { CostConsciousStaticSite } from '../../src/static-site';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';
import { FakeDatabase, plainVpc } from '../helpers/fakes';
import { GRANTS_ONLY_FOR_AWS_RESOURCES } from '../helpers/kms';
import { expectAccessLogBucket, expectAccessLogsAdmitted } from '../helpers/s3';

describe('DrDataReplication used alone', () => {
  test('a replica, its key and a network with no egress in the DR stack; the secret gains a replica region', () => {
    // GIVEN
    const f = fixture();
    // WHEN
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [f.bucket] });
    // THEN
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::RDS::DBInstance', { SourceRegion: 'eu-west-1', DBInstanceClass: 'db.t4g.micro' });
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    Template.fromStack(f.primary).hasResourceProperties('AWS::SecretsManager::Secret', { ReplicaRegions: [{ Region: 'eu-central-1' }] });
    expect(data.replicaSecretArn).toBeDefined();
    expect(data.replicaBuckets).toHaveLength(1);
    expect(data.port).toBe(5432);
    expectCompliant(f.drStack);
    // the replica's storage is priced, not left out
    const storage = IdleCostEstimate.ofStack(f.drStack).items.filter((i) => i.resourceType === 'AWS::RDS::DBInstance' && /storage/i.test(i.description));
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.every((i) => i.monthlyUsd > 0)).toBe(true);
  });

  test('the replica key denies grants except for AWS resources; replica buckets expire old versions and send events to EventBridge', () => {
    // GIVEN
    const f = fixture();
    // WHEN
    new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [f.bucket] });
    // THEN (AWS Control Tower CT.KMS.PR.3, CT.S3.PR.3, CT.S3.PR.4, CT.S3.PR.6)
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([GRANTS_ONLY_FOR_AWS_RESOURCES]),
      }),
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } })] },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    // on the bucket itself: no notification custom resource
    t.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  test('brings its own network and admits a client to the replica port', () => {
    // GIVEN
    const f = fixture();
    const network = new Network(f.drStack, 'Network', { egress: Egress.none() });
    const client = new ec2.SecurityGroup(f.drStack, 'Client', { vpc: network.vpc });
    // WHEN
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, network, replicaInstanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL) });
    data.allowFrom(client);
    // THEN
    expect(data.network).toBe(network);
    const t = Template.fromStack(f.drStack);
    t.resourceCountIs('AWS::EC2::VPC', 1);
    t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.t4g.small' });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 5432, ToPort: 5432, Description: 'DR service to replica' });
    expect(data.metricReplicaLag().toMetricConfig().metricStat?.metricName).toBe('ReplicaLag');
  });

  test('the replica keeps the primary IAM authentication, Performance Insights and enhanced monitoring', () => {
    // GIVEN a primary with IAM authentication and monitoring
    const f = fixture();
    const source = f.database.instance!.node.defaultChild as rds.CfnDBInstance;
    source.enableIamDatabaseAuthentication = true;
    source.enablePerformanceInsights = true;
    source.monitoringInterval = 60;
    // WHEN
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database });
    // THEN clients using IAM tokens keep working after promotion
    Template.fromStack(f.drStack).hasResourceProperties('AWS::RDS::DBInstance', {
      EnableIAMDatabaseAuthentication: true,
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: Match.anyValue(),
      MonitoringInterval: 60,
      MonitoringRoleArn: Match.anyValue(),
    });
    expectCompliant(data);
  });

  test('refuses a stack in the primary region', () => {
    const f = fixture();
    expect(() => new DrDataReplication(f.primary, 'Data', { database: f.database }))
      .toThrow("`drRegion` must be a region other than the primary region 'eu-west-1', got: 'eu-west-1'");
  });

  test('refuses an Aurora engine without an Aurora cluster of this app', () => {
    const f = fixture({ engineKind: PostgresEngineKind.AURORA_SERVERLESS_V2 });
    expect(() => new DrDataReplication(f.drStack, 'Data', { database: f.database }))
      .toThrow('`database.cluster` is required for an Aurora global database (an Aurora cluster of this app), got: undefined');
  });

  test('an Aurora primary gets a global database with a headless secondary instead of a read replica', () => {
    const f = fixture({ aurora: true });
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database });
    const t = Template.fromStack(f.drStack);
    t.resourceCountIs('AWS::RDS::DBInstance', 0);
    t.hasResourceProperties('AWS::RDS::DBCluster', { GlobalClusterIdentifier: data.aurora!.globalClusterIdentifier });
    expect(data.replica).toBeUndefined();
    expect(f.drStack.resolve(data.endpointAddress)).toEqual({ 'Fn::GetAtt': [f.drStack.getLogicalId(data.aurora!.secondaryCluster), 'Endpoint.Address'] });
    expect(data.metricReplicaLag().toMetricConfig().mathExpression?.expression).toBe('lag / 1000');
    expectCompliant(f.drStack);
  });

  test('the replica of a site bucket gets a name the site stack can compute, within S3 limits', () => {
    // GIVEN a site in a stack with a long, mixed-case name and a DR region with a long name
    const app = new App();
    const primary = new Stack(app, 'Long-Production-Stack-Name', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    const drStack = new Stack(app, 'Dr', { env: { account: '111111111111', region: 'ap-southeast-5' }, crossRegionReferences: true });
    const site = new CostConsciousStaticSite(primary, 'Site');
    const database = new FakeDatabase(primary, 'Db', plainVpc(primary, 'Vpc', false), { backing: 'rds' });
    // WHEN
    const data = new DrDataReplication(drStack, 'Data', { database, bucketsToReplicate: [site.bucket] });
    // THEN
    const name = drStack.resolve((data.replicaBuckets[0].node.defaultChild as s3.CfnBucket).bucketName) as string;
    expect(name).toMatch(/^long-production-site-[0-9a-f]{8}-111111111111-ap-southeast-5$/);
    expect(name.length).toBeLessThanOrEqual(63);
  });
});

/** The replication rule the custom resource writes, its references written as `<LogicalId>` or `<LogicalId.Attribute>`. */
interface ReplicationRule {
  readonly SourceSelectionCriteria?: unknown;
  readonly Destination: unknown;
}
function replicationRule(t: Template): { Role: string; Rules: ReplicationRule[] } {
  type Part = string | { 'Ref'?: string; 'Fn::GetAtt'?: string[] };
  const writer = Object.values(t.findResources('Custom::AWS'))[0] as { Properties: { Create: { 'Fn::Join': [string, Part[]] } } };
  const text = writer.Properties.Create['Fn::Join'][1]
    .map((p) => (typeof p === 'string' ? p : `<${p.Ref ?? p['Fn::GetAtt']!.join('.')}>`)).join('');
  return JSON.parse(text).parameters.ReplicationConfiguration;
}

/** The logical ID of a construct's CloudFormation resource. */
function logicalId(stack: Stack, construct: kms.IKey | s3.IBucket): string {
  return stack.getLogicalId(construct.node.defaultChild as s3.CfnBucket);
}

describe('DrDataReplication replica buckets', () => {
  test('an SSE-S3 source: the replica is SSE-KMS under a key of its own with a Bucket Key; the rule and role need no source key', () => {
    // GIVEN an SSE-S3 bucket
    const f = fixture();
    // WHEN
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [f.bucket] });
    // THEN the replica's default encryption is its own customer managed key, not the database replica's
    const t = Template.fromStack(f.drStack);
    const replicaKey = data.replicaBuckets[0].encryptionKey!;
    expect(replicaKey).not.toBe(data.replicaKey);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(f.drStack, replicaKey), 'Arn'] } },
        }],
      },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Encrypts the DR replica of the bucket Primary/Uploads',
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({ Statement: Match.arrayWith([GRANTS_ONLY_FOR_AWS_RESOURCES]) }),
    });
    // SSE-S3 objects stay SSE-S3 in the replica: the rule does not select KMS objects nor name a replica key
    const rule = replicationRule(t).Rules[0];
    expect(rule.SourceSelectionCriteria).toBeUndefined();
    expect(rule.Destination).toEqual({ Bucket: `<${logicalId(f.drStack, data.replicaBuckets[0])}.Arn>`, StorageClass: 'STANDARD' });
    // the role may use the replica key through S3 in the DR region for the replica only, and no other key
    const statements = Object.values(t.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>)
      .filter((st) => [st.Action].flat().some((a) => a.startsWith('kms:')));
    expect(statements).toEqual([{
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: { 'Fn::GetAtt': [logicalId(f.drStack, replicaKey), 'Arn'] },
      Condition: {
        StringLike: {
          'kms:ViaService': { 'Fn::Join': ['', ['s3.eu-central-1.', { Ref: 'AWS::URLSuffix' }]] },
          'kms:EncryptionContext:aws:s3:arn': [{ 'Fn::GetAtt': [logicalId(f.drStack, data.replicaBuckets[0]), 'Arn'] }],
        },
      },
    }]);
    expectCompliant(f.drStack);
    // the replica key is priced (1 USD a month), beside the database replica's
    const keys = IdleCostEstimate.ofStack(f.drStack).items.filter((i) => i.resourceType === 'AWS::KMS::Key');
    expect(keys.map((k) => k.logicalId).sort()).toEqual([logicalId(f.drStack, data.replicaKey), logicalId(f.drStack, replicaKey)].sort());
    expect(keys.map((k) => k.monthlyUsd)).toEqual([1, 1]);
  });

  test('a KMS source (a site with a customer managed key): KMS objects are replicated under the replica key, which only its distribution may decrypt', () => {
    // GIVEN a site whose bucket is SSE-KMS
    const f = fixture();
    const site = new CostConsciousStaticSite(f.primary, 'Site', { customerManagedKey: true });
    // WHEN
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [site.bucket] });
    // THEN the rule opts in to KMS objects and names the replica key
    const t = Template.fromStack(f.drStack);
    const replica = data.replicaBuckets[0];
    const replicaKeyArn = `<${logicalId(f.drStack, replica.encryptionKey!)}.Arn>`;
    const rule = replicationRule(t).Rules[0];
    expect(rule.SourceSelectionCriteria).toEqual({ SseKmsEncryptedObjects: { Status: 'Enabled' } });
    expect(rule.Destination).toEqual({
      Bucket: `<${logicalId(f.drStack, replica)}.Arn>`, StorageClass: 'STANDARD', EncryptionConfiguration: { ReplicaKmsKeyID: replicaKeyArn },
    });
    // the role decrypts under the source key through S3 in the primary region, for the source bucket and its objects only
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: Match.anyValue(),
          Condition: {
            StringLike: {
              'kms:ViaService': { 'Fn::Join': ['', ['s3.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] },
              'kms:EncryptionContext:aws:s3:arn': [Match.anyValue(), { 'Fn::Join': ['', [Match.anyValue(), '/*']] }],
            },
          },
        }, Match.objectLike({ Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'] })]),
      },
    });
    // the source key's ARN reaches the DR stack from the primary stack
    expect(JSON.stringify(Template.fromStack(f.primary).toJSON())).toContain(logicalId(f.primary, site.bucket.encryptionKey!));
    // CloudFront decrypts under the replica key for the site's distribution only, as the bucket policy reads
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([{
          Sid: 'CloudFrontFailoverOriginDecrypt',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
        }]),
      }),
    });
    const keyPolicy = JSON.stringify(t.toJSON().Resources[logicalId(f.drStack, replica.encryptionKey!)].Properties.KeyPolicy);
    const bucketPolicy = JSON.stringify(Object.values(t.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: logicalId(f.drStack, replica) } },
    }))[0]);
    const sourceArn = (text: string) => text.match(/"AWS:SourceArn":(\{[^}]*\})/)![1];
    expect(sourceArn(keyPolicy)).toEqual(sourceArn(bucketPolicy));
    expectCompliant(f.drStack);
    expectCompliant(site);
  });

  test('refuses a source encrypted under the AWS managed key', () => {
    const f = fixture();
    const managed = new s3.Bucket(f.primary, 'Managed', { versioned: true, encryption: s3.BucketEncryption.KMS_MANAGED });
    expect(() => new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [managed] }))
      .toThrow("`bucketsToReplicate[0].encryption` must be SSE-S3 or SSE-KMS under a customer managed key (`encryptionKey`), got: 'aws:kms under the AWS managed key'");
  });

  test('the replica logs access to a locked log bucket of the DR stack, expiring with the profile; Control Tower finds no fault with the replica', () => {
    // GIVEN / WHEN the cost-conscious production profile (logs kept 30 days)
    const f = fixture();
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [f.bucket] });
    // THEN
    const t = Template.fromStack(f.drStack);
    const logBucket = data.accessLogBucket!;
    const logBucketId = logicalId(f.drStack, logBucket);
    const replicaId = logicalId(f.drStack, data.replicaBuckets[0]);
    expectAccessLogBucket(t, 30);
    t.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'bucket0/' },
    });
    expectAccessLogsAdmitted(t, { logBucketId, sourceId: replicaId, sid: 'S3ServerAccessLogsForBucket0Replica', prefix: 'bucket0/', account: '111111111111' });
    expectCompliant(f.drStack);
    // AWS Control Tower: default encryption aws:kms (CT.S3.PR.10) and a logging configuration (CT.S3.PR.2)
    const failures = controlTowerFailures([f.drStack]).get(f.drStack.stackName)!;
    for (const control of ['CT.S3.PR.10', 'CT.S3.PR.2']) expect(failures.get(control) ?? []).not.toContain(replicaId);
    // (the rules did run: the single-AZ pilot-light database replica fails CT.RDS.PR.1 on purpose)
    expect(failures.get('CT.RDS.PR.1')).toEqual([f.drStack.getLogicalId(data.replica!)]);
  });

  test('the development profile logs no access and creates no log bucket', () => {
    const f = fixture();
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [f.bucket], profile: Profile.DEVELOPMENT });
    expect(data.accessLogBucket).toBeUndefined();
    Template.fromStack(f.drStack).resourcePropertiesCountIs('AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() }, 0);
    // only the replica itself is locked (S3 replicates a locked source only into a locked bucket)
    Template.fromStack(f.drStack).resourcePropertiesCountIs('AWS::S3::Bucket', { ObjectLockEnabled: true }, 1);
    expectCompliant(f.drStack);
  });

  test('a site with Object Lock replicates into a replica with Object Lock and no default retention; the role reads each version\'s lock', () => {
    // GIVEN a site whose buckets have Object Lock (S3 refuses to replicate them into an unlocked bucket)
    const f = fixture();
    const site = new CostConsciousStaticSite(f.primary, 'Site', { customerManagedKey: true, objectLock: true });
    // WHEN
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [site.bucket] });
    // THEN the replica is locked too, without a default retention that would block replicated deletes
    const t = Template.fromStack(f.drStack);
    const replicaId = logicalId(f.drStack, data.replicaBuckets[0]);
    expect(t.toJSON().Resources[replicaId].Properties).toEqual(expect.objectContaining({ ObjectLockEnabled: true }));
    expect(t.toJSON().Resources[replicaId].Properties.ObjectLockConfiguration).toBeUndefined();
    // the replication role may read the retention and legal hold of every source version
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
        })]),
      },
    });
    // the DR access log bucket is encrypted with the DR key, which S3 server access logging may use
    const logId = logicalId(f.drStack, data.accessLogBucket!);
    expect(t.toJSON().Resources[logId].Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(f.drStack, data.replicaKey), 'Arn'] } },
      }],
    });
    expect(JSON.stringify(t.toJSON().Resources[logicalId(f.drStack, data.replicaKey)].Properties.KeyPolicy)).toContain('logging.s3.amazonaws.com');
    expectCompliant(f.drStack);
    // AWS Control Tower: every bucket of the DR stack has Object Lock, KMS encryption and access logs
    const failures = controlTowerFailures([f.drStack]).get(f.drStack.stackName)!;
    for (const control of ['CT.S3.PR.2', 'CT.S3.PR.9', 'CT.S3.PR.10']) expect({ control, failed: failures.get(control) ?? [] }).toEqual({ control, failed: [] });
  });

  test('a development profile with access logs on: the log bucket expires logs after a week and is emptied on delete', () => {
    const f = fixture();
    const profile = Profile.DEVELOPMENT.withOverrides({ accessLogs: true });
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [f.bucket], profile });
    const t = Template.fromStack(f.drStack);
    expect(data.accessLogBucket).toBeDefined();
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs', ExpirationInDays: 7 })] },
    });
    t.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: logicalId(f.drStack, data.accessLogBucket!) } });
    expectCompliant(f.drStack);
  });

  test('no bucket to replicate, no log bucket', () => {
    const f = fixture();
    const data = new DrDataReplication(f.drStack, 'Data', { database: f.database });
    expect(data.accessLogBucket).toBeUndefined();
    Template.fromStack(f.drStack).resourceCountIs('AWS::S3::Bucket', 0);
  });
});
