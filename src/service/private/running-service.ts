import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct, IConstruct } from 'constructs';
import { MAIN_SERVICE_NAME } from './modules';
import { HEALTH_CHECK_PATH, HEALTH_CHECK_PATH_DESCRIBED } from './option-checks';
import { DEFAULT_USER, MonolithSettings } from './settings';
import { checkFargateSize } from './sizing';
import { addTracingSidecar, hardened } from './tracing';
import { Profile } from '../../core/profile';
import { acknowledge, acknowledgeWhile, wildcardOnlyFor } from '../../private/nag';
import { LeanStackValidationError, checkPattern, checkRange } from '../../private/validate';
import type { ModularMonolithServiceProps } from '../modular-monolith-service-props';
import type { ModuleSplit } from '../service-module';

/** What every running service of one monolith shares, created once by the monolith. */
export interface SharedRuntime {
  readonly props: ModularMonolithServiceProps;
  readonly profile: Profile;
  readonly settings: MonolithSettings;
  readonly cluster: ecs.ICluster;
  readonly logGroup: logs.ILogGroup;
  readonly namespace?: servicediscovery.INamespace;
  readonly environment: { [key: string]: string };
  readonly secrets: { [key: string]: ecs.Secret };
}

/** Where a running service stands: the main one, or the split module at `index` of `splitModules`. */
export interface RunningServiceRole {
  readonly split?: ModuleSplit;
  readonly index?: number;
}

/**
 * Variables `ObservabilityStack` sets on the containers it watches (the sampling rate, the
 * collector's configuration) after the service is built: ours too, and nothing secret.
 */
const ADDED_BY_OBSERVABILITY = /^(OTEL_TRACES_SAMPLER_ARG|OTEL_METRICS_EXPORTER|AOT_CONFIG_CONTENT)$/;

/** What the app leaves reserved for the tracing sidecar (which reserves 64 MiB of it). */
const SIDECAR_RESERVATION_MIB = 128;

// Scale out fast, scale in slowly: a small service should not flap between one and two tasks.
const SCALE_OUT_COOLDOWN = Duration.seconds(60);
const SCALE_IN_COOLDOWN = Duration.minutes(5);

/**
 * One running Fargate service of the monolith, the main one or a split module: it resolves and
 * validates its own size, task count and health check path (a split falls back to the monolith's
 * props, then to the defaults), then builds its hardened task definition, security group, service
 * with circuit breaker, and autoscaling in `scope`.
 *
 * It builds into the scope it is given rather than being a construct of its own, because the main
 * service's resources sit directly under the monolith and their logical IDs must not move.
 */
export class RunningService {
  /** The split module's name, or undefined for the main service. */
  public readonly module?: string;
  /** The Cloud Map and trace name: the module's name, or `app`. */
  public readonly name: string;
  public readonly healthCheckPath: string;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly container: ecs.ContainerDefinition;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly service: ecs.FargateService;
  public readonly scaling: ecs.ScalableTaskCount;

  constructor(public readonly scope: Construct, owner: IConstruct, shared: SharedRuntime, role: RunningServiceRole = {}) {
    const { props } = shared;
    const split = role.split;
    const prefix = split ? `splitModules[${role.index}].` : '';
    this.module = split?.module;
    this.name = split?.module ?? MAIN_SERVICE_NAME;

    const cpu = split?.cpu ?? props.cpu ?? 256;
    const memoryLimitMiB = split?.memoryLimitMiB ?? props.memoryLimitMiB ?? 512;
    checkFargateSize(owner, cpu, memoryLimitMiB, prefix);
    const minTasks = split?.minTasks ?? props.minTasks ?? shared.profile.minTasks;
    const maxTasks = split?.maxTasks ?? props.maxTasks ?? shared.profile.maxTasks;
    checkMinMax(owner, prefix, minTasks, maxTasks);
    this.healthCheckPath = split?.healthCheckPath ?? props.healthCheckPath ?? '/';
    checkPattern(owner, `${split?.healthCheckPath !== undefined ? prefix : ''}healthCheckPath`, this.healthCheckPath, HEALTH_CHECK_PATH, HEALTH_CHECK_PATH_DESCRIBED);

    const containerName = split ? split.module : shared.settings.containerName;
    const built = this.createTaskDefinition(shared, { cpu, memoryLimitMiB, containerName }, split);
    this.taskDefinition = built.taskDefinition;
    this.container = built.container;

    this.securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: shared.settings.vpc,
      description: `Tasks of ${scope.node.path}: admit only the front door and sibling modules`,
      // Tasks call AWS APIs, the database and third parties; inbound is what is restricted.
      allowAllOutbound: true,
    });
    this.service = this.createService(shared);
    this.scaling = this.service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: maxTasks });
    this.scaling.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: props.cpuTargetPercent ?? 70,
      scaleInCooldown: SCALE_IN_COOLDOWN,
      scaleOutCooldown: SCALE_OUT_COOLDOWN,
    });
    this.scaling.scaleOnMemoryUtilization('MemoryScaling', {
      targetUtilizationPercent: props.memoryTargetPercent ?? 80,
      scaleInCooldown: SCALE_IN_COOLDOWN,
      scaleOutCooldown: SCALE_OUT_COOLDOWN,
    });
  }

  /** Adds request-count scaling behind the ALB target group that serves this service. */
  public scaleOnRequests(targetGroup: elbv2.ApplicationTargetGroup, requestsPerTarget: number): void {
    this.scaling.scaleOnRequestCount('RequestScaling', {
      requestsPerTarget,
      targetGroup,
      scaleInCooldown: SCALE_IN_COOLDOWN,
      scaleOutCooldown: SCALE_OUT_COOLDOWN,
    });
  }

  private createTaskDefinition(
    shared: SharedRuntime,
    size: { cpu: number; memoryLimitMiB: number; containerName: string },
    split: ModuleSplit | undefined,
  ): { taskDefinition: ecs.FargateTaskDefinition; container: ecs.ContainerDefinition } {
    const { props, settings } = shared;
    const taskDefinition = new ecs.FargateTaskDefinition(this.scope, 'TaskDefinition', {
      cpu: size.cpu,
      memoryLimitMiB: size.memoryLimitMiB,
      runtimePlatform: { cpuArchitecture: settings.architecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const readonlyRootFilesystem = props.readonlyRootFilesystem ?? false;
    const container = taskDefinition.addContainer('App', {
      containerName: size.containerName,
      image: (split?.image ?? props.image)._containerImage(settings.architecture),
      command: split?.command ?? props.command,
      environment: { ...shared.environment, ...split?.environment },
      secrets: { ...shared.secrets, ...split?.secrets },
      portMappings: [{ containerPort: settings.containerPort, name: 'http', protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: shared.logGroup, streamPrefix: size.containerName }),
      user: props.user ?? DEFAULT_USER,
      // The task's memory is the hard cap already; saying so per container lets policies verify it.
      // The reservation leaves the tracing sidecar its share, or the task definition is rejected.
      memoryLimitMiB: size.memoryLimitMiB,
      memoryReservationMiB: size.memoryLimitMiB - ((props.tracing ?? false) ? SIDECAR_RESERVATION_MIB : 0),
      readonlyRootFilesystem,
      stopTimeout: settings.stopTimeout,
      healthCheck: props.containerHealthCheck,
      linuxParameters: hardened(taskDefinition, 'AppLinuxParameters'),
    });
    if (readonlyRootFilesystem) {
      // Most runtimes need a writable scratch directory; give them task-local /tmp only.
      taskDefinition.addVolume({ name: 'tmp' });
      container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
    }
    // The names the user chose are not ours to vouch for: cdk-nag keeps reporting them.
    const userNames = [...Object.keys(props.environment ?? {}), ...Object.keys(split?.environment ?? {})];
    const ownNames = new Set(Object.keys({ ...shared.environment, ...split?.environment }).filter((n) => !userNames.includes(n)));
    if (props.tracing ?? false) {
      const otel = addTracingSidecar(taskDefinition, container, shared.logGroup, this.name, props.tracingCollectorImage);
      for (const [key, value] of Object.entries(otel)) {
        container.addEnvironment(key, value);
        ownNames.add(key);
      }
    }
    // Acknowledged only while every plain variable of every container is one we set: a variable or
    // container the user adds is reported.
    acknowledgeWhile(taskDefinition, {
      ids: ['AwsSolutions-ECS2'],
      reason: `Plain environment variables carry only non-secret settings this construct sets (${[...ownNames].sort().join(', ')}); every secret is injected from Secrets Manager or Parameter Store as an ECS secret.`,
    }, () => environmentNames(taskDefinition).every((n) => ownNames.has(n) || ADDED_BY_OBSERVABILITY.test(n)));
    acknowledge(taskDefinition, {
      ids: ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'],
      reason: 'The task and execution roles get their permissions from CDK grants as policies bound to this role only, each scoped to the resources this service uses; a managed policy would be no narrower.',
    });
    acknowledgeWhile(taskDefinition.obtainExecutionRole(), {
      ids: ['AwsSolutions-IAM5[Resource::*]'],
      reason: 'ecr:GetAuthorizationToken supports no resource-level permissions; image pulls themselves are scoped to the repository.',
    }, () => wildcardOnlyFor(taskDefinition.obtainExecutionRole(), /^ecr:GetAuthorizationToken$/));
    return { taskDefinition, container };
  }

  private createService(shared: SharedRuntime): ecs.FargateService {
    const { props, settings } = shared;
    const enableExecuteCommand = props.enableExecuteCommand ?? false;
    const service = new ecs.FargateService(this.scope, 'Service', {
      cluster: shared.cluster,
      taskDefinition: this.taskDefinition,
      securityGroups: [this.securityGroup],
      vpcSubnets: settings.subnets,
      assignPublicIp: settings.assignPublicIp,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: settings.frontDoor.usesLoadBalancer ? props.healthCheckGracePeriod ?? Duration.seconds(60) : undefined,
      enableExecuteCommand,
      capacityProviderStrategies: settings.spot ? [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] : undefined,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      cloudMapOptions: shared.namespace
        ? {
          cloudMapNamespace: shared.namespace,
          name: this.name,
          // API Gateway needs the port, which only SRV records carry.
          dnsRecordType: servicediscovery.DnsRecordType.SRV,
          dnsTtl: Duration.seconds(10),
          container: this.container,
          containerPort: settings.containerPort,
        }
        : undefined,
    });
    if (enableExecuteCommand) {
      acknowledgeWhile(this.taskDefinition.taskRole, {
        ids: ['AwsSolutions-IAM5[Resource::*]'],
        reason: 'ECS Exec opens its channel through ssmmessages actions and writes its session log through the logs actions aws-cdk-lib adds on `*`; ssmmessages supports no resource-level permissions.',
      }, () => wildcardOnlyFor(this.taskDefinition.taskRole, /^(ssmmessages:[A-Za-z]+|logs:(DescribeLogGroups|CreateLogStream|DescribeLogStreams|PutLogEvents))$/));
    }
    return service;
  }
}

/** The names of the plain environment variables of every container of a task definition. */
function environmentNames(taskDefinition: ecs.TaskDefinition): string[] {
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  const containers = Stack.of(taskDefinition).resolve(cfn.containerDefinitions) as Array<{ environment?: Array<{ name: string }> }> | undefined;
  return (containers ?? []).flatMap((c) => (c.environment ?? []).map((e) => e.name));
}

function checkMinMax(scope: IConstruct, prefix: string, minTasks: number, maxTasks: number): void {
  checkRange(scope, `${prefix}minTasks`, minTasks, { min: 0, max: 1000, integer: true });
  checkRange(scope, `${prefix}maxTasks`, maxTasks, { min: 1, max: 1000, integer: true });
  if (minTasks > maxTasks) {
    throw new LeanStackValidationError(scope, `\`${prefix}minTasks\` (${minTasks}) must not be above \`${prefix}maxTasks\` (${maxTasks})`);
  }
}
