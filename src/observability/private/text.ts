import { Duration } from 'aws-cdk-lib';

/** CloudWatch alarm descriptions hold at most 1024 characters. */
export function truncate(text: string): string {
  return text.length <= 1024 ? text : `${text.slice(0, 1021)}...`;
}

/** An alarm description: what fired, what to check first, and the runbook link when there is one. */
export function describeAlarm(what: string, checkFirst: string, runbookUrl: string | undefined, anchor: string): string {
  const link = runbookUrl ? ` Runbook: ${runbookUrl}#${anchor}` : '';
  return truncate(`${what}. Check first: ${checkFirst}.${link}`);
}

/** A latency for people: `500 ms`, `1.5 s`, `2 minutes`. */
export function humanLatency(d: Duration): string {
  const ms = d.toMilliseconds();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1000} s`;
  return d.toHumanString();
}
