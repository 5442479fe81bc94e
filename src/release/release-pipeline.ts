import { CfnOutput, Names, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { COMMIT_VARIABLE, imageBuildSpec, publishBuildSpec, siteBuildSpec, smokeBuildSpec } from './private/buildspecs';
import { acknowledgeReleasePolicies, buildHostFor, releaseProject, ReleaseProjectOptions } from './private/projects';
import { shared } from './private/share';
import { ReleaseArtifacts } from './release-artifacts';
import { ImageBuildOptions, SiteBuildOptions } from './release-build-options';
import { ReleaseEnvironment } from './release-environment';
import { ReleaseFlow, ReleaseFlowKind, ReleaseSource } from './release-source';
import { Profile } from '../core/profile';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { acknowledge } from '../private/nag';
import { LeanStackValidationError, checkPattern, checkRequired } from '../private/validate';

/** Properties of a `ReleasePipeline`. */
export interface ReleasePipelineProps {
  /** The application repository. */
  readonly source: ReleaseSource;
  /** Where the images and pipeline artifacts are stored. */
  readonly artifacts: ReleaseArtifacts;
  /** The environments, in promotion order (e.g. dev, UAT, prod). */
  readonly environments: ReleaseEnvironment[];
  /**
   * How commits reach the environments.
   *
   * @default ReleaseFlow.trunk('main')
   */
  readonly flow?: ReleaseFlow;
  /**
   * How the container image is built.
   *
   * @default - the `Dockerfile` at the repository root
   */
  readonly image?: ImageBuildOptions;
  /**
   * How the SPA is built, when an environment has a site.
   *
   * @default - `npm ci && npm run build` in `web/`, publishing `web/dist`
   */
  readonly siteBuild?: SiteBuildOptions;
  /**
   * The profile (build log retention).
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * The topic told of failed releases and pending approvals.
   *
   * @default - a new topic
   */
  readonly notificationTopic?: sns.ITopic;
}

/**
 * A release path from a push to running code, on CodePipeline V2 (no monthly fee) with CodeBuild
 * doing the work: the image is built once per CPU architecture on a native build host and pushed
 * under an immutable tag (the commit id), the SPA is built once, and the same artifacts go through
 * every environment in order: migrate, deploy that exact image (circuit breaker and alarm
 * rollback), publish the site and invalidate, smoke-test through the real front door. The last
 * environment waits for an approval. A failed step stops the release and tells the topic.
 *
 * @example
 * import { ReleaseArtifacts, ReleaseEnvironment, ReleasePipeline, ReleaseSource } from 'cdk-lean-stack';
 *
 * declare const artifacts: ReleaseArtifacts;
 * declare const dev: ReleaseEnvironment;
 * declare const uat: ReleaseEnvironment;
 * declare const prod: ReleaseEnvironment;
 * new ReleasePipeline(this, 'Release', {
 *   source: ReleaseSource.connection({
 *     connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/abcd-1234',
 *     repository: 'my-org/my-app',
 *   }),
 *   artifacts,
 *   environments: [dev, uat, prod],
 * });
 */
export class ReleasePipeline extends Construct {
  /** The pipelines: one for a trunk, one per environment with a branch per environment. */
  public readonly pipelines: codepipeline.Pipeline[];
  /** The first (for a trunk, the only) pipeline. */
  public readonly pipeline: codepipeline.Pipeline;
  /** The first pipeline's name. */
  public readonly pipelineName: string;
  /** The topic told of failed releases and pending approvals. */
  public readonly notificationTopic: sns.ITopic;
  /** The image build projects, one per CPU architecture the environments run. */
  public readonly imageProjects: codebuild.PipelineProject[];
  /** The SPA build project, when an environment has a site. */
  public readonly siteProject?: codebuild.PipelineProject;
  /** The project that publishes the site to an environment and invalidates its distribution. */
  public readonly publishProject?: codebuild.PipelineProject;
  /** The smoke test project. */
  public readonly smokeProject: codebuild.PipelineProject;
  /** The environments, in promotion order. */
  public readonly environments: ReleaseEnvironment[];
  private readonly props: ReleasePipelineProps;
  private readonly architectures: ecs.CpuArchitecture[];

  constructor(scope: Construct, id: string, props: ReleasePipelineProps) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    const profile = Profile.resolve(props.profile);
    profile.validate(this);
    this.props = props;
    this.environments = props.environments;
    const flow = props.flow ?? ReleaseFlow.trunk();
    this.checkProps(props, flow);
    const options: ReleaseProjectOptions = { logRetention: profile.logRetention, removalPolicy: profile.storeRemovalPolicy };

    this.notificationTopic = props.notificationTopic ?? this.createTopic();
    this.architectures = [...new Set(props.environments.map((e) => e.architecture))];
    this.imageProjects = this.architectures.map((arch) => this.createImageProject(arch, options));
    if (props.environments.some((e) => e.site)) {
      const site = props.siteBuild ?? {};
      this.siteProject = releaseProject(this, 'SiteBuild', {
        ...options,
        description: 'Builds the SPA once per release',
        buildSpec: siteBuildSpec({
          directory: site.directory ?? 'web',
          installCommand: site.installCommand ?? 'npm ci',
          buildCommand: site.buildCommand ?? 'npm run build',
          outputDirectory: site.outputDirectory ?? 'dist',
          nodeVersion: site.nodeVersion ?? '20',
        }),
      });
      this.publishProject = releaseProject(this, 'Publish', { ...options, description: 'Publishes the built SPA and invalidates the distribution', buildSpec: publishBuildSpec() });
    }
    this.smokeProject = releaseProject(this, 'Smoke', { ...options, description: 'Calls the health path and the site through the front door', buildSpec: smokeBuildSpec() });

    this.pipelines = flow.kind === ReleaseFlowKind.TRUNK
      ? [this.createPipeline('Pipeline', flow.branch!, props.environments)]
      : props.environments.map((e) => this.createPipeline(`Pipeline-${e.name}`, e.branch!, [e]));
    this.pipeline = this.pipelines[0];
    this.pipelineName = this.pipeline.pipelineName;
    acknowledgeReleasePolicies(this);
  }

  /**
   * Adds stack outputs: each pipeline's name and, per environment, the API URL, the site URL,
   * the site bucket and the distribution id. None are added unless you call this.
   */
  public addOutputs(): void {
    const scope = new Construct(this, 'Outputs');
    this.pipelines.forEach((p, i) => new CfnOutput(scope, `PipelineName${i}`, { description: 'Release pipeline', value: p.pipelineName }));
    for (const env of this.environments) {
      new CfnOutput(scope, `${env.name}ApiUrl`, { description: `API URL (${env.name})`, value: env.apiUrl });
      if (env.site) {
        new CfnOutput(scope, `${env.name}SiteUrl`, { description: `Site URL (${env.name})`, value: env.siteUrl! });
        new CfnOutput(scope, `${env.name}SiteBucket`, { description: `Site bucket (${env.name})`, value: env.site.bucket.bucketName });
        new CfnOutput(scope, `${env.name}DistributionId`, { description: `CloudFront distribution id (${env.name})`, value: env.site.distribution.distributionId });
      }
    }
  }

  private createPipeline(id: string, branch: string, environments: ReleaseEnvironment[]): codepipeline.Pipeline {
    const source = new codepipeline.Artifact('Source');
    const sourceAction = this.props.source._action(branch, source);
    const pipeline = new codepipeline.Pipeline(this, id, {
      pipelineType: codepipeline.PipelineType.V2,
      // One release at a time, in order: migrations apply in the order commits were pushed.
      executionMode: codepipeline.ExecutionMode.QUEUED,
      artifactBucket: this.props.artifacts.bucketFor(this),
      restartExecutionOnUpdate: false,
    });
    pipeline.addStage({ stageName: 'Source', actions: [sourceAction] });

    // Build once: one image per architecture the environments run, and the site.
    const images = new Map<ecs.CpuArchitecture, codepipeline.Artifact>();
    const buildActions: codepipeline.IAction[] = [];
    const archs = [...new Set(environments.map((e) => e.architecture))];
    for (const arch of archs) {
      const output = new codepipeline.Artifact(`Image${buildHostFor(arch).suffix}`);
      images.set(arch, output);
      buildActions.push(new actions.CodeBuildAction({
        actionName: `Image-${buildHostFor(arch).suffix}`,
        project: this.imageProjects[this.architectures.indexOf(arch)],
        input: source,
        outputs: [output],
        environmentVariables: { [COMMIT_VARIABLE]: { value: sourceAction.variables.commitId } },
      }));
    }
    const site = environments.some((e) => e.site) ? new codepipeline.Artifact('Site') : undefined;
    if (site) buildActions.push(new actions.CodeBuildAction({ actionName: 'Site', project: this.siteProject!, input: source, outputs: [site] }));
    pipeline.addStage({ stageName: 'Build', actions: buildActions });

    const last = this.environments[this.environments.length - 1];
    for (const env of environments) {
      if (env.manualApproval ?? env === last) {
        pipeline.addStage({
          stageName: `Approve-${env.name}`,
          actions: [new actions.ManualApprovalAction({
            actionName: 'Approve',
            notificationTopic: this.notificationTopic,
            additionalInformation: `Release ${sourceAction.variables.commitId} to ${env.name}: it passed every earlier environment's migration, deploy and smoke test.`,
          })],
        });
      }
      pipeline.addStage({ stageName: env.name, actions: this.environmentActions(env, source, images.get(env.architecture)!, site) });
    }

    pipeline.onStateChange('Failed', {
      description: 'Tells the notification topic when a release fails',
      eventPattern: { detail: { state: ['FAILED'] } },
      target: new targets.SnsTopic(this.notificationTopic, {
        message: events.RuleTargetInput.fromText(
          `Release pipeline ${events.EventField.fromPath('$.detail.pipeline')} failed (execution ${events.EventField.fromPath('$.detail.execution-id')}); a failed deploy was rolled back by ECS.`,
        ),
      }),
    });
    return pipeline;
  }

  /** Migrate, then deploy the exact image, publish the site, smoke-test: in that order. */
  private environmentActions(
    env: ReleaseEnvironment, source: codepipeline.Artifact, image: codepipeline.Artifact, site?: codepipeline.Artifact,
  ): codepipeline.IAction[] {
    const list: codepipeline.IAction[] = [];
    let runOrder = 1;
    if (env.migration) {
      // An imported project: the environment's stack grants it the artifact bucket, so the
      // pipeline's stack depends on the environment's and never the reverse.
      const project = codebuild.Project.fromProjectName(this, `${env.name}Migration`, env.migration.project.projectName);
      list.push(new actions.CodeBuildAction({ actionName: 'Migrate', project, input: source, runOrder: runOrder++ }));
    }
    list.push(new actions.EcsDeployAction({
      actionName: 'Deploy',
      service: env.service.service,
      imageFile: image.atPath(`imagedefinitions-${env.name}.json`),
      runOrder: runOrder++,
    }));
    if (env.site && site) {
      // Imported under export names we choose, so the grants' acknowledgements can name them.
      const bucketName = shared(env.site, this, env.site.bucket.bucketName, 'SiteBucket');
      const distributionId = shared(env.site, this, env.site.distribution.distributionId, 'DistributionId');
      const distributionArn = Stack.of(this).formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: distributionId });
      s3.Bucket.fromBucketName(this, `${env.name}SiteBucket`, bucketName).grantReadWrite(this.publishProject!);
      env.site.bucket.encryptionKey?.grantEncryptDecrypt(this.publishProject!);
      this.publishProject!.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: [distributionArn] }));
      list.push(new actions.CodeBuildAction({
        actionName: 'Publish',
        project: this.publishProject!,
        input: site,
        runOrder: runOrder++,
        environmentVariables: {
          SITE_BUCKET: { value: bucketName },
          DISTRIBUTION_ID: { value: distributionId },
        },
      }));
    }
    list.push(new actions.CodeBuildAction({
      actionName: 'Smoke',
      project: this.smokeProject,
      input: source,
      runOrder: runOrder++,
      environmentVariables: { HEALTH_URL: { value: env.healthCheckUrl }, SITE_URL: { value: env.siteUrl ?? '' } },
    }));
    return list;
  }

  private createImageProject(arch: ecs.CpuArchitecture, options: ReleaseProjectOptions): codebuild.PipelineProject {
    const host = buildHostFor(arch as ecs.CpuArchitecture);
    const image = this.props.image ?? {};
    const repository = this.props.artifacts.repository;
    const project = releaseProject(this, `Image${host.suffix}`, {
      ...options,
      description: `Builds the release image for ${host.platform} natively and pushes it under the commit id`,
      buildImage: host.image,
      privileged: true,
      environmentVariables: {
        REPOSITORY_URI: { value: repository.repositoryUri },
        REPOSITORY_NAME: { value: repository.repositoryName },
      },
      buildSpec: imageBuildSpec({
        platform: host.platform,
        tagSuffix: this.architectures.length > 1 ? `-${host.suffix}` : '',
        directory: image.directory ?? '.',
        dockerfile: image.dockerfile ?? 'Dockerfile',
        definitions: this.props.environments
          .filter((e) => e.architecture === arch)
          .map((e) => ({ file: `imagedefinitions-${e.name}.json`, containerName: e.service.containerName })),
      }),
    });
    repository.grantPullPush(project);
    repository.grant(project, 'ecr:DescribeImages');
    return project;
  }

  private createTopic(): sns.Topic {
    const topic = new sns.Topic(this, 'Notifications', { displayName: `Release ${Names.uniqueResourceName(this, { maxLength: 60 })}`, enforceSSL: true });
    acknowledge(topic, {
      ids: ['AwsSolutions-SNS2', 'HIPAA.Security-SNSEncryptedKMS', 'NIST.800.53.R5-SNSEncryptedKMS'],
      reason: 'The topic carries pipeline names, commit ids and approval links, never data or credentials, over TLS only; EventBridge cannot publish under the AWS managed SNS key and a customer managed key costs 1 USD a month. Pass `notificationTopic` to use an encrypted one.',
    });
    return topic;
  }

  private checkProps(props: ReleasePipelineProps, flow: ReleaseFlow): void {
    checkRequired(this, 'source', props.source, 'for a release pipeline');
    props.source._validate(this);
    if (!props.environments || props.environments.length === 0) {
      throw new LeanStackValidationError(this, '`environments` must list at least one ReleaseEnvironment, in promotion order, got: []');
    }
    const seen = new Set<string>();
    for (const env of props.environments) {
      if (seen.has(env.name.toLowerCase())) throw new LeanStackValidationError(this, `\`environments\` must have distinct names, got: '${env.name}' twice`);
      seen.add(env.name.toLowerCase());
      if (flow.kind === ReleaseFlowKind.BRANCH_PER_ENVIRONMENT) checkRequired(this, `environments[${env.name}].branch`, env.branch, 'with ReleaseFlow.branchPerEnvironment()');
    }
    if (flow.branch !== undefined) checkPattern(this, 'flow.branch', flow.branch, /^[^\s:*?~^\\]+$/, 'an exact git branch name (no spaces, :, *, ?, ~, ^ or \\)');
    const paths = [
      ['image.directory', props.image?.directory], ['image.dockerfile', props.image?.dockerfile],
      ['siteBuild.directory', props.siteBuild?.directory], ['siteBuild.outputDirectory', props.siteBuild?.outputDirectory],
    ];
    for (const [prop, value] of paths) {
      if (value !== undefined) checkPattern(this, prop!, value, /^[A-Za-z0-9._/-]+$/, 'a relative path of letters, digits, ., _, / or -');
    }
  }
}
