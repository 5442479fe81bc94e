import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NAG, acknowledge, acknowledgeStarActions, ResolvedPolicyDocument, wildcardFindings } from '../../private/nag';

/** What every release build project shares. */
export interface ReleaseProjectOptions {
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** The docker platform and the CodeBuild image that builds it natively (no emulation). */
export function buildHostFor(architecture: ecs.CpuArchitecture): { platform: string; suffix: string; image: codebuild.IBuildImage } {
  return architecture === ecs.CpuArchitecture.ARM64
    ? { platform: 'linux/arm64', suffix: 'arm64', image: codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0 }
    : { platform: 'linux/amd64', suffix: 'amd64', image: codebuild.LinuxBuildImage.STANDARD_7_0 };
}

/**
 * A pipeline project with its own log group (retention from the profile) and the trade-offs every
 * release project shares acknowledged at the project.
 */
export function releaseProject(scope: Construct, id: string, options: ReleaseProjectOptions & {
  readonly description: string;
  readonly buildSpec: { [key: string]: unknown };
  readonly buildImage?: codebuild.IBuildImage;
  readonly privileged?: boolean;
  readonly environmentVariables?: { [name: string]: codebuild.BuildEnvironmentVariable };
  readonly timeout?: Duration;
}): codebuild.PipelineProject {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: options.logRetention, removalPolicy: options.removalPolicy });
  const project = new codebuild.PipelineProject(scope, id, {
    description: options.description,
    environment: {
      buildImage: options.buildImage ?? codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
      computeType: codebuild.ComputeType.SMALL,
      privileged: options.privileged ?? false,
    },
    environmentVariables: options.environmentVariables,
    buildSpec: codebuild.BuildSpec.fromObject(options.buildSpec),
    timeout: options.timeout ?? Duration.minutes(30),
    logging: { cloudWatch: { logGroup } },
  });
  acknowledge(logGroup, {
    ids: [...NAG.logGroupKms],
    reason: 'Build logs hold no credentials (builds get none but their role\'s) and are encrypted by CloudWatch Logs by default; a customer managed key costs 1 USD a month.',
  });
  acknowledge(project, {
    ids: ['AwsSolutions-CB4'],
    reason: 'Build artifacts (image definitions, the built site) use the artifact bucket\'s S3 managed encryption; a customer managed key costs 1 USD a month.',
  });
  acknowledge(project.node.defaultChild as codebuild.CfnProject, {
    ids: ['HIPAA.Security-CodeBuildProjectSourceRepoUrl'],
    reason: 'The source is the pipeline\'s artifact (CODEPIPELINE), not a repository URL: there are no repository credentials in the project.',
  });
  if (options.privileged) {
    acknowledge(project, {
      ids: ['AwsSolutions-CB3'],
      reason: 'docker build needs privileged mode; the project builds only the release\'s own Dockerfile from the pipeline\'s source and pushes only to the release repository.',
    });
  }
  return project;
}

/**
 * Acknowledges the wildcards of the policies aws-cdk-lib generates for the release's build
 * projects and pipeline (each limited to one bucket, project or log group), and the inline
 * policies themselves; anything else stays a finding.
 */
export function acknowledgeReleasePolicies(scope: Construct): void {
  const known: Array<[RegExp, string]> = [
    [/^Action::(s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*|kms:(ReEncrypt|GenerateDataKey)\*)$/,
      'aws-cdk-lib grant action groups, scoped to the release\'s artifact bucket and the environments\' site buckets.'],
    [/^Resource::(<[A-Za-z0-9.]+Arn[A-Za-z0-9]*>|arn:<AWS::Partition>:s3:::[A-Za-z0-9:-]+)\/\*$/, 'Objects of one bucket (pipeline artifacts or a site): keys change every release.'],
    [/^Resource::arn:<AWS::Partition>:(logs|codebuild):.*(log-group|report-group)\/?.*\*$/, 'CodeBuild\'s default grants: the log streams and report groups of this one project, named per build.'],
    [/^Resource::arn:<AWS::Partition>:logs:.*:log-group:<[A-Za-z0-9]+>:\*$/, 'The log streams of this project\'s own log group, named per build.'],
    [/^Resource::\*$/, ''],
  ];
  for (const c of scope.node.findAll()) {
    if (!(c instanceof iam.CfnPolicy)) continue;
    const doc = Stack.of(c).resolve(c.policyDocument) as ResolvedPolicyDocument;
    for (const finding of wildcardFindings(doc)) {
      const match = known.find(([re]) => re.test(finding));
      if (!match) continue;
      const reason = match[1] || starReason(c.node.path);
      // On `*` only the actions granted by now are ours: a user's later statement stays a finding.
      if (reason && finding === 'Resource::*') acknowledgeStarActions(c, reason);
      else if (reason) acknowledge(c, { ids: [`AwsSolutions-IAM5[${finding}]`], reason });
    }
    acknowledge(c, {
      ids: [...NAG.inlinePolicy],
      reason: 'aws-cdk-lib attaches each role\'s least-privilege grants as its own policy; a customer managed policy per role would add nothing but names to manage.',
    });
  }
}

/** Why an action needs `Resource::*`, by the role it belongs to; '' when we know no reason. */
function starReason(path: string): string {
  if (/\/Deploy[^/]*\/CodePipelineActionRole\//.test(path)) {
    return 'The ECS deploy action needs ecs:DescribeServices, ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition, which take no resource ARN; iam:PassRole is limited to ECS tasks by condition.';
  }
  if (/\/Image[A-Za-z0-9]*\/Role\//.test(path)) {
    return 'ecr:GetAuthorizationToken takes no resource ARN; pushes are limited to the release repository.';
  }
  return '';
}
