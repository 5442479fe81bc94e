import { Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { FailoverTarget } from './failover-target';
import { createAccelerator, createFailoverRecords, createPrimaryHealthCheck, requireHttpsForQuery } from './private/routing';
import { checkHealthCheck, checkHealthCheckDomain, checkHealthPath, checkRecords } from './private/validate';
import { checkRequired } from '../private/validate';

/** Route 53 failover records in front of the two regions. */
export interface FailoverRecordsOptions {
  /** The public hosted zone that holds the records. */
  readonly hostedZone: route53.IHostedZone;
  /** The record name, e.g. `app.example.com` (not the zone apex for CNAME targets). */
  readonly recordName: string;
  /**
   * Where the PRIMARY record points.
   *
   * @default - in `PilotLightDr`, the primary's front door (an alias to its API custom domain,
   * which must carry `recordName`, or to its load balancer); in `FailoverRouting`, a CNAME to the
   * health-checked domain name
   */
  readonly primaryTarget?: FailoverTarget;
  /**
   * Where the SECONDARY record points: the DR region's front door.
   *
   * @default - in `PilotLightDr`, an alias to the standby API's custom domain named `recordName`
   * (primary with an HTTP API front door); required otherwise
   */
  readonly secondaryTarget?: FailoverTarget;
  /**
   * A certificate in the DR region covering `recordName`, for the standby API's custom domain
   * (used only when `secondaryTarget` is not given).
   *
   * @default - a new certificate, validated through DNS in `hostedZone`
   */
  readonly drCertificate?: acm.ICertificate;
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

/** Global Accelerator over a primary and a DR load balancer. */
export interface FailoverAcceleratorOptions extends PilotLightAcceleratorOptions {
  /** The primary region's load balancer. */
  readonly primaryLoadBalancer: elbv2.IApplicationLoadBalancer;
}

/** Properties of a `FailoverRouting`. */
export interface FailoverRoutingProps {
  /** The primary front door's host name, which the health check requests over HTTPS. */
  readonly healthCheckDomainName: string;
  /**
   * The path the health check requests on the primary front door.
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * Route 53 health check interval: 10 or 30 seconds (10 s costs 1 USD a month more).
   *
   * @default Duration.seconds(30)
   */
  readonly healthCheckInterval?: Duration;
  /**
   * Consecutive failed checks before the primary counts as unhealthy (1 to 10).
   *
   * @default 3
   */
  readonly healthCheckFailureThreshold?: number;
  /**
   * PRIMARY and SECONDARY failover records.
   *
   * @default - no records; the health check is still created
   */
  readonly records?: FailoverRecordsOptions;
  /**
   * Global Accelerator over the two regions' load balancers (ALB front doors only).
   *
   * @default - no accelerator (it costs about 18 USD a month)
   */
  readonly accelerator?: FailoverAcceleratorOptions;
}

/**
 * How users reach the region that serves: an HTTPS Route 53 health check on the primary front
 * door, optional PRIMARY/SECONDARY failover records, and optional Global Accelerator.
 *
 * @example
 * import * as route53 from 'aws-cdk-lib/aws-route53';
 * import { FailoverRouting, FailoverTarget } from 'cdk-lean-stack';
 *
 * declare const zone: route53.IHostedZone;
 *
 * new FailoverRouting(this, 'Routing', {
 *   healthCheckDomainName: 'primary.api.example.com',
 *   healthCheckPath: '/health',
 *   records: {
 *     hostedZone: zone,
 *     recordName: 'api.example.com',
 *     primaryTarget: FailoverTarget.fromDomainName('primary.api.example.com'),
 *     secondaryTarget: FailoverTarget.fromDomainName('dr.api.example.com'),
 *   },
 * });
 */
export class FailoverRouting extends Construct {
  /** The health check on the primary front door. */
  public readonly healthCheck: route53.HealthCheck;
  /** The PRIMARY failover record, when `records` is set. */
  public readonly primaryRecord?: route53.RecordSet;
  /** The SECONDARY failover record, when `records` is set. */
  public readonly secondaryRecord?: route53.RecordSet;
  /** The accelerator, when `accelerator` is set. */
  public readonly accelerator?: ga.Accelerator;
  /** Time for Route 53 to see the primary fail: interval x failure threshold. */
  public readonly detectionTime: Duration;
  /** The TTL resolvers may keep the old answer for, when records exist. */
  public readonly recordTtl?: Duration;

  constructor(scope: Construct, id: string, props: FailoverRoutingProps) {
    super(scope, id);
    const interval = props.healthCheckInterval ?? Duration.seconds(30);
    const failureThreshold = props.healthCheckFailureThreshold ?? 3;
    checkHealthCheck(this, interval, failureThreshold);
    checkHealthPath(this, props.healthCheckPath ?? '/');
    checkHealthCheckDomain(this, props.healthCheckDomainName);
    if (props.records) {
      checkRequired(this, 'records.secondaryTarget', props.records.secondaryTarget, 'for failover records (the DR front door)');
      checkRecords(this, 'records', {
        recordName: props.records.recordName,
        zoneName: props.records.hostedZone.zoneName,
        primaryDomain: props.records.primaryTarget ? props.records.primaryTarget.domainName : props.healthCheckDomainName,
        secondaryDomain: props.records.secondaryTarget!.domainName,
      });
    }
    this.detectionTime = Duration.seconds(interval.toSeconds() * failureThreshold);
    this.healthCheck = createPrimaryHealthCheck(this, {
      domainName: props.healthCheckDomainName,
      path: props.healthCheckPath ?? '/',
      interval,
      failureThreshold,
    });
    requireHttpsForQuery(this, this.healthCheck);
    const records = props.records;
    if (records) {
      this.recordTtl = records.ttl ?? Duration.seconds(60);
      const created = createFailoverRecords(this, {
        zone: records.hostedZone,
        recordName: records.recordName,
        primary: records.primaryTarget ?? FailoverTarget.fromDomainName(props.healthCheckDomainName),
        secondary: records.secondaryTarget!,
        healthCheck: this.healthCheck,
        ttl: this.recordTtl,
      });
      this.primaryRecord = created.primary;
      this.secondaryRecord = created.secondary;
    }
    if (props.accelerator) {
      this.accelerator = createAccelerator(this, {
        primaryLoadBalancer: props.accelerator.primaryLoadBalancer,
        drLoadBalancer: props.accelerator.drLoadBalancer,
        primaryRegion: Stack.of(props.accelerator.primaryLoadBalancer).region,
        drRegion: Stack.of(this).region,
      });
    }
  }
}
