import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createDrLogGroup } from './logs';
import { replicaArn, ReplicaTarget } from './replica-target';
import { Profile } from '../../core/profile';
import { acknowledge, NAG } from '../../private/nag';

/** Where the readiness check publishes its result. */
export const READINESS_NAMESPACE = 'CdkLeanStack/PilotLightDr';
export const READINESS_METRIC = 'ReadinessFailures';

/** The replica-lag alarm: its threshold is the recovery point the construct promises. */
export function createReplicaLagAlarm(scope: Construct, replicaLag: cloudwatch.IMetric, rpo: Duration, topic: sns.ITopic): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, 'ReplicaLagAlarm', {
    alarmDescription: `Replica lag above the recovery point objective (${rpo.toSeconds()} s)`,
    metric: replicaLag,
    threshold: rpo.toSeconds(),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    // a replica that stops reporting lag is not a replica to count on
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  alarm.addAlarmAction(new cwActions.SnsAction(topic));
  return alarm;
}

export interface ReadinessOptions {
  readonly name: string;
  readonly replica: ReplicaTarget;
  readonly rpo: Duration;
  /** The replicated ECR repository the standby pulls from, when it does. */
  readonly repositoryName?: string;
  /** Variables the standby sets on purpose to other values than the primary (the database endpoint). */
  readonly overriddenVariables: string[];
  readonly imageTag: string;
  readonly primaryRegion: string;
  readonly primaryService: ecs.IBaseService;
  readonly primaryClusterName: string;
  readonly drTaskDefinition: ecs.TaskDefinition;
  readonly containerName: string;
  /** Each split module: the primary's module service and the standby's copy of its task definition. */
  readonly modules: Array<{ name: string; primaryService: ecs.IBaseService; drTaskDefinition: ecs.TaskDefinition }>;
  readonly schedule: Duration;
  readonly topic: sns.ITopic;
  readonly profile: Profile;
}

export interface Readiness {
  readonly function: lambda.Function;
  readonly alarm: cloudwatch.Alarm;
  readonly rule: events.Rule;
}

/** The scheduled readiness check: replica lag, image present in DR, DR task matches primary. */
export function createReadinessCheck(scope: Construct, options: ReadinessOptions): Readiness {
  const stack = Stack.of(scope);
  const logGroup = createDrLogGroup(scope, 'ReadinessLogs', options.profile,
    'The readiness check logs only check results; CloudWatch Logs encrypts them at rest with its own key.');
  const fn = new lambda.Function(scope, 'ReadinessCheck', {
    description: 'Pilot-light DR readiness: replica lag, replicated image, task definition parity',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', '..', 'assets', 'dr', 'readiness')),
    timeout: Duration.minutes(1),
    memorySize: 256,
    logGroup,
    environment: {
      NAME: options.name,
      REPLICA_ID: options.replica.identifier,
      // an Aurora secondary is a cluster: its status and global replication lag are read as such
      REPLICA_KIND: options.replica.globalClusterIdentifier ? 'aurora-cluster' : 'instance',
      RPO_SECONDS: String(options.rpo.toSeconds()),
      REPOSITORY_NAME: options.repositoryName ?? '',
      OVERRIDDEN_VARIABLES: options.overriddenVariables.join(','),
      IMAGE_TAG: options.imageTag,
      PRIMARY_REGION: options.primaryRegion,
      PRIMARY_CLUSTER: options.primaryClusterName,
      PRIMARY_SERVICE: options.primaryService.serviceArn,
      DR_TASK_DEFINITION: options.drTaskDefinition.family,
      CONTAINER_NAME: options.containerName,
      // each split module is compared like the main service; its application container is named after it
      MODULES: stack.toJsonString(options.modules.map((m) => ({
        name: m.name, primaryService: m.primaryService.serviceArn, drTaskDefinition: m.drTaskDefinition.family,
      }))),
      METRIC_NAMESPACE: READINESS_NAMESPACE,
      METRIC_NAME: READINESS_METRIC,
    },
  });
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: [options.replica.globalClusterIdentifier ? 'rds:DescribeDBClusters' : 'rds:DescribeDBInstances'],
    resources: [replicaArn(scope, options.replica)],
  }));
  if (options.repositoryName) {
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ecr:DescribeImages'],
      resources: [stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: options.repositoryName })],
    }));
  }
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['ecs:DescribeServices'],
    resources: [options.primaryService.serviceArn, ...options.modules.map((m) => m.primaryService.serviceArn)],
  }));
  fn.addToRolePolicy(new iam.PolicyStatement({
    // none of these actions supports resource-level permissions
    actions: ['ecs:DescribeTaskDefinition', 'cloudwatch:GetMetricStatistics', 'cloudwatch:PutMetricData'],
    resources: ['*'],
  }));
  acknowledgeReadinessFunction(fn);
  return { function: fn, ...scheduleReadiness(scope, fn, options) };
}

/** The readiness function's deliberate trade-offs, acknowledged on it. */
function acknowledgeReadinessFunction(fn: lambda.Function): void {
  const role = fn.role as iam.IRole;
  acknowledge(role, { ids: [NAG.wildcardResource[0]], reason: 'ecs:DescribeTaskDefinition, cloudwatch:GetMetricStatistics and cloudwatch:PutMetricData support no resource-level permissions.' });
  acknowledge(role, { ids: [NAG.lambdaBasicExecution[0]], reason: 'The AWS managed basic execution policy only lets the function write its own logs.' });
  acknowledge(role, { ids: [...NAG.inlinePolicy], reason: 'The check\'s policy belongs to its role alone and is created and deleted with it.' });
  acknowledge(fn, {
    ids: ['AwsSolutions-L1'],
    reason: 'Pinned to Node.js 22, whose bundled AWS SDK v3 the handler is tested against; moved forward deliberately.',
  }, {
    ids: [...NAG.lambdaInVpc],
    reason: 'The check only calls AWS APIs; inside the VPC it would need a NAT gateway or interface endpoints.',
  }, {
    ids: [...NAG.lambdaConcurrency],
    reason: 'Runs once per schedule period; reserved concurrency would take from the account pool for no benefit.',
  }, {
    ids: [...NAG.lambdaDlq],
    reason: 'A failed run publishes no datapoint, which the readiness alarm treats as breaching; no event is lost.',
  });
}

/** Runs the check on its schedule; alarms when it reports a failure or stops reporting. */
function scheduleReadiness(scope: Construct, fn: lambda.Function, options: ReadinessOptions): Omit<Readiness, 'function'> {
  const rule = new events.Rule(scope, 'ReadinessSchedule', {
    description: 'Runs the pilot-light readiness check',
    schedule: events.Schedule.rate(options.schedule),
    targets: [new eventsTargets.LambdaFunction(fn, { retryAttempts: 2 })],
  });
  const alarm = new cloudwatch.Alarm(scope, 'ReadinessAlarm', {
    alarmDescription: 'The pilot-light DR region is not ready to take over (see the readiness check logs)',
    metric: new cloudwatch.Metric({
      namespace: READINESS_NAMESPACE,
      metricName: READINESS_METRIC,
      dimensionsMap: { PilotLightDr: options.name },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: options.schedule,
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  alarm.addAlarmAction(new cwActions.SnsAction(options.topic));
  return { alarm, rule };
}

/** The notification topic, encrypted with the DR key, which CloudWatch alarms may use. */
export function createNotificationTopic(scope: Construct, key: kms.Key): sns.Topic {
  // CloudWatch alarms publish to an encrypted topic only when the key lets CloudWatch use it
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }));
  return new sns.Topic(scope, 'Notifications', {
    displayName: 'Pilot-light DR',
    masterKey: key,
    enforceSSL: true,
  });
}
