import { CfnDynamicReference, CfnDynamicReferenceService, Stack, Stage, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { NAG, acknowledge, acknowledgeAwsCustomResourceProvider } from './nag';
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

/** An SSM parameter that a stack writes into another region. */
export interface RegionalParameterOptions {
  /** The parameter's name, starting with `/`. */
  readonly name: string;
  /** The value, usually a token of the writing stack (a certificate's ARN). */
  readonly value: string;
  /** The region the parameter is written in: the reading stack's. */
  readonly region: string;
}

/**
 * Writes a value of `scope`'s stack into an SSM parameter of another region (a free standard
 * parameter, deleted with the resource) and returns the CloudFormation dynamic reference
 * `{{resolve:ssm:<name>}}` that a stack in that region reads it with. Unlike a cross-region
 * reference (a `Fn::GetAtt` of a reader custom resource), the reader's template then holds a
 * plain string, which AWS Control Tower's proactive controls accept where they want a literal
 * ARN. The reading stack must depend on the writing one. The returned string is a token, so
 * aws-cdk-lib's checks that parse ARNs skip it.
 */
export function writeParameterInRegion(scope: Construct, id: string, options: RegionalParameterOptions): string {
  const stack = Stack.of(scope);
  const parameterArn = stack.formatArn({ service: 'ssm', region: options.region, resource: 'parameter', resourceName: options.name.replace(/^\//, '') });
  const put: cr.AwsSdkCall = {
    service: 'SSM',
    action: 'putParameter',
    region: options.region,
    parameters: { Name: options.name, Value: options.value, Type: 'String', Overwrite: true },
    physicalResourceId: cr.PhysicalResourceId.of(options.name),
  };
  const writer = new cr.AwsCustomResource(scope, id, {
    resourceType: 'Custom::RegionalParameter',
    installLatestAwsSdk: false,
    onCreate: put,
    onUpdate: put,
    onDelete: {
      service: 'SSM',
      action: 'deleteParameter',
      region: options.region,
      parameters: { Name: options.name },
      ignoreErrorCodesMatching: 'ParameterNotFound',
    },
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['ssm:PutParameter', 'ssm:DeleteParameter'], resources: [parameterArn] }),
    ]),
  });
  acknowledge(writer, { ids: [...NAG.inlinePolicy], reason: 'The custom resource policy may put and delete exactly this one parameter, and is created and deleted with it.' });
  acknowledgeAwsCustomResourceProvider(stack);
  return Token.asString(new CfnDynamicReference(CfnDynamicReferenceService.SSM, options.name));
}
