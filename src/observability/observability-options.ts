import { Duration, Size } from 'aws-cdk-lib';

/**
 * Which alarms `ObservabilityStack` creates.
 */
export enum AlarmSelection {
  /**
   * Only the alarms that page: SLO burn (or a 5xx-rate alarm without SLO alerting), a service
   * with no running task, a database running out of storage. Fits CloudWatch's free tier for one
   * service and one database.
   */
  PAGING_ONLY = 'paging-only',
  /** Paging alarms plus the ones that open a ticket (CPU, memory, target health, 4xx, p99, ...). */
  ALL = 'all',
}

/**
 * What `ObservabilityStack` does about a watched log group that never expires.
 */
export enum LogRetentionCheck {
  /** Synth fails and names the log group. */
  FAIL = 'fail',
  /** A warning names the log group. Synth goes on. */
  WARN = 'warn',
  /** The log group gets the watched construct's profile retention (`profile.logRetention`). */
  APPLY_PROFILE = 'apply-profile',
}

/**
 * Service level objectives from a few numbers. The defaults: 99.9% of requests
 * succeed, 95% of requests are served in under 500 ms (p95 < 500 ms), and under 0.1% of tasks fail.
 */
export interface ServiceLevelObjectives {
  /**
   * The share of requests that must not fail with a 5xx, in percent, above 0 and below 100.
   *
   * @default 99.9
   */
  readonly availabilityPercent?: number;

  /**
   * The latency most requests must beat.
   *
   * @default Duration.millis(500)
   */
  readonly latencyThreshold?: Duration;

  /**
   * The percentile the latency objective is about: `95` means 95% of requests are faster than
   * `latencyThreshold`. Above 0 and below 100, at most 10 decimal places (what CloudWatch accepts).
   *
   * @default 95
   */
  readonly latencyPercentile?: number;

  /**
   * The fast-burn rate (over 1 hour and 5 minutes).
   *
   * @default 14.4
   */
  readonly fastBurnRate?: number;

  /**
   * The slow-burn rate (over 6 hours and 30 minutes).
   *
   * @default 6
   */
  readonly slowBurnRate?: number;

  /**
   * The share of stopped tasks that may have failed (crashed, failed to start or failed health
   * checks) in a day, in percent, above 0 and below 100. A ticket opens above it.
   *
   * @default 0.1
   */
  readonly taskFailurePercent?: number;
}

/**
 * Alarm thresholds. Every field has a default from common practice for a small production
 * service; any field overrides one threshold.
 */
export interface ObservabilityThresholds {
  /**
   * API p99 latency above which a ticket opens.
   *
   * @default - twice the SLO latency threshold (1 second)
   */
  readonly apiP99Latency?: Duration;

  /**
   * API 4xx responses, in percent of requests, above which a ticket opens.
   *
   * @default 10
   */
  readonly api4xxPercent?: number;

  /**
   * API 5xx responses, in percent of requests, above which a page goes out. Used only without
   * SLO alerting (with it, the burn-rate alarms are the 5xx alarm).
   *
   * @default 5
   */
  readonly api5xxPercent?: number;

  /**
   * Unhealthy load balancer targets above which a ticket opens.
   *
   * @default 0
   */
  readonly unhealthyTargets?: number;

  /**
   * ECS service CPU utilization, in percent, above which a ticket opens.
   *
   * @default 70
   */
  readonly serviceCpuPercent?: number;

  /**
   * ECS service memory utilization, in percent, above which a ticket opens.
   *
   * @default 80
   */
  readonly serviceMemoryPercent?: number;

  /**
   * Running tasks below which a page goes out.
   *
   * @default 1
   */
  readonly minRunningTasks?: number;

  /**
   * Database CPU utilization, in percent, above which a ticket opens.
   *
   * @default 80
   */
  readonly databaseCpuPercent?: number;

  /**
   * Database connections above which a ticket opens. The right number depends on the instance
   * class (`max_connections`), so there is no default alarm.
   *
   * @default - no connections alarm (the dashboard still shows them)
   */
  readonly databaseConnections?: number;

  /**
   * Free storage below which a page goes out, for RDS only (Aurora storage grows by itself).
   *
   * @default Size.gibibytes(2)
   */
  readonly databaseFreeStorage?: Size;

  /**
   * Replica lag above which a ticket opens (Aurora readers, and RDS replicas given to
   * `monitorDatabase`).
   *
   * @default Duration.seconds(30)
   */
  readonly databaseReplicaLag?: Duration;

  /**
   * Slow statements (those PostgreSQL logs because they ran longer than its
   * `log_min_duration_statement`) in 5 minutes above which a ticket opens (seed 004).
   *
   * @default 10
   */
  readonly databaseSlowStatements?: number;

  /**
   * CloudFront 5xx error rate, in percent, above which a ticket opens.
   *
   * @default 5
   */
  readonly site5xxPercent?: number;
}

/**
 * Options of one `monitorX()` call.
 */
export interface MonitorOptions {
  /**
   * The name used in alarm descriptions, dashboard titles and construct ids.
   *
   * @default - the watched construct's id
   */
  readonly label?: string;

  /**
   * Thresholds for this construct only. Fields left out keep the `ObservabilityStack`'s.
   *
   * @default - the `ObservabilityStack`'s thresholds
   */
  readonly thresholds?: ObservabilityThresholds;
}
