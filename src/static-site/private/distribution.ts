import { Annotations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SiteDomain } from './domain';
import { createSitePolicies } from './policies';

/** What the site's distribution is made of, resolved by the site. */
export interface DistributionInput {
  readonly bucket: s3.IBucket;
  readonly indexDocument: string;
  readonly hashedAssetsPath: string;
  readonly priceClass?: cloudfront.PriceClass;
  readonly contentSecurityPolicy: string;
  readonly domain?: SiteDomain;
  readonly webAclArn?: string;
  /** The access log bucket; access logs are on when it is given. */
  readonly logBucket?: s3.IBucket;
  /** The SPA routing function, on the default behavior's viewer requests. */
  readonly routingFunction: cloudfront.IFunction;
}

/**
 * The site's distribution: documents revalidated on every request through the SPA routing
 * function, hashed assets cached for a year, both with the site's security headers.
 */
export function createDistribution(site: Construct, input: DistributionInput): cloudfront.Distribution {
  const policies = createSitePolicies(site, input.contentSecurityPolicy);
  // READ and LIST: with s3:ListBucket, S3 answers a missing key with 404 (not 403), so a missing
  // asset stays a visible 404 instead of looking like an access problem.
  const siteOrigin = origins.S3BucketOrigin.withOriginAccessControl(input.bucket, {
    originAccessLevels: [cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
  });
  const accessLogs = input.logBucket !== undefined;
  const distribution = new cloudfront.Distribution(site, 'Distribution', {
    comment: `${site.node.path}`.slice(0, 128),
    defaultRootObject: input.indexDocument,
    priceClass: input.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    domainNames: input.domain?.names,
    certificate: input.domain?.certificate,
    webAclId: input.webAclArn,
    enableLogging: accessLogs ? true : undefined,
    logBucket: input.logBucket,
    logFilePrefix: accessLogs ? 'cloudfront/' : undefined,
    defaultBehavior: {
      origin: siteOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      compress: true,
      cachePolicy: policies.documentCache,
      responseHeadersPolicy: policies.documentHeaders,
      functionAssociations: [{ function: input.routingFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    },
    additionalBehaviors: {
      [input.hashedAssetsPath]: {
        origin: siteOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        compress: true,
        cachePolicy: policies.assetsCache,
        responseHeadersPolicy: policies.assetsHeaders,
      },
    },
  });
  // aws-cdk-lib warns about any LIST access level, in case a request for `/` lists the bucket:
  // the default root object (and the SPA routing function) answer `/` with the index document.
  Annotations.of(distribution).acknowledgeWarning('@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
    'The distribution has a default root object, so `/` never lists the bucket.');
  return distribution;
}
