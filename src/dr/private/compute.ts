import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { copyContainers } from './containers';
import { moduleId } from './front-door';
import { createDrLogGroup } from './logs';
import { IMonolithService } from '../../core/contracts';
import { Profile } from '../../core/profile';
import { Egress } from '../../network/egress';
import { Network } from '../../network/network';
import { acknowledge, NAG } from '../../private/nag';
import { ModularMonolithService } from '../../service/modular-monolith-service';

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
  /** The standby of each split module of the primary, by module name. */
  readonly modules: { [module: string]: StandbyModule };
}

/** A split module's standby: its task definition (a copy of the module's) and service at zero tasks. */
export interface StandbyModule {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;
  /** The module's application container (named after the module). */
  readonly container: ecs.ContainerDefinition;
}

/**
 * The pilot light: the primary's task definitions (the main service's and each split module's)
 * copied with the replicated image, each as a service at zero running tasks.
 */
export function createDrService(scope: Construct, options: DrServiceOptions): DrService {
  const { primary, profile } = options;
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
  const logGroup = createDrLogGroup(scope, 'Logs', profile, 'CloudWatch Logs encrypts at rest with its own key; a customer key would add 1 USD a month per region.');
  const secrets: { [key: string]: ecs.Secret } = {};
  if (options.databaseSecret) {
    secrets.PGUSER = ecs.Secret.fromSecretsManager(options.databaseSecret, 'username');
    secrets.PGPASSWORD = ecs.Secret.fromSecretsManager(options.databaseSecret, 'password');
  }
  const copy: StandbyTaskOptions = {
    logGroup,
    secrets,
    environment: {
      ...options.environment,
      // the replica's endpoint is also the promoted database's endpoint
      PGHOST: options.databaseHost,
      PGPORT: String(options.databasePort),
      PGDATABASE: options.databaseName,
    },
  };
  const main = createStandbyTask(scope, primary.taskDefinition, primary.containerName, options.image, copy);
  const service = createStandbyFargate(scope, cluster, main, options.vpc, 'Pilot-light DR service: no inbound until a front door admits itself');
  const modules: { [module: string]: StandbyModule } = {};
  for (const [module, primaryModule] of Object.entries(splitModulesOf(primary))) {
    const group = new Construct(scope, `Module${moduleId(module)}`);
    // the module runs the monolith's image unless it was split with an image of its own
    const sameImage = imageOf(primaryModule.taskDefinition, module) === imageOf(primary.taskDefinition, primary.containerName);
    const taskDefinition = createStandbyTask(group, primaryModule.taskDefinition, module, sameImage ? options.image : undefined, { ...copy, streamPrefix: `dr-${module}` });
    const moduleService = createStandbyFargate(group, cluster, taskDefinition, options.vpc, `Pilot-light DR service of the ${module} module`);
    modules[module] = { taskDefinition, service: moduleService, container: taskDefinition.findContainer(module) ?? taskDefinition.defaultContainer! };
  }
  // the services call each other as the primary's do (through Cloud Map), on the application port
  const port = main.findContainer(primary.containerName)?.portMappings[0]?.containerPort;
  const services = [service, ...Object.values(modules).map((m) => m.service)];
  for (const target of services) {
    for (const caller of services) {
      if (caller !== target && port) target.connections.allowFrom(caller, ec2.Port.tcp(port), 'Standby services call each other');
    }
  }
  return { cluster, taskDefinition: main, service, logGroup, modules };
}

/** The primary's split module services, by module name (a `ModularMonolithService` has them). */
export function splitModulesOf(primary: IMonolithService): { [module: string]: ecs.FargateService } {
  return primary instanceof ModularMonolithService ? primary.moduleServices : {};
}

/** A container's image reference as rendered in its stack, for comparing two containers' images. */
function imageOf(taskDefinition: ecs.TaskDefinition, containerName: string): string {
  const container = taskDefinition.findContainer(containerName);
  return container ? JSON.stringify(Stack.of(taskDefinition).resolve(container.imageName)) : '';
}

interface StandbyTaskOptions {
  readonly logGroup: logs.LogGroup;
  readonly environment: { [key: string]: string };
  readonly secrets: { [key: string]: ecs.Secret };
  readonly streamPrefix?: string;
}

/** A copy of a primary task definition (shape, architecture, containers) running `appImage` in its application container. */
function createStandbyTask(
  scope: Construct, primary: ecs.TaskDefinition, appContainerName: string, appImage: ecs.ContainerImage | undefined, options: StandbyTaskOptions,
): ecs.FargateTaskDefinition {
  const primaryCfn = primary.node.defaultChild as ecs.CfnTaskDefinition;
  const platform = primaryCfn.runtimePlatform as ecs.CfnTaskDefinition.RuntimePlatformProperty | undefined;
  const fargate = primary as ecs.FargateTaskDefinition;
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: fargate.cpu,
    memoryLimitMiB: fargate.memoryMiB,
    runtimePlatform: platform && typeof platform === 'object' ? {
      cpuArchitecture: platform.cpuArchitecture ? ecs.CpuArchitecture.of(platform.cpuArchitecture) : undefined,
      operatingSystemFamily: platform.operatingSystemFamily ? ecs.OperatingSystemFamily.of(platform.operatingSystemFamily) : undefined,
    } : undefined,
  });
  copyContainers(scope, taskDefinition, {
    primary,
    appContainerName,
    appImage,
    logGroup: options.logGroup,
    appStreamPrefix: options.streamPrefix,
    environment: options.environment,
    secrets: options.secrets,
    drRegion: Stack.of(scope).region,
  });
  acknowledge(taskDefinition, { ids: [NAG.wildcardResource[0]], reason: 'ecr:GetAuthorizationToken, which every image pull needs, supports no resource-level permission.' });
  acknowledge(taskDefinition, { ids: [...NAG.inlinePolicy], reason: 'The task roles\' policies belong to them alone and are created and deleted with the task definition.' });
  acknowledge(taskDefinition, {
    ids: ['AwsSolutions-ECS2'],
    reason: 'The environment copies the primary\'s plain settings and the database host, port and name; credentials come from Secrets Manager replicas.',
  });
  return taskDefinition;
}

/** A service at zero tasks in the public subnets with public IPs (no NAT gateway), admitting nothing until a front door does. */
function createStandbyFargate(
  scope: Construct, cluster: ecs.ICluster, taskDefinition: ecs.FargateTaskDefinition, vpc: ec2.IVpc, description: string,
): ecs.FargateService {
  const securityGroup = new ec2.SecurityGroup(scope, 'ServiceSecurityGroup', { vpc, description, allowAllOutbound: true });
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
  acknowledge(service.node.defaultChild as ecs.CfnService, {
    ids: ['HIPAA.Security-ECSServiceAssignPublicIpDisabled', 'NIST.800.53.R5-ECSServiceAssignPublicIpDisabled'],
    reason: 'Public IPs replace a NAT gateway (about 33 USD a month) for a service that is idle until failover; no inbound rule admits traffic.',
  });
  return service;
}
