import { Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledge, acknowledgeStarActions, wildcardFindings } from '../../private/nag';

/** A kind of wildcard that aws-cdk-lib's own grants produce, and why it is acceptable here. */
interface KnownWildcard {
  readonly matches: (finding: string) => boolean;
  readonly reason: string;
}

/** A region or account in a rendered ARN: literal, or a pseudo parameter. */
const SEG = '(?:<AWS::[A-Za-z]+>|[a-z0-9-]+)';
/**
 * The partition in a rendered ARN: the pseudo parameter, or the literal one aws-cdk-lib writes
 * for a stack with a known region when a new app's feature flags are on.
 */
const PARTITION = '(?:<AWS::Partition>|aws|aws-cn|aws-us-gov)';

const KNOWN_WILDCARDS: KnownWildcard[] = [
  {
    matches: (f) => /^Action::(s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*|kms:(ReEncrypt|GenerateDataKey)\*)$/.test(f),
    reason: 'aws-cdk-lib grant action groups (bucket.grantReadWrite, key.grantEncryptDecrypt) scoped to the pipeline\'s own artifacts bucket, source bucket and key.',
  },
  {
    matches: (f) => /^Resource::<[A-Za-z0-9]+\.Arn>\/\*$/.test(f),
    reason: 'Objects of one bucket (pipeline artifacts or source): execution artifacts get new keys every run.',
  },
  {
    matches: (f) => new RegExp(`^Resource::arn:${PARTITION}:logs:${SEG}:${SEG}:log-group:/aws/codebuild/<[A-Za-z0-9]+>:\\*$`).test(f)
      || new RegExp(`^Resource::arn:${PARTITION}:codebuild:${SEG}:${SEG}:report-group/<[A-Za-z0-9]+>-\\*$`).test(f),
    reason: 'CodeBuild\'s default grants: the log streams and test report groups of this one project, named per build.',
  },
  {
    matches: (f) => new RegExp(`^Resource::arn:${PARTITION}:ecs:${SEG}:${SEG}:task-definition/[A-Za-z0-9_-]+:\\*$`).test(f),
    reason: 'The deploy action tags the revisions of the deployed service\'s one task definition family (only while registering them, by condition); each deploy makes a new revision number.',
  },
  {
    matches: (f) => new RegExp(`^Resource::arn:${PARTITION}:ec2:${SEG}:${SEG}:network-interface/\\*$`).test(f),
    reason: 'CodeBuild in a VPC attaches a new network interface per build; ec2:CreateNetworkInterfacePermission is limited to the build\'s subnets by condition.',
  },
];

/** Why `Resource::*` is needed, per kind of policy. */
const STAR_REASONS: { [kind: string]: string } = {
  vpc: 'CodeBuild in a VPC needs ec2:CreateNetworkInterface, ec2:Describe* and ec2:DeleteNetworkInterface, which take no resource ARN.',
  ecsDeploy: 'The ECS deploy action needs ecs:DescribeTaskDefinition, ecs:RegisterTaskDefinition, ecs:DescribeTasks and ecs:ListTasks, which take no resource ARN; ecs:UpdateService names the service and iam:PassRole its two roles.',
};

/** True when `Resource: *` carries only the ECS deploy action's describe and register calls. */
function onlyEcsDeployActionsOnStar(document: { Statement?: Array<{ Effect?: string; Action?: unknown; Resource?: unknown }> }): boolean {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  return (document.Statement ?? []).filter((s) => list(s.Resource).includes('*'))
    .every((s) => list(s.Action).every((a) => /^ecs:(DescribeTaskDefinition|RegisterTaskDefinition|DescribeTasks|ListTasks)$/.test(String(a))));
}

/**
 * Acknowledges, at each IAM policy under `scope`, the wildcards that aws-cdk-lib's grants and
 * CodeBuild/CodePipeline integrations produce (only the known kinds above: anything else stays a
 * finding), and the inline default policy itself. Call it at the end of the constructor, when the
 * policies hold what this construct put in them.
 */
export function acknowledgeGeneratedPolicies(scope: IConstruct): void {
  for (const c of scope.node.findAll()) {
    if (!(c instanceof iam.CfnPolicy)) continue;
    const doc = Stack.of(c).resolve(c.policyDocument);
    const path = c.node.path;
    for (const finding of wildcardFindings(doc)) {
      const known = KNOWN_WILDCARDS.find((k) => k.matches(finding));
      let reason = known?.reason;
      if (!reason && finding === 'Resource::*') {
        if (path.endsWith('/PolicyDocument/Resource')) reason = STAR_REASONS.vpc;
        else if (/\/DeployRole\/DefaultPolicy\/Resource$/.test(path) && onlyEcsDeployActionsOnStar(doc)) reason = STAR_REASONS.ecsDeploy;
      }
      // On `*` only the actions granted by now are ours: a user's later statement stays a finding.
      if (reason && finding === 'Resource::*') acknowledgeStarActions(c, reason);
      else if (reason) acknowledge(c, { ids: [`AwsSolutions-IAM5[${finding}]`], reason: reason });
    }
    acknowledge(c, {
      ids: ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'],
      reason: 'aws-cdk-lib attaches each role\'s least-privilege grants as its own policy; a customer managed policy per role would add nothing but names to manage.',
    });
  }
}

/** CodeBuild projects whose source is not GitHub or Bitbucket: the OAuth rule does not apply. */
export function acknowledgeNonGitSource(project: codebuild.Project): void {
  const cfn = project.node.defaultChild as codebuild.CfnProject;
  const source = Stack.of(project).resolve(cfn.source) as { type?: string };
  if (source.type === 'GITHUB' || source.type === 'BITBUCKET' || source.type === 'GITHUB_ENTERPRISE') return;
  acknowledge(cfn, {
    ids: ['HIPAA.Security-CodeBuildProjectSourceRepoUrl'],
    reason: `The project's source is ${source.type ?? 'none'}, not a GitHub or Bitbucket URL: there are no repository credentials to protect with OAuth.`,
  });
}
