import { Arn, ArnFormat, Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Thrown when a construct is given props it cannot honour. The message always names the prop,
 * the value received and what is allowed, and starts with the construct path so that a user with
 * several instances knows which one is wrong.
 */
export class LeanStackValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`[${scope.node.path}] ${message}`);
    this.name = 'LeanStackValidationError';
  }
}

/** Renders a received value for an error message: strings quoted, everything else as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** True when the value is (or contains) a CDK token, which cannot be checked at synth. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  return false;
}

/** Throws "`prop` must be <allowed>, got: <value>". */
export function invalid(scope: IConstruct, prop: string, value: unknown, allowed: string): never {
  throw new LeanStackValidationError(scope, `\`${prop}\` must be ${allowed}, got: ${describeValue(value)}`);
}

/** Checks `min <= value <= max` (either bound optional); skips undefined and tokens. */
export function checkRange(
  scope: IConstruct,
  prop: string,
  value: number | undefined,
  bounds: { min?: number; max?: number; integer?: boolean },
): void {
  if (value === undefined || isUnresolved(value)) return;
  const { min, max, integer } = bounds;
  const kind = integer ? 'an integer' : 'a number';
  const range =
    min !== undefined && max !== undefined
      ? `${kind} between ${min} and ${max}`
      : min !== undefined
        ? `${kind} of at least ${min}`
        : max !== undefined
          ? `${kind} of at most ${max}`
          : kind;
  if (Number.isNaN(value) || (integer && !Number.isInteger(value))) invalid(scope, prop, value, range);
  if (min !== undefined && value < min) invalid(scope, prop, value, range);
  if (max !== undefined && value > max) invalid(scope, prop, value, range);
}

/** Checks that the value is one of the allowed values; skips undefined and tokens. */
export function checkOneOf<T extends string | number>(
  scope: IConstruct,
  prop: string,
  value: T | undefined,
  allowed: readonly T[],
): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!allowed.includes(value)) invalid(scope, prop, value, `one of ${allowed.join(', ')}`);
}

/** Checks a string against a pattern; `description` says in words what the pattern allows. */
export function checkPattern(
  scope: IConstruct,
  prop: string,
  value: string | undefined,
  pattern: RegExp,
  description: string,
): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!pattern.test(value)) invalid(scope, prop, value, description);
}

/** Rejects giving two mutually exclusive props at once. */
export function checkNotBoth(scope: IConstruct, propA: string, a: unknown, propB: string, b: unknown): void {
  if (a !== undefined && b !== undefined) {
    throw new LeanStackValidationError(scope, `\`${propA}\` and \`${propB}\` cannot both be set; choose one`);
  }
}

/** Rejects a missing prop that another choice makes necessary. */
export function checkRequired(scope: IConstruct, prop: string, value: unknown, because: string): void {
  if (value === undefined || value === null || value === '') {
    throw new LeanStackValidationError(scope, `\`${prop}\` is required ${because}, got: ${describeValue(value)}`);
  }
}

/** A DNS name of letters, digits and hyphens in dot-separated labels (no scheme, path, wildcard or trailing dot). */
export const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * Checks that a certificate is in the region its consumer reads certificates from (CloudFront:
 * us-east-1; an ALB or a regional API Gateway domain: its own region). Skips unresolved ARNs and
 * regions.
 */
export function checkCertificateRegion(scope: IConstruct, prop: string, certificateArn: string | undefined, region: string, consumer: string): void {
  if (certificateArn === undefined || Token.isUnresolved(certificateArn) || Token.isUnresolved(region)) return;
  const certificateRegion = Arn.split(certificateArn, ArnFormat.SLASH_RESOURCE_NAME).region;
  if (certificateRegion !== region) {
    invalid(scope, prop, certificateArn, `an ACM certificate in ${region} (${consumer} only uses certificates from its own region)`);
  }
}

/**
 * A name AWS restricts: its pattern and length, as the service documents them. `described` says in
 * words what the pattern allows.
 */
export interface NameRule {
  readonly pattern: RegExp;
  readonly min: number;
  readonly max: number;
  readonly described: string;
}

/** The names of AWS resources our props set, with the rules their services document. */
export const NAME_RULES = {
  /** CodePipeline: `[A-Za-z0-9.@\-_]+`, 1 to 100 characters. */
  codePipeline: { pattern: /^[A-Za-z0-9.@_-]+$/, min: 1, max: 100, described: 'letters, digits, ".", "@", "_" and "-"' },
  /** CodeBuild: starts with a letter or digit, then letters, digits, "-" and "_"; 2 to 255 characters. */
  codeBuild: { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, min: 2, max: 255, described: 'a letter or digit, then letters, digits, "_" and "-"' },
  /** CloudWatch dashboards: letters, digits, "-" and "_"; up to 255 characters. */
  dashboard: { pattern: /^[A-Za-z0-9_-]+$/, min: 1, max: 255, described: 'letters, digits, "_" and "-"' },
  /** AWS Budgets: up to 100 characters, none of them ":" or "\". */
  budget: { pattern: /^[^:\\]+$/, min: 1, max: 100, described: 'characters other than ":" and "\\"' },
  /** A Cloud Map private DNS namespace: a DNS name of lower-case labels, up to 253 characters. */
  dnsNamespace: {
    pattern: /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/,
    min: 1,
    max: 253,
    described: 'a DNS name: dot-separated labels of lower-case letters, digits and "-" (1 to 63 characters, no "-" at either end)',
  },
} satisfies { [kind: string]: NameRule };

/** Checks a name against the rule AWS documents for it; skips undefined and tokens. */
export function checkName(scope: IConstruct, prop: string, value: string | undefined, rule: NameRule): void {
  if (value === undefined || isUnresolved(value)) return;
  if (value.length < rule.min || value.length > rule.max || !rule.pattern.test(value)) {
    invalid(scope, prop, value, `${rule.min === rule.max ? rule.min : `${rule.min} to ${rule.max}`} characters of ${rule.described}`);
  }
}

/** The retention periods CloudWatch Logs offers, in days (0 would mean "never expire"). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * Checks a log retention given as a number (from JavaScript, or a cast) against the periods
 * CloudWatch Logs offers; `RetentionDays.INFINITE` is allowed. Skips undefined and tokens.
 */
export function checkLogRetentionDays(scope: IConstruct, prop: string, value: number | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  const infinite = 9999;
  if (value !== infinite && !LOG_RETENTION_DAYS.includes(value)) {
    invalid(scope, prop, value, `a retention CloudWatch Logs offers (RetentionDays): one of ${LOG_RETENTION_DAYS.join(', ')} days, or RetentionDays.INFINITE`);
  }
}

/**
 * Runs an aws-cdk-lib call that fails on a bad value of our prop, and re-raises its error with our
 * prop's name first so that the user knows which of their values to change.
 */
export function reraise<T>(scope: IConstruct, prop: string, value: unknown, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof LeanStackValidationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new LeanStackValidationError(scope, `\`${prop}\` cannot be used, got: ${describeValue(value)}: ${reason}`);
  }
}

/**
 * Checks a Duration that AWS takes as whole seconds between `min` and `max`; skips undefined and
 * tokens. The message gives the value in seconds, the unit AWS counts in.
 */
export function checkWholeSeconds(scope: IConstruct, prop: string, value: Duration | undefined, bounds: { min: number; max: number }): void {
  if (value === undefined) return;
  const seconds = value.toSeconds({ integral: false });
  if (isUnresolved(seconds)) return;
  if (!Number.isInteger(seconds) || seconds < bounds.min || seconds > bounds.max) {
    invalid(scope, prop, `${seconds} seconds`, `a whole number of seconds between ${bounds.min} and ${bounds.max}`);
  }
}
