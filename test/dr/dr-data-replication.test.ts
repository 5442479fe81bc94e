import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { fixture } from './fakes';
import { PostgresEngineKind } from '../../src/core/contracts';
import { IdleCostEstimate } from '../../src/cost';
import { DrDataReplication } from '../../src/dr';
import { Egress, Network } from '../../src/network';
import { CostConsciousStaticSite } from '../../src/static-site';
import { expectCompliant } from '../helpers/compliance';
import { FakeDatabase, plainVpc } from '../helpers/fakes';
import { GRANTS_ONLY_FOR_AWS_RESOURCES } from '../helpers/kms';

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
