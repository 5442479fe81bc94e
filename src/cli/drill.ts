import {
  DescribeExecutionCommand, GetExecutionHistoryCommand, HistoryEvent, SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { AwsOptions, CliContext, CliError, clientConfig, duration } from './context';
import { deployedResources, one, withRole } from './locate';
import { CLI_ROLE, CLI_TAG } from '../private/cli-tags';

export interface DrillOptions extends AwsOptions {
  /** Seconds between polls. */
  readonly intervalSeconds: number;
  /** Stop following after this many seconds (the drill goes on). */
  readonly timeoutSeconds: number;
}

/** One state the execution went through. */
interface Step { readonly name: string; readonly entered: number; exited?: number }

/**
 * `drill`: starts the DR runbook in drill mode (it never promotes the replica), follows it step by
 * step, and prints each step's duration and the measured times beside the stated ones. Resolves
 * with the exit code: 1 when a step fails or the DR service took longer than stated.
 */
export async function drillCommand(ctx: CliContext, options: DrillOptions): Promise<number> {
  const resources = await deployedResources(ctx, options);
  const runbook = one(withRole(resources, 'AWS::StepFunctions::StateMachine', CLI_ROLE.drRunbook), resources, 'DR runbook',
    'the runbook comes with PilotLightDr and lives in its DR stack (e.g. `<primary stack>-dr`): pass that stack with --stack, or add PilotLightDr to your app and deploy it.');
  const sfn = new SFNClient(clientConfig(options, runbook.region));
  const started = await sfn.send(new StartExecutionCommand({
    stateMachineArn: runbook.physicalId,
    name: `drill-${new Date(ctx.now()).toISOString().replace(/[^0-9]/g, '').slice(0, 14)}`,
    input: JSON.stringify({ mode: 'DRILL' }),
  }));
  const executionArn = started.executionArn!;
  ctx.out(`Drill started: ${executionArn}`);

  const deadline = ctx.now() + options.timeoutSeconds * 1000;
  const printed = new Set<string>();
  let status = 'RUNNING';
  let events: HistoryEvent[] = [];
  let stopDate: number | undefined;
  while (true) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    status = execution.status ?? 'RUNNING';
    stopDate = execution.stopDate?.getTime();
    events = await history(sfn, executionArn);
    const steps = stepsOf(events);
    steps.forEach((step, i) => {
      const key = `${i}:${step.name}`;
      if (step.exited !== undefined && !printed.has(`${key}:done`)) {
        ctx.out(`  ✓ ${step.name.padEnd(28)} ${duration(step.exited - step.entered)}`);
        printed.add(`${key}:done`);
      } else if (step.exited === undefined && status === 'RUNNING' && !printed.has(key)) {
        ctx.out(`  … ${step.name}`);
        printed.add(key);
      }
    });
    if (status !== 'RUNNING') break;
    if (ctx.signal.aborted) throw new CliError(`Stopped following the drill; it goes on: ${executionArn}`);
    if (ctx.now() >= deadline) {
      throw new CliError(`The drill is still running after ${options.timeoutSeconds} s; it goes on without this CLI. Follow it in the Step Functions console: ${executionArn}`);
    }
    await ctx.sleep(options.intervalSeconds * 1000);
  }

  const startedAt = events[0]?.timestamp?.getTime() ?? ctx.now();
  if (status !== 'SUCCEEDED') return reportFailure(ctx, status, events);
  const steps = stepsOf(events);
  const scaleUpStart = steps.find((s) => s.name === 'ScaleDrServiceToOne')?.entered;
  const scaleUpEnd = steps.find((s) => s.name === 'ScaleDrServiceToZero')?.entered;
  const measuredScaleUp = scaleUpStart !== undefined && scaleUpEnd !== undefined ? scaleUpEnd - scaleUpStart : undefined;
  const statedScaleUp = seconds(runbook.tags[CLI_TAG.statedScaleUpSeconds]);
  const statedRecovery = seconds(runbook.tags[CLI_TAG.statedRecoverySeconds]);
  const whole = (stopDate ?? ctx.now()) - startedAt;
  ctx.out('');
  ctx.out(`Drill passed in ${duration(whole)}.`);
  ctx.out(`${''.padEnd(38)}${'measured'.padEnd(14)}stated`);
  ctx.out(`${'DR service scale-up'.padEnd(38)}${(measuredScaleUp !== undefined ? duration(measuredScaleUp) : 'n/a').padEnd(14)}${statedScaleUp !== undefined ? `${duration(statedScaleUp)} (PilotLightDr.scaleUpTime)` : 'not stated'}`);
  ctx.out(`${'Recovery time (drill, no promotion)'.padEnd(38)}${duration(whole).padEnd(14)}${statedRecovery !== undefined ? `${duration(statedRecovery)} (PilotLightDr.estimatedRecoveryTime: detection + promotion + scale-up)` : 'not stated'}`);
  if (measuredScaleUp !== undefined && statedScaleUp !== undefined && measuredScaleUp > statedScaleUp) {
    ctx.err(`The DR service took ${duration(measuredScaleUp)} to run a task, longer than the stated ${duration(statedScaleUp)}: the stated recovery time does not hold. Look at the DR service's image pull and start-up, or state a longer time.`);
    return 1;
  }
  return 0;
}

function seconds(tag: string | undefined): number | undefined {
  const n = tag === undefined ? NaN : Number(tag);
  return Number.isFinite(n) ? n * 1000 : undefined;
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...page.events ?? []);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The states entered and exited, in order. */
function stepsOf(events: HistoryEvent[]): Step[] {
  const steps: Step[] = [];
  for (const e of events) {
    const at = e.timestamp?.getTime() ?? 0;
    if (e.type?.endsWith('StateEntered') && e.stateEnteredEventDetails?.name) {
      steps.push({ name: e.stateEnteredEventDetails.name, entered: at });
    } else if (e.type?.endsWith('StateExited') && e.stateExitedEventDetails?.name) {
      const open = [...steps].reverse().find((s) => s.name === e.stateExitedEventDetails!.name && s.exited === undefined);
      if (open) open.exited = at;
    }
  }
  return steps;
}

/** Names the step that failed and why, and exits with code 1. */
function reportFailure(ctx: CliContext, status: string, events: HistoryEvent[]): number {
  const steps = stepsOf(events);
  const failedTask = [...events].reverse().find((e) => e.type?.endsWith('Failed') && e.type !== 'ExecutionFailed');
  const executionFailed = events.find((e) => e.type === 'ExecutionFailed')?.executionFailedEventDetails;
  // The step that failed is the last one entered before the failure event.
  const failedAt = failedTask?.timestamp?.getTime();
  const step = failedAt !== undefined ? [...steps].reverse().find((s) => s.entered <= failedAt) : steps[steps.length - 1];
  const details = failedTask?.taskFailedEventDetails ?? failedTask?.lambdaFunctionFailedEventDetails;
  ctx.err(`  ✗ ${step?.name ?? 'unknown step'}${details ? `: ${details.error ?? ''} ${details.cause ?? ''}`.trimEnd() : ''}`);
  ctx.err(`Drill ${status.toLowerCase().replace('_', ' ')}${executionFailed ? `: ${executionFailed.error}${executionFailed.cause ? ` (${executionFailed.cause})` : ''}` : ''}.`);
  return 1;
}
