import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { copyContainers } from './containers';
import { IMonolithService } from '../../core/contracts';
import { Profile } from '../../core/profile';
import { Egress } from '../../network/egress';
import { Network } from '../../network/network';
import { acknowledge, NAG } from '../../private/nag';

/**
 * The DR network: the library's own `Network`, with no egress whatever the profile (nothing billed
 * while idle): the pilot-light tasks run in its public subnets with public IPs until failover, and
 * the replica in its isolated data subnets.
 */
export function createDrNetwork(scope: Construct, profile: Profile): Network {
  return new Network(scope, 'Network', { profile, egress: Egress.none(), maxAzs: 2 });
}

export interface DrServiceOptions {
  readonly vpc: ec2.IVpc;
  readonly primary: IMonolithService;
  readonly image: ecs.ContainerImage;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly databaseName: string;
  readonly databaseSecret?: secretsmanager.ISecret;
  readonly environment: { [key: string]: string };
  readonly profile: Profile;
}

export interface DrService {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;
  readonly logGroup: logs.LogGroup;
}

/**
 * The pilot light: the primary's task shape (CPU, memory, architecture, ports) with the replicated
 * image, at zero running tasks.
 */
export function createDrService(scope: Construct, options: DrServiceOptions): DrService {
  const { primary, profile } = options;
  const primaryCfn = primary.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  const platform = primaryCfn.runtimePlatform as ecs.CfnTaskDefinition.RuntimePlatformProperty | undefined;
  const cluster = new ecs.Cluster(scope, 'Cluster', {
    vpc: options.vpc,
    containerInsightsV2: profile.containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
  });
  if (!profile.containerInsights) {
    acknowledge(cluster, {
      ids: ['AwsSolutions-ECS4'],
      reason: 'Container Insights is billed as custom metrics; the profile turns it on only for highly available production.',
    });
  }
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: primary.taskDefinition.cpu,
    memoryLimitMiB: primary.taskDefinition.memoryMiB,
    runtimePlatform: platform && typeof platform === 'object' ? {
      cpuArchitecture: platform.cpuArchitecture ? ecs.CpuArchitecture.of(platform.cpuArchitecture) : undefined,
      operatingSystemFamily: platform.operatingSystemFamily ? ecs.OperatingSystemFamily.of(platform.operatingSystemFamily) : undefined,
    } : undefined,
  });
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: profile.logRetention,
    removalPolicy: profile.storeRemovalPolicy,
  });
  acknowledge(logGroup, {
    ids: [...NAG.logGroupKms],
    reason: 'CloudWatch Logs encrypts at rest with its own key; a customer key would add 1 USD a month per region.',
  });
  const secrets: { [key: string]: ecs.Secret } = {};
  if (options.databaseSecret) {
    secrets.PGUSER = ecs.Secret.fromSecretsManager(options.databaseSecret, 'username');
    secrets.PGPASSWORD = ecs.Secret.fromSecretsManager(options.databaseSecret, 'password');
  }
  copyContainers(scope, taskDefinition, {
    primary: primary.taskDefinition,
    appContainerName: primary.containerName,
    appImage: options.image,
    logGroup,
    environment: {
      ...options.environment,
      // the replica's endpoint is also the promoted database's endpoint
      PGHOST: options.databaseHost,
      PGPORT: String(options.databasePort),
      PGDATABASE: options.databaseName,
    },
    secrets,
    drRegion: Stack.of(scope).region,
  });
  acknowledge(taskDefinition, { ids: [NAG.wildcardResource[0]], reason: 'ecr:GetAuthorizationToken, which every image pull needs, supports no resource-level permission.' });
  acknowledge(taskDefinition, { ids: [...NAG.inlinePolicy], reason: 'The task roles\' policies belong to them alone and are created and deleted with the task definition.' });
  acknowledge(taskDefinition, {
    ids: ['AwsSolutions-ECS2'],
    reason: 'The environment copies the primary\'s plain settings and the database host, port and name; credentials come from Secrets Manager replicas.',
  });
  const securityGroup = new ec2.SecurityGroup(scope, 'ServiceSecurityGroup', {
    vpc: options.vpc,
    description: 'Pilot-light DR service: no inbound until a front door admits itself',
    allowAllOutbound: true,
  });
  const service = new ecs.FargateService(scope, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: 0,
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    circuitBreaker: { rollback: true },
    // public IPs instead of a NAT gateway: the tasks pull the image and reach AWS APIs directly
    assignPublicIp: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    securityGroups: [securityGroup],
  });
  const serviceCfn = service.node.defaultChild as ecs.CfnService;
  acknowledge(serviceCfn, {
    ids: ['HIPAA.Security-ECSServiceAssignPublicIpDisabled', 'NIST.800.53.R5-ECSServiceAssignPublicIpDisabled'],
    reason: 'Public IPs replace a NAT gateway (about 33 USD a month) for a service that is idle until failover; no inbound rule admits traffic.',
  });
  return { cluster, taskDefinition, service, logGroup };
}
