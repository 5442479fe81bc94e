import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient, GetPipelineStateCommand, ListPipelineExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { AwsOptions, CliContext, clientConfig, timestamp } from './context';
import { DeployedResource, deployedResources, withRole } from './locate';
import { CLI_ROLE, CLI_TAG } from '../private/cli-tags';

/**
 * `status`: per stack, running and desired tasks per service and module, the deployment in
 * progress, the alarms in ALARM, replica lag, and the migration pipeline's last run.
 */
export async function statusCommand(ctx: CliContext, options: AwsOptions): Promise<number> {
  const resources = await deployedResources(ctx, options);
  const stacks = [...new Set(resources.map((r) => r.stackName))];
  for (const stackName of stacks) {
    const inStack = resources.filter((r) => r.stackName === stackName);
    const config = clientConfig(options, inStack[0].region);
    ctx.out(`${stackName}${inStack[0].region ? ` (${inStack[0].region})` : ''}`);
    await services(ctx, new ECSClient(config), inStack);
    const cloudwatch = new CloudWatchClient(config);
    await alarms(ctx, cloudwatch, inStack);
    await replicaLag(ctx, cloudwatch, inStack);
    await pipelines(ctx, new CodePipelineClient(config), inStack);
    ctx.out('');
  }
  return 0;
}

async function services(ctx: CliContext, ecs: ECSClient, resources: DeployedResource[]): Promise<void> {
  const all = resources.filter((r) => r.type === 'AWS::ECS::Service');
  if (all.length === 0) return;
  ctx.out('  Services (running/desired tasks)');
  // A service's ARN is arn:aws:ecs:<region>:<account>:service/<cluster>/<name>.
  const byCluster = new Map<string, DeployedResource[]>();
  for (const s of all) {
    const cluster = s.physicalId.split('/').slice(-2)[0];
    byCluster.set(cluster, [...byCluster.get(cluster) ?? [], s]);
  }
  for (const [cluster, list] of byCluster) {
    for (let i = 0; i < list.length; i += 10) {
      const chunk = list.slice(i, i + 10);
      const described = await ecs.send(new DescribeServicesCommand({ cluster, services: chunk.map((s) => s.physicalId) }));
      for (const r of chunk) {
        const svc = described.services?.find((d) => d.serviceArn === r.physicalId || d.serviceName === r.physicalId.split('/').pop());
        const label = r.tags[CLI_TAG.module] ? `${r.tags[CLI_TAG.service] ?? cluster} ${r.tags[CLI_TAG.module]}`
          : r.tags[CLI_TAG.role] === CLI_ROLE.drService ? `DR service ${r.logicalId}` : r.logicalId;
        if (!svc) {
          ctx.out(`    ${label.padEnd(44)} not found (${r.physicalId})`);
          continue;
        }
        const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
        const deploying = (svc.deployments?.length ?? 0) > 1 || primary?.rolloutState === 'IN_PROGRESS';
        const deployment = deploying
          ? `  deployment in progress (${primary?.rolloutState ?? 'rolling'} since ${timestamp(primary?.createdAt)}, ${svc.pendingCount ?? 0} pending)`
          : '';
        ctx.out(`    ${label.padEnd(44)} ${svc.runningCount ?? 0}/${svc.desiredCount ?? 0}${deployment}`);
      }
    }
  }
}

async function alarms(ctx: CliContext, cloudwatch: CloudWatchClient, resources: DeployedResource[]): Promise<void> {
  const names = resources.filter((r) => r.type === 'AWS::CloudWatch::Alarm' || r.type === 'AWS::CloudWatch::CompositeAlarm').map((r) => r.physicalId);
  if (names.length === 0) return;
  const firing: string[] = [];
  for (let i = 0; i < names.length; i += 100) {
    const page = await cloudwatch.send(new DescribeAlarmsCommand({
      AlarmNames: names.slice(i, i + 100), StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    }));
    for (const a of [...page.MetricAlarms ?? [], ...page.CompositeAlarms ?? []]) {
      firing.push(`${a.AlarmName} since ${timestamp(a.StateUpdatedTimestamp)}: ${a.StateReason ?? ''}`.trimEnd());
    }
  }
  ctx.out(`  Alarms in ALARM: ${firing.length === 0 ? `none (of ${names.length})` : firing.length}`);
  for (const line of firing) ctx.out(`    ${line}`);
}

async function replicaLag(ctx: CliContext, cloudwatch: CloudWatchClient, resources: DeployedResource[]): Promise<void> {
  for (const replica of withRole(resources, 'AWS::RDS::DBInstance', CLI_ROLE.databaseReplica)) {
    const end = new Date(ctx.now());
    const stats = await cloudwatch.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/RDS',
      MetricName: 'ReplicaLag',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: replica.physicalId }],
      StartTime: new Date(end.getTime() - 15 * 60_000),
      EndTime: end,
      Period: 60,
      Statistics: ['Maximum'],
    }));
    const latest = [...stats.Datapoints ?? []].sort((a, b) => (b.Timestamp?.getTime() ?? 0) - (a.Timestamp?.getTime() ?? 0))[0];
    ctx.out(`  Replica lag of ${replica.physicalId}: ${latest?.Maximum !== undefined ? `${latest.Maximum} s at ${timestamp(latest.Timestamp)}` : 'no data in the last 15 min'}`);
  }
}

async function pipelines(ctx: CliContext, codepipeline: CodePipelineClient, resources: DeployedResource[]): Promise<void> {
  for (const pipeline of withRole(resources, 'AWS::CodePipeline::Pipeline', CLI_ROLE.migrationPipeline)) {
    const name = pipeline.physicalId;
    const executions = await codepipeline.send(new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: 1 }));
    const last = executions.pipelineExecutionSummaries?.[0];
    ctx.out(`  Last release (${name}): ${last ? `${last.status} ${last.pipelineExecutionId}, started ${timestamp(last.startTime)}` : 'none yet'}`);
    const state = await codepipeline.send(new GetPipelineStateCommand({ name }));
    const migrate = state.stageStates?.find((s) => s.stageName === 'Migrate')?.actionStates?.[0]?.latestExecution;
    ctx.out(`  Last migration run: ${migrate ? `${migrate.status} at ${timestamp(migrate.lastStatusChange)}${migrate.summary ? ` (${migrate.summary})` : ''}` : 'none yet'}`);
  }
}
