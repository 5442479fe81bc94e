import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { IMigrationRunner, IMonolithService, IPostgresDatabase, IStaticSite, PostgresEngineKind } from '../../src/core/contracts';
import { Profile } from '../../src/core/profile';

export const ENV = { account: '111111111111', region: 'eu-west-1' };

/** An app with a stack for the watched constructs and one for monitoring. */
export function stacks(region = ENV.region): { app: App; workload: Stack; monitoring: Stack } {
  const app = new App();
  const env = { account: ENV.account, region };
  return { app, workload: new Stack(app, 'Workload', { env }), monitoring: new Stack(app, 'Monitoring', { env }) };
}

export type FrontDoorKind = 'http-api' | 'alb' | 'both' | 'none';

export interface FakeServiceOptions {
  readonly frontDoor?: FrontDoorKind;
  readonly sidecar?: boolean;
  readonly profile?: Profile;
  readonly retention?: logs.RetentionDays;
}

/** A service built from real L2s, implementing the contract. */
export class FakeService extends Construct implements IMonolithService {
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly containerName = 'app';
  public readonly logGroup: logs.LogGroup;
  public readonly httpApi?: apigwv2.HttpApi;
  public readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  public readonly targetGroups: elbv2.IApplicationTargetGroup[] = [];
  public readonly url = 'https://api.example.com';
  public readonly profile: Profile;
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, vpc: ec2.IVpc, options: FakeServiceOptions = {}) {
    super(scope, id);
    const door = options.frontDoor ?? 'http-api';
    this.profile = options.profile ?? Profile.COST_CONSCIOUS_PRODUCTION;
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: options.retention ?? logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task');
    this.taskDefinition.addContainer(this.containerName, {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'),
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'app' }),
      portMappings: [{ containerPort: 8080 }],
    });
    if (options.sidecar) {
      this.taskDefinition.addContainer('otel-collector', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3'),
        essential: false,
      });
    }
    this.service = new ecs.FargateService(this, 'Service', { cluster: this.cluster, taskDefinition: this.taskDefinition });
    this.connections = this.service.connections;
    if (door === 'http-api' || door === 'both') this.httpApi = new apigwv2.HttpApi(this, 'Api');
    if (door === 'alb' || door === 'both') {
      this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: door === 'alb' });
      const listener = this.loadBalancer.addListener('Http', { port: 80, open: false });
      const group = listener.addTargets('App', { port: 8080, targets: [this.service], healthCheck: { path: '/health' } });
      this.targetGroups.push(group);
    }
  }
}

/** A database built from real L2s, implementing the contract. */
export class FakeDatabase extends Construct implements IPostgresDatabase {
  public readonly engineKind: PostgresEngineKind;
  public readonly secret: secretsmanager.ISecret;
  public readonly endpointAddress: string;
  public readonly port = 5432;
  public readonly databaseName = 'app';
  public readonly instance?: rds.DatabaseInstance;
  public readonly cluster?: rds.DatabaseCluster;
  public readonly profile = Profile.COST_CONSCIOUS_PRODUCTION;
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, vpc: ec2.IVpc, kind: 'rds' | 'aurora' | 'aurora-with-reader' | 'none' = 'rds') {
    super(scope, id);
    const vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    if (kind === 'rds') {
      this.engineKind = PostgresEngineKind.RDS;
      this.instance = new rds.DatabaseInstance(this, 'Instance', {
        engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
        vpc,
        vpcSubnets,
        storageEncrypted: true,
      });
      this.secret = this.instance.secret!;
      this.endpointAddress = this.instance.dbInstanceEndpointAddress;
      this.connections = this.instance.connections;
    } else if (kind === 'aurora' || kind === 'aurora-with-reader') {
      this.engineKind = PostgresEngineKind.AURORA_SERVERLESS_V2;
      this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        writer: rds.ClusterInstance.serverlessV2('Writer'),
        readers: kind === 'aurora-with-reader' ? [rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true })] : [],
        vpc,
        vpcSubnets,
      });
      this.secret = this.cluster.secret!;
      this.endpointAddress = this.cluster.clusterEndpoint.hostname;
      this.connections = this.cluster.connections;
    } else {
      this.engineKind = PostgresEngineKind.RDS;
      this.secret = new secretsmanager.Secret(this, 'Secret');
      this.endpointAddress = 'db.example.com';
      this.connections = new ec2.Connections();
    }
  }

  public allowFrom(peer: ec2.IConnectable): void {
    this.connections.allowDefaultPortFrom(peer);
  }
}

/** A static site built from real L2s. */
export class FakeSite extends Construct implements IStaticSite {
  public readonly bucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket');
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket) },
    });
  }
}

/** A migration runner built from a real CodeBuild project. */
export class FakeRunner extends Construct implements IMigrationRunner {
  public readonly project: codebuild.Project;

  constructor(scope: Construct, id: string, neverExpiringLogs = false) {
    super(scope, id);
    const logGroup = neverExpiringLogs ? new logs.LogGroup(this, 'BuildLogs', { retention: logs.RetentionDays.INFINITE }) : undefined;
    this.project = new codebuild.Project(this, 'Project', {
      buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['echo migrate'] } } }),
      timeout: Duration.minutes(30),
      logging: logGroup ? { cloudWatch: { logGroup } } : undefined,
    });
  }
}

/** The workload: a VPC and one of each watched construct. */
export function workload(stack: Stack, options: FakeServiceOptions & { database?: 'rds' | 'aurora' | 'aurora-with-reader' | 'none' } = {}) {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    maxAzs: 2,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  return {
    vpc,
    service: new FakeService(stack, 'Api', vpc, options),
    database: new FakeDatabase(stack, 'Db', vpc, options.database ?? 'rds'),
    site: new FakeSite(stack, 'Site'),
    runner: new FakeRunner(stack, 'Migrations'),
  };
}
