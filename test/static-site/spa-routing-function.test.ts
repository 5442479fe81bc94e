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
  const code = renderSpaRoutingCode({
    indexPath: '/index.html', redirectFrom: '', redirectTo: '', assetExtensions: SpaRoutingFunction.DEFAULT_ASSET_EXTENSIONS, ...config,
  });
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
    // A dot inside a client route is not a file extension.
    ['/users/jane.doe', '/index.html'],
    ['/releases/v1.2.3', '/index.html'],
    ['/search/node.js%20tips', '/index.html'],
    ['/profile/@john.smith', '/index.html'],
    ['/orders/2024.10', '/index.html'],
    ['/docs/README.', '/index.html'],
    ['/.env', '/index.html'],
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
    '/.well-known/apple-app-site-association',
    '/.well-known/assetlinks.json',
    '/.well-known/openid-configuration',
    '/.well-known',
    '/manifest.webmanifest',
    '/sitemap.xml',
    '/assets/app.js.map',
    '/fonts/Inter.WOFF2',
    '/LOGO.PNG',
    '/app.wasm',
    '/docs/guide.pdf',
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

  test('custom asset extensions decide what is a file', () => {
    // GIVEN
    const custom = load({ assetExtensions: ['glb', 'html'] });
    // WHEN / THEN
    expect((custom(event('/models/car.glb')) as CfRequest).uri).toBe('/models/car.glb');
    expect((custom(event('/logo.png')) as CfRequest).uri).toBe('/index.html');
    expect((custom(event('/.well-known/apple-app-site-association')) as CfRequest).uri).toBe('/.well-known/apple-app-site-association');
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
    expect(Buffer.byteLength(renderSpaRoutingCode({
      indexPath: '/index.html', redirectFrom: 'www.example.com', redirectTo: 'example.com', assetExtensions: SpaRoutingFunction.DEFAULT_ASSET_EXTENSIONS,
    }))).toBeLessThan(10 * 1024);
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
      FunctionCode: Match.stringLikeRegexp('var CONFIG = \\{"indexPath":"/app.html","redirectFrom":"www.example.com","redirectTo":"example.com","assetExtensions":\\["html","htm","js",.*"wasm",.*\\]\\};'),
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

  test('bakes custom asset extensions into the code, lower-cased and without duplicates', () => {
    // GIVEN
    const s = stack();
    // WHEN
    new SpaRoutingFunction(s, 'Routing', { assetExtensions: ['HTML', 'js', 'html', 'glb'] });
    // THEN
    Template.fromStack(s).hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp('"assetExtensions":\\["html","js","glb"\\]\\};'),
    });
  });

  test('rejects an empty list of asset extensions', () => {
    expect(() => new SpaRoutingFunction(stack(), 'R', { assetExtensions: [] })).toThrow("`assetExtensions` must be at least one file extension, e.g. ['html', 'js', 'css'], got: []");
  });

  test('rejects an asset extension with its dot', () => {
    expect(() => new SpaRoutingFunction(stack(), 'R', { assetExtensions: ['png', '.svg'] })).toThrow("`assetExtensions[1]` must be a file extension of letters and digits without the dot, e.g. 'png', got: '.svg'");
  });

  test('rejects a malformed host name', () => {
    expect(() => new SpaRoutingFunction(stack(), 'R', { redirectFrom: 'https://www.example.com', redirectTo: 'example.com' })).toThrow("`redirectFrom` must be a host name, e.g. 'www.example.com'");
  });
});
