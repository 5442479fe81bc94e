import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PREFIX_PATTERN } from './api-behavior';
import { HOST_NAME } from './domain';
import { checkGitHubDeploy } from './github-deploy-checks';
import type { GitHubDeployInput } from './github-deploy-checks';
import { checkNotBoth, checkPattern, invalid } from '../../private/validate';

/** A CloudFront path pattern: a leading slash, then the characters CloudFront allows. */
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.*$/~"'@:+&?]{1,254}$/;

/** The site's props that must agree with each other, as the site receives them. */
export interface SitePropsInput {
  readonly bucket?: s3.IBucket;
  readonly encryptionKey?: kms.IKey;
  readonly customerManagedKey?: boolean;
  readonly objectLock?: boolean;
  readonly noncurrentVersionExpiration?: Duration;
  readonly hashedAssetsPath?: string;
  readonly apiOrigin?: cloudfront.IOrigin;
  readonly apiDomainName?: string;
  readonly apiPathPattern?: string;
  readonly stripApiPrefix?: boolean;
  readonly accessLogs?: boolean;
  readonly accessLogRetention?: Duration;
  readonly gitHubDeploy?: GitHubDeployInput;
}

/** Rejects props that conflict or that CloudFront and S3 would refuse, naming the prop. */
export function checkSiteProps(site: Construct, props: SitePropsInput): void {
  checkNotBoth(site, 'bucket', props.bucket, 'encryptionKey', props.encryptionKey);
  checkNotBoth(site, 'bucket', props.bucket, 'customerManagedKey', props.customerManagedKey);
  checkNotBoth(site, 'bucket', props.bucket, 'noncurrentVersionExpiration', props.noncurrentVersionExpiration);
  // `objectLock: false` asks for nothing a user's bucket lacks.
  checkNotBoth(site, 'bucket', props.bucket, 'objectLock', props.objectLock || undefined);
  checkNotBoth(site, 'encryptionKey', props.encryptionKey, 'customerManagedKey', props.customerManagedKey);
  checkNotBoth(site, 'apiOrigin', props.apiOrigin, 'apiDomainName', props.apiDomainName);
  if (props.gitHubDeploy) checkGitHubDeploy(site, props.gitHubDeploy, 'gitHubDeploy.');
  checkWholeDays(site, 'noncurrentVersionExpiration', props.noncurrentVersionExpiration);
  checkWholeDays(site, 'accessLogRetention', props.accessLogRetention);
  checkPattern(site, 'hashedAssetsPath', props.hashedAssetsPath, /^\/[A-Za-z0-9_\-.~/]+\/\*$/, "a path prefix ending in '/*', e.g. '/assets/*'");
  checkPattern(site, 'apiPathPattern', props.apiPathPattern, PATH_PATTERN, "a CloudFront path pattern starting with '/', e.g. '/api/*'");
  checkPattern(site, 'apiDomainName', props.apiDomainName, HOST_NAME, "a host name without scheme or path, e.g. 'abc123.execute-api.eu-west-1.amazonaws.com'");
  if (props.apiPathPattern !== undefined && props.apiOrigin === undefined && props.apiDomainName === undefined) {
    invalid(site, 'apiPathPattern', props.apiPathPattern, 'given only with `apiOrigin` or `apiDomainName`');
  }
  const api = props.apiPathPattern ?? '/api/*';
  const hasApi = props.apiOrigin !== undefined || props.apiDomainName !== undefined;
  if (hasApi && api === (props.hashedAssetsPath ?? '/assets/*')) {
    invalid(site, 'apiPathPattern', api, 'different from `hashedAssetsPath`');
  }
  if (props.stripApiPrefix !== undefined && !hasApi) {
    invalid(site, 'stripApiPrefix', props.stripApiPrefix, 'given only with `apiOrigin` or `apiDomainName`');
  }
  if (hasApi && (props.stripApiPrefix ?? true)) {
    checkPattern(site, 'apiPathPattern', api, PREFIX_PATTERN, "a prefix pattern like '/api/*' when `stripApiPrefix` is true (set `stripApiPrefix: false` to forward paths unchanged)");
  }
  if (props.accessLogs === false && props.accessLogRetention !== undefined) {
    invalid(site, 'accessLogRetention', `${props.accessLogRetention.toDays()} days`, 'given only when access logs are on');
  }
}

/** S3 lifecycle rules count whole days. */
function checkWholeDays(scope: Construct, prop: string, value: Duration | undefined): void {
  if (value === undefined) return;
  const days = value.toHours() / 24;
  if (!Number.isInteger(days) || days < 1) invalid(scope, prop, value.toHumanString(), 'a whole number of days, at least 1');
}
