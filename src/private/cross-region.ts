import { Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledge } from './nag';
import { LeanStackValidationError } from './validate';

const registered = new WeakSet<Stack>();

/** A companion stack in us-east-1 of a home stack: how it is named and described. */
export interface UsEast1CompanionOptions {
  /** Appended to the home stack's construct id. */
  readonly idSuffix: string;
  /** Appended to the home stack's name. */
  readonly nameSuffix: string;
  readonly description: string;
  /** Runs once, when the companion is created. */
  readonly onCreate?: (companion: Stack) => void;
}

/**
 * The companion stack `<stackName><nameSuffix>` in us-east-1, in the home stack's stage and
 * account, with cross-region references on: found, or created the first time it is asked for.
 */
export function usEast1Companion(scope: IConstruct, home: Stack, options: UsEast1CompanionOptions): Stack {
  const stage = Stage.of(home);
  if (!stage) throw new LeanStackValidationError(scope, 'the stack must be inside an App or Stage');
  const companionId = `${home.node.id}${options.idSuffix}`;
  const existing = stage.node.tryFindChild(companionId) as Stack | undefined;
  if (existing) return existing;
  const companion = new Stack(stage, companionId, {
    stackName: `${home.stackName}${options.nameSuffix}`,
    env: { account: Token.isUnresolved(home.account) ? undefined : home.account, region: 'us-east-1' },
    crossRegionReferences: true,
    description: options.description,
  });
  options.onCreate?.(companion);
  acknowledgeCrossRegionProviders(companion);
  return companion;
}

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
