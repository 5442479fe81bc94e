import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createDataKey } from '../../private/kms';
import { NAG, acknowledge } from '../../private/nag';
import { acknowledgeAutoDelete, createLogBucket, logAccessTo, sendEventsToEventBridge } from '../../private/s3';

/** The site's storage props and the profile's decisions, as the site resolves them. */
export interface SiteStorageInput {
  readonly removalPolicy: RemovalPolicy;
  readonly accessLogs: boolean;
  readonly accessLogRetention?: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly bucket?: s3.IBucket;
  readonly encryptionKey?: kms.IKey;
  readonly customerManagedKey?: boolean;
  readonly noncurrentVersionExpiration?: Duration;
  readonly objectLock?: boolean;
}

/**
 * The site bucket (or the user's) and, with access logs, the log bucket: encrypted with the key the
 * site creates (`customerManagedKey`), if any, and both with Object Lock if asked.
 */
export function createSiteStorage(site: Construct, input: SiteStorageInput): { bucket: s3.IBucket; logBucket?: s3.Bucket } {
  const createdKey = input.customerManagedKey ? createSiteKey(site, input.removalPolicy) : undefined;
  const retention = input.accessLogRetention
    ?? (input.logRetention === logs.RetentionDays.INFINITE ? undefined : Duration.days(input.logRetention));
  const logBucket = input.accessLogs ? createSiteLogBucket(site, {
    removalPolicy: input.removalPolicy,
    retention,
    encryptionKey: createdKey,
    objectLock: input.objectLock,
  }) : undefined;
  const bucket = input.bucket ?? createSiteBucket(site, {
    removalPolicy: input.removalPolicy,
    encryptionKey: input.encryptionKey ?? createdKey,
    noncurrentVersionExpiration: input.noncurrentVersionExpiration ?? Duration.days(30),
    logBucket,
    objectLock: input.objectLock,
  });
  return { bucket, logBucket };
}

export interface SiteBucketOptions {
  readonly removalPolicy: RemovalPolicy;
  readonly encryptionKey?: kms.IKey;
  readonly noncurrentVersionExpiration: Duration;
  readonly logBucket?: s3.Bucket;
  readonly objectLock?: boolean;
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
    // Without a default retention: nothing is locked, but versioning can no longer be suspended.
    objectLockEnabled: options.objectLock || undefined,
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

/** How the site's log bucket is kept and encrypted. */
export interface SiteLogBucketOptions {
  readonly removalPolicy: RemovalPolicy;
  readonly retention?: Duration;
  /** The key the site created (`customerManagedKey`), if any. */
  readonly encryptionKey?: kms.Key;
  readonly objectLock?: boolean;
}

/**
 * The bucket for CloudFront standard logs and S3 server access logs. ACLs stay enabled
 * (BucketOwnerPreferred) for CloudFront's legacy standard logging, which grants its own
 * awslogsdelivery account on the bucket when the distribution's logging is set up; S3 server
 * access logs come in through the bucket policy, so the bucket has no canned ACL. Encrypted with
 * the site's own key when the site created one; a key of the user's keeps its policy as written.
 */
export function createSiteLogBucket(scope: Construct, options: SiteLogBucketOptions): s3.Bucket {
  const bucket = createLogBucket(scope, 'LogBucket', {
    removalPolicy: options.removalPolicy,
    expiration: options.retention,
    lifecycleRuleId: 'expire-logs',
    encryptionKey: options.encryptionKey,
    receivesCloudFrontLogs: true,
    sseS3Reason: 'SSE-S3 (AES-256) encrypts the logs at rest: the site created no key to encrypt them with, and a key of your own (`encryptionKey`) keeps the policy you wrote. Set `customerManagedKey` to encrypt the site bucket and its logs with a key the site creates.',
    objectLockEnabled: options.objectLock,
  });
  sendEventsToEventBridge(bucket);
  if (options.removalPolicy === RemovalPolicy.DESTROY) acknowledgeAutoDelete(scope, { retainLogs: true });
  return bucket;
}
