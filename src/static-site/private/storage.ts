import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createDataKey } from '../../private/kms';
import { NAG, acknowledge } from '../../private/nag';
import { acknowledgeAutoDelete, createLogBucket, logAccessTo, sendEventsToEventBridge } from '../../private/s3';

export interface SiteBucketOptions {
  readonly removalPolicy: RemovalPolicy;
  readonly encryptionKey?: kms.IKey;
  readonly noncurrentVersionExpiration: Duration;
  readonly logBucket?: s3.Bucket;
}

const REPLICATION_REASON = 'The bucket holds a build that CI/CD can recreate from source at any time; cross-region replication would double storage and transfer cost for no recovery gain.';

/** The private, versioned bucket that holds the site. */
export function createSiteBucket(scope: Construct, options: SiteBucketOptions): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'Bucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: options.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: options.encryptionKey,
    // An S3 Bucket Key cuts KMS requests (and their cost) by orders of magnitude.
    bucketKeyEnabled: options.encryptionKey ? true : undefined,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [{
      id: 'expire-noncurrent-versions',
      noncurrentVersionExpiration: options.noncurrentVersionExpiration,
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      expiredObjectDeleteMarker: true,
    }],
    removalPolicy: options.removalPolicy,
    autoDeleteObjects: options.removalPolicy === RemovalPolicy.DESTROY,
  });
  sendEventsToEventBridge(bucket);
  // Through the log bucket's policy, whatever the app's feature flags: no ACL grant to the log
  // delivery group (CloudFront's standard logs still need ACLs on, see createSiteLogBucket).
  if (options.logBucket) logAccessTo(bucket, options.logBucket, { prefix: 's3/', sid: 'S3ServerAccessLogsForTheSiteBucket' });
  acknowledge(bucket, { ids: [...NAG.s3Replication], reason: REPLICATION_REASON });
  if (!options.encryptionKey) {
    acknowledge(bucket, {
      ids: [...NAG.s3KmsEncryption],
      reason: 'SSE-S3 (AES-256) by default: a public website\'s build needs no customer key, and a KMS key costs 1 USD a month plus requests. Set `customerManagedKey` or `encryptionKey` to use SSE-KMS.',
    });
  }
  if (!options.logBucket) {
    acknowledge(bucket, {
      ids: [...NAG.s3AccessLogs],
      reason: 'Access logs are off in this profile (development) to keep idle cost and storage at zero; production profiles (or `accessLogs: true`) log to a dedicated bucket.',
    });
  }
  if (options.removalPolicy === RemovalPolicy.DESTROY) acknowledgeAutoDelete(scope, { retainLogs: true });
  return bucket;
}

/** The customer managed key the created bucket is encrypted with, when the user asks for one. */
export function createSiteKey(site: Construct, removalPolicy: RemovalPolicy): kms.Key {
  return createDataKey(site, 'Key', {
    description: `Encrypts the static site bucket of ${site.node.path}`,
    removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });
}

/**
 * The bucket for CloudFront standard logs and S3 server access logs. ACLs stay enabled
 * (BucketOwnerPreferred) for CloudFront's legacy standard logging, which grants its own
 * awslogsdelivery account on the bucket when the distribution's logging is set up; S3 server
 * access logs come in through the bucket policy, so the bucket has no canned ACL.
 */
export function createSiteLogBucket(scope: Construct, removalPolicy: RemovalPolicy, retention: Duration | undefined): s3.Bucket {
  const bucket = createLogBucket(scope, 'LogBucket', {
    removalPolicy,
    expiration: retention,
    lifecycleRuleId: 'expire-logs',
    sseS3Reason: 'SSE-S3 (AES-256) encrypts the logs at rest; the site creates no key for them.',
  });
  sendEventsToEventBridge(bucket);
  if (removalPolicy === RemovalPolicy.DESTROY) acknowledgeAutoDelete(scope, { retainLogs: true });
  return bucket;
}
