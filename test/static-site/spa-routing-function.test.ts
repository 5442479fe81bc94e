import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SpaRoutingFunction } from '../../src/static-site';
import { SPA_ROUTING_CODE_PATH, SpaRoutingConfig, renderSpaRoutingCode } from '../../src/static-site/private/routing-code';
import { expectCompliant } from '../helpers/compliance';

interface CfRequest {
  method: string;
  uri: string;
  querystring: { [name: string]: { value: string; multiValue?: { value: string }[] } };
  headers: { [name: string]: { value: string } };
}
interface CfResponse {
  statusCode: number;
  headers: { [name: string]: { value: string } };
}
type Handler = (event: unknown) => CfRequest | CfResponse;

/** Loads the function's code, as rendered for CloudFront, into a callable handler. */
function load(config: Partial<SpaRoutingConfig> = {}): Handler {
  const code = renderSpaRoutingCode({ indexPath: '/index.html', redirectFrom: '', redirectTo: '', ...config });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(`${code}\nreturn handler;`)() as Handler;
}

/** A viewer-request event as CloudFront Functions (cloudfront-js-2.0) receive it. */
function event(uri: string, host = 'd111111abcdef8.cloudfront.net', querystring: CfRequest['querystring'] = {}): unknown {
  return {
    version: '1.0',
    context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'r1' },
    viewer: { ip: '198.51.100.11' },
    request: { method: 'GET', uri, querystring, headers: { host: { value: host } }, cookies: {} },
  };
}

describe('SPA routing code (run in Node on sample viewer-request events)', () => {
  const handler = load();

  test.each([
    ['/', '/index.html'],
    ['/orders', '/index.html'],
    ['/orders/42', '/index.html'],
    ['/orders/42/', '/index.html'],
    ['/users/jane.doe/settings', '/index.html'],
  ])('navigation request %s is rewritten to %s', (uri, expected) => {
    // WHEN
    const result = handler(event(uri)) as CfRequest;
    // THEN
    expect(result.uri).toBe(expected);
  });

  test.each([
    '/favicon.ico',
    '/assets/index-4f3a9c.js',
    '/missing.png',
    '/robots.txt',
    '/index.html',
    '/.well-known/security.txt',
  ])('file request %s is left alone (a missing file still gets 404)', (uri) => {
    // WHEN
    const result = handler(event(uri)) as CfRequest;
    // THEN
    expect(result.uri).toBe(uri);
  });

  test('the rewritten request keeps method, headers and query string', () => {
    // WHEN
    const result = handler(event('/search', undefined, { q: { value: 'shoes' } })) as CfRequest;
    // THEN
    expect(result.method).toBe('GET');
    expect(result.headers.host.value).toBe('d111111abcdef8.cloudfront.net');
    expect(result.querystring).toEqual({ q: { value: 'shoes' } });
  });

  test('a custom index document is used for navigation', () => {
    // GIVEN
    const custom = load({ indexPath: '/app.html' });
    // WHEN / THEN
    expect((custom(event('/orders/1')) as CfRequest).uri).toBe('/app.html');
  });

  test('the redirect host gets a 301 to the canonical host with path and query string', () => {
    // GIVEN
    const redirecting = load({ redirectFrom: 'www.example.com', redirectTo: 'example.com' });
    // WHEN
    const result = redirecting(event('/orders/42', 'WWW.example.com', {
      a: { value: '1' },
      tag: { value: 'x', multiValue: [{ value: 'x' }, { value: 'y' }] },
    })) as CfResponse;
    // THEN
    expect(result.statusCode).toBe(301);
    expect(result.headers.location.value).toBe('https://example.com/orders/42?a=1&tag=x&tag=y');
  });

  test('the canonical host is not redirected', () => {
    // GIVEN
    const redirecting = load({ redirectFrom: 'www.example.com', redirectTo: 'example.com' });
    // WHEN
    const result = redirecting(event('/orders/42', 'example.com')) as CfRequest;
    // THEN
    expect(result.uri).toBe('/index.html');
  });

  test('the code fits CloudFront Functions\' 10 KB limit and has its CONFIG line', () => {
    const source = fs.readFileSync(SPA_ROUTING_CODE_PATH, 'utf-8');
    expect(Buffer.byteLength(renderSpaRoutingCode({ indexPath: '/index.html', redirectFrom: 'www.example.com', redirectTo: 'example.com' }))).toBeLessThan(10 * 1024);
    expect(source).toMatch(/^var CONFIG = .*;$/m);
  });
});

describe('SpaRoutingFunction', () => {
  function stack(): Stack {
    return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  }

  test('creates a cloudfront-js-2.0 function with the rendered code', () => {
    // GIVEN
    const s = stack();
    // WHEN
    new SpaRoutingFunction(s, 'Routing', { indexDocument: 'app.html', redirectFrom: 'www.example.com', redirectTo: 'example.com' });
    // THEN
    const template = Template.fromStack(s);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      AutoPublish: true,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      FunctionCode: Match.stringLikeRegexp('var CONFIG = \\{"indexPath":"/app.html","redirectFrom":"www.example.com","redirectTo":"example.com"\\};'),
    });
    expectCompliant(s);
  });

  test('rejects an index document without an extension', () => {
    expect(() => new SpaRoutingFunction(stack(), 'R', { indexDocument: 'index' })).toThrow("`indexDocument` must be a file name with an extension, e.g. 'index.html', got: 'index'");
  });

  test('rejects a redirect source without a target', () => {
    expect(() => new SpaRoutingFunction(stack(), 'R', { redirectFrom: 'www.example.com' })).toThrow('`redirectTo` is required when `redirectFrom` is set');
  });

  test('rejects a redirect target without a source', () => {
    expect(() => new SpaRoutingFunction(stack(), 'R', { redirectTo: 'example.com' })).toThrow('`redirectFrom` is required when `redirectTo` is set');
  });

  test('rejects a malformed host name', () => {
    expect(() => new SpaRoutingFunction(stack(), 'R', { redirectFrom: 'https://www.example.com', redirectTo: 'example.com' })).toThrow("`redirectFrom` must be a host name, e.g. 'www.example.com'");
  });
});
