import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Denies `kms:CreateGrant` on the key unless the grant is for an AWS resource or the caller is an
 * AWS service. Grants are how services (RDS, EBS, Secrets Manager) use a key on our behalf; a
 * principal allowed `kms:CreateGrant` could otherwise hand the key to anyone, outside every
 * policy. This is AWS Control Tower's proactive control CT.KMS.PR.3, written as it expects it.
 */
export function restrictGrantsToAwsResources(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsExceptForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }), true);
}

/**
 * A customer managed key of ours for data at rest: rotated yearly, removed as `removalPolicy` says,
 * and handing out grants only for AWS resources (`restrictGrantsToAwsResources`).
 */
export function createDataKey(scope: Construct, id: string, options: { description: string; removalPolicy: RemovalPolicy }): kms.Key {
  const key = new kms.Key(scope, id, { description: options.description, enableKeyRotation: true, removalPolicy: options.removalPolicy });
  restrictGrantsToAwsResources(key);
  return key;
}

/**
 * Lets CloudWatch Logs use a key of ours for the log groups of this account and region (the
 * service needs it in the key policy, limited here to log groups by the encryption context).
 */
export function allowLogsToUseKey(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
    },
  }));
}
