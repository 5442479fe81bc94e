import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledge } from './nag';

const registered = new WeakSet<Stack>();

/**
 * CDK creates the cross-region reference custom resources (a reader in the consuming stack, a
 * writer in the producing one) while it prepares the app for synthesis, after every construct
 * ran. A validation hook runs after that preparation and before policy validation (cdk-nag), so
 * it acknowledges the providers' findings at their own resources. Once per stack.
 */
export function acknowledgeCrossRegionProviders(stack: Stack): void {
  if (registered.has(stack)) return;
  registered.add(stack);
  stack.node.addValidation({
    validate: () => {
      for (const child of stack.node.children) {
        if (child.node.id.startsWith('Custom::CrossRegionExport')) acknowledgeProvider(child);
      }
      return [];
    },
  });
}

function acknowledgeProvider(provider: IConstruct): void {
  acknowledge(provider, {
    ids: ['AwsSolutions-IAM5'],
    reason: 'aws-cdk-lib cross-region reference provider: reads/writes only the /cdk/exports/<stack>/ SSM parameters that carry values between a stack and its us-east-1 companion.',
  }, {
    ids: ['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ', 'AwsSolutions-L1'],
    reason: 'aws-cdk-lib cross-region reference provider: a deploy-time CloudFormation custom resource that only calls SSM; CloudFormation retries it and reports failures, it handles no data, and a VPC would add NAT or endpoint costs.',
  });
}
