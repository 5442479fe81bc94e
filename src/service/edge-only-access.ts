import { Fn, SecretValue, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Options of `EdgeOnlyAccess`. */
export interface EdgeOnlyAccessOptions {
  /**
   * The header CloudFront adds to every request it sends to the API. Lower case letters, digits
   * and hyphens, and not one CloudFront refuses to add (such as `host` or `x-amz-*`).
   *
   * @default 'x-origin-verify'
   */
  readonly headerName?: string;
}

/**
 * Lets only your CloudFront distribution call an HTTP API front door: the distribution adds a
 * header with a value no one outside your account knows, and a Lambda authorizer refuses every
 * request without it, so the API's public URL is no way around the site's WAF. Every route has
 * the authorizer: `GET <health path>` takes the value in a query parameter of the header's name
 * instead (`/health?x-origin-verify=<value>`, see `healthCheckPathFor`), because Route 53 health
 * checks cannot send headers; they must be HTTPS, so the value never travels in clear. Idle
 * cost: nothing (the authorizer's answer is cached for an hour per value, so it runs about once
 * an hour).
 *
 * @example
 * import { EdgeOnlyAccess, FrontDoor } from 'cdk-lean-stack';
 *
 * const door = FrontDoor.httpApiCloudMap({ edgeOnly: EdgeOnlyAccess.stackSecret() });
 */
export class EdgeOnlyAccess {
  /**
   * The value is the random part of the service stack's id: 122 random bits that CloudFormation
   * chose, known to principals of your account who may describe the stack, to no one outside it,
   * and free. Every API that uses this object expects the value of the first stack that asked for
   * it (the primary service's): a DR standby reads it through a cross-region reference (its stack
   * needs `crossRegionReferences: true`, which `PilotLightDr`'s DR stack has).
   */
  public static stackSecret(options?: EdgeOnlyAccessOptions): EdgeOnlyAccess {
    return new EdgeOnlyAccess(options?.headerName ?? DEFAULT_HEADER, undefined);
  }

  /**
   * A value you keep, e.g. `SecretValue.secretsManager('edge-secret')` (0.40 USD a month), which
   * a standby in another region can share. CloudFormation writes it into the distribution's
   * origin header and the authorizer's environment at deploy time. Use letters, digits, `-`,
   * `_`, `.` and `~` only (e.g. a generated secret with `excludePunctuation`): health checks send
   * the value in a query string, where other characters would need escaping (a value known at synth
   * with other characters fails there; one from Secrets Manager is checked by no one but you).
   */
  public static fromSecret(secret: SecretValue, options?: EdgeOnlyAccessOptions): EdgeOnlyAccess {
    return new EdgeOnlyAccess(options?.headerName ?? DEFAULT_HEADER, secret);
  }

  /**
   * The query parameter that carries the value on the health route, for callers that cannot send
   * the header (Route 53 health checks): the header's name.
   */
  public readonly queryParameterName: string;
  private value?: string;

  private constructor(
    /** The header the distribution adds and the authorizer checks. */
    public readonly headerName: string,
    private readonly secret: SecretValue | undefined,
  ) {
    this.queryParameterName = headerName;
  }

  /**
   * The path and query string a caller that does not come through the distribution (a Route 53
   * health check, a smoke test) requests on the health route: `path?<queryParameterName>=<value>`
   * (`&` when `path` has a query string already). Call it over HTTPS only.
   */
  public healthCheckPathFor(scope: IConstruct, path: string): string {
    return `${path}${path.includes('?') ? '&' : '?'}${this.queryParameterName}=${this.valueFor(scope)}`;
  }

  /**
   * The value given to `fromSecret` when it is known at synth (not a token), for the checks.
   *
   * @internal
   */
  public _literalSecret(): string | undefined {
    const value = this.secret?.unsafeUnwrap();
    // a token or a dynamic reference ({{resolve:...}}) is only known at deploy time
    return value === undefined || Token.isUnresolved(value) || value.startsWith('{{resolve:') ? undefined : value;
  }

  /**
   * The header's value, as the API in `scope`'s stack expects it. Pass it (with `headerName`) to
   * the distribution, e.g. through `ModularMonolithService.edgeHeaders`.
   */
  public valueFor(scope: IConstruct): string {
    if (this.secret) return this.secret.unsafeUnwrap();
    // arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>, of the first stack that asks;
    // CDK turns its use from another stack into a (cross-region) reference.
    this.value ??= Fn.select(2, Fn.split('/', Stack.of(scope).stackId));
    return this.value;
  }
}

const DEFAULT_HEADER = 'x-origin-verify';
