import { Duration, Token } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { MigrationEgressMode } from './migration-egress-mode';
import { MigrationTool } from './migration-tool';
import { chooseMigrationEgress, defaultTaskSubnets } from './private/egress-choice';
import { TaskRunner } from './private/task-runner';
import { IMigrationRunner, INetwork, IPostgresDatabase } from '../core/contracts';
import { Profile } from '../core/profile';
import { MODE, MODE_VARIABLE, REPORT_DIR, migrationBuildSpec } from './private/buildspec';
import { checkDatabaseReachable } from './private/checks';
import { allowLogsToUseKey } from '../private/kms';
import { defaultBuildSubnets } from './private/egress';
import { acknowledgeGeneratedPolicies, acknowledgeNonGitSource } from './private/nag';
import { NAG, acknowledge } from '../private/nag';
import { resolveProfile } from '../private/profile';
import { LeanStackValidationError, checkLogRetentionDays, checkName, checkRange, NAME_RULES, reraise } from '../private/validate';

/** Properties of a `MigrationProject`. */
export interface MigrationProjectProps {
  /** The network the build runs in: the database's network. */
  readonly network: INetwork;
  /** The database to migrate. It admits the build's security group on its port. */
  readonly database: IPostgresDatabase;
  /**
   * The migration tool, at a pinned version.
   *
   * @default MigrationTool.liquibase()
   */
  readonly tool?: MigrationTool;
  /**
   * The deployment profile (log retention, what happens to logs on stack delete).
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * Where the build's source comes from when you start builds yourself.
   *
   * @default - CodePipeline provides the source (a pipeline project, for a `CodeBuildAction`)
   */
  readonly source?: codebuild.ISource;
  /**
   * The build image, overriding the tool's (e.g. an image that bundles the tool and your migrations).
   * With `egressMode` FARGATE_TASK, the image the migration image is built from.
   *
   * @default - the tool's image
   */
  readonly buildImage?: codebuild.IBuildImage;
  /**
   * Where the migration runs and how it gets out: a Fargate task in the public subnets
   * (FARGATE_TASK), or a CodeBuild build in the VPC through NAT (NAT) or interface endpoints
   * (VPC_ENDPOINTS).
   *
   * @default - NAT when the network has NAT, FARGATE_TASK otherwise (no fixed cost)
   */
  readonly egressMode?: MigrationEgressMode;
  /**
   * The subnets the build (or, with `egressMode` FARGATE_TASK, the task) runs in.
   *
   * @default - the public subnets for a Fargate task; private subnets with egress when the network
   * has NAT, isolated subnets otherwise
   */
  readonly subnetSelection?: ec2.SubnetSelection;
  /**
   * The build's compute type.
   *
   * @default codebuild.ComputeType.SMALL
   */
  readonly computeType?: codebuild.ComputeType;
  /**
   * How long a build may run before CodeBuild stops it (5 to 480 minutes).
   *
   * @default Duration.minutes(60)
   */
  readonly timeout?: Duration;
  /**
   * How long build logs are kept.
   *
   * @default - the profile's `logRetention`
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * A customer managed key for the build's artifacts and logs.
   *
   * @default - AWS managed encryption (no key to pay for)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * A topic told when a build fails.
   *
   * @default - no notification
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * The CodeBuild project's name.
   *
   * @default - generated
   */
  readonly projectName?: string;
}

/** Options for `MigrationProject.toCodeBuildStep()`. */
export interface MigrationStepOptions {
  /** The file set holding the migrations (e.g. `pipelines.CodePipelineSource.connection(...)`). */
  readonly input: pipelines.IFileSetProducer;
  /**
   * Run only the checks (validate, `update-sql`, `info`, `verify`), not the migration.
   *
   * @default false
   */
  readonly dryRun?: boolean;
}

/**
 * A CodeBuild project that runs schema migrations in the VPC, in a security group the database
 * admits, with the credentials read from the database's secret: as a one-off Fargate task in the
 * public subnets that the project builds and starts (no NAT needed), or as a build inside the VPC
 * when the network has NAT or endpoints. Use it alone (in your own CodePipeline, or as a CDK Pipelines step through `toCodeBuildStep()`),
 * or through `PrivateMigrationPipeline`. Costs nothing while idle.
 *
 * @example
 * import { INetwork, IPostgresDatabase, MigrationProject, MigrationTool } from 'cdk-lean-stack';
 *
 * declare const network: INetwork;
 * declare const database: IPostgresDatabase;
 *
 * const migrations = new MigrationProject(this, 'Migrations', {
 *   network,
 *   database,
 *   tool: MigrationTool.flyway({ migrationsDirectory: 'db/sql' }),
 * });
 */
export class MigrationProject extends Construct implements IMigrationRunner {
  /** The CodeBuild project (a `codebuild.PipelineProject` unless `source` is given). */
  public readonly project: codebuild.IProject;
  /** The security group of the build (or of the Fargate task), admitted by the database on its port. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The build logs. */
  public readonly logGroup: logs.LogGroup;
  /** Where the migration runs and how it gets out. */
  public readonly egressMode: MigrationEgressMode;
  /** The repository of the migration images, with `egressMode` FARGATE_TASK. */
  public readonly imageRepository?: ecr.Repository;
  /** The cluster the migration tasks run in, with `egressMode` FARGATE_TASK. */
  public readonly cluster?: ecs.Cluster;
  /** The migration task's definition (each run registers a revision with its image), with `egressMode` FARGATE_TASK. */
  public readonly taskDefinition?: ecs.FargateTaskDefinition;
  /** The migration task's logs, with `egressMode` FARGATE_TASK. */
  public readonly taskLogGroup?: logs.LogGroup;
  /** The tool the build runs. */
  public readonly tool: MigrationTool;
  /** The build image (with `egressMode` FARGATE_TASK, the one that builds the migration image). */
  public readonly buildImage: codebuild.IBuildImage;
  /** The subnets the build (or the Fargate task) runs in. */
  public readonly subnetSelection: ec2.SubnetSelection;
  /** The generated build spec (the same one `toCodeBuildStep()` uses). */
  public readonly buildSpec: codebuild.BuildSpec;
  private readonly props: MigrationProjectProps;
  private readonly computeType: codebuild.ComputeType;
  private readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: MigrationProjectProps) {
    super(scope, id);
    const profile = resolveProfile(this, props.profile);
    this.props = props;
    this.tool = props.tool ?? MigrationTool.liquibase();
    this.tool._validate(this);
    this.timeout = props.timeout ?? Duration.minutes(60);
    if (!this.timeout.isUnresolved()) checkRange(this, 'timeout', this.timeout.toMinutes(), { min: 5, max: 480, integer: true });
    this.computeType = props.computeType ?? codebuild.ComputeType.SMALL;
    const baseImage = props.buildImage ?? this.tool.image;

    const { network, database } = props;
    checkDatabaseReachable(this, network, database);
    this.egressMode = chooseMigrationEgress(this, network, baseImage, props.egressMode);
    const inVpc = this.egressMode !== MigrationEgressMode.FARGATE_TASK;
    checkLogRetentionDays(this, 'logRetention', props.logRetention);
    checkName(this, 'projectName', props.projectName, NAME_RULES.codeBuild);
    if (props.subnetSelection) reraise(this, 'subnetSelection', props.subnetSelection.subnetType ?? props.subnetSelection, () => network.vpc.selectSubnets(props.subnetSelection));
    this.subnetSelection = props.subnetSelection
      ?? (inVpc ? defaultBuildSubnets(this, network, this.egressMode) : defaultTaskSubnets(this, network));

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      description: inVpc ? 'Schema migration builds' : 'Schema migration tasks: no inbound rule',
      // The task pulls its image and reads its secret over its public IP: outbound stays open.
      allowAllOutbound: !inVpc,
    });
    if (inVpc) {
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs (NAT or endpoints) and image registries');
      const dbGroups = database.connections.securityGroups;
      if (dbGroups.length > 0) {
        dbGroups.forEach((g) => this.securityGroup.addEgressRule(g, ec2.Port.tcp(database.port), 'PostgreSQL'));
      } else {
        this.securityGroup.addEgressRule(ec2.Peer.ipv4(network.vpc.vpcCidrBlock), ec2.Port.tcp(database.port), 'PostgreSQL');
      }
    }
    database.allowFrom(this.securityGroup, inVpc ? 'Schema migration builds' : 'Schema migration tasks');

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? profile.logRetention,
      removalPolicy: profile.storeRemovalPolicy,
      encryptionKey: props.encryptionKey,
    });
    if (props.encryptionKey) allowLogsToUseKey(props.encryptionKey);

    let project: codebuild.Project;
    if (inVpc) {
      this.buildImage = baseImage;
      this.buildSpec = codebuild.BuildSpec.fromObject(migrationBuildSpec(this.tool, this.databaseFacts()));
      project = this.createVpcBuild();
      database.secret.grantRead(project);
    } else {
      const runner = new TaskRunner(this, 'Runner', {
        network,
        database,
        baseImage,
        tool: this.tool,
        subnetSelection: this.subnetSelection,
        securityGroup: this.securityGroup,
        buildLogGroup: this.logGroup,
        logRetention: props.logRetention ?? profile.logRetention,
        removalPolicy: profile.storeRemovalPolicy,
        computeType: this.computeType,
        timeout: this.timeout,
        containerInsights: profile.containerInsights,
        encryptionKey: props.encryptionKey,
        source: props.source,
        projectName: props.projectName,
      });
      ({ project, buildImage: this.buildImage, buildSpec: this.buildSpec } = runner);
      ({ repository: this.imageRepository, cluster: this.cluster, taskDefinition: this.taskDefinition, taskLogGroup: this.taskLogGroup } = runner);
    }
    this.project = project;
    this.acknowledgeTradeOffs(project);

    if (props.notificationTopic) {
      this.project.onBuildFailed('BuildFailed', { target: new targets.SnsTopic(props.notificationTopic) });
    }
  }

  /**
   * A CDK Pipelines step that runs the same migration build in the same subnets, security group
   * and image, reading the same secret. For teams that already have a CDK pipeline.
   *
   * @param id the step's id
   */
  public toCodeBuildStep(id: string, options: MigrationStepOptions): pipelines.CodeBuildStep {
    if (this.egressMode === MigrationEgressMode.FARGATE_TASK) {
      throw new LeanStackValidationError(this,
        '`toCodeBuildStep()` runs the build inside the VPC and needs `egressMode` NAT or VPC_ENDPOINTS, got: FARGATE_TASK; '
        + 'start `project` from your pipeline instead (e.g. a `CodeBuildAction`), or give the network NAT (`Egress.natInstance()`, about 6.72 USD a month)');
    }
    const secret = this.props.database.secret;
    const statements = [new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [secret.secretArn, `${secret.secretArn}-??????`],
    })];
    if (secret.encryptionKey) {
      statements.push(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [secret.encryptionKey.keyArn] }));
    }
    const spec = migrationBuildSpec(this.tool, this.databaseFacts());
    delete spec.artifacts; // CDK Pipelines owns the outputs: the report is the primary output
    return new pipelines.CodeBuildStep(id, {
      input: options.input,
      commands: [],
      partialBuildSpec: codebuild.BuildSpec.fromObject(spec),
      env: { [MODE_VARIABLE]: options.dryRun ? MODE.dryRun : MODE.migrate },
      primaryOutputDirectory: REPORT_DIR,
      vpc: this.props.network.vpc,
      subnetSelection: this.subnetSelection,
      securityGroups: [this.securityGroup],
      buildEnvironment: { buildImage: this.buildImage, computeType: this.computeType },
      rolePolicyStatements: statements,
      timeout: this.timeout,
      logging: { cloudWatch: { logGroup: this.logGroup } },
    });
  }

  private createVpcBuild(): codebuild.Project {
    const props = this.props;
    const common: codebuild.ProjectProps = {
      projectName: props.projectName,
      description: `Schema migrations (${this.tool.kind}) from inside the VPC`,
      vpc: props.network.vpc,
      subnetSelection: this.subnetSelection,
      securityGroups: [this.securityGroup],
      environment: { buildImage: this.buildImage, computeType: this.computeType },
      buildSpec: this.buildSpec,
      timeout: this.timeout,
      encryptionKey: props.encryptionKey,
      logging: { cloudWatch: { logGroup: this.logGroup } },
    };
    return props.source
      ? new codebuild.Project(this, 'Project', { ...common, source: props.source })
      : new codebuild.PipelineProject(this, 'Project', common);
  }

  private databaseFacts() {
    const db = this.props.database;
    const port = Token.isUnresolved(db.port) ? Token.asString(db.port) : String(db.port);
    return { secretArn: db.secret.secretArn, host: db.endpointAddress, port, name: db.databaseName };
  }

  private acknowledgeTradeOffs(project: codebuild.Project): void {
    acknowledgeNonGitSource(project);
    acknowledgeGeneratedPolicies(this);
    if (!this.buildImage.imageId.startsWith('aws/codebuild/')) {
      acknowledge(project, {
        ids: ['AwsSolutions-CB5'],
        reason: `The build runs the migration tool's own image at a pinned version (${this.buildImage.imageId}): ` +
          'nothing is downloaded at build time and no privileged Docker is needed.',
      });
    }
    if (!this.props.encryptionKey) {
      acknowledge(project, {
        ids: ['AwsSolutions-CB4'],
        reason: 'Build artifacts (migration reports, no credentials) use the AWS managed S3 key; a customer managed key costs 1 USD a month. Pass `encryptionKey` to use one.',
      });
      acknowledge(this.logGroup, {
        ids: [...NAG.logGroupKms],
        reason: 'Build logs hold no credentials (CodeBuild masks secrets) and are encrypted by CloudWatch Logs by default; a customer managed key costs 1 USD a month. Pass `encryptionKey` to use one.',
      });
    }
  }
}
