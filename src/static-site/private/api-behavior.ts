import * as fs from 'fs';
import * as path from 'path';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';
import { checkPattern, invalid } from '../../private/validate';

/** Where the prefix-stripping function's source lives (shipped in the npm package under assets/). */
export const API_PREFIX_CODE_PATH = path.join(__dirname, '..', '..', '..', 'assets', 'static-site', 'api-prefix.js');

/** A CloudFront path pattern that is a plain prefix: `/api/*`, `/backend/v1/*`. */
export const PREFIX_PATTERN = /^(\/[A-Za-z0-9_\-.~@:+&]+)+\/\*$/;

const CONFIG_LINE = /^var CONFIG = .*;$/m;

/**
 * The prefix-stripping function's code for a prefix such as `/api`. The same text runs in
 * CloudFront and in the unit tests.
 */
export function renderApiPrefixCode(prefix: string): string {
  const source = fs.readFileSync(API_PREFIX_CODE_PATH, 'utf-8');
  if (!CONFIG_LINE.test(source)) throw new Error(`${API_PREFIX_CODE_PATH} has lost its 'var CONFIG = ...;' line`);
  return source.replace(CONFIG_LINE, () => `var CONFIG = ${JSON.stringify({ prefix })};`);
}

export interface ApiBehaviorOptions {
  readonly apiOrigin?: cloudfront.IOrigin;
  readonly apiDomainName?: string;
  readonly apiOriginHeaders?: { [name: string]: string };
  readonly pathPattern: string;
  readonly stripPrefix: boolean;
}

/**
 * Routes the API path pattern to the API, uncached, with every method. The viewer's Host header
 * is not forwarded: API Gateway's execute-api endpoint (and any origin with its own certificate)
 * routes on its own host name, so the managed AllViewerExceptHostHeader policy is used. With
 * `stripPrefix`, a viewer-request function removes the pattern's prefix, so that the API's own
 * routes (`/orders/*`) match. Returns the function, if any.
 */
export function addApiBehavior(
  scope: Construct,
  distribution: cloudfront.Distribution,
  options: ApiBehaviorOptions,
): cloudfront.Function | undefined {
  const headers = options.apiOriginHeaders;
  if (headers !== undefined && Object.keys(headers).length > 0 && options.apiDomainName === undefined) {
    invalid(scope, 'apiOriginHeaders', Object.keys(headers), 'given only with `apiDomainName` (add headers to your own `apiOrigin` with its `customHeaders`)');
  }
  for (const name of Object.keys(headers ?? {})) {
    checkPattern(scope, 'apiOriginHeaders', name, /^[A-Za-z0-9-]{1,128}$/, 'header names of letters, digits and hyphens');
  }
  const origin = options.apiOrigin ?? (options.apiDomainName !== undefined
    ? new origins.HttpOrigin(options.apiDomainName, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: headers !== undefined && Object.keys(headers).length > 0 ? headers : undefined,
    })
    : undefined);
  if (!origin) return undefined;
  const prefixFunction = options.stripPrefix
    ? new cloudfront.Function(scope, 'ApiPrefix', {
      comment: `Strips ${options.pathPattern.slice(0, -2)} before the API sees the path`,
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(renderApiPrefixCode(options.pathPattern.slice(0, -2))),
    })
    : undefined;
  distribution.addBehavior(options.pathPattern, origin, {
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
    allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
    cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
    originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    compress: true,
    functionAssociations: prefixFunction ? [{ function: prefixFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }] : undefined,
  });
  return prefixFunction;
}
