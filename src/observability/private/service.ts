import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { Severity } from './alarms';
import { fargateServicesOf } from './collector';
import { MonitorContext } from './context';
import { Layer, graph } from './dashboard';
import { watchTaskFailures } from './task-failures';
import { humanLatency } from './text';
import { IMonolithService } from '../../core/contracts';
import { BurnRateCalculator } from '../slo';

const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
const LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;

/** The metrics of a front door (HTTP API or ALB), in its own latency unit. */
interface FrontDoor {
  readonly kind: string;
  /** Latency unit per millisecond: 1 for the HTTP API (ms), 0.001 for the ALB (s). */
  readonly perMs: number;
  readonly unit: string;
  /** Percentage of requests answered with a 5xx (0-100). */
  readonly errorPercent: cloudwatch.MathExpression;
  /** Percentage of requests answered with a 4xx (0-100). */
  readonly clientErrorPercent: cloudwatch.MathExpression;
  readonly requests: cloudwatch.Metric;
  readonly checkFirst: string;
  latency(statistic: string): cloudwatch.Metric;
}

/** Watches a service: its front door, its SLO, its target groups and its ECS tasks. */
export function monitorServiceLayer(ctx: MonitorContext, service: IMonolithService): void {
  const front = service.httpApi ? httpApiDoor(service.httpApi) : service.loadBalancer ? albDoor(service.loadBalancer) : undefined;
  if (front) watchFrontDoor(ctx, front);
  if (service.loadBalancer && service.httpApi) {
    // The HTTP API is the user-facing door; the internal ALB behind it gets a latency graph only.
    const alb = albDoor(service.loadBalancer);
    ctx.widgets?.add(Layer.API, graph(`${ctx.label} internal ALB latency`, [50, 95, 99].map((p) => alb.latency(`p${p}`).with({ label: `p${p}` })), { unit: 's' }));
  }
  watchTargetGroups(ctx, service.targetGroups);
  const [main, ...splits] = fargateServicesOf(service);
  watchTasks(ctx, service, main);
  for (const split of splits) {
    // A split module's alarms sit in a scope of their own so that the main service's ids never move.
    // The application container's name is literal (a Cloud Map name would be a token): the module's name.
    const name = split.taskDefinition.defaultContainer?.containerName ?? split.node.scope!.node.id;
    watchTasks({ ...ctx, scope: new Construct(ctx.scope, `Module${name.replace(/[^A-Za-z0-9]/g, '')}`), label: `${ctx.label} ${name}` }, service, split);
  }
  watchTaskFailures(ctx, service.cluster, [main, ...splits]);
}

function httpApiDoor(api: apigwv2.IHttpApi): FrontDoor {
  const sum = { statistic: cloudwatch.Stats.SUM };
  const requests = api.metricCount(sum);
  return {
    kind: 'HTTP API',
    perMs: 1,
    unit: 'ms',
    latency: (statistic) => api.metricLatency({ statistic }),
    requests,
    errorPercent: percentOf({ e: api.metricServerError(sum) }, 'e', requests, '5xx %'),
    clientErrorPercent: percentOf({ c: api.metricClientError(sum) }, 'c', requests, '4xx %'),
    checkFirst: 'the HTTP API access log and the service log group for errors, then whether the service has running tasks',
  };
}

function albDoor(alb: elbv2.IApplicationLoadBalancer): FrontDoor {
  const sum = { statistic: cloudwatch.Stats.SUM };
  const requests = alb.metrics.requestCount(sum);
  const elb5xx = alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, sum);
  // RequestCount leaves out requests rejected before a target was chosen (503 with no healthy
  // target), so the denominator is the larger of the two: an ALB with no target reads as 100%.
  const errorPercent = new cloudwatch.MathExpression({
    expression: 'IF(FILL(r, 0) + FILL(e, 0) > 0, 100 * (FILL(t, 0) + FILL(e, 0)) / MAX([FILL(r, 0), FILL(e, 0)]), 0)',
    usingMetrics: { r: requests, t: alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, sum), e: elb5xx },
    label: '5xx %',
  });
  const clientErrors = new cloudwatch.MathExpression({
    expression: 'IF(FILL(r, 0) > 0, 100 * (FILL(t4, 0) + FILL(e4, 0)) / r, 0)',
    usingMetrics: {
      r: requests,
      t4: alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_4XX_COUNT, sum),
      e4: alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_4XX_COUNT, sum),
    },
    label: '4xx %',
  });
  return {
    kind: 'ALB',
    perMs: 0.001,
    unit: 's',
    latency: (statistic) => alb.metrics.targetResponseTime({ statistic }),
    requests,
    errorPercent,
    clientErrorPercent: clientErrors,
    checkFirst: 'target health in the target groups, then the service log group for errors',
  };
}

/** `100 * bad / requests`, 0 without requests. */
function percentOf(bad: { [id: string]: cloudwatch.IMetric }, id: string, requests: cloudwatch.IMetric, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `IF(FILL(r, 0) > 0, 100 * FILL(${id}, 0) / r, 0)`,
    usingMetrics: { ...bad, r: requests },
    label,
  });
}

function watchFrontDoor(ctx: MonitorContext, door: FrontDoor): void {
  const { scope, book, thresholds: t, label } = ctx;
  const targets = ctx.sloTargets;
  const latencyLimit = round(targets.latencyThreshold.toMilliseconds() * door.perMs);
  // Percentile rank PR(:x) is the share of requests at or under x: the latency SLI CloudWatch
  // can compute without custom metrics.
  const fastShare = door.latency(cloudwatch.Stats.percentileRank(latencyLimit)).with({ label: `requests under ${humanLatency(targets.latencyThreshold)} %` });
  const slowPercent = new cloudwatch.MathExpression({ expression: '100 - pr', usingMetrics: { pr: fastShare }, label: 'slow requests %' });

  if (ctx.slo) {
    const windows = [
      { ...BurnRateCalculator.fastBurn(), burnRate: ctx.slo.fastBurnRate },
      { ...BurnRateCalculator.slowBurn(), burnRate: ctx.slo.slowBurnRate },
    ];
    book.addSlo(scope, 'AvailabilitySlo', {
      badEventPercent: door.errorPercent,
      objectivePercent: ctx.slo.availabilityPercent,
      sloName: `${label} availability SLO ${ctx.slo.availabilityPercent}% (${door.kind} 5xx)`,
      checkFirst: door.checkFirst,
      windows,
    });
    book.addSlo(scope, 'LatencySlo', {
      badEventPercent: slowPercent,
      objectivePercent: ctx.slo.latencyPercentile,
      sloName: `${label} latency SLO ${ctx.slo.latencyPercentile}% under ${humanLatency(ctx.slo.latencyThreshold)} (${door.kind})`,
      checkFirst: 'the database CPU and slow queries, then service CPU and memory, then recent deploys',
      windows,
    });
  } else {
    book.add(scope, {
      id: 'ServerErrors',
      metric: door.errorPercent.with({ period: Duration.minutes(5) }),
      threshold: t.api5xxPercent,
      comparison: GT,
      severity: Severity.PAGE,
      evaluationPeriods: 2,
      what: `${label} ${door.kind}: over ${t.api5xxPercent}% of requests failed with a 5xx for 10 minutes`,
      checkFirst: door.checkFirst,
    });
  }
  book.add(scope, {
    id: 'ClientErrors',
    metric: door.clientErrorPercent.with({ period: Duration.minutes(5) }),
    threshold: t.api4xxPercent,
    comparison: GT,
    severity: Severity.TICKET,
    evaluationPeriods: 3,
    what: `${label} ${door.kind}: over ${t.api4xxPercent}% of requests got a 4xx for 15 minutes`,
    checkFirst: 'which routes return 4xx in the access log (a client release, an expired token, a scan)',
  });
  book.add(scope, {
    id: 'LatencyP99',
    metric: door.latency('p99').with({ period: Duration.minutes(5) }),
    threshold: round(t.apiP99Latency.toMilliseconds() * door.perMs),
    comparison: GT,
    severity: Severity.TICKET,
    evaluationPeriods: 3,
    what: `${label} ${door.kind}: p99 latency above ${humanLatency(t.apiP99Latency)} for 15 minutes`,
    checkFirst: 'the database CPU and slow queries, then service CPU and memory',
  });

  if (ctx.widgets) addFrontDoorWidgets(ctx, ctx.widgets, door, fastShare, slowPercent);
}

/** The SLO figures over the dashboard's time range, and the front door's latency, traffic and errors. */
function addFrontDoorWidgets(
  ctx: MonitorContext, w: NonNullable<MonitorContext['widgets']>, door: FrontDoor, fastShare: cloudwatch.IMetric, slowPercent: cloudwatch.IMetric,
): void {
  const { label } = ctx;
  const targets = ctx.sloTargets;
  const budget = BurnRateCalculator.errorBudgetPercent(targets.availabilityPercent);
  w.add(Layer.SLO,
    new cloudwatch.SingleValueWidget({
      title: `${label} SLO over the time range (targets: ${targets.availabilityPercent}% available, ${targets.latencyPercentile}% under ${humanLatency(targets.latencyThreshold)})`,
      metrics: [
        new cloudwatch.MathExpression({ expression: '100 - bad', usingMetrics: { bad: door.errorPercent }, label: 'availability %' }),
        new cloudwatch.MathExpression({ expression: `100 - 100 * bad / ${budget}`, usingMetrics: { bad: door.errorPercent }, label: 'error budget left %' }),
        fastShare,
      ],
      setPeriodToTimeRange: true,
      width: 16,
      height: 4,
    }),
  );
  w.add(Layer.API,
    graph(`${label} ${door.kind} latency`, [50, 95, 99].map((p) => door.latency(`p${p}`).with({ label: `p${p}` })), { unit: door.unit }),
    graph(`${label} ${door.kind} requests and errors`, [door.requests.with({ label: 'requests' })], { right: [door.errorPercent, door.clientErrorPercent] }),
    graph(`${label} ${door.kind} slow requests`, [slowPercent], { unit: '%' }),
  );
}

function watchTargetGroups(ctx: MonitorContext, groups: elbv2.IApplicationTargetGroup[]): void {
  const unhealthy: cloudwatch.IMetric[] = [];
  groups.forEach((group, i) => {
    const metric = group.metrics.unhealthyHostCount({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) });
    unhealthy.push(metric.with({ label: `unhealthy (${group.node.id})` }));
    ctx.book.add(ctx.scope, {
      id: `UnhealthyTargets${i}`,
      metric,
      threshold: ctx.thresholds.unhealthyTargets,
      comparison: GT,
      severity: Severity.TICKET,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      what: `${ctx.label}: more than ${ctx.thresholds.unhealthyTargets} unhealthy targets in target group ${group.node.id} for 3 of 5 minutes`,
      checkFirst: 'the health check path and the stopped-task reasons in the ECS console, then the service log group',
    });
  });
  if (unhealthy.length > 0) ctx.widgets?.add(Layer.API, graph(`${ctx.label} unhealthy targets`, unhealthy));
}

function watchTasks(ctx: MonitorContext, service: IMonolithService, fargate: ecs.FargateService): void {
  const { scope, book, thresholds: t, label } = ctx;
  const cpu = fargate.metricCpuUtilization({ period: Duration.minutes(5) });
  const memory = fargate.metricMemoryUtilization({ period: Duration.minutes(5) });
  // Container Insights publishes RunningTaskCount; without it (no extra cost) the number of
  // CPUUtilization samples a minute stands in for it: each running task reports once a minute.
  const running = service.profile.containerInsights
    ? new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: fargate.serviceName },
      statistic: cloudwatch.Stats.MINIMUM,
      period: Duration.minutes(1),
    })
    : fargate.metricCpuUtilization({ statistic: cloudwatch.Stats.SAMPLE_COUNT, period: Duration.minutes(1) });
  book.add(scope, {
    id: 'ServiceCpu',
    metric: cpu,
    threshold: t.serviceCpuPercent,
    comparison: GT,
    severity: Severity.TICKET,
    evaluationPeriods: 3,
    what: `${label}: ECS CPU above ${t.serviceCpuPercent}% for 15 minutes`,
    checkFirst: 'whether autoscaling is at its maximum task count, then the request rate and slow endpoints',
  });
  book.add(scope, {
    id: 'ServiceMemory',
    metric: memory,
    threshold: t.serviceMemoryPercent,
    comparison: GT,
    severity: Severity.TICKET,
    evaluationPeriods: 3,
    what: `${label}: ECS memory above ${t.serviceMemoryPercent}% for 15 minutes`,
    checkFirst: 'memory growth since the last deploy (a leak) and OutOfMemory stop reasons of recent tasks',
  });
  book.add(scope, {
    id: 'RunningTasks',
    metric: running,
    threshold: t.minRunningTasks,
    comparison: LT,
    severity: Severity.PAGE,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    // No samples means no task reports: the service is down.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    what: `${label}: fewer than ${t.minRunningTasks} running tasks for 5 minutes`,
    checkFirst: 'the ECS service events and stopped-task reasons (image pull, secrets, health checks, Spot interruptions)',
  });
  ctx.widgets?.add(Layer.SERVICE,
    new cloudwatch.GraphWidget({
      title: `${label} CPU and memory`,
      left: [cpu.with({ label: 'CPU %' }), memory.with({ label: 'memory %' })],
      leftAnnotations: [
        { value: t.serviceCpuPercent, label: 'CPU alarm' },
        { value: t.serviceMemoryPercent, label: 'memory alarm' },
      ],
      leftYAxis: { min: 0, max: 100, showUnits: false },
      width: 8,
      height: 6,
    }),
    graph(`${label} running tasks`, [running.with({ label: 'running tasks' })]),
  );
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
