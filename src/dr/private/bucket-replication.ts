import { Arn, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { Profile } from '../../core/profile';
import { createDataKey } from '../../private/kms';
import { acknowledge, acknowledgeAwsCustomResourceProvider, NAG, nagResourceId } from '../../private/nag';
import { createAccessLogBucket, logAccessTo, sendEventsToEventBridge } from '../../private/s3';

/*
 * What S3 does with each kind of source object, from "Replicating encrypted objects (SSE-C, SSE-S3,
 * SSE-KMS, DSSE-KMS)" in the Amazon S3 User Guide
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html):
 * - SSE-S3 objects keep SSE-S3 in the replica; the destination's default encryption is not used,
 *   so CloudFront reads them without the replica key. (Only unencrypted objects, which S3 no
 *   longer stores since January 2023, would take the destination default: the role may generate
 *   data keys under the replica key for them.)
 * - SSE-KMS objects are replicated only when the rule opts in (`SseKmsEncryptedObjects`), and are
 *   re-encrypted under `ReplicaKmsKeyID`; the role decrypts with the source key and encrypts with the
 *   replica key, each limited by `kms:ViaService` and the encryption context (the bucket ARN with an
 *   S3 Bucket Key, the object ARN without).
 * - With an S3 Bucket Key on the destination, the role also needs `kms:Decrypt` on the replica key,
 *   which S3 calls to verify the Bucket Key.
 */

/** How long a replica bucket keeps an overwritten or deleted version (the site bucket's own default). */
export const REPLICA_NONCURRENT_VERSION_EXPIRATION = Duration.days(30);

export interface BucketReplication {
  readonly destination: s3.Bucket;
  readonly role: iam.Role;
}

export interface BucketReplicationOptions {
  readonly source: s3.IBucket;
  readonly primaryRegion: string;
  readonly profile: Profile;
  /** The replica's name, for a site's bucket. */
  readonly bucketName?: string;
  /** Where the replica's S3 server access logs go; none when the profile turns access logs off. */
  readonly logBucket?: s3.Bucket;
}

/**
 * The DR stack's bucket for the S3 server access logs of the replica buckets, encrypted with the DR
 * key (which already encrypts the DR stack's log groups: no further key to pay for).
 */
export function createReplicaLogBucket(scope: Construct, profile: Profile, key: kms.Key): s3.Bucket {
  return createAccessLogBucket(scope, 'AccessLogBucket', { removalPolicy: profile.storeRemovalPolicy, logRetention: profile.logRetention, encryptionKey: key });
}

/**
 * Replicates a primary bucket to a new versioned bucket in the DR region, encrypted under a key of
 * its own. The replication rule is written to the source bucket by a custom resource in the DR
 * stack: the DR stack depends on the primary stack (it reads the database ARN from it), so the
 * primary stack cannot point its buckets at a destination that does not exist yet when it deploys first.
 */
export function replicateBucket(scope: Construct, id: string, options: BucketReplicationOptions): BucketReplication {
  const { source, primaryRegion } = options;
  const group = new Construct(scope, id);
  const destination = createReplicaBucket(group, id, options);
  const replicaKey = destination.encryptionKey!;
  const role = createReplicationRole(group, source, destination, primaryRegion);
  const bucketArn = Arn.format({ service: 's3', resource: source.bucketName, region: '', account: '' }, Stack.of(group));
  const writer = new cr.AwsCustomResource(group, 'ReplicationRule', {
    installLatestAwsSdk: false,
    onUpdate: {
      service: 'S3',
      action: 'putBucketReplication',
      region: primaryRegion,
      parameters: {
        Bucket: source.bucketName,
        ReplicationConfiguration: {
          Role: role.roleArn,
          Rules: [{
            ID: 'pilot-light-dr',
            Status: 'Enabled',
            Priority: 1,
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Enabled' },
            // a KMS source's objects are left out unless the rule opts in, and need a key of this region
            ...(source.encryptionKey ? { SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } } } : {}),
            Destination: {
              Bucket: destination.bucketArn,
              StorageClass: 'STANDARD',
              ...(source.encryptionKey ? { EncryptionConfiguration: { ReplicaKmsKeyID: replicaKey.keyArn } } : {}),
            },
          }],
        },
      },
      physicalResourceId: cr.PhysicalResourceId.of(`pilot-light-dr-${id}`),
    },
    onDelete: {
      service: 'S3',
      action: 'deleteBucketReplication',
      region: primaryRegion,
      parameters: { Bucket: source.bucketName },
    },
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['s3:PutReplicationConfiguration'], resources: [bucketArn] }),
      new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [role.roleArn] }),
    ]),
  });
  writer.node.addDependency(destination);
  acknowledge(writer, { ids: [...NAG.inlinePolicy], reason: 'The custom resource policy grants exactly one PutReplicationConfiguration and one PassRole, for this rule only.' });
  acknowledgeAwsCustomResourceProvider(Stack.of(group));
  return { destination, role };
}

/**
 * The replica: versioned, SSE-KMS under a customer managed key of its own with an S3 Bucket Key
 * (one KMS request per bucket key, not per object), access logs in the DR log bucket. The key is not
 * the database replica's: CloudFront and S3 replication get a say in this key's policy and the
 * role's, and a site's content keeps its own key to disable or rotate, for 1 USD a month.
 */
function createReplicaBucket(group: Construct, id: string, options: BucketReplicationOptions): s3.Bucket {
  const { profile, logBucket } = options;
  const key: kms.Key = createDataKey(group, 'ReplicaKey', {
    description: `Encrypts the DR replica of the bucket ${options.source.node.path}`,
    removalPolicy: profile.storeRemovalPolicy,
  });
  const destination = new s3.Bucket(group, 'Replica', {
    bucketName: options.bucketName,
    versioned: true,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: profile.storeRemovalPolicy,
    // S3 replicates a bucket with Object Lock (a site's `objectLock`) only into a bucket with Object
    // Lock; without a default retention the lock blocks nothing (replicated deletes, lifecycle
    // expiry and stack deletion work as before) and keeps versioning from being suspended.
    objectLockEnabled: true,
    // a replica of a versioned bucket would otherwise keep every overwritten or deleted version forever
    lifecycleRules: [{ id: 'expire-noncurrent-versions', noncurrentVersionExpiration: REPLICA_NONCURRENT_VERSION_EXPIRATION }],
  });
  sendEventsToEventBridge(destination);
  if (logBucket) {
    logAccessTo(destination, logBucket, { prefix: `${id.toLowerCase()}/`, sid: `S3ServerAccessLogsFor${id}Replica` });
  } else {
    acknowledge(destination, {
      ids: [...NAG.s3AccessLogs],
      reason: `Access logs are off in the profile '${profile.name}'; production profiles log the replica's access to the DR log bucket.`,
    });
  }
  acknowledge(destination, { ids: [...NAG.s3Replication], reason: 'This bucket is the cross-region replica of the primary bucket.' });
  return destination;
}

/** The role S3 assumes to copy every object version of `source` into `destination`. */
function createReplicationRole(group: Construct, source: s3.IBucket, destination: s3.Bucket, primaryRegion: string): iam.Role {
  const role = new iam.Role(group, 'ReplicationRole', {
    assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
    description: 'S3 cross-region replication to the pilot-light DR region',
  });
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
    resources: [source.bucketArn],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    // the retention and legal hold of each version travel with it when the source has Object Lock
    actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
    resources: [source.arnForObjects('*')],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
    resources: [destination.arnForObjects('*')],
  }));
  grantReplicationKeys(role, source, destination, primaryRegion);
  const logicalId = (b: s3.IBucket) => Stack.of(b).getLogicalId(b.node.defaultChild as s3.CfnBucket);
  const objectsReason = 'S3 replication reads and writes every object version of exactly these two buckets; object ARNs need the /* suffix.';
  acknowledge(role, {
    ids: [
      `AwsSolutions-IAM5[Resource::<${logicalId(source)}.Arn>/*]`,
      `AwsSolutions-IAM5[Resource::<${logicalId(destination)}.Arn>/*]`,
    ],
    reason: objectsReason,
  });
  // At synth the source bucket's ARN reaches this region through a cross-region reference, which
  // CDK resolves after every construct ran: name the finding as cdk-nag will see it then.
  role.node.addValidation({
    validate: () => {
      acknowledge(role, { ids: [`AwsSolutions-IAM5[${nagResourceId(role, source.arnForObjects('*'))}]`], reason: objectsReason });
      return [];
    },
  });
  acknowledge(role, { ids: [...NAG.inlinePolicy], reason: 'The replication policy belongs to this role alone and is created and deleted with it.' });
  return role;
}

/**
 * The key permissions of the replication role, as the S3 User Guide's example policies for SSE-KMS
 * replication write them (see the top of this file): decrypt under the source key (a KMS source
 * only) through S3 in the primary region for the source bucket's objects; encrypt, generate data
 * keys and decrypt (the Bucket Key check) under the replica key through S3 in the DR region for
 * the replica bucket only.
 */
function grantReplicationKeys(role: iam.Role, source: s3.IBucket, destination: s3.Bucket, primaryRegion: string): void {
  const s3Service = (region: string) => `s3.${region}.${Stack.of(role).urlSuffix}`;
  if (source.encryptionKey) {
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [source.encryptionKey.keyArn],
      conditions: {
        StringLike: {
          'kms:ViaService': s3Service(primaryRegion),
          // the bucket ARN with an S3 Bucket Key on the source, the object ARN without
          'kms:EncryptionContext:aws:s3:arn': [source.bucketArn, source.arnForObjects('*')],
        },
      },
    }));
  }
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'],
    resources: [destination.encryptionKey!.keyArn],
    conditions: {
      StringLike: {
        'kms:ViaService': s3Service(Stack.of(destination).region),
        // the replica has an S3 Bucket Key: its encryption context is the bucket ARN
        'kms:EncryptionContext:aws:s3:arn': [destination.bucketArn],
      },
    },
  }));
}
