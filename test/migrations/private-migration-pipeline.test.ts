import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { Profile } from '../../src/core';
import { IMonolithService } from '../../src/core/contracts';
import { MigrationDeployOptions, MigrationSource, MigrationTool, PrivateMigrationPipeline, PrivateMigrationPipelineProps } from '../../src/migrations';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';
import { FakeDatabase, FakeNetwork, FakeService, testStack } from '../helpers/fakes';
import { expectAccessLogBucket, expectAccessLogsAdmitted } from '../helpers/s3';

const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/abcd';

function setup(options: { withInstance?: boolean; stackId?: string } = {}) {
  const stack = testStack(options.stackId);
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
    expect(p.project).toBe(p.migrationBuild.project);
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

describe('PrivateMigrationPipeline artifact bucket', () => {
  const logicalId = (resource: IConstruct) => Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement);

  test('in production it logs access to an Object Lock log bucket and sends events to EventBridge, at no fixed cost', () => {
    // GIVEN
    const { stack, network, database, source } = setup();
    // WHEN
    const p = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source });
    // THEN
    const t = Template.fromStack(stack);
    const logBucket = logicalId(p.accessLogBucket!);
    t.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucket }, LogFilePrefix: 'artifacts/' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      ObjectLockEnabled: Match.absent(),
      VersioningConfiguration: { Status: 'Enabled' },
    });
    // The profile's log retention (one month), SSE-S3 without a key.
    expectAccessLogBucket(t, 30);
    expect(t.toJSON().Resources[logBucket].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
    expectAccessLogsAdmitted(t, { logBucketId: logBucket, sourceId: logicalId(p.artifactBucket), sid: 'S3ServerAccessLogsForTheArtifactBucket', prefix: 'artifacts/', account: '111111111111' });
    t.resourceCountIs('AWS::KMS::Key', 0);
    expectCompliant(p);
  });

  test('in development it has no log bucket and keeps the access log acknowledgement', () => {
    const { stack, network, database, source } = setup();
    const p = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, profile: Profile.DEVELOPMENT });
    expect(p.accessLogBucket).toBeUndefined();
    const artifacts = Template.fromStack(stack).toJSON().Resources[logicalId(p.artifactBucket)].Properties;
    expect(artifacts.LoggingConfiguration).toBeUndefined();
    expect(artifacts.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    expectCompliant(p);
  });

  test('objectLock turns Object Lock on the artifact bucket without a default retention', () => {
    const { stack, network, database, source } = setup();
    const p = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, objectLock: true });
    const artifacts = Template.fromStack(stack).toJSON().Resources[logicalId(p.artifactBucket)].Properties;
    expect(artifacts.ObjectLockEnabled).toBe(true);
    expect(artifacts.ObjectLockConfiguration).toBeUndefined();
    // Artifacts still expire: no retention holds them.
    expect(artifacts.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(90);
    expectCompliant(p);
  });

  test('with an encryptionKey of the app, the log bucket is encrypted with it and the key admits S3 access logging', () => {
    // GIVEN
    const { stack, network, database, source } = setup();
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    // WHEN
    const p = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, encryptionKey });
    // THEN
    const t = Template.fromStack(stack);
    const sseKms = { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(encryptionKey), 'Arn'] } } }] };
    const resources = t.toJSON().Resources;
    expect(resources[logicalId(p.artifactBucket)].Properties.BucketEncryption).toEqual(sseKms);
    expect(resources[logicalId(p.accessLogBucket!)].Properties.BucketEncryption).toEqual(sseKms);
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'S3ServerAccessLogsOfThisAccount', Principal: { Service: 'logging.s3.amazonaws.com' } })]) },
    });
    expectCompliant(p);
  });

  test('with an imported encryptionKey, whose policy it cannot change, the access logs are SSE-S3', () => {
    const { stack, network, database, source } = setup();
    const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const p = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, encryptionKey });
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(resources[logicalId(p.artifactBucket)].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault)
      .toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    expect(resources[logicalId(p.accessLogBucket!)].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault)
      .toEqual({ SSEAlgorithm: 'AES256' });
    expectCompliant(p);
  });

  test('passes AWS Control Tower\'s CT.S3.PR.2, .4 and .9 in production (and .10 with a key); its log bucket too', () => {
    // GIVEN: the defaults, objectLock, and objectLock with a key
    const pipelines = [{}, { objectLock: true }, { objectLock: true, withKey: true }].map((options, i) => {
      const { stack, network, database, source } = setup({ stackId: `Migrations${i}` });
      const encryptionKey = 'withKey' in options ? new kms.Key(stack, `Key${i}`, { enableKeyRotation: true }) : undefined;
      return new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, objectLock: options.objectLock, encryptionKey });
    });
    // WHEN
    const results = controlTowerFailures(pipelines.map((p) => Stack.of(p)));
    // THEN
    const failing = (p: PrivateMigrationPipeline, control: string) => {
      const ids = results.get(Stack.of(p).stackName)!.get(control) ?? [];
      return [p.artifactBucket, p.accessLogBucket!].map(logicalId).filter((id) => ids.includes(id));
    };
    const [plain, locked, keyed] = pipelines;
    for (const control of ['CT.S3.PR.2', 'CT.S3.PR.4']) expect([control, failing(plain, control)]).toEqual([control, []]);
    // Object Lock is opt-in on the artifact bucket; the new log bucket always has it.
    expect(failing(plain, 'CT.S3.PR.9')).toEqual([logicalId(plain.artifactBucket)]);
    expect(failing(locked, 'CT.S3.PR.9')).toEqual([]);
    // Without a key both stay SSE-S3 (acknowledged); with one both are SSE-KMS.
    expect(failing(locked, 'CT.S3.PR.10')).toHaveLength(2);
    for (const control of ['CT.S3.PR.2', 'CT.S3.PR.4', 'CT.S3.PR.9', 'CT.S3.PR.10']) expect([control, failing(keyed, control)]).toEqual([control, []]);
  });
});
