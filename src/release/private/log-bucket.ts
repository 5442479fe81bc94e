import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Profile } from '../../core/profile';
import { createAccessLogBucket } from '../../private/s3';

/**
 * The bucket the release artifact bucket's access logs go to: SSE-S3 (the release artifacts have
 * no customer managed key), Object Lock on (a new bucket, so nothing is replaced) and events to
 * EventBridge, both free; logs kept as long as the profile keeps logs.
 */
export function createArtifactLogBucket(scope: Construct, profile: Profile): s3.Bucket {
  return createAccessLogBucket(scope, 'PipelineAccessLogs', {
    removalPolicy: profile.storeRemovalPolicy,
    logRetention: profile.logRetention,
    sseS3Reason: 'SSE-S3 (AES-256) encrypts the access logs at rest (who read or wrote which artifact, no artifact content): the release artifacts have no customer managed key, and one would cost 1 USD a month.',
  });
}
