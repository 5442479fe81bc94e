import { App, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { IMonolithService, IPostgresDatabase, PostgresEngineKind } from '../../src/core/contracts';
import { Profile } from '../../src/core/profile';

/** A small IPostgresDatabase made of real L2 resources. */
export class FakeDatabase extends Construct implements IPostgresDatabase {
  public readonly engineKind: PostgresEngineKind;
  public readonly secret: secretsmanager.ISecret;
  public readonly endpointAddress: string;
  public readonly port = 5432;
  public readonly databaseName = 'app';
  public readonly instance?: rds.DatabaseInstance;
  public readonly profile = Profile.COST_CONSCIOUS_PRODUCTION;
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, vpc: ec2.IVpc, options: { engineKind?: PostgresEngineKind; importedSecret?: boolean } = {}) {
    super(scope, id);
    this.engineKind = options.engineKind ?? PostgresEngineKind.RDS;
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      databaseName: 'app',
      storageEncrypted: true,
    });
    this.secret = options.importedSecret
      ? secretsmanager.Secret.fromSecretNameV2(this, 'Imported', 'app-db')
      : this.instance.secret!;
    this.endpointAddress = this.instance.dbInstanceEndpointAddress;
    this.connections = this.instance.connections;
  }

  public allowFrom(peer: ec2.IConnectable): void {
    this.connections.allowDefaultPortFrom(peer);
  }
}

/** A small IMonolithService made of real L2 resources. */
export class FakeService extends Construct implements IMonolithService {
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly containerName = 'app';
  public readonly logGroup: logs.LogGroup;
  public readonly httpApi?: apigwv2.IHttpApi;
  public readonly loadBalancer?: elbv2.IApplicationLoadBalancer;
  public readonly targetGroups: elbv2.IApplicationTargetGroup[] = [];
  public readonly imageRepository?: ecr.IRepository;
  public readonly url: string;
  public readonly profile = Profile.COST_CONSCIOUS_PRODUCTION;
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, vpc: ec2.IVpc, options: { withRepository?: boolean; withAlb?: boolean; url?: string } = {}) {
    super(scope, id);
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.logGroup = new logs.LogGroup(this, 'Logs');
    if (options.withRepository !== false) this.imageRepository = new ecr.Repository(this, 'Repo');
    this.taskDefinition.addContainer('app', {
      image: this.imageRepository ? ecs.ContainerImage.fromEcrRepository(this.imageRepository, 'v1') : ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1'),
      portMappings: [{ containerPort: 8080 }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app', logGroup: this.logGroup }),
    });
    this.service = new ecs.FargateService(this, 'Service', { cluster: this.cluster, taskDefinition: this.taskDefinition, desiredCount: 2 });
    if (options.withAlb) {
      this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: true });
    }
    this.url = options.url ?? 'https://api.example.com';
    this.connections = this.service.connections;
  }
}

export interface Fixture {
  readonly app: App;
  readonly primary: Stack;
  readonly drStack: Stack;
  readonly vpc: ec2.Vpc;
  readonly database: FakeDatabase;
  readonly service: FakeService;
  readonly bucket: s3.Bucket;
}

/** A primary stack in eu-west-1 with the fakes, and a DR stack in eu-central-1. */
export interface FixtureOptions {
  engineKind?: PostgresEngineKind;
  withRepository?: boolean;
  withAlb?: boolean;
  importedSecret?: boolean;
  url?: string;
}

export function fixture(options: FixtureOptions = {}): Fixture {
  const app = new App();
  const primary = new Stack(app, 'Primary', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
  const drStack = new Stack(app, 'Dr', { env: { account: '111111111111', region: 'eu-central-1' }, crossRegionReferences: true });
  const vpc = new ec2.Vpc(primary, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const database = new FakeDatabase(primary, 'Db', vpc, options);
  const service = new FakeService(primary, 'App', vpc, options);
  const bucket = new s3.Bucket(primary, 'Uploads', { versioned: true });
  return { app, primary, drStack, vpc, database, service, bucket };
}
