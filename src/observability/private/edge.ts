import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Severity } from './alarms';
import { MonitorContext } from './context';
import { Layer, graph } from './dashboard';
import { usEast1AlarmPlace } from './us-east-1-alarms';
import { IMigrationRunner, IStaticSite } from '../../core/contracts';
import { acknowledgeCrossRegionProviders } from '../../private/cross-region';

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

  const spec = {
    id: 'Site5xx',
    metric: errors5xx,
    threshold: t.site5xxPercent,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    severity: Severity.TICKET,
    evaluationPeriods: 3,
    what: `${label}: CloudFront 5xx error rate above ${t.site5xxPercent}% for 15 minutes`,
    checkFirst: 'the origin (bucket policy and origin access control after a deploy), then the CloudFront function logs',
  };
  const region = Stack.of(scope).region;
  if (region === 'us-east-1') {
    book.add(scope, spec);
  } else if (Token.isUnresolved(region)) {
    if (book.wants(Severity.TICKET)) {
      // A CloudWatch alarm can only read metrics of its own region, which is unknown here.
      Annotations.of(scope).addWarningV2('cdk-lean-stack:observability-site-alarm-region',
        `${label}: CloudFront metrics live in us-east-1 and an alarm can only read its own region's metrics; ` +
        'the dashboard shows them, but no alarm was created in this region-agnostic stack. ' +
        'Give the stack an explicit `env.region` to have the alarm created in a us-east-1 companion stack.');
    }
  } else if (book.wants(Severity.TICKET)) {
    // CloudFront's metrics are in us-east-1 only: the alarm goes into a us-east-1 companion stack
    // and its state changes are forwarded to the topic's region.
    const place = usEast1AlarmPlace(scope.node.scope as Construct, book);
    const siteScope = new Construct(place.scope, scope.node.id);
    book.addForwarded(siteScope, spec, `${place.namePrefix}${scope.node.id}-${spec.id}`);
    // The distribution id leaves the site's stack through a cross-region export writer.
    acknowledgeCrossRegionProviders(Stack.of(site));
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
