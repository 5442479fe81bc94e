import { Arn, ArnFormat, Token } from 'aws-cdk-lib';
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
