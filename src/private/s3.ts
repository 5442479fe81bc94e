import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { retainProviderLogs } from './helper-logs';
import { NAG, acknowledge } from './nag';

/**
 * Sends the bucket's object events to the account's default EventBridge bus, set on the
 * CloudFormation resource itself. It costs nothing (AWS service events on the default bus are
 * free, and no rule exists until you add one), lets you react to uploads or deletions without
 * changing the bucket, and meets AWS Control Tower's CT.S3.PR.4. The L2's `eventBridgeEnabled`
 * would add a custom-resource Lambda for the same effect.
 */
export function sendEventsToEventBridge(bucket: s3.Bucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
}

/** Where a bucket's S3 server access logs go in the log bucket, and the Sid of the statement that admits them. */
export interface AccessLogTarget {
  /** The key prefix of the log objects, e.g. `s3/`. */
  readonly prefix: string;
  /** The Sid of the log bucket policy statement. */
  readonly sid: string;
}

/**
 * S3 server access logging of `bucket` into `logBucket` through the log bucket's policy (the
 * logging service may put objects under the prefix, for this source bucket and account only), set
 * on the CloudFormation resource. The L2's `serverAccessLogsBucket` would instead give the log
 * bucket the `LogDeliveryWrite` canned ACL unless the app sets the feature flag
 * `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`: an `AccessControl` that AWS Control Tower's
 * CT.S3.PR.5 refuses and that an ACL-less bucket cannot take.
 */
export function logAccessTo(bucket: s3.Bucket, logBucket: s3.Bucket, target: AccessLogTarget): void {
  admitAccessLogs(bucket, logBucket, target);
  // No dependency on the policy: it names the source bucket's ARN, and S3 does not check the
  // destination's policy when logging is turned on (aws-cdk-lib's bucket-policy mode does the same).
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: logBucket.bucketName, logFilePrefix: target.prefix };
}

/** The log bucket policy statement that lets the logging service put `bucket`'s access logs under the prefix. */
function admitAccessLogs(bucket: s3.Bucket, logBucket: s3.Bucket, target: AccessLogTarget): void {
  logBucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: target.sid,
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [logBucket.arnForObjects(`${target.prefix}*`)],
    conditions: { ArnLike: { 'aws:SourceArn': bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account } },
  }));
}

/** How a log bucket is named, encrypted and who delivers to it. */
export interface LogBucketOptions {
  readonly removalPolicy: RemovalPolicy;
  /** How long logs are kept; undefined keeps them. */
  readonly expiration?: Duration;
  /** The id of its lifecycle rule. */
  readonly lifecycleRuleId: string;
  /**
   * A customer managed key the library created, to encrypt the logs with (SSE-KMS with an S3 Bucket
   * Key); the key policy then admits the log deliverers. Without it the logs are SSE-S3.
   */
  readonly encryptionKey?: kms.Key;
  /** Why the logs are SSE-S3, used only without `encryptionKey`. */
  readonly sseS3Reason?: string;
  /** CloudFront standard (legacy) logs arrive too: with a key, its delivery service may use it. @default false */
  readonly receivesCloudFrontLogs?: boolean;
  /**
   * Who owns delivered objects; `BUCKET_OWNER_ENFORCED` (ACLs off) only when no CloudFront
   * standard logs arrive (S3 server access logs come in through the bucket policy).
   * @default s3.ObjectOwnership.BUCKET_OWNER_PREFERRED
   */
  readonly objectOwnership?: s3.ObjectOwnership;
  /** Object Lock without a default retention (keeps versioning from being suspended). @default false */
  readonly objectLockEnabled?: boolean;
}

/** The key prefix under which a log bucket keeps the access logs of itself. */
export const SELF_LOG_PREFIX = 'self/';

/**
 * A bucket that receives delivered logs (S3 server access logs, CloudFront standard logs): private,
 * TLS only, versioned, SSE-KMS with the given key (else SSE-S3), logs expiring by lifecycle, and
 * logging its own access under `self/`.
 */
export function createLogBucket(scope: Construct, id: string, options: LogBucketOptions): s3.Bucket {
  const key = options.encryptionKey;
  const bucket = new s3.Bucket(scope, id, {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    // CloudFront standard logs arrive with an ACL grant to its awslogsdelivery account:
    // BucketOwnerPreferred accepts the grant while keeping us the owner of every log object.
    // BucketOwnerEnforced would break that delivery (S3 server access logs, admitted by the
    // bucket policy through `logAccessTo`, need no ACL).
    objectOwnership: options.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    encryption: key ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: key,
    // An S3 Bucket Key cuts the KMS requests of many small log objects by orders of magnitude.
    bucketKeyEnabled: key ? true : undefined,
    versioned: true,
    // S3 refuses to deliver access logs to a bucket with a default retention: the lock has none.
    objectLockEnabled: options.objectLockEnabled,
    lifecycleRules: [{
      id: options.lifecycleRuleId,
      expiration: options.expiration,
      noncurrentVersionExpiration: Duration.days(1),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    }],
    removalPolicy: options.removalPolicy,
    autoDeleteObjects: options.removalPolicy === RemovalPolicy.DESTROY,
  });
  logOwnAccess(bucket);
  if (key) {
    allowS3LoggingToUseKey(key);
    if (options.receivesCloudFrontLogs) allowCloudFrontLogsToUseKey(key);
  } else {
    acknowledge(bucket, {
      ids: [...NAG.s3KmsEncryption],
      reason: options.sseS3Reason ?? 'SSE-S3 (AES-256) encrypts the logs at rest; no customer managed key was given for them.',
    });
  }
  acknowledge(bucket, {
    ids: [...NAG.s3Replication],
    reason: 'Access logs expire by lifecycle; replicating them would double their cost.',
  });
  return bucket;
}

/** How an access-log bucket is kept, encrypted and named. */
export interface AccessLogBucketOptions {
  readonly removalPolicy: RemovalPolicy;
  /** How long the logs are kept (the profile's log retention). */
  readonly logRetention: logs.RetentionDays;
  /** A customer managed key of ours to encrypt the logs with; SSE-S3 without it. */
  readonly encryptionKey?: kms.Key;
  /** Why the logs are SSE-S3, used only without `encryptionKey`. */
  readonly sseS3Reason?: string;
}

/**
 * A bucket that receives only S3 server access logs (of artifact buckets, DR replicas): ACLs off
 * (the bucket policy admits the logging service), Object Lock on without a default retention
 * (a new bucket, so nothing is replaced; S3 delivers no access logs to a bucket with a default
 * retention) and events to EventBridge, both free; logs kept as long as the profile keeps logs.
 */
export function createAccessLogBucket(scope: Construct, id: string, options: AccessLogBucketOptions): s3.Bucket {
  const bucket = createLogBucket(scope, id, {
    removalPolicy: options.removalPolicy,
    expiration: options.logRetention === logs.RetentionDays.INFINITE ? undefined : Duration.days(options.logRetention),
    lifecycleRuleId: 'expire-access-logs',
    encryptionKey: options.encryptionKey,
    sseS3Reason: options.sseS3Reason,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    objectLockEnabled: true,
  });
  sendEventsToEventBridge(bucket);
  if (options.removalPolicy === RemovalPolicy.DESTROY) acknowledgeAutoDelete(scope, { retainLogs: true });
  return bucket;
}

/**
 * S3 server access logging of a log bucket into itself, under `self/`. AWS's documentation advises
 * against it: every delivery is itself an access, so the bucket gathers "logs about logs". We take
 * that trade-off on purpose: who read, overwrote or deleted the logs is then on record (what an
 * auditor asks about a log store), at the cost of a trickle of small objects that the lifecycle
 * rule expires like the rest. The configuration names no destination bucket (S3 then logs to the
 * bucket itself): a reference to itself would be a circular dependency in CloudFormation.
 */
function logOwnAccess(bucket: s3.Bucket): void {
  admitAccessLogs(bucket, bucket, { prefix: SELF_LOG_PREFIX, sid: 'S3ServerAccessLogsOfThisBucket' });
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = { logFilePrefix: SELF_LOG_PREFIX };
}

/**
 * Lets S3 server access logging encrypt log objects with the key, for source buckets of this
 * account (as aws-cdk-lib grants `logging.s3.amazonaws.com` on a KMS-encrypted log target; only the
 * AWS managed aws/s3 key cannot be used). The source is any S3 bucket of the account, not the
 * logged buckets by name: those are encrypted with this key too, and naming them in its policy
 * would make a circular dependency; each log bucket's own policy still names them.
 */
function allowS3LoggingToUseKey(key: kms.Key): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'S3ServerAccessLogsOfThisAccount',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:s3:::*` } },
  }));
}

/**
 * Lets CloudFront standard (legacy) logging write to a bucket encrypted with the key. The Amazon
 * CloudFront Developer Guide, "Standard logging (access logs)", section "Required key policy for use
 * with SSE-KMS buckets" (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html#AccessLogsKMSPermissions),
 * asks a customer managed key for `kms:GenerateDataKey*` to `delivery.logs.amazonaws.com` (the AWS
 * managed aws/s3 key cannot be used). It documents no condition; we narrow it to this account's
 * deliveries with `aws:SourceAccount`. It documents no `aws:SourceArn` either, and the distribution's
 * ARN would make a circular dependency (distribution, log bucket, key).
 */
function allowCloudFrontLogsToUseKey(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudFrontStandardLogsOfThisAccount',
    principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
    actions: ['kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(key).account } },
  }));
}

/**
 * `autoDeleteObjects` (development only) adds aws-cdk-lib's stack-wide auto-delete provider; its
 * findings are acknowledged on that provider, and with `retainLogs` its logs get a retention.
 */
export function acknowledgeAutoDelete(scope: Construct, options: { retainLogs?: boolean } = {}): void {
  const provider = Stack.of(scope).node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider');
  if (!provider) return;
  if (options.retainLogs) retainProviderLogs(scope, 'Custom::S3AutoDeleteObjectsCustomResourceProvider', logs.RetentionDays.ONE_WEEK);
  acknowledge(provider, {
    ids: ['AwsSolutions-L1', ...NAG.lambdaInVpc, ...NAG.lambdaConcurrency, ...NAG.lambdaDlq],
    reason: 'aws-cdk-lib\'s auto-delete provider, added only in the development profile so a destroyed stack leaves no bucket behind: a deploy-time custom resource CloudFormation retries and reports, handling no application data.',
  });
}
