import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { EdgeOnlyAccess } from './edge-only-access';

/** Which front door a `ModularMonolithService` has. */
export enum FrontDoorKind {
  /** HTTP API + VPC link + Cloud Map: no load balancer, no NAT (the cheapest). */
  HTTP_API_CLOUD_MAP = 'http-api-cloud-map',
  /** HTTP API + VPC link + an internal ALB that routes modules by path. */
  HTTP_API_INTERNAL_ALB = 'http-api-internal-alb',
  /** A public ALB with HTTPS. Tasks in private subnets behind NAT. */
  PUBLIC_ALB = 'public-alb',
}

/** A JWT authorizer for the HTTP API (e.g. Cognito, Auth0, Okta). */
export interface JwtAuthorizerOptions {
  /** The token issuer, an https URL, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc`. */
  readonly issuer: string;
  /** The audiences the token must be issued for (at least one). */
  readonly audience: string[];
  /**
   * Where the token is read from.
   *
   * @default ['$request.header.Authorization']
   */
  readonly identitySource?: string[];
}

/** A custom domain for a front door. */
export interface FrontDoorDomainOptions {
  /** The domain name, e.g. `api.example.com` (a host name: no scheme, no path). */
  readonly domainName: string;
  /** A certificate in the stack's region that covers the domain name. */
  readonly certificate: acm.ICertificate;
  /**
   * The Route 53 zone of `domainName`, which receives an A alias record to the API's domain.
   *
   * @default - no DNS record: point `domainName` at the API's regional domain name yourself
   */
  readonly hostedZone?: route53.IHostedZone;
}

/** Options shared by the two HTTP API front doors. */
export interface HttpApiFrontDoorOptions {
  /**
   * Steady-state requests per second the API accepts before it answers 429.
   *
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Requests the API accepts in a burst above the rate.
   *
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * How long API access logs are kept.
   *
   * @default - the profile's log retention
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * A custom domain for the API (a regional API Gateway domain name).
   *
   * @default - the API's `execute-api` endpoint
   */
  readonly domain?: FrontDoorDomainOptions;
  /**
   * CORS preflight settings, for browsers calling the API from another origin.
   *
   * @default - no CORS: browsers may call the API only from its own origin
   */
  readonly cors?: apigwv2.CorsPreflightOptions;
  /**
   * A JWT authorizer for every route.
   *
   * @default - no authorizer: the application authenticates requests itself
   */
  readonly jwtAuthorizer?: JwtAuthorizerOptions;
  /**
   * Lets only your CloudFront distribution call the API (the site's `/api/*`): a Lambda
   * authorizer refuses every request without the header the distribution adds, so the API's own
   * URL is no way around the site's WAF. Pass `ModularMonolithService.edgeHeaders` to the site's
   * `apiOriginHeaders`. Every route has the authorizer: `GET <healthCheckPath>` takes the value
   * in a query parameter instead, for Route 53 health checks, which cannot send headers (see
   * `EdgeOnlyAccess.healthCheckPathFor`). Cannot be combined with `jwtAuthorizer` (a route takes
   * one authorizer).
   *
   * @default - any client may call the API directly
   */
  readonly edgeOnly?: EdgeOnlyAccess;
  /**
   * Turns off the `execute-api` endpoint so that clients can only use the custom domain.
   *
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
}

/** Options for the internal ALB front door. */
export interface InternalAlbFrontDoorOptions extends HttpApiFrontDoorOptions {
  /**
   * A certificate for an HTTPS listener on the internal ALB, so traffic from the VPC link to the
   * ALB is encrypted too. Its domain must be `albServerName`.
   *
   * @default - in a production profile with a `domain`, the domain's certificate (and the domain
   * as `albServerName`); otherwise an HTTP listener: TLS ends at API Gateway and the hop inside the
   * VPC is plain HTTP (with a synth warning in production profiles)
   */
  readonly albCertificate?: acm.ICertificate;
  /**
   * The server name API Gateway expects in the ALB's certificate. Required with `albCertificate`.
   *
   * @default - none
   */
  readonly albServerName?: string;
}

/** Options for the public ALB front door. */
export interface PublicAlbFrontDoorOptions {
  /** The certificate for the HTTPS listener, in the stack's region. */
  readonly certificate: acm.ICertificate;
  /**
   * The domain name users reach the service by (covered by `certificate`), used for `url`.
   *
   * @default - the load balancer's DNS name
   */
  readonly domainName?: string;
  /**
   * The Route 53 zone of `domainName`, which receives an A alias record to the load balancer.
   *
   * @default - no DNS record: point `domainName` at the load balancer yourself
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * The TLS policy of the HTTPS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS
   */
  readonly sslPolicy?: elbv2.SslPolicy;
  /**
   * The ARN of a WAF web ACL (regional) to associate with the load balancer.
   *
   * @default - no WAF (it costs 5 USD a month plus rules; add one for internet-facing production)
   */
  readonly webAclArn?: string;
  /**
   * IPv4 CIDR ranges allowed to reach the load balancer.
   *
   * @default ['0.0.0.0/0']
   */
  readonly allowedCidrs?: string[];
  /**
   * How long an idle connection stays open (1 to 4000 seconds).
   *
   * @default Duration.seconds(60)
   */
  readonly idleTimeout?: Duration;
}

/**
 * How requests reach a `ModularMonolithService`: one of three front doors. Switching door changes
 * the front of the service only, never its database.
 *
 * @example
 * import { FrontDoor } from 'cdk-lean-stack';
 * import * as acm from 'aws-cdk-lib/aws-certificatemanager';
 *
 * declare const certificate: acm.ICertificate;
 * const cheapest = FrontDoor.httpApiCloudMap({ throttlingRateLimit: 50 });
 * const byPath = FrontDoor.httpApiInternalAlb();
 * const classic = FrontDoor.publicAlb({ certificate });
 */
export class FrontDoor {
  /**
   * HTTP API + VPC link + Cloud Map (the default): no load balancer and no NAT. Tasks register in
   * a Cloud Map service with SRV records and admit traffic only from the VPC link.
   */
  public static httpApiCloudMap(options?: HttpApiFrontDoorOptions): FrontDoor {
    return new FrontDoor(FrontDoorKind.HTTP_API_CLOUD_MAP, options ?? {}, undefined);
  }

  /**
   * HTTP API + VPC link + internal ALB: path-based routing to modules with health checks. The ALB
   * is unreachable from the internet. About 16 USD a month more than `httpApiCloudMap`.
   */
  public static httpApiInternalAlb(options?: InternalAlbFrontDoorOptions): FrontDoor {
    return new FrontDoor(FrontDoorKind.HTTP_API_INTERNAL_ALB, options ?? {}, undefined);
  }

  /**
   * A public ALB: HTTPS with a certificate, HTTP redirected to HTTPS, invalid headers dropped,
   * tasks in private subnets. Needs a network with NAT egress.
   */
  public static publicAlb(options: PublicAlbFrontDoorOptions): FrontDoor {
    return new FrontDoor(FrontDoorKind.PUBLIC_ALB, undefined, options);
  }

  private constructor(
    /** Which front door this is. */
    public readonly kind: FrontDoorKind,
    /** The HTTP API options, for the HTTP API front doors. */
    public readonly httpApiOptions: InternalAlbFrontDoorOptions | undefined,
    /** The public ALB options, for the public ALB front door. */
    public readonly publicAlbOptions: PublicAlbFrontDoorOptions | undefined,
  ) {}

  /** True for the two front doors that put an HTTP API in front. */
  public get usesHttpApi(): boolean {
    return this.kind !== FrontDoorKind.PUBLIC_ALB;
  }

  /** True for the two front doors with a load balancer. */
  public get usesLoadBalancer(): boolean {
    return this.kind !== FrontDoorKind.HTTP_API_CLOUD_MAP;
  }
}
