import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

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
