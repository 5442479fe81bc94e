import { Match, Template } from 'aws-cdk-lib/assertions';
import { IMAGE, propertiesOf, stackWithVpc, TaskDefinitionJson } from './fixtures';
import { FrontDoor, ModularMonolithService, ModularMonolithServiceProps, ServiceImage } from '../../src';

const MODULES = [{ name: 'orders', path: '/orders/*' }, { name: 'billing', path: '/billing/*' }];

function build(props: Partial<ModularMonolithServiceProps> = {}) {
  const { stack, vpc } = stackWithVpc();
  const service = new ModularMonolithService(stack, 'Api', { vpc, image: ServiceImage.fromRegistry(IMAGE), namespaceName: 'shop.internal', ...props });
  return { stack, service, template: Template.fromStack(stack) };
}

function environmentOf(template: Template, containerName: string): { [key: string]: string } {
  for (const [, taskDefinition] of propertiesOf<TaskDefinitionJson>(template, 'AWS::ECS::TaskDefinition')) {
    const container = taskDefinition.ContainerDefinitions.find((c) => c.Name === containerName);
    if (container) return Object.fromEntries(container.Environment!.map((e) => [e.Name, e.Value]));
  }
  throw new Error(`no container ${containerName}`);
}

describe('modules on the Cloud Map front door', () => {
  test('by default every module routes to the one service', () => {
    const { template } = build({ modules: MODULES });
    template.resourceCountIs('AWS::ECS::Service', 1);
    const routes = propertiesOf(template, 'AWS::ApiGatewayV2::Route').map(([, p]) => p.RouteKey).sort();
    expect(routes).toEqual(['$default', 'ANY /billing', 'ANY /billing/{proxy+}', 'ANY /orders', 'ANY /orders/{proxy+}']);
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
  });

  test('internal calls go through Cloud Map names, never the public API', () => {
    const { template } = build({ modules: MODULES, splitModules: [{ module: 'billing' }] });
    const env = environmentOf(template, 'app');
    expect(env.MODULE_ORDERS_SRV).toBe('app.shop.internal');
    expect(env.MODULE_BILLING_SRV).toBe('billing.shop.internal');
    expect(environmentOf(template, 'billing').MODULE_ORDERS_SRV).toBe('app.shop.internal');
    expect(JSON.stringify(env)).not.toContain('execute-api');
  });

  test('a split module gets its own service and Cloud Map name at the same public path', () => {
    // GIVEN / WHEN
    const { service, template } = build({ modules: MODULES, splitModules: [{ module: 'billing', cpu: 512, memoryLimitMiB: 1024, minTasks: 1, maxTasks: 3 }] });
    // THEN
    template.resourceCountIs('AWS::ECS::Service', 2);
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'billing' });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
    type Route = { RouteKey: string; Target: { 'Fn::Join': [string, [string, { Ref: string }]] } };
    const billingRoute = propertiesOf<Route>(template, 'AWS::ApiGatewayV2::Route').find(([, p]) => p.RouteKey === 'ANY /billing/{proxy+}')![1];
    const integration = billingRoute.Target['Fn::Join'][1][1].Ref;
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiModuleBillingService'), 'Arn'] },
    });
    expect(integration).toMatch(/Billing/);
    expect(Object.keys(service.moduleServices)).toEqual(['billing']);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 3 });
  });

  test('split and main services admit each other on the container port', () => {
    const { template } = build({ modules: MODULES, splitModules: [{ module: 'billing' }] });
    const between = propertiesOf(template, 'AWS::EC2::SecurityGroupIngress').filter(([, p]) => p.Description === 'Module to module');
    expect(between).toHaveLength(2);
  });

  test('a split module can bring its own image and command', () => {
    const { template } = build({ modules: MODULES, splitModules: [{ module: 'billing', image: ServiceImage.fromRegistry('public.ecr.aws/acme/billing:2'), command: ['billing'] }] });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Name: 'billing', Image: 'public.ecr.aws/acme/billing:2', Command: ['billing'] })],
    });
  });
});

describe('modules on the internal ALB front door', () => {
  test('path rules route each module; a split module has its own target group', () => {
    const { template } = build({ frontDoor: FrontDoor.httpApiInternalAlb(), modules: [...MODULES, { name: 'order-items', path: '/orders/items/*' }], splitModules: [{ module: 'billing', healthCheckPath: '/billing/health' }] });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/billing/health' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders/items', '/orders/items/*'] } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/billing', '/billing/*'] } }],
      Actions: [Match.objectLike({ TargetGroupArn: { Ref: Match.stringLikeRegexp('ApiModuleBillingTargetGroup') } })],
    });
    template.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 1);
  });
});

describe('module validation', () => {
  test.each([
    ['two modules on the same path', { modules: [{ name: 'a', path: '/x/*' }, { name: 'b', path: '/x/*' }] }, "`modules[1].path` must be unique, got: '/x/*' (already used by module 'a')"],
    ['a path that is not a prefix pattern', { modules: [{ name: 'a', path: '/orders' }] }, "`modules[0].path` must be a prefix pattern like '/orders/*', got: '/orders'"],
    ['a wildcard in the middle', { modules: [{ name: 'a', path: '/*/x/*' }] }, "`modules[0].path` must be a prefix pattern like '/orders/*'"],
    ['an unknown module in a split', { modules: MODULES, splitModules: [{ module: 'shipping' }] }, "`splitModules[0].module` must be the name of a declared module (orders, billing), got: 'shipping'"],
    ['a module split twice', { modules: MODULES, splitModules: [{ module: 'billing' }, { module: 'billing' }] }, '`splitModules[1].module` must be split only once'],
    ['a bad module name', { modules: [{ name: 'Orders', path: '/orders/*' }] }, '`modules[0].name` must be lowercase letters'],
    ['the main service name', { modules: [{ name: 'app', path: '/app/*' }] }, "`modules[0].name` must be a name other than 'app'"],
    ['two modules with one name', { modules: [{ name: 'a', path: '/a/*' }, { name: 'a', path: '/b/*' }] }, '`modules[1].name` must be unique among modules'],
    ['a split with a size Fargate refuses', { modules: MODULES, splitModules: [{ module: 'billing', cpu: 256, memoryLimitMiB: 4096 }] }, '`splitModules[0].memoryLimitMiB` must be one of 512, 1024, 2048'],
    ['a split with minimum above maximum', { modules: MODULES, splitModules: [{ module: 'billing', minTasks: 5, maxTasks: 2 }] }, '`splitModules[0].minTasks` (5) must not be above `splitModules[0].maxTasks` (2)'],
  ] as Array<[string, Partial<ModularMonolithServiceProps>, string]>)('rejects %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
