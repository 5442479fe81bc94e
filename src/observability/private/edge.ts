import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Severity } from './alarms';
import { MonitorContext } from './context';
import { Layer, graph } from './dashboard';
import { IMigrationRunner, IStaticSite } from '../../core/contracts';

/** Watches a static site's CloudFront distribution. */
export function monitorSiteLayer(ctx: MonitorContext, site: IStaticSite): void {
  const { scope, book, thresholds: t, label } = ctx;
  // CloudFront publishes its metrics in us-east-1 only, with Region=Global.
  const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: site.distribution.distributionId, Region: 'Global' },
    statistic,
    period: Duration.minutes(5),
    region: 'us-east-1',
  });
  const requests = metric('Requests', cloudwatch.Stats.SUM);
  const errors5xx = metric('5xxErrorRate', cloudwatch.Stats.AVERAGE);
  const errors4xx = metric('4xxErrorRate', cloudwatch.Stats.AVERAGE);

  const region = Stack.of(scope).region;
  if (region === 'us-east-1') {
    book.add(scope, {
      id: 'Site5xx',
      metric: errors5xx,
      threshold: t.site5xxPercent,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      severity: Severity.TICKET,
      evaluationPeriods: 3,
      what: `${label}: CloudFront 5xx error rate above ${t.site5xxPercent}% for 15 minutes`,
      checkFirst: 'the origin (bucket policy and origin access control after a deploy), then the CloudFront function logs',
    });
  } else if (book.wants(Severity.TICKET)) {
    // A CloudWatch alarm can only read metrics of its own region.
    Annotations.of(scope).addWarningV2('cdk-lean-stack:observability-site-alarm-region',
      `${label}: CloudFront metrics live in us-east-1 and an alarm can only read its own region's metrics; ` +
      `the dashboard shows them, but no alarm was created in ${Token.isUnresolved(region) ? 'this region-agnostic stack' : region}. ` +
      'Monitor the site from an ObservabilityStack in a us-east-1 stack to alarm on it.');
  }
  ctx.widgets?.add(Layer.EDGE,
    graph(`${label} CloudFront requests`, [requests.with({ label: 'requests' })]),
    graph(`${label} CloudFront error rate`, [errors4xx.with({ label: '4xx %' }), errors5xx.with({ label: '5xx %' })], { unit: '%' }),
  );
}

/** Watches the migration runner's CodeBuild project. */
export function monitorMigrationsLayer(ctx: MonitorContext, runner: IMigrationRunner): void {
  const { scope, book, label } = ctx;
  const period = { period: Duration.minutes(5) };
  const failed = runner.project.metricFailedBuilds(period);
  book.add(scope, {
    id: 'MigrationFailed',
    metric: failed,
    threshold: 1,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    severity: Severity.TICKET,
    evaluationPeriods: 1,
    what: `${label}: a database migration build failed (the deploy that needed it is blocked)`,
    checkFirst: 'the build log of the failed CodeBuild run (a failing change, a lock timeout, the database unreachable from the VPC)',
  });
  ctx.widgets?.add(Layer.DATABASE,
    graph(`${label} migrations`, [runner.project.metricSucceededBuilds({ ...period, label: 'succeeded' }), failed.with({ label: 'failed' })], {
      right: [runner.project.metricDuration({ ...period, label: 'duration (s)' })],
    }),
  );
}
