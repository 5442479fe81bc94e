import { Annotations, Duration, Names, Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct, IConstruct } from 'constructs';
import { BudgetAlerts } from './budget-alerts';
import { CostAnomalyAlerts } from './cost-anomaly-alerts';
import {
  AlarmSelection, LogRetentionCheck, MonitorOptions, ObservabilityThresholds, ServiceLevelObjectives,
} from './observability-options';
import { IMigrationRunner, IMonolithService, IPostgresDatabase, IStaticSite } from '../core/contracts';
import { Profile } from '../core/profile';
import { AlarmBook } from './private/alarms';
import { checkStackProps } from './private/checks';
import { configureCollectors } from './private/collector';
import { MonitorContext, ResolvedSlo, ResolvedThresholds, resolveSlo, resolveThresholds } from './private/context';
import { Layer, LayeredWidgets } from './private/dashboard';
import { monitorDatabaseLayer } from './private/database';
import { monitorMigrationsLayer, monitorSiteLayer } from './private/edge';
import { checkLogRetention } from './private/logs';
import { monitorServiceLayer } from './private/service';
import { createTopics } from './private/topic';
import { createPrometheus, createTracing, hasTracingSidecar } from './private/tracing';
import { resolveProfile } from '../private/profile';
import { LeanStackValidationError } from '../private/validate';

/**
 * Options of `monitorDatabase()`.
 */
export interface DatabaseMonitorOptions extends MonitorOptions {
  /**
   * Read replicas of an RDS database to alarm on (`ReplicaLag`), e.g. a pilot-light replica.
   * A replica in another region needs an `ObservabilityStack` in that region.
   *
   * @default - none (Aurora readers are found in the cluster)
   */
  readonly replicas?: rds.IDatabaseInstance[];
}

/**
 * Props of `ObservabilityStack`.
 */
export interface ObservabilityStackProps {
  /** The deployment profile. @default Profile.COST_CONSCIOUS_PRODUCTION */
  readonly profile?: Profile;
  /** An SNS topic for every paging alarm action. @default - a new topic encrypted with a new KMS key (1 USD a month) */
  readonly topic?: sns.ITopic;
  /** The KMS key of the new topics (with `topic`, of the signal topic only). @default - a new key with rotation; none with `topic`, which then means no signal topic */
  readonly topicKey?: kms.IKey;
  /** Email addresses subscribed to the topic (each must confirm). @default - none */
  readonly alarmEmails?: string[];
  /** A runbook link. Each alarm appends `#<alarm id>`. @default - no link in descriptions */
  readonly runbookUrl?: string;
  /** Which alarms to create. @default - ALL in production profiles, PAGING_ONLY otherwise */
  readonly alarmSelection?: AlarmSelection;
  /** The service level objectives. @default - 99.9% available, 95% of requests under 500 ms */
  readonly slo?: ServiceLevelObjectives;
  /** Burn-rate alerting on the SLOs (else a plain 5xx-rate alarm pages). @default - true when `slo` is given or the profile is a production one */
  readonly sloAlerting?: boolean;
  /** Alarm thresholds for everything watched. @default - the defaults of each `ObservabilityThresholds` field */
  readonly thresholds?: ObservabilityThresholds;
  /** A CloudWatch dashboard (3 USD a month beyond the free three). @default - per profile (off in development) */
  readonly dashboard?: boolean;
  /** The dashboard's name. @default - generated */
  readonly dashboardName?: string;
  /** An X-Ray group and sampling rule. @default - when a monitored service has a tracing sidecar (X-Ray daemon or ADOT collector) */
  readonly tracing?: boolean;
  /**
   * The share of requests traced, 0-1: the X-Ray sampling rule's rate beyond one a second, and the
   * ratio the application's OpenTelemetry SDK samples at in every watched service with a tracing
   * sidecar (`OTEL_TRACES_SAMPLER_ARG`).
   *
   * @default 0.05
   */
  readonly tracingSampleRate?: number;
  /**
   * An Amazon Managed Service for Prometheus workspace (billed by samples ingested and stored). The
   * ADOT collector of every watched service forwards the application's OTLP metrics to it (remote
   * write signed with SigV4; the task role may `aps:RemoteWrite` to this workspace only).
   *
   * @default false
   */
  readonly managedPrometheus?: boolean;
  /** A monthly AWS Budget in USD alerting the topic at 80% actual and 100% forecast. @default - no budget */
  readonly monthlyBudgetUsd?: number;
  /** AWS Cost Anomaly Detection alerting the topic (one per account). @default false */
  readonly costAnomalyDetection?: boolean;
  /** What to do about watched log groups that never expire. @default LogRetentionCheck.FAIL */
  readonly logRetentionCheck?: LogRetentionCheck;
  /** Services to watch (same as `monitorService()`). @default - none */
  readonly services?: IMonolithService[];
  /** Databases to watch (same as `monitorDatabase()`). @default - none */
  readonly databases?: IPostgresDatabase[];
  /** Static sites to watch (same as `monitorSite()`). @default - none */
  readonly sites?: IStaticSite[];
  /** Migration runners to watch (same as `monitorMigrations()`). @default - none */
  readonly migrationRunners?: IMigrationRunner[];
}

/**
 * Dashboards, alarms, SLO burn-rate alerting, tracing and cost alerts for the other constructs of
 * this library, from a few lines.
 *
 * Despite its name this is a `Construct`, not a `cdk.Stack`: place it in the stack that holds what
 * it watches, or in a dedicated monitoring stack of the same account and region. A Stack subclass
 * could not be composed into an existing stack, and would force a stack boundary (and its
 * cross-stack exports) on every user. The name is kept because it is what it gives you: the
 * observability stack (the tool set) of the application.
 *
 * @example
 * import { Duration } from 'aws-cdk-lib';
 * import { ObservabilityStack, IMonolithService, IPostgresDatabase } from 'cdk-lean-stack';
 *
 * declare const service: IMonolithService;
 * declare const database: IPostgresDatabase;
 *
 * new ObservabilityStack(this, 'Observability', {
 *   slo: { availabilityPercent: 99.9, latencyThreshold: Duration.millis(500) },
 *   alarmEmails: ['oncall@example.com'],
 * })
 *   .monitorService(service)
 *   .monitorDatabase(database);
 */
export class ObservabilityStack extends Construct {
  /** The profile in force. */
  public readonly profile: Profile;
  /** The topic every alarm notifies, except the SLO window alarms (see `signalTopic`). */
  public readonly topic: sns.ITopic;
  /** The key of the topics this construct created, if it did. */
  public readonly topicKey?: kms.IKey;
  /**
   * A topic for signals that must not page, TLS-only under `topicKey`: the SLO window alarms (a burn
   * starting before both windows agree), and e.g. a `ReleaseEnvironment`'s `rollbackAlarmActions`.
   * Nobody is subscribed by default: add a chat channel or ticket queue with `addSubscription()`.
   * Free while idle. None with your own `topic` and no `topicKey` (window alarms then notify nothing).
   */
  public readonly signalTopic?: sns.ITopic;
  /** The dashboard, when there is one. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The Prometheus workspace, when asked for. */
  public readonly prometheusWorkspace?: aps.CfnWorkspace;
  /** The monthly budget, when asked for. */
  public readonly budget?: BudgetAlerts;
  /** Cost anomaly alerts, when asked for. */
  public readonly costAnomaly?: CostAnomalyAlerts;

  private readonly book: AlarmBook;
  private readonly widgets?: LayeredWidgets;
  private readonly thresholds: ResolvedThresholds;
  private readonly sloTargets: ResolvedSlo;
  private readonly sloAlerting: boolean;
  private readonly tracingChoice?: boolean;
  private readonly sampleRate: number;
  private readonly retentionCheck: LogRetentionCheck;
  private readonly watched = new Set<IConstruct>();
  private readonly usedIds = new Set<string>();
  private tracingResources?: { group: xray.CfnGroup; samplingRule: xray.CfnSamplingRule };
  private freeTierWarned = false;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps = {}) {
    super(scope, id);
    this.profile = resolveProfile(this, props.profile);
    checkStackProps(this, props);
    this.sloTargets = resolveSlo(this, props.slo);
    this.sloAlerting = props.sloAlerting ?? (props.slo !== undefined || this.profile.production);
    this.thresholds = resolveThresholds(this, props.thresholds, undefined, this.sloTargets);
    this.tracingChoice = props.tracing;
    this.sampleRate = props.tracingSampleRate ?? 0.05;
    this.retentionCheck = props.logRetentionCheck ?? LogRetentionCheck.FAIL;

    ({ topic: this.topic, key: this.topicKey, signalTopic: this.signalTopic } = createTopics(this, this.profile, props.topic, props.topicKey));
    for (const email of props.alarmEmails ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    const selection = props.alarmSelection ?? (this.profile.production ? AlarmSelection.ALL : AlarmSelection.PAGING_ONLY);
    this.book = new AlarmBook({
      action: new cwActions.SnsAction(this.topic),
      signalAction: this.signalTopic && new cwActions.SnsAction(this.signalTopic),
      topic: this.topic,
      pagingOnly: selection === AlarmSelection.PAGING_ONLY,
      runbookUrl: props.runbookUrl,
    });

    if (props.dashboard ?? this.profile.dashboard) {
      this.widgets = new LayeredWidgets();
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
        dashboardName: props.dashboardName,
        defaultInterval: Duration.days(7),
      });
      this.dashboard.addWidgets(this.widgets.asWidget());
      const paging = this.book.pagingAlarms;
      this.widgets.addLate(Layer.SLO, () => paging.length === 0 ? undefined : new cloudwatch.AlarmStatusWidget({
        title: 'Paging alarms (SLO burn first)',
        alarms: paging,
        width: 8,
        height: Math.min(8, 2 + paging.length),
      }));
    }

    if (props.tracing === true) this.ensureTracing();
    if (props.managedPrometheus) this.prometheusWorkspace = createPrometheus(this);
    if (props.monthlyBudgetUsd !== undefined) {
      this.budget = new BudgetAlerts(this, 'Budget', { topic: this.topic, monthlyLimitUsd: props.monthlyBudgetUsd });
    }
    if (props.costAnomalyDetection) this.costAnomaly = new CostAnomalyAlerts(this, 'CostAnomaly', { topic: this.topic });

    for (const s of props.services ?? []) this.monitorService(s);
    for (const d of props.databases ?? []) this.monitorDatabase(d);
    for (const s of props.sites ?? []) this.monitorSite(s);
    for (const m of props.migrationRunners ?? []) this.monitorMigrations(m);
  }

  /**
   * Watches a service: front door latency p50/p95/p99, 4xx and 5xx rates, SLO burn, unhealthy
   * targets, ECS CPU, memory and running tasks of the main service and of every split module, and
   * the task failure rate. It enables X-Ray when a task has a tracing sidecar, and tells the
   * sidecars the sample rate (and the Prometheus workspace, when there is one).
   */
  public monitorService(service: IMonolithService, options: MonitorOptions = {}): ObservabilityStack {
    const ctx = this.context('Service', service, options);
    checkLogRetention(ctx.scope, service, [service.logGroup], this.retentionCheck, service.profile);
    monitorServiceLayer(ctx, service);
    if (this.tracingChoice !== false && hasTracingSidecar(service)) this.ensureTracing();
    if (this.prometheusWorkspace && Stack.of(service) !== Stack.of(this)) {
      // The task would reference the workspace while this stack references the service's metrics.
      throw new LeanStackValidationError(ctx.scope, `\`managedPrometheus\` needs the ObservabilityStack in the stack of the services it collects from (${Stack.of(service).stackName}), got: ${Stack.of(this).stackName}; otherwise each stack would depend on the other`);
    }
    const collectors = configureCollectors(service, { sampleRate: this.sampleRate, prometheus: this.prometheusWorkspace });
    if (this.prometheusWorkspace && collectors === 0) {
      Annotations.of(ctx.scope).addWarningV2('cdk-lean-stack:observability-no-collector',
        `${ctx.label} has no OpenTelemetry collector sidecar: nothing forwards its metrics to the Prometheus workspace (set \`tracing: true\` on the service)`);
    }
    if (!service.httpApi && !service.loadBalancer && this.sloAlerting) {
      Annotations.of(ctx.scope).addWarningV2('cdk-lean-stack:observability-no-front-door',
        `${ctx.label} has no HTTP API or load balancer: there are no requests to measure SLOs on; only its tasks are watched`);
    }
    return this.afterMonitor();
  }

  /** Watches a database: CPU, connections, free storage (RDS), replica lag. */
  public monitorDatabase(database: IPostgresDatabase, options: DatabaseMonitorOptions = {}): ObservabilityStack {
    const ctx = this.context('Database', database, options);
    checkLogRetention(ctx.scope, database, [], this.retentionCheck, database.profile);
    monitorDatabaseLayer(ctx, database, options.replicas ?? []);
    return this.afterMonitor();
  }

  /**
   * Watches a static site: CloudFront requests and error rates. CloudFront publishes its metrics
   * only in us-east-1, so from a stack in another region the alarms go into a companion stack
   * named `<this stack's name>-us-east-1-alarms` that the library adds to the same app.
   */
  public monitorSite(site: IStaticSite, options: MonitorOptions = {}): ObservabilityStack {
    const ctx = this.context('Site', site, options);
    checkLogRetention(ctx.scope, site, [], this.retentionCheck, this.profile);
    monitorSiteLayer(ctx, site);
    return this.afterMonitor();
  }

  /** Watches a migration runner: failed builds, build duration. */
  public monitorMigrations(runner: IMigrationRunner, options: MonitorOptions = {}): ObservabilityStack {
    const ctx = this.context('Migrations', runner, options);
    checkLogRetention(ctx.scope, runner, [], this.retentionCheck, this.profile);
    monitorMigrationsLayer(ctx, runner);
    return this.afterMonitor();
  }

  /** Every alarm resource created so far (metric and composite alarms, including SLO window alarms). */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.book.allAlarms];
  }

  /** The alarms that page (SLO composites and paging threshold alarms). */
  public get pagingAlarms(): cloudwatch.IAlarm[] {
    return [...this.book.pagingAlarms];
  }

  /** How many alarm resources this construct created so far. */
  public get alarmCount(): number {
    return this.book.allAlarms.length;
  }

  /** How many metric alarms (0.10 USD a month each per metric read, 10 alarm metrics free). */
  public get metricAlarmCount(): number {
    return this.book.metricAlarmCount;
  }

  /** How many composite alarms (0.50 USD a month each). */
  public get compositeAlarmCount(): number {
    return this.book.compositeAlarmCount;
  }

  /** How many alarm metrics CloudWatch bills: a metric math alarm counts once per metric it reads. */
  public get billedAlarmMetrics(): number {
    return this.book.billedAlarmMetrics;
  }

  /** The X-Ray group of failed and slow traces, once tracing is on. */
  public get traceGroup(): xray.CfnGroup | undefined {
    return this.tracingResources?.group;
  }

  /** The X-Ray sampling rule, once tracing is on. */
  public get samplingRule(): xray.CfnSamplingRule | undefined {
    return this.tracingResources?.samplingRule;
  }

  private context(kind: string, watched: IConstruct, options: MonitorOptions): MonitorContext {
    if (this.watched.has(watched)) {
      throw new LeanStackValidationError(this, `\`monitor${kind === 'Migrations' ? 'Migrations' : kind}()\` was already called for ${watched.node.path}; watch each construct once`);
    }
    this.watched.add(watched);
    const label = options.label ?? watched.node.id;
    let id = `${kind}${label.replace(/[^A-Za-z0-9]/g, '')}`;
    if (this.usedIds.has(id)) id = `${id}${Names.uniqueId(watched).slice(-8)}`;
    this.usedIds.add(id);
    const scope = new Construct(this, id);
    const thresholds = options.thresholds
      ? resolveThresholds(scope, options.thresholds, this.thresholds, this.sloTargets, 'options.thresholds')
      : this.thresholds;
    return {
      scope,
      label,
      book: this.book,
      widgets: this.widgets,
      thresholds,
      slo: this.sloAlerting ? this.sloTargets : undefined,
      sloTargets: this.sloTargets,
    };
  }

  private afterMonitor(): ObservabilityStack {
    // CloudWatch's free tier: 10 alarm metrics a month; composite alarms are billed from the first.
    if (!this.profile.production && !this.freeTierWarned && (this.book.billedAlarmMetrics > 10 || this.book.compositeAlarmCount > 0)) {
      this.freeTierWarned = true;
      Annotations.of(this).addWarningV2('cdk-lean-stack:observability-free-tier',
        'the alarms leave CloudWatch\'s free tier (10 alarm metrics; composite alarms 0.50 USD each): ' +
        'set `sloAlerting: false` or `alarmSelection: PAGING_ONLY` to stay within it');
    }
    return this;
  }

  private ensureTracing(): void {
    if (!this.tracingResources) this.tracingResources = createTracing(this, this.sampleRate, this.sloTargets.latencyThreshold);
  }
}
