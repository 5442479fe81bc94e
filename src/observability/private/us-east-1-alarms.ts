import { Annotations, Aws, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmBook } from './alarms';
import { allowServiceToUseKey } from './topic';
import { usEast1Companion } from '../../private/cross-region';
import { NAG, acknowledge } from '../../private/nag';

const US_EAST_1 = 'us-east-1';
const ALARM_STATE_CHANGE = { source: ['aws.cloudwatch'], detailType: ['CloudWatch Alarm State Change'] };

/** The us-east-1 part of an ObservabilityStack: its CloudFront alarms and their forwarding rule. */
class UsEast1Alarms extends Construct {}

/** Where to create an alarm that must live in us-east-1, and the name that lets it be forwarded. */
export interface UsEast1AlarmPlace {
  readonly scope: Construct;
  /** The prefix of the alarm names this place forwards; alarms must be named `<prefix><anything>`. */
  readonly namePrefix: string;
}

/**
 * A place in us-east-1 for the alarms of an ObservabilityStack whose stack is in another region
 * (CloudFront publishes its metrics in us-east-1 only, and an alarm reads only its own region).
 *
 * Like the site's certificate, the alarms go into a companion stack of the same stage and account,
 * `<stackName>-us-east-1-alarms`; this one depends on the stacks it watches (it reads their
 * distribution ids through CDK's cross-region references), the reverse of the certificate's
 * companion, so the two are separate stacks. An alarm cannot notify a topic in another region:
 * a rule in us-east-1 sends the alarms' state changes to the default event bus of the home
 * region, where a rule publishes them to the alarm topic. Alarms are matched by name prefix, so
 * neither stack references the other's resources.
 *
 * @param observability the ObservabilityStack construct
 * @param book its alarm book (for the topic)
 */
export function usEast1AlarmPlace(observability: Construct, book: AlarmBook): UsEast1AlarmPlace {
  const home = Stack.of(observability);
  const companion = usEast1Companion(observability, home, {
    idSuffix: 'UsEast1Alarms',
    nameSuffix: '-us-east-1-alarms',
    description: `CloudFront alarms (us-east-1) for the observability of ${home.stackName}`,
  });
  // The construct's path in its stack: unique in the companion, which serves one stack.
  const key = observability.node.path.split('/').slice(1).join('-');
  const namePrefix = `${companion.stackName}-${key}-`;
  const existing = companion.node.tryFindChild(key) as Construct | undefined;
  if (existing) return { scope: existing, namePrefix };

  const scope = new UsEast1Alarms(companion, key);
  const alarmArnPrefix = `arn:${Aws.PARTITION}:cloudwatch:${US_EAST_1}:${Aws.ACCOUNT_ID}:alarm:${namePrefix}`;
  const homeBus = events.EventBus.fromEventBusArn(scope, 'HomeBus', `arn:${Aws.PARTITION}:events:${home.region}:${Aws.ACCOUNT_ID}:event-bus/default`);
  const forward = new events.Rule(scope, 'ForwardAlarms', {
    description: `Forwards the state changes of these alarms to ${home.region}, where the alarm topic is`,
    eventPattern: { ...ALARM_STATE_CHANGE, resources: events.Match.prefix(alarmArnPrefix) },
    targets: [new eventsTargets.EventBus(homeBus)],
  });
  const forwardPolicy = forward.node.tryFindChild('EventsRole')?.node.tryFindChild('DefaultPolicy');
  if (forwardPolicy) {
    acknowledge(forwardPolicy, {
      ids: [...NAG.inlinePolicy],
      reason: 'aws-cdk-lib\'s EventBus target grants its role events:PutEvents on the one home-region default bus in the role\'s own policy; nothing else may use it.',
    });
  }

  const topic = book.topic;
  const field = (path: string) => events.EventField.fromPath(path);
  new events.Rule(observability, `UsEast1Alarms${companion.node.id}`, {
    description: `Publishes the state changes of this construct's us-east-1 alarms (${namePrefix}*) to the alarm topic`,
    eventPattern: { ...ALARM_STATE_CHANGE, region: [US_EAST_1], resources: events.Match.prefix(alarmArnPrefix) },
    targets: [new eventsTargets.SnsTopic(topic, {
      message: events.RuleTargetInput.fromText(
        `${field('$.detail.alarmName')} is ${field('$.detail.state.value')} (us-east-1): ${field('$.detail.configuration.description')} ${field('$.detail.state.reason')}`),
    })],
  });
  // SnsTopic admits EventBridge in the policy of a topic created here; an encrypted topic's key
  // must admit it too.
  const keyAllowed = topic.masterKey ? allowServiceToUseKey(topic.masterKey, 'events.amazonaws.com', observability) : true;
  if (!keyAllowed || !(topic instanceof sns.Topic)) {
    Annotations.of(observability).addWarningV2('cdk-lean-stack:observability-forwarded-alarms-topic',
      'The alarm topic (or its KMS key) was not created here: allow events.amazonaws.com to sns:Publish to it (and kms:GenerateDataKey* and kms:Decrypt on its key), ' +
      'or the us-east-1 CloudFront alarms cannot reach it.');
  }
  return { scope, namePrefix };
}
