import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient, GetPipelineStateCommand, ListPipelineExecutionsCommand } from '@aws-sdk/client-codepipeline';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeStacks, fakeTerminal, noCredentials, role, START, resetBeforeEach } from './fakes';
import { run } from '../../src/cli/main';

const ecs = mockClient(ECSClient);
const cloudwatch = mockClient(CloudWatchClient);
const codepipeline = mockClient(CodePipelineClient);
const APP = 'arn:aws:ecs:eu-west-1:1:service/LeanProd-Cluster/LeanProd-app';
const ORDERS = 'arn:aws:ecs:eu-west-1:1:service/LeanProd-Cluster/LeanProd-orders';

resetBeforeEach(ecs, cloudwatch, codepipeline);

describe('cdk-lean-stack status', () => {
  test('prints tasks per service and module, the deployment in progress, alarms in ALARM, replica lag and the last migration and release', async () => {
    // GIVEN
    const service = { 'cdk-lean-stack:service': 'LeanProd/Service' };
    fakeStacks({
      LeanProd: [
        { logicalId: 'App', type: 'AWS::ECS::Service', physicalId: APP, tags: role('service', { ...service, 'cdk-lean-stack:module': 'app' }) },
        { logicalId: 'Orders', type: 'AWS::ECS::Service', physicalId: ORDERS, tags: role('service', { ...service, 'cdk-lean-stack:module': 'orders' }) },
        { logicalId: 'Cpu', type: 'AWS::CloudWatch::Alarm', physicalId: 'LeanProd-Cpu' },
        { logicalId: 'Errors', type: 'AWS::CloudWatch::Alarm', physicalId: 'LeanProd-Errors' },
        { logicalId: 'Replica', type: 'AWS::RDS::DBInstance', physicalId: 'leanprod-replica', tags: role('database-replica') },
        { logicalId: 'Pipeline', type: 'AWS::CodePipeline::Pipeline', physicalId: 'LeanProd-Migrations', tags: role('migration-pipeline') },
      ],
    });
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        { serviceArn: APP, runningCount: 2, desiredCount: 2, pendingCount: 0, deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] },
        {
          serviceArn: ORDERS,
          runningCount: 1,
          desiredCount: 2,
          pendingCount: 1,
          deployments: [
            { status: 'PRIMARY', rolloutState: 'IN_PROGRESS', createdAt: new Date(START - 120_000) }, { status: 'ACTIVE' },
          ],
        },
      ],
    });
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'LeanProd-Errors', StateUpdatedTimestamp: new Date(START - 300_000), StateReason: 'Threshold Crossed: 1 datapoint [12.0] > 5' }],
    });
    cloudwatch.on(GetMetricStatisticsCommand).resolves({
      Datapoints: [
        { Timestamp: new Date(START - 120_000), Maximum: 4 }, { Timestamp: new Date(START - 60_000), Maximum: 1.5 },
      ],
    });
    codepipeline.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [{ pipelineExecutionId: 'e-1', status: 'Succeeded', startTime: new Date(START - 3_600_000) }] });
    codepipeline.on(GetPipelineStateCommand).resolves({
      stageStates: [
        { stageName: 'Source' },
        { stageName: 'Migrate', actionStates: [{ actionName: 'Migrate', latestExecution: { status: 'Succeeded', lastStatusChange: new Date(START - 3_000_000), summary: '3 migrations applied' } }] },
      ],
    });
    const t = fakeTerminal();
    // WHEN
    expect(await run(['status', '--stack', 'LeanProd', '--region', 'eu-west-1'], t.ctx)).toBe(0);
    // THEN
    expect(t.out).toEqual([
      'LeanProd (eu-west-1)',
      '  Services (running/desired tasks)',
      `    ${'LeanProd/Service app'.padEnd(44)} 2/2`,
      `    ${'LeanProd/Service orders'.padEnd(44)} 1/2  deployment in progress (IN_PROGRESS since 2026-11-21 11:58:00Z, 1 pending)`,
      '  Alarms in ALARM: 1',
      '    LeanProd-Errors since 2026-11-21 11:55:00Z: Threshold Crossed: 1 datapoint [12.0] > 5',
      '  Replica lag of leanprod-replica: 1.5 s at 2026-11-21 11:59:00Z',
      '  Last release (LeanProd-Migrations): Succeeded e-1, started 2026-11-21 11:00:00Z',
      '  Last migration run: Succeeded at 2026-11-21 11:10:00Z (3 migrations applied)',
      '',
    ]);
    expect(ecs.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({ cluster: 'LeanProd-Cluster', services: [APP, ORDERS] });
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({
      AlarmNames: ['LeanProd-Cpu', 'LeanProd-Errors'], StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
  });

  test('no credentials: says how to give them, like the AWS CLI', async () => {
    noCredentials();
    const t = fakeTerminal();
    expect(await run(['status', '--stack', 'LeanProd'], t.ctx)).toBe(1);
    expect(t.err).toEqual(['Error: No AWS credentials found. This CLI uses the same profiles and environment variables as the AWS CLI: '
      + 'pass --profile NAME (or set AWS_PROFILE), run `aws sso login` or `aws configure`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.']);
  });

  test('a stack that is not deployed: names it and what to check', async () => {
    fakeStacks({});
    const t = fakeTerminal();
    expect(await run(['status', '--stack', 'LeanStaging', '--region', 'eu-west-1', '--profile', 'ops'], t.ctx)).toBe(1);
    expect(t.err).toEqual(['Error: Stack LeanStaging was not found in region eu-west-1 with profile ops: check its name (--stack), the region (--region or AWS_REGION) and the account (--profile or AWS_PROFILE), or deploy it first with `cdk deploy`.']);
  });

  test('no --stack and no cdk.out: says how to name the stacks', async () => {
    const t = fakeTerminal('/nonexistent');
    expect(await run(['status'], t.ctx)).toBe(1);
    expect(t.err).toEqual(["Error: No stack to look in: pass --stack NAME (the CloudFormation stack of your app), or run this in your CDK app's directory after `cdk synth` so that cdk.out/manifest.json lists the stacks."]);
  });
});
