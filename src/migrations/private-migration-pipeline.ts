import { Duration } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MigrationEgressMode } from './migration-egress-mode';
import { MigrationProject } from './migration-project';
import { MigrationSource } from './migration-source';
import { MigrationTool } from './migration-tool';
import { IMigrationRunner, IMonolithService, INetwork, IPostgresDatabase } from '../core/contracts';
import { Profile } from '../core/profile';
import { MODE, MODE_VARIABLE } from './private/buildspec';
import { scopedEcsDeployRole } from './private/deploy-role';
import { acknowledgePipelineTradeOffs } from './private/pipeline-nag';
import { SnapshotProject } from './private/snapshot';
import { CLI_ROLE, tagForCli } from '../private/cli-tags';
import { resolveProfile } from '../private/profile';
import { checkName, checkPattern, checkRequired, LeanStackValidationError, NAME_RULES } from '../private/validate';
import { allowEventsToUseKey, createArtifactBucket, createNotificationTopic, notifyFailures } from './private/pipeline-parts';

/** The deploy stage of a `PrivateMigrationPipeline`. */
export interface MigrationDeployOptions {
  /** The service to deploy once the migration succeeded. */
  readonly service: IMonolithService;
  /**
   * The `imagedefinitions.json` in the source (`[{"name": "<container>", "imageUri": "..."}]`),
   * written by your CI next to the migrations.
   *
   * @default 'imagedefinitions.json'
   */
  readonly imageDefinitionsFile?: string;
  /**
   * How long the ECS deployment may take.
   *
   * @default Duration.minutes(60)
   */
  readonly deploymentTimeout?: Duration;
}

/** Properties of a `PrivateMigrationPipeline`. */
export interface PrivateMigrationPipelineProps {
  /** The network the migration build runs in: the database's network. */
  readonly network: INetwork;
  /** The database to migrate. */
  readonly database: IPostgresDatabase;
  /** Where the migrations come from. */
  readonly source: MigrationSource;
  /**
   * The migration tool, at a pinned version.
   *
   * @default MigrationTool.liquibase()
   */
  readonly tool?: MigrationTool;
  /**
   * The deployment profile.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * Only check the migrations (validate, `update-sql`, `info`, `verify`) and keep the report, never
   * migrate or deploy. With a CodeStar connection source the pipeline runs on pull requests into
   * the branch instead of on pushes.
   *
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * A manual approval between the checks and the migration, so that someone reads the report first.
   *
   * @default - true in production profiles
   */
  readonly manualApproval?: boolean;
  /**
   * A manual snapshot of the database before migrating, kept until you delete it and billed as
   * snapshot storage. Needs a database that exposes its `instance` or `cluster`.
   *
   * @default false - production profiles keep at least 7 days of point-in-time recovery
   */
  readonly snapshotBeforeMigrate?: boolean;
  /**
   * Deploy the service after the migration succeeded.
   *
   * @default - no deploy stage
   */
  readonly deploy?: MigrationDeployOptions;
  /**
   * The topic told of failures and pending approvals.
   *
   * @default - a new topic, encrypted with `encryptionKey` when one is given
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * A customer managed key for the artifacts, logs and the notification topic.
   *
   * @default - no customer managed key (it would cost 1 USD a month): artifacts use S3 managed
   * keys, logs CloudWatch Logs' own encryption, and the topic carries only pipeline names and
   * execution ids
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Object Lock on the artifact bucket, without a default retention: nothing is locked (artifacts
   * still expire), but versioning can no longer be suspended (AWS Control Tower's CT.S3.PR.9).
   * Off by default because CloudFormation may replace an existing bucket to turn it on (a new,
   * empty artifact bucket; the old one is retained).
   *
   * @default false
   */
  readonly objectLock?: boolean;
  /**
   * How long the migration build may run (5 to 480 minutes).
   *
   * @default Duration.minutes(60)
   */
  readonly timeout?: Duration;
  /**
   * Where the migration runs: a Fargate task in the public subnets, or a build in the VPC through NAT or endpoints.
   *
   * @default - NAT when the network has NAT, FARGATE_TASK otherwise (no fixed cost)
   */
  readonly egressMode?: MigrationEgressMode;
  /**
   * The subnets the migration build (or Fargate task) runs in.
   *
   * @default - public subnets for a Fargate task; private with NAT, isolated otherwise for a build
   */
  readonly subnetSelection?: ec2.SubnetSelection;
  /**
   * The migration build's compute type.
   *
   * @default codebuild.ComputeType.SMALL
   */
  readonly computeType?: codebuild.ComputeType;
  /**
   * How long build logs are kept.
   *
   * @default - the profile's `logRetention`
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The pipeline's name.
   *
   * @default - generated
   */
  readonly pipelineName?: string;
}

/**
 * A CodePipeline (V2: no monthly fee) that checks, then applies schema migrations from inside the
 * VPC (a one-off Fargate task when the network has no NAT, a CodeBuild build in the VPC when it has), before the new version of the service deploys: source, validate (report
 * kept as an artifact), optional approval, optional snapshot, migrate, optional ECS deploy.
 *
 * @example
 * import { INetwork, IPostgresDatabase, MigrationSource, MigrationTool, PrivateMigrationPipeline } from 'cdk-lean-stack';
 *
 * declare const network: INetwork;
 * declare const database: IPostgresDatabase;
 *
 * new PrivateMigrationPipeline(this, 'Migrations', {
 *   network,
 *   database,
 *   source: MigrationSource.codeStarConnection({
 *     connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/abcd-1234',
 *     owner: 'my-org',
 *     repo: 'my-app',
 *   }),
 *   tool: MigrationTool.liquibase({ changelogFile: 'db/changelog.yaml' }),
 * });
 */
export class PrivateMigrationPipeline extends Construct implements IMigrationRunner {
  /** The pipeline. */
  public readonly pipeline: codepipeline.Pipeline;
  /** The migration build in the VPC: its CodeBuild `project`, security group and build spec. */
  public readonly migrationBuild: MigrationProject;
  /** The migration CodeBuild project. */
  public readonly project: codebuild.IProject;
  /** The snapshot build, when `snapshotBeforeMigrate` is on. */
  public readonly snapshotProject?: codebuild.Project;
  /** The pipeline's artifacts bucket. */
  public readonly artifactBucket: s3.Bucket;
  /** The bucket the artifact bucket's access logs go to, in profiles that log access. */
  public readonly accessLogBucket?: s3.Bucket;
  /** The topic told of failures and pending approvals. */
  public readonly notificationTopic: sns.ITopic;
  /** The customer managed key for the artifacts, logs and topic, when one was given. */
  public readonly encryptionKey?: kms.IKey;
  /** Where the migration runs and how it gets out. */
  public readonly egressMode: MigrationEgressMode;
  /** The checks' report (`update.sql`, `info.txt`, ...), an output of the Validate stage. */
  public readonly validationReport: codepipeline.Artifact;

  constructor(scope: Construct, id: string, props: PrivateMigrationPipelineProps) {
    super(scope, id);
    const profile = resolveProfile(this, props.profile);
    const dryRun = props.dryRun ?? false;
    const manualApproval = props.manualApproval ?? (profile.production && !dryRun);
    const snapshot = props.snapshotBeforeMigrate ?? false;
    this.checkProps(props, dryRun, snapshot);

    // No key of our own by default: a customer managed key would be this construct's only fixed
    // monthly cost (1 USD). Users who want one pass `encryptionKey` (or the observability topic).
    this.encryptionKey = props.encryptionKey;
    if (this.encryptionKey) allowEventsToUseKey(this.encryptionKey);
    this.notificationTopic = props.notificationTopic ?? createNotificationTopic(this, this.encryptionKey);
    const artifacts = createArtifactBucket(this, {
      key: this.encryptionKey,
      objectLock: props.objectLock ?? false,
      accessLogs: profile.accessLogs,
      logRetention: profile.logRetention,
      removalPolicy: profile.storeRemovalPolicy,
    });
    this.artifactBucket = artifacts.bucket;
    this.accessLogBucket = artifacts.logBucket;

    this.migrationBuild = new MigrationProject(this, 'Migration', {
      network: props.network,
      database: props.database,
      tool: props.tool,
      profile,
      buildImage: props.source.buildImage,
      egressMode: props.egressMode,
      subnetSelection: props.subnetSelection,
      computeType: props.computeType,
      timeout: props.timeout,
      logRetention: props.logRetention,
      encryptionKey: this.encryptionKey,
    });
    this.project = this.migrationBuild.project;
    this.egressMode = this.migrationBuild.egressMode;

    const sourceOutput = new codepipeline.Artifact('Source');
    this.validationReport = new codepipeline.Artifact('ValidationReport');
    const sourceAction = props.source._action(this, sourceOutput, dryRun);
    checkName(this, 'pipelineName', props.pipelineName, NAME_RULES.codePipeline);
    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: props.pipelineName,
      pipelineType: codepipeline.PipelineType.V2,
      // One execution at a time, in order: migrations must apply in the order they were pushed.
      executionMode: codepipeline.ExecutionMode.QUEUED,
      artifactBucket: this.artifactBucket,
      restartExecutionOnUpdate: false,
      triggers: props.source._triggers(sourceAction, dryRun),
    });
    tagForCli(this.pipeline, CLI_ROLE.migrationPipeline); // `npx cdk-lean-stack status` reads its last run
    this.pipeline.addStage({ stageName: 'Source', actions: [sourceAction] });
    this.pipeline.addStage({
      stageName: 'Validate',
      actions: [this.buildAction('Validate', sourceOutput, this.validationReport, MODE.dryRun)],
    });
    if (!dryRun) this.snapshotProject = this.addApplyStages(props, profile, sourceOutput, manualApproval, snapshot);
    notifyFailures(this.pipeline, this.notificationTopic);
    acknowledgePipelineTradeOffs(this, this.artifactBucket, profile.accessLogs);
  }

  /**
   * Adds the stages that change the database and the service: approval, snapshot, migrate,
   * deploy. Returns the snapshot build's project, if any.
   */
  private addApplyStages(
    props: PrivateMigrationPipelineProps, profile: Profile, sourceOutput: codepipeline.Artifact, manualApproval: boolean, snapshot: boolean,
  ): codebuild.Project | undefined {
    let snapshotProject: codebuild.Project | undefined;
    if (manualApproval) {
      this.pipeline.addStage({
        stageName: 'Approve',
        actions: [new actions.ManualApprovalAction({
          actionName: 'ApproveMigration',
          notificationTopic: this.notificationTopic,
          additionalInformation: 'Read the ValidationReport artifact (the SQL or plan about to run) before approving the migration.',
        })],
      });
    }
    if (snapshot) {
      const snapshotBuild = new SnapshotProject(this, 'Snapshot', {
        database: props.database,
        logRetention: props.logRetention ?? profile.logRetention,
        removalPolicy: profile.storeRemovalPolicy,
        encryptionKey: this.encryptionKey,
      });
      snapshotProject = snapshotBuild.project;
      this.pipeline.addStage({
        stageName: 'Snapshot',
        actions: [new actions.CodeBuildAction({ actionName: 'Snapshot', project: snapshotBuild.project, input: sourceOutput })],
      });
    }
    this.pipeline.addStage({
      stageName: 'Migrate',
      actions: [this.buildAction('Migrate', sourceOutput, new codepipeline.Artifact('MigrationReport'), MODE.migrate)],
    });
    if (props.deploy) {
      // Stages run in order and stop at the first failure: the deploy runs only after the migration succeeded.
      this.pipeline.addStage({
        stageName: 'Deploy',
        actions: [new actions.EcsDeployAction({
          actionName: 'Deploy',
          service: props.deploy.service.service,
          // Only this service and its roles, not aws-cdk-lib's ecs:UpdateService and iam:PassRole on `*`.
          role: scopedEcsDeployRole(this, this.pipeline.role, props.deploy.service.service, this.artifactBucket),
          imageFile: sourceOutput.atPath(props.deploy.imageDefinitionsFile ?? 'imagedefinitions.json'),
          deploymentTimeout: props.deploy.deploymentTimeout ?? Duration.minutes(60),
        })],
      });
    }
    return snapshotProject;
  }

  private buildAction(name: string, input: codepipeline.Artifact, output: codepipeline.Artifact, mode: string): actions.CodeBuildAction {
    return new actions.CodeBuildAction({
      actionName: name,
      project: this.migrationBuild.project,
      input,
      outputs: [output],
      // The Fargate runner tags its image with the execution id: Migrate reuses what Validate built.
      environmentVariables: { [MODE_VARIABLE]: { value: mode }, ...(this.egressMode === MigrationEgressMode.FARGATE_TASK ? { PIPELINE_EXECUTION_ID: { value: '#{codepipeline.PipelineExecutionId}' } } : {}) },
    });
  }

  private checkProps(props: PrivateMigrationPipelineProps, dryRun: boolean, snapshot: boolean): void {
    if (!props.source) checkRequired(this, 'source', props.source, 'for a migration pipeline');
    if (dryRun) {
      const conflicts: Array<[string, boolean]> = [['deploy', props.deploy !== undefined], ['manualApproval', props.manualApproval === true], ['snapshotBeforeMigrate', snapshot]];
      for (const [prop, set] of conflicts) {
        if (set) throw new LeanStackValidationError(this, `\`${prop}\` cannot be used with \`dryRun: true\` (a dry run never migrates nor deploys); remove one`);
      }
    }
    if (props.deploy) {
      checkRequired(this, 'deploy.service', props.deploy.service, 'when `deploy` is set');
      if (!props.source.carriesFiles) {
        throw new LeanStackValidationError(this,
          `\`deploy\` needs an \`imagedefinitions.json\` in the source, got: a source of kind '${props.source.kind}' that carries only the migration image; use an S3 or CodeStar connection source`);
      }
      const file = props.deploy.imageDefinitionsFile;
      if (file !== undefined) checkPattern(this, 'deploy.imageDefinitionsFile', file, /^[A-Za-z0-9._/-]+\.json$/, 'a path to a .json file in the source');
    }
  }
}
