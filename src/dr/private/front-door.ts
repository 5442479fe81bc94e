import { Duration, Names } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { IMonolithService } from '../../core/contracts';
import { Profile } from '../../core/profile';
import { InternalAlbFrontDoorOptions } from '../../service/front-door';
import { ModularMonolithService } from '../../service/modular-monolith-service';
// The standby's door is built by the same code as the primary's, so the two cannot drift: the one
// deliberate exception to "a family's private/ is its own" (listed in CONTRIBUTING).
// eslint-disable-next-line import/no-restricted-paths
import { BuiltHttpApi, addHealthRoute, addRoute, buildHttpApi } from '../../service/private/http-api';
// eslint-disable-next-line import/no-restricted-paths
import { MAIN_SERVICE_NAME, moduleId } from '../../service/private/modules';

/** The primary's construct id of a module (`OrderItems` for `order-items`), for the standby's matching ids. */
export { moduleId };

/** The standby API's custom domain, resolved: a certificate is always known here. */
export interface StandbyDomain {
  readonly domainName: string;
  readonly certificate?: acm.ICertificate;
  readonly hostedZone?: route53.IHostedZone;
}

export interface StandbyFrontDoorOptions {
  readonly primary: IMonolithService;
  readonly vpc: ec2.IVpc;
  readonly service: ecs.FargateService;
  readonly container: ecs.ContainerDefinition;
  /** The split modules' standby services and application containers, by module name. */
  readonly modules: { [module: string]: { service: ecs.FargateService; container: ecs.ContainerDefinition } };
  readonly domain?: StandbyDomain;
  readonly profile: Profile;
}

export interface StandbyFrontDoor {
  readonly api: BuiltHttpApi;
  readonly namespace: servicediscovery.PrivateDnsNamespace;
  readonly certificate?: acm.ICertificate;
}

/**
 * The primary API's routes (`$default`, `ANY /orders`, `ANY /orders/{proxy+}`), read from the
 * routes built on its HTTP API, so the standby answers the same paths; each with the split module
 * it leads to (the primary names a module's routes `<Module>Route` and `<Module>ProxyRoute`).
 */
export function primaryRoutes(primary: IMonolithService, splitModules: string[] = []): Array<{ key: string; module?: string }> {
  const api = primary.httpApi;
  if (!api) return [];
  return primary.node.findAll()
    .filter((c): c is apigwv2.HttpRoute => c instanceof apigwv2.HttpRoute && c.httpApi === api)
    .map((r) => ({
      key: (r.node.defaultChild as apigwv2.CfnRoute).routeKey,
      module: splitModules.find((m) => r.node.id === `${moduleId(m)}Route` || r.node.id === `${moduleId(m)}ProxyRoute`),
    }));
}

/** The primary API's custom domain, when it has one (an `apigwv2.DomainName` in the primary's tree). */
export function primaryApiDomain(primary: IMonolithService): apigwv2.DomainName | undefined {
  return primary.node.findAll().find((c): c is apigwv2.DomainName => c instanceof apigwv2.DomainName);
}

/**
 * The standby's front door, the HTTP API + VPC link + Cloud Map kind whatever HTTP API door the
 * primary has: nothing of it bills while no request arrives but the namespace's private hosted
 * zone (0.50 USD a month). The namespace takes the primary's name, so the module variables
 * copied from the primary (`MODULE_*_SRV=app.<namespace>`) resolve in the DR region too.
 */
export function createStandbyFrontDoor(scope: Construct, options: StandbyFrontDoorOptions): StandbyFrontDoor {
  const { primary } = options;
  const primaryDoor = primary instanceof ModularMonolithService ? primary : undefined;
  const namespace = new servicediscovery.PrivateDnsNamespace(scope, 'Namespace', {
    vpc: options.vpc,
    name: primaryDoor?.namespace?.namespaceName ?? `${Names.uniqueResourceName(scope, { maxLength: 48 }).toLowerCase()}.internal`,
    description: `Internal names of ${scope.node.path}`,
  });
  const containerPort = options.container.containerPort;
  // aws-cdk-lib refuses enableCloudMap on an HTTP namespace; SRV records carry the port API Gateway needs.
  const register = (service: ecs.FargateService, name: string, container: ecs.ContainerDefinition) => service.enableCloudMap({
    cloudMapNamespace: namespace,
    name,
    dnsRecordType: servicediscovery.DnsRecordType.SRV,
    dnsTtl: Duration.seconds(10),
    container,
    containerPort,
  });
  const cloudMapService = register(options.service, MAIN_SERVICE_NAME, options.container);

  let certificate = options.domain?.certificate;
  if (options.domain && !certificate) {
    certificate = new acm.Certificate(scope, 'Certificate', {
      domainName: options.domain.domainName,
      validation: acm.CertificateValidation.fromDns(options.domain.hostedZone),
    });
  }
  const primaryOptions: InternalAlbFrontDoorOptions = primaryDoor?.frontDoor.httpApiOptions ?? {};
  const api = buildHttpApi(scope, options.vpc, { subnetType: ec2.SubnetType.PUBLIC }, {
    ...primaryOptions,
    domain: options.domain && certificate ? { domainName: options.domain.domainName, certificate } : undefined,
    disableExecuteApiEndpoint: primaryOptions.disableExecuteApiEndpoint === true && options.domain !== undefined,
  }, options.profile);
  options.service.connections.allowFrom(api.vpcLinkSecurityGroup, ec2.Port.tcp(containerPort), 'VPC link to standby tasks');
  const integration = new integrations.HttpServiceDiscoveryIntegration('AppIntegration', cloudMapService, { vpcLink: api.vpcLink });
  const moduleIntegrations = new Map<string, apigwv2.HttpRouteIntegration>();
  for (const [module, m] of Object.entries(options.modules)) {
    // a split module answers its own paths, in DR as in the primary region
    m.service.connections.allowFrom(api.vpcLinkSecurityGroup, ec2.Port.tcp(containerPort), 'VPC link to standby tasks');
    const moduleCloudMap = register(m.service, module, m.container);
    moduleIntegrations.set(module, new integrations.HttpServiceDiscoveryIntegration(`${moduleId(module)}Integration`, moduleCloudMap, { vpcLink: api.vpcLink }));
  }
  const routes = primaryRoutes(primary, Object.keys(options.modules));
  for (const { key, module } of routes.some((r) => r.key === '$default') ? routes : [{ key: '$default' }, ...routes]) {
    // the health route of an edge-only primary is added below, with its own method and authorizer
    if (key.startsWith('GET ')) continue;
    if (key === '$default') {
      addRoute(scope, 'DefaultRoute', api, undefined, integration);
    } else {
      // the primary's doors build ANY routes only; the key is `ANY /path`
      const path = key.slice(key.indexOf(' ') + 1);
      addRoute(scope, `${routeId(path)}Route`, api, path, (module && moduleIntegrations.get(module)) || integration);
    }
  }
  if (primaryDoor) addHealthRoute(scope, api, primaryDoor.healthCheckPath, integration);
  return { api, namespace, certificate };
}

/** `OrdersProxy` for `/orders/{proxy+}`. */
function routeId(path: string): string {
  return path.split(/[^A-Za-z0-9]+/).filter((p) => p).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('') || 'Root';
}
