import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { IPostgresDatabase, PostgresEngineKind, Profile } from '../../src';

/** A stack with a plain 2-AZ VPC: public and isolated subnets, plus private ones with NAT on request. */
export function stackWithVpc(options: { nat?: boolean } = {}): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const subnetConfiguration: ec2.SubnetConfiguration[] = [
    { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
    { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
  ];
  if (options.nat) subnetConfiguration.push({ name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: options.nat ? 1 : 0,
    subnetConfiguration,
  });
  // The VPC is test scaffolding (the Network construct is tested elsewhere): its findings are not ours.
  Validations.of(vpc).acknowledge(...[
    'AwsSolutions-VPC7',
    'HIPAA.Security-VPCDefaultSecurityGroupClosed',
    'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
    'HIPAA.Security-VPCFlowLogsEnabled',
    'NIST.800.53.R5-VPCFlowLogsEnabled',
    'HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
    'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
    'HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled',
    'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled',
  ].map((rule) => ({ id: rule, reason: 'Test scaffolding VPC.' })));
  return { app, stack, vpc };
}

/** A database double with a real credentials secret, so that the service is tested on its own. */
export class FakeDatabase extends Construct implements IPostgresDatabase {
  public readonly engineKind = PostgresEngineKind.RDS;
  public readonly secret: secretsmanager.ISecret;
  public readonly endpointAddress = 'db.example.internal';
  public readonly port = 5432;
  public readonly databaseName = 'app';
  public readonly profile = Profile.COST_CONSCIOUS_PRODUCTION;
  public readonly connections: ec2.Connections;
  public readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, vpc: ec2.IVpc) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, allowAllOutbound: false });
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(5432) });
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'app' }), generateStringKey: 'password', excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge(...[
      'AwsSolutions-SMG4',
      'HIPAA.Security-SecretsManagerRotationEnabled',
      'NIST.800.53.R5-SecretsManagerRotationEnabled',
      'HIPAA.Security-SecretsManagerUsingKMSKey',
      'NIST.800.53.R5-SecretsManagerUsingKMSKey',
    ].map((rule) => ({ id: rule, reason: 'Test double.' })));
  }

  public allowFrom(peer: ec2.IConnectable, description?: string): void {
    this.connections.allowDefaultPortFrom(peer, description);
  }
}

/** A public image, so that tests need no Docker. */
export const IMAGE = 'public.ecr.aws/acme/api:1.0';

/** The fields of a synthesized ECS container definition that the service tests read. */
export interface ContainerDefinitionJson {
  readonly Name: string;
  readonly Image?: unknown;
  readonly Command?: string[];
  readonly Essential?: boolean;
  readonly User?: string;
  readonly StopTimeout?: number;
  readonly ReadonlyRootFilesystem?: boolean;
  readonly LinuxParameters?: unknown;
  readonly MountPoints?: unknown[];
  readonly DependsOn?: unknown[];
  readonly Environment?: Array<{ Name: string; Value: string }>;
  readonly Secrets?: Array<{ Name: string; ValueFrom: unknown }>;
}

/** The fields of a synthesized ECS task definition that the service tests read. */
export interface TaskDefinitionJson {
  readonly ContainerDefinitions: ContainerDefinitionJson[];
}

/**
 * Every resource of a type in a template, as `[logicalId, properties]`. `P` describes the
 * properties the caller reads; it is not checked against the template.
 */
export function propertiesOf<P = { [prop: string]: unknown }>(template: Pick<Template, 'findResources'>, type: string): Array<[string, P]> {
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, (r.Properties ?? {}) as P]);
}
