import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { checkPattern, checkRequired } from '../private/validate';


/** A CodeConnections connection ARN (CodeStar Connections is its former name. Both are accepted). */
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z]{2}(-[a-z]+)+-\d:\d{12}:connection\/[A-Za-z0-9-]+$/;
/** The kinds of source a migration pipeline starts from. */
export enum MigrationSourceKind {
  /** A zip object in S3 (e.g. uploaded by your CI). */
  S3 = 's3',
  /** A Git repository and branch through a CodeStar (CodeConnections) connection. */
  CODESTAR_CONNECTION = 'codestar-connection',
  /** An ECR image tag: an image that bundles the migration tool and your migrations. */
  ECR_IMAGE = 'ecr-image',
}

/** Options for `MigrationSource.s3()`. */
export interface S3MigrationSourceOptions {
  /** The bucket (versioning on, as CodePipeline requires). */
  readonly bucket: s3.IBucket;
  /** The key of the zip holding the migrations (and `imagedefinitions.json` for a deploy stage). */
  readonly objectKey: string;
  /**
   * How the pipeline learns of a new object. `EVENTS` needs a CloudTrail trail logging the bucket's data events.
   *
   * @default actions.S3Trigger.POLL
   */
  readonly trigger?: actions.S3Trigger;
}

/** Options for `MigrationSource.codeStarConnection()`. */
export interface CodeStarConnectionMigrationSourceOptions {
  /** The ARN of the CodeStar (CodeConnections) connection. */
  readonly connectionArn: string;
  /** The repository's owner (user or organization). */
  readonly owner: string;
  /** The repository's name. */
  readonly repo: string;
  /**
   * The branch migrations run from (and, for a dry-run pipeline, the target branch of the pull requests it checks).
   *
   * @default 'main'
   */
  readonly branch?: string;
}

/** Options for `MigrationSource.ecrImage()`. */
export interface EcrImageMigrationSourceOptions {
  /** The repository of an image built `FROM` the tool's image with your migrations copied in. */
  readonly repository: ecr.IRepository;
  /**
   * The tag that starts the pipeline when pushed. The build runs the image with this tag.
   *
   * @default 'latest'
   */
  readonly tag?: string;
}

/**
 * Where a `PrivateMigrationPipeline` takes its migrations from.
 *
 * @example
 * import { MigrationSource } from 'cdk-lean-stack';
 *
 * const source = MigrationSource.codeStarConnection({
 *   connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/abcd-1234',
 *   owner: 'my-org',
 *   repo: 'my-app',
 *   branch: 'main',
 * });
 */
export class MigrationSource {
  /** A zip object in S3. */
  public static s3(options: S3MigrationSourceOptions): MigrationSource {
    return new MigrationSource(MigrationSourceKind.S3, options, undefined, undefined);
  }

  /** A Git repository and branch through a CodeStar connection. */
  public static codeStarConnection(options: CodeStarConnectionMigrationSourceOptions): MigrationSource {
    return new MigrationSource(MigrationSourceKind.CODESTAR_CONNECTION, undefined, options, undefined);
  }

  /** An ECR image tag. The image (tool plus migrations) becomes the build image. */
  public static ecrImage(options: EcrImageMigrationSourceOptions): MigrationSource {
    return new MigrationSource(MigrationSourceKind.ECR_IMAGE, undefined, undefined, options);
  }

  private constructor(
    /** Which kind of source this is. */
    public readonly kind: MigrationSourceKind,
    private readonly s3Options: S3MigrationSourceOptions | undefined,
    private readonly connectionOptions: CodeStarConnectionMigrationSourceOptions | undefined,
    private readonly ecrOptions: EcrImageMigrationSourceOptions | undefined,
  ) {}

  /** True when the source can carry an `imagedefinitions.json` for a deploy stage. */
  public get carriesFiles(): boolean {
    return this.kind !== MigrationSourceKind.ECR_IMAGE;
  }

  /** The build image an ECR image source brings, if any. */
  public get buildImage(): codebuild.IBuildImage | undefined {
    return this.ecrOptions
      ? codebuild.LinuxBuildImage.fromEcrRepository(this.ecrOptions.repository, this.ecrOptions.tag ?? 'latest')
      : undefined;
  }

  /**
   * The source action.
   *
   * @internal
   */
  public _action(scope: IConstruct, output: codepipeline.Artifact, dryRun: boolean): codepipeline.IAction {
    if (this.s3Options) {
      const o = this.s3Options;
      checkRequired(scope, 'source.objectKey', o.objectKey?.trim(), 'for an S3 source');
      return new actions.S3SourceAction({
        actionName: 'S3',
        bucket: o.bucket,
        bucketKey: o.objectKey,
        trigger: o.trigger ?? actions.S3Trigger.POLL,
        output,
      });
    }
    if (this.connectionOptions) {
      const o = this.connectionOptions;
      checkRequired(scope, 'source.connectionArn', o.connectionArn, 'for a CodeStar connection source');
      checkPattern(scope, 'source.connectionArn', o.connectionArn, CONNECTION_ARN,
        'the ARN of an AWS CodeConnections (or CodeStar Connections) connection, arn:aws:codeconnections:<region>:<account>:connection/<id>');
      return new actions.CodeStarConnectionsSourceAction({
        actionName: 'Git',
        connectionArn: o.connectionArn,
        owner: o.owner,
        repo: o.repo,
        branch: this.branch,
        // A dry-run pipeline runs on pull requests (see `_triggers`), never on pushes.
        triggerOnPush: !dryRun,
        output,
      });
    }
    const o = this.ecrOptions!;
    return new actions.EcrSourceAction({ actionName: 'ECR', repository: o.repository, imageTag: o.tag ?? 'latest', output });
  }

  /**
   * The pipeline triggers: for a dry run from a Git repository, pull requests into the branch.
   *
   * @internal
   */
  public _triggers(action: codepipeline.IAction, dryRun: boolean): codepipeline.TriggerProps[] | undefined {
    if (!dryRun || !this.connectionOptions) return undefined;
    return [{
      providerType: codepipeline.ProviderType.CODE_STAR_SOURCE_CONNECTION,
      gitConfiguration: {
        sourceAction: action,
        pullRequestFilter: [{
          branchesIncludes: [this.branch],
          events: [codepipeline.GitPullRequestEvent.OPEN, codepipeline.GitPullRequestEvent.UPDATED],
        }],
      },
    }];
  }

  private get branch(): string {
    return this.connectionOptions?.branch ?? 'main';
  }
}
