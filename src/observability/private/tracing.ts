import { Duration, Names } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { collectorOf, fargateServicesOf } from './collector';
import { IMonolithService } from '../../core/contracts';

/** Whether any running service of the watched service has a tracing sidecar. */
export function hasTracingSidecar(service: IMonolithService): boolean {
  return fargateServicesOf(service)
    .some((f) => collectorOf(f.taskDefinition, f === service.service ? service.containerName : undefined) !== undefined);
}

/** The X-Ray group and sampling rule. */
export function createTracing(
  scope: Construct,
  sampleRate: number,
  latencyThreshold: Duration,
): { group: xray.CfnGroup; samplingRule: xray.CfnSamplingRule } {
  // Group names and rule names are separate namespaces, so both take the construct's unique name.
  const name = Names.uniqueResourceName(scope, { maxLength: 32, allowedSpecialCharacters: '-_' });
  // A group of the traces worth opening: failed or slower than the latency objective.
  const group = new xray.CfnGroup(scope, 'TraceGroup', {
    groupName: name,
    filterExpression: `fault = true OR responsetime > ${latencyThreshold.toMilliseconds() / 1000}`,
    insightsConfiguration: { insightsEnabled: false, notificationsEnabled: false },
  });
  const samplingRule = new xray.CfnSamplingRule(scope, 'SamplingRule', {
    samplingRule: {
      ruleName: name,
      // Below the default rule (10000), above rules users add with larger numbers.
      priority: 9000,
      fixedRate: sampleRate,
      reservoirSize: 1,
      serviceName: '*',
      serviceType: '*',
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      resourceArn: '*',
      version: 1,
    },
  });
  return { group, samplingRule };
}

/** The Amazon Managed Service for Prometheus workspace. */
export function createPrometheus(scope: Construct): aps.CfnWorkspace {
  return new aps.CfnWorkspace(scope, 'PrometheusWorkspace', {
    alias: Names.uniqueResourceName(scope, { maxLength: 100, separator: '-' }),
  });
}
