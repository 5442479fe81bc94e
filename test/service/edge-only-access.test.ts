import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IMAGE, stackWithVpc } from './fixtures';
import { CostConsciousStaticSite, EdgeOnlyAccess, FrontDoor, ModularMonolithService, ServiceImage } from '../../src';
import { EDGE_AUTHORIZER_CODE } from '../../src/service/private/edge-authorizer';
import { expectCompliant } from '../helpers/compliance';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const handler: (event: unknown) => Promise<{ isAuthorized: boolean }> = require(EDGE_AUTHORIZER_CODE).handler;

/** What a team with a WAF in front of its site builds: an edge-only API behind the site's /api/*. */
function siteAndApi(door: FrontDoor = FrontDoor.httpApiCloudMap({ edgeOnly: EdgeOnlyAccess.stackSecret() })) {
  const { stack, vpc } = stackWithVpc();
  const service = new ModularMonolithService(stack, 'Api', {
    vpc,
    image: ServiceImage.fromRegistry(IMAGE),
    healthCheckPath: '/health',
    modules: [{ name: 'orders', path: '/orders/*' }],
    frontDoor: door,
  });
  const site = new CostConsciousStaticSite(stack, 'Site', { apiDomainName: service.apiDomainName, apiOriginHeaders: service.edgeHeaders });
  return { stack, service, site, template: Template.fromStack(stack) };
}

const STACK_UUID = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };

describe('EdgeOnlyAccess', () => {
  test('every route but GET <health path> needs the distribution\'s header, checked by a cached Lambda authorizer', () => {
    const { template } = siteAndApi();
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['$request.header.x-origin-verify'],
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 3600,
      AuthorizerPayloadFormatVersion: '2.0',
    });
    const routes = template.findResources('AWS::ApiGatewayV2::Route') as { [id: string]: { Properties: { RouteKey: string; AuthorizationType?: string } } };
    const byKey = Object.fromEntries(Object.values(routes).map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType ?? 'NONE']));
    expect(byKey).toEqual({
      '$default': 'CUSTOM',
      'ANY /orders': 'CUSTOM',
      'ANY /orders/{proxy+}': 'CUSTOM',
      'GET /health': 'NONE',
    });
  });

  test('the distribution adds the header with the value the authorizer expects: the random part of the stack id', () => {
    const { template } = siteAndApi();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { HEADER_NAME: 'x-origin-verify', EXPECTED_VALUE: STACK_UUID } },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([Match.objectLike({ OriginCustomHeaders: [{ HeaderName: 'x-origin-verify', HeaderValue: STACK_UUID }] })]),
      }),
    });
  });

  test('a site in another stack gets the value through a stack output', () => {
    const { app, stack, vpc } = stackWithVpc();
    const service = new ModularMonolithService(stack, 'Api', {
      vpc, image: ServiceImage.fromRegistry(IMAGE), frontDoor: FrontDoor.httpApiCloudMap({ edgeOnly: EdgeOnlyAccess.stackSecret() }),
    });
    const web = new Stack(app, 'Web', { env: { account: '111111111111', region: 'eu-west-1' } });
    new CostConsciousStaticSite(web, 'Site', { apiDomainName: service.apiDomainName, apiOriginHeaders: service.edgeHeaders });
    const origin = JSON.stringify(Template.fromStack(web).findResources('AWS::CloudFront::Distribution'));
    expect(origin).toContain('"HeaderName":"x-origin-verify"');
    expect(origin).toContain('Fn::ImportValue');
  });

  test('a secret you keep (shared with a standby in another region) and a header name of your own', () => {
    const { template } = siteAndApi(FrontDoor.httpApiInternalAlb({
      edgeOnly: EdgeOnlyAccess.fromSecret(SecretValue.secretsManager('edge-secret'), { headerName: 'x-from-edge' }),
    }));
    const value = '{{resolve:secretsmanager:edge-secret:SecretString:::}}';
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { HEADER_NAME: 'x-from-edge', EXPECTED_VALUE: value } } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health' });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Origins: Match.arrayWith([Match.objectLike({ OriginCustomHeaders: [{ HeaderName: 'x-from-edge', HeaderValue: value }] })]) }),
    });
  });

  test('without edgeOnly the service has no header to give and the API takes any client', () => {
    const { service, template } = siteAndApi(FrontDoor.httpApiCloudMap());
    expect(service.edgeHeaders).toEqual({});
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Environment: { Variables: { HEADER_NAME: Match.anyValue() } } }, 0);
    template.resourcePropertiesCountIs('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Origins: Match.arrayWith([Match.objectLike({ OriginCustomHeaders: Match.anyValue() })]) }),
    }, 0);
  });

  test('passes cdk-nag with the authorizer and its log group', () => {
    expectCompliant(siteAndApi().stack);
  });

  test.each([
    ['X-Origin-Verify', 'a lower-case header name of letters, digits and hyphens'],
    ['host', 'a header CloudFront may add to origin requests'],
    ['x-amz-secret', 'a header CloudFront may add to origin requests'],
  ])('refuses the header name %s', (headerName, allowed) => {
    expect(() => siteAndApi(FrontDoor.httpApiCloudMap({ edgeOnly: EdgeOnlyAccess.stackSecret({ headerName }) })))
      .toThrow(`\`frontDoor.edgeOnly.headerName\` must be ${allowed}`);
  });

  test('refuses edgeOnly together with a JWT authorizer (a route takes one authorizer)', () => {
    expect(() => siteAndApi(FrontDoor.httpApiCloudMap({
      edgeOnly: EdgeOnlyAccess.stackSecret(),
      jwtAuthorizer: { issuer: 'https://issuer.example.com', audience: ['app'] },
    }))).toThrow('`frontDoor.edgeOnly` and `frontDoor.jwtAuthorizer` cannot both be set; choose one');
  });

  test('the site refuses origin headers without apiDomainName', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    expect(() => new CostConsciousStaticSite(stack, 'Site', { apiOriginHeaders: { 'x-origin-verify': 'v' } }))
      .toThrow('`apiOriginHeaders` must be given only with `apiDomainName` (add headers to your own `apiOrigin` with its `customHeaders`), got: ["x-origin-verify"]');
  });
});

describe('the edge-only authorizer, run in Node', () => {
  const run = (headers: { [name: string]: string } | undefined) => handler({ version: '2.0', type: 'REQUEST', headers, routeKey: '$default' });

  beforeEach(() => {
    process.env.HEADER_NAME = 'X-Origin-Verify';
    process.env.EXPECTED_VALUE = '0b1c2d3e-aaaa-bbbb-cccc-1234567890ab';
  });
  afterAll(() => {
    delete process.env.HEADER_NAME;
    delete process.env.EXPECTED_VALUE;
  });

  test('lets the distribution through (API Gateway lower-cases header names)', async () => {
    await expect(run({ 'x-origin-verify': '0b1c2d3e-aaaa-bbbb-cccc-1234567890ab' })).resolves.toEqual({ isAuthorized: true });
  });

  test.each([
    ['a wrong value of the same length', { 'x-origin-verify': '0b1c2d3e-aaaa-bbbb-cccc-1234567890ac' }],
    ['a prefix of the value', { 'x-origin-verify': '0b1c2d3e' }],
    ['an empty value', { 'x-origin-verify': '' }],
    ['no header at all', {}],
    ['no headers object', undefined],
  ])('refuses %s', async (_what, headers) => {
    await expect(run(headers)).resolves.toEqual({ isAuthorized: false });
  });

  test('refuses everything when no value was configured', async () => {
    process.env.EXPECTED_VALUE = '';
    await expect(run({ 'x-origin-verify': '' })).resolves.toEqual({ isAuthorized: false });
  });
});
