import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Egress, IPostgresDatabase, InterfaceEndpoint, Network, PostgresDatabase, PostgresDatabaseProps, PostgresEngineKind, PostgresVersion, Profile } from '../../src';
import { expectCompliant } from '../helpers/compliance';
import { GRANTS_ONLY_FOR_AWS_RESOURCES } from '../helpers/kms';

function stack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
}

interface Built { s: Stack; db: PostgresDatabase; t: () => Template }

function build(props: Partial<PostgresDatabaseProps> = {}, egress?: Egress, interfaceEndpoints?: InterfaceEndpoint[]): Built {
  const s = stack();
  const network = new Network(s, 'Net', { profile: props.profile, egress, interfaceEndpoints });
  // Most tests are about one engine: RDS unless they name another (the default depends on the profile).
  const db = new PostgresDatabase(s, 'Db', { network, engine: PostgresEngineKind.RDS, ...props });
  return { s, db, t: () => Template.fromStack(s) };
}

const AURORA = PostgresEngineKind.AURORA_SERVERLESS_V2;

describe('PostgresDatabase default engine', () => {
  test('development defaults to Aurora Serverless v2 that pauses at zero; the production profiles to RDS', () => {
    const engineOf = (profile?: Profile) => {
      const s = stack();
      return new PostgresDatabase(s, 'Db', { network: new Network(s, 'Net', { profile }), profile }).engineKind;
    };
    expect(engineOf(Profile.DEVELOPMENT)).toBe(PostgresEngineKind.AURORA_SERVERLESS_V2);
    expect(engineOf(Profile.COST_CONSCIOUS_PRODUCTION)).toBe(PostgresEngineKind.RDS);
    expect(engineOf(Profile.HIGHLY_AVAILABLE_PRODUCTION)).toBe(PostgresEngineKind.RDS);
    expect(engineOf()).toBe(PostgresEngineKind.RDS);
    const s = stack();
    new PostgresDatabase(s, 'Db', { network: new Network(s, 'Net'), profile: Profile.DEVELOPMENT });
    Template.fromStack(s).hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: Match.objectLike({ MinCapacity: 0 }) });
  });
});

describe('PostgresDatabase on RDS', () => {
  test('the default is a private, encrypted db.t4g.micro with gp3 storage that autoscales to a cap', () => {
    // GIVEN / WHEN
    const { db, t } = build();
    // THEN
    const template = t();
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.t4g.micro',
      Engine: 'postgres',
      EngineVersion: '17',
      StorageType: 'gp3',
      AllocatedStorage: '20',
      MaxAllocatedStorage: 100,
      StorageEncrypted: true,
      KmsKeyId: Match.absent(),
      PubliclyAccessible: false,
      EnableIAMDatabaseAuthentication: true,
      DBName: 'app',
      MultiAZ: false,
      BackupRetentionPeriod: 7,
      DeletionProtection: true,
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 7,
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      AutoMinorVersionUpgrade: true,
    });
    template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    // nothing else that costs money idle
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Instance', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1); // the free S3 gateway endpoint
    expect(db.instance).toBeDefined();
    expect(db.cluster).toBeUndefined();
    expect(db.engineKind).toBe(PostgresEngineKind.RDS);
    expect(db.port).toBe(5432);
    expect(db.databaseName).toBe('app');
  });

  test('sits in the isolated subnets only', () => {
    const { s, t } = build();
    const network = s.node.findChild('Net') as Network;
    const isolated = network.vpc.isolatedSubnets.map((sn) => s.resolve(sn.subnetId));
    t().hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: isolated });
  });

  test('requires TLS and logs slow statements through its parameter group', () => {
    const { t } = build({ slowStatementThreshold: Duration.millis(250) });
    t().hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres17',
      Parameters: { 'rds.force_ssl': '1', 'log_min_duration_statement': '250' },
    });
  });

  test('exports PostgreSQL logs to log groups with the profile retention, made before the instance', () => {
    const { t } = build();
    const template = t();
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/rds/instance/s-db-.*-instance/postgresql$'),
      RetentionInDays: 30,
    });
    const instance = Object.values(template.findResources('AWS::RDS::DBInstance'))[0] as { DependsOn: string[] };
    expect(instance.DependsOn.filter((d: string) => d.startsWith('DbLogs'))).toHaveLength(2);
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  test('generates credentials into Secrets Manager, never into the template', () => {
    const { s, db, t } = build();
    const template = t();
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"postgres","dbname":"app"}', GenerateStringKey: 'password' }),
    });
    template.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', { TargetType: 'AWS::RDS::DBInstance' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    const instance = Object.values(template.findResources('AWS::RDS::DBInstance'))[0] as { Properties: { MasterUserPassword: unknown } };
    expect(JSON.stringify(instance.Properties.MasterUserPassword)).toContain('resolve:secretsmanager');
    expect(db.secret).toBeDefined();
    expect(s.resolve(db.unattachedSecret.secretArn).Ref).toMatch(/^DbSecret/);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  test('admits only the peers it is told about, on its port', () => {
    // GIVEN nothing is admitted by default
    expect(Object.keys(build().t().findResources('AWS::EC2::SecurityGroupIngress'))).toHaveLength(0);
    const { s, db, t } = build();
    const peer = new ec2.SecurityGroup(s, 'Backend', { vpc: db.network.vpc });
    // WHEN
    db.allowFrom(peer, 'the backend');
    // THEN
    const template = t();
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      Description: 'the backend',
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Backend'), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'PostgreSQL: admits only the peers it is told about',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
  });

  test('development: no deletion protection, 1 day of backups, deleted with the stack', () => {
    const { t } = build({ profile: Profile.DEVELOPMENT });
    const template = t();
    template.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: false, BackupRetentionPeriod: 1, DeleteAutomatedBackups: true });
    template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Delete' });
  });

  test('highly available: Multi-AZ and 14 days of backups; explicit props override the profile', () => {
    build({ profile: Profile.HIGHLY_AVAILABLE_PRODUCTION }).t().hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true, BackupRetentionPeriod: 14 });
    build({ multiAz: true, backupRetention: Duration.days(35), deletionProtection: false }).t()
      .hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true, BackupRetentionPeriod: 35, DeletionProtection: false });
  });

  test('enhanced monitoring: every 60 seconds in the highly available profile (replica too), off in the others, any RDS interval on request', () => {
    const ha = build({ profile: Profile.HIGHLY_AVAILABLE_PRODUCTION, readReplica: true }).t();
    ha.resourcePropertiesCountIs('AWS::RDS::DBInstance', { MonitoringInterval: 60, MonitoringRoleArn: Match.anyValue() }, 2);
    ha.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'monitoring.rds.amazonaws.com' } })] },
    });
    const cheap = build().t();
    cheap.hasResourceProperties('AWS::RDS::DBInstance', { MonitoringInterval: Match.absent() });
    cheap.resourcePropertiesCountIs('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'monitoring.rds.amazonaws.com' } })] },
    }, 0);
    build({ monitoringInterval: Duration.seconds(15) }).t().hasResourceProperties('AWS::RDS::DBInstance', { MonitoringInterval: 15 });
    build({ profile: Profile.HIGHLY_AVAILABLE_PRODUCTION, monitoringInterval: Duration.seconds(0) }).t()
      .hasResourceProperties('AWS::RDS::DBInstance', { MonitoringInterval: Match.absent() });
    build({ profile: Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({ enhancedMonitoring: true }), engine: AURORA }).t()
      .resourcePropertiesCountIs('AWS::RDS::DBInstance', { Engine: 'aurora-postgresql', MonitoringInterval: 60 }, 1);
  });

  test('listens on the port it is given, and admits its peers on that port only', () => {
    const { s, db, t } = build({ port: 6543 });
    const client = new ec2.SecurityGroup(s, 'Client', { vpc: db.network.vpc });
    db.allowFrom(client);
    expect(db.port).toBe(6543);
    t().hasResourceProperties('AWS::RDS::DBInstance', { Port: '6543' });
    t().hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 6543, ToPort: 6543 });
    build({ port: 6543, engine: AURORA }).t().hasResourceProperties('AWS::RDS::DBCluster', { Port: 6543 });
    build().t().hasResourceProperties('AWS::RDS::DBInstance', { Port: '5432' });
  });

  test('customerManagedKey creates a rotated key that hands out grants only for AWS resources, kept in production', () => {
    const { db, t } = build({ customerManagedKey: true });
    const template = t();
    expect(db.encryptionKey).toBeDefined();
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: { Statement: Match.arrayWith([GRANTS_ONLY_FOR_AWS_RESOURCES]) },
      }),
    });
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::RDS::DBInstance', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    build({ profile: Profile.DEVELOPMENT, customerManagedKey: true }).t().hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    expect(() => {
      const s = stack();
      new PostgresDatabase(s, 'Db', { network: new Network(s, 'Net'), customerManagedKey: true, encryptionKey: new kms.Key(s, 'Mine') });
    }).toThrow('`encryptionKey` and `customerManagedKey` cannot both be set; choose one');
  });

  test('a customer key encrypts storage, Performance Insights and the secret', () => {
    const s = stack();
    const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
    const network = new Network(s, 'Net');
    const db = new PostgresDatabase(s, 'Db', { network, encryptionKey: key });
    const template = Template.fromStack(s);
    const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] };
    template.hasResourceProperties('AWS::RDS::DBInstance', { KmsKeyId: keyArn, PerformanceInsightsKMSKeyId: keyArn });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArn });
    expect(db.encryptionKey).toBe(key);
  });

  test('an optional read replica from the same instance, in the same subnets and security group', () => {
    const { db, t } = build({ readReplica: true });
    const template = t();
    template.resourceCountIs('AWS::RDS::DBInstance', 2);
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      SourceDBInstanceIdentifier: Match.anyValue(),
      DBInstanceClass: 'db.t4g.micro',
      PubliclyAccessible: false,
      StorageEncrypted: Match.absent(),
    });
    expect(db.replica).toBeDefined();
  });

  test('rotation on request, hosted single user, in subnets that reach Secrets Manager', () => {
    const { t } = build({ rotateSecretAfter: Duration.days(30) }, Egress.natInstance());
    const template = t();
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      HostedRotationLambda: Match.objectLike({ RotationType: 'PostgreSQLSingleUser' }),
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 5432, Description: 'Secret rotation' });
    // with a Secrets Manager endpoint instead of NAT
    build({ rotateSecretAfter: Duration.days(30) }, undefined, [InterfaceEndpoint.SECRETS_MANAGER]).t().resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
  });

  test('refuses rotation when the network can reach neither the internet nor Secrets Manager', () => {
    expect(() => build({ rotateSecretAfter: Duration.days(30) })).toThrow(
      "`rotateSecretAfter` needs a way to reach secretsmanager from inside the VPC: a network egress with NAT (e.g. Egress.natInstance()) or the interface endpoints 'secretsmanager'");
  });

  test('accepts a network of your own (bring your own VPC) through INetwork', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }, { name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const db: IPostgresDatabase = new PostgresDatabase(s, 'Db', { network: Network.fromVpc(s, 'Net', vpc) });
    Template.fromStack(s).hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: vpc.isolatedSubnets.map((sn) => s.resolve(sn.subnetId)) });
    expect(db.instance).toBeDefined();
  });
});

describe('PostgresDatabase on Aurora Serverless v2', () => {
  test('development pauses at 0 ACU', () => {
    const { db, t } = build({ engine: AURORA, profile: Profile.DEVELOPMENT });
    const template = t();
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      EngineVersion: '17.9',
      StorageEncrypted: true,
      EnableIAMDatabaseAuthentication: true,
      DatabaseName: 'app',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 4, SecondsUntilAutoPause: 300 },
      EnableCloudwatchLogsExports: ['postgresql'],
      DeletionProtection: false,
      BackupRetentionPeriod: 1,
    });
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.force_ssl': '1', 'log_min_duration_statement': '1000' } });
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless', PubliclyAccessible: false });
    expect(db.cluster).toBeDefined();
    expect(db.instance).toBeUndefined();
  });

  test('production keeps 0.5 ACU warm; highly available adds a reader that scales with the writer', () => {
    build({ engine: AURORA }).t().hasResourceProperties('AWS::RDS::DBCluster', {
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
      DeletionProtection: true,
      BackupRetentionPeriod: 7,
    });
    const ha = build({ engine: AURORA, profile: Profile.HIGHLY_AVAILABLE_PRODUCTION }).t();
    ha.resourceCountIs('AWS::RDS::DBInstance', 2);
    ha.hasResourceProperties('AWS::RDS::DBInstance', { PromotionTier: 1 });
  });

  test('capacity and auto-pause are configurable', () => {
    build({ engine: AURORA, minCapacity: 0, maxCapacity: 8, autoPauseAfter: Duration.hours(1) }).t()
      .hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 8, SecondsUntilAutoPause: 3600 } });
  });
});

describe('PostgresDatabase validation', () => {
  test.each<[string, Partial<PostgresDatabaseProps>, string]>([
    ['storage below 20 GiB', { allocatedStorageGiB: 10 }, '`allocatedStorageGiB` must be an integer between 20 and 65536, got: 10'],
    ['storage cap below storage', { allocatedStorageGiB: 50, maxAllocatedStorageGiB: 40 }, '`maxAllocatedStorageGiB` must be an integer between 50 and 65536, got: 40'],
    ['backups above 35 days', { backupRetention: Duration.days(36) }, '`backupRetention` must be a whole number of days between 7 and 35 in a production profile, got: 36 days'],
    ['no backups in production', { backupRetention: Duration.days(0) }, '`backupRetention` must be a whole number of days between 7 and 35 in a production profile, got: 0 days'],
    ['backups above 35 days in development', { profile: Profile.DEVELOPMENT, backupRetention: Duration.days(40) }, '`backupRetention` must be a whole number of days between 0 and 35, got: 40 days'],
    ['a replica on Aurora', { engine: AURORA, readReplica: true }, "`readReplica` must be false with engine 'aurora-serverless-v2'"],
    ['serverless minimum above maximum', { engine: AURORA, minCapacity: 8, maxCapacity: 4 }, '`minCapacity` (8) must not be above `maxCapacity` (4)'],
    ['capacity not in 0.5 steps', { engine: AURORA, minCapacity: 0.3 }, '`minCapacity` must be a number of ACUs between 0 and 256 in steps of 0.5, got: 0.3'],
    ['capacity above 256', { engine: AURORA, maxCapacity: 300 }, '`maxCapacity` must be a number of ACUs between 1 and 256 in steps of 0.5, got: 300'],
    ['auto-pause without 0 ACU', { engine: AURORA, minCapacity: 1, autoPauseAfter: Duration.minutes(10) }, '`autoPauseAfter` must be left out unless `minCapacity` is 0'],
    ['an RDS prop with Aurora', { engine: AURORA, instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO) }, "`instanceType` does not apply to engine 'aurora-serverless-v2'"],
    ['an Aurora prop with RDS', { minCapacity: 1 }, "`minCapacity` does not apply to engine 'rds'"],
    ['a bad database name', { databaseName: '1app' }, '`databaseName` must be a letter followed by up to 62 letters, digits or underscores'],
    ['a slow statement threshold of a fraction of a millisecond', { slowStatementThreshold: Duration.millis(0.5) }, '`slowStatementThreshold (milliseconds)` must be an integer between 0 and 2147483647, got: 0.5'],
    ['a port below the range RDS allows', { port: 1024 }, '`port` must be an integer between 1150 and 65535, got: 1024'],
    ['a port above 65535', { port: 70000 }, '`port` must be an integer between 1150 and 65535, got: 70000'],
    ['a fractional port', { port: 5432.5 }, '`port` must be an integer between 1150 and 65535, got: 5432.5'],
    ['a monitoring interval RDS does not offer', { monitoringInterval: Duration.seconds(20) }, '`monitoringInterval` must be one of 0 (off), 1, 5, 10, 15, 30 or 60 seconds, got: \'20 seconds\''],
    ['a monitoring interval of two minutes', { monitoringInterval: Duration.minutes(2) }, '`monitoringInterval` must be one of 0 (off), 1, 5, 10, 15, 30 or 60 seconds, got: \'120 seconds\''],
    ['a slow statement threshold beyond what PostgreSQL stores', { slowStatementThreshold: Duration.days(30) }, '`slowStatementThreshold (milliseconds)` must be an integer between 0 and 2147483647, got: 2592000000'],
  ])('rejects %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('rejects a network with data subnets in one AZ', () => {
    const s = stack();
    const network = new Network(s, 'Net', { maxAzs: 1 });
    expect(() => new PostgresDatabase(s, 'Db', { network })).toThrow('`network` must have data subnets in at least 2 Availability Zones (a DB subnet group needs 2), got: 1');
  });

  test('rejects an Aurora engine with a version Aurora does not offer', () => {
    const s = stack();
    const network = new Network(s, 'Net');
    const rdsOnly = PostgresVersion.of('18', PostgresVersion.V17.rdsVersion);
    expect(() => new PostgresDatabase(s, 'Db', { network, engine: AURORA, version: rdsOnly })).toThrow('`version` must be a version Aurora PostgreSQL offers');
  });
});

describe('PostgresDatabase compliance', () => {
  test.each([
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION],
    ['highly available production', Profile.HIGHLY_AVAILABLE_PRODUCTION],
  ])('RDS is compliant in %s, with and without a replica', (_name, profile) => {
    expectCompliant(build({ profile }).s);
    expectCompliant(build({ profile, readReplica: true }).s);
  });

  test.each([
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION],
    ['highly available production', Profile.HIGHLY_AVAILABLE_PRODUCTION],
  ])('Aurora is compliant in %s', (_name, profile) => {
    expectCompliant(build({ profile, engine: AURORA }).s);
  });

  test('rotation, a customer key and a break-glass host stay compliant', () => {
    const s = stack();
    const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
    const network = new Network(s, 'Net', { egress: Egress.natInstance() });
    new PostgresDatabase(s, 'Db', { network, encryptionKey: key, rotateSecretAfter: Duration.days(30), breakGlassHost: true, readReplica: true });
    expectCompliant(s);
  });

  test.each([PostgresEngineKind.RDS, AURORA])('another port on %s stays compliant (the replica names no engine: acknowledged with its real port)', (engine) => {
    expectCompliant(build({ engine, port: 6543, readReplica: engine === PostgresEngineKind.RDS }).s);
  });

  test.each([PostgresEngineKind.RDS, AURORA])('enhanced monitoring on %s stays compliant, and its role is acknowledged only for its managed policy', (engine) => {
    expectCompliant(build({ engine, monitoringInterval: Duration.seconds(60), readReplica: engine === PostgresEngineKind.RDS }).s);
  });
});
