import { Duration } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import * as gaEndpoints from 'aws-cdk-lib/aws-globalaccelerator-endpoints';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { FailoverTarget } from '../failover-target';

export interface HealthCheckOptions {
  readonly domainName: string;
  readonly path: string;
  readonly interval: Duration;
  readonly failureThreshold: number;
}

/** An HTTPS health check on the primary front door, from Route 53's checkers around the world. */
export function createPrimaryHealthCheck(scope: Construct, options: HealthCheckOptions): route53.HealthCheck {
  return new route53.HealthCheck(scope, 'PrimaryHealthCheck', {
    type: route53.HealthCheckType.HTTPS,
    fqdn: options.domainName,
    port: 443,
    resourcePath: options.path,
    requestInterval: options.interval,
    failureThreshold: options.failureThreshold,
    enableSNI: true,
  });
}

/**
 * Refuses, at synth, a health check whose path carries a query string (with an edge-only API,
 * the value that opens it) once an escape hatch made it plain HTTP.
 */
export function requireHttpsForQuery(scope: Construct, check: route53.HealthCheck): void {
  scope.node.addValidation({
    validate: () => {
      const config = (check.node.defaultChild as route53.CfnHealthCheck).healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty;
      const type = config.type;
      if (!config.resourcePath?.includes('?') || type === 'HTTPS' || type === 'HTTPS_STR_MATCH') return [];
      return [`\`healthCheck\` type must be HTTPS or HTTPS_STR_MATCH when its path carries a query string (it may hold the value that opens an edge-only API), got: '${type}'`];
    },
  });
}

export interface FailoverRecordsOptions {
  readonly zone: route53.IHostedZone;
  readonly recordName: string;
  readonly primary: FailoverTarget;
  readonly secondary: FailoverTarget;
  readonly healthCheck: route53.IHealthCheck;
  readonly ttl: Duration;
}

export interface FailoverRecords {
  readonly primary: route53.RecordSet;
  readonly secondary: route53.RecordSet;
}

/** The PRIMARY record (answered while the health check passes) and the SECONDARY record. */
export function createFailoverRecords(scope: Construct, options: FailoverRecordsOptions): FailoverRecords {
  const record = (id: string, target: FailoverTarget, failover: route53.Failover, healthCheck?: route53.IHealthCheck) =>
    new route53.RecordSet(scope, id, {
      zone: options.zone,
      recordName: options.recordName,
      recordType: target.recordType,
      target: target.target,
      // alias records take the target's TTL
      ttl: target.domainName ? options.ttl : undefined,
      failover,
      setIdentifier: failover === route53.Failover.PRIMARY ? 'primary' : 'secondary',
      healthCheck,
    });
  return {
    primary: record('PrimaryRecord', options.primary, route53.Failover.PRIMARY, options.healthCheck),
    secondary: record('SecondaryRecord', options.secondary, route53.Failover.SECONDARY),
  };
}

export interface AcceleratorOptions {
  readonly primaryLoadBalancer: elbv2.IApplicationLoadBalancer;
  readonly drLoadBalancer: elbv2.IApplicationLoadBalancer;
  readonly primaryRegion: string;
  readonly drRegion: string;
}

/**
 * Global Accelerator with one endpoint group per region. Both dials stay at 100 %: while the DR
 * service runs no task its load balancer has no healthy target, so the accelerator sends everything
 * to the primary; after failover the DR group is the healthy one.
 */
export function createAccelerator(scope: Construct, options: AcceleratorOptions): ga.Accelerator {
  const accelerator = new ga.Accelerator(scope, 'Accelerator');
  const listener = accelerator.addListener('Https', {
    portRanges: [{ fromPort: 443 }],
    protocol: ga.ConnectionProtocol.TCP,
  });
  listener.addEndpointGroup('Primary', {
    region: options.primaryRegion,
    endpoints: [new gaEndpoints.ApplicationLoadBalancerEndpoint(options.primaryLoadBalancer, { preserveClientIp: true })],
  });
  listener.addEndpointGroup('Dr', {
    region: options.drRegion,
    endpoints: [new gaEndpoints.ApplicationLoadBalancerEndpoint(options.drLoadBalancer, { preserveClientIp: true })],
  });
  return accelerator;
}
