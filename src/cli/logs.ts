import { CloudWatchLogsClient, FilterLogEventsCommand, FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { AwsOptions, CliContext, CliError, clientConfig, timestamp } from './context';
import { DeployedResource, deployedResources, one, withRole } from './locate';
import { CLI_ROLE, CLI_TAG } from '../private/cli-tags';

export interface LogsOptions extends AwsOptions {
  /** Keep polling for new events until Ctrl-C. */
  readonly follow: boolean;
  /** Only this module's tasks. */
  readonly module?: string;
  /** The service's construct path, when the stacks hold several services. */
  readonly service?: string;
  /** How far back to start, in minutes. */
  readonly sinceMinutes: number;
}

/** `logs`: the service's log group, filtered by module (its log stream prefix), once or followed. */
export async function logsCommand(ctx: CliContext, options: LogsOptions): Promise<number> {
  const resources = await deployedResources(ctx, options);
  const ofService = (r: DeployedResource) => options.service === undefined || r.tags[CLI_TAG.service] === options.service;
  const group = one(withRole(resources, 'AWS::Logs::LogGroup', CLI_ROLE.serviceLogs).filter(ofService), resources,
    `service log group${options.service ? ` of ${options.service}` : ''}`, 'deploy a ModularMonolithService, or pass --service with its construct path.');
  const prefix = options.module === undefined ? undefined : streamPrefix(resources.filter(ofService), group, options.module);
  const client = new CloudWatchLogsClient(clientConfig(options, group.region));
  let startTime = ctx.now() - options.sinceMinutes * 60_000;
  const seen = new Set<string>();
  let printed = 0;
  while (true) {
    let nextToken: string | undefined;
    do {
      const page = await client.send(new FilterLogEventsCommand({
        logGroupName: group.physicalId, logStreamNamePrefix: prefix, startTime, nextToken,
      }));
      for (const event of page.events ?? []) printed += print(ctx, event, seen);
      nextToken = page.nextToken;
    } while (nextToken);
    if (!options.follow) break;
    // Poll again from the newest event seen; the ids already printed are skipped.
    startTime = Math.max(startTime, ...[...seen].map((id) => Number(id.split(':')[0])));
    if (ctx.signal.aborted) break;
    await ctx.sleep(2000);
    if (ctx.signal.aborted) break;
  }
  if (printed === 0 && !options.follow) {
    ctx.err(`No log events in ${group.physicalId}${prefix ? ` with stream prefix ${prefix}` : ''} in the last ${options.sinceMinutes} min (--since MINUTES looks further back).`);
  }
  return 0;
}

function print(ctx: CliContext, event: FilteredLogEvent, seen: Set<string>): number {
  const key = `${event.timestamp ?? 0}:${event.eventId ?? ''}`;
  if (seen.has(key)) return 0;
  seen.add(key);
  ctx.out(`${timestamp(event.timestamp)} ${event.logStreamName ?? ''} ${(event.message ?? '').trimEnd()}`);
  return 1;
}

/** The log stream prefix of a module that runs in its own service (its container name). */
function streamPrefix(resources: DeployedResource[], group: DeployedResource, module: string): string {
  const services = withRole(resources, 'AWS::ECS::Service', CLI_ROLE.service).filter((s) => s.stackName === group.stackName);
  const service = services.find((s) => s.tags[CLI_TAG.module] === module);
  if (!service) {
    const known = services.map((s) => s.tags[CLI_TAG.module]).filter((m) => m).join(', ') || 'none';
    throw new CliError(`No module '${module}' runs in its own service; modules with their own log streams: ${known}. A module that is not split runs in the main service: use --module app, or no --module.`);
  }
  return `${service.tags[CLI_TAG.container] ?? module}/`;
}
