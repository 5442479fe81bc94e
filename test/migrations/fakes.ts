import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { IMonolithService, INetwork, IPostgresDatabase, PostgresEngineKind, Profile } from '../../src/core';
import { Egress } from '../../src/network/egress';

/** A plain VPC: public + private-with-egress subnets when NAT, public + isolated otherwise. */
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

export interface FakeNetworkOptions {
  readonly egress?: Egress;
  readonly endpoints?: string[];
  /** Add an S3 gateway endpoint to the VPC. */
  readonly s3Gateway?: boolean;
  readonly vpc?: ec2.Vpc;
}

export class FakeNetwork extends Construct implements INetwork {
  public readonly vpc: ec2.Vpc;
  public readonly egress: Egress;
  public readonly interfaceEndpointServices: string[];
  constructor(scope: Construct, id: string, options: FakeNetworkOptions = {}) {
    super(scope, id);
    this.egress = options.egress ?? Egress.natGateway();
    this.vpc = options.vpc ?? plainVpc(this, 'Vpc', this.egress.hasNat);
    this.interfaceEndpointServices = options.endpoints ?? [];
    if (options.s3Gateway) this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  }
}

export interface FakeDatabaseOptions {
  /** Create a real RDS instance (for snapshot and VPC checks). */
  readonly withInstance?: boolean;
}

export class FakeDatabase extends Construct implements IPostgresDatabase {
  public readonly engineKind = PostgresEngineKind.RDS;
  public readonly secret: secretsmanager.ISecret;
  public readonly endpointAddress: string;
  public readonly port = 5432;
  public readonly databaseName = 'app';
  public readonly instance?: rds.DatabaseInstance;
  public readonly profile = Profile.COST_CONSCIOUS_PRODUCTION;
  public readonly connections: ec2.Connections;
  public readonly securityGroup: ec2.SecurityGroup;
  constructor(scope: Construct, id: string, vpc: ec2.IVpc, options: FakeDatabaseOptions = {}) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'Sg', { vpc, allowAllOutbound: false });
    if (options.withInstance) {
      this.instance = new rds.DatabaseInstance(this, 'Instance', {
        engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
        vpc,
        vpcSubnets: { subnets: [...vpc.privateSubnets, ...vpc.isolatedSubnets] },
        securityGroups: [this.securityGroup],
        databaseName: 'app',
      });
      this.secret = this.instance.secret!;
      this.endpointAddress = this.instance.dbInstanceEndpointAddress;
    } else {
      this.secret = new secretsmanager.Secret(this, 'Secret');
      this.endpointAddress = 'db.example.internal';
    }
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(5432) });
  }
  public allowFrom(peer: ec2.IConnectable, description?: string): void {
    this.connections.allowFrom(peer, ec2.Port.tcp(this.port), description);
  }
}

export class FakeService extends Construct implements IMonolithService {
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly containerName = 'app';
  public readonly logGroup: logs.ILogGroup;
  public readonly targetGroups: elbv2.IApplicationTargetGroup[] = [];
  public readonly imageRepository?: ecr.IRepository;
  public readonly url = 'https://api.example.com';
  public readonly profile = Profile.COST_CONSCIOUS_PRODUCTION;
  public readonly connections: ec2.Connections;
  constructor(scope: Construct, id: string, vpc: ec2.IVpc) {
    super(scope, id);
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task');
    this.logGroup = new logs.LogGroup(this, 'Logs');
    this.taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app', logGroup: this.logGroup }) });
    this.service = new ecs.FargateService(this, 'Service', { cluster: this.cluster, taskDefinition: this.taskDefinition, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, assignPublicIp: true });
    this.connections = this.service.connections;
  }
}

export function testStack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
}
