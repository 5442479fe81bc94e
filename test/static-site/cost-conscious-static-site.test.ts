import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Profile } from '../../src/core/profile';
import { CostConsciousStaticSite, CostConsciousStaticSiteProps } from '../../src/static-site';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';
import { GRANTS_ONLY_FOR_AWS_RESOURCES } from '../helpers/kms';
import { expectAccessLogsAdmitted } from '../helpers/s3';

function newStack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function synth(props: CostConsciousStaticSiteProps = {}): { stack: Stack; site: CostConsciousStaticSite; template: Template } {
  const stack = newStack();
  const site = new CostConsciousStaticSite(stack, 'Site', props);
  return { stack, site, template: Template.fromStack(stack) };
}

type Ref = { Ref: string };
/** The fields of a synthesized cache behavior (default or path-based) that these tests read. */
type CacheBehavior = {
  PathPattern: string;
  CachePolicyId: Ref;
  ResponseHeadersPolicyId: Ref;
  TargetOriginId: string;
  FunctionAssociations?: unknown[];
};
/** The fields of a synthesized origin that these tests read. */
type Origin = { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig: { OriginAccessIdentity: string } };
/** The fields of a synthesized `DistributionConfig` that these tests read. */
type DistributionConfig = {
  DefaultCacheBehavior: CacheBehavior;
  CacheBehaviors: CacheBehavior[];
  Origins: Origin[];
  Logging?: unknown;
  PriceClass?: string;
  CustomErrorResponses?: unknown;
};

/** The distribution's config. */
function distributionConfig(template: Template): DistributionConfig {
  const dists = template.findResources('AWS::CloudFront::Distribution');
  expect(Object.keys(dists)).toHaveLength(1);
  return Object.values(dists)[0].Properties.DistributionConfig;
}

function buildDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-build-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script src="/assets/app-1a2b3c.js"></script>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  return dir;
}

describe('storage', () => {
  test('a private, versioned, TLS-only, SSE-S3 bucket with ACLs disabled, retained in production', () => {
    // WHEN
    const { template } = synth();
    // THEN
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' })]) },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('development removes the bucket with its objects and creates no log bucket', () => {
    // WHEN
    const { template, site } = synth({ profile: Profile.DEVELOPMENT });
    // THEN
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    expect(site.logBucket).toBeUndefined();
    expect(distributionConfig(template).Logging).toBeUndefined();
  });

  test('the noncurrent version window is configurable', () => {
    const { template } = synth({ noncurrentVersionExpiration: Duration.days(7) });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } })]) },
    });
  });

  test('the key it creates denies grants except for AWS resources, and its buckets send events to EventBridge', () => {
    const { template } = synth({ customerManagedKey: true });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([GRANTS_ONLY_FOR_AWS_RESOURCES]),
      },
    });
    for (const [, bucket] of Object.entries(template.findResources('AWS::S3::Bucket'))) {
      expect((bucket as { Properties: { NotificationConfiguration?: unknown } }).Properties.NotificationConfiguration)
        .toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    }
  });

  test('customerManagedKey creates a rotated key and uses SSE-KMS with a bucket key', () => {
    const { template } = synth({ customerManagedKey: true });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true, ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
    });
  });

  test('customerManagedKey: the log bucket is encrypted with the site key, which admits its log deliverers and CloudFront\'s reads', () => {
    // WHEN
    const { stack, site, template } = synth({ customerManagedKey: true });
    // THEN
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    const logBucket = template.toJSON().Resources[stack.getLogicalId(site.logBucket!.node.defaultChild as s3.CfnBucket)];
    expect(logBucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }],
    });
    const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          // S3 server access logs of this account's buckets (the site bucket and the log bucket itself)
          {
            Sid: 'S3ServerAccessLogsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': partitionArn(':s3:::*') } },
          },
          // CloudFront standard logs, as the CloudFront Developer Guide asks of a customer managed key
          {
            Sid: 'CloudFrontStandardLogsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          },
          // the distribution reads SSE-KMS objects through its Origin Access Control (aws-cdk-lib's
          // statement: distributions of this account, as naming this one would be a circular reference)
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 'kms:Decrypt',
            Condition: { ArnLike: { 'AWS:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/*']] } } },
          }),
        ]),
      },
    });
    expectCompliant(stack);
  });

  test('your own encryptionKey: the log bucket stays SSE-S3 and your key policy gets no log deliverers', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'Mine', { enableKeyRotation: true });
    // WHEN
    const site = new CostConsciousStaticSite(stack, 'Site', { encryptionKey: key });
    // THEN
    const template = Template.fromStack(stack);
    const logBucket = template.toJSON().Resources[stack.getLogicalId(site.logBucket!.node.defaultChild as s3.CfnBucket)];
    expect(logBucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    const keyPolicy = JSON.stringify(template.toJSON().Resources[stack.getLogicalId(key.node.defaultChild as kms.CfnKey)].Properties.KeyPolicy);
    expect(keyPolicy).not.toContain('logging.s3.amazonaws.com');
    expect(keyPolicy).not.toContain('delivery.logs.amazonaws.com');
  });

  test('objectLock turns on Object Lock without a default retention on the site bucket and the log bucket', () => {
    // WHEN
    const { stack, site, template } = synth({ objectLock: true });
    // THEN
    for (const bucket of [site.bucket, site.logBucket!]) {
      const properties = template.toJSON().Resources[stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)].Properties;
      expect(properties.ObjectLockEnabled).toBe(true);
      // S3 refuses to deliver server access logs to a bucket with a default retention
      expect(properties.ObjectLockConfiguration).toBeUndefined();
    }
    expectCompliant(stack);
  });

  test('without objectLock no bucket has Object Lock', () => {
    const { template } = synth();
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) expect(bucket.Properties.ObjectLockEnabled).toBeUndefined();
  });

  test('bring your own bucket: no bucket is created and the origin uses it', () => {
    // GIVEN
    const stack = newStack();
    const mine = new s3.Bucket(stack, 'Mine', { enforceSSL: true });
    // WHEN
    const site = new CostConsciousStaticSite(stack, 'Site', { bucket: mine, accessLogs: false });
    // THEN
    const template = Template.fromStack(stack);
    expect(site.bucket).toBe(mine);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    expect(JSON.stringify(distributionConfig(template).Origins[0].DomainName)).toContain(stack.getLogicalId(mine.node.defaultChild as s3.CfnBucket));
  });

  test.each<[string, CostConsciousStaticSiteProps, string]>([
    ['bucket + encryptionKey', { encryptionKey: {} as kms.IKey }, '`bucket` and `encryptionKey` cannot both be set'],
    ['bucket + customerManagedKey', { customerManagedKey: true }, '`bucket` and `customerManagedKey` cannot both be set'],
    ['bucket + noncurrentVersionExpiration', { noncurrentVersionExpiration: Duration.days(3) }, '`bucket` and `noncurrentVersionExpiration` cannot both be set'],
    ['bucket + objectLock', { objectLock: true }, '`bucket` and `objectLock` cannot both be set'],
  ])('rejects conflicting bucket props: %s', (_name, extra, message) => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'my-site');
    expect(() => new CostConsciousStaticSite(stack, 'Site', { bucket, ...extra })).toThrow(message);
  });

  test('rejects encryptionKey with customerManagedKey', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'K');
    expect(() => new CostConsciousStaticSite(stack, 'Site', { encryptionKey: key, customerManagedKey: true })).toThrow('`encryptionKey` and `customerManagedKey` cannot both be set');
  });

  test('rejects a noncurrent version window under a day', () => {
    expect(() => synth({ noncurrentVersionExpiration: Duration.hours(36) })).toThrow('`noncurrentVersionExpiration` must be a whole number of days, at least 1, got: \'1 day 12 hours\'');
  });
});

describe('delivery', () => {
  test('OAC (not OAI), HTTPS, HTTP/2 and 3, price class 100, default root object, IPv6', () => {
    // WHEN
    const { template } = synth();
    // THEN
    const config = distributionConfig(template);
    expect(config).toMatchObject({
      HttpVersion: 'http2and3',
      PriceClass: 'PriceClass_100',
      DefaultRootObject: 'index.html',
      IPV6Enabled: true,
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', Compress: true, AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
    });
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
  });

  test('the bucket lets only this distribution read and list (so missing keys are 404, not 403)', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: ['s3:GetObject', 's3:ListBucket'],
          Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
        })]),
      },
    });
  });

  test('the price class is configurable', () => {
    const { template } = synth({ priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL });
    expect(distributionConfig(template).PriceClass).toBe('PriceClass_All');
  });

  test('security headers, with a default and a custom content security policy', () => {
    // GIVEN / WHEN
    const { template } = synth({ contentSecurityPolicy: "default-src 'self'; connect-src 'self' https://api.example.com" });
    // THEN
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'self'; connect-src 'self' https://api.example.com", Override: true },
        },
      }),
    });
    const defaults = synth().template;
    defaults.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({ ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp("^default-src 'self';.*frame-ancestors 'none'"), Override: true } }),
      }),
    });
  });
});

describe('SPA routing and caching', () => {
  test('the routing function runs on the default behavior only', () => {
    // WHEN
    const { template } = synth({ apiDomainName: 'abc123.execute-api.eu-west-1.amazonaws.com' });
    // THEN
    const config = distributionConfig(template);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request', FunctionARN: expect.anything() })]);
    // The SPA routing function runs on the default behavior only; the API behavior runs only the
    // function that strips its prefix, the hashed assets none.
    const routingFunction = (config.DefaultCacheBehavior.FunctionAssociations as Array<{ FunctionARN: unknown }>)[0].FunctionARN;
    for (const behavior of config.CacheBehaviors) {
      expect(JSON.stringify(behavior.FunctionAssociations ?? [])).not.toContain(JSON.stringify(routingFunction));
    }
    expect(config.CacheBehaviors.find((b) => b.PathPattern === '/assets/*')!.FunctionAssociations).toBeUndefined();
    template.resourceCountIs('AWS::CloudFront::Function', 2);
  });

  test('no global error response hides 403/404 behind index.html', () => {
    const { template } = synth();
    expect(distributionConfig(template).CustomErrorResponses).toBeUndefined();
  });

  test('index.html is revalidated on every request; hashed assets are cached for a year as immutable', () => {
    // WHEN
    const { template, stack } = synth();
    // THEN
    const config = distributionConfig(template);
    const policies = template.findResources('AWS::CloudFront::CachePolicy');
    const byRef = (ref: Ref) => policies[ref.Ref].Properties.CachePolicyConfig;
    expect(byRef(config.DefaultCacheBehavior.CachePolicyId)).toMatchObject({ MinTTL: 0, DefaultTTL: 0 });
    const assets = config.CacheBehaviors.find((b) => b.PathPattern === '/assets/*')!;
    expect(byRef(assets.CachePolicyId)).toMatchObject({ MinTTL: 31536000, DefaultTTL: 31536000, MaxTTL: 31536000 });
    const headers = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    expect(headers[assets.ResponseHeadersPolicyId.Ref].Properties.ResponseHeadersPolicyConfig.CustomHeadersConfig.Items)
      .toEqual([{ Header: 'Cache-Control', Value: 'public, max-age=31536000, immutable', Override: true }]);
    expect(headers[config.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref].Properties.ResponseHeadersPolicyConfig.CustomHeadersConfig.Items)
      .toEqual([{ Header: 'Cache-Control', Value: 'no-cache', Override: false }]);
    expect(stack).toBeDefined();
  });

  test('the hashed assets path is configurable', () => {
    const { template } = synth({ hashedAssetsPath: '/static/*' });
    expect(distributionConfig(template).CacheBehaviors.map((b) => b.PathPattern)).toEqual(['/static/*']);
  });

  test.each([
    ['assets/*', "`hashedAssetsPath` must be a path prefix ending in '/*', e.g. '/assets/*', got: 'assets/*'"],
    ['/assets', "`hashedAssetsPath` must be a path prefix ending in '/*', e.g. '/assets/*', got: '/assets'"],
    ['/as sets/*', "`hashedAssetsPath` must be a path prefix ending in '/*'"],
  ])('rejects a malformed hashed assets path %s', (value, message) => {
    expect(() => synth({ hashedAssetsPath: value })).toThrow(message);
  });
});

describe('API origin', () => {
  test('the API path goes to the API uncached, all viewer headers but Host, all methods', () => {
    // WHEN
    const { template } = synth({ apiDomainName: 'abc123.execute-api.eu-west-1.amazonaws.com' });
    // THEN
    const config = distributionConfig(template);
    const api = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*');
    expect(api).toMatchObject({
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
    });
    const origin = config.Origins.find((o) => o.Id === api!.TargetOriginId);
    expect(origin).toMatchObject({
      DomainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
  });

  test('an IOrigin and a custom path pattern are accepted', () => {
    const { template } = synth({ apiOrigin: new origins.HttpOrigin('api.example.com'), apiPathPattern: '/backend/*' });
    const config = distributionConfig(template);
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toContain('/backend/*');
    expect(config.Origins.map((o) => o.DomainName)).toContain('api.example.com');
  });

  test('rejects both apiOrigin and apiDomainName', () => {
    expect(() => synth({ apiOrigin: new origins.HttpOrigin('a.example.com'), apiDomainName: 'b.example.com' })).toThrow('`apiOrigin` and `apiDomainName` cannot both be set');
  });

  test('rejects an API domain given as a URL', () => {
    expect(() => synth({ apiDomainName: 'https://abc.execute-api.eu-west-1.amazonaws.com/' })).toThrow('`apiDomainName` must be a host name without scheme or path');
  });

  test('rejects a malformed API path pattern', () => {
    expect(() => synth({ apiDomainName: 'api.example.com', apiPathPattern: 'api/*' })).toThrow("`apiPathPattern` must be a CloudFront path pattern starting with '/', e.g. '/api/*', got: 'api/*'");
  });

  test('rejects an API path pattern without an API', () => {
    expect(() => synth({ apiPathPattern: '/api/*' })).toThrow('`apiPathPattern` must be given only with `apiOrigin` or `apiDomainName`');
  });

  test('rejects an API path equal to the assets path', () => {
    expect(() => synth({ apiDomainName: 'api.example.com', apiPathPattern: '/assets/*' })).toThrow('`apiPathPattern` must be different from `hashedAssetsPath`');
  });
});

describe('access logs', () => {
  test('production logs CloudFront and S3 to a log bucket that accepts CloudFront\'s ACL grant and expires logs', () => {
    // WHEN
    const { template, site, stack } = synth();
    // THEN
    expect(site.logBucket).toBeDefined();
    const logBucketId = stack.getLogicalId(site.logBucket!.node.defaultChild as s3.CfnBucket);
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30 })]) },
    });
    expect(distributionConfig(template).Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' });
  });

  test.each([
    ['without', {}],
    ['with', { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true }],
  ])('%s the bucket-policy feature flag, S3 access logs come in through the log bucket\'s policy, never an ACL', (_, context) => {
    // GIVEN an app with or without aws-cdk-lib's feature flag
    const stack = new Stack(new App({ context }), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    // WHEN
    const site = new CostConsciousStaticSite(stack, 'Site', { profile: Profile.COST_CONSCIOUS_PRODUCTION });
    // THEN no bucket carries a canned ACL (AWS Control Tower CT.S3.PR.5)
    const template = Template.fromStack(stack);
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) expect(bucket.Properties.AccessControl).toBeUndefined();
    const logBucketId = stack.getLogicalId(site.logBucket!.node.defaultChild as s3.CfnBucket);
    const siteBucketId = stack.getLogicalId(site.bucket.node.defaultChild as s3.CfnBucket);
    // the site bucket logs to the log bucket under s3/, which the logging service may write to for that bucket only
    expect(template.toJSON().Resources[siteBucketId].Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 's3/' });
    expectAccessLogsAdmitted(template, { logBucketId, sourceId: siteBucketId, sid: 'S3ServerAccessLogsForTheSiteBucket', prefix: 's3/', account: '111111111111' });
    // ours only (the site bucket's and the log bucket's own): aws-cdk-lib's (with the flag) is not added next to them
    const statements = Object.values(template.findResources('AWS::S3::BucketPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Sid?: string; Principal?: { Service?: string } }>)
      .filter((st) => st.Principal?.Service === 'logging.s3.amazonaws.com');
    expect(statements.map((st) => st.Sid).sort()).toEqual(['S3ServerAccessLogsForTheSiteBucket', 'S3ServerAccessLogsOfThisBucket']);
    // CloudFront's standard logs still need ACLs on the log bucket (it grants its own account)
    expect(template.toJSON().Resources[logBucketId].Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
    expectCompliant(stack);
  });

  test('the log bucket logs its own access under self/, admitted by its own policy for itself only', () => {
    // WHEN
    const { stack, site, template } = synth();
    // THEN no destination: S3 logs to the bucket itself (naming itself would be a circular reference)
    const logBucketId = stack.getLogicalId(site.logBucket!.node.defaultChild as s3.CfnBucket);
    expect(template.toJSON().Resources[logBucketId].Properties.LoggingConfiguration).toEqual({ LogFilePrefix: 'self/' });
    expectAccessLogsAdmitted(template, { logBucketId, sourceId: logBucketId, sid: 'S3ServerAccessLogsOfThisBucket', prefix: 'self/', account: '111111111111' });
    // and its logging is no longer an acknowledged finding
    const acknowledged = JSON.stringify(site.logBucket!.node.defaultChild!.node.metadata) + JSON.stringify(site.logBucket!.node.metadata);
    expect(acknowledged).toContain('S3DefaultEncryptionKMS');
    expect(acknowledged).not.toContain('S3BucketLoggingEnabled');
  });

  test('the retention is configurable and logs can be turned on in development', () => {
    const { template } = synth({ profile: Profile.DEVELOPMENT, accessLogs: true, accessLogRetention: Duration.days(14) });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 14 })]) },
    });
  });

  test('rejects a retention with logs off', () => {
    expect(() => synth({ accessLogs: false, accessLogRetention: Duration.days(14) })).toThrow('`accessLogRetention` must be given only when access logs are on');
  });
});

describe('quick-start deployment', () => {
  test('uploads hashed assets with a year-long cache first, then the rest with no-cache and an invalidation', () => {
    // WHEN
    const { template, site } = synth({ profile: Profile.DEVELOPMENT, buildDirectory: buildDir() });
    // THEN
    const deployments = template.findResources('Custom::CDKBucketDeployment');
    const list = Object.entries(deployments);
    expect(list).toHaveLength(2);
    const assets = list.find(([, r]) => r.Properties.Include)!;
    const rest = list.find(([, r]) => !r.Properties.Include)!;
    expect(assets[1].Properties).toMatchObject({ Include: ['assets/*'], Exclude: ['*'], Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(rest[1].Properties).toMatchObject({ Exclude: ['assets/*'], SystemMetadata: { 'cache-control': 'no-cache' }, DistributionPaths: ['/*'] });
    expect(rest[1].Properties.DistributionId).toBeDefined();
    expect(rest[1].DependsOn).toEqual(expect.arrayContaining([assets[0]]));
    expect(site.deployment).toBeDefined();
  });

  test('a missing build directory is refused by our prop name first', () => {
    const missing = path.join(os.tmpdir(), 'no-such-site-build-dir');
    expect(() => synth({ buildDirectory: missing })).toThrow(
      `[S/Site] \`buildDirectory\` must be an existing directory with the built site (run the build first), got: '${missing}' (`);
  });
});

describe('SPA routing', () => {
  test('the site passes its asset extensions to the routing function', () => {
    // WHEN
    const { template } = synth({ assetExtensions: ['html', 'js', 'glb'] });
    // THEN
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp('"assetExtensions":\\["html","js","glb"\\]'),
    });
  });
});

describe('outputs and compliance', () => {
  test('exposes the distribution domain as domainName and url', () => {
    const { site, stack } = synth();
    const distributionId = stack.getLogicalId(site.distribution.node.defaultChild as cloudfront.CfnDistribution);
    expect(stack.resolve(site.url)).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] });
    expect(site.domainName).toBe(site.distribution.distributionDomainName);
    expect(site.deployRole).toBeUndefined();
    expect(site.attachedWebAclArn).toBeUndefined();
  });

  test('no fixed monthly cost with defaults: no WAF, no KMS key, no Lambda', () => {
    const { template } = synth({ profile: Profile.DEVELOPMENT });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).length).toBeLessThanOrEqual(1); // only the dev auto-delete provider
  });

  test.each([
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION],
    ['highly available production', Profile.HIGHLY_AVAILABLE_PRODUCTION],
  ])('is compliant in %s with defaults', (_name, profile) => {
    const stack = newStack();
    new CostConsciousStaticSite(stack, 'Site', { profile });
    expectCompliant(stack);
  });

  test.each([
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION],
  ])('is compliant in %s with a KMS key, an API, a deploy role and a quick deployment', (_name, profile) => {
    const stack = newStack();
    new CostConsciousStaticSite(stack, 'Site', {
      profile,
      customerManagedKey: true,
      apiDomainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      gitHubDeploy: { repository: 'my-org/my-spa' },
      buildDirectory: buildDir(),
    });
    expectCompliant(stack);
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });
});

describe('AWS Control Tower', () => {
  test('with customerManagedKey and objectLock in cost-conscious production, every bucket passes CT.S3.PR.2, .9 and .10', () => {
    // GIVEN
    const stack = newStack();
    new CostConsciousStaticSite(stack, 'Site', { profile: Profile.COST_CONSCIOUS_PRODUCTION, customerManagedKey: true, objectLock: true });
    // WHEN
    const failures = controlTowerFailures([stack]).get(stack.stackName)!;
    // THEN
    for (const control of ['CT.S3.PR.2', 'CT.S3.PR.9', 'CT.S3.PR.10']) expect([control, failures.get(control) ?? []]).toEqual([control, []]);
    expectCompliant(stack);
  });
});

describe('growth without loss', () => {
  test('switching profile keeps the site bucket: same logical id, no name, same encryption and versioning', () => {
    // GIVEN / WHEN: the same site in each profile
    const buckets = [Profile.DEVELOPMENT, Profile.COST_CONSCIOUS_PRODUCTION, Profile.HIGHLY_AVAILABLE_PRODUCTION].map((profile) => {
      const { stack, site } = synth({ profile });
      const logicalId = stack.getLogicalId(site.bucket.node.defaultChild as s3.CfnBucket);
      const properties = Template.fromStack(stack).toJSON().Resources[logicalId].Properties as { [key: string]: unknown };
      return { logicalId, properties };
    });
    // THEN: BucketName is the one property S3 replaces a bucket for; the others keep the data readable
    for (const b of buckets) {
      expect(b.logicalId).toBe(buckets[0].logicalId);
      expect(b.properties.BucketName).toBeUndefined();
      expect(b.properties.BucketEncryption).toEqual(buckets[0].properties.BucketEncryption);
      expect(b.properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    }
  });
});

