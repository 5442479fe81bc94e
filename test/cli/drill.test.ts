import { DescribeExecutionCommand, GetExecutionHistoryCommand, HistoryEvent, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeStacks, fakeTerminal, role, START, resetBeforeEach } from './fakes';
import { run } from '../../src/cli/main';

const MACHINE = 'arn:aws:states:eu-central-1:123456789012:stateMachine:Runbook';
const EXECUTION = 'arn:aws:states:eu-central-1:123456789012:execution:Runbook:drill-20261121120000';
const sfn = mockClient(SFNClient);

/** The DR stack with its runbook, tagged as PilotLightDr tags it (scale-up stated as 300 s, recovery as 720 s). */
function drStack() {
  return fakeStacks({
    LeanProdDr: [
      {
        logicalId: 'Runbook',
        type: 'AWS::StepFunctions::StateMachine',
        physicalId: MACHINE,
        tags: role('dr-runbook', {
          'cdk-lean-stack:stated-recovery-seconds': '720', 'cdk-lean-stack:stated-scale-up-seconds': '300',
        }),
      },
      { logicalId: 'Other', type: 'AWS::StepFunctions::StateMachine', physicalId: 'arn:other' },
    ],
  });
}

/** History events: each state entered at `at` seconds and exited `took` seconds later. */
function events(states: Array<[string, number, number]>, end?: HistoryEvent): HistoryEvent[] {
  const list: HistoryEvent[] = [{ id: 1, type: 'ExecutionStarted', timestamp: new Date(START) }];
  for (const [name, at, took] of states) {
    list.push({ id: list.length + 1, type: 'TaskStateEntered', timestamp: new Date(START + at * 1000), stateEnteredEventDetails: { name } });
    if (took >= 0) list.push({ id: list.length + 1, type: 'TaskStateExited', timestamp: new Date(START + (at + took) * 1000), stateExitedEventDetails: { name } });
  }
  if (end) list.push({ ...end, id: list.length + 1 });
  return list;
}

const PASSED: Array<[string, number, number]> = [
  ['DescribeReplica', 0, 1], ['CheckMode', 1, 0], ['CheckReplicaLag', 1, 1], ['ScaleDrServiceToOne', 2, 1],
  ['WaitForDrillTask', 3, 30], ['DescribeDrillService', 33, 1], ['ScaleDrServiceToZero', 122, 1], ['NotifyDrill', 123, 1],
];

resetBeforeEach(sfn);

describe('cdk-lean-stack drill', () => {
  test('starts the runbook in drill mode, follows it and prints each step and the measured times beside the stated ones', async () => {
    // GIVEN a drill that is running at the first poll and has passed at the second
    drStack();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date(START) });
    sfn.on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' })
      .resolves({ status: 'SUCCEEDED', stopDate: new Date(START + 124_000) });
    sfn.on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: events([['DescribeReplica', 0, 1], ['CheckMode', 1, 0], ['CheckReplicaLag', 1, -1]]) })
      .resolves({ events: events(PASSED) });
    const t = fakeTerminal();
    // WHEN
    const code = await run(['drill', '--stack', 'LeanProdDr', '--region', 'eu-central-1'], t.ctx);
    // THEN
    expect(code).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({
      stateMachineArn: MACHINE, name: 'drill-20261121120000', input: '{"mode":"DRILL"}',
    });
    expect(t.out).toEqual([
      `Drill started: ${EXECUTION}`,
      '  ✓ DescribeReplica              1.0 s',
      '  ✓ CheckMode                    0.0 s',
      '  … CheckReplicaLag',
      '  ✓ CheckReplicaLag              1.0 s',
      '  ✓ ScaleDrServiceToOne          1.0 s',
      '  ✓ WaitForDrillTask             30 s',
      '  ✓ DescribeDrillService         1.0 s',
      '  ✓ ScaleDrServiceToZero         1.0 s',
      '  ✓ NotifyDrill                  1.0 s',
      '',
      'Drill passed in 2 min 4 s.',
      '                                      measured      stated',
      'DR service scale-up                   2 min         5 min (PilotLightDr.scaleUpTime)',
      'Recovery time (drill, no promotion)   2 min 4 s     12 min (PilotLightDr.estimatedRecoveryTime: detection + promotion + scale-up)',
    ]);
    expect(t.err).toEqual([]);
  });

  test('a failing step is named with its error, and the exit code is 1', async () => {
    // GIVEN the DR service update is denied
    drStack();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED' });
    const history = events([['DescribeReplica', 0, 1], ['CheckReplicaLag', 1, 1], ['ScaleDrServiceToOne', 2, -1]]);
    history.push(
      { id: 90, type: 'TaskFailed', timestamp: new Date(START + 3000), taskFailedEventDetails: { resourceType: 'aws-sdk:ecs', resource: 'updateService', error: 'Ecs.AccessDeniedException', cause: 'not authorized to perform ecs:UpdateService' } },
      { id: 91, type: 'FailStateEntered', timestamp: new Date(START + 4000), stateEnteredEventDetails: { name: 'RunbookFailed' } },
      { id: 92, type: 'ExecutionFailed', timestamp: new Date(START + 4000), executionFailedEventDetails: { error: 'RunbookFailed', cause: 'A runbook step failed; see the execution history' } },
    );
    sfn.on(GetExecutionHistoryCommand).resolves({ events: history });
    const t = fakeTerminal();
    // WHEN
    const code = await run(['drill', '--stack', 'LeanProdDr'], t.ctx);
    // THEN
    expect(code).toBe(1);
    expect(t.err).toEqual([
      '  ✗ ScaleDrServiceToOne: Ecs.AccessDeniedException not authorized to perform ecs:UpdateService',
      'Drill failed: RunbookFailed (A runbook step failed; see the execution history).',
    ]);
  });

  test('a DR service slower than stated fails the drill', async () => {
    drStack();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', stopDate: new Date(START + 700_000) });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: events([['ScaleDrServiceToOne', 0, 1], ['ScaleDrServiceToZero', 600, 1]]) });
    const t = fakeTerminal();
    expect(await run(['drill', '--stack', 'LeanProdDr'], t.ctx)).toBe(1);
    expect(t.err[0]).toMatch(/^The DR service took 10 min to run a task, longer than the stated 5 min/);
  });

  test('stops following after --timeout, saying the drill goes on', async () => {
    drStack();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: events([['DescribeReplica', 0, -1]]) });
    const t = fakeTerminal();
    expect(await run(['drill', '--stack', 'LeanProdDr', '--timeout', '60', '--interval', '10'], t.ctx)).toBe(1);
    expect(t.err).toEqual([`Error: The drill is still running after 60 s; it goes on without this CLI. Follow it in the Step Functions console: ${EXECUTION}`]);
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(7);
  });

  test('a stack without a runbook: says where the runbook lives', async () => {
    fakeStacks({ LeanProd: [{ logicalId: 'Other', type: 'AWS::StepFunctions::StateMachine', physicalId: 'arn:other' }] });
    const t = fakeTerminal();
    expect(await run(['drill', '--stack', 'LeanProd'], t.ctx)).toBe(1);
    expect(t.err).toEqual(['Error: No DR runbook in stack(s) LeanProd: the runbook comes with PilotLightDr and lives in its DR stack (e.g. `<primary stack>-dr`): pass that stack with --stack, or add PilotLightDr to your app and deploy it.']);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
