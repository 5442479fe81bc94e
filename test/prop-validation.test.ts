import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FakeDatabase, FakeNetwork, plainVpc, testStack } from './helpers/fakes';
import { PostgresEngineKind, Profile } from '../src/core';
import { PriceList } from '../src/cost';
import { BreakGlassHost, PostgresDatabase } from '../src/database';
import { MigrationProject, MigrationSource, PrivateMigrationPipeline } from '../src/migrations';
import { Egress, Network } from '../src/network';
import { BudgetAlerts, ObservabilityStack } from '../src/observability';
import { FrontDoor, ModularMonolithService, ServiceCache, ServiceImage } from '../src/service';

// Bad values a new user tries, each refused at synth with our prop's name first. One rule a test.

const IMAGE = ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.0');
const RETENTIONS = '1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days, or RetentionDays.INFINITE';
/** A retention a JavaScript user (or a cast) can pass, and CloudWatch Logs does not offer. */
const NOT_OFFERED = 42 as logs.RetentionDays;

function setup() {
  const stack = testStack();
  // No NAT; the endpoints a migration build needs.
  const network = new FakeNetwork(stack, 'Net', { egress: Egress.none(), endpoints: ['logs', 'secretsmanager'], s3Gateway: true });
  return { stack, network, database: new FakeDatabase(stack, 'Db', network.vpc) };
}

/** A network with NAT, so that migration builds reach their public tool image. */
function natSetup() {
  const stack = testStack();
  const network = new FakeNetwork(stack, 'Net');
  return { stack, network, database: new FakeDatabase(stack, 'Db', network.vpc) };
}

describe('log retention given as a number CloudWatch Logs does not offer', () => {
  test('ModularMonolithService.logRetention', () => {
    const { stack, network } = setup();
    expect(() => new ModularMonolithService(stack, 'Api', { network, image: IMAGE, logRetention: NOT_OFFERED }))
      .toThrow(`\`logRetention\` must be a retention CloudWatch Logs offers (RetentionDays): one of ${RETENTIONS}, got: 42`);
  });

  test('ModularMonolithService frontDoor.accessLogRetention', () => {
    const { stack, network } = setup();
    expect(() => new ModularMonolithService(stack, 'Api', { network, image: IMAGE, frontDoor: FrontDoor.httpApiCloudMap({ accessLogRetention: NOT_OFFERED }) }))
      .toThrow('`frontDoor.accessLogRetention` must be a retention CloudWatch Logs offers');
  });

  test('PostgresDatabase.logRetention', () => {
    const { stack, network } = setup();
    expect(() => new PostgresDatabase(stack, 'Pg', { network, logRetention: NOT_OFFERED })).toThrow('`logRetention` must be a retention CloudWatch Logs offers');
  });

  test('MigrationProject.logRetention and PrivateMigrationPipeline.logRetention', () => {
    const { stack, network, database } = natSetup();
    expect(() => new MigrationProject(stack, 'Mig', { network, database, logRetention: NOT_OFFERED })).toThrow('`logRetention` must be a retention CloudWatch Logs offers');
  });
});

describe('names AWS restricts', () => {
  test('ModularMonolithService.namespaceName: a DNS name', () => {
    const { stack, network } = setup();
    expect(() => new ModularMonolithService(stack, 'Api', { network, image: IMAGE, namespaceName: 'My App.internal' }))
      .toThrow('`namespaceName` must be 1 to 253 characters of a DNS name: dot-separated labels of lower-case letters, digits and "-" (1 to 63 characters, no "-" at either end), got: \'My App.internal\'');
  });

  test('MigrationProject.projectName: CodeBuild\'s pattern', () => {
    const { stack, network, database } = natSetup();
    expect(() => new MigrationProject(stack, 'Mig', { network, database, projectName: 'db migrations!' }))
      .toThrow('`projectName` must be 2 to 255 characters of a letter or digit, then letters, digits, "_" and "-", got: \'db migrations!\'');
  });

  test('PrivateMigrationPipeline.pipelineName: CodePipeline\'s pattern', () => {
    const { stack, network, database } = natSetup();
    const source = MigrationSource.s3({ bucket: new s3.Bucket(stack, 'B'), objectKey: 'migrations.zip' });
    expect(() => new PrivateMigrationPipeline(stack, 'P', { network, database, source, pipelineName: 'db migrations' }))
      .toThrow('`pipelineName` must be 1 to 100 characters of letters, digits, ".", "@", "_" and "-", got: \'db migrations\'');
  });

  test('ObservabilityStack.dashboardName: CloudWatch\'s pattern', () => {
    expect(() => new ObservabilityStack(testStack(), 'Obs', { dashboardName: 'My dashboard' }))
      .toThrow('`dashboardName` must be 1 to 255 characters of letters, digits, "_" and "-", got: \'My dashboard\'');
  });

  test('BudgetAlerts.budgetName: no ":" or "\\"', () => {
    const stack = testStack();
    expect(() => new BudgetAlerts(stack, 'Budget', { topic: new sns.Topic(stack, 'T'), monthlyLimitUsd: 10, budgetName: 'team:app' }))
      .toThrow('`budgetName` must be 1 to 100 characters of characters other than ":" and "\\", got: \'team:app\'');
  });
});

test('PrivateMigrationPipeline source.connectionArn must be a connection ARN', () => {
  const { stack, network, database } = natSetup();
  const source = MigrationSource.codeStarConnection({ connectionArn: 'my-github-connection', owner: 'acme', repo: 'db' });
  expect(() => new PrivateMigrationPipeline(stack, 'P', { network, database, source }))
    .toThrow('`source.connectionArn` must be the ARN of an AWS CodeConnections (or CodeStar Connections) connection, arn:aws:codeconnections:<region>:<account>:connection/<id>, got: \'my-github-connection\'');
});

describe('PostgresDatabase', () => {
  test('readReplica with backups off in development', () => {
    const { stack, network } = setup();
    expect(() => new PostgresDatabase(stack, 'Pg', { network, profile: Profile.DEVELOPMENT, engine: PostgresEngineKind.RDS, readReplica: true, backupRetention: Duration.days(0) }))
      .toThrow('`readReplica` must be false when `backupRetention` is 0 days (a read replica needs a source with automated backups), got: true');
  });

  test('rotateSecretAfter over 1000 days', () => {
    const stack = testStack();
    const network = new FakeNetwork(stack, 'Net');
    expect(() => new PostgresDatabase(stack, 'Pg', { network, rotateSecretAfter: Duration.days(1001) }))
      .toThrow('`rotateSecretAfter` must be a duration from 4 hours to 1000 days (what Secrets Manager rotation accepts), got: \'1001 days\'');
  });
});

test('BreakGlassHost.database in another VPC than the host', () => {
  const stack = testStack();
  const network = new FakeNetwork(stack, 'Net', { endpoints: ['ssm', 'ssmmessages'], egress: Egress.none() });
  const other = new FakeDatabase(stack, 'Db', plainVpc(stack, 'OtherVpc', false), { backing: 'rds' });
  expect(() => new BreakGlassHost(stack, 'Host', { network, database: other }))
    .toThrow('`database` must be a database in the host\'s VPC (`network`: S/Net/Vpc), but it is in S/OtherVpc, got: \'S/Db\'');
});

test('Network.cidr with an octet over 255', () => {
  expect(() => new Network(testStack(), 'Net', { cidr: '10.300.0.0/16' }))
    .toThrow('`cidr` must be an IPv4 CIDR block from /16 to /18 with octets from 0 to 255 (e.g. \'10.0.0.0/16\'), got: \'10.300.0.0/16\'');
});

describe('subnets a network does not have (aws-cdk-lib\'s error, our prop first)', () => {
  test('ModularMonolithService.taskSubnets: private subnets on a network without NAT', () => {
    const { stack, network } = setup();
    expect(() => new ModularMonolithService(stack, 'Api', { network, image: IMAGE, taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }))
      .toThrow(/`taskSubnets` cannot be used, got: 'Private': There are no 'Private' subnet groups in this VPC/);
  });

  test('MigrationProject.subnetSelection and PrivateMigrationPipeline.subnetSelection', () => {
    const { stack, network, database } = natSetup();
    expect(() => new MigrationProject(stack, 'Mig', { network, database, subnetSelection: { subnetGroupName: 'data' } }))
      .toThrow(/`subnetSelection` cannot be used, got: \{"subnetGroupName":"data"\}: There are no subnet groups with name 'data' in this VPC/);
  });

  test('ServiceCache.subnets', () => {
    const { stack, network } = setup();
    expect(() => new ServiceCache(stack, 'Cache', { vpc: network.vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }))
      .toThrow(/`subnets` cannot be used, got: 'Private'/);
  });
});

describe('PriceList', () => {
  test('a negative price in a map', () => {
    expect(() => PriceList.US_EAST_1_2026_11_21.withOverrides({ rdsInstanceHourly: { 'postgres:db.t4g.small': -0.03 } }))
      .toThrow('`rdsInstanceHourly.postgres:db.t4g.small` must be a number of at least 0, got: -0.03');
  });

  test('zero hours in a month', () => {
    expect(() => PriceList.US_EAST_1_2026_11_21.withOverrides({ hoursPerMonth: 0 })).toThrow('`hoursPerMonth` must be a number above 0 and at most 744 (31 days), got: 0');
  });
});
