import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Profile } from '../../src/core';
import { IMonolithService } from '../../src/core/contracts';
import { MigrationDeployOptions, MigrationSource, MigrationTool, PrivateMigrationPipeline, PrivateMigrationPipelineProps } from '../../src/migrations';
import { expectCompliant } from '../helpers/compliance';
import { FakeDatabase, FakeNetwork, FakeService, testStack } from '../helpers/fakes';

const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/abcd';

function setup(options: { withInstance?: boolean } = {}) {
  const stack = testStack();
  const network = new FakeNetwork(stack, 'Net');
  const database = new FakeDatabase(stack, 'Db', network.vpc, { backing: options.withInstance ? 'rds' : 'secret-only' });
  const bucket = new s3.Bucket(stack, 'Src', { versioned: true });
  const source = MigrationSource.s3({ bucket, objectKey: 'migrations.zip' });
  return { stack, network, database, source };
}

function stageNames(stack: Stack): string[] {
  const pipelines = Template.fromStack(stack).findResources('AWS::CodePipeline::Pipeline');
  const [pipeline] = Object.values(pipelines) as Array<{ Properties: { Stages: Array<{ Name: string }> } }>;
  return pipeline.Properties.Stages.map((s) => s.Name);
}

describe('PrivateMigrationPipeline', () => {
  test('is a V2, queued pipeline: source, validate (report kept), approve in production, migrate', () => {
    // GIVEN
    const { stack, network, database, source } = setup();
    // WHEN
    const p = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source });
    // THEN
    expect(stageNames(stack)).toEqual(['Source', 'Validate', 'Approve', 'Migrate']);
    Template.fromStack(stack).hasResourceProperties('AWS::CodePipeline::Pipeline', {
      PipelineType: 'V2',
      ExecutionMode: 'QUEUED',
      Stages: Match.arrayWith([Match.objectLike({
        Name: 'Validate',
        Actions: [Match.objectLike({
          Configuration: Match.objectLike({ EnvironmentVariables: '[{"name":"MIGRATION_MODE","type":"PLAINTEXT","value":"dry-run"}]' }),
          OutputArtifacts: [{ Name: 'ValidationReport' }],
        })],
      }), Match.objectLike({
        Name: 'Migrate',
        Actions: [Match.objectLike({ Configuration: Match.objectLike({ EnvironmentVariables: Match.stringLikeRegexp('"value":"migrate"') }) })],
      })]),
    });
    expect(p.project).toBe(p.migrationProject.project);
  });

  test('has no approval stage in development unless asked', () => {
    const { stack, network, database, source } = setup();
    new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, profile: Profile.DEVELOPMENT });
    expect(stageNames(stack)).toEqual(['Source', 'Validate', 'Migrate']);
  });

  test('dry run for pull requests: only validates, triggered by pull requests into the branch', () => {
    // GIVEN
    const { stack, network, database } = setup();
    const source = MigrationSource.codeStarConnection({ connectionArn: CONNECTION, owner: 'org', repo: 'app', branch: 'main' });
    // WHEN
    new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, dryRun: true, tool: MigrationTool.sqitch() });
    // THEN
    expect(stageNames(stack)).toEqual(['Source', 'Validate']);
    Template.fromStack(stack).hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Triggers: [Match.objectLike({
        ProviderType: 'CodeStarSourceConnection',
        GitConfiguration: Match.objectLike({ PullRequest: [Match.objectLike({ Branches: { Includes: ['main'] } })] }),
      })],
      Stages: Match.arrayWith([Match.objectLike({
        Name: 'Source',
        Actions: [Match.objectLike({ Configuration: Match.objectLike({ FullRepositoryId: 'org/app', DetectChanges: false }) })],
      })]),
    });
  });

  test('snapshot before migrating: a build allowed to replace only this database\'s pre-migration snapshot', () => {
    // GIVEN
    const { stack, network, database, source } = setup({ withInstance: true });
    // WHEN
    new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, snapshotBeforeMigrate: true, manualApproval: false });
    // THEN
    expect(stageNames(stack)).toEqual(['Source', 'Validate', 'Snapshot', 'Migrate']);
    const instance = stack.getLogicalId(database.instance!.node.defaultChild as CfnElement);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'rds:CreateDBSnapshot',
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:eu-west-1:111111111111:db:', { Ref: instance }]] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:eu-west-1:111111111111:snapshot:', { Ref: instance }, '-pre-migration']] },
          ],
        })]),
      },
    });
  });

  test('a snapshot needs a database that exposes its instance or cluster', () => {
    const { stack, network, database, source } = setup();
    expect(() => new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, snapshotBeforeMigrate: true }))
      .toThrow('`snapshotBeforeMigrate` needs a database that exposes its RDS `instance` or Aurora `cluster`, got: neither');
  });

  test('deploys the service only after the migration succeeded', () => {
    // GIVEN
    const { stack, network, database, source } = setup();
    const service = new FakeService(stack, 'Svc', network.vpc);
    // WHEN
    new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, deploy: { service, imageDefinitionsFile: 'deploy/imagedefinitions.json' } });
    // THEN
    expect(stageNames(stack)).toEqual(['Source', 'Validate', 'Approve', 'Migrate', 'Deploy']);
    Template.fromStack(stack).hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Stages: Match.arrayWith([Match.objectLike({
        Name: 'Deploy',
        Actions: [Match.objectLike({
          ActionTypeId: Match.objectLike({ Provider: 'ECS' }),
          Configuration: Match.objectLike({ FileName: 'deploy/imagedefinitions.json' }),
          InputArtifacts: [{ Name: 'Source' }],
        })],
      })]),
    });
  });

  test('refuses a deploy stage without a service', () => {
    const { stack, network, database, source } = setup();
    const deploy = {} as MigrationDeployOptions;
    expect(() => new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, deploy })).toThrow('`deploy.service` is required when `deploy` is set, got: undefined');
  });

  test('refuses a deploy stage in a dry run', () => {
    const { stack, network, database, source } = setup();
    const service = {} as IMonolithService;
    expect(() => new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, dryRun: true, deploy: { service } }))
      .toThrow('`deploy` cannot be used with `dryRun: true`');
  });

  test('refuses a deploy stage with an ECR image source (no imagedefinitions.json)', () => {
    const { stack, network, database } = setup();
    const repository = new ecr.Repository(stack, 'Repo');
    const service = new FakeService(stack, 'Svc', network.vpc);
    expect(() => new PrivateMigrationPipeline(stack, 'Mig', { network, database, source: MigrationSource.ecrImage({ repository }), deploy: { service } }))
      .toThrow("`deploy` needs an `imagedefinitions.json` in the source, got: a source of kind 'ecr-image'");
  });

  test('refuses an empty S3 object key', () => {
    const { stack, network, database } = setup();
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'source-bucket');
    expect(() => new PrivateMigrationPipeline(stack, 'Mig', { network, database, source: MigrationSource.s3({ bucket, objectKey: '' }) }))
      .toThrow('`source.objectKey` is required for an S3 source');
  });

  test('an ECR image source (tool plus migrations) becomes the build image and starts the pipeline on push', () => {
    const { stack, network, database } = setup();
    const repository = new ecr.Repository(stack, 'Repo');
    new PrivateMigrationPipeline(stack, 'Mig', { network, database, source: MigrationSource.ecrImage({ repository, tag: 'release' }) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ Image: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':release'])]) }) }),
    });
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.ecr'] }) });
  });

  test('by default there is no fixed cost: no KMS key, S3 managed artifacts, failures to a TLS-only topic', () => {
    // GIVEN / WHEN
    const { stack, network, database, source } = setup();
    const p = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source });
    // THEN
    const t = Template.fromStack(stack);
    expect(p.encryptionKey).toBeUndefined();
    t.resourceCountIs('AWS::KMS::Key', 0);
    const topic = stack.getLogicalId(p.notificationTopic.node.defaultChild as CfnElement);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.absent() });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.codepipeline'], detail: { state: ['FAILED'] } }),
      Targets: [Match.objectLike({ Arn: { Ref: topic } })],
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('with an encryptionKey, artifacts, build and topic are encrypted with it', () => {
    // GIVEN
    const { stack, network, database, source } = setup();
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    // WHEN
    const p = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, encryptionKey });
    // THEN
    const t = Template.fromStack(stack);
    const key = stack.getLogicalId(encryptionKey.node.defaultChild as CfnElement);
    expect(p.encryptionKey).toBe(encryptionKey);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': [key, 'Arn'] }) });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
    });
    t.hasResourceProperties('AWS::CodeBuild::Project', { EncryptionKey: { 'Fn::GetAtt': [key, 'Arn'] } });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })]) },
    });
    expectCompliant(p);
  });

  test.each<[string, Partial<PrivateMigrationPipelineProps>, Profile]>([
    ['development, liquibase', {}, Profile.DEVELOPMENT],
    ['cost-conscious production, flyway + snapshot + deploy', { tool: MigrationTool.flyway() }, Profile.COST_CONSCIOUS_PRODUCTION],
    ['highly available production, sqitch dry run from Git', { tool: MigrationTool.sqitch(), dryRun: true }, Profile.HIGHLY_AVAILABLE_PRODUCTION],
  ])('is compliant: %s', (name, extra, profile) => {
    const { stack, network, database, source } = setup({ withInstance: name.includes('snapshot') });
    const more: Partial<PrivateMigrationPipelineProps> = name.includes('deploy')
      ? { snapshotBeforeMigrate: true, deploy: { service: new FakeService(stack, 'Svc', network.vpc) } }
      : name.includes('Git')
        ? { source: MigrationSource.codeStarConnection({ connectionArn: CONNECTION, owner: 'o', repo: 'r' }) }
        : {};
    const p = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, profile, ...extra, ...more });
    expectCompliant(p);
  });
});
