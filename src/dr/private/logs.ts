import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Profile } from '../../core/profile';
import { acknowledge, NAG } from '../../private/nag';

/**
 * A DR log group with the profile's retention, kept with the DR stack's stores, and encrypted by
 * CloudWatch Logs' own key: `why` says why a customer key is not worth its 1 USD a month here.
 */
export function createDrLogGroup(scope: Construct, id: string, profile: Profile, why: string): logs.LogGroup {
  const logGroup = new logs.LogGroup(scope, id, {
    retention: profile.logRetention,
    removalPolicy: profile.storeRemovalPolicy,
  });
  acknowledge(logGroup, { ids: [...NAG.logGroupKms], reason: why });
  return logGroup;
}
