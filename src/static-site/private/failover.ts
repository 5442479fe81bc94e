import { Aws, IResolveContext, Lazy, Names, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ReplicaRecord, replicaRecordOf } from '../../private/site-replicas';
export { registerSiteBucket } from '../../private/site-replicas';
import { invalid } from '../../private/validate';

/**
 * The origin's answers that send a request on to the replica: the primary region's S3 failing
 * (CloudFront also fails over when it cannot connect or the origin times out). Not 403 and 404:
 * the replica may lag the primary by minutes, so a file missing from (or deleted in) the current
 * build could come back from the replica's older copy, and a 403 means a broken bucket policy
 * that should stay visible. A missing file stays the 404 the SPA routing function promises.
 */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504];

/** A behavior as the L1 holds it before rendering (camelCase, after tokens resolve). */
interface RenderedBehavior {
  readonly targetOriginId?: string;
  readonly allowedMethods?: string[];
}

/** CloudFront accepts origin groups only on behaviors that allow no more than GET, HEAD and OPTIONS. */
const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/**
 * Adds `replica` as a second origin (through its own Origin Access Control) and an origin group
 * of the site's bucket origin and the replica, and points every read-only behavior that served the
 * site's bucket at the group. Other behaviors (the API's) keep their origin: CloudFront refuses
 * origin groups on behaviors that allow POST.
 *
 * The L2 `Distribution` binds its origins in its constructor, before any DR construct exists, so
 * the group is added to the L1's config here; the L2's own lazy parts (origins and behaviors added
 * later) still render, because they are read when the template is written.
 */
function addReplicaOrigin(distribution: cloudfront.Distribution, replica: s3.IBucket, record: ReplicaRecord): void {
  const scope = new Construct(distribution, 'FailoverOrigin');
  const accessControl = new cloudfront.S3OriginAccessControl(scope, 'S3OriginAccessControl', {
    description: 'The site replica in the DR region',
  });
  const cfn = distribution.node.defaultChild as cloudfront.CfnDistribution;
  const config = cfn.distributionConfig as cloudfront.CfnDistribution.DistributionConfigProperty;
  const defaultBehavior = config.defaultCacheBehavior as cloudfront.CfnDistribution.DefaultCacheBehaviorProperty;
  const primaryId = defaultBehavior.targetOriginId;
  const replicaId = Names.uniqueId(scope).slice(-128);
  const groupId = Names.uniqueId(new Construct(scope, 'Group')).slice(-128);
  const replicaOrigin: cloudfront.CfnDistribution.OriginProperty = {
    id: replicaId,
    // the name and region, not the DR bucket's attributes: a reference to the DR stack would make
    // this stack depend on it, while the DR stack already depends on this one
    domainName: `${record.bucketName}.s3.${record.region}.${Aws.URL_SUFFIX}`,
    s3OriginConfig: { originAccessIdentity: '' },
    originAccessControlId: accessControl.originAccessControlId,
  };
  const retarget = (behavior: RenderedBehavior): RenderedBehavior =>
    behavior.targetOriginId === primaryId && (behavior.allowedMethods ?? READ_METHODS).every((m) => READ_METHODS.includes(m))
      ? { ...behavior, targetOriginId: groupId }
      : behavior;
  cfn.distributionConfig = {
    ...config,
    origins: Lazy.uncachedAny({ produce: (context: IResolveContext) => [...(context.resolve(config.origins) as object[]), replicaOrigin] }),
    originGroups: {
      quantity: 1,
      items: [{
        id: groupId,
        failoverCriteria: { statusCodes: { quantity: FAILOVER_STATUS_CODES.length, items: FAILOVER_STATUS_CODES } },
        members: { quantity: 2, items: [{ originId: primaryId }, { originId: replicaId }] },
      }],
    },
    defaultCacheBehavior: { ...defaultBehavior, targetOriginId: retarget(defaultBehavior).targetOriginId! },
    cacheBehaviors: Lazy.uncachedAny({
      produce: (context: IResolveContext) => (context.resolve(config.cacheBehaviors) as RenderedBehavior[] | undefined)?.map(retarget),
    }),
  };
  grantDistributionRead(replica, distribution);
}

/**
 * Lets only this distribution read the replica, as Origin Access Control signs its requests: the
 * CloudFront service principal with the distribution's ARN as `AWS:SourceArn`. The ARN reaches the
 * DR stack through a cross-region reference, in the direction the DR stack already depends on.
 * `s3:ListBucket` makes a missing key a 404, as on the site's own bucket. The replica's key, if
 * any, lets the same distribution decrypt.
 */
function grantDistributionRead(replica: s3.IBucket, distribution: cloudfront.Distribution): void {
  const principal = new iam.ServicePrincipal('cloudfront.amazonaws.com');
  const condition = { StringEquals: { 'AWS:SourceArn': distribution.distributionArn } };
  replica.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudFrontFailoverOriginRead',
    principals: [principal],
    actions: ['s3:GetObject'],
    resources: [replica.arnForObjects('*')],
    conditions: condition,
  }));
  replica.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudFrontFailoverOriginList',
    principals: [principal],
    actions: ['s3:ListBucket'],
    resources: [replica.bucketArn],
    conditions: condition,
  }));
  // SSE-KMS replicas (of a KMS source) are decrypted for CloudFront under the replica's key
  replica.encryptionKey?.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudFrontFailoverOriginDecrypt',
    principals: [principal],
    actions: ['kms:Decrypt'],
    resources: ['*'],
    conditions: condition,
  }));
}

/** The failover origin of each site's distribution: one, as a behavior targets one origin group. */
const failoverReplicas = new WeakMap<cloudfront.Distribution, s3.IBucket>();

/**
 * Makes `replica` the failover origin of the site's distribution, once it is known to copy the
 * site's `bucket` into another region (a second call with the same replica changes nothing).
 */
export function addFailoverOrigin(site: Construct, bucket: s3.IBucket, distribution: cloudfront.Distribution, replica: s3.IBucket): void {
  const current = failoverReplicas.get(distribution);
  if (current === replica) return;
  const record = checkReplica(site, bucket, replica, current);
  addReplicaOrigin(distribution, replica, record);
  failoverReplicas.set(distribution, replica);
}

/** What the DR constructs recorded about `replica`, a copy of `bucket` in another region. */
function checkReplica(site: Construct, bucket: s3.IBucket, replica: s3.IBucket, current?: s3.IBucket): ReplicaRecord {
  const record = replicaRecordOf(replica);
  if (!record) {
    invalid(site, 'replica', replica.node.path, 'a replica of the site\'s bucket made by `DrDataReplication` or `PilotLightDr` (`bucketsToReplicate`)');
  }
  if (record.source !== bucket) {
    invalid(site, 'replica', `a replica of ${record.source.node.path}`, `a replica of this site's bucket ${bucket.node.path}`);
  }
  const siteRegion = Stack.of(site).region;
  if (record.region === siteRegion) invalid(site, 'replica', record.region, `in a region other than the site's '${siteRegion}'`);
  if (current) invalid(site, 'replica', replica.node.path, `the site's only failover origin (it already fails over to ${current.node.path})`);
  return record;
}
