import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { retainProviderLogs } from '../../private/helper-logs';
import { restrictGrantsToAwsResources } from '../../private/kms';
import { NAG, acknowledge } from '../../private/nag';
import { sendEventsToEventBridge } from '../../private/s3';

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
    serverAccessLogsBucket: options.logBucket,
    serverAccessLogsPrefix: options.logBucket ? 's3/' : undefined,
  });
  sendEventsToEventBridge(bucket);
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
  if (options.removalPolicy === RemovalPolicy.DESTROY) acknowledgeAutoDelete(scope);
  return bucket;
}

/** The customer managed key the created bucket is encrypted with, when the user asks for one. */
export function createSiteKey(site: Construct, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(site, 'Key', {
    description: `Encrypts the static site bucket of ${site.node.path}`,
    enableKeyRotation: true,
    removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });
  restrictGrantsToAwsResources(key);
  return key;
}

/** The bucket for CloudFront standard logs and S3 server access logs. */
export function createLogBucket(scope: Construct, removalPolicy: RemovalPolicy, retention: Duration | undefined): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'LogBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    // CloudFront standard logs (legacy) are delivered with an ACL grant to the awslogsdelivery
    // account, so this bucket must accept ACLs: BucketOwnerPreferred keeps us the owner of every
    // log object while letting CloudFront add its grant. BucketOwnerEnforced would break delivery.
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    lifecycleRules: [{
      id: 'expire-logs',
      expiration: retention,
      noncurrentVersionExpiration: Duration.days(1),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    }],
    removalPolicy,
    autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
  });
  sendEventsToEventBridge(bucket);
  acknowledge(bucket, {
    ids: [...NAG.s3AccessLogs],
    reason: 'This is the access log bucket itself; logging it to itself would loop and to another bucket would only move the question.',
  }, {
    ids: [...NAG.s3KmsEncryption],
    reason: 'CloudFront standard log delivery does not support SSE-KMS destination buckets without granting the delivery service the key; SSE-S3 (AES-256) encrypts the logs at rest.',
  }, {
    ids: [...NAG.s3Replication],
    reason: 'Access logs expire by lifecycle; replicating them would double their cost.',
  });
  if (removalPolicy === RemovalPolicy.DESTROY) acknowledgeAutoDelete(scope);
  return bucket;
}

/**
 * `autoDeleteObjects` (development only) adds aws-cdk-lib's stack-wide auto-delete provider; its
 * findings are acknowledged on that provider.
 */
function acknowledgeAutoDelete(scope: Construct): void {
  const provider = Stack.of(scope).node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider');
  if (!provider) return;
  retainProviderLogs(scope, 'Custom::S3AutoDeleteObjectsCustomResourceProvider', logs.RetentionDays.ONE_WEEK);
  acknowledge(provider, {
    ids: ['AwsSolutions-L1', ...NAG.lambdaInVpc, ...NAG.lambdaConcurrency, ...NAG.lambdaDlq],
    reason: 'aws-cdk-lib\'s auto-delete provider, added only in the development profile so a destroyed stack leaves no bucket behind: a deploy-time custom resource CloudFormation retries and reports, handling no application data.',
  });
}
