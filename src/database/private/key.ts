import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Profile } from '../../core/profile';
import { restrictGrantsToAwsResources } from '../../private/kms';

/**
 * The key `customerManagedKey` asks for: rotated, kept with the data it encrypts in production
 * (snapshots and retained secrets stay readable), and handing out grants only for AWS resources
 * (RDS, Secrets Manager and Performance Insights create theirs that way).
 */
export function createDatabaseKey(scope: Construct, profile: Profile): kms.Key {
  const key = new kms.Key(scope, 'Key', {
    description: `Encrypts the database ${scope.node.path}, its secret and its Performance Insights`,
    enableKeyRotation: true,
    removalPolicy: profile.storeRemovalPolicy,
  });
  restrictGrantsToAwsResources(key);
  return key;
}
