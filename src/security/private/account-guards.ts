import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { NAG, acknowledge, acknowledgeAwsCustomResourceProvider } from '../../private/nag';

/**
 * The account-level S3 Block Public Access setting. CloudFormation has no resource type for it
 * (only the bucket-level `PublicAccessBlockConfiguration`), so an `AwsCustomResource` calls
 * S3 Control's PutPublicAccessBlock. Deleting the stack leaves the block on: it is a guardrail,
 * and removing it should be a deliberate act.
 */
export function blockAccountPublicAccess(scope: Construct): cr.AwsCustomResource {
  const stack = Stack.of(scope);
  const call: cr.AwsSdkCall = {
    service: 'S3Control',
    action: 'putPublicAccessBlock',
    parameters: {
      AccountId: stack.account,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    },
    physicalResourceId: cr.PhysicalResourceId.of(`account-public-access-block-${stack.account}`),
  };
  const block = new cr.AwsCustomResource(scope, 'AccountPublicAccessBlock', {
    installLatestAwsSdk: false,
    onCreate: call,
    onUpdate: call,
    // s3:PutAccountPublicAccessBlock has no resource ARN: IAM accepts only '*'.
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['s3:PutAccountPublicAccessBlock'], resources: ['*'] }),
    ]),
  });
  acknowledge(block, {
    ids: [...NAG.wildcardResource],
    reason: 's3:PutAccountPublicAccessBlock acts on the account and supports no resource ARN; IAM requires Resource "*". The policy grants that one action only.',
  }, {
    ids: [...NAG.inlinePolicy],
    reason: 'The custom resource policy grants exactly one action for this setting and is created and deleted with it.',
  });
  acknowledgeAwsCustomResourceProvider(stack);
  return block;
}
