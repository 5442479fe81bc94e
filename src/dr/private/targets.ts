import { Fn, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { IConstruct } from 'constructs';
import { primaryApiDomain } from './front-door';
import { IMonolithService } from '../../core/contracts';
import { invalid, LeanStackValidationError } from '../../private/validate';
import { ModularMonolithService } from '../../service/modular-monolith-service';
import { FailoverRecordsOptions } from '../failover-routing';
import { FailoverTarget } from '../failover-target';
import { StandbyDomainOptions } from '../standby-service';

/** The host of a URL, at synth for a plain string, in CloudFormation for a token. */
export function hostOf(url: string): string {
  if (!Token.isUnresolved(url)) return new URL(url).host;
  return Fn.select(2, Fn.split('/', url));
}

/**
 * An alias to an API Gateway custom domain's regional name (never the record's own name), with
 * target health evaluated, which Route 53 needs on failover aliases and
 * `targets.ApiGatewayv2DomainProperties` cannot set.
 */
export function apiDomainTarget(domain: apigwv2.DomainName): FailoverTarget {
  return FailoverTarget.fromAlias({
    bind: () => ({ dnsName: domain.regionalDomainName, hostedZoneId: domain.regionalHostedZoneId, evaluateTargetHealth: true }),
  });
}

/**
 * What the health check requests: the primary's own endpoint, never the failover record (which
 * answers from the DR region after failover): the HTTP API's `execute-api` host unless it is
 * turned off, else the load balancer's DNS name, else the host of the service URL.
 */
export function defaultHealthCheckDomain(primary: IMonolithService): string {
  const api = primary.httpApi;
  const cfnApi = api?.node.defaultChild as apigwv2.CfnApi | undefined;
  if (api && cfnApi?.disableExecuteApiEndpoint !== true) return hostOf(api.apiEndpoint);
  if (primary.loadBalancer) return primary.loadBalancer.loadBalancerDnsName;
  return hostOf(primary.url);
}

/**
 * Where the PRIMARY record points by default: the primary API's custom domain (which must carry
 * the record name: API Gateway answers a host name only through a custom domain of that name),
 * or the primary's load balancer, or, for other services, a CNAME to the host of its URL.
 */
export function defaultPrimaryTarget(scope: IConstruct, primary: IMonolithService, recordName: string): FailoverTarget {
  if (primary.httpApi) {
    const domain = primaryApiDomain(primary);
    if (!domain) {
      throw new LeanStackValidationError(scope, '`failoverRouting.primaryTarget` is required when the primary HTTP API has no custom domain '
        + '(API Gateway answers the record name only through a custom domain of that name), got: undefined');
    }
    // `domain.name` is a Ref; the L1 holds the name as written
    const name = (domain.node.defaultChild as apigwv2.CfnDomainName).domainName;
    if (!Token.isUnresolved(name) && !Token.isUnresolved(recordName) && name.toLowerCase() !== recordName.toLowerCase().replace(/\.$/, '')) {
      invalid(scope, 'failoverRouting.recordName', recordName,
        `the primary API's custom domain name '${name}' (API Gateway answers a host name only through a custom domain of that name), or give \`primaryTarget\``);
    }
    return apiDomainTarget(domain);
  }
  if (primary.loadBalancer) return FailoverTarget.fromAlias(new targets.LoadBalancerTarget(primary.loadBalancer, { evaluateTargetHealth: true }));
  return FailoverTarget.fromDomainName(hostOf(primary.url));
}

/** The path the health check requests: the one given, else the primary's own health path. */
export function healthPathOf(service: IMonolithService, given?: string): string {
  return given ?? (service instanceof ModularMonolithService ? service.healthCheckPath : '/');
}

/**
 * What the health check requests: the health path, plus, for an edge-only primary (every route
 * of its API has an authorizer), the value in the query parameter its health route reads.
 */
export function healthResourcePathOf(service: IMonolithService, given?: string): string {
  const path = healthPathOf(service, given);
  const edgeOnly = service instanceof ModularMonolithService ? service.frontDoor.httpApiOptions?.edgeOnly : undefined;
  return edgeOnly ? edgeOnly.healthCheckPathFor(service, path) : path;
}

/** The standby API's domain: the one given, else the failover record name when no secondary target is given. */
export function standbyDomainOf(
  service: IMonolithService, given?: StandbyDomainOptions, records?: FailoverRecordsOptions,
): StandbyDomainOptions | undefined {
  if (given) return given;
  if (!records || records.secondaryTarget || !service.httpApi) return undefined;
  return { domainName: records.recordName, certificate: records.drCertificate, hostedZone: records.hostedZone };
}
