import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The role of the pipeline's ECS deploy action, scoped to the one service it deploys. aws-cdk-lib's
 * `EcsDeployAction` would grant `ecs:UpdateService` on every service and `iam:PassRole` on every
 * role; here the service's ARN and its task and execution roles are named. The action gets the
 * role without policy updates, so its wider defaults are never added.
 */
export function scopedEcsDeployRole(scope: Construct, pipelineRole: iam.IRole, service: ecs.FargateService, artifactBucket: s3.IBucket): iam.IRole {
  const role = new iam.Role(scope, 'DeployRole', {
    assumedBy: new iam.ArnPrincipal(pipelineRole.roleArn),
    description: `Deploys ${service.node.path} from the migration pipeline`,
  });
  // the image definitions file is read from the pipeline's artifacts
  artifactBucket.grantRead(role);
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['ecs:DescribeServices', 'ecs:UpdateService'],
    resources: [service.serviceArn],
  }));
  // these take no resource ARN (a task definition revision does not exist before it is registered)
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition', 'ecs:DescribeTasks', 'ecs:ListTasks'],
    resources: ['*'],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['ecs:TagResource'],
    resources: [Stack.of(scope).formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${service.taskDefinition.family}:*` })],
    conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
  }));
  const passable = [service.taskDefinition.taskRole, service.taskDefinition.executionRole].filter((r): r is iam.IRole => r !== undefined);
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: passable.map((r) => r.roleArn),
    conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
  }));
  return role.withoutPolicyUpdates();
}
