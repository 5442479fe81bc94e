import { CfnElement, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { FrontDoor, ModularMonolithService, ServiceImage } from '../../src/service';
import { CostConsciousStaticSite, CostConsciousStaticSiteProps } from '../../src/static-site';
import { API_PREFIX_CODE_PATH, renderApiPrefixCode } from '../../src/static-site/private/api-behavior';
import { expectCompliant } from '../helpers/compliance';
import { IMAGE, propertiesOf, stackWithVpc } from '../service/fixtures';

/*
 * End to end on the synthesized resources: a request to the site's `/api/...` goes through the
 * CloudFront Function attached to the API behavior (run in Node), then is routed the way API
 * Gateway (route keys) and the ALB (listener rules) route it, to the Fargate service that answers.
 */

interface CfRequest { uri: string; querystring: { [name: string]: { value: string } } }
type Handler = (event: unknown) => CfRequest;
type Ref = { Ref: string };
type GetAtt = { 'Fn::GetAtt': [string, string] };
interface CacheBehavior { PathPattern: string; FunctionAssociations?: Array<{ EventType: string; FunctionARN: GetAtt }> }
interface RouteProps { RouteKey: string; Target: { 'Fn::Join': [string, [string, Ref]] } }
interface IntegrationProps { IntegrationUri: GetAtt | Ref }
interface RuleProps {
  Priority: number;
  ListenerArn: Ref;
  Conditions: Array<{ Field: string; PathPatternConfig: { Values: string[] } }>;
  Actions: Array<{ TargetGroupArn: Ref }>;
}
interface ListenerProps { Port: number; DefaultActions: Array<{ TargetGroupArn?: Ref }> }
interface EcsServiceProps { ServiceRegistries?: Array<{ RegistryArn: GetAtt }>; LoadBalancers?: Array<{ TargetGroupArn: Ref }> }

function eventFor(uri: string): unknown {
  return {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '198.51.100.11' },
    request: { method: 'POST', uri, querystring: { page: { value: '2' } }, headers: { host: { value: 'example.com' } }, cookies: {} },
  };
}

/** The API behavior's viewer-request function as synthesized, loaded into a handler (identity when there is none). */
function apiFunction(template: Template, pathPattern: string): Handler {
  const [[, dist]] = propertiesOf<{ DistributionConfig: { CacheBehaviors: CacheBehavior[] } }>(template, 'AWS::CloudFront::Distribution');
  const behavior = dist.DistributionConfig.CacheBehaviors.find((b) => b.PathPattern === pathPattern)!;
  const association = behavior.FunctionAssociations?.find((a) => a.EventType === 'viewer-request');
  if (!association) return (event) => (event as { request: CfRequest }).request;
  const fn = template.toJSON().Resources[association.FunctionARN['Fn::GetAtt'][0]];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(`${fn.Properties.FunctionCode as string}\nreturn handler;`)() as Handler;
}

/** HTTP API route selection: an exact route, else the longest greedy `{proxy+}` route, else `$default`. */
function httpApiIntegration(template: Template, path: string): string {
  const routes = propertiesOf<RouteProps>(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r);
  const key = (r: RouteProps) => r.RouteKey.replace(/^ANY /, '');
  const exact = routes.find((r) => key(r) === path);
  const greedy = routes
    .filter((r) => key(r).endsWith('/{proxy+}') && path.startsWith(`${key(r).slice(0, -'/{proxy+}'.length)}/`))
    .sort((a, b) => key(b).length - key(a).length)[0];
  const route = exact ?? greedy ?? routes.find((r) => r.RouteKey === '$default')!;
  return route.Target['Fn::Join'][1][1].Ref;
}

function albPatternMatches(pattern: string, path: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(path);
}

/** ALB routing: the listener rules by priority, else the listener's default target group. */
function albTargetGroup(template: Template, listenerId: string, path: string): string {
  const rules = propertiesOf<RuleProps>(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')
    .map(([, r]) => r)
    .filter((r) => r.ListenerArn.Ref === listenerId)
    .sort((a, b) => a.Priority - b.Priority);
  const rule = rules.find((r) => r.Conditions.some((c) => c.Field === 'path-pattern' && c.PathPatternConfig.Values.some((v) => albPatternMatches(v, path))));
  if (rule) return rule.Actions[0].TargetGroupArn.Ref;
  const listener = propertiesOf<ListenerProps>(template, 'AWS::ElasticLoadBalancingV2::Listener').find(([id]) => id === listenerId)![1];
  return listener.DefaultActions[0].TargetGroupArn!.Ref;
}

/** The logical id of the ECS service that a path reaches. */
function serviceReached(template: Template, path: string): string {
  const services = propertiesOf<EcsServiceProps>(template, 'AWS::ECS::Service');
  const routes = propertiesOf<RouteProps>(template, 'AWS::ApiGatewayV2::Route');
  let targetGroup: string | undefined;
  if (routes.length > 0) {
    const integrationId = httpApiIntegration(template, path);
    const integration = propertiesOf<IntegrationProps>(template, 'AWS::ApiGatewayV2::Integration').find(([id]) => id === integrationId)![1];
    const uri = integration.IntegrationUri;
    if ('Fn::GetAtt' in uri) {
      // Cloud Map: the service whose registry the integration names.
      return services.find(([, s]) => s.ServiceRegistries?.some((r) => r.RegistryArn['Fn::GetAtt'][0] === uri['Fn::GetAtt'][0]))![0];
    }
    targetGroup = albTargetGroup(template, uri.Ref, path);
  } else {
    const [httpsId] = propertiesOf<ListenerProps>(template, 'AWS::ElasticLoadBalancingV2::Listener').find(([, l]) => l.Port === 443)!;
    targetGroup = albTargetGroup(template, httpsId, path);
  }
  return services.find(([, s]) => s.LoadBalancers?.some((lb) => lb.TargetGroupArn.Ref === targetGroup))![0];
}

function build(frontDoor: (certificate: acm.ICertificate) => FrontDoor, site: Partial<CostConsciousStaticSiteProps> = {}) {
  const { stack, vpc } = stackWithVpc({ nat: true });
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
  const service = new ModularMonolithService(stack, 'Api', {
    vpc,
    image: ServiceImage.fromRegistry(IMAGE),
    frontDoor: frontDoor(certificate),
    modules: [
      { name: 'orders', path: '/orders/*' },
      { name: 'billing', path: '/billing/*' },
      { name: 'order-items', path: '/orders/items/*' },
    ],
    splitModules: [{ module: 'orders' }],
  });
  new CostConsciousStaticSite(stack, 'Site', {
    apiDomainName: Fn.select(2, Fn.split('/', service.url)),
    ...site,
  });
  const logicalId = (s: { node: { defaultChild?: unknown } }) => stack.getLogicalId(s.node.defaultChild as CfnElement);
  return {
    stack,
    template: Template.fromStack(stack),
    main: logicalId(service.service),
    orders: logicalId(service.moduleServices.orders),
  };
}

const DOORS: Array<[string, (certificate: acm.ICertificate) => FrontDoor]> = [
  ['HTTP API + Cloud Map', () => FrontDoor.httpApiCloudMap()],
  ['HTTP API + internal ALB', () => FrontDoor.httpApiInternalAlb()],
  ['public ALB', (certificate) => FrontDoor.publicAlb({ certificate })],
];

describe.each(DOORS)('the site\'s /api/* reaches the right module behind %s', (_name, door) => {
  const built = build(door);
  const handler = apiFunction(built.template, '/api/*');
  const reach = (uri: string) => {
    const request = handler(eventFor(uri));
    return { path: request.uri, service: serviceReached(built.template, request.uri), query: request.querystring };
  };

  test.each([
    ['/api/orders', '/orders', 'orders'],
    ['/api/orders/42', '/orders/42', 'orders'],
    ['/api/orders/42/lines/7', '/orders/42/lines/7', 'orders'],
    ['/api/orders/items/3', '/orders/items/3', 'main'],
    ['/api/billing/invoices/7', '/billing/invoices/7', 'main'],
    ['/api/health', '/health', 'main'],
    ['/api/ordersx/1', '/ordersx/1', 'main'],
    ['/api/', '/', 'main'],
  ])('%s arrives as %s at the %s service', (uri, path, service) => {
    // WHEN
    const reached = reach(uri);
    // THEN
    expect(reached.path).toBe(path);
    expect(reached.service).toBe(service === 'orders' ? built.orders : built.main);
    expect(reached.query).toEqual({ page: { value: '2' } });
  });

  test('the split module is reached only through its own service', () => {
    expect(built.orders).not.toBe(built.main);
  });
});

describe('without stripping the prefix', () => {
  test('/api/orders/42 would land on the main service (what stripApiPrefix fixes)', () => {
    // GIVEN
    const built = build(() => FrontDoor.httpApiCloudMap(), { stripApiPrefix: false });
    const handler = apiFunction(built.template, '/api/*');
    // WHEN
    const path = handler(eventFor('/api/orders/42')).uri;
    // THEN
    expect(path).toBe('/api/orders/42');
    expect(serviceReached(built.template, path)).toBe(built.main);
    built.template.resourceCountIs('AWS::CloudFront::Function', 1);
  });
});

describe('a custom API path pattern', () => {
  test('/backend/v1/* strips /backend/v1', () => {
    // GIVEN
    const built = build(() => FrontDoor.httpApiCloudMap(), { apiPathPattern: '/backend/v1/*' });
    // WHEN
    const request = apiFunction(built.template, '/backend/v1/*')(eventFor('/backend/v1/orders/42'));
    // THEN
    expect(request.uri).toBe('/orders/42');
    expect(serviceReached(built.template, request.uri)).toBe(built.orders);
  });

  test('the function leaves paths outside its prefix alone and fits the 10 KB limit', () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const handler = new Function(`${renderApiPrefixCode('/api')}\nreturn handler;`)() as Handler;
    expect(handler(eventFor('/apiary/x')).uri).toBe('/apiary/x');
    expect(handler(eventFor('/api')).uri).toBe('/');
    expect(Buffer.byteLength(renderApiPrefixCode('/api'))).toBeLessThan(10 * 1024);
    expect(API_PREFIX_CODE_PATH).toMatch(/assets\/static-site\/api-prefix\.js$/);
  });
});

describe('validation', () => {
  function site(props: CostConsciousStaticSiteProps): void {
    const { stack } = stackWithVpc();
    new CostConsciousStaticSite(stack, 'Site', props);
  }

  test('stripping needs a prefix pattern', () => {
    expect(() => site({ apiDomainName: 'api.example.com', apiPathPattern: '/api*' })).toThrow(
      "`apiPathPattern` must be a prefix pattern like '/api/*' when `stripApiPrefix` is true (set `stripApiPrefix: false` to forward paths unchanged), got: '/api*'");
  });

  test('a non-prefix pattern is fine when nothing is stripped', () => {
    expect(() => site({ apiDomainName: 'api.example.com', apiPathPattern: '/api*', stripApiPrefix: false })).not.toThrow();
  });

  test('stripApiPrefix needs an API', () => {
    expect(() => site({ stripApiPrefix: true })).toThrow('`stripApiPrefix` must be given only with `apiOrigin` or `apiDomainName`, got: true');
  });
});

test('the site with its API behind the Cloud Map front door is compliant', () => {
  const built = build(() => FrontDoor.httpApiCloudMap());
  expectCompliant(built.stack as Stack);
});
