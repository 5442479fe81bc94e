// Test doubles of the library's contracts (INetwork, IPostgresDatabase, IMonolithService,
// IStaticSite, IMigrationRunner), made of real L2 resources so that the construct under test wires
// itself to real tokens. One copy for every test folder; where families need different doubles,
// an option says so.
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { IMigrationRunner, IMonolithService, INetwork, IPostgresDatabase, IStaticSite, PostgresEngineKind } from '../../src/core/contracts';
import { Profile } from '../../src/core/profile';
import { Egress } from '../../src/network/egress';
import { FrontDoorKind } from '../../src/service/front-door';

/** The account and region the test stacks use unless a test needs another region. */
export const ENV = { account: '111111111111', region: 'eu-west-1' };

/** A stack in `ENV`, in an app of its own. */
export function testStack(id = 'S', region = ENV.region): Stack {
  return new Stack(new App(), id, { env: { account: ENV.account, region } });
}

/** A plain 2-AZ VPC: public subnets, plus private subnets with egress when `nat`, isolated ones otherwise. */
export function plainVpc(scope: Construct, id: string, nat: boolean): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: nat ? 1 : 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: nat ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

/** Options of a `FakeNetwork`. */
export interface FakeNetworkOptions {
  /** @default Egress.natGateway() */
  readonly egress?: Egress;
  /** The interface endpoints the network reports. @default - none */
  readonly endpoints?: string[];
  /** Add an S3 gateway endpoint to the VPC. */
  readonly s3Gateway?: boolean;
  /** Bring a VPC instead of a `plainVpc`. */
  readonly vpc?: ec2.IVpc;
}

/** An INetwork: a VPC and what it reports about egress and interface endpoints. */
export class FakeNetwork extends Construct implements INetwork {
  public readonly vpc: ec2.IVpc;
  public readonly egress: Egress;
  public readonly interfaceEndpointServices: string[];

  constructor(scope: Construct, id: string, options: FakeNetworkOptions = {}) {
    super(scope, id);
    this.egress = options.egress ?? Egress.natGateway();
    const vpc = options.vpc ?? plainVpc(this, 'Vpc', this.egress.hasNat);
    this.vpc = vpc;
    this.interfaceEndpointServices = options.endpoints ?? [];
    if (options.s3Gateway) vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  }
}

/** What stands behind a `FakeDatabase`. */
export type FakeDatabaseBacking = 'secret-only' | 'rds' | 'aurora' | 'aurora-with-reader';

/** Options of a `FakeDatabase`. */
export interface FakeDatabaseOptions {
  /** A real RDS instance or Aurora cluster, or only a credentials secret and a security group. @default 'secret-only' */
  readonly backing?: FakeDatabaseBacking;
  /** The engine it reports. @default - Aurora Serverless v2 for the Aurora backings, RDS otherwise */
  readonly engineKind?: PostgresEngineKind;
  /** Report an imported secret instead of the database's own. */
  readonly importedSecret?: boolean;
}

const TEST_SECRET_RULES = [
  'AwsSolutions-SMG4',
  'HIPAA.Security-SecretsManagerRotationEnabled',
  'NIST.800.53.R5-SecretsManagerRotationEnabled',
  'HIPAA.Security-SecretsManagerUsingKMSKey',
  'NIST.800.53.R5-SecretsManagerUsingKMSKey',
];

/** An IPostgresDatabase. */
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
  public readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, vpc: ec2.IVpc, options: FakeDatabaseOptions = {}) {
    super(scope, id);
    const backing = options.backing ?? 'secret-only';
    const aurora = backing === 'aurora' || backing === 'aurora-with-reader';
    this.engineKind = options.engineKind ?? (aurora ? PostgresEngineKind.AURORA_SERVERLESS_V2 : PostgresEngineKind.RDS);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, allowAllOutbound: false });
    const securityGroups = [this.securityGroup];
    const vpcSubnets = { subnets: [...vpc.privateSubnets, ...vpc.isolatedSubnets] };
    let secret: secretsmanager.ISecret;
    if (backing === 'rds') {
      this.instance = new rds.DatabaseInstance(this, 'Instance', {
        engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
        vpc,
        vpcSubnets,
        securityGroups,
        databaseName: 'app',
        storageEncrypted: true,
      });
      secret = this.instance.secret!;
      this.endpointAddress = this.instance.dbInstanceEndpointAddress;
    } else if (aurora) {
      this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        writer: rds.ClusterInstance.serverlessV2('Writer'),
        readers: backing === 'aurora-with-reader' ? [rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true })] : [],
        vpc,
        vpcSubnets,
        securityGroups,
      });
      secret = this.cluster.secret!;
      this.endpointAddress = this.cluster.clusterEndpoint.hostname;
    } else {
      secret = new secretsmanager.Secret(this, 'Secret', {
        generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'app' }), generateStringKey: 'password', excludePunctuation: true },
      });
      Validations.of(secret).acknowledge(...TEST_SECRET_RULES.map((rule) => ({ id: rule, reason: 'Test double.' })));
      this.endpointAddress = 'db.example.internal';
    }
    this.secret = options.importedSecret ? secretsmanager.Secret.fromSecretNameV2(this, 'Imported', 'app-db') : secret;
    this.connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcp(this.port) });
  }

  public allowFrom(peer: ec2.IConnectable, description?: string): void {
    this.connections.allowDefaultPortFrom(peer, description);
  }
}

/** Options of a `FakeService`. */
export interface FakeServiceOptions {
  /** The front door it reports; undefined for a service without one. @default - none */
  readonly frontDoor?: FrontDoorKind;
  /** Add an OpenTelemetry collector sidecar. */
  readonly sidecar?: boolean;
  /** @default Profile.COST_CONSCIOUS_PRODUCTION */
  readonly profile?: Profile;
  /** The log group's retention. @default logs.RetentionDays.ONE_MONTH */
  readonly retention?: logs.RetentionDays;
  /** Pull the image from an ECR repository of its own (`imageRepository`). */
  readonly withRepository?: boolean;
  /** @default 'https://api.example.com' */
  readonly url?: string;
  /** The task's CPU units. @default 256 */
  readonly cpu?: number;
  /** The task's memory. @default 512 */
  readonly memoryLimitMiB?: number;
  /** The service's desired count. @default - aws-cdk-lib's default (none set) */
  readonly desiredCount?: number;
}

/** An IMonolithService: one Fargate service in the VPC's public subnets. */
export class FakeService extends Construct implements IMonolithService {
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly containerName = 'app';
  public readonly logGroup: logs.LogGroup;
  public readonly httpApi?: apigwv2.HttpApi;
  public readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  public readonly targetGroups: elbv2.IApplicationTargetGroup[] = [];
  public readonly imageRepository?: ecr.IRepository;
  public readonly url: string;
  public readonly profile: Profile;
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, vpc: ec2.IVpc, options: FakeServiceOptions = {}) {
    super(scope, id);
    this.profile = options.profile ?? Profile.COST_CONSCIOUS_PRODUCTION;
    this.url = options.url ?? 'https://api.example.com';
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: options.retention ?? logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: options.cpu,
      memoryLimitMiB: options.memoryLimitMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    if (options.withRepository) this.imageRepository = new ecr.Repository(this, 'Repo');
    this.taskDefinition.addContainer(this.containerName, {
      image: this.imageRepository ? ecs.ContainerImage.fromEcrRepository(this.imageRepository, 'v1') : ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1'),
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'app' }),
      portMappings: [{ containerPort: 8080 }],
    });
    if (options.sidecar) {
      this.taskDefinition.addContainer('otel-collector', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3'),
        essential: false,
      });
    }
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      assignPublicIp: true,
      desiredCount: options.desiredCount,
    });
    this.connections = this.service.connections;
    const door = options.frontDoor;
    if (door === FrontDoorKind.HTTP_API_CLOUD_MAP || door === FrontDoorKind.HTTP_API_INTERNAL_ALB) this.httpApi = new apigwv2.HttpApi(this, 'Api');
    if (door === FrontDoorKind.PUBLIC_ALB || door === FrontDoorKind.HTTP_API_INTERNAL_ALB) {
      this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: door === FrontDoorKind.PUBLIC_ALB });
      const listener = this.loadBalancer.addListener('Http', { port: 80, open: false });
      this.targetGroups.push(listener.addTargets('App', { port: 8080, targets: [this.service], healthCheck: { path: '/health' } }));
    }
  }
}

/** An IStaticSite: a bucket behind a CloudFront distribution. */
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

/** An IMigrationRunner: one CodeBuild project. */
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
