import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { shared } from './private/share';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { NAG, acknowledge } from '../private/nag';
import { checkRange } from '../private/validate';

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

  constructor(scope: Construct, id: string, props: ReleaseArtifactsProps = {}) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    const maxImageCount = props.maxImageCount ?? 50;
    checkRange(this, 'maxImageCount', maxImageCount, { min: 1, max: 10000, integer: true });
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

    this.bucket = new s3.Bucket(this, 'Pipeline', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{
        expiration,
        noncurrentVersionExpiration: Duration.days(7),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.bucket,
      {
        ids: [...NAG.s3KmsEncryption],
        reason: 'Pipeline artifacts (image definitions, the built site, migration reports; never credentials) are encrypted with S3 managed keys; a customer managed key costs 1 USD a month.',
      },
      {
        ids: [...NAG.s3AccessLogs],
        reason: 'The bucket holds only pipeline artifacts that expire; who ran what is recorded by CodePipeline and CloudTrail, and an access-log bucket would be a second bucket to retain.',
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
