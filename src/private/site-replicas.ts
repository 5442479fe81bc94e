import * as s3 from 'aws-cdk-lib/aws-s3';

/*
 * How a site and the DR constructs find each other without importing each other: a site records
 * the bucket it serves; the DR constructs, created after it (they are given the site's bucket),
 * name the replica of that bucket so that the site's stack can compute it, record it, and hand it
 * to the site as its failover origin.
 */

/** A site that can serve a replica of its bucket as a failover origin. */
export interface FailoverOriginTarget {
  addFailoverOrigin(replica: s3.IBucket): void;
}

/** A replica the DR constructs made of a bucket. */
export interface ReplicaRecord {
  /** The replicated bucket. */
  readonly source: s3.IBucket;
  /** The replica's name, made of literals and pseudo parameters only, so that it resolves in the primary stack without a reference to the DR stack. */
  readonly bucketName: string;
  /** The replica's region. */
  readonly region: string;
}

const sitesByBucket = new WeakMap<s3.IBucket, FailoverOriginTarget[]>();
const records = new WeakMap<s3.IBucket, ReplicaRecord>();

/** Records that `site` serves `bucket`. */
export function registerSiteBucket(bucket: s3.IBucket, site: FailoverOriginTarget): void {
  sitesByBucket.set(bucket, [...(sitesByBucket.get(bucket) ?? []), site]);
}

/** True when a site serves `bucket`: its replica then needs a name the site's stack can compute. */
export function servesSite(bucket: s3.IBucket): boolean {
  return (sitesByBucket.get(bucket) ?? []).length > 0;
}

/** Records a replica made of `record.source`, and gives it to the sites that serve the source. */
export function registerReplica(replica: s3.IBucket, record: ReplicaRecord): void {
  records.set(replica, record);
  for (const site of sitesByBucket.get(record.source) ?? []) site.addFailoverOrigin(replica);
}

/** What the DR constructs recorded about `replica`, if they made it. */
export function replicaRecordOf(replica: s3.IBucket): ReplicaRecord | undefined {
  return records.get(replica);
}
