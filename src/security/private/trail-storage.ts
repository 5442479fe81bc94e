import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { restrictGrantsToAwsResources } from '../../private/kms';
import { NAG, acknowledge } from '../../private/nag';
import { acknowledgeAutoDelete, createLogBucket, logAccessTo, sendEventsToEventBridge } from '../../private/s3';

/** The customer managed key CloudTrail (and, if asked, CloudWatch Logs) encrypts with. */
export function createTrailKey(scope: Construct, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, 'TrailKey', {
    description: 'Encrypts CloudTrail log files and the trail bucket',
    enableKeyRotation: true,
    removalPolicy,
    pendingWindow: Duration.days(30),
  });
  grantCloudTrail(key);
  // Nobody but an AWS service acting for an AWS resource may create a grant: a grant would let a
  // principal decrypt the logs without a key policy statement anyone reviews (Control Tower CT.KMS.PR.3).
  restrictGrantsToAwsResources(key);
  return key;
}

/** Lets CloudTrail encrypt this account's (or organization's) trails with the key. */
export function grantCloudTrail(key: kms.IKey): void {
  const cloudtrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailEncryptsTrailsOfThisAccount',
    principals: [cloudtrail],
    actions: ['kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${Aws.ACCOUNT_ID}:trail/*` } },
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailDescribesKey',
    principals: [cloudtrail],
    actions: ['kms:DescribeKey'],
    resources: ['*'],
  }));
}

/** What the trail bucket needs to know. */
export interface TrailBucketOptions {
  readonly key: kms.IKey;
  /** The trail key when the baseline created it: it then encrypts the access log bucket too. */
  readonly createdKey?: kms.Key;
  readonly removalPolicy: RemovalPolicy;
  readonly expiration?: Duration;
  readonly objectLockRetention?: Duration;
  readonly accessLogs: boolean;
}

/**
 * The trail bucket and, in profiles that log access, the bucket its access logs go to. Both have
 * Object Lock on (free; a default retention only where asked, since it blocks deletion) and send
 * their events to EventBridge (free until a rule matches).
 */
export function createTrailBucket(scope: Construct, options: TrailBucketOptions): { bucket: s3.Bucket; logBucket?: s3.Bucket } {
  const logBucket = options.accessLogs ? createLogBucket(scope, 'AccessLogBucket', {
    removalPolicy: options.removalPolicy,
    expiration: options.expiration,
    lifecycleRuleId: 'expire-access-logs',
    // The trail key costs nothing more for a second bucket; a key of the user's own keeps its
    // policy as the user wrote it (CloudTrail's statements aside), so those logs stay SSE-S3.
    encryptionKey: options.createdKey,
    sseS3Reason: 'SSE-S3 (AES-256) encrypts the access logs at rest: the trail key is your own `encryptionKey`, whose policy the baseline does not open to S3 server access logging.',
    // The bucket policy (not an ACL) admits the logging service, so ACLs stay disabled.
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    objectLockEnabled: true,
  }) : undefined;
  if (logBucket) sendEventsToEventBridge(logBucket);
  const locked = options.objectLockRetention !== undefined;
  const bucket = new s3.Bucket(scope, 'TrailBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: options.key,
    // A Bucket Key cuts KMS requests for every log file CloudTrail delivers.
    bucketKeyEnabled: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    // Object Lock on the bucket keeps versioning from being suspended and lets a retention be set
    // later without a new bucket; only a default retention stops deletion.
    objectLockEnabled: true,
    // Governance mode: nobody deletes a log early unless granted s3:BypassGovernanceRetention.
    objectLockDefaultRetention: locked ? s3.ObjectLockRetention.governance(options.objectLockRetention!) : undefined,
    lifecycleRules: [{
      id: 'expire-trail-logs',
      expiration: options.expiration,
      noncurrentVersionExpiration: Duration.days(1),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    }],
    removalPolicy: options.removalPolicy,
    // A default retention forbids emptying the bucket, so a locked bucket is never auto-deleted.
    autoDeleteObjects: options.removalPolicy === RemovalPolicy.DESTROY && !locked,
  });
  sendEventsToEventBridge(bucket);
  acknowledge(bucket, {
    ids: [...NAG.s3Replication],
    reason: 'Audit logs are versioned, retained in production and protected by service control policies; cross-region replication would double their storage and transfer cost. Replicate with a rule of your own if a regulator asks for a second region.',
  });
  if (logBucket) {
    logAccessTo(bucket, logBucket, { prefix: 'trail-bucket/', sid: 'S3ServerAccessLogsForTheTrailBucket' });
  } else {
    acknowledge(bucket, {
      ids: [...NAG.s3AccessLogs],
      reason: 'Access logs are off in this profile (development) to keep idle cost and storage at zero; production profiles (or `accessLogs: true`) log to a dedicated bucket. Every API call on the bucket is in CloudTrail anyway.',
    });
  }
  if (options.removalPolicy === RemovalPolicy.DESTROY && !locked) acknowledgeAutoDelete(scope);
  return { bucket, logBucket };
}
