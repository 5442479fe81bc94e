import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { Severity } from './alarms';
import { MonitorContext } from './context';
import { Layer, graph } from './dashboard';

/**
 * The task failure rate SLO (seed 002: under 0.1% of tasks fail). ECS publishes no metric of
 * failed tasks; it publishes an "ECS Task State Change" event when a task stops, free, on the
 * default event bus. Two rules without targets match the stopped tasks of the watched services and
 * the failed ones among them, and EventBridge counts each rule's matches in `AWS/Events`
 * `MatchedEvents` (dimension `RuleName`). The rate is failed stops over all stops in a day.
 *
 * A failed stop is one that ECS attributes to the task: it never started (`TaskFailedToStart`:
 * image pull, secrets, ENI), its essential container exited on its own (`EssentialContainerExited`:
 * a crash or an out-of-memory kill), or it failed its container or load balancer health checks.
 * Deploys, scale-in and Spot interruptions are stops, not failures.
 */
export function watchTaskFailures(ctx: MonitorContext, cluster: ecs.ICluster, services: ecs.FargateService[]): void {
  if (!ctx.book.wants(Severity.TICKET)) return;
  const objective = ctx.sloTargets.taskFailurePercent;
  const stopped = {
    clusterArn: [cluster.clusterArn],
    group: services.map((s) => `service:${s.serviceName}`),
    lastStatus: ['STOPPED'],
  };
  const stops = new events.Rule(ctx.scope, 'TaskStops', {
    description: `Counts the stopped tasks of ${ctx.label} (no target: the rule's MatchedEvents metric is the count)`,
    eventPattern: { source: ['aws.ecs'], detailType: ['ECS Task State Change'], detail: stopped },
  });
  const failures = new events.Rule(ctx.scope, 'TaskFailures', {
    description: `Counts the failed tasks of ${ctx.label} (no target: the rule's MatchedEvents metric is the count)`,
    eventPattern: {
      source: ['aws.ecs'],
      detailType: ['ECS Task State Change'],
      detail: {
        ...stopped,
        $or: [
          { stopCode: ['TaskFailedToStart', 'EssentialContainerExited'] },
          { stoppedReason: [{ prefix: 'Task failed' }] },
        ],
      },
    },
  });
  const matched = (rule: events.Rule) => new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName: 'MatchedEvents',
    dimensionsMap: { RuleName: rule.ruleName },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.days(1),
  });
  const rate = new cloudwatch.MathExpression({
    expression: 'IF(FILL(s, 0) > 0, 100 * FILL(f, 0) / s, 0)',
    usingMetrics: { s: matched(stops), f: matched(failures) },
    label: 'failed tasks %',
    period: Duration.days(1),
  });
  ctx.book.add(ctx.scope, {
    id: 'TaskFailureRate',
    metric: rate,
    threshold: objective,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    severity: Severity.TICKET,
    evaluationPeriods: 1,
    what: `${ctx.label}: over ${objective}% of the tasks that stopped in a day failed (task failure SLO)`,
    checkFirst: 'the stopped-task reasons in the ECS console (exit codes, OutOfMemory, health checks, image pulls)',
  });
  ctx.widgets?.add(Layer.SERVICE, graph(`${ctx.label} task failures`, [matched(stops).with({ label: 'stopped tasks' }), matched(failures).with({ label: 'failed tasks' })]));
}
