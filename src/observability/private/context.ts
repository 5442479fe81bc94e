import { Duration, Size, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { AlarmBook } from './alarms';
import { LayeredWidgets } from './dashboard';
import { checkRange, invalid } from '../../private/validate';
import { ObservabilityThresholds, ServiceLevelObjectives } from '../observability-options';

/** Every threshold, resolved. */
export interface ResolvedThresholds {
  readonly apiP99Latency: Duration;
  readonly api4xxPercent: number;
  readonly api5xxPercent: number;
  readonly unhealthyTargets: number;
  readonly serviceCpuPercent: number;
  readonly serviceMemoryPercent: number;
  readonly minRunningTasks: number;
  readonly databaseCpuPercent: number;
  readonly databaseConnections?: number;
  readonly databaseFreeStorage: Size;
  readonly databaseReplicaLag: Duration;
  readonly databaseSlowStatements: number;
  readonly site5xxPercent: number;
}

/** The SLO, resolved. */
export interface ResolvedSlo {
  readonly availabilityPercent: number;
  readonly latencyThreshold: Duration;
  readonly latencyPercentile: number;
  readonly fastBurnRate: number;
  readonly slowBurnRate: number;
  readonly taskFailurePercent: number;
}

/** What a per-layer helper needs. */
export interface MonitorContext {
  /** The construct to create alarms in (one per watched construct). */
  readonly scope: Construct;
  readonly label: string;
  readonly book: AlarmBook;
  readonly widgets?: LayeredWidgets;
  readonly thresholds: ResolvedThresholds;
  /** Undefined when SLO alerting is off. */
  readonly slo?: ResolvedSlo;
  /** The SLO numbers, for the dashboard even when alerting is off. */
  readonly sloTargets: ResolvedSlo;
}

const PERCENT = { min: 0, max: 100 };

/** Merges thresholds over the defaults and rejects impossible ones. */
export function resolveThresholds(
  scope: IConstruct,
  given: ObservabilityThresholds | undefined,
  base: ResolvedThresholds | undefined,
  slo: ResolvedSlo,
  prefix = 'thresholds',
): ResolvedThresholds {
  const t = given ?? {};
  const p = (name: string) => `${prefix}.${name}`;
  checkRange(scope, p('api4xxPercent'), t.api4xxPercent, PERCENT);
  checkRange(scope, p('api5xxPercent'), t.api5xxPercent, PERCENT);
  checkRange(scope, p('unhealthyTargets'), t.unhealthyTargets, { min: 0, integer: true });
  checkRange(scope, p('serviceCpuPercent'), t.serviceCpuPercent, PERCENT);
  checkRange(scope, p('serviceMemoryPercent'), t.serviceMemoryPercent, PERCENT);
  checkRange(scope, p('minRunningTasks'), t.minRunningTasks, { min: 1, integer: true });
  checkRange(scope, p('databaseCpuPercent'), t.databaseCpuPercent, PERCENT);
  checkRange(scope, p('databaseConnections'), t.databaseConnections, { min: 1, integer: true });
  checkRange(scope, p('databaseSlowStatements'), t.databaseSlowStatements, { min: 0, integer: true });
  checkRange(scope, p('site5xxPercent'), t.site5xxPercent, PERCENT);
  checkPositiveDuration(scope, p('apiP99Latency'), t.apiP99Latency);
  checkPositiveDuration(scope, p('databaseReplicaLag'), t.databaseReplicaLag);
  if (t.databaseFreeStorage !== undefined && !Token.isUnresolved(t.databaseFreeStorage.toBytes()) && t.databaseFreeStorage.toBytes() <= 0) {
    invalid(scope, p('databaseFreeStorage'), `${t.databaseFreeStorage.toBytes()} bytes`, 'a size above 0');
  }
  return {
    apiP99Latency: t.apiP99Latency ?? base?.apiP99Latency ?? Duration.millis(slo.latencyThreshold.toMilliseconds() * 2),
    api4xxPercent: t.api4xxPercent ?? base?.api4xxPercent ?? 10,
    api5xxPercent: t.api5xxPercent ?? base?.api5xxPercent ?? 5,
    unhealthyTargets: t.unhealthyTargets ?? base?.unhealthyTargets ?? 0,
    serviceCpuPercent: t.serviceCpuPercent ?? base?.serviceCpuPercent ?? 70,
    serviceMemoryPercent: t.serviceMemoryPercent ?? base?.serviceMemoryPercent ?? 80,
    minRunningTasks: t.minRunningTasks ?? base?.minRunningTasks ?? 1,
    databaseCpuPercent: t.databaseCpuPercent ?? base?.databaseCpuPercent ?? 80,
    databaseConnections: t.databaseConnections ?? base?.databaseConnections,
    databaseFreeStorage: t.databaseFreeStorage ?? base?.databaseFreeStorage ?? Size.gibibytes(2),
    databaseReplicaLag: t.databaseReplicaLag ?? base?.databaseReplicaLag ?? Duration.seconds(30),
    databaseSlowStatements: t.databaseSlowStatements ?? base?.databaseSlowStatements ?? 10,
    site5xxPercent: t.site5xxPercent ?? base?.site5xxPercent ?? 5,
  };
}

/** Resolves the SLO and rejects targets CloudWatch cannot alarm on. */
export function resolveSlo(scope: IConstruct, given: ServiceLevelObjectives | undefined): ResolvedSlo {
  const s = given ?? {};
  const open = 'a number above 0 and below 100 (100 leaves no error budget)';
  if (s.availabilityPercent !== undefined && !(s.availabilityPercent > 0 && s.availabilityPercent < 100)) {
    invalid(scope, 'slo.availabilityPercent', s.availabilityPercent, `${open}, e.g. 99.9`);
  }
  if (s.latencyPercentile !== undefined && !isSupportedPercentile(s.latencyPercentile)) {
    invalid(scope, 'slo.latencyPercentile', s.latencyPercentile, `a percentile CloudWatch supports for an objective: ${open}, at most 10 decimal places, e.g. 95 or 99.9`);
  }
  checkPositiveDuration(scope, 'slo.latencyThreshold', s.latencyThreshold);
  checkRange(scope, 'slo.fastBurnRate', s.fastBurnRate, { min: 1 });
  checkRange(scope, 'slo.slowBurnRate', s.slowBurnRate, { min: 1 });
  const fast = s.fastBurnRate ?? 14.4;
  const slow = s.slowBurnRate ?? 6;
  if (!Token.isUnresolved(fast) && !Token.isUnresolved(slow) && fast < slow) {
    // The fast window pages on a steep burn; a fast rate below the slow one pages on the gentler burn first.
    invalid(scope, 'slo.fastBurnRate', fast, `a rate at least \`slo.slowBurnRate\` (${slow})`);
  }
  if (s.taskFailurePercent !== undefined && !Token.isUnresolved(s.taskFailurePercent) && !(s.taskFailurePercent > 0 && s.taskFailurePercent < 100)) {
    invalid(scope, 'slo.taskFailurePercent', s.taskFailurePercent, 'a number above 0 and below 100, e.g. 0.1');
  }
  return {
    availabilityPercent: s.availabilityPercent ?? 99.9,
    latencyThreshold: s.latencyThreshold ?? Duration.millis(500),
    latencyPercentile: s.latencyPercentile ?? 95,
    fastBurnRate: fast,
    slowBurnRate: slow,
    taskFailurePercent: s.taskFailurePercent ?? 0.1,
  };
}

function isSupportedPercentile(value: number): boolean {
  if (!(value > 0 && value < 100)) return false;
  const decimals = String(value).split('.')[1] ?? '';
  return decimals.length <= 10 && !String(value).includes('e');
}

function checkPositiveDuration(scope: IConstruct, prop: string, value: Duration | undefined): void {
  if (value === undefined || value.isUnresolved()) return;
  if (value.toMilliseconds() <= 0) invalid(scope, prop, value.toHumanString(), 'a duration above 0');
}
