import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledge } from '../../private/nag';

/** The AWS Distro for OpenTelemetry collector, pinned so that deploys are repeatable. */
export const DEFAULT_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3';

/** The collector runs as this unprivileged uid, the one its image declares. */
const COLLECTOR_USER = '10001';

/** Enough for the collector's traces pipeline at the sampling rate we set. */
const COLLECTOR_MEMORY_LIMIT_MIB = 256;

/** The name of the tracing sidecar container. */
export const COLLECTOR_CONTAINER_NAME = 'otel-collector';

/**
 * Adds an ADOT collector sidecar that receives OTLP on localhost (4317 gRPC, 4318 HTTP) and
 * exports traces to X-Ray, grants the task role what X-Ray needs, and returns the settings the
 * application's OpenTelemetry SDK reads.
 */
export function addTracingSidecar(
  taskDefinition: ecs.FargateTaskDefinition,
  app: ecs.ContainerDefinition,
  logGroup: logs.ILogGroup,
  serviceName: string,
  image?: ecs.ContainerImage,
): { [key: string]: string } {
  const collector = taskDefinition.addContainer('OtelCollector', {
    containerName: COLLECTOR_CONTAINER_NAME,
    image: image ?? ecs.ContainerImage.fromRegistry(DEFAULT_COLLECTOR_IMAGE),
    // The image's bundled config: OTLP in, X-Ray out; no EMF metrics, so no CloudWatch Logs writes.
    command: ['--config=/etc/ecs/ecs-xray.yaml'],
    // Tracing must never take the application down.
    essential: false,
    memoryReservationMiB: 64,
    // A hard cap too: a collector that leaks must not starve the application of the task's memory.
    memoryLimitMiB: COLLECTOR_MEMORY_LIMIT_MIB,
    readonlyRootFilesystem: true,
    // The collector needs no privilege; a numeric uid needs no /etc/passwd entry in the image.
    user: COLLECTOR_USER,
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: COLLECTOR_CONTAINER_NAME }),
    linuxParameters: hardened(taskDefinition, 'CollectorLinuxParameters'),
  });
  app.addContainerDependencies({ container: collector, condition: ecs.ContainerDependencyCondition.START });

  // The X-Ray grant is a policy of its own, acknowledged there: a `Resource::*` statement the user
  // adds to the task role lands in the role's default policy and is still reported.
  const policy = new iam.Policy(taskDefinition, 'TracingPolicy', { roles: [taskDefinition.taskRole] });
  policy.addStatements(new iam.PolicyStatement({
    actions: [
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'xray:GetSamplingStatisticSummaries',
    ],
    resources: ['*'],
  }));
  acknowledge(policy, {
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason: 'X-Ray trace and sampling actions support no resource-level permissions; `*` is the only resource they accept.',
  });

  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4317',
    OTEL_SERVICE_NAME: serviceName,
    OTEL_PROPAGATORS: 'tracecontext,baggage,xray',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.05',
  };
}

/** Linux parameters with every capability dropped and an init process that reaps zombies. */
export function hardened(scope: ecs.FargateTaskDefinition, id: string): ecs.LinuxParameters {
  const parameters = new ecs.LinuxParameters(scope, id, { initProcessEnabled: true });
  parameters.dropCapabilities(ecs.Capability.ALL);
  return parameters;
}
