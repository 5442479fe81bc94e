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
