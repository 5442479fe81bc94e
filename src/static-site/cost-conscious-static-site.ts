import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { GitHubDeployOptions, SiteDeployRole } from './site-deploy-role';
import { SiteWebAcl, StaticSiteWaf } from './site-web-acl';
import { SpaRoutingFunction } from './spa-routing-function';
import { IStaticSite } from '../core/contracts';
import { Profile } from '../core/profile';
import { addApiBehavior } from './private/api-behavior';
import { checkSiteProps } from './private/checks';
import { createQuickDeployment } from './private/deployment';
import { createAliasRecords, resolveDomain } from './private/domain';
import { acknowledgeDistribution } from './private/nag';
import { DEFAULT_CONTENT_SECURITY_POLICY } from './private/policies';
import { createSiteStorage } from './private/storage';
import { attachWaf } from './private/waf';
import { resolveProfile } from '../private/profile';
import { createDistribution } from './private/distribution';
import { addFailoverOrigin, registerSiteBucket } from './private/failover';

/**
 * Props for `CostConsciousStaticSite`.
 */
export interface CostConsciousStaticSiteProps {
  /**
   * The deployment profile: development removes the bucket with its objects on stack deletion and
   * turns access logs off. Production profiles retain the bucket and log to a log bucket.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;

  /**
   * Your own bucket for the site. Its settings (encryption, versioning, lifecycle, logging,
   * removal) stay yours, so `encryptionKey`, `customerManagedKey`, `objectLock` and
   * `noncurrentVersionExpiration` cannot be given with it. An imported bucket's policy cannot be
   * changed by CDK: allow the distribution's Origin Access Control yourself.
   *
   * @default - a private, versioned bucket is created
   */
  readonly bucket?: s3.IBucket;

  /**
   * A customer managed KMS key to encrypt the created bucket with (SSE-KMS with an S3 Bucket Key).
   *
   * @default - SSE-S3, unless `customerManagedKey` is true
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Create a customer managed KMS key (rotated yearly, 1 USD a month) for the created bucket.
   *
   * @default false
   */
  readonly customerManagedKey?: boolean;

  /**
   * Turn on S3 Object Lock, without a default retention, on the created site bucket and on the log
   * bucket: no object is locked (S3 refuses server access logs to a bucket with a default
   * retention), but versioning can never be suspended, and a retention can be set later. It costs
   * nothing. It cannot be turned off once on. Turning it on for an existing bucket may replace the
   * bucket, since CloudFormation long treated `ObjectLockEnabled` as immutable: this was not tried.
   *
   * @default false
   */
  readonly objectLock?: boolean;

  /**
   * How long replaced or deleted versions of site files are kept (a quick rollback window).
   *
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * The CloudFront edge locations used. PRICE_CLASS_100 (North America, Europe, Israel) is the
   * cheapest per GB.
   *
   * @default cloudfront.PriceClass.PRICE_CLASS_100
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * The SPA's index document: the default root object and where navigation requests are routed.
   *
   * @default 'index.html'
   */
  readonly indexDocument?: string;

  /**
   * The file extensions that make a path a file (served as is, or 404) rather than a client route
   * (served the index document), e.g. `[...SpaRoutingFunction.DEFAULT_ASSET_EXTENSIONS, 'glb']`.
   *
   * @default SpaRoutingFunction.DEFAULT_ASSET_EXTENSIONS
   */
  readonly assetExtensions?: string[];

  /**
   * The Content-Security-Policy header sent with every site response.
   *
   * @default - "default-src 'self'" with images from https and data:, inline styles, no objects,
   * no framing
   */
  readonly contentSecurityPolicy?: string;

  /**
   * The path pattern of the build's content-hashed files, cached for a year as immutable.
   *
   * @default '/assets/*'
   */
  readonly hashedAssetsPath?: string;

  /**
   * An API origin to route `apiPathPattern` to, e.g. `new origins.HttpOrigin(host)`.
   *
   * @default - no API behavior, unless `apiDomainName` is given
   */
  readonly apiOrigin?: cloudfront.IOrigin;

  /**
   * The host name of an HTTPS API (e.g. an HTTP API's `abc123.execute-api.eu-west-1.amazonaws.com`)
   * to route `apiPathPattern` to, so the SPA and its API share one domain and need no CORS.
   *
   * @default - no API behavior, unless `apiOrigin` is given
   */
  readonly apiDomainName?: string;

  /**
   * Headers the distribution adds to every request it sends to `apiDomainName`, e.g. an
   * `edgeOnly` service's `edgeHeaders`, so that the API can refuse requests that did not come
   * through this distribution (and its WAF).
   *
   * @default - none
   */
  readonly apiOriginHeaders?: { [name: string]: string };

  /**
   * The path pattern routed to the API: never cached, never rewritten to index.html. Its prefix
   * is stripped before the API sees the path unless `stripApiPrefix` is false.
   *
   * @default '/api/*'
   */
  readonly apiPathPattern?: string;

  /**
   * Strip the prefix of `apiPathPattern` before the request reaches the API (a CloudFront Function
   * on the API behavior), so that `/api/orders/42` arrives as `/orders/42` and matches the routes
   * of a `ModularMonolithService`'s modules. Set false for an API that serves its routes under the
   * prefix itself.
   *
   * @default true
   */
  readonly stripApiPrefix?: boolean;

  /**
   * A custom domain name for the site, e.g. `example.com` or `app.example.com`.
   *
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly domainName?: string;

  /**
   * The Route 53 zone of `domainName`: validates the certificate and receives A and AAAA alias
   * records. `route53.HostedZone.fromLookup()` works too.
   *
   * @default - no DNS records; `certificate` is then required
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * An existing ACM certificate in us-east-1 covering `domainName` (and `www.` with `redirectWww`).
   *
   * @default - a DNS-validated certificate is created in us-east-1: in this stack when it is in
   * us-east-1, otherwise in a companion stack named `<this stack's name>-us-east-1` that the
   * library adds to the same app (this stack then needs `crossRegionReferences: true`)
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Also answer on `www.<domainName>` with a 301 redirect to `domainName`.
   *
   * @default false
   */
  readonly redirectWww?: boolean;

  /**
   * An AWS WAF web ACL in front of the site (a paid add-on).
   *
   * @default StaticSiteWaf.none()
   */
  readonly waf?: StaticSiteWaf;

  /**
   * A local build directory to upload at deploy time (with an invalidation), for quick starts.
   * Real CI/CD should use `gitHubDeploy`.
   *
   * @default - nothing is uploaded
   */
  readonly buildDirectory?: string;

  /**
   * A least-privilege role that GitHub Actions assumes through OIDC to sync the bucket and
   * invalidate the distribution.
   *
   * @default - no deploy role
   */
  readonly gitHubDeploy?: GitHubDeployOptions;

  /**
   * CloudFront standard logs and S3 server access logs to a log bucket.
   *
   * @default - the profile's `accessLogs` (off in development)
   */
  readonly accessLogs?: boolean;

  /**
   * How long access logs are kept.
   *
   * @default - the profile's `logRetention`
   */
  readonly accessLogRetention?: Duration;
}

/**
 * A single-page app on a private S3 bucket behind CloudFront, with SPA routing that does not hide
 * errors, caching that suits a hashed build, security headers, an optional same-domain API, an
 * optional custom domain and WAF from a stack in any region (CloudFront's certificate and web ACL
 * must be in us-east-1: from another region they go into a companion stack named
 * `<stack name>-us-east-1`), and CI/CD deployment. Idle cost with the defaults: nothing (S3
 * storage and CloudFront requests only).
 *
 * @example
 * import { CostConsciousStaticSite, Profile } from 'cdk-lean-stack';
 *
 * const site = new CostConsciousStaticSite(this, 'Site', {
 *   profile: Profile.DEVELOPMENT,
 *   apiDomainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
 *   gitHubDeploy: { repository: 'my-org/my-spa' },
 * });
 */
export class CostConsciousStaticSite extends Construct implements IStaticSite {
  /** The profile the site was created with. */
  public readonly profile: Profile;
  /** The bucket holding the site. */
  public readonly bucket: s3.IBucket;
  /** The CloudFront distribution, as `IStaticSite` requires. */
  public readonly distribution: cloudfront.IDistribution;
  /** The same distribution as its L2 class (`cloudfront.Distribution`), to add behaviors or tune it. */
  public readonly distributionL2: cloudfront.Distribution;
  /** The site's host name: the custom domain, else the distribution's `*.cloudfront.net` name. */
  public readonly domainName: string;
  /** The site's URL (`https://<domainName>`). */
  public readonly url: string;
  /** The SPA routing function on the default behavior. */
  public readonly routingFunction: SpaRoutingFunction;
  /** The function that strips the API prefix on the API behavior, with an API and `stripApiPrefix`. */
  public readonly apiPrefixFunction?: cloudfront.IFunction;
  /** The access log bucket, when access logs are on. */
  public readonly logBucket?: s3.IBucket;
  /** The certificate, with a custom domain. */
  public readonly certificate?: acm.ICertificate;
  /** The web ACL created for the site, with `StaticSiteWaf.managedRules()`. */
  public readonly webAcl?: SiteWebAcl;
  /** The ARN of the web ACL attached to the distribution, created (`webAcl`) or brought, if any. */
  public readonly attachedWebAclArn?: string;
  /** The GitHub Actions deploy role (its `role` and OIDC provider), with `gitHubDeploy`. */
  public readonly deployRole?: SiteDeployRole;
  /** The quick-start upload of `buildDirectory` (the pass that invalidates), if any. */
  public readonly deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: CostConsciousStaticSiteProps = {}) {
    super(scope, id);
    this.profile = resolveProfile(this, props.profile);
    checkSiteProps(this, props);

    const accessLogs = props.accessLogs ?? this.profile.accessLogs;
    const { bucket, logBucket } = createSiteStorage(this, {
      ...props, removalPolicy: this.profile.storeRemovalPolicy, accessLogs, logRetention: this.profile.logRetention,
    });
    this.bucket = bucket;
    this.logBucket = logBucket;

    const domain = resolveDomain(this, props);
    this.certificate = domain?.source;
    const waf = attachWaf(this, props.waf ?? StaticSiteWaf.none());
    this.webAcl = waf.webAcl;
    this.attachedWebAclArn = waf.webAclArn;

    const indexDocument = props.indexDocument ?? 'index.html';
    const hashedAssetsPath = props.hashedAssetsPath ?? '/assets/*';
    this.routingFunction = new SpaRoutingFunction(this, 'Routing', {
      indexDocument,
      assetExtensions: props.assetExtensions,
      redirectFrom: domain?.wwwName,
      redirectTo: domain?.wwwName ? domain.domainName : undefined,
    });
    const distribution = createDistribution(this, {
      bucket: this.bucket,
      indexDocument,
      hashedAssetsPath,
      priceClass: props.priceClass,
      contentSecurityPolicy: props.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY,
      domain,
      webAclArn: this.attachedWebAclArn,
      logBucket,
      routingFunction: this.routingFunction.function,
    });
    this.distribution = distribution;
    this.distributionL2 = distribution;
    this.apiPrefixFunction = addApiBehavior(this, distribution, {
      apiOrigin: props.apiOrigin,
      apiDomainName: props.apiDomainName,
      apiOriginHeaders: props.apiOriginHeaders,
      pathPattern: props.apiPathPattern ?? '/api/*',
      stripPrefix: props.stripApiPrefix ?? true,
    });
    acknowledgeDistribution(distribution, { customDomain: domain !== undefined, accessLogs, waf: this.attachedWebAclArn !== undefined });

    if (domain) createAliasRecords(this, domain, this.distribution);
    this.domainName = domain?.domainName ?? this.distribution.distributionDomainName;
    this.url = `https://${this.domainName}`;

    if (props.buildDirectory !== undefined) {
      this.deployment = createQuickDeployment(this, {
        buildDirectory: props.buildDirectory,
        bucket: this.bucket,
        distribution: this.distribution,
        assetsFilter: hashedAssetsPath.replace(/^\//, ''),
        logRetention: this.profile.logRetention,
      });
    }
    if (props.gitHubDeploy) {
      this.deployRole = new SiteDeployRole(this, 'GitHubDeploy', { ...props.gitHubDeploy, bucket: this.bucket, distribution: this.distribution });
    }
    registerSiteBucket(this.bucket, this);
  }

  /**
   * Serves `replica`, the copy of this site's bucket that `DrDataReplication` (which calls this) made in another
   * region, when the bucket fails: the read-only behaviors, not the API's, then fail over on 5xx or no connection.
   */
  public addFailoverOrigin(replica: s3.IBucket): void {
    addFailoverOrigin(this, this.bucket, this.distributionL2, replica);
  }
}
