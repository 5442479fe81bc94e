#!/usr/bin/env node
import { parseArgs } from 'util';
import { AwsOptions, CliContext, CliError, explainAwsError, processContext } from './context';
import { costCommand } from './cost';
import { drillCommand } from './drill';
import { logsCommand } from './logs';
import { statusCommand } from './status';
import { tunnelCommand } from './tunnel';

const HELP = `Usage: cdk-lean-stack <command> [options]

Day-two commands for apps built with cdk-lean-stack. They find every resource in your deployed
stacks (by the tags the constructs set), using your AWS profile and region like the AWS CLI.

Commands:
  cost [cdk.out] [--max USD] [--stack NAME]  Idle cost per stack and construct of a synthesized
                                             assembly (no AWS call); exit 1 above --max
  drill                                      Run the DR runbook in drill mode; print each step's
                                             duration and the measured recovery time beside the stated one
  tunnel [--local-port 5432] [--wait 300]    Port forward to the database through Session Manager via
                                             the break-glass host (started for the tunnel, stopped after)
  logs [--follow] [--module NAME] [--since MINUTES] [--service PATH]
                                             The service's logs, filtered by module
  status                                     Tasks per service and module, deployment in progress,
                                             alarms in ALARM, replica lag, last migration run and release

Options for drill, tunnel, logs and status:
  --stack NAME      A deployed stack to look in (repeatable); default: every stack in ./cdk.out
  --profile NAME    AWS profile (default: AWS_PROFILE or the default profile)
  --region REGION   AWS region (default: the stack's region in cdk.out, AWS_REGION or the profile's)
  --cdk-out DIR     Where the synthesized assembly is (default: cdk.out)
  -h, --help        Show this help
`;

const OPTIONS = {
  'help': { type: 'boolean', short: 'h' },
  'stack': { type: 'string', multiple: true },
  'profile': { type: 'string' },
  'region': { type: 'string' },
  'cdk-out': { type: 'string' },
  'max': { type: 'string' },
  'follow': { type: 'boolean', short: 'f' },
  'module': { type: 'string' },
  'service': { type: 'string' },
  'since': { type: 'string' },
  'local-port': { type: 'string' },
  'wait': { type: 'string' },
  'interval': { type: 'string' },
  'timeout': { type: 'string' },
} as const;

/** Runs the CLI with `argv` (without `node` and the script) and resolves with the exit code. */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      ctx.out(HELP);
      return command === undefined && !values.help ? 1 : 0;
    }
    const aws: AwsOptions = { profile: values.profile, region: values.region, stacks: values.stack ?? [], cdkOut: values['cdk-out'] ?? 'cdk.out' };
    switch (command) {
      case 'cost':
        return costCommand(ctx, { dir: rest[0] ?? aws.cdkOut, max: number('--max', values.max, 0), stacks: aws.stacks });
      case 'drill':
        return await drillCommand(ctx, { ...aws, intervalSeconds: number('--interval', values.interval, 1) ?? 5, timeoutSeconds: number('--timeout', values.timeout, 1) ?? 7200 });
      case 'tunnel':
        return await tunnelCommand(ctx, { ...aws, localPort: number('--local-port', values['local-port'], 1) ?? 5432, waitSeconds: number('--wait', values.wait, 1) ?? 300 });
      case 'logs':
        return await logsCommand(ctx, { ...aws, follow: values.follow === true, module: values.module, service: values.service, sinceMinutes: number('--since', values.since, 0) ?? 10 });
      case 'status':
        return await statusCommand(ctx, aws);
      default:
        throw new CliError(`Unknown command '${command}': use one of cost, drill, tunnel, logs, status (see --help).`);
    }
  } catch (e) {
    const parse = e as { code?: unknown; message?: unknown };
    if (String(parse.code).startsWith('ERR_PARSE_ARGS')) {
      ctx.err(`Error: ${String(parse.message).split('. ')[0]} (see --help)`);
      return 1;
    }
    const error = explainAwsError(e);
    if (error instanceof CliError) {
      ctx.err(`Error: ${error.message}`);
      return 1;
    }
    ctx.err(`Error: ${error.name}: ${error.message}`);
    return 1;
  }
}

/** A numeric option, at least `min`, or an error naming the option and the value. */
function number(option: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new CliError(`${option} must be a number of at least ${min}, got: '${value}'`);
  return n;
}

if (require.main === module) {
  void run(process.argv.slice(2), processContext()).then((code) => { process.exitCode = code; });
}
