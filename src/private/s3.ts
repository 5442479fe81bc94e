import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
   * Who owns delivered objects; `BUCKET_OWNER_ENFORCED` (ACLs off) only when the delivering service
   * is admitted by the bucket policy (S3 server access logs), not by an ACL grant.
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
    // Both deliveries write with an ACL grant to the delivering service (the log delivery group,
    // the awslogsdelivery account): BucketOwnerPreferred accepts the grant while keeping us the
    // owner of every log object. BucketOwnerEnforced would break delivery.
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
