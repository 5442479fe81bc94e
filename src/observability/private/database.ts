import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Severity } from './alarms';
import { MonitorContext } from './context';
import { Layer, graph } from './dashboard';
import { IPostgresDatabase } from '../../core/contracts';
import { LeanStackValidationError } from '../../private/validate';

const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
const FIVE_MINUTES = Duration.minutes(5);

/**
 * Watches a PostgreSQL database: CPU, connections, storage, slow statements, and the lag of the
 * replicas given and of every read replica in the database's construct tree.
 */
export function monitorDatabaseLayer(ctx: MonitorContext, db: IPostgresDatabase, given: rds.IDatabaseInstance[]): void {
  const { scope, book, thresholds: t, label } = ctx;
  const source = db.instance ?? db.cluster;
  if (!source) {
    throw new LeanStackValidationError(ctx.scope, `\`monitorDatabase(${db.node.id})\` has nothing to watch: the database exposes neither \`instance\` nor \`cluster\` (engineKind: '${db.engineKind}')`);
  }
  const cpu = source.metricCPUUtilization({ period: FIVE_MINUTES });
  const connections = source.metricDatabaseConnections({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM });
  const checkCpu = 'Performance Insights or pg_stat_statements for the top queries, then connections and recent deploys';

  book.add(scope, {
    id: 'DatabaseCpu',
    metric: cpu,
    threshold: t.databaseCpuPercent,
    comparison: GT,
    severity: Severity.TICKET,
    evaluationPeriods: 3,
    what: `${label}: database CPU above ${t.databaseCpuPercent}% for 15 minutes`,
    checkFirst: checkCpu,
  });
  if (t.databaseConnections !== undefined) {
    book.add(scope, {
      id: 'DatabaseConnections',
      metric: connections,
      threshold: t.databaseConnections,
      comparison: GT,
      severity: Severity.TICKET,
      evaluationPeriods: 3,
      what: `${label}: more than ${t.databaseConnections} database connections for 15 minutes`,
      checkFirst: 'the pool size per task times the running task count, then idle-in-transaction sessions in pg_stat_activity',
    });
  }

  const widgets: cloudwatch.IWidget[] = [
    graph(`${label} database CPU`, [cpu.with({ label: 'CPU %' })], { unit: '%' }),
    graph(`${label} database connections`, [connections.with({ label: 'connections' })]),
  ];
  const lag: cloudwatch.IMetric[] = [];

  widgets.push(...watchEngine(ctx, db, lag));
  lag.push(...watchReplicas(ctx, db, given));
  if (lag.length > 0) widgets.push(graph(`${label} replica lag`, lag));
  if (db.postgresqlLogGroup) widgets.push(...watchSlowStatements(ctx, db, db.postgresqlLogGroup));
  ctx.widgets?.add(Layer.DATABASE, ...widgets);
}

/**
 * What only one engine has: free storage on RDS (Aurora storage grows by itself), capacity and
 * the lag of the readers on Aurora. Aurora's lag metric joins `lag`.
 */
function watchEngine(ctx: MonitorContext, db: IPostgresDatabase, lag: cloudwatch.IMetric[]): cloudwatch.IWidget[] {
  const { scope, book, thresholds: t, label } = ctx;
  const widgets: cloudwatch.IWidget[] = [];
  if (db.instance) {
    const free = db.instance.metricFreeStorageSpace({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.MINIMUM });
    book.add(scope, {
      id: 'DatabaseFreeStorage',
      metric: free,
      threshold: t.databaseFreeStorage.toBytes(),
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      severity: Severity.PAGE,
      evaluationPeriods: 1,
      what: `${label}: less than ${t.databaseFreeStorage.toGibibytes({ rounding: 1 })} GiB of database storage left`,
      checkFirst: 'whether storage autoscaling has reached its maximum, then table and WAL growth (replication slots holding WAL)',
    });
    widgets.push(graph(`${label} free storage`, [free.with({ label: 'free storage (bytes)' })]));
  } else if (db.cluster) {
    widgets.push(graph(`${label} Aurora capacity`, [db.cluster.metricServerlessDatabaseCapacity({ label: 'ACUs' })], {
      right: [db.cluster.metricACUUtilization({ label: 'ACU %' })],
    }));
    if (db.cluster.instanceIdentifiers.length > 1) {
      // AuroraReplicaLagMaximum is in milliseconds, on the cluster.
      const auroraLag = db.cluster.metric('AuroraReplicaLagMaximum', { statistic: cloudwatch.Stats.MAXIMUM, period: FIVE_MINUTES });
      lag.push(auroraLag.with({ label: 'replica lag (ms)' }));
      book.add(scope, {
        id: 'ReplicaLag',
        metric: auroraLag,
        threshold: t.databaseReplicaLag.toMilliseconds(),
        comparison: GT,
        severity: Severity.TICKET,
        evaluationPeriods: 3,
        what: `${label}: Aurora replica lag above ${t.databaseReplicaLag.toHumanString()} for 15 minutes`,
        checkFirst: 'write volume on the writer and the readers\' capacity (ACUs) against the writer\'s',
      });
    }
  }
  return widgets;
}

/** The lag of the replicas given and of every read replica in the database's construct tree. */
function watchReplicas(ctx: MonitorContext, db: IPostgresDatabase, given: rds.IDatabaseInstance[]): cloudwatch.IMetric[] {
  const { scope, book, thresholds: t, label } = ctx;
  const lag: cloudwatch.IMetric[] = [];
  const own = db.node.findAll().filter((c): c is rds.DatabaseInstanceReadReplica => c instanceof rds.DatabaseInstanceReadReplica);
  const replicas = [...given, ...own.filter((r) => !given.includes(r))];
  replicas.forEach((replica, i) => {
    // ReplicaLag is in seconds, on the replica.
    const replicaLag = replica.metric('ReplicaLag', { statistic: cloudwatch.Stats.MAXIMUM, period: FIVE_MINUTES });
    lag.push(replicaLag.with({ label: `replica ${i} lag (s)` }));
    book.add(scope, {
      id: `ReplicaLag${i}`,
      metric: replicaLag,
      threshold: t.databaseReplicaLag.toSeconds(),
      comparison: GT,
      severity: Severity.TICKET,
      evaluationPeriods: 3,
      what: `${label}: replica ${replica.node.id} lags more than ${t.databaseReplicaLag.toHumanString()} for 15 minutes (the recovery point if it must be promoted)`,
      checkFirst: 'write volume on the primary, the replica\'s instance class and network throughput between regions',
    });
  });
  return lag;
}

/**
 * PostgreSQL logs every statement slower than `log_min_duration_statement` as a `duration:` line,
 * so counting those lines counts slow statements. The metric filter publishes only when a line
 * matches (no default value): an idle database publishes nothing and costs nothing.
 */
function watchSlowStatements(ctx: MonitorContext, db: IPostgresDatabase, logGroup: logs.ILogGroup): cloudwatch.IWidget[] {
  const { scope, book, thresholds: t, label } = ctx;
  const metricName = `SlowStatements-${Names.uniqueId(db)}`;
  const metric = new cloudwatch.Metric({ namespace: 'CdkLeanStack/PostgreSQL', metricName, statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES });
  if (book.wants(Severity.TICKET)) {
    new logs.MetricFilter(scope, 'SlowStatementFilter', {
      logGroup,
      filterPattern: logs.FilterPattern.literal('"duration:"'),
      metricNamespace: 'CdkLeanStack/PostgreSQL',
      metricName,
      metricValue: '1',
    });
  }
  book.add(scope, {
    id: 'SlowStatements',
    metric,
    threshold: t.databaseSlowStatements,
    comparison: GT,
    severity: Severity.TICKET,
    evaluationPeriods: 1,
    what: `${label}: more than ${t.databaseSlowStatements} slow statements (above log_min_duration_statement) in 5 minutes`,
    checkFirst: 'the `duration:` lines of the PostgreSQL log for the statements, then their plans (EXPLAIN) and missing indexes',
  });
  return ctx.widgets ? [graph(`${label} slow statements`, [metric.with({ label: 'slow statements' })])] : [];
}
