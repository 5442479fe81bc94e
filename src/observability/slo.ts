import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { truncate } from './private/text';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { checkPattern, invalid } from '../private/validate';

/**
 * One pair of windows of multi-window, multi-burn-rate alerting: the alert fires when the
 * bad-event rate is above `burnRate x error budget` over BOTH windows. The long window proves the
 * burn is real; the short one proves it is still going on, so the alert also clears quickly.
 */
export interface BurnRateWindow {
  /** How many times faster than "exactly used up at the end of the SLO period" the budget burns. */
  readonly burnRate: number;
  /** The long window, e.g. 1 hour. */
  readonly longWindow: Duration;
  /** The short window, e.g. 5 minutes (a twelfth of the long window by convention). */
  readonly shortWindow: Duration;
}

/**
 * Pure error-budget arithmetic for SLO burn-rate alerting (no constructs, no tokens), so that the
 * numbers behind each alarm can be tested and explained.
 *
 * - error budget = 100% - objective (99.9% gives 0.1%)
 * - alarm threshold = burn rate x error budget (14.4 x 0.1% = 1.44% of requests failing)
 * - budget spent while one window burns = burn rate x window / SLO period
 *   (14.4 x 1 h / 30 days = 2%; 6 x 6 h / 30 days = 5%)
 *
 * @example
 * import { BurnRateCalculator } from 'cdk-lean-stack';
 *
 * const threshold = BurnRateCalculator.thresholdPercent(99.9, 14.4); // 1.44
 */
export class BurnRateCalculator {
  /** The SLO period the classic burn rates are computed for: 30 days. */
  public static readonly SLO_PERIOD_DAYS = 30;

  /** The fast burn: 14.4x over 1 hour and 5 minutes (2% of a 30-day budget in an hour). Pages. */
  public static fastBurn(): BurnRateWindow {
    return { burnRate: 14.4, longWindow: Duration.hours(1), shortWindow: Duration.minutes(5) };
  }

  /** The slow burn: 6x over 6 hours and 30 minutes (5% of a 30-day budget in six hours). Pages. */
  public static slowBurn(): BurnRateWindow {
    return { burnRate: 6, longWindow: Duration.hours(6), shortWindow: Duration.minutes(30) };
  }

  /**
   * The error budget in percent of events: `100 - objectivePercent`.
   *
   * @param objectivePercent the SLO, e.g. 99.9; above 0 and below 100
   */
  public static errorBudgetPercent(objectivePercent: number): number {
    if (!(objectivePercent > 0 && objectivePercent < 100)) {
      throw new Error(`objectivePercent must be above 0 and below 100, got: ${objectivePercent}`);
    }
    return round(100 - objectivePercent);
  }

  /**
   * The bad-event percentage above which the budget burns at `burnRate`:
   * `burnRate x (100 - objectivePercent)`, capped at 100 (a rate can never exceed all events).
   *
   * @param objectivePercent the SLO, e.g. 99.9
   * @param burnRate e.g. 14.4; at least 1
   */
  public static thresholdPercent(objectivePercent: number, burnRate: number): number {
    if (!(burnRate >= 1)) throw new Error(`burnRate must be at least 1, got: ${burnRate}`);
    return Math.min(100, round(burnRate * BurnRateCalculator.errorBudgetPercent(objectivePercent)));
  }

  /**
   * Whether `thresholdPercent` had to be capped at 100%: the objective is too loose for this burn
   * rate to ever be reached (e.g. 90% x 14.4 = 144%); the alarm then fires only when every event
   * is bad.
   */
  public static isCapped(objectivePercent: number, burnRate: number): boolean {
    return burnRate * BurnRateCalculator.errorBudgetPercent(objectivePercent) > 100;
  }

  /**
   * The share of a 30-day error budget spent while `burnRate` lasts for `window`, in percent:
   * `burnRate x window / 30 days x 100`.
   */
  public static budgetSpentPercent(burnRate: number, window: Duration): number {
    return round((burnRate * window.toMinutes()) / (BurnRateCalculator.SLO_PERIOD_DAYS * 24 * 60) * 100);
  }

  /** How long a 30-day error budget lasts at `burnRate`: `30 days / burnRate`. */
  public static timeToExhaustion(burnRate: number): Duration {
    if (!(burnRate > 0)) throw new Error(`burnRate must be above 0, got: ${burnRate}`);
    return Duration.minutes(Math.round((BurnRateCalculator.SLO_PERIOD_DAYS * 24 * 60) / burnRate));
  }
}

/**
 * Props of `SloBurnRateAlarms`.
 */
export interface SloBurnRateAlarmsProps {
  /**
   * The percentage of bad events (0-100), as a `MathExpression` or `Metric` whose period the
   * builder replaces with each window, e.g. `100 * errors / requests`.
   */
  readonly badEventPercent: cloudwatch.IMetric;

  /** The objective in percent of good events, e.g. 99.9. */
  readonly objectivePercent: number;

  /** A short name for the SLO used in alarm descriptions, e.g. `availability of api`. */
  readonly sloName: string;

  /** What to check first when the budget burns. Goes into every alarm description. */
  readonly checkFirst: string;

  /**
   * The windows and burn rates. Each becomes two metric alarms and one composite alarm.
   *
   * @default - `BurnRateCalculator.fastBurn()` and `BurnRateCalculator.slowBurn()`
   */
  readonly windows?: BurnRateWindow[];

  /**
   * Actions of the composite alarms: the ones that page. They never go on the window alarms:
   * paging on each window would defeat the point of requiring both.
   *
   * @default - none; add them with `compositeAlarms[i].addAlarmAction()`
   */
  readonly actions?: cloudwatch.IAlarmAction[];

  /**
   * Actions of the window alarms (each window alone, long or short), for a channel that wants to
   * see a burn start before both windows agree: a chat channel, a ticket queue, a topic nobody is
   * paged by. A window alone never pages; keep paging actions in `actions`.
   *
   * @default - none: the window alarms only feed the composites
   */
  readonly windowActions?: cloudwatch.IAlarmAction[];

  /**
   * A runbook link added to every description.
   *
   * @default - no link
   */
  readonly runbookUrl?: string;
}

/**
 * Multi-window, multi-burn-rate alerting on an error budget: for each window pair a metric alarm
 * over the long window, one over the short window, and a composite alarm that fires only when
 * both do. One page therefore means the budget is really burning. The composites notify
 * `actions`; the window alarms notify only `windowActions` (a channel nobody is paged by).
 *
 * @example
 * import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
 * import { SloBurnRateAlarms } from 'cdk-lean-stack';
 *
 * declare const errors: cloudwatch.Metric;
 * declare const requests: cloudwatch.Metric;
 *
 * new SloBurnRateAlarms(this, 'Availability', {
 *   badEventPercent: new cloudwatch.MathExpression({
 *     expression: 'IF(FILL(r, 0) > 0, 100 * FILL(e, 0) / r, 0)',
 *     usingMetrics: { e: errors, r: requests },
 *   }),
 *   objectivePercent: 99.9,
 *   sloName: 'availability of the API',
 *   checkFirst: 'the 5xx responses in the application log',
 * });
 */
export class SloBurnRateAlarms extends Construct {
  /** One composite alarm per window pair, in the order of `windows`. */
  public readonly compositeAlarms: cloudwatch.CompositeAlarm[];
  /** The metric alarms the composites combine (two per window pair). */
  public readonly windowAlarms: cloudwatch.Alarm[];
  /** The bad-event percentage each window pair alarms above, in the order of `windows`. */
  public readonly thresholds: number[];

  constructor(scope: Construct, id: string, props: SloBurnRateAlarmsProps) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    if (!(props.objectivePercent > 0 && props.objectivePercent < 100)) {
      invalid(this, 'objectivePercent', props.objectivePercent, 'a number above 0 and below 100 (e.g. 99.9)');
    }
    const windows = props.windows ?? [BurnRateCalculator.fastBurn(), BurnRateCalculator.slowBurn()];
    if (windows.length === 0) invalid(this, 'windows', windows, 'at least one window pair');
    checkPattern(this, 'runbookUrl', props.runbookUrl, /^https?:\/\/\S+$/, 'an http(s) URL');
    this.compositeAlarms = [];
    this.windowAlarms = [];
    this.thresholds = [];
    const budget = BurnRateCalculator.errorBudgetPercent(props.objectivePercent);
    const link = props.runbookUrl ? ` Runbook: ${props.runbookUrl}` : '';

    windows.forEach((w, i) => {
      if (!(w.burnRate >= 1)) invalid(this, `windows[${i}].burnRate`, w.burnRate, 'a number of at least 1');
      if (w.shortWindow.toSeconds() >= w.longWindow.toSeconds()) {
        invalid(this, `windows[${i}].shortWindow`, w.shortWindow.toHumanString(), `shorter than the long window (${w.longWindow.toHumanString()})`);
      }
      const threshold = BurnRateCalculator.thresholdPercent(props.objectivePercent, w.burnRate);
      this.thresholds.push(threshold);
      const name = `${w.burnRate}x`;
      const summary = `${props.sloName}: the error budget (${budget}%) burns at ${w.burnRate}x, i.e. over ${threshold}% bad events`;
      const alarmFor = (label: string, window: Duration) => {
        const alarm = new cloudwatch.Alarm(this, `Burn${i}${label}`, {
          metric: withPeriod(this, props.badEventPercent, window),
          threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          // No requests means no budget is spent.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: `${summary} over the last ${window.toHumanString()}. Part of a composite alarm that pages; this alarm alone never pages.`,
        });
        for (const action of props.windowActions ?? []) alarm.addAlarmAction(action);
        this.windowAlarms.push(alarm);
        return alarm;
      };
      const long = alarmFor('Long', w.longWindow);
      const short = alarmFor('Short', w.shortWindow);
      const composite = new cloudwatch.CompositeAlarm(this, `Burn${i}`, {
        alarmRule: cloudwatch.AlarmRule.allOf(long, short),
        alarmDescription: truncate(
          `${summary} over both ${w.longWindow.toHumanString()} and ${w.shortWindow.toHumanString()} ` +
          `(${BurnRateCalculator.budgetSpentPercent(w.burnRate, w.longWindow)}% of a 30-day budget spent; ` +
          `all of it gone in ${BurnRateCalculator.timeToExhaustion(w.burnRate).toHumanString()} at this rate). ` +
          `Check first: ${props.checkFirst}.${link} [${name}]`,
        ),
      });
      for (const action of props.actions ?? []) composite.addAlarmAction(action);
      this.compositeAlarms.push(composite);
    });
  }
}

/** The metric with its period replaced by `window` (the statistic keeps applying over the window). */
function withPeriod(scope: Construct, metric: cloudwatch.IMetric, window: Duration): cloudwatch.IMetric {
  if (metric instanceof cloudwatch.MathExpression) return metric.with({ period: window });
  if (metric instanceof cloudwatch.Metric) return metric.with({ period: window });
  return invalid(scope, 'badEventPercent', metric.toString(), 'a cloudwatch.MathExpression or cloudwatch.Metric (its period is set per window)');
}

/** Rounds away binary floating-point noise (100 - 99.9 = 0.0999999...). */
function round(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}
