import { spawn } from 'child_process';

/**
 * Everything a command does outside its AWS calls, so that tests run every command in Node with
 * the SDK faked at its boundary and no real clock, terminal or child process.
 */
export interface CliContext {
  /** Prints a line to standard output. */
  readonly out: (line: string) => void;
  /** Prints a line to standard error. */
  readonly err: (line: string) => void;
  /** Waits. */
  readonly sleep: (ms: number) => Promise<void>;
  /** The time in epoch milliseconds. */
  readonly now: () => number;
  /** Runs a program with the terminal attached and resolves with its exit code. */
  readonly run: (command: string, args: string[]) => Promise<number>;
  /** The working directory (where `cdk.out` is looked for). */
  readonly cwd: string;
  /** Aborted when the user asks to stop (Ctrl-C): `logs --follow` ends then. */
  readonly signal: AbortSignal;
}

/** Options every AWS command takes, like the AWS CLI's. */
export interface AwsOptions {
  readonly profile?: string;
  readonly region?: string;
  readonly stacks: string[];
  readonly cdkOut: string;
}

/** A failure the user can fix. It is printed as is, without a stack trace, and exits with code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** The SDK client configuration: the user's profile and region, resolved like the AWS CLI does. */
export function clientConfig(options: AwsOptions, region?: string): { region?: string; profile?: string } {
  return { region: region ?? options.region, profile: options.profile };
}

/** Turns the SDK's errors about credentials, regions and permissions into what to do about them. */
export function explainAwsError(error: unknown): Error {
  if (!(error instanceof Error) || error instanceof CliError) return error instanceof Error ? error : new Error(String(error));
  const name = error.name;
  const message = error.message;
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message) && /load|find|provider/i.test(message)) {
    return new CliError('No AWS credentials found. This CLI uses the same profiles and environment variables as the AWS CLI: '
      + 'pass --profile NAME (or set AWS_PROFILE), run `aws sso login` or `aws configure`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.');
  }
  if (/Region is missing/i.test(message)) {
    return new CliError('No AWS region set: pass --region (e.g. --region eu-west-1), set AWS_REGION, or give your profile a region with `aws configure set region <region>`.');
  }
  if (/ExpiredToken|TokenRefreshRequired/.test(name) || /expired/i.test(message) && /token/i.test(message)) {
    return new CliError(`Your AWS credentials have expired (${message}): run \`aws sso login\` (or refresh them) and try again.`);
  }
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/.test(name) || /not authorized to perform/.test(message)) {
    return new CliError(`Access denied: ${message}. Use a profile whose role allows this action (--profile NAME).`);
  }
  return error;
}

/** The real context: the terminal, the clock and child processes. */
export function processContext(): CliContext {
  const controller = new AbortController();
  // Ctrl-C asks the command to stop (logs --follow ends, tunnel stops its host); if it is still
  // running 10 s later, it is stopped.
  process.once('SIGINT', () => {
    controller.abort();
    setTimeout(() => process.exit(130), 10_000).unref();
  });
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    cwd: process.cwd(),
    signal: controller.signal,
    run: (command, args) => new Promise((resolve, reject) => {
      // Ctrl-C goes to the child too (same process group); we stay alive to clean up after it.
      const ignore = () => undefined;
      process.on('SIGINT', ignore);
      const child = spawn(command, args, { stdio: 'inherit' });
      child.on('error', (e) => { process.off('SIGINT', ignore); reject(e); });
      child.on('exit', (code) => { process.off('SIGINT', ignore); resolve(code ?? 1); });
    }),
  };
}

/** `1 min 5 s`, `12.3 s`. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** `2026-11-21 12:03:04Z`. */
export function timestamp(value: Date | number | undefined): string {
  if (value === undefined) return 'unknown time';
  return new Date(value).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
