import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { shared } from './private/share';
import { Profile } from '../core/profile';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { NAG, acknowledge } from '../private/nag';
import { resolveProfile } from '../private/profile';
import { createAccessLogBucket, logAccessTo, sendEventsToEventBridge } from '../private/s3';
import { checkRange } from '../private/validate';

// CodePipeline and CodeBuild write their artifacts with the AWS managed aws/s3 key anyway (neither
// is given a key); the bucket default applies only to objects put without one.
const ARTIFACT_SSE_S3_REASON = 'Pipeline artifacts (image definitions, the built site, migration reports; never credentials) are encrypted at rest by default with S3 managed keys, and CodePipeline and CodeBuild write theirs with the AWS managed aws/s3 key. This construct has no customer managed key to encrypt them with: one would cost 1 USD a month, and every stack that reads the bucket would need grants on it.';

/** Properties of `ReleaseArtifacts`. */
export interface ReleaseArtifactsProps {
  /**
   * How many images the repository keeps. Older ones expire, and an image still running in an
   * environment is one of the most recent releases.
   *
   * @default 50
   */
  readonly maxImageCount?: number;
  /**
   * How long pipeline artifacts (image definitions, the built site, reports) are kept.
   *
   * @default Duration.days(90)
   */
  readonly artifactExpiration?: Duration;
  /**
   * The profile: whether access to the artifact bucket is logged (`accessLogs`), and how long and
   * how removed those logs are.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * Object Lock on the artifact bucket, without a default retention: nothing is locked (artifacts
   * still expire), but versioning can no longer be suspended (AWS Control Tower's CT.S3.PR.9).
   * Off by default because CloudFormation may replace an existing bucket to turn it on (a new,
   * empty artifact bucket; the old one is retained).
   *
   * @default false
   */
  readonly objectLock?: boolean;
}

/**
 * Where a release's artifacts live: the image repository (tags immutable, scanned on push, a
 * lifecycle rule) and the pipeline's artifact bucket. Create it in a stack that your environment
 * stacks and the pipeline's stack can both reference (e.g. a shared stack): the environments run
 * its images and the pipeline writes to it, so neither needs to reference the other's stack.
 * Idles at the storage it holds (0.10 USD per GB-month of images).
 *
 * @example
 * import { ReleaseArtifacts } from 'cdk-lean-stack';
 *
 * const artifacts = new ReleaseArtifacts(this, 'Artifacts');
 */
export class ReleaseArtifacts extends Construct {
  /** The image repository: every tag is a commit id and can never be moved. */
  public readonly repository: ecr.Repository;
  /** The pipeline's artifact bucket. */
  public readonly bucket: s3.Bucket;
  /** The bucket the artifact bucket's access logs go to, in profiles that log access. */
  public readonly accessLogBucket?: s3.Bucket;

  constructor(scope: Construct, id: string, props: ReleaseArtifactsProps = {}) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    const maxImageCount = props.maxImageCount ?? 50;
    checkRange(this, 'maxImageCount', maxImageCount, { min: 1, max: 10000, integer: true });
    const profile = resolveProfile(this, props.profile);
    const expiration = props.artifactExpiration ?? Duration.days(90);
    if (!expiration.isUnresolved()) checkRange(this, 'artifactExpiration (days)', expiration.toDays(), { min: 1, integer: true });

    this.repository = new ecr.Repository(this, 'Images', {
      // A tag names one commit's image forever: a deploy of that tag is repeatable.
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      lifecycleRules: [
        { description: 'Untagged layers of failed pushes', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(7), rulePriority: 1 },
        { description: `Keep the ${maxImageCount} most recent releases`, tagStatus: ecr.TagStatus.ANY, maxImageCount, rulePriority: 2 },
      ],
      // Production runs these images: never delete them with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessLogBucket = profile.accessLogs ? createAccessLogBucket(this, 'PipelineAccessLogs', {
      removalPolicy: profile.storeRemovalPolicy,
      logRetention: profile.logRetention,
      sseS3Reason: 'SSE-S3 (AES-256) encrypts the access logs at rest (who read or wrote which artifact, no artifact content): the release artifacts have no customer managed key, and one would cost 1 USD a month.',
    }) : undefined;
    this.bucket = new s3.Bucket(this, 'Pipeline', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      // Without a default retention nothing is locked (artifacts still expire), but versioning can
      // no longer be suspended. Behind a prop: CloudFormation may replace an existing bucket for it.
      objectLockEnabled: props.objectLock || undefined,
      lifecycleRules: [{
        expiration,
        noncurrentVersionExpiration: Duration.days(7),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    sendEventsToEventBridge(this.bucket);
    if (this.accessLogBucket) {
      logAccessTo(this.bucket, this.accessLogBucket, { prefix: 'artifacts/', sid: 'S3ServerAccessLogsForTheArtifactBucket' });
    } else {
      acknowledge(this.bucket, {
        ids: [...NAG.s3AccessLogs],
        reason: 'Access logs are off in this profile (development): the bucket holds only pipeline artifacts that expire, and who ran what is recorded by CodePipeline and CloudTrail. Production profiles (or a profile with `accessLogs: true`) log access to a dedicated bucket.',
      });
    }
    acknowledge(this.bucket,
      {
        ids: [...NAG.s3KmsEncryption],
        reason: ARTIFACT_SSE_S3_REASON,
      },
      {
        ids: [...NAG.s3Replication],
        reason: 'Pipeline artifacts are intermediates rebuilt from the source on the next run; replicating them would double storage for nothing recoverable.',
      },
    );
  }

  /**
   * The artifact bucket as a construct in another stack sees it: an import of an export named
   * after this construct, so that grants on it can be acknowledged exactly.
   *
   * @param scope the construct that uses the bucket
   */
  public bucketFor(scope: Construct): s3.IBucket {
    if (Stack.of(scope) === Stack.of(this)) return this.bucket;
    const id = `ReleaseArtifacts${Names.uniqueId(this)}`;
    const existing = Stack.of(scope).node.tryFindChild(id) as s3.IBucket | undefined;
    return existing ?? s3.Bucket.fromBucketName(Stack.of(scope), id, shared(this, scope, this.bucket.bucketName, 'ArtifactBucket'));
  }
}
