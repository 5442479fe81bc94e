import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { MODE, MODE_VARIABLE, REPORT_DIR, toolScript } from './buildspec';
import { CONTAINER_NAME, LOG_STREAM_PREFIX, WAIT_ROUND_MINUTES, WRITABLE_DIR, taskRunnerBuildSpec, taskScript, taskSecretKeys } from './task-runner-buildspec';
import { acknowledgeTaskRunner } from './task-runner-nag';
import { IPostgresDatabase, INetwork } from '../../core/contracts';
import { MigrationTool, MigrationToolKind } from '../migration-tool';

/** The runner task's memory, all of it the migration container's. */
const RUNNER_MEMORY_MIB = 1024;

/** How many migration images the repository keeps (older ones expire). */
export const KEPT_IMAGES = 10;

/** The tag of the task definition's first revision: every run registers a revision with its own image. */
export const PLACEHOLDER_TAG = 'replaced-by-each-run';

/** The tool images published for arm64 as well as amd64 (Docker Hub manifests lists). */
const ARM64_TOOL_IMAGES: { [kind: string]: (version: string) => string } = {
  [MigrationToolKind.LIQUIBASE]: (v) => `liquibase/liquibase:${v}`,
  [MigrationToolKind.FLYWAY]: (v) => `flyway/flyway:${v}`,
};

/** What the runner needs; the choices (image, subnets, logs) were made by `MigrationProject`. */
export interface TaskRunnerProps {
  readonly network: INetwork;
  readonly database: IPostgresDatabase;
  readonly tool: MigrationTool;
  /** The image the migration image is built from. */
  readonly baseImage: codebuild.IBuildImage;
  readonly subnetSelection: ec2.SubnetSelection;
  /** The task's security group, already admitted by the database. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The build's log group. */
  readonly buildLogGroup: logs.ILogGroup;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly computeType: codebuild.ComputeType;
  readonly timeout: Duration;
  /** Container Insights on the runner's cluster (the profile's decision). */
  readonly containerInsights: boolean;
  readonly encryptionKey?: kms.IKey;
  readonly source?: codebuild.ISource;
  readonly projectName?: string;
}

/**
 * The Fargate task mode of `MigrationProject`: a CodeBuild project outside the VPC (it has the
 * internet, so no NAT) builds the migration image, pushes it to a repository of its own and runs it
 * as a one-off Fargate task in the public subnets; the task reaches the database inside the VPC.
 */
export class TaskRunner extends Construct {
  public readonly project: codebuild.Project;
  public readonly repository: ecr.Repository;
  public readonly cluster: ecs.Cluster;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly taskLogGroup: logs.LogGroup;
  public readonly buildImage: codebuild.IBuildImage;
  public readonly buildSpec: codebuild.BuildSpec;
  public readonly architecture: ecs.CpuArchitecture;

  constructor(scope: Construct, id: string, props: TaskRunnerProps) {
    super(scope, id);
    const { tool, network } = props;
    const arm = ARM64_TOOL_IMAGES[tool.kind]?.(tool.version ?? '') === props.baseImage.imageId;
    this.architecture = arm ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64;
    // Docker builds natively for the build host's architecture: no emulation.
    this.buildImage = arm ? codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0 : codebuild.LinuxBuildImage.AMAZON_LINUX_2023_5;

    this.repository = new ecr.Repository(this, 'Images', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: props.encryptionKey ? ecr.RepositoryEncryption.KMS : ecr.RepositoryEncryption.AES_256,
      encryptionKey: props.encryptionKey,
      lifecycleRules: [{ description: `Keep the last ${KEPT_IMAGES} migration images`, maxImageCount: KEPT_IMAGES }],
      removalPolicy: props.removalPolicy,
      // The images are rebuilt from the source on the next run: nothing to keep when the stack goes.
      emptyOnDelete: props.removalPolicy === RemovalPolicy.DESTROY ? true : undefined,
    });
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: network.vpc,
      containerInsightsV2: props.containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
    });
    this.taskLogGroup = new logs.LogGroup(this, 'TaskLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
    });
    this.taskDefinition = this.createTaskDefinition(props);

    const subnets = network.vpc.selectSubnets(props.subnetSelection);
    const waitRounds = Math.max(1, Math.floor((props.timeout.toMinutes() - 5) / WAIT_ROUND_MINUTES));
    this.buildSpec = codebuild.BuildSpec.fromObject(taskRunnerBuildSpec({
      repositoryUri: this.repository.repositoryUri,
      repositoryName: this.repository.repositoryName,
      baseImage: props.baseImage.imageId,
      platform: arm ? 'linux/arm64' : 'linux/amd64',
      clusterArn: this.cluster.clusterArn,
      taskFamily: this.taskDefinition.family,
      subnetIds: subnets.subnetIds,
      securityGroupId: props.securityGroup.securityGroupId,
      assignPublicIp: subnets.hasPublic,
      taskLogGroup: this.taskLogGroup.logGroupName,
      waitRounds,
    }));
    const common: codebuild.ProjectProps = {
      projectName: props.projectName,
      description: `Schema migrations (${tool.kind}) as a Fargate task in the VPC`,
      environment: { buildImage: this.buildImage, computeType: props.computeType, privileged: true },
      buildSpec: this.buildSpec,
      timeout: props.timeout,
      encryptionKey: props.encryptionKey,
      logging: { cloudWatch: { logGroup: props.buildLogGroup } },
    };
    this.project = props.source
      ? new codebuild.Project(this, 'Project', { ...common, source: props.source })
      : new codebuild.PipelineProject(this, 'Project', common);
    const scoped = this.grantRunner(props.baseImage);
    acknowledgeTaskRunner(this, { encrypted: props.encryptionKey !== undefined, containerInsights: props.containerInsights, scopedArns: scoped });
  }

  private createTaskDefinition(props: TaskRunnerProps): ecs.FargateTaskDefinition {
    const { tool, database } = props;
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      // The JVM tools (Liquibase, Flyway) want about 1 GB; a run lasts minutes, at about 0.03 USD an hour.
      cpu: 512,
      memoryLimitMiB: RUNNER_MEMORY_MIB,
      runtimePlatform: { cpuArchitecture: this.architecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      volumes: [{ name: 'tmp' }],
    });
    const secrets: { [name: string]: ecs.Secret } = {};
    for (const [variable, key] of Object.entries(taskSecretKeys(tool))) secrets[variable] = ecs.Secret.fromSecretsManager(database.secret, key);
    const port = Token.isUnresolved(database.port) ? Token.asString(database.port) : String(database.port);
    const builtIn = tool.kind !== MigrationToolKind.CUSTOM;
    const container = taskDefinition.addContainer(CONTAINER_NAME, {
      containerName: CONTAINER_NAME,
      image: ecs.ContainerImage.fromEcrRepository(this.repository, PLACEHOLDER_TAG),
      entryPoint: ['sh', '-c'],
      command: [taskScript(tool)],
      // The built-in tools run as nobody on a read-only root; your own image keeps its user and its writable root.
      user: builtIn ? '65534:65534' : undefined,
      readonlyRootFilesystem: builtIn,
      // The task's whole memory, as a hard limit on the one container: a runaway tool is stopped
      // by ECS with an out-of-memory reason in the task's stop reason, not by the kernel unseen.
      memoryLimitMiB: RUNNER_MEMORY_MIB,
      environment: {
        ...taskEnvironment(tool, database, port),
        HOME: WRITABLE_DIR,
        [MODE_VARIABLE]: MODE.migrate,
        MIGRATION_REPORT_DIR: REPORT_DIR,
      },
      secrets,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: LOG_STREAM_PREFIX, logGroup: this.taskLogGroup }),
    });
    container.addMountPoints({ containerPath: WRITABLE_DIR, sourceVolume: 'tmp', readOnly: false });
    return taskDefinition;
  }

  /** What the build may do: push to its repository, run and watch this task family, read its log. */
  private grantRunner(baseImage: codebuild.IBuildImage): ScopedArns {
    const stack = Stack.of(this);
    const project = this.project;
    this.repository.grantPullPush(project);
    this.repository.grant(project, 'ecr:DescribeImages');
    baseImage.repository?.grantPull(project);
    const family = stack.formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${this.taskDefinition.family}:*` });
    project.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ecs:RunTask'],
      resources: [family],
      conditions: { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } },
    }));
    const tasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.cluster.clusterName}/*` });
    project.addToRolePolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeTasks', 'ecs:StopTask'], resources: [tasks] }));
    project.addToRolePolicy(new iam.PolicyStatement({
      // These take no resource ARN.
      actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition'],
      resources: ['*'],
    }));
    project.addToRolePolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [this.taskDefinition.taskRole.roleArn, this.taskDefinition.obtainExecutionRole().roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }));
    const logStreams = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      resourceName: `${this.taskLogGroup.logGroupName}:log-stream:${LOG_STREAM_PREFIX}/*`,
    });
    project.addToRolePolicy(new iam.PolicyStatement({ actions: ['logs:GetLogEvents'], resources: [logStreams] }));
    return { family, tasks, logStreams };
  }
}

/** The wildcard ARNs the build's role is scoped to: one task family, one cluster's tasks, one log group's streams. */
export interface ScopedArns {
  readonly family: string;
  readonly tasks: string;
  readonly logStreams: string;
}

/** The container's plain environment: connection facts only, never credentials. */
function taskEnvironment(tool: MigrationTool, db: IPostgresDatabase, port: string): { [name: string]: string } {
  // toolScript's variables hold the database facts; the secrets are handled apart.
  const facts = { secretArn: 'unused', host: db.endpointAddress, port, name: db.databaseName };
  return {
    PGHOST: facts.host,
    PGPORT: facts.port,
    PGDATABASE: facts.name,
    PGSSLMODE: 'require',
    ...toolScript(tool, facts).variables,
  };
}
