import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

/** A strict policy that suits a built SPA calling an API on the same domain. */
export const DEFAULT_CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests";

const ONE_YEAR = Duration.days(365);

export interface SitePolicies {
  /** index.html and other unhashed files: revalidated on every request. */
  readonly documentCache: cloudfront.ICachePolicy;
  /** Hashed assets: cached for a year. */
  readonly assetsCache: cloudfront.ICachePolicy;
  readonly documentHeaders: cloudfront.IResponseHeadersPolicy;
  readonly assetsHeaders: cloudfront.IResponseHeadersPolicy;
}

export function createSitePolicies(scope: Construct, contentSecurityPolicy: string): SitePolicies {
  const securityHeaders: cloudfront.ResponseSecurityHeadersBehavior = {
    strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
    referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    contentSecurityPolicy: { contentSecurityPolicy, override: true },
  };
  return {
    // TTL 0 by default: CloudFront revalidates with S3 (a conditional GET) on every request, so a
    // new index.html is live at once even without an invalidation. An origin Cache-Control
    // max-age (set by CI on other files) is still honoured up to a year.
    documentCache: new cloudfront.CachePolicy(scope, 'DocumentCache', {
      comment: 'SPA documents: revalidate on every request',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: ONE_YEAR,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    }),
    // Hashed file names change whenever content changes, so a year is safe.
    assetsCache: new cloudfront.CachePolicy(scope, 'AssetsCache', {
      comment: 'SPA hashed assets: one year',
      minTtl: ONE_YEAR,
      defaultTtl: ONE_YEAR,
      maxTtl: ONE_YEAR,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    }),
    documentHeaders: new cloudfront.ResponseHeadersPolicy(scope, 'DocumentHeaders', {
      comment: 'SPA documents: security headers, no-cache unless the object says otherwise',
      securityHeadersBehavior: securityHeaders,
      customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: 'no-cache', override: false }] },
    }),
    assetsHeaders: new cloudfront.ResponseHeadersPolicy(scope, 'AssetsHeaders', {
      comment: 'SPA hashed assets: security headers, immutable for a year',
      securityHeadersBehavior: securityHeaders,
      customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: 'public, max-age=31536000, immutable', override: true }] },
    }),
  };
}
