import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { createDrLogGroup } from './logs';
import { auroraWriterIdentifier, replicaArn, ReplicaTarget } from './replica-target';
import { Profile } from '../../core/profile';
import { acknowledge, NAG } from '../../private/nag';

/** Where the runbook publishes how long each step took. */
export const RUNBOOK_NAMESPACE = 'CdkLeanStack/PilotLightDr';

/** How often the runbook polls while it waits. */
export const PROMOTION_POLL = Duration.seconds(30);
export const SERVICE_POLL = Duration.seconds(15);

export interface RunbookOptions {
  readonly name: string;
  readonly replica: ReplicaTarget;
  readonly service: ecs.FargateService;
  /** The split modules' standby services, scaled up with the main one on failover. */
  readonly moduleServices: ecs.FargateService[];
  readonly cluster: ecs.ICluster;
  readonly failoverDesiredCount: number;
  readonly replicaSecretArn?: string;
  readonly replicaLagAlarm: cloudwatch.IAlarm;
  readonly topic: sns.ITopic;
  readonly backupRetentionDays: number;
  /** The bound on waiting for the replica's promotion. */
  readonly promotionTimeout: Duration;
  /** The bound on each wait for the service's tasks to start or stop. */
  readonly serviceTimeout: Duration;
  readonly profile: Profile;
}

/**
 * The failover runbook as a state machine, with AWS SDK integrations only (no Lambda). Input
 * `{"mode": "FAILOVER"}` cuts over; anything else (or no input) runs the drill, which never promotes.
 *
 * Every wait loop counts its rounds and gives up at its own bound; a failure or a bound reached
 * notifies the topic and fails the execution, and a drill puts the standby back at the desired
 * count it found. A run that reaches its end publishes each step's duration and the total as
 * metrics and in its notification.
 */
export function createRunbook(scope: Construct, options: RunbookOptions): sfn.StateMachine {
  const steps = new RunbookSteps(scope, options);
  const start = new sfn.Pass(scope, 'StartRunbook', {
    result: sfn.Result.fromObject({ promotion: 0, start: 0, stop: 0 }),
    resultPath: '$.waits',
  });
  const describeReplica = options.replica.globalClusterIdentifier
    ? steps.call('DescribeReplica', 'rds', 'describeDBClusters', { DbClusterIdentifier: options.replica.identifier }, [steps.replicaArn], {
      resultSelector: { 'status.$': '$.DbClusters[0].Status' },
      resultPath: '$.replica',
    })
    : steps.call('DescribeReplica', 'rds', 'describeDBInstances', { DbInstanceIdentifier: options.replica.identifier }, [steps.replicaArn], {
      resultSelector: { 'status.$': '$.DbInstances[0].DbInstanceStatus' },
      resultPath: '$.replica',
    });
  const drill = drillBranch(scope, steps, options);
  const mode = new sfn.Choice(scope, 'CheckMode')
    .when(sfn.Condition.isNotPresent('$.mode'), drill)
    .when(sfn.Condition.stringEquals('$.mode', 'FAILOVER'), failoverBranch(scope, steps, options))
    .otherwise(drill);

  const logGroup = createDrLogGroup(scope, 'RunbookLogs', options.profile,
    'Execution data is excluded from the runbook logs; CloudWatch Logs encrypts them at rest with its own key.');
  const machine = new sfn.StateMachine(scope, 'Runbook', {
    definitionBody: sfn.DefinitionBody.fromChainable(start.next(describeReplica).next(mode)),
    comment: 'Pilot-light failover runbook: {"mode":"FAILOVER"} cuts over; any other input runs the drill',
    timeout: Duration.hours(2),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  acknowledge(machine.role, {
    ids: [NAG.wildcardResource[0]],
    reason: 'Log delivery and X-Ray tracing need Resource "*"; cloudwatch:DescribeAlarms and cloudwatch:PutMetricData support no resource-level permission.',
  });
  acknowledge(machine.role, { ids: [...NAG.inlinePolicy], reason: 'The runbook\'s policy belongs to its role alone and lists each step\'s action on its resource.' });
  return machine;
}

/** One counter per wait loop, each with its own bound. */
const WAIT_COUNTERS = ['promotion', 'start', 'stop'] as const;
type WaitCounter = typeof WAIT_COUNTERS[number];

/** Builds the runbook's states; every SDK call notifies and fails the execution on error. */
class RunbookSteps {
  public readonly replicaArn: string;
  public readonly notifyFailure: sfn.IChainable;

  constructor(private readonly scope: Construct, public readonly options: RunbookOptions) {
    this.replicaArn = replicaArn(scope, options.replica);
    this.notifyFailure = this.notify('NotifyFailure', 'Pilot-light runbook FAILED', 'Runbook execution {} failed: {}', '$.error.Cause')
      .next(new sfn.Fail(scope, 'RunbookFailed', { error: 'RunbookFailed', cause: 'A runbook step failed; see the execution history' }));
  }

  /** An AWS SDK call whose result is discarded unless `extra` says otherwise; errors go to `onError`. */
  public call(
    id: string, service: string, action: string, parameters: { [key: string]: unknown }, resources: string[],
    extra?: Partial<tasks.CallAwsServiceProps>, onError?: sfn.IChainable,
  ): tasks.CallAwsService {
    const task = new tasks.CallAwsService(this.scope, id, {
      service, action, parameters, iamResources: resources, resultPath: sfn.JsonPath.DISCARD, ...extra,
    });
    task.addCatch(onError ?? this.notifyFailure, { resultPath: '$.error' });
    return task;
  }

  /** Reads the standby service's running and desired counts into `resultPath`. */
  public describeService(id: string, resultPath: string, onError?: sfn.IChainable): tasks.CallAwsService {
    const { cluster, service } = this.options;
    return this.call(id, 'ecs', 'describeServices', { Cluster: cluster.clusterName, Services: [service.serviceName] }, [service.serviceArn], {
      iamAction: 'ecs:DescribeServices',
      resultSelector: { 'running.$': '$.Services[0].RunningCount', 'desired.$': '$.Services[0].DesiredCount' },
      resultPath,
    }, onError);
  }

  /** Sets the desired count of the standby (or of `service`): a number, or a JSONPath into the state. */
  public scale(
    id: string, desired: number | string, onError?: sfn.IChainable, forceNewDeployment = false, service = this.options.service,
  ): tasks.CallAwsService {
    const count = typeof desired === 'number' ? { DesiredCount: desired } : { 'DesiredCount.$': desired };
    return this.call(id, 'ecs', 'updateService', {
      Cluster: this.options.cluster.clusterName, Service: service.serviceName, ...count, ...(forceNewDeployment ? { ForceNewDeployment: true } : {}),
    }, [service.serviceArn], undefined, onError);
  }

  /** Publishes a notification; `path` fills the second `{}` of the message. */
  public notify(id: string, subject: string, message: string, path: string): tasks.SnsPublish {
    return new tasks.SnsPublish(this.scope, id, {
      topic: this.options.topic,
      subject,
      message: sfn.TaskInput.fromText(sfn.JsonPath.format(message, sfn.JsonPath.executionName, sfn.JsonPath.stringAt(path))),
      resultPath: sfn.JsonPath.DISCARD,
    });
  }

  /** Records when a step ended, for the durations. */
  public mark(id: string, name: string): sfn.Pass {
    return new sfn.Pass(this.scope, id, { parameters: { 'at.$': '$$.State.EnteredTime' }, resultPath: `$.marks.${name}` });
  }

  /**
   * A bounded wait: wait `poll`, count the round in `$.waits`, run `check`. The caller's choice
   * after `check` routes to its timeout path on `timedOut` (the bound reached). Returns the wait.
   */
  public boundedWait(
    id: string, counter: WaitCounter, poll: Duration, bound: Duration, check: sfn.IChainable,
  ): { first: sfn.Wait; timedOut: sfn.Condition } {
    const wait = new sfn.Wait(this.scope, `WaitFor${id}`, { time: sfn.WaitTime.duration(poll) });
    const parameters: { [key: string]: string } = {};
    for (const c of WAIT_COUNTERS) parameters[`${c}.$`] = c === counter ? `States.MathAdd($.waits.${c}, 1)` : `$.waits.${c}`;
    wait.next(new sfn.Pass(this.scope, `Count${id}Wait`, { parameters, resultPath: '$.waits' })).next(check);
    const rounds = Math.max(1, Math.ceil(bound.toSeconds() / poll.toSeconds()));
    return { first: wait, timedOut: sfn.Condition.numberGreaterThanEquals(`$.waits.${counter}`, rounds) };
  }

  /** Computes step durations (JSONata), publishes them as metrics, and returns the publishing state. */
  public publishDurations(id: string, mode: string, spans: Array<[string, string, string]>): sfn.IChainable {
    const seconds = (from: string, to: string) => `($toMillis(${to}) - $toMillis(${from})) / 1000`;
    const at = (mark: string) => (mark === 'start' ? '$states.context.Execution.StartTime' : `$states.input.marks.${mark}.at`);
    const entries = spans.map(([metric, from, to]) => `'${metric}': ${seconds(at(from), at(to))}`).join(', ');
    const compute = sfn.Pass.jsonata(this.scope, `Compute${id}Durations`, {
      outputs: `{% $merge([$states.input, { 'durations': { ${entries} } }]) %}`,
    });
    const metricData = spans.map(([metric]) => ({
      'MetricName': metric,
      'Unit': 'Seconds',
      'Value.$': `$.durations.${metric}`,
      'Dimensions': [{ Name: 'PilotLightDr', Value: this.options.name }, { Name: 'Mode', Value: mode }],
    }));
    const publish = this.call(`Publish${id}Durations`, 'cloudwatch', 'putMetricData', { Namespace: RUNBOOK_NAMESPACE, MetricData: metricData }, ['*']);
    return compute.next(publish);
  }
}

/** FAILOVER: promote, wait (bounded), detach the secret, scale up, wait (bounded), measure, notify. */
function failoverBranch(scope: Construct, steps: RunbookSteps, options: RunbookOptions): sfn.IChainable {
  const scaleUp = steps.scale('ScaleUpDrService', options.failoverDesiredCount, undefined, true);
  const describeAfterScaleUp = steps.describeService('DescribeDrService', '$.service');
  const tasksStart = steps.boundedWait('DrTasks', 'start', SERVICE_POLL, options.serviceTimeout, describeAfterScaleUp);
  const done = steps.mark('MarkServing', 'serving')
    .next(steps.publishDurations('Failover', 'FAILOVER', [['PromotionSeconds', 'start', 'promoted'], ['ScaleUpSeconds', 'promoted', 'serving'], ['TotalSeconds', 'start', 'serving']]))
    .next(steps.notify('NotifyFailover', 'Pilot-light failover complete',
      'Failover {} complete: database promoted and DR service running in {} s (see the durations in the execution output and the runbook metrics).', '$.durations.TotalSeconds'))
    .next(new sfn.Succeed(scope, 'FailoverDone'));
  describeAfterScaleUp.next(new sfn.Choice(scope, 'IsDrServiceHealthy')
    .when(sfn.Condition.and(
      sfn.Condition.numberGreaterThan('$.service.desired', 0),
      sfn.Condition.numberGreaterThanEqualsJsonPath('$.service.running', '$.service.desired'),
    ), done)
    .when(tasksStart.timedOut, failoverTimedOut(scope, steps, 'DrTasks', 'start', `the DR tasks did not all run within ${options.serviceTimeout.toMinutes()} minutes`))
    .otherwise(tasksStart.first));
  // the split modules start with the main service; the wait watches the main service, which the front door's default route reaches
  const scaleUpModules = options.moduleServices.reduce<tasks.CallAwsService>((previous, service) => {
    const next = steps.scale(`ScaleUpDr${service.node.scope!.node.id}`, options.failoverDesiredCount, undefined, true, service);
    previous.next(next);
    return next;
  }, scaleUp);
  scaleUpModules.next(tasksStart.first);
  const afterPromotion: sfn.IChainable = steps.mark('MarkPromoted', 'promoted').next(options.replicaSecretArn
    ? steps.call('StopSecretReplication', 'secretsmanager', 'stopReplicationToReplica', { SecretId: options.replicaSecretArn }, [options.replicaSecretArn]).next(scaleUp)
    : scaleUp);
  return options.replica.globalClusterIdentifier ? auroraPromotion(scope, steps, afterPromotion) : replicaPromotion(scope, steps, afterPromotion);
}

/** Notifies that a bounded wait of the failover gave up, and fails the execution. */
function failoverTimedOut(scope: Construct, steps: RunbookSteps, id: string, counter: WaitCounter, what: string): sfn.IChainable {
  return steps.notify(`Notify${id}TimedOut`, 'Pilot-light failover TIMED OUT', `Failover {} stopped: ${what} (waited {} rounds).`, `$.waits.${counter}`)
    .next(new sfn.Fail(scope, `${id}TimedOut`, { error: `${id}TimedOut`, cause: what }));
}

/** RDS: promote the read replica to a standalone instance, and wait (bounded) until it is one. */
function replicaPromotion(scope: Construct, steps: RunbookSteps, then: sfn.IChainable): sfn.IChainable {
  const { options } = steps;
  const promote = steps.call('PromoteReplica', 'rds', 'promoteReadReplica', {
    DbInstanceIdentifier: options.replica.identifier,
    BackupRetentionPeriod: options.backupRetentionDays,
  }, [steps.replicaArn]);
  const describePromoted = steps.call('DescribePromotedDatabase', 'rds', 'describeDBInstances', { DbInstanceIdentifier: options.replica.identifier }, [steps.replicaArn], {
    resultSelector: { 'db.$': '$.DbInstances[0]' },
    resultPath: '$.promoted',
  });
  const promotion = steps.boundedWait('Promotion', 'promotion', PROMOTION_POLL, options.promotionTimeout, describePromoted);
  describePromoted.next(new sfn.Choice(scope, 'IsPromoted')
    .when(sfn.Condition.and(
      sfn.Condition.isNotPresent('$.promoted.db.ReadReplicaSourceDBInstanceIdentifier'),
      sfn.Condition.stringEquals('$.promoted.db.DbInstanceStatus', 'available'),
    ), then)
    .when(promotion.timedOut, failoverTimedOut(scope, steps, 'Promotion', 'promotion', `the replica was not promoted within ${options.promotionTimeout.toMinutes()} minutes`))
    .otherwise(promotion.first));
  return promote.next(promotion.first);
}

/**
 * Aurora: give the headless secondary a Serverless v2 writer, wait (bounded) until it is available,
 * detach the secondary from the global database ("detach and promote": the primary region may be
 * gone, so no managed failover), and wait (same bound) until the standalone cluster is available.
 */
function auroraPromotion(scope: Construct, steps: RunbookSteps, then: sfn.IChainable): sfn.IChainable {
  const { options } = steps;
  const writer = auroraWriterIdentifier(options.replica);
  const writerArn = Stack.of(scope).formatArn({ service: 'rds', resource: 'db', resourceName: writer, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const globalArn = Stack.of(scope).formatArn({
    service: 'rds', region: '', resource: 'global-cluster', resourceName: options.replica.globalClusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const bound = `${options.promotionTimeout.toMinutes()} minutes`;
  const createWriter = steps.call('CreateAuroraWriter', 'rds', 'createDBInstance', {
    DbClusterIdentifier: options.replica.identifier,
    DbInstanceIdentifier: writer,
    DbInstanceClass: 'db.serverless',
    Engine: 'aurora-postgresql',
  }, [writerArn, steps.replicaArn]);
  const describeWriter = steps.call('DescribeAuroraWriter', 'rds', 'describeDBInstances', { DbInstanceIdentifier: writer }, [writerArn], {
    resultSelector: { 'status.$': '$.DbInstances[0].DbInstanceStatus' },
    resultPath: '$.writer',
  });
  const writerWait = steps.boundedWait('AuroraWriter', 'promotion', PROMOTION_POLL, options.promotionTimeout, describeWriter);
  const detach = steps.call('RemoveFromGlobalCluster', 'rds', 'removeFromGlobalCluster', {
    GlobalClusterIdentifier: options.replica.globalClusterIdentifier,
    DbClusterIdentifier: steps.replicaArn,
  }, [globalArn, steps.replicaArn]);
  const describeCluster = steps.call('DescribeDetachedCluster', 'rds', 'describeDBClusters', { DbClusterIdentifier: options.replica.identifier }, [steps.replicaArn], {
    resultSelector: { 'status.$': '$.DbClusters[0].Status' },
    resultPath: '$.promoted',
  });
  const detachWait = steps.boundedWait('Detach', 'promotion', PROMOTION_POLL, options.promotionTimeout, describeCluster);
  describeWriter.next(new sfn.Choice(scope, 'IsAuroraWriterAvailable')
    .when(sfn.Condition.stringEquals('$.writer.status', 'available'), detach)
    .when(writerWait.timedOut, failoverTimedOut(scope, steps, 'AuroraWriter', 'promotion', `the Aurora writer was not available within ${bound}`))
    .otherwise(writerWait.first));
  detach.next(detachWait.first);
  describeCluster.next(new sfn.Choice(scope, 'IsDetached')
    .when(sfn.Condition.stringEquals('$.promoted.status', 'available'), then)
    .when(detachWait.timedOut, failoverTimedOut(scope, steps, 'Detach', 'promotion', `the Aurora secondary was not detached within ${bound}`))
    .otherwise(detachWait.first));
  return createWriter.next(writerWait.first);
}

/**
 * DRILL: every step that is safe without cutting over; never promotes. It starts one task, waits
 * (bounded) until it runs, puts the desired count back to what it found, waits (bounded) until the
 * tasks it started stop, measures, notifies. Any failure after the scale-up restores the count.
 */
function drillBranch(scope: Construct, steps: RunbookSteps, options: RunbookOptions): sfn.IChainable {
  const describeBefore = steps.describeService('DescribeStandbyBefore', '$.before');
  const restoreNotify = steps.notify('NotifyDrillFailure', 'Pilot-light drill FAILED', 'Drill {} failed and put the standby back as it found it: {}', '$.error.Cause')
    .next(new sfn.Fail(scope, 'DrillFailed', { error: 'DrillFailed', cause: 'A drill step failed or timed out; the standby was restored' }));
  const restore = steps.scale('RestoreStandby', '$.before.desired', steps.notifyFailure).next(restoreNotify);
  const checkLag = steps.call('CheckReplicaLag', 'cloudwatch', 'describeAlarms', { AlarmNames: [options.replicaLagAlarm.alarmName] }, ['*'], {
    resultSelector: { 'state.$': '$.MetricAlarms[0].StateValue' },
    resultPath: '$.lag',
  });
  const lagTooHigh = steps.notify('NotifyLagAboveObjective', 'Pilot-light drill FAILED', 'Drill {} stopped: the replica lag alarm is {}; the recovery point objective is not met.', '$.lag.state')
    .next(new sfn.Fail(scope, 'ReplicaLagAboveObjective', { error: 'ReplicaLagAboveObjective', cause: 'The replica lag alarm is in ALARM: the recovery point objective is not met' }));
  const scaleToOne = steps.scale('ScaleDrServiceToOne', 1, restore);
  const describeDrill = steps.describeService('DescribeDrillService', '$.service', restore);
  const started = steps.boundedWait('DrillTask', 'start', SERVICE_POLL, options.serviceTimeout, describeDrill);
  const scaleBack = steps.scale('ScaleDrServiceToZero', '$.before.desired', restore);
  const describeStopped = steps.describeService('DescribeStoppedService', '$.service', restore);
  const stopped = steps.boundedWait('DrillStop', 'stop', SERVICE_POLL, options.serviceTimeout, describeStopped);
  const timeout = (id: string, what: string) => new sfn.Pass(scope, `${id}TimedOut`, {
    parameters: { Error: `${id}TimedOut`, Cause: what },
    resultPath: '$.error',
  }).next(restore);
  const done = steps.mark('MarkStandbyRestored', 'restored')
    .next(steps.publishDurations('Drill', 'DRILL', [['ScaleUpSeconds', 'start', 'running'], ['ScaleDownSeconds', 'running', 'restored'], ['TotalSeconds', 'start', 'restored']]))
    .next(steps.notify('NotifyDrill', 'Pilot-light drill passed',
      'Drill {} passed in {} s: lag within objective, a DR task started and the standby is back as it was (durations in the execution output and the runbook metrics).', '$.durations.TotalSeconds'))
    .next(new sfn.Succeed(scope, 'DrillDone'));
  describeStopped.next(new sfn.Choice(scope, 'IsStandbyRestored')
    .when(sfn.Condition.numberLessThanEqualsJsonPath('$.service.running', '$.before.desired'), done)
    .when(stopped.timedOut, timeout('DrillStop', `the drill task did not stop within ${options.serviceTimeout.toMinutes()} minutes`))
    .otherwise(stopped.first));
  describeDrill.next(new sfn.Choice(scope, 'IsDrillTaskRunning')
    .when(sfn.Condition.numberGreaterThanEquals('$.service.running', 1), steps.mark('MarkDrillTaskRunning', 'running').next(scaleBack).next(stopped.first))
    .when(started.timedOut, timeout('DrillTask', `the drill task did not run within ${options.serviceTimeout.toMinutes()} minutes`))
    .otherwise(started.first));
  const lagOk = new sfn.Choice(scope, 'IsLagWithinObjective')
    .when(sfn.Condition.stringEquals('$.lag.state', 'ALARM'), lagTooHigh)
    .otherwise(scaleToOne.next(started.first));
  return describeBefore.next(checkLag).next(lagOk);
}
