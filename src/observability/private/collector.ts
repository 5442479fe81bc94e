import { Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IMonolithService } from '../../core/contracts';

/** Images of the sidecars that export traces to X-Ray. */
export const TRACING_IMAGE = /(xray|aws-otel-collector|adot|opentelemetry-collector|otel\/)/i;
/** Images that read an ADOT configuration from `AOT_CONFIG_CONTENT`. */
const ADOT_IMAGE = /(aws-otel-collector|adot)/i;

/**
 * Every Fargate service of a watched service: the main one first, then any other in its construct
 * tree (the split modules of a `ModularMonolithService`). Found in the tree so that services of
 * your own implementing `IMonolithService` are watched the same way.
 */
export function fargateServicesOf(service: IMonolithService): ecs.FargateService[] {
  const others = service.node.findAll()
    .filter((c): c is ecs.FargateService => c instanceof ecs.FargateService && c !== service.service);
  return [service.service, ...others];
}

/** The containers of a task definition. */
function containersOf(taskDefinition: ecs.TaskDefinition): ecs.ContainerDefinition[] {
  return taskDefinition.node.children.filter((c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition);
}

/** The tracing sidecar of a task, if it has one. */
export function collectorOf(taskDefinition: ecs.TaskDefinition, appContainerName?: string): ecs.ContainerDefinition | undefined {
  return containersOf(taskDefinition).find((c) => c.containerName !== appContainerName && TRACING_IMAGE.test(c.imageName));
}

/** What the observability stack tells the collectors of a watched service. */
export interface CollectorSettings {
  /** The trace sampling ratio the application's OpenTelemetry SDK applies (0-1). */
  readonly sampleRate: number;
  /** The Prometheus workspace the collector forwards the application's OTLP metrics to. */
  readonly prometheus?: aps.CfnWorkspace;
}

/**
 * Configures every running service of a watched service that has a tracing sidecar: the
 * application samples at `sampleRate` (the SDK's ratio sampler decides what reaches the collector,
 * so the X-Ray rule alone cannot raise it), and, with a Prometheus workspace, an ADOT collector
 * forwards OTLP metrics there with SigV4 (remote write) and the task role may write to it.
 *
 * Returns how many running services have a sidecar.
 */
export function configureCollectors(service: IMonolithService, settings: CollectorSettings): number {
  let configured = 0;
  for (const fargate of fargateServicesOf(service)) {
    const taskDefinition = fargate.taskDefinition;
    const appName = fargate === service.service ? service.containerName : undefined;
    const collector = collectorOf(taskDefinition, appName);
    if (!collector) continue;
    configured += 1;
    const apps = containersOf(taskDefinition).filter((c) => c !== collector);
    for (const app of apps) app.addEnvironment('OTEL_TRACES_SAMPLER_ARG', String(settings.sampleRate));
    if (!settings.prometheus || !ADOT_IMAGE.test(collector.imageName)) continue;
    for (const app of apps) app.addEnvironment('OTEL_METRICS_EXPORTER', 'otlp');
    // ADOT reads AOT_CONFIG_CONTENT in preference to its bundled file, so the image's
    // traces-only configuration is replaced by one that also has a metrics pipeline.
    collector.addEnvironment('AOT_CONFIG_CONTENT', Stack.of(taskDefinition).toJsonString(collectorConfig(settings.prometheus)));
    taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({
      actions: ['aps:RemoteWrite'],
      resources: [settings.prometheus.attrArn],
    }));
  }
  return configured;
}

/** OTLP in; traces to X-Ray; metrics to the Prometheus workspace by remote write signed with SigV4. */
function collectorConfig(workspace: aps.CfnWorkspace): object {
  return {
    extensions: { sigv4auth: { region: Stack.of(workspace).region, service: 'aps' } },
    receivers: { otlp: { protocols: { grpc: { endpoint: 'localhost:4317' }, http: { endpoint: 'localhost:4318' } } } },
    processors: { batch: {} },
    exporters: {
      awsxray: {},
      prometheusremotewrite: {
        endpoint: `${workspace.attrPrometheusEndpoint}api/v1/remote_write`,
        auth: { authenticator: 'sigv4auth' },
        resource_to_telemetry_conversion: { enabled: true },
      },
    },
    service: {
      extensions: ['sigv4auth'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['awsxray'] },
        metrics: { receivers: ['otlp'], processors: ['batch'], exporters: ['prometheusremotewrite'] },
      },
    },
  };
}
