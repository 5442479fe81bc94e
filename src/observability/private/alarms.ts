import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { describeAlarm } from './text';
import { acknowledge } from '../../private/nag';
import { SloBurnRateAlarms, SloBurnRateAlarmsProps } from '../slo';

/** Whether an alarm wakes someone up or opens a ticket. */
export enum Severity {
  PAGE = 'page',
  TICKET = 'ticket',
}

/** One threshold alarm, as the per-layer helpers describe it. */
export interface AlarmSpec {
  /** Construct id, and the runbook anchor (lower-cased). */
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly severity: Severity;
  /** What the alarm means, e.g. "CPU of api above 70% for 15 minutes". */
  readonly what: string;
  /** What to look at first. */
  readonly checkFirst: string;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/** How the alarm book files alarms. */
export interface AlarmBookOptions {
  readonly action: cloudwatch.IAlarmAction;
  /** Where the SLO window alarms notify (a channel nobody is paged by); none leaves them without actions. */
  readonly signalAction?: cloudwatch.IAlarmAction;
  /** The topic behind `action`, for alarms whose state changes are forwarded to it. */
  readonly topic: sns.ITopic;
  readonly pagingOnly: boolean;
  readonly runbookUrl?: string;
}

/**
 * Creates every alarm of an ObservabilityStack the same way (description with what to check
 * first and the runbook link, the topic as action) and keeps the count CloudWatch bills.
 */
export class AlarmBook {
  /** Every alarm that can notify on its own (metric alarms with actions and composites). */
  public readonly alarms: cloudwatch.IAlarm[] = [];
  /** Every alarm resource, including the window alarms inside composites. */
  public readonly allAlarms: cloudwatch.IAlarm[] = [];
  /** The alarms that page, for the dashboard's status widget. */
  public readonly pagingAlarms: cloudwatch.IAlarm[] = [];
  public metricAlarmCount = 0;
  public compositeAlarmCount = 0;
  /** Metric alarms are billed per metric they read (a metric math alarm over two metrics counts twice). */
  public billedAlarmMetrics = 0;

  constructor(private readonly options: AlarmBookOptions) {}

  /** Whether alarms of this severity are wanted. */
  public wants(severity: Severity): boolean {
    return severity === Severity.PAGE || !this.options.pagingOnly;
  }

  /** The topic every alarm notifies. */
  public get topic(): sns.ITopic {
    return this.options.topic;
  }

  /** Creates the alarm when its severity is wanted. */
  public add(scope: Construct, spec: AlarmSpec): cloudwatch.Alarm | undefined {
    const alarm = this.create(scope, spec);
    alarm?.addAlarmAction(this.options.action);
    return alarm;
  }

  /**
   * Creates the alarm, named, without an action when its severity is wanted: an alarm in another
   * region than the topic's cannot publish to it, so an EventBridge rule forwards its state
   * changes (matched by the name).
   */
  public addForwarded(scope: Construct, spec: AlarmSpec, alarmName: string): cloudwatch.Alarm | undefined {
    const alarm = this.create(scope, spec, alarmName);
    if (alarm) {
      acknowledge(alarm, {
        ids: ['HIPAA.Security-CloudWatchAlarmAction', 'NIST.800.53.R5-CloudWatchAlarmAction'],
        reason: 'An alarm in us-east-1 (where CloudFront publishes its metrics) cannot notify a topic in another region: an EventBridge rule forwards its state changes to the alarm topic\'s region.',
      });
    }
    return alarm;
  }

  private create(scope: Construct, spec: AlarmSpec, alarmName?: string): cloudwatch.Alarm | undefined {
    if (!this.wants(spec.severity)) return undefined;
    const alarm = new cloudwatch.Alarm(scope, spec.id, {
      alarmName,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: describeAlarm(`[${spec.severity}] ${spec.what}`, spec.checkFirst, this.options.runbookUrl, spec.id.toLowerCase()),
    });
    this.track(alarm, spec.severity, countMetrics(spec.metric));
    return alarm;
  }

  /** Creates burn-rate alarms: the composites page, the windows notify the signal action (if any). */
  public addSlo(scope: Construct, id: string, props: Omit<SloBurnRateAlarmsProps, 'actions' | 'windowActions' | 'runbookUrl'>): SloBurnRateAlarms {
    const signal = this.options.signalAction;
    const slo = new SloBurnRateAlarms(scope, id, {
      ...props,
      actions: [this.options.action],
      windowActions: signal ? [signal] : undefined,
      runbookUrl: this.options.runbookUrl ? `${this.options.runbookUrl}#${id.toLowerCase()}` : undefined,
    });
    const perAlarm = countMetrics(props.badEventPercent);
    for (const alarm of slo.windowAlarms) {
      if (!signal) {
        acknowledge(alarm, {
          ids: ['HIPAA.Security-CloudWatchAlarmAction', 'NIST.800.53.R5-CloudWatchAlarmAction'],
          reason: 'A window of a multi-window burn-rate alert: the composite alarm over both windows carries the action; notifying per window would page on blips, and there is no signal topic (a bring-your-own topic without `topicKey`).',
        });
      }
      this.allAlarms.push(alarm);
      this.metricAlarmCount += 1;
      this.billedAlarmMetrics += perAlarm;
    }
    for (const composite of slo.compositeAlarms) {
      this.alarms.push(composite);
      this.allAlarms.push(composite);
      this.pagingAlarms.push(composite);
      this.compositeAlarmCount += 1;
    }
    return slo;
  }

  private track(alarm: cloudwatch.Alarm, severity: Severity, metrics: number): void {
    this.alarms.push(alarm);
    this.allAlarms.push(alarm);
    if (severity === Severity.PAGE) this.pagingAlarms.push(alarm);
    this.metricAlarmCount += 1;
    this.billedAlarmMetrics += metrics;
  }
}

/** How many metrics an alarm on this metric reads (what CloudWatch bills a metric alarm by). */
export function countMetrics(metric: cloudwatch.IMetric): number {
  if (metric instanceof cloudwatch.MathExpression) {
    return Object.values(metric.usingMetrics).reduce((sum, m) => sum + countMetrics(m), 0);
  }
  return 1;
}
