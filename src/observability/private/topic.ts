import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Profile } from '../../core/profile';
import { restrictGrantsToAwsResources } from '../../private/kms';

/**
 * The alarm topic: encrypted with a customer managed key, because CloudWatch alarms cannot
 * publish to a topic under the AWS managed `alias/aws/sns` key (its policy cannot be changed to
 * admit cloudwatch.amazonaws.com), and TLS-only through `enforceSSL`.
 */
export function createAlarmTopic(scope: Construct, profile: Profile, key: kms.IKey | undefined): { topic: sns.Topic; key: kms.IKey } {
  const topicKey = key ?? new kms.Key(scope, 'TopicKey', {
    description: `Encrypts the alarm topic of ${scope.node.path}`,
    enableKeyRotation: true,
    removalPolicy: profile.storeRemovalPolicy,
  });
  if (!key) restrictGrantsToAwsResources(topicKey);
  allowServiceToUseKey(topicKey, 'cloudwatch.amazonaws.com', scope);
  const topic = new sns.Topic(scope, 'Topic', {
    displayName: 'Alarms',
    masterKey: topicKey,
    enforceSSL: true,
  });
  return { topic, key: topicKey };
}

/** The topics of an `ObservabilityStack`: the alarm topic, the key of ours, the signal topic. */
export interface ObservabilityTopics {
  readonly topic: sns.ITopic;
  readonly key?: kms.IKey;
  readonly signalTopic?: sns.Topic;
}

/**
 * The alarm topic (the user's or a new one) and, next to it under the same key, the signal topic
 * for what must not page. With the user's topic the key is `topicKey` if given; without a key of
 * ours there is no signal topic (an unencrypted one would fail the compliance rules, and the
 * user's topic's key may not admit CloudWatch).
 */
export function createTopics(scope: Construct, profile: Profile, topic: sns.ITopic | undefined, key: kms.IKey | undefined): ObservabilityTopics {
  if (topic && !key) return { topic };
  const alarms = topic ? { topic, key: key! } : createAlarmTopic(scope, profile, key);
  // The user's key with the user's topic: CloudWatch must be able to publish under it too.
  if (topic && !allowServiceToUseKey(alarms.key, 'cloudwatch.amazonaws.com', scope)) {
    Annotations.of(scope).addWarningV2('cdk-lean-stack:observability-signal-key',
      '`topicKey` is imported, so its policy cannot be changed here: allow cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt on it, or the SLO window alarms cannot notify the signal topic');
  }
  const signalTopic = new sns.Topic(scope, 'SignalTopic', {
    displayName: 'Signals (non-paging)',
    masterKey: alarms.key,
    enforceSSL: true,
  });
  return { ...alarms, signalTopic };
}

/** Lets an AWS service publish to topics under this key; returns false for an imported key. */
export function allowServiceToUseKey(key: kms.IKey, service: string, scope: Construct): boolean {
  const conditions = service === 'cloudwatch.amazonaws.com' ? undefined : { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } };
  return key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `Allow${service.split('.')[0]}ToPublish`,
    principals: [new iam.ServicePrincipal(service)],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
    conditions,
  }), true).statementAdded;
}

/** Lets an AWS service publish to the topic; returns false when the policy cannot be changed here. */
export function allowServiceToPublish(topic: sns.ITopic, service: string, scope: Construct): boolean {
  const added = topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: `Allow${service.split('.')[0]}ToPublish`,
    principals: [new iam.ServicePrincipal(service)],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  })).statementAdded;
  const keyAdded = topic.masterKey ? allowServiceToUseKey(topic.masterKey, service, scope) : true;
  return added && keyAdded;
}
