import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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
  logBucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: target.sid,
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [logBucket.arnForObjects(`${target.prefix}*`)],
    conditions: { ArnLike: { 'aws:SourceArn': bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account } },
  }));
  // No dependency on the policy: it names the source bucket's ARN, and S3 does not check the
  // destination's policy when logging is turned on (aws-cdk-lib's bucket-policy mode does the same).
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: logBucket.bucketName, logFilePrefix: target.prefix };
}

/** How a log bucket is named and why it cannot use a customer managed key. */
export interface LogBucketOptions {
  readonly removalPolicy: RemovalPolicy;
  /** How long logs are kept; undefined keeps them. */
  readonly expiration?: Duration;
  /** The id of its lifecycle rule. */
  readonly lifecycleRuleId: string;
  /** Why the logs are encrypted with SSE-S3, for whoever delivers them. */
  readonly sseS3Reason: string;
  /**
   * Who owns delivered objects; `BUCKET_OWNER_ENFORCED` (ACLs off) only when no CloudFront
   * standard logs arrive (S3 server access logs come in through the bucket policy).
   * @default s3.ObjectOwnership.BUCKET_OWNER_PREFERRED
   */
  readonly objectOwnership?: s3.ObjectOwnership;
  /** Object Lock without a default retention (keeps versioning from being suspended). @default false */
  readonly objectLockEnabled?: boolean;
}

/**
 * A bucket that receives delivered logs (S3 server access logs, CloudFront standard logs): private,
 * TLS only, versioned, SSE-S3, logs expiring by lifecycle.
 */
export function createLogBucket(scope: Construct, id: string, options: LogBucketOptions): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    // CloudFront standard logs arrive with an ACL grant to its awslogsdelivery account:
    // BucketOwnerPreferred accepts the grant while keeping us the owner of every log object.
    // BucketOwnerEnforced would break that delivery (S3 server access logs, admitted by the
    // bucket policy through `logAccessTo`, need no ACL).
    objectOwnership: options.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    encryption: s3.BucketEncryption.S3_MANAGED,
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
  acknowledge(bucket, {
    ids: [...NAG.s3AccessLogs],
    reason: 'This is the access log bucket itself; logging it to itself would loop and to another bucket would only move the question.',
  }, {
    ids: [...NAG.s3KmsEncryption],
    reason: options.sseS3Reason,
  }, {
    ids: [...NAG.s3Replication],
    reason: 'Access logs expire by lifecycle; replicating them would double their cost.',
  });
  return bucket;
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
