import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as grafana from 'aws-cdk-lib/aws-grafana';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { IMonolithService } from '../../core/contracts';
import { acknowledge } from '../../private/nag';

/** Images of the sidecars that export traces to X-Ray. */
const TRACING_IMAGE = /(xray|aws-otel-collector|adot|opentelemetry-collector|otel\/)/i;

/** The name of the container that exports traces, if the service's task has one. */
export function tracingSidecar(service: IMonolithService): string | undefined {
  const containers = service.taskDefinition.node.children
    .filter((c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition);
  return containers.find((c) => c.containerName !== service.containerName && TRACING_IMAGE.test(c.imageName))?.containerName;
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

/**
 * The Amazon Managed Grafana workspace with a role that reads CloudWatch, X-Ray and (when there
 * is one) the Prometheus workspace. Sign-in goes through IAM Identity Center.
 */
export function createGrafana(scope: Construct, prometheus: aps.CfnWorkspace | undefined): { workspace: grafana.CfnWorkspace; role: iam.Role } {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'GrafanaRole', {
    assumedBy: new iam.ServicePrincipal('grafana.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
    description: 'Lets Amazon Managed Grafana read CloudWatch, X-Ray and Prometheus',
  });
  // A managed policy, not an inline one (HIPAA/NIST IAMNoInlinePolicy).
  const policy = new iam.ManagedPolicy(scope, 'GrafanaReadPolicy', { roles: [role] });
  // Metric, log-query and trace reads have no resource-level permissions.
  policy.addStatements(new iam.PolicyStatement({
    actions: [
      'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmsForMetric', 'cloudwatch:DescribeAlarmHistory',
      'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'cloudwatch:GetInsightRuleReport',
      'logs:DescribeLogGroups', 'logs:GetLogGroupFields', 'logs:StartQuery', 'logs:StopQuery', 'logs:GetQueryResults', 'logs:GetLogEvents',
      'xray:BatchGetTraces', 'xray:GetTraceSummaries', 'xray:GetTraceGraph', 'xray:GetGroups', 'xray:GetServiceGraph',
      'xray:GetTimeSeriesServiceStatistics', 'xray:GetInsightSummaries', 'xray:GetInsight',
      'tag:GetResources', 'ec2:DescribeRegions',
    ],
    resources: ['*'],
  }));
  if (prometheus) {
    policy.addStatements(new iam.PolicyStatement({
      actions: ['aps:DescribeWorkspace', 'aps:QueryMetrics', 'aps:GetLabels', 'aps:GetSeries', 'aps:GetMetricMetadata'],
      resources: [prometheus.attrArn],
    }));
  }
  acknowledge(policy, {
    ids: ['AwsSolutions-IAM5[Resource::*]'],
    reason: 'CloudWatch metric and Logs Insights reads, X-Ray trace reads and tag:GetResources support no resource-level permissions; all actions are read-only.',
  });
  const workspace = new grafana.CfnWorkspace(scope, 'GrafanaWorkspace', {
    accountAccessType: 'CURRENT_ACCOUNT',
    authenticationProviders: ['AWS_SSO'],
    permissionType: 'CUSTOMER_MANAGED',
    roleArn: role.roleArn,
    dataSources: prometheus ? ['CLOUDWATCH', 'XRAY', 'PROMETHEUS'] : ['CLOUDWATCH', 'XRAY'],
    description: `Dashboards of ${scope.node.path}`,
  });
  return { workspace, role };
}
