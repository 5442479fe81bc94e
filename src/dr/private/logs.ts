import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { Profile } from '../../core/profile';
import { allowLogsToUseKey } from '../../private/kms';
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

/**
 * Encrypts every log group under `scopes` with the DR key, which the replica already pays for: a
 * customer managed key for the DR logs costs nothing more than CloudWatch Logs' requests to it.
 */
export function encryptLogGroups(key: kms.IKey, scopes: IConstruct[]): void {
  allowLogsToUseKey(key);
  for (const scope of scopes) {
    for (const group of scope.node.findAll().filter((c): c is logs.CfnLogGroup => c instanceof logs.CfnLogGroup)) {
      if (group.kmsKeyId === undefined) group.kmsKeyId = key.keyArn;
    }
  }
}
