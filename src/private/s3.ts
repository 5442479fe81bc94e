import * as s3 from 'aws-cdk-lib/aws-s3';

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
