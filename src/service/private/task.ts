import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { addTracingSidecar, hardened } from './tracing';
import { acknowledge, acknowledgeWhile, wildcardOnlyFor } from '../../private/nag';
import { ServiceImage } from '../service-image';

/** Everything one Fargate service of the monolith (the main one or a split module) needs. */
export interface TaskSpec {
  readonly cluster: ecs.ICluster;
  readonly vpc: ec2.IVpc;
  readonly image: ServiceImage;
  readonly command?: string[];
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly architecture: ecs.CpuArchitecture;
  readonly containerName: string;
  readonly containerPort: number;
  readonly environment: { [key: string]: string };
  /** The names in `environment` the user chose (not ours): cdk-nag keeps reporting them. */
  readonly userEnvironmentNames?: string[];
  readonly secrets: { [key: string]: ecs.Secret };
  readonly logGroup: logs.ILogGroup;
  readonly user?: string;
  readonly readonlyRootFilesystem: boolean;
  readonly stopTimeout: Duration;
  readonly containerHealthCheck?: ecs.HealthCheck;
  readonly tracing: boolean;
  readonly tracingCollectorImage?: ecs.ContainerImage;
  /** The name traces carry. */
  readonly traceName: string;
  readonly spot: boolean;
  readonly enableExecuteCommand: boolean;
  readonly subnets: ec2.SubnetSelection;
  readonly assignPublicIp: boolean;
  readonly cloudMap?: { readonly namespace: servicediscovery.INamespace; readonly name: string };
  readonly healthCheckGracePeriod?: Duration;
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly cpuTargetPercent: number;
  readonly memoryTargetPercent: number;
}

/** The pieces of one built service. */
export interface BuiltService {
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  readonly scaling: ecs.ScalableTaskCount;
}

/** What the app leaves reserved for the tracing sidecar (which reserves 64 MiB of it). */
const SIDECAR_RESERVATION_MIB = 128;

// Scale out fast, scale in slowly: a small service should not flap between one and two tasks.
const SCALE_OUT_COOLDOWN = Duration.seconds(60);
const SCALE_IN_COOLDOWN = Duration.minutes(5);

/**
 * Builds a hardened Fargate service in `scope`: task definition, application container (with an
 * optional tracing sidecar), security group, service with circuit breaker and autoscaling.
 */
export function buildFargateService(scope: Construct, spec: TaskSpec): BuiltService {
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: spec.cpu,
    memoryLimitMiB: spec.memoryLimitMiB,
    runtimePlatform: { cpuArchitecture: spec.architecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
  });
  const container = taskDefinition.addContainer('App', {
    containerName: spec.containerName,
    image: spec.image._containerImage(spec.architecture),
    command: spec.command,
    environment: { ...spec.environment },
    secrets: { ...spec.secrets },
    portMappings: [{ containerPort: spec.containerPort, name: 'http', protocol: ecs.Protocol.TCP }],
    logging: ecs.LogDrivers.awsLogs({ logGroup: spec.logGroup, streamPrefix: spec.containerName }),
    user: spec.user,
    // The task's memory is the hard cap already; saying so per container lets policies verify it.
    // The reservation leaves the tracing sidecar its share, or the task definition is rejected.
    memoryLimitMiB: spec.memoryLimitMiB,
    memoryReservationMiB: spec.memoryLimitMiB - (spec.tracing ? SIDECAR_RESERVATION_MIB : 0),
    readonlyRootFilesystem: spec.readonlyRootFilesystem,
    stopTimeout: spec.stopTimeout,
    healthCheck: spec.containerHealthCheck,
    linuxParameters: hardened(taskDefinition, 'AppLinuxParameters'),
  });
  if (spec.readonlyRootFilesystem) {
    // Most runtimes need a writable scratch directory; give them task-local /tmp only.
    taskDefinition.addVolume({ name: 'tmp' });
    container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
  }
  const ownNames = new Set(Object.keys(spec.environment).filter((n) => !(spec.userEnvironmentNames ?? []).includes(n)));
  if (spec.tracing) {
    const otel = addTracingSidecar(taskDefinition, container, spec.logGroup, spec.traceName, spec.tracingCollectorImage);
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
  }, () => environmentNames(taskDefinition).every((n) => ownNames.has(n)));
  acknowledge(taskDefinition, {
    ids: ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'],
    reason: 'The task and execution roles get their permissions from CDK grants as policies bound to this role only, each scoped to the resources this service uses; a managed policy would be no narrower.',
  });
  acknowledgeWhile(taskDefinition.obtainExecutionRole(), {
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason: 'ecr:GetAuthorizationToken supports no resource-level permissions; image pulls themselves are scoped to the repository.',
  }, () => wildcardOnlyFor(taskDefinition.obtainExecutionRole(), /^ecr:GetAuthorizationToken$/));

  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: spec.vpc,
    description: `Tasks of ${scope.node.path}: admit only the front door and sibling modules`,
    // Tasks call AWS APIs, the database and third parties; inbound is what is restricted.
    allowAllOutbound: true,
  });

  const service = new ecs.FargateService(scope, 'Service', {
    cluster: spec.cluster,
    taskDefinition,
    securityGroups: [securityGroup],
    vpcSubnets: spec.subnets,
    assignPublicIp: spec.assignPublicIp,
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    circuitBreaker: { enable: true, rollback: true },
    healthCheckGracePeriod: spec.healthCheckGracePeriod,
    enableExecuteCommand: spec.enableExecuteCommand,
    capacityProviderStrategies: spec.spot ? [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] : undefined,
    propagateTags: ecs.PropagatedTagSource.SERVICE,
    cloudMapOptions: spec.cloudMap
      ? {
        cloudMapNamespace: spec.cloudMap.namespace,
        name: spec.cloudMap.name,
        // API Gateway needs the port, which only SRV records carry.
        dnsRecordType: servicediscovery.DnsRecordType.SRV,
        dnsTtl: Duration.seconds(10),
        container,
        containerPort: spec.containerPort,
      }
      : undefined,
  });
  if (spec.enableExecuteCommand) {
    acknowledgeWhile(taskDefinition.taskRole, {
      ids: ['AwsSolutions-IAM5[Resource::*]'],
      reason: 'ECS Exec opens its channel through ssmmessages actions and writes its session log through the logs actions aws-cdk-lib adds on `*`; ssmmessages supports no resource-level permissions.',
    }, () => wildcardOnlyFor(taskDefinition.taskRole, /^(ssmmessages:[A-Za-z]+|logs:(DescribeLogGroups|CreateLogStream|DescribeLogStreams|PutLogEvents))$/));
  }

  const scaling = service.autoScaleTaskCount({ minCapacity: spec.minTasks, maxCapacity: spec.maxTasks });
  scaling.scaleOnCpuUtilization('CpuScaling', {
    targetUtilizationPercent: spec.cpuTargetPercent,
    scaleInCooldown: SCALE_IN_COOLDOWN,
    scaleOutCooldown: SCALE_OUT_COOLDOWN,
  });
  scaling.scaleOnMemoryUtilization('MemoryScaling', {
    targetUtilizationPercent: spec.memoryTargetPercent,
    scaleInCooldown: SCALE_IN_COOLDOWN,
    scaleOutCooldown: SCALE_OUT_COOLDOWN,
  });

  return { service, taskDefinition, container, securityGroup, scaling };
}

/** The names of the plain environment variables of every container of a task definition. */
function environmentNames(taskDefinition: ecs.TaskDefinition): string[] {
  const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  const containers = Stack.of(taskDefinition).resolve(cfn.containerDefinitions) as Array<{ environment?: Array<{ name: string }> }> | undefined;
  return (containers ?? []).flatMap((c) => (c.environment ?? []).map((e) => e.name));
}

/** Adds request-count scaling behind an ALB target group. */
export function scaleOnRequests(
  scaling: ecs.ScalableTaskCount,
  targetGroup: elbv2.ApplicationTargetGroup,
  requestsPerTarget: number,
): void {
  scaling.scaleOnRequestCount('RequestScaling', {
    requestsPerTarget,
    targetGroup,
    scaleInCooldown: SCALE_IN_COOLDOWN,
    scaleOutCooldown: SCALE_OUT_COOLDOWN,
  });
}
