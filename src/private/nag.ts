import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A deliberate compliance trade-off: the rule ids (as cdk-nag reports them, e.g.
 * `AwsSolutions-IAM5[Action::s3:*]`, `HIPAA.Security-S3BucketLoggingEnabled`) and why the
 * trade-off is right for this resource.
 */
export interface TradeOff {
  readonly ids: string[];
  readonly reason: string;
}

/**
 * Acknowledges deliberate trade-offs on the resource they concern, through aws-cdk-lib's
 * `Validations`, which cdk-nag v3 reads. Acknowledging at the resource (never at the app or stack)
 * keeps users' own findings visible when they run cdk-nag over their apps.
 */
export function acknowledge(scope: IConstruct, ...tradeOffs: TradeOff[]): void {
  for (const { ids, reason } of tradeOffs) {
    for (const id of ids) {
      if (id.includes('[')) {
        // Granular cdk-nag ids (`AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:...]`)
        // may contain `::`, which `Validations.acknowledge` reserves for a prefix and rejects;
        // write the same metadata entry it would, which is what cdk-nag reads. Prefixed ids such
        // as `CloudFormation-Validate::W9008` still go through `Validations`.
        scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`Annotation::${id}`]: reason });
        // With a new app's feature flags, aws-cdk-lib writes the partition of a stack with a known
        // region literally (`arn:aws:...`): the same finding then carries that id.
        if (id.includes('arn:<AWS::Partition>:')) {
          const literal = id.split('arn:<AWS::Partition>:').join('arn:aws:');
          scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`Annotation::${literal}`]: reason });
        }
      } else {
        Validations.of(scope).acknowledge({ id, reason });
      }
    }
  }
}

/** The three packs' ids for one concept, so a single reason covers the same finding in each. */
export const NAG = {
  s3AccessLogs: ['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled', 'NIST.800.53.R5-S3BucketLoggingEnabled'],
  s3Replication: ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
  s3KmsEncryption: ['NIST.800.53.R5-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS'],
  s3Versioning: ['HIPAA.Security-S3BucketVersioningEnabled', 'NIST.800.53.R5-S3BucketVersioningEnabled'],
  logGroupKms: ['HIPAA.Security-CloudWatchLogGroupEncrypted', 'NIST.800.53.R5-CloudWatchLogGroupEncrypted'],
  lambdaInVpc: ['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC'],
  lambdaConcurrency: ['HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency'],
  lambdaDlq: ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'],
  secretRotation: ['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled', 'NIST.800.53.R5-SecretsManagerRotationEnabled'],
  secretKms: ['HIPAA.Security-SecretsManagerUsingKMSKey', 'NIST.800.53.R5-SecretsManagerUsingKMSKey'],
  inlinePolicy: ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'],
  wildcardResource: ['AwsSolutions-IAM5[Resource::*]'],
  lambdaBasicExecution: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'],
} as const;

/**
 * How cdk-nag names a resource in a bracketed finding id such as
 * `AwsSolutions-IAM5[Resource::<SiteBucket1234.Arn>/*]`: the value resolved in the stack, with
 * `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>` and `Fn::Join` flattened. Computing it (rather than
 * hard-coding a logical id) keeps the acknowledgement exact when the construct is renamed.
 */
export function nagResourceId(scope: IConstruct, value: string): string {
  return `Resource::${flatten(Stack.of(scope).resolve(value))}`;
}

/** A policy document as `Stack.resolve` renders it, as far as cdk-nag's IAM5 rule reads it. */
export interface ResolvedPolicyDocument {
  readonly Statement?: Array<{ Effect?: string; Action?: unknown; Resource?: unknown }>;
}

/** The IAM5 findings cdk-nag reports for a resolved policy document, as it renders them. */
export function wildcardFindings(document: ResolvedPolicyDocument): string[] {
  const found = new Set<string>();
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  for (const s of document.Statement ?? []) {
    if (s.Effect !== 'Allow') continue;
    list(s.Action).map(String).filter((a) => a.includes('*')).forEach((a) => found.add(`Action::${a}`));
    list(s.Resource).map(flatten).filter((r) => r.includes('*')).forEach((r) => found.add(`Resource::${r}`));
  }
  return [...found];
}

/** cdk-nag's rendering of a resolved CloudFormation value into a finding id. */
function flatten(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  const obj = node as { [key: string]: unknown };
  if (Array.isArray(obj['Fn::Join'])) {
    const [delimiter, items] = obj['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (obj['Fn::Sub'] !== undefined) return flatten(obj['Fn::Sub']);
  if (Array.isArray(obj['Fn::GetAtt'])) {
    const [resource, attribute] = obj['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (obj['Fn::ImportValue'] !== undefined) return flatten(obj['Fn::ImportValue']);
  if (obj.Ref !== undefined) return `<${flatten(obj.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * CloudFormation validation warns (W3010) on an availability zone written into a template. In a
 * stack with an account and region, aws-cdk-lib's Vpc places each subnet in an AZ it looked up once
 * for the account and pinned in cdk.context.json, on purpose: a subnet whose AZ changed would be
 * replaced, with everything in it, which `Fn::GetAZs` could cause when AWS adds or reorders AZs.
 */
export const PINNED_AZ: TradeOff = {
  ids: ['CloudFormation-Validate::W3010'],
  reason: 'aws-cdk-lib pins each subnet (and NAT instance) to an availability zone looked up once for the account, so a redeploy never moves and replaces it; Fn::GetAZs could reorder.',
};

/**
 * The deliberate trade-offs of aws-cdk-lib's `AwsCustomResource` singleton Lambda in `stack`,
 * acknowledged on it (nothing if the stack has none yet).
 */
export function acknowledgeAwsCustomResourceProvider(stack: Stack): void {
  const provider = stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
  if (!provider) return;
  acknowledge(provider, { ids: [NAG.lambdaBasicExecution[0]], reason: 'The aws-cdk-lib custom resource Lambda writes its logs with the AWS managed basic execution policy.' });
  acknowledge(provider, {
    ids: [...NAG.lambdaInVpc, ...NAG.lambdaConcurrency, ...NAG.lambdaDlq, 'AwsSolutions-L1'],
    reason: 'Deploy-time custom resource run by CloudFormation a few times a year; CloudFormation retries it and records failures.',
  });
}

/**
 * Acknowledges a trade-off only while `holds()` is true at the time a checker reads the
 * acknowledgement (cdk-nag reads it when it validates, after the user has added their own
 * statements, variables and containers). This is how an acknowledgement stays exact where cdk-nag
 * reports one id for the whole resource (`AwsSolutions-ECS2` for a task definition) or the same
 * id for ours and a user's statement (`AwsSolutions-IAM5[Resource::*]` on a role's default
 * policy): as soon as the resource holds anything beyond what the reason covers, the finding is
 * reported again.
 */
export function acknowledgeWhile(scope: IConstruct, tradeOff: TradeOff, holds: () => boolean): void {
  const keys = tradeOff.ids.map((id) => `Annotation::${id}`);
  const current = (): string[] => (holds() ? keys : []);
  const data = new Proxy({}, {
    ownKeys: () => current(),
    getOwnPropertyDescriptor: (_target, key) => (current().includes(String(key))
      ? { value: tradeOff.reason, enumerable: true, configurable: true, writable: false }
      : undefined),
    get: (_target, key) => (current().includes(String(key)) ? tradeOff.reason : undefined),
  });
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, data);
}

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::*]` on one policy for the actions it grants on `*`
 * when this is called (ours), and only while it grants no other action on `*`: a statement a user
 * adds later to the same role is reported. Call it when the policy holds all that we put in it.
 */
export function acknowledgeStarActions(policy: IConstruct, reason: string): void {
  const ours = starActions(policy);
  acknowledgeWhile(policy, { ids: ['AwsSolutions-IAM5[Resource::*]'], reason }, () => [...starActions(policy)].every((a) => ours.has(a)));
}

/** The actions the policies under `scope` allow on `Resource: *`. */
function starActions(scope: IConstruct): Set<string> {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const actions = new Set<string>();
  for (const policy of scope.node.findAll()) {
    if (!(CfnResource.isCfnResource(policy) && policy.cfnResourceType === 'AWS::IAM::Policy')) continue;
    const raw = (policy as unknown as { policyDocument: unknown }).policyDocument;
    const document = Stack.of(policy).resolve(raw) as { Statement?: Array<{ Effect?: string; Action?: unknown; Resource?: unknown }> };
    for (const s of document.Statement ?? []) {
      if (s.Effect === 'Allow' && list(s.Resource).includes('*')) list(s.Action).forEach((a) => actions.add(String(a)));
    }
  }
  return actions;
}

/**
 * True when every Allow statement on `Resource: *` in the policies directly under `scope` (a
 * role's default policy, or an `iam.Policy`) grants only actions that `allowed` matches.
 */
export function wildcardOnlyFor(scope: IConstruct, allowed: RegExp): boolean {
  return [...starActions(scope)].every((a) => allowed.test(a));
}
