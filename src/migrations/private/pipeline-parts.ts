import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge, NAG } from '../../private/nag';
import { createAccessLogBucket, logAccessTo, sendEventsToEventBridge } from '../../private/s3';

/** Lets EventBridge publish failures to a topic encrypted with the pipeline's key. */
export function allowEventsToUseKey(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(key).account } },
  }));
}

/** The topic told of failures and pending approvals, when the user brings none. */
export function createNotificationTopic(scope: Construct, key?: kms.IKey): sns.Topic {
  const topic = new sns.Topic(scope, 'Notifications', {
    displayName: 'Schema migration pipeline',
    masterKey: key,
    enforceSSL: true,
  });
  if (!key) {
    acknowledge(topic, {
      ids: ['AwsSolutions-SNS2', 'HIPAA.Security-SNSEncryptedKMS', 'NIST.800.53.R5-SNSEncryptedKMS'],
      reason: 'The topic carries pipeline names and execution ids, never data or credentials, over TLS only. EventBridge cannot publish to a topic under the AWS managed SNS key, and a customer managed key would be this pipeline\'s only fixed cost (1 USD a month). Pass `encryptionKey`, or the observability topic as `notificationTopic`, to encrypt it.',
    });
  }
  return topic;
}

/** How the pipeline's artifact bucket is encrypted, locked and logged. */
export interface ArtifactBucketOptions {
  /** The pipeline's customer managed key, if the user gave one. */
  readonly key?: kms.IKey;
  /** Object Lock without a default retention. */
  readonly objectLock: boolean;
  /** Log access to a log bucket (the profile's `accessLogs`). */
  readonly accessLogs: boolean;
  /** How long access logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /** How the log bucket is removed with the stack. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The pipeline's artifacts bucket (versioned, TLS only, emptied by expiry, events to EventBridge)
 * and, in profiles that log access, the bucket its access logs go to.
 */
export function createArtifactBucket(scope: Construct, options: ArtifactBucketOptions): { bucket: s3.Bucket; logBucket?: s3.Bucket } {
  const key = options.key;
  const logBucket = options.accessLogs ? createArtifactLogBucket(scope, options) : undefined;
  const bucket = new s3.Bucket(scope, 'Artifacts', {
    encryption: key ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: key,
    bucketKeyEnabled: key ? true : undefined,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    // Without a default retention nothing is locked (artifacts still expire), but versioning can
    // no longer be suspended. Behind a prop: CloudFormation may replace an existing bucket for it.
    objectLockEnabled: options.objectLock || undefined,
    // Artifacts are build intermediates: they expire, so a retained bucket empties itself.
    lifecycleRules: [{
      expiration: Duration.days(90),
      noncurrentVersionExpiration: Duration.days(7),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  sendEventsToEventBridge(bucket);
  if (logBucket) logAccessTo(bucket, logBucket, { prefix: 'artifacts/', sid: 'S3ServerAccessLogsForTheArtifactBucket' });
  if (!key) {
    acknowledge(bucket, {
      ids: [...NAG.s3KmsEncryption],
      reason: 'Pipeline artifacts (migration scripts and reports, never credentials) are encrypted with S3 managed keys; a customer managed key costs 1 USD a month. Pass `encryptionKey` to use one.',
    });
  }
  return { bucket, logBucket };
}

/**
 * The bucket the artifact bucket's access logs go to: encrypted with the pipeline's key when it is
 * a key of this app (its policy must admit S3 server access logging), SSE-S3 otherwise; Object Lock
 * on (a new bucket, so nothing is replaced) and events to EventBridge, both free.
 */
function createArtifactLogBucket(scope: Construct, options: ArtifactBucketOptions): s3.Bucket {
  return createAccessLogBucket(scope, 'ArtifactsAccessLogs', {
    removalPolicy: options.removalPolicy,
    logRetention: options.logRetention,
    encryptionKey: options.key instanceof kms.Key ? options.key : undefined,
    sseS3Reason: options.key
      ? 'SSE-S3 (AES-256) encrypts the access logs at rest: the pipeline\'s `encryptionKey` is imported, so its policy cannot be opened to S3 server access logging here. Pass a `kms.Key` defined in your app to encrypt them with it.'
      : 'SSE-S3 (AES-256) encrypts the access logs at rest (who read or wrote which artifact, no artifact content); a customer managed key costs 1 USD a month. Pass `encryptionKey` to encrypt them with it.',
  });
}

/** Tells the topic when an execution fails. */
export function notifyFailures(pipeline: codepipeline.Pipeline, topic: sns.ITopic): void {
  pipeline.onStateChange('Failed', {
    description: 'Tells the notification topic when a schema migration pipeline execution fails',
    eventPattern: { detail: { state: ['FAILED'] } },
    target: new targets.SnsTopic(topic, {
      message: events.RuleTargetInput.fromText(
        `Schema migration pipeline ${events.EventField.fromPath('$.detail.pipeline')} failed (execution ${events.EventField.fromPath('$.detail.execution-id')}).`,
      ),
    }),
  });
}
