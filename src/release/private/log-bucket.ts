import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Profile } from '../../core/profile';
import { acknowledgeAutoDelete, createLogBucket, sendEventsToEventBridge } from '../../private/s3';

/**
 * The bucket the release artifact bucket's access logs go to: SSE-S3 (the release artifacts have
 * no customer managed key), Object Lock on (a new bucket, so nothing is replaced) and events to
 * EventBridge, both free; logs kept as long as the profile keeps logs.
 */
export function createArtifactLogBucket(scope: Construct, profile: Profile): s3.Bucket {
  const removalPolicy = profile.storeRemovalPolicy;
  const bucket = createLogBucket(scope, 'PipelineAccessLogs', {
    removalPolicy,
    expiration: profile.logRetention === logs.RetentionDays.INFINITE ? undefined : Duration.days(profile.logRetention),
    lifecycleRuleId: 'expire-access-logs',
    sseS3Reason: 'SSE-S3 (AES-256) encrypts the access logs at rest (who read or wrote which artifact, no artifact content): the release artifacts have no customer managed key, and one would cost 1 USD a month.',
    // The bucket policy (not an ACL) admits the logging service, so ACLs stay disabled.
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    objectLockEnabled: true,
  });
  sendEventsToEventBridge(bucket);
  if (removalPolicy === RemovalPolicy.DESTROY) acknowledgeAutoDelete(scope, { retainLogs: true });
  return bucket;
}
