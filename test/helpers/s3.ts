import { Match, Template } from 'aws-cdk-lib/assertions';

/** Where a bucket's S3 server access logs go, as `logAccessTo` (or a log bucket's own logging) writes it. */
export interface AccessLogDelivery {
  /** The logical ID of the bucket that receives the logs. */
  readonly logBucketId: string;
  /** The logical ID of the bucket whose access is logged (the log bucket itself for its own logs). */
  readonly sourceId: string;
  /** The Sid of the log bucket policy statement. */
  readonly sid: string;
  /** The key prefix the logs are written under, e.g. `s3/`. */
  readonly prefix: string;
  /** The account the source bucket belongs to. */
  readonly account: string;
}

/**
 * Expects the log bucket's policy to let the S3 logging service put objects under the prefix, for
 * the source bucket of this account only (no ACL grant, no other bucket, no other account).
 */
export function expectAccessLogsAdmitted(t: Template, d: AccessLogDelivery): void {
  t.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: d.logBucketId },
    PolicyDocument: {
      Statement: Match.arrayWith([{
        Sid: d.sid,
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [d.logBucketId, 'Arn'] }, `/${d.prefix}*`]] },
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [d.sourceId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': d.account } },
      }]),
    },
  });
}

/**
 * Expects a retained bucket as `createAccessLogBucket` makes it: Object Lock without a default
 * retention, ACLs off, its own access logged under `self/`, events to EventBridge, and logs expiring
 * after the profile's retention.
 */
export function expectAccessLogBucket(t: Template, retentionDays: number): void {
  t.hasResource('AWS::S3::Bucket', {
    DeletionPolicy: 'Retain',
    Properties: Match.objectLike({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: Match.absent(),
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { LogFilePrefix: 'self/' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs', ExpirationInDays: retentionDays })] },
    }),
  });
}
