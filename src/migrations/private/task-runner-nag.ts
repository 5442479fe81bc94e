import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { NAG, acknowledge, acknowledgeStarActions, nagResourceId } from '../../private/nag';

/** The runner's children this module acknowledges trade-offs on. */
interface RunnerParts extends IConstruct {
  readonly project: codebuild.Project;
  readonly cluster: IConstruct;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly taskLogGroup: IConstruct;
}

/** The CloudFormation policy of a role's default policy, once grants have created it. */
function defaultPolicyOf(role: iam.IRole | undefined): IConstruct | undefined {
  return role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
}

/** The runner's deliberate compliance trade-offs, acknowledged at the resources they concern. */
export function acknowledgeTaskRunner(
  runner: RunnerParts, options: { encrypted: boolean; containerInsights: boolean; scopedArns: { family: string; tasks: string; logStreams: string } },
): void {
  const buildPolicy = defaultPolicyOf(runner.project.role);
  if (buildPolicy) {
    const { family, tasks, logStreams } = options.scopedArns;
    acknowledgeStarActions(buildPolicy,
      'ecr:GetAuthorizationToken and ecs:DescribeTaskDefinition / RegisterTaskDefinition / DeregisterTaskDefinition take no resource ARN; '
      + 'what a registered revision may run is bounded by iam:PassRole (this task\'s two roles, to ECS tasks only) and ecs:RunTask (this family, this cluster).');
    acknowledge(buildPolicy,
      { ids: [`AwsSolutions-IAM5[${nagResourceId(buildPolicy, family)}]`], reason: 'Every revision of this one task family: each run registers a revision for its image.' },
      { ids: [`AwsSolutions-IAM5[${nagResourceId(buildPolicy, tasks)}]`], reason: 'The tasks of this construct\'s own cluster, which only runs migration tasks; task ids are new on every run.' },
      { ids: [`AwsSolutions-IAM5[${nagResourceId(buildPolicy, logStreams)}]`], reason: 'The migration task\'s log streams in its own log group, one per task id.' },
    );
  }
  const executionPolicy = defaultPolicyOf(runner.taskDefinition.executionRole);
  if (executionPolicy) {
    acknowledge(executionPolicy, {
      ids: ['AwsSolutions-IAM5[Resource::*]'],
      reason: 'ecr:GetAuthorizationToken takes no resource ARN; image pulls are limited to this construct\'s repository.',
    });
  }
  acknowledge(runner.project, {
    ids: ['AwsSolutions-CB3'],
    reason: 'The build runs `docker build` for the migration image, which needs privileged mode. It runs outside the VPC, '
      + 'holds no database credentials (the task reads them), and its role may push only to its own repository.',
  });
  if (!options.containerInsights) {
    acknowledge(runner.cluster, {
      ids: ['AwsSolutions-ECS4'],
      reason: 'The cluster only runs one-off migration tasks, whose exit code and log the build reports; Container Insights (the profile\'s `containerInsights`) would bill metrics for them.',
    });
  }
  acknowledge(runner.taskDefinition, {
    ids: ['AwsSolutions-ECS2'],
    reason: 'The environment holds connection facts only (host, port, database name, tool settings); the credentials are ECS secrets from the database secret.',
  });
  if (!options.encrypted) {
    acknowledge(runner.taskLogGroup, {
      ids: [...NAG.logGroupKms],
      reason: 'The migration task log holds the tool output and reports, no credentials; CloudWatch Logs encrypts it by default and a customer managed key costs 1 USD a month. Pass `encryptionKey` to use one.',
    });
  }
}
