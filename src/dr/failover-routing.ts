import { Duration } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';

/**
 * Where a failover record sends traffic: a host name (a CNAME record) or an alias target (an A
 * record aliasing a load balancer, an API Gateway custom domain, a CloudFront distribution).
 *
 * A CNAME target only serves your record name when the target accepts that host name (a custom
 * domain on the API, a certificate for the name on the load balancer).
 *
 * @example
 * import { FailoverTarget } from 'cdk-lean-stack';
 *
 * const drFrontDoor = FailoverTarget.fromDomainName('d-abc123.execute-api.eu-central-1.amazonaws.com');
 */
export class FailoverTarget {
  /**
   * A CNAME record pointing at a host name.
   *
   * @param domainName the host name, without scheme or path
   */
  public static fromDomainName(domainName: string): FailoverTarget {
    return new FailoverTarget(route53.RecordType.CNAME, route53.RecordTarget.fromValues(domainName), domainName);
  }

  /**
   * An A record aliasing an AWS resource (e.g. `new targets.LoadBalancerTarget(alb)`).
   *
   * @param aliasTarget the alias target
   */
  public static fromAlias(aliasTarget: route53.IAliasRecordTarget): FailoverTarget {
    return new FailoverTarget(route53.RecordType.A, route53.RecordTarget.fromAlias(aliasTarget));
  }

  private constructor(
    /** The record type this target needs (CNAME or A). */
    public readonly recordType: route53.RecordType,
    /** The record target. */
    public readonly target: route53.RecordTarget,
    /** The host name, for a CNAME target. */
    public readonly domainName?: string,
  ) {}
}

/** Route 53 failover records in front of the two regions. */
export interface FailoverRoutingOptions {
  /** The public hosted zone that holds the record. Required: failover records live in a zone. */
  readonly hostedZone?: route53.IHostedZone;
  /** The record name, e.g. `app.example.com` (not the zone apex for CNAME targets). */
  readonly recordName: string;
  /**
   * Where the PRIMARY record points.
   *
   * @default - a CNAME to the host of the primary service's `url`
   */
  readonly primaryTarget?: FailoverTarget;
  /** Where the SECONDARY record points: the DR region's front door. */
  readonly secondaryTarget: FailoverTarget;
  /**
   * The TTL of CNAME records (alias records take their target's).
   *
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;
}

/** Global Accelerator in front of the two regions' load balancers. */
export interface PilotLightAcceleratorOptions {
  /** The DR region's load balancer (with the DR service as its target). */
  readonly drLoadBalancer: elbv2.IApplicationLoadBalancer;
}
