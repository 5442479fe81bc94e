import * as fs from 'fs';
import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { NAG, acknowledge, nagResourceId } from '../../private/nag';
import { LeanStackValidationError, describeValue } from '../../private/validate';

export interface QuickDeploymentOptions {
  readonly buildDirectory: string;
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  /** The hashed assets' key prefix filter, e.g. `assets/*`. */
  readonly assetsFilter: string;
  /** How long the upload handler's logs are kept. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Uploads a local build in two passes, the way a CI sync should: first the hashed assets with a
 * year-long immutable cache header (never pruned, so a browser still holding the previous
 * index.html finds the files it names), then everything else with `no-cache`, then an invalidation.
 * Returns the second deployment, which finishes last.
 */
export function createQuickDeployment(scope: Construct, options: QuickDeploymentOptions): s3deploy.BucketDeployment {
  const source = s3deploy.Source.asset(options.buildDirectory);
  // One group for the shared handler: its own default group would never expire.
  const logGroup = new logs.LogGroup(scope, 'DeployLogs', { retention: options.logRetention });
  acknowledge(logGroup, {
    ids: [...NAG.logGroupKms],
    reason: 'Deploy-time logs of the upload handler (file names, no content); a customer managed key would cost 1 USD a month.',
  });
  let assets: s3deploy.BucketDeployment;
  try {
    assets = new s3deploy.BucketDeployment(scope, 'DeployAssets', { ...deployAssetsProps(source, options), logGroup });
  } catch (error) {
    // The asset is read here, first: a missing directory surfaces as aws-cdk-lib's error, which
    // names no prop; re-raise it with ours first.
    if (fs.existsSync(options.buildDirectory)) throw error;
    throw new LeanStackValidationError(scope,
      `\`buildDirectory\` must be an existing directory with the built site (run the build first), got: ${describeValue(options.buildDirectory)} (${(error as Error).message})`);
  }
  const site = new s3deploy.BucketDeployment(scope, 'DeploySite', {
    sources: [source],
    destinationBucket: options.bucket,
    exclude: [options.assetsFilter],
    prune: true,
    cacheControl: [s3deploy.CacheControl.noCache()],
    distribution: options.distribution,
    distributionPaths: ['/*'],
    memoryLimit: 256,
    logGroup,
  });
  site.node.addDependency(assets);
  acknowledgeDeployment(site, options.bucket);
  return site;
}

function deployAssetsProps(source: s3deploy.ISource, options: QuickDeploymentOptions): s3deploy.BucketDeploymentProps {
  return {
    sources: [source],
    destinationBucket: options.bucket,
    exclude: ['*'],
    include: [options.assetsFilter],
    prune: false,
    cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
    memoryLimit: 256,
  };
}

/**
 * BucketDeployment's handler is a shared singleton with a broad role (aws/aws-cdk#27210): its
 * findings are acknowledged on the handler, its role and its layer, with the reason.
 */
function acknowledgeDeployment(deployment: s3deploy.BucketDeployment, bucket: s3.IBucket): void {
  const reason = 'aws-cdk-lib BucketDeployment (aws/aws-cdk#27210) for quick starts: a deploy-time custom resource that copies the build from the CDK asset bucket to the site bucket and invalidates CloudFront. CloudFormation retries and reports it; it handles only the public site build. Use the GitHub deploy role for real CI/CD.';
  const stack = Stack.of(deployment);
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
      acknowledge(child, {
        ids: [
          'AwsSolutions-IAM5[Action::s3:GetObject*]', 'AwsSolutions-IAM5[Action::s3:GetBucket*]', 'AwsSolutions-IAM5[Action::s3:List*]',
          'AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'AwsSolutions-IAM5[Action::s3:Abort*]',
          // BucketDeployment grants invalidations on every distribution (Resource: *).
          'AwsSolutions-IAM5[Resource::*]',
          // With a customer key on the bucket: the key's standard read/write grant.
          'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
          'AwsSolutions-L1', ...NAG.lambdaInVpc, ...NAG.lambdaConcurrency, ...NAG.lambdaDlq,
          'HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy',
        ],
        reason,
      }, {
        ids: [`AwsSolutions-IAM5[${nagResourceId(deployment, bucket.arnForObjects('*'))}]`],
        reason,
      });
      // These ids name an AWS managed policy and the CDK asset bucket by ARN, with `::` inside.
      const assetBuckets = deployment.node.children
        .filter((c): c is s3assets.Asset => c instanceof s3assets.Asset)
        .map((asset) => `AwsSolutions-IAM5[${nagResourceId(deployment, asset.bucket.arnForObjects('*'))}]`);
      acknowledge(child, {
        ids: [
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          ...assetBuckets,
        ],
        reason: reason,
      });
    }
  }
}
