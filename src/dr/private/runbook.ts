import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { Profile } from '../../core/profile';
import { acknowledge, NAG } from '../../private/nag';

export interface RunbookOptions {
  readonly replica: rds.CfnDBInstance;
  readonly service: ecs.FargateService;
  readonly cluster: ecs.ICluster;
  readonly failoverDesiredCount: number;
  readonly replicaSecretArn?: string;
  readonly replicaLagAlarm: cloudwatch.IAlarm;
  readonly topic: sns.ITopic;
  readonly backupRetentionDays: number;
  readonly profile: Profile;
}

/**
 * The failover runbook as a state machine, with AWS SDK integrations only (no Lambda). Input
 * `{"mode": "FAILOVER"}` cuts over; anything else (or no input) runs the drill, which never promotes.
 *
 * Failover: DescribeReplica, PromoteReplica, wait until promoted, StopSecretReplication,
 * ScaleUpDrService (a new deployment at the primary's size), wait until the tasks run, NotifyFailover.
 * Drill: DescribeReplica, CheckReplicaLag, ScaleDrServiceToOne, wait until the task runs,
 * ScaleDrServiceToZero, NotifyDrill.
 */
export function createRunbook(scope: Construct, options: RunbookOptions): sfn.StateMachine {
  const steps = new RunbookSteps(scope, options);
  const describeReplica = steps.call('DescribeReplica', 'rds', 'describeDBInstances', { DbInstanceIdentifier: options.replica.ref }, [steps.replicaArn], {
    resultSelector: { 'status.$': '$.DbInstances[0].DbInstanceStatus' },
    resultPath: '$.replica',
  });
  const promote = failoverBranch(scope, steps, options);
  const drill = drillBranch(scope, steps, options);
  const mode = new sfn.Choice(scope, 'CheckMode')
    .when(sfn.Condition.isNotPresent('$.mode'), drill)
    .when(sfn.Condition.stringEquals('$.mode', 'FAILOVER'), promote)
    .otherwise(drill);

  const logGroup = new logs.LogGroup(scope, 'RunbookLogs', {
    retention: options.profile.logRetention,
    removalPolicy: options.profile.storeRemovalPolicy,
  });
  acknowledge(logGroup, {
    ids: [...NAG.logGroupKms],
    reason: 'Execution data is excluded from the runbook logs; CloudWatch Logs encrypts them at rest with its own key.',
  });
  const machine = new sfn.StateMachine(scope, 'Runbook', {
    definitionBody: sfn.DefinitionBody.fromChainable(describeReplica.next(mode)),
    comment: 'Pilot-light failover runbook: {"mode":"FAILOVER"} cuts over; any other input runs the drill',
    timeout: Duration.hours(2),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  acknowledge(machine.role, { ids: [NAG.wildcardResource[0]], reason: 'Log delivery and X-Ray tracing need Resource "*"; cloudwatch:DescribeAlarms supports no resource-level permission.' });
  acknowledge(machine.role, { ids: [...NAG.inlinePolicy], reason: 'The runbook\'s policy belongs to its role alone and lists each step\'s action on its resource.' });
  return machine;
}

/** Builds the runbook's SDK calls, each of which notifies and fails the execution on error. */
class RunbookSteps {
  public readonly replicaArn: string;
  public readonly serviceParams: { Cluster: string; Service: string };
  private readonly notifyFailure: sfn.IChainable;

  constructor(private readonly scope: Construct, private readonly options: RunbookOptions) {
    const stack = Stack.of(scope);
    this.replicaArn = stack.formatArn({ service: 'rds', resource: 'db', resourceName: options.replica.ref, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.serviceParams = { Cluster: options.cluster.clusterName, Service: options.service.serviceName };
    const failed = new sfn.Fail(scope, 'RunbookFailed', { error: 'RunbookFailed', cause: 'A runbook step failed; see the execution history' });
    this.notifyFailure = new tasks.SnsPublish(scope, 'NotifyFailure', {
      topic: options.topic,
      subject: 'Pilot-light runbook FAILED',
      message: sfn.TaskInput.fromText(sfn.JsonPath.format('Runbook execution {} failed: {}', sfn.JsonPath.executionName, sfn.JsonPath.stringAt('$.error.Cause'))),
      resultPath: sfn.JsonPath.DISCARD,
    }).next(failed);
  }

  /** An AWS SDK call whose result is discarded unless `extra` says otherwise. */
  public call(
    id: string, service: string, action: string, parameters: { [key: string]: unknown }, resources: string[],
    extra?: Partial<tasks.CallAwsServiceProps>,
  ): tasks.CallAwsService {
    const task = new tasks.CallAwsService(this.scope, id, {
      service,
      action,
      parameters,
      iamResources: resources,
      resultPath: sfn.JsonPath.DISCARD,
      ...extra,
    });
    task.addCatch(this.notifyFailure, { resultPath: '$.error' });
    return task;
  }

  /** Reads the standby service's running and desired counts into `resultPath`. */
  public describeService(id: string, resultPath: string): tasks.CallAwsService {
    const { cluster, service } = this.options;
    return this.call(id, 'ecs', 'describeServices', { Cluster: cluster.clusterName, Services: [service.serviceName] }, [service.serviceArn], {
      iamAction: 'ecs:DescribeServices',
      resultSelector: { 'running.$': '$.Services[0].RunningCount', 'desired.$': '$.Services[0].DesiredCount' },
      resultPath,
    });
  }
}

/** FAILOVER: promote, wait, detach the secret, scale up with a new deployment, confirm, notify. */
function failoverBranch(scope: Construct, steps: RunbookSteps, options: RunbookOptions): sfn.IChainable {
  const promote = steps.call('PromoteReplica', 'rds', 'promoteReadReplica', {
    DbInstanceIdentifier: options.replica.ref,
    BackupRetentionPeriod: options.backupRetentionDays,
  }, [steps.replicaArn]);
  const waitForPromotion = new sfn.Wait(scope, 'WaitForPromotion', { time: sfn.WaitTime.duration(Duration.seconds(60)) });
  const describePromoted = steps.call('DescribePromotedDatabase', 'rds', 'describeDBInstances', { DbInstanceIdentifier: options.replica.ref }, [steps.replicaArn], {
    resultSelector: { 'db.$': '$.DbInstances[0]' },
    resultPath: '$.promoted',
  });
  const scaleUp = steps.call('ScaleUpDrService', 'ecs', 'updateService', {
    ...steps.serviceParams,
    DesiredCount: options.failoverDesiredCount,
    ForceNewDeployment: true,
  }, [options.service.serviceArn]);
  const waitForTasks = new sfn.Wait(scope, 'WaitForDrTasks', { time: sfn.WaitTime.duration(Duration.seconds(30)) });
  const describeAfterScaleUp = steps.describeService('DescribeDrService', '$.service');
  const notifyFailover = new tasks.SnsPublish(scope, 'NotifyFailover', {
    topic: options.topic,
    subject: 'Pilot-light failover complete',
    message: sfn.TaskInput.fromText(sfn.JsonPath.format('Failover {} complete: database promoted, DR service running. Started at {}.', sfn.JsonPath.executionName, sfn.JsonPath.executionStartTime)),
    resultPath: sfn.JsonPath.DISCARD,
  });
  const serviceHealthy = new sfn.Choice(scope, 'IsDrServiceHealthy')
    .when(sfn.Condition.and(
      sfn.Condition.numberGreaterThan('$.service.desired', 0),
      sfn.Condition.numberGreaterThanEqualsJsonPath('$.service.running', '$.service.desired'),
    ), notifyFailover.next(new sfn.Succeed(scope, 'FailoverDone')))
    .otherwise(waitForTasks);
  waitForTasks.next(describeAfterScaleUp).next(serviceHealthy);
  const afterPromotion: sfn.IChainable = options.replicaSecretArn
    ? steps.call('StopSecretReplication', 'secretsmanager', 'stopReplicationToReplica', { SecretId: options.replicaSecretArn }, [options.replicaSecretArn]).next(scaleUp)
    : scaleUp;
  scaleUp.next(waitForTasks);
  const promoted = new sfn.Choice(scope, 'IsPromoted')
    .when(sfn.Condition.and(
      sfn.Condition.isNotPresent('$.promoted.db.ReadReplicaSourceDBInstanceIdentifier'),
      sfn.Condition.stringEquals('$.promoted.db.DbInstanceStatus', 'available'),
    ), afterPromotion)
    .otherwise(waitForPromotion);
  promote.next(waitForPromotion);
  waitForPromotion.next(describePromoted).next(promoted);
  return promote;
}

/** DRILL: every step that is safe without cutting over; never promotes. */
function drillBranch(scope: Construct, steps: RunbookSteps, options: RunbookOptions): sfn.IChainable {
  const checkLag = steps.call('CheckReplicaLag', 'cloudwatch', 'describeAlarms', { AlarmNames: [options.replicaLagAlarm.alarmName] }, ['*'], {
    resultSelector: { 'state.$': '$.MetricAlarms[0].StateValue' },
    resultPath: '$.lag',
  });
  const lagTooHigh = new sfn.Fail(scope, 'ReplicaLagAboveObjective', { error: 'ReplicaLagAboveObjective', cause: 'The replica lag alarm is in ALARM: the recovery point objective is not met' });
  const scaleToOne = steps.call('ScaleDrServiceToOne', 'ecs', 'updateService', { ...steps.serviceParams, DesiredCount: 1 }, [options.service.serviceArn]);
  const waitForDrillTask = new sfn.Wait(scope, 'WaitForDrillTask', { time: sfn.WaitTime.duration(Duration.seconds(30)) });
  const describeDrill = steps.describeService('DescribeDrillService', '$.service');
  const scaleToZero = steps.call('ScaleDrServiceToZero', 'ecs', 'updateService', { ...steps.serviceParams, DesiredCount: 0 }, [options.service.serviceArn]);
  const notifyDrill = new tasks.SnsPublish(scope, 'NotifyDrill', {
    topic: options.topic,
    subject: 'Pilot-light drill passed',
    message: sfn.TaskInput.fromText(sfn.JsonPath.format('Drill {} passed: replica {}, lag within objective, a DR task started and stopped. Started at {}.', sfn.JsonPath.executionName, sfn.JsonPath.stringAt('$.replica.status'), sfn.JsonPath.executionStartTime)),
    resultPath: sfn.JsonPath.DISCARD,
  });
  const drillTaskRunning = new sfn.Choice(scope, 'IsDrillTaskRunning')
    .when(sfn.Condition.numberGreaterThanEquals('$.service.running', 1), scaleToZero.next(notifyDrill).next(new sfn.Succeed(scope, 'DrillDone')))
    .otherwise(waitForDrillTask);
  waitForDrillTask.next(describeDrill).next(drillTaskRunning);
  const lagOk = new sfn.Choice(scope, 'IsLagWithinObjective')
    .when(sfn.Condition.stringEquals('$.lag.state', 'ALARM'), lagTooHigh)
    .otherwise(scaleToOne.next(waitForDrillTask));
  return checkLag.next(lagOk);
}
