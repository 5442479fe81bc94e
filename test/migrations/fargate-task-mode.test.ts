import { CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Profile } from '../../src/core';
import { IdleCostEstimate } from '../../src/cost';
import { PostgresDatabase } from '../../src/database';
import { MigrationEgressMode, MigrationProject, MigrationSource, MigrationTool, PrivateMigrationPipeline } from '../../src/migrations';
import { Egress, Network } from '../../src/network';
import { expectCompliant } from '../helpers/compliance';
import { FakeDatabase, FakeNetwork, FakeService, testStack } from '../helpers/fakes';

/** The default system: `Network` and `PostgresDatabase` at their defaults (no NAT anywhere). */
function defaultSystem(profile?: Profile) {
  const stack = testStack();
  const network = new Network(stack, 'Network', { profile });
  const database = new PostgresDatabase(stack, 'Database', { network, profile });
  const bucket = new s3.Bucket(stack, 'Releases', { versioned: true });
  const source = MigrationSource.s3({ bucket, objectKey: 'migrations.zip' });
  return { stack, network, database, source };
}

/** A build spec as CodeBuild reads it: the template's JSON text with each CloudFormation reference shown as `<Id>`. */
function renderedBuildSpec(stack: Stack, project: codebuild.IProject): BuildSpec {
  const cfn = project.node.defaultChild as codebuild.CfnProject;
  const source = stack.resolve(cfn.source) as { buildSpec: unknown };
  return JSON.parse(flatten(source.buildSpec)) as BuildSpec;
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node;
  const o = node as { [key: string]: unknown };
  if (o['Fn::Join']) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (o.Ref) return `<${String(o.Ref)}>`;
  if (o['Fn::GetAtt']) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
  if (o['Fn::Select']) return '<select>';
  return JSON.stringify(node);
}

interface BuildSpec {
  env: { variables: { [name: string]: string } };
  phases: { [phase: string]: { commands: string[] } };
  artifacts: { 'base-directory': string };
}

function policyStatements(stack: Stack): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: [] } } }).Properties.PolicyDocument.Statement);
}

function setup(options: { egress?: Egress; endpoints?: string[] } = {}) {
  const stack = testStack();
  const network = new FakeNetwork(stack, 'Net', { egress: Egress.none(), ...options });
  const database = new FakeDatabase(stack, 'Db', network.vpc);
  return { stack, network, database };
}

function logicalId(stack: Stack, c: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(c.node.defaultChild as CfnElement);
}

describe('MigrationProject as a Fargate task', () => {
  test('is the default without NAT, and synthesizes with the default Network and database', () => {
    // GIVEN
    const { stack, network, database, source } = defaultSystem();
    // WHEN
    const p = new PrivateMigrationPipeline(stack, 'Migrations', { network, database, source });
    // THEN
    expect(p.egressMode).toBe(MigrationEgressMode.FARGATE_TASK);
    Annotations.fromStack(stack).hasInfo('/S/Migrations/Migration', Match.stringLikeRegexp('Fargate task in the public subnets'));
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 1); // the network's free S3 gateway endpoint
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    t.resourceCountIs('AWS::EC2::Instance', 0);
    const projects = t.findResources('AWS::CodeBuild::Project');
    Object.values(projects).forEach((r) => expect((r as { Properties: object }).Properties).not.toHaveProperty('VpcConfig'));
  });

  test.each([
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION],
  ])('idles at zero fixed cost in %s', (_name, profile) => {
    const { stack, network, database, source } = defaultSystem(profile);
    const p = new PrivateMigrationPipeline(stack, 'Migrations', { network, database, source });
    const estimate = IdleCostEstimate.ofConstruct(p);
    expect(estimate.totalMonthlyUsd).toBe(0);
    expect(estimate.unpricedItems).toEqual([]);
    expect(estimate.unknownResourceTypes).toEqual([]);
    expect(estimate.items.map((i) => i.resourceType)).toEqual(expect.arrayContaining(['AWS::ECR::Repository', 'AWS::CodeBuild::Project']));
  });

  test('is compliant with the default network and database', () => {
    const { stack, network, database, source } = defaultSystem();
    const p = new PrivateMigrationPipeline(stack, 'Migrations', { network, database, source, deploy: undefined });
    expectCompliant(p);
  });

  test('is compliant with a customer managed key, Flyway, in highly available production', () => {
    const { stack, network, database } = setup();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const m = new MigrationProject(stack, 'Mig', { network, database, tool: MigrationTool.flyway(), encryptionKey: key, profile: Profile.HIGHLY_AVAILABLE_PRODUCTION });
    expectCompliant(m);
  });

  test('the runner\'s cluster follows the profile\'s Container Insights decision', () => {
    const cheap = setup();
    new MigrationProject(cheap.stack, 'Mig', { network: cheap.network, database: cheap.database, tool: MigrationTool.liquibase() });
    Template.fromStack(cheap.stack).hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] });
    const asked = setup();
    const m = new MigrationProject(asked.stack, 'Mig', {
      network: asked.network,
      database: asked.database,
      tool: MigrationTool.liquibase(),
      profile: Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({ containerInsights: true }),
    });
    Template.fromStack(asked.stack).hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    expectCompliant(m);
  });

  test('the task runs the tool as nobody on a read-only root, ARM64, credentials as ECS secrets', () => {
    // GIVEN
    const { stack, network, database } = setup();
    // WHEN
    const m = new MigrationProject(stack, 'Mig', { network, database, tool: MigrationTool.liquibase({ changelogFile: 'db/changelog.yaml' }) });
    // THEN
    const secret = logicalId(stack, database.secret);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      Cpu: '512',
      Memory: '1024',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      Volumes: [{ Name: 'tmp' }],
      ContainerDefinitions: [Match.objectLike({
        Name: 'migration',
        User: '65534:65534',
        ReadonlyRootFilesystem: true,
        // a hard limit on the container (AWS Control Tower CT.ECS.PR.7), the task's whole memory
        Memory: 1024,
        MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
        EntryPoint: ['sh', '-c'],
        Secrets: [
          { Name: 'LIQUIBASE_COMMAND_USERNAME', ValueFrom: { 'Fn::Join': ['', [{ Ref: secret }, ':username::']] } },
          { Name: 'LIQUIBASE_COMMAND_PASSWORD', ValueFrom: { 'Fn::Join': ['', [{ Ref: secret }, ':password::']] } },
        ],
        Environment: Match.arrayWith([
          { Name: 'PGSSLMODE', Value: 'require' },
          { Name: 'LIQUIBASE_COMMAND_CHANGELOG_FILE', Value: 'db/changelog.yaml' },
        ]),
        LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
      })],
    });
    const [taskDef] = Object.values(Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition')) as Array<{ Properties: { ContainerDefinitions: Array<{ Environment: Array<{ Name: string }>; Command: string[] }> } }>;
    const names = taskDef.Properties.ContainerDefinitions[0].Environment.map((e) => e.Name);
    expect(names.filter((n) => /PASSWORD|USER(NAME)?$/.test(n))).toEqual([]);
    expect(taskDef.Properties.ContainerDefinitions[0].Command[0]).toContain('liquibase update');
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(m.taskDefinition).toBeDefined();
    expect(m.taskLogGroup).toBeDefined();
  });

  test('a tool published for amd64 only runs on X86_64, and your own image keeps its user', () => {
    const { stack, network, database } = setup();
    new MigrationProject(stack, 'Sqitch', { network, database, tool: MigrationTool.sqitch() });
    new MigrationProject(stack, 'Custom', { network, database, tool: MigrationTool.custom({ migrateCommands: ['./migrate.sh'], image: codebuild.LinuxBuildImage.fromDockerRegistry('node:22-alpine') }) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: Match.objectLike({ CpuArchitecture: 'X86_64' }),
      ContainerDefinitions: [Match.objectLike({ User: '65534:65534', ReadonlyRootFilesystem: true })],
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ User: Match.absent(), ReadonlyRootFilesystem: false, Secrets: Match.arrayWith([Match.objectLike({ Name: 'PGPASSWORD' })]) })],
    });
    t.hasResourceProperties('AWS::CodeBuild::Project', { Environment: Match.objectLike({ Type: 'LINUX_CONTAINER', Image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0', PrivilegedMode: true }) });
  });

  test('the task security group has no inbound rule, all outbound, and the database admits it on its port', () => {
    const { stack, network, database } = setup();
    const m = new MigrationProject(stack, 'Mig', { network, database });
    const t = Template.fromStack(stack);
    const sg = logicalId(stack, m.securityGroup);
    t.hasResource('AWS::EC2::SecurityGroup', {
      Properties: Match.objectLike({
        SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' }],
        SecurityGroupIngress: Match.absent(),
      }),
    });
    expect(Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).filter((r) => JSON.stringify(r).includes(`"GroupId":{"Fn::GetAtt":["${sg}"`))).toEqual([]);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      GroupId: { 'Fn::GetAtt': [logicalId(stack, database.securityGroup), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [sg, 'GroupId'] },
    });
  });

  test('the image repository has immutable tags, scans on push and keeps the last 10 images', () => {
    const { stack, network, database } = setup();
    new MigrationProject(stack, 'Mig', { network, database, profile: Profile.DEVELOPMENT });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      EmptyOnDelete: true,
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countType":"imageCountMoreThan","countNumber":10') },
    });
  });

  test('the build spec builds for the task platform under an immutable tag, runs the task in the public subnets and fails on a non-zero exit', () => {
    // GIVEN
    const { stack, network, database } = setup();
    // WHEN
    const m = new MigrationProject(stack, 'Mig', { network, database });
    // THEN
    const spec = renderedBuildSpec(stack, m.project);
    expect(spec.env.variables).toMatchObject({ PLATFORM: 'linux/arm64', BASE_IMAGE: 'liquibase/liquibase:4.31.1', WAIT_ROUNDS: '5', MIGRATION_MODE: 'migrate' });
    const all = [...spec.phases.pre_build.commands, ...spec.phases.build.commands];
    expect(all).toContainEqual(expect.stringContaining('"${PIPELINE_EXECUTION_ID:-build-$CODEBUILD_BUILD_NUMBER}"'));
    expect(all).toContainEqual(expect.stringMatching(/docker build --platform "\$PLATFORM" .* -t "\$IMAGE_URI" \. && docker push "\$IMAGE_URI"/));
    const publicSubnets = network.vpc.publicSubnets.map((s) => `<${logicalId(stack, s)}>`).join(',');
    const runTask = all.find((c) => c.startsWith('aws ecs run-task'))!;
    expect(runTask).toContain(`awsvpcConfiguration={subnets=[${publicSubnets}],securityGroups=[<${logicalId(stack, m.securityGroup)}.GroupId>],assignPublicIp=ENABLED}`);
    expect(runTask).toContain('--launch-type FARGATE');
    expect(all).toContainEqual(expect.stringMatching(/^for round in \$\(seq 1 "\$WAIT_ROUNDS"\); do if aws ecs wait tasks-stopped/));
    expect(all).toContainEqual(expect.stringContaining('if [ "$EXIT_CODE" != "0" ]; then echo "the migration failed"; exit 1; fi'));
    expect(all).toContainEqual(expect.stringContaining('the migration task failed to start'));
    expect(spec.artifacts['base-directory']).toBe('migration-report');
    Template.fromStack(stack).hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ Type: 'ARM_CONTAINER', Image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0', PrivilegedMode: true }),
    });
  });

  test('the pipeline tags images with its execution id and deploys only after the migration', () => {
    const { stack, network, database } = setup();
    const bucket = new s3.Bucket(stack, 'Src', { versioned: true });
    const service = new FakeService(stack, 'Svc', network.vpc);
    new PrivateMigrationPipeline(stack, 'Mig', { network, database, source: MigrationSource.s3({ bucket, objectKey: 'm.zip' }), profile: Profile.DEVELOPMENT, deploy: { service } });
    const [pipeline] = Object.values(Template.fromStack(stack).findResources('AWS::CodePipeline::Pipeline')) as Array<{ Properties: { Stages: Array<{ Name: string; Actions: Array<{ Configuration: { EnvironmentVariables?: string } }> }> } }>;
    expect(pipeline.Properties.Stages.map((s) => s.Name)).toEqual(['Source', 'Validate', 'Migrate', 'Deploy']);
    const migrate = pipeline.Properties.Stages.find((s) => s.Name === 'Migrate')!.Actions[0].Configuration.EnvironmentVariables!;
    expect(JSON.parse(migrate)).toEqual([
      { name: 'MIGRATION_MODE', type: 'PLAINTEXT', value: 'migrate' },
      { name: 'PIPELINE_EXECUTION_ID', type: 'PLAINTEXT', value: '#{codepipeline.PipelineExecutionId}' },
    ]);
  });

  test('the build may run only this task family in its cluster, pass only the task\'s roles to ECS, push only to its repository', () => {
    // GIVEN
    const { stack, network, database } = setup();
    // WHEN
    const m = new MigrationProject(stack, 'Mig', { network, database });
    // THEN
    const statements = policyStatements(stack);
    const family = m.taskDefinition!.family;
    const runTask = statements.find((s) => s.Action === 'ecs:RunTask')!;
    expect(JSON.stringify(stack.resolve(runTask.Resource))).toContain(`:task-definition/${family}:*`);
    expect(runTask.Condition).toEqual({ ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [logicalId(stack, m.cluster!), 'Arn'] } } });
    const passRole = statements.find((s) => s.Action === 'iam:PassRole')!;
    expect(passRole.Resource).toEqual([
      { 'Fn::GetAtt': [logicalId(stack, m.taskDefinition!.taskRole), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(stack, m.taskDefinition!.executionRole!), 'Arn'] },
    ]);
    expect(passRole.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    const push = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('ecr:PutImage'))!;
    expect(push.Resource).toEqual({ 'Fn::GetAtt': [logicalId(stack, m.imageRepository!), 'Arn'] });
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => a.endsWith(':*') || a === '*')).toEqual([]);
    // the build never reads the database secret: only the task's execution role does
    const secretReaders = statements.filter((s) => JSON.stringify(s.Resource).includes(logicalId(stack, database.secret)));
    expect(secretReaders).toHaveLength(1);
  });

  test('an ECR image source becomes the base image, which the build may pull', () => {
    const { stack, network, database } = setup();
    const repository = new ecr.Repository(stack, 'Bundles');
    const m = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source: MigrationSource.ecrImage({ repository, tag: 'release' }) });
    const spec = renderedBuildSpec(stack, m.project);
    expect(spec.env.variables.BASE_IMAGE).toMatch(/:release$/);
    expect(spec.env.variables.PLATFORM).toBe('linux/amd64');
    const pulls = policyStatements(stack).filter((s) => Array.isArray(s.Action) && s.Action.includes('ecr:BatchGetImage'));
    expect(pulls.map((s) => s.Resource)).toContainEqual({ 'Fn::GetAtt': [logicalId(stack, repository), 'Arn'] });
  });

  test('with NAT it can still be asked for', () => {
    const { stack, network, database } = setup({ egress: Egress.natGateway() });
    const m = new MigrationProject(stack, 'Mig', { network, database, egressMode: MigrationEgressMode.FARGATE_TASK });
    expect(m.egressMode).toBe(MigrationEgressMode.FARGATE_TASK);
    expect(renderedBuildSpec(stack, m.project).phases.build.commands.join('\n')).toContain('assignPublicIp=ENABLED');
  });

  test.each<[string, () => void, string]>([
    ['NAT asked without NAT', () => {
      const { stack, network, database } = setup();
      new MigrationProject(stack, 'Mig', { network, database, egressMode: MigrationEgressMode.NAT });
    }, "`egressMode` NAT needs a network with NAT, got: a network with egress 'none'; the cheapest fix is `egressMode: MigrationEgressMode.FARGATE_TASK` (no fixed cost"],
    ['a CodeBuild-only image for a task', () => {
      const { stack, network, database } = setup();
      new MigrationProject(stack, 'Mig', { network, database, tool: MigrationTool.custom({ migrateCommands: ['./migrate.sh'] }) });
    }, "`tool.image` must be a container image Docker can pull when `egressMode` is FARGATE_TASK, got: 'aws/codebuild/standard:7.0' (a CodeBuild-only image); the cheapest fix is `image` on the tool"],
    ['a VPC without public subnets', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const network = new FakeNetwork(stack, 'Net', { egress: Egress.none(), vpc });
      new MigrationProject(stack, 'Mig', { network, database: new FakeDatabase(stack, 'Db', vpc) });
    }, '`network.vpc` must have public subnets when `egressMode` is FARGATE_TASK (the task needs a public IP to pull its image and read the secret), got: none'],
    ['a CDK Pipelines step for a task', () => {
      const { stack, network, database } = setup();
      const m = new MigrationProject(stack, 'Mig', { network, database });
      m.toCodeBuildStep('Migrate', { input: pipelines.CodePipelineSource.connection('o/r', 'main', { connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/x' }) });
    }, '`toCodeBuildStep()` runs the build inside the VPC and needs `egressMode` NAT or VPC_ENDPOINTS, got: FARGATE_TASK'],
  ])('refuses %s, naming the cheapest fix', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});
