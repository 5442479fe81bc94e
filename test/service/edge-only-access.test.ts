import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IMAGE, stackWithVpc } from './fixtures';
import { CostConsciousStaticSite, EdgeOnlyAccess, FrontDoor, ModularMonolithService, ServiceImage } from '../../src';
import { EDGE_AUTHORIZER_CODE } from '../../src/service/private/edge-authorizer';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';

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
  test('every route has an authorizer: the header on all but GET <health path>, which reads the same value from a query parameter', () => {
    const { template } = siteAndApi();
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer') as { [id: string]: { Properties: { IdentitySource: string[] } } };
    for (const identitySource of [['$request.header.x-origin-verify'], ['$request.querystring.x-origin-verify']]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'REQUEST',
        IdentitySource: identitySource,
        EnableSimpleResponses: true,
        AuthorizerResultTtlInSeconds: 3600,
        AuthorizerPayloadFormatVersion: '2.0',
      });
    }
    const authorizerOf = (id: string) => authorizers[id].Properties.IdentitySource[0];
    const routes = template.findResources('AWS::ApiGatewayV2::Route') as {
      [id: string]: { Properties: { RouteKey: string; AuthorizationType?: string; AuthorizerId?: { Ref: string } } };
    };
    const byKey = Object.fromEntries(Object.values(routes).map((r) => [r.Properties.RouteKey,
      `${r.Properties.AuthorizationType ?? 'NONE'} ${r.Properties.AuthorizerId ? authorizerOf(r.Properties.AuthorizerId.Ref) : '-'}`]));
    expect(byKey).toEqual({
      '$default': 'CUSTOM $request.header.x-origin-verify',
      'ANY /orders': 'CUSTOM $request.header.x-origin-verify',
      'ANY /orders/{proxy+}': 'CUSTOM $request.header.x-origin-verify',
      'GET /health': 'CUSTOM $request.querystring.x-origin-verify',
    });
    // one function answers both, called through a role of API Gateway's that may invoke only it
    // (no resource policy on the function: AWS Control Tower's CT.LAMBDA.PR.2 cannot read its source ARN)
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Environment: { Variables: { HEADER_NAME: 'x-origin-verify' } } }, 1);
    template.resourcePropertiesCountIs('AWS::Lambda::Permission', { Principal: 'apigateway.amazonaws.com' }, 0);
    template.resourcePropertiesCountIs('AWS::ApiGatewayV2::Authorizer', { AuthorizerCredentialsArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('EdgeOnlyInvokeRole'), 'Arn'] } }, 2);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('EdgeOnlyAuthorizer'), 'Arn'] } }] },
      Roles: [{ Ref: Match.stringLikeRegexp('EdgeOnlyInvokeRole') }],
    });
  });

  test('the internal ALB door guards its health route the same way', () => {
    const { template } = siteAndApi(FrontDoor.httpApiInternalAlb({ edgeOnly: EdgeOnlyAccess.stackSecret() }));
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Array<{ Properties: { RouteKey: string; AuthorizationType?: string } }>;
    expect(routes.map((r) => `${r.Properties.RouteKey} ${r.Properties.AuthorizationType}`).sort()).toEqual(['$default CUSTOM', 'GET /health CUSTOM']);
  });

  test('a health check you run yourself requests the health path with the value in the query parameter', () => {
    const access = EdgeOnlyAccess.stackSecret({ headerName: 'x-from-edge' });
    const { stack } = siteAndApi(FrontDoor.httpApiCloudMap({ edgeOnly: access }));
    expect(access.queryParameterName).toBe('x-from-edge');
    expect(stack.resolve(access.healthCheckPathFor(stack, '/health'))).toEqual({ 'Fn::Join': ['', ['/health?x-from-edge=', STACK_UUID]] });
    expect(stack.resolve(access.healthCheckPathFor(stack, '/health?deep=1'))).toEqual({ 'Fn::Join': ['', ['/health?deep=1&x-from-edge=', STACK_UUID]] });
  });

  test('the access log records neither the query string nor headers, which carry the value', () => {
    const { template } = siteAndApi();
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as { Properties: { AccessLogSettings: { Format: string } } };
    const recorded = Object.values(JSON.parse(stage.Properties.AccessLogSettings.Format) as { [key: string]: string });
    expect(recorded.filter((v) => /querystring|header|\$request|\$input|rawQuery/i.test(v))).toEqual([]);
    expect(recorded).toContain('$context.path'); // the path alone: HTTP APIs' $context.path has no query string
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
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health', AuthorizationType: 'CUSTOM' });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Origins: Match.arrayWith([Match.objectLike({ OriginCustomHeaders: [{ HeaderName: 'x-from-edge', HeaderValue: value }] })]) }),
    });
  });

  test('a secret you keep must be safe in a query string: a literal with other characters fails at synth, without showing it', () => {
    const build = (value: string) => () => siteAndApi(FrontDoor.httpApiCloudMap({
      edgeOnly: EdgeOnlyAccess.fromSecret(SecretValue.unsafePlainText(value)),
    }));
    expect(build('abc&x=1 y')).toThrow("`frontDoor.edgeOnly` must be a secret of letters, digits, '-', '_', '.' and '~' only (it is sent in a query string), got: '(a `fromSecret` value, not shown)'");
    expect(build('abc&x=1 y')).not.toThrow(/abc&x/);
    expect(build('Abc-123_x.y~z')).not.toThrow();
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

  test('passes AWS Control Tower\'s CT.APIGATEWAY.PR.5 (every route has an authorizer, the health route too) and CT.LAMBDA.PR.2', () => {
    const { stack } = siteAndApi();
    const failures = controlTowerFailures([stack]).get(stack.stackName)!;
    expect(failures.get('CT.APIGATEWAY.PR.5')).toBeUndefined();
    expect(failures.get('CT.LAMBDA.PR.2')).toBeUndefined();
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
  const VALUE = '0b1c2d3e-aaaa-bbbb-cccc-1234567890ab';
  // what API Gateway sends (payload 2.0): identitySource holds the values of the authorizer's identity
  // sources, the value its answer is cached under
  const viaHeader = (value: string | undefined, query?: { [name: string]: string }) => handler({
    version: '2.0',
    type: 'REQUEST',
    routeKey: '$default',
    identitySource: value === undefined ? undefined : [value],
    headers: value === undefined ? {} : { 'x-origin-verify': value },
    queryStringParameters: query,
  });
  const viaQuery = (value: string, headers: { [name: string]: string } = {}) => handler({
    version: '2.0',
    type: 'REQUEST',
    routeKey: 'GET /health',
    identitySource: [value],
    headers,
    queryStringParameters: { 'x-origin-verify': value },
    rawQueryString: `x-origin-verify=${value}`,
  });

  beforeEach(() => {
    process.env.HEADER_NAME = 'X-Origin-Verify';
    process.env.EXPECTED_VALUE = VALUE;
  });
  afterAll(() => {
    delete process.env.HEADER_NAME;
    delete process.env.EXPECTED_VALUE;
  });

  test('lets the distribution through (API Gateway lower-cases header names)', async () => {
    await expect(viaHeader(VALUE)).resolves.toEqual({ isAuthorized: true });
  });

  test('lets a health check through with the value in the query parameter', async () => {
    await expect(viaQuery(VALUE)).resolves.toEqual({ isAuthorized: true });
  });

  test.each([
    ['a wrong value of the same length', '0b1c2d3e-aaaa-bbbb-cccc-1234567890ac'],
    ['a prefix of the value', '0b1c2d3e'],
    ['an empty value', ''],
  ])('refuses %s, in the header or in the query parameter', async (_what, value) => {
    await expect(viaHeader(value)).resolves.toEqual({ isAuthorized: false });
    await expect(viaQuery(value)).resolves.toEqual({ isAuthorized: false });
  });

  test('refuses a request without the value, or without an event', async () => {
    await expect(viaHeader(undefined)).resolves.toEqual({ isAuthorized: false });
    await expect(handler({ version: '2.0', type: 'REQUEST', routeKey: '$default' })).resolves.toEqual({ isAuthorized: false });
    await expect(handler(undefined)).resolves.toEqual({ isAuthorized: false });
  });

  test('judges only the value its answer is cached under: a right header does not open the health route to a wrong parameter', async () => {
    await expect(viaQuery('wrong', { 'x-origin-verify': VALUE })).resolves.toEqual({ isAuthorized: false });
    await expect(viaHeader('wrong', { 'x-origin-verify': VALUE })).resolves.toEqual({ isAuthorized: false });
  });

  test('takes the value from nowhere but the header or the query parameter', async () => {
    const elsewhere = { version: '2.0', type: 'REQUEST', routeKey: '$default', identitySource: [VALUE], headers: { 'x-other': VALUE }, cookies: [`x-origin-verify=${VALUE}`] };
    await expect(handler(elsewhere)).resolves.toEqual({ isAuthorized: false });
  });

  test('refuses everything when no value was configured', async () => {
    process.env.EXPECTED_VALUE = '';
    await expect(viaHeader('')).resolves.toEqual({ isAuthorized: false });
  });
});
