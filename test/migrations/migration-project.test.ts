import { CfnElement, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Profile } from '../../src/core';
import { MigrationEgressMode, MigrationProject, MigrationTool } from '../../src/migrations';
import { Egress } from '../../src/network/egress';
import { expectCompliant } from '../helpers/compliance';
import { FakeDatabase, FakeNetwork, plainVpc, testStack } from '../helpers/fakes';

function setup(options: { egress?: Egress; endpoints?: string[]; s3Gateway?: boolean } = {}) {
  const stack = testStack();
  const network = new FakeNetwork(stack, 'Net', options);
  const database = new FakeDatabase(stack, 'Db', network.vpc);
  return { stack, network, database };
}

describe('MigrationProject', () => {
  test('runs in the private subnets with a security group the database admits on its port', () => {
    // GIVEN
    const { stack, network, database } = setup();
    // WHEN
    const migrations = new MigrationProject(stack, 'Mig', { network, database });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CodeBuild::Project', {
      VpcConfig: Match.objectLike({
        Subnets: network.vpc.privateSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as CfnElement) })),
      }),
      Environment: Match.objectLike({ Image: 'liquibase/liquibase:4.31.1', ComputeType: 'BUILD_GENERAL1_SMALL' }),
      TimeoutInMinutes: 60,
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      GroupId: { 'Fn::GetAtt': [stack.getLogicalId(database.securityGroup.node.defaultChild as CfnElement), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(migrations.securityGroup.node.defaultChild as CfnElement), 'GroupId'] },
    });
    expect(migrations.egressMode).toBe(MigrationEgressMode.NAT);
    expect(migrations.project).toBeInstanceOf(codebuild.PipelineProject);
  });

  test('reads the database secret (and nothing else secret) and keeps logs for the profile\'s retention', () => {
    const { stack, network, database } = setup();
    new MigrationProject(stack, 'Mig', { network, database, profile: Profile.HIGHLY_AVAILABLE_PRODUCTION });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: { Ref: stack.getLogicalId(database.secret.node.defaultChild as CfnElement) },
        })]),
      },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('says at synth that it uses NAT', () => {
    const { stack, network, database } = setup();
    new MigrationProject(stack, 'Mig', { network, database });
    Annotations.fromStack(stack).hasInfo('/S/Mig', Match.stringLikeRegexp('egress: NAT'));
  });

  test('asked for endpoints without NAT, uses the VPC endpoints, the isolated subnets, and an ECR image', () => {
    // GIVEN
    const { stack, network, database } = setup({ egress: Egress.none(), endpoints: ['logs', 'secretsmanager', 'ecr.api', 'ecr.dkr'], s3Gateway: true });
    const repo = ecr.Repository.fromRepositoryName(stack, 'Mirror', 'mirror/liquibase');
    // WHEN
    const migrations = new MigrationProject(stack, 'Mig', {
      network,
      database,
      egressMode: MigrationEgressMode.VPC_ENDPOINTS,
      tool: MigrationTool.liquibase({ image: codebuild.LinuxBuildImage.fromEcrRepository(repo, '4.31.1') }),
    });
    // THEN
    expect(migrations.egressMode).toBe(MigrationEgressMode.VPC_ENDPOINTS);
    Annotations.fromStack(stack).hasInfo('/S/Mig', Match.stringLikeRegexp('VPC endpoints'));
    Annotations.fromStack(stack).hasNoWarning('/S/Mig', Match.anyValue());
    Template.fromStack(stack).hasResourceProperties('AWS::CodeBuild::Project', {
      VpcConfig: Match.objectLike({
        Subnets: network.vpc.isolatedSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as CfnElement) })),
      }),
    });
  });

  test('warns when no S3 endpoint is visible without NAT', () => {
    const { stack, network, database } = setup({ egress: Egress.none(), endpoints: ['logs', 'secretsmanager'] });
    new MigrationProject(stack, 'Mig', { network, database, egressMode: MigrationEgressMode.VPC_ENDPOINTS, tool: MigrationTool.custom({ migrateCommands: ['./migrate.sh'] }) });
    Annotations.fromStack(stack).hasWarning('/S/Mig', Match.stringLikeRegexp('no S3 endpoint'));
  });

  test('without NAT, runs as a Fargate task by default instead of refusing', () => {
    const { stack, network, database } = setup({ egress: Egress.none() });
    expect(new MigrationProject(stack, 'Mig', { network, database }).egressMode).toBe(MigrationEgressMode.FARGATE_TASK);
  });

  test('refuses endpoints asked for in a VPC with no NAT and no endpoints, naming the cheapest fix', () => {
    const { stack, network, database } = setup({ egress: Egress.none() });
    expect(() => new MigrationProject(stack, 'Mig', { network, database, egressMode: MigrationEgressMode.VPC_ENDPOINTS }))
      .toThrow('`egressMode` VPC_ENDPOINTS needs interface endpoints for logs, secretsmanager in `network`, got: none; the cheapest fix is `egressMode: MigrationEgressMode.FARGATE_TASK` (no fixed cost');
  });

  test('refuses a Docker Hub image with endpoints and no NAT', () => {
    const { stack, network, database } = setup({ egress: Egress.none(), endpoints: ['logs', 'secretsmanager'] });
    expect(() => new MigrationProject(stack, 'Mig', { network, database, egressMode: MigrationEgressMode.VPC_ENDPOINTS }))
      .toThrow("`tool.image` must come from ECR or CodeBuild when `egressMode` is VPC_ENDPOINTS, got: 'liquibase/liquibase:4.31.1'");
  });

  test('refuses missing endpoints without NAT', () => {
    const { stack, network, database } = setup({ egress: Egress.none(), endpoints: ['logs'] });
    expect(() => new MigrationProject(stack, 'Mig', { network, database, egressMode: MigrationEgressMode.VPC_ENDPOINTS, tool: MigrationTool.custom({ migrateCommands: ['x'] }) }))
      .toThrow('`network.interfaceEndpointServices` must include secretsmanager when `egressMode` is VPC_ENDPOINTS, got: ["logs"]; the cheapest fix is `egressMode: MigrationEgressMode.FARGATE_TASK`');
  });

  test('refuses a database in another VPC', () => {
    const stack = testStack();
    const network = new FakeNetwork(stack, 'Net');
    const otherVpc = plainVpc(stack, 'Other', false);
    const database = new FakeDatabase(stack, 'Db', otherVpc, { backing: 'rds' });
    expect(() => new MigrationProject(stack, 'Mig', { network, database })).toThrow('`database` must be in the VPC of `network` so that the migration build can reach it');
  });

  test('refuses a timeout out of range', () => {
    const { stack, network, database } = setup();
    expect(() => new MigrationProject(stack, 'Mig', { network, database, timeout: Duration.minutes(600) })).toThrow('`timeout` must be an integer between 5 and 480, got: 600');
  });

  test('notifies a topic when a build fails', () => {
    const { stack, network, database } = setup();
    const topic = new sns.Topic(stack, 'Topic');
    new MigrationProject(stack, 'Mig', { network, database, notificationTopic: topic });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { 'build-status': ['FAILED'] } }),
      Targets: [Match.objectLike({ Arn: { Ref: stack.getLogicalId(topic.node.defaultChild as CfnElement) } })],
    });
  });

  test('gives CDK Pipelines users a step in the same VPC, security group, image and secret', () => {
    // GIVEN
    const { stack, network, database } = setup();
    const migrations = new MigrationProject(stack, 'Mig', { network, database, tool: MigrationTool.flyway() });
    const input = pipelines.CodePipelineSource.connection('org/repo', 'main', { connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/x' });
    // WHEN
    const step = migrations.toCodeBuildStep('Migrate', { input, dryRun: true });
    // THEN
    expect(step.vpc).toBe(network.vpc);
    expect(step.securityGroups).toEqual([migrations.securityGroup]);
    expect(step.buildEnvironment?.buildImage?.imageId).toBe(`flyway/flyway:${MigrationTool.FLYWAY_DEFAULT_VERSION}`);
    expect(step.env).toEqual({ MIGRATION_MODE: 'dry-run' });
    // `partialBuildSpec` is public, but the object it holds is aws-cdk-lib's unexported ObjectBuildSpec, whose
    // `spec` field is the only way to read the object before it is rendered (rendering yields a token).
    const partial = (step.partialBuildSpec as unknown as { spec: { env: { 'secrets-manager': { [name: string]: string } }; artifacts?: unknown } }).spec;
    expect(partial.env['secrets-manager'].FLYWAY_PASSWORD).toBeDefined();
    expect(partial.artifacts).toBeUndefined();
    expect(JSON.stringify(stack.resolve(step.rolePolicyStatements?.map((s) => s.toStatementJson())))).toContain('secretsmanager:GetSecretValue');
  });

  test.each([
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION],
    ['highly available production', Profile.HIGHLY_AVAILABLE_PRODUCTION],
  ])('is compliant in %s', (_name, profile) => {
    const { stack, network, database } = setup();
    const migrations = new MigrationProject(stack, 'Mig', { network, database, profile, tool: MigrationTool.sqitch() });
    expectCompliant(migrations);
  });
});
