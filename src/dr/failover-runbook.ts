import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DrDataReplication } from './dr-data-replication';
import { splitModulesOf } from './private/compute';
import { createReadinessCheck } from './private/readiness';
import { ReplicaTarget } from './private/replica-target';
import { createRunbook } from './private/runbook';
import { checkReadinessInterval } from './private/validate';
import { StandbyService } from './standby-service';
import { IMonolithService } from '../core/contracts';
import { Profile } from '../core/profile';
import { resolveProfile } from '../private/profile';
import { checkRange } from '../private/validate';

/** Properties of a `FailoverRunbook`. */
export interface FailoverRunbookProps {
  /** The primary service, whose running task definition the readiness check compares with the standby's. */
  readonly primary: IMonolithService;
  /** The replicated data in the DR region (the runbook promotes its replica). */
  readonly data: DrDataReplication;
  /** The standby service the runbook scales up. */
  readonly standby: StandbyService;
  /** The alarm on replica lag. The drill fails while it is in ALARM. */
  readonly replicaLagAlarm: cloudwatch.IAlarm;
  /** Where the runbook's notifications and the readiness alarm go (a topic in the DR region). */
  readonly notificationTopic: sns.ITopic;
  /**
   * Tasks the runbook starts on failover.
   *
   * @default - the primary service's desired count, else the profile's `minTasks`
   */
  readonly failoverDesiredCount?: number;
  /**
   * The replica lag above which the readiness check fails.
   *
   * @default Duration.minutes(5)
   */
  readonly recoveryPointObjective?: Duration;
  /**
   * How often the readiness check runs (whole minutes, 5 minutes to 1 day).
   *
   * @default Duration.hours(1)
   */
  readonly readinessInterval?: Duration;
  /**
   * How long the runbook waits for the replica's promotion before it notifies and fails.
   *
   * @default Duration.minutes(30)
   */
  readonly promotionTimeout?: Duration;
  /**
   * How long the runbook waits, each time, for the standby's tasks to start or stop before it
   * notifies and fails (a drill then puts the standby back as it found it).
   *
   * @default Duration.minutes(10)
   */
  readonly serviceTimeout?: Duration;
  /**
   * The name the readiness and runbook metrics is published under (the `PilotLightDr` dimension).
   *
   * @default - this construct's path
   */
  readonly name?: string;
  /**
   * The deployment profile (log retention, backup retention of the promoted database).
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * The failover runbook (a Step Functions state machine: `{"mode":"FAILOVER"}` promotes the replica
 * and scales the standby up; any other input runs a drill that never promotes) and a scheduled
 * readiness check that alarms when the DR region could not take over.
 *
 * @example
 * import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
 * import * as sns from 'aws-cdk-lib/aws-sns';
 * import { DrDataReplication, FailoverRunbook, IMonolithService, StandbyService } from 'cdk-lean-stack';
 *
 * declare const primary: IMonolithService;
 * declare const data: DrDataReplication;
 * declare const standby: StandbyService;
 * declare const lagAlarm: cloudwatch.IAlarm;
 * declare const topic: sns.ITopic;
 *
 * new FailoverRunbook(this, 'Runbook', { primary, data, standby, replicaLagAlarm: lagAlarm, notificationTopic: topic });
 */
export class FailoverRunbook extends Construct {
  /** The failover runbook. Start it with `{"mode":"FAILOVER"}`, or with `{"mode":"DRILL"}` to rehearse. */
  public readonly stateMachine: sfn.StateMachine;
  /** The scheduled readiness check. */
  public readonly readinessCheck: lambda.Function;
  /** Alarms when the DR region is not ready. */
  public readonly readinessAlarm: cloudwatch.Alarm;
  /** Alarms when a runbook execution fails or times out. */
  public readonly runbookFailureAlarm: cloudwatch.Alarm;
  /** Tasks the runbook starts on failover. */
  public readonly failoverDesiredCount: number;

  constructor(scope: Construct, id: string, props: FailoverRunbookProps) {
    super(scope, id);
    const profile = resolveProfile(this, props.profile, { encryptsOwnLogs: true });
    this.failoverDesiredCount = props.failoverDesiredCount ?? primaryDesiredCount(props.primary) ?? profile.minTasks;
    checkRange(this, 'failoverDesiredCount', this.failoverDesiredCount, { min: 1, integer: true });
    const readinessInterval = props.readinessInterval ?? Duration.hours(1);
    checkReadinessInterval(this, readinessInterval);
    const { data, standby } = props;
    const name = props.name ?? this.node.path;
    const promotionTimeout = props.promotionTimeout ?? Duration.minutes(30);
    const serviceTimeout = props.serviceTimeout ?? Duration.minutes(10);
    checkRange(this, 'promotionTimeout (minutes)', promotionTimeout.toMinutes({ integral: false }), { min: 1, max: 60 });
    checkRange(this, 'serviceTimeout (minutes)', serviceTimeout.toMinutes({ integral: false }), { min: 1, max: 30 });
    // the RDS read replica, or the Aurora secondary cluster and the global database it leaves
    const replica: ReplicaTarget = data.aurora
      ? { identifier: data.aurora.clusterIdentifier, globalClusterIdentifier: data.aurora.globalClusterIdentifier }
      : { identifier: data.replica!.ref };
    this.stateMachine = createRunbook(this, {
      name,
      promotionTimeout,
      serviceTimeout,
      replica,
      service: standby.service,
      moduleServices: Object.values(standby.moduleServices),
      cluster: standby.cluster,
      failoverDesiredCount: this.failoverDesiredCount,
      replicaSecretArn: data.replicaSecretArn,
      replicaLagAlarm: props.replicaLagAlarm,
      topic: props.notificationTopic,
      backupRetentionDays: profile.backupRetention.toDays(),
      profile,
    });
    const readiness = createReadinessCheck(this, {
      name,
      replica,
      rpo: props.recoveryPointObjective ?? Duration.minutes(5),
      repositoryName: standby.repositoryName,
      overriddenVariables: standby.overriddenVariables,
      imageTag: standby.imageTag,
      primaryRegion: Stack.of(props.primary).region,
      primaryService: props.primary.service,
      primaryClusterName: props.primary.cluster.clusterName,
      drTaskDefinition: standby.taskDefinition,
      containerName: props.primary.containerName,
      modules: Object.entries(splitModulesOf(props.primary))
        .filter(([module]) => standby.moduleTaskDefinitions[module])
        .map(([module, primaryService]) => ({ name: module, primaryService, drTaskDefinition: standby.moduleTaskDefinitions[module] })),
      schedule: readinessInterval,
      topic: props.notificationTopic,
      profile,
    });
    this.readinessCheck = readiness.function;
    this.readinessAlarm = readiness.alarm;
    this.runbookFailureAlarm = new cloudwatch.Alarm(this, 'RunbookFailureAlarm', {
      alarmDescription: 'A pilot-light runbook execution failed or timed out (see the execution history)',
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut',
        usingMetrics: { failed: this.stateMachine.metricFailed(), timedOut: this.stateMachine.metricTimedOut() },
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // no execution, no datapoint: nothing failed
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.runbookFailureAlarm.addAlarmAction(new cwActions.SnsAction(props.notificationTopic));
  }
}

/** The primary service's desired count, when it is a plain number. */
function primaryDesiredCount(service: IMonolithService): number | undefined {
  const count = (service.service.node.defaultChild as ecs.CfnService).desiredCount;
  return typeof count === 'number' && !Token.isUnresolved(count) ? count : undefined;
}
