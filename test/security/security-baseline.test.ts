import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IdleCostEstimate, Profile, SecurityBaseline, SecurityBaselineProps } from '../../src';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';
import { GRANTS_ONLY_FOR_AWS_RESOURCES } from '../helpers/kms';

function newStack(app = new App(), id = 'S'): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region: 'eu-west-1' } });
}

function features(template: Template): { [name: string]: string } {
  const detector = Object.values(template.findResources('AWS::GuardDuty::Detector'))[0];
  const out: { [name: string]: string } = {};
  for (const f of detector.Properties.Features) out[f.Name] = f.Status;
  return out;
}

describe('SecurityBaseline', () => {
  test('default (cost-conscious production): multi-region validated encrypted trail to a retained, versioned, TLS-only bucket', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const baseline = new SecurityBaseline(stack, 'Baseline');
    // THEN
    const template = Template.fromStack(stack);
    const keyId = stack.getLogicalId(baseline.encryptionKey.node.defaultChild as kms.CfnKey);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      KMSKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudTrailEncryptsTrailsOfThisAccount', Principal: { Service: 'cloudtrail.amazonaws.com' } })]) },
    });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true, ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-trail-logs', ExpirationInDays: 30, Status: 'Enabled' })] },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'trail-bucket/' }),
      }),
    });
    const trailBucketId = stack.getLogicalId(baseline.trailBucket.node.defaultChild as any);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: trailBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'cloudtrail.amazonaws.com' } }),
        ]),
      },
    });
    expect(baseline.accessLogBucket).toBeDefined();
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    template.resourceCountIs('AWS::SecurityHub::Hub', 0);
    expectCompliant(stack);
  });

  test('production profiles pay for S3, RDS and Lambda protection; runtime, EKS and malware plans stay off', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', { profile: Profile.HIGHLY_AVAILABLE_PRODUCTION });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::GuardDuty::Detector', { Enable: true });
    expect(features(template)).toEqual({
      S3_DATA_EVENTS: 'ENABLED',
      RDS_LOGIN_EVENTS: 'ENABLED',
      LAMBDA_NETWORK_LOGS: 'ENABLED',
      EKS_AUDIT_LOGS: 'DISABLED',
      EBS_MALWARE_PROTECTION: 'DISABLED',
      RUNTIME_MONITORING: 'DISABLED',
    });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] } });
  });

  test('development keeps only S3 protection of the paid plans, locks nothing, destroys the bucket with the stack and logs no bucket access', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const baseline = new SecurityBaseline(stack, 'Baseline', { profile: Profile.DEVELOPMENT });
    // THEN
    const template = Template.fromStack(stack);
    expect(features(template)).toEqual({
      S3_DATA_EVENTS: 'ENABLED',
      RDS_LOGIN_EVENTS: 'DISABLED',
      LAMBDA_NETWORK_LOGS: 'DISABLED',
      EKS_AUDIT_LOGS: 'DISABLED',
      EBS_MALWARE_PROTECTION: 'DISABLED',
      RUNTIME_MONITORING: 'DISABLED',
    });
    template.hasResourceProperties('AWS::GuardDuty::Detector', { Enable: true });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7 })] } }) });
    // Object Lock is on (free) but without a default retention, so the stack can still be destroyed.
    template.hasResourceProperties('AWS::S3::Bucket', { ObjectLockEnabled: true, ObjectLockConfiguration: Match.absent() });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 } });
    template.resourceCountIs('AWS::S3::Bucket', 1);
    expect(baseline.accessLogBucket).toBeUndefined();
    expectCompliant(stack);
  });

  test('production: trail to an encrypted log group kept a year, each log file locked until it expires, access logged by bucket policy without ACLs, events on EventBridge', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const baseline = new SecurityBaseline(stack, 'Baseline', { logExpiration: Duration.days(90) });
    // THEN
    const template = Template.fromStack(stack);
    const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as kms.CfnKey);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [id(baseline.logGroup!), 'Arn'] },
      CloudWatchLogsRoleArn: Match.anyValue(),
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { KmsKeyId: { 'Fn::GetAtt': [id(baseline.encryptionKey), 'Arn'] }, RetentionInDays: 365 } });
    const eventBridge = { EventBridgeConfiguration: { EventBridgeEnabled: true } };
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 90 } } },
      LoggingConfiguration: { DestinationBucketName: { Ref: id(baseline.accessLogBucket!) }, LogFilePrefix: 'trail-bucket/' },
      NotificationConfiguration: eventBridge,
    });
    // S3 refuses to deliver access logs to a bucket with a default retention, so the log bucket has none.
    const logBucket = template.toJSON().Resources[id(baseline.accessLogBucket!)];
    expect(logBucket.Properties).toMatchObject({
      ObjectLockEnabled: true,
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      NotificationConfiguration: eventBridge,
    });
    expect(logBucket.Properties.AccessControl).toBeUndefined();
    // it logs its own access (S3 logs to the bucket itself when no destination is named)
    expect(logBucket.Properties.LoggingConfiguration).toEqual({ LogFilePrefix: 'self/' });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id(baseline.accessLogBucket!) },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'S3ServerAccessLogsOfThisBucket',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(baseline.accessLogBucket!), 'Arn'] }, '/self/*']] },
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [id(baseline.accessLogBucket!), 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
        })]),
      },
    });
    expect(logBucket.Properties.ObjectLockConfiguration).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id(baseline.accessLogBucket!) },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [id(baseline.trailBucket), 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
        })]),
      },
    });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    expectCompliant(stack);
  });

  test('the key lets no one but AWS services create grants on it', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline');
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([GRANTS_ONLY_FOR_AWS_RESOURCES]),
      },
    });
  });

  test('without the CloudWatch Logs copy: no log group, and the trail writes to S3 only', () => {
    const stack = newStack();
    const baseline = new SecurityBaseline(stack, 'Baseline', { cloudWatchLogs: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.hasResourceProperties('AWS::CloudTrail::Trail', { CloudWatchLogsLogGroupArn: Match.absent() });
    expect(baseline.logGroup).toBeUndefined();
    expectCompliant(stack);
  });

  test('an explicit lock overrides the production default', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', { objectLockRetention: Duration.days(7) });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } } },
    });
  });

  test('fails only the Control Tower proactive controls AWS leaves no way around, in every profile', () => {
    // GIVEN
    const stacks = [Profile.DEVELOPMENT, Profile.COST_CONSCIOUS_PRODUCTION, Profile.HIGHLY_AVAILABLE_PRODUCTION].map((profile) => {
      const stack = newStack(new App(), profile.name);
      new SecurityBaseline(stack, 'Baseline', { profile });
      return stack;
    });
    // WHEN
    const failures = controlTowerFailures(stacks);
    // THEN: the detector's S3 protection is in `Features`, which the rule cannot read; the account's
    // public access block needs a Lambda; development logs no bucket access.
    const summary = Object.fromEntries([...failures].map(([name, f]) => [name, Object.fromEntries([...f].map(([id, r]) => [id, r.length]))]));
    expect(summary).toEqual({
      'development': { 'CT.GUARDDUTY.PR.1': 1, 'CT.LAMBDA.PR.3': 2, 'CT.S3.PR.2': 1 },
      'cost-conscious-production': { 'CT.GUARDDUTY.PR.1': 1, 'CT.LAMBDA.PR.3': 1 },
      'highly-available-production': { 'CT.GUARDDUTY.PR.1': 1, 'CT.LAMBDA.PR.3': 1 },
    });
    expect([...failures.get('development')!.get('CT.S3.PR.2')!]).toEqual([expect.stringMatching(/^BaselineTrailBucket/)]);
  });

  test('each protection is a prop that overrides the profile', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', {
      profile: Profile.DEVELOPMENT,
      guardDutyProtections: { runtimeMonitoring: true, s3DataEvents: true, eksAuditLogs: true, malwareProtection: true },
    });
    const template = Template.fromStack(stack);
    expect(features(template)).toMatchObject({ S3_DATA_EVENTS: 'ENABLED', RUNTIME_MONITORING: 'ENABLED', EKS_AUDIT_LOGS: 'ENABLED', EBS_MALWARE_PROTECTION: 'ENABLED', RDS_LOGIN_EVENTS: 'DISABLED' });
    template.hasResourceProperties('AWS::GuardDuty::Detector', {
      Features: Match.arrayWith([{
        Name: 'RUNTIME_MONITORING',
        Status: 'ENABLED',
        AdditionalConfiguration: Match.arrayWith([{ Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' }]),
      }]),
    });
  });

  test('turns on S3 Block Public Access for the account through S3 Control, and leaves it on when deleted', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline');
    const template = Template.fromStack(stack);
    const [resource] = Object.values(template.findResources('Custom::AWS'));
    const create = JSON.parse(JSON.stringify(stack.resolve(resource.Properties.Create)));
    expect(create).toContain('"service":"S3Control","action":"putPublicAccessBlock"');
    expect(create).toContain('"AccountId":"123456789012"');
    expect(create).toContain('"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true');
    expect(resource.Properties.Delete).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 's3:PutAccountPublicAccessBlock', Effect: 'Allow', Resource: '*' }] },
    });
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' });
  });

  test('without a detector or the account block where the organization already manages them', () => {
    const stack = newStack();
    const baseline = new SecurityBaseline(stack, 'Baseline', { guardDuty: false, accountPublicAccessBlock: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::GuardDuty::Detector', 0);
    template.resourceCountIs('Custom::AWS', 0);
    expect(baseline.detector).toBeUndefined();
  });

  test('brings its own key: no new key, and CloudTrail may use the given one', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    // WHEN
    const baseline = new SecurityBaseline(stack, 'Baseline', { encryptionKey: key });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(baseline.encryptionKey).toBe(key);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudTrailEncryptsTrailsOfThisAccount' })]) },
    });
    // the user's key is not opened to S3 server access logging: the access log bucket stays SSE-S3
    const logBucket = template.toJSON().Resources[stack.getLogicalId(baseline.accessLogBucket!.node.defaultChild as kms.CfnKey)];
    expect(logBucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    const keyPolicy = JSON.stringify(template.toJSON().Resources[stack.getLogicalId(key.node.defaultChild as kms.CfnKey)].Properties.KeyPolicy);
    expect(keyPolicy).not.toContain('logging.s3.amazonaws.com');
    expectCompliant(stack);
  });

  test('the access log bucket is encrypted with the trail key, which S3 server access logging of this account may use', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const baseline = new SecurityBaseline(stack, 'Baseline');
    // THEN SSE-KMS with the trail key and an S3 Bucket Key (AWS Control Tower CT.S3.PR.10)
    const template = Template.fromStack(stack);
    const keyId = stack.getLogicalId(baseline.encryptionKey.node.defaultChild as kms.CfnKey);
    const logBucket = template.toJSON().Resources[stack.getLogicalId(baseline.accessLogBucket!.node.defaultChild as kms.CfnKey)];
    expect(logBucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      }],
    });
    // the logging service may make data keys for buckets of this account only (no CloudFront logs arrive here)
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'S3ServerAccessLogsOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*']] } } },
        }]),
      },
    });
    expect(JSON.stringify(template.toJSON().Resources[keyId].Properties.KeyPolicy)).not.toContain('delivery.logs.amazonaws.com');
    expectCompliant(stack);
  });

  test('an organization trail with object lock, CloudWatch Logs, Config and Security Hub stays compliant', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const baseline = new SecurityBaseline(stack, 'Baseline', {
      organizationId: 'o-a1b2c3d4e5',
      objectLockRetention: Duration.days(30),
      logExpiration: Duration.days(365),
      cloudWatchLogs: true,
      configRecording: true,
      securityHub: true,
    });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudTrail::Trail', { IsOrganizationTrail: true, TrailName: 'organization-trail', CloudWatchLogsLogGroupArn: Match.anyValue() });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, '/AWSLogs/o-a1b2c3d4e5/*']] },
        })]),
      },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ORGANIZATION' });
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', { RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true } });
    template.hasResourceProperties('AWS::Config::DeliveryChannel', { S3KeyPrefix: 'config' });
    template.hasResourceProperties('AWS::SecurityHub::Hub', { EnableDefaultStandards: true });
    expect(baseline.configRecorder).toBeDefined();
    expectCompliant(stack);
  });

  test('warns when Security Hub runs without Config recording', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', { securityHub: true });
    Annotations.fromStack(stack).hasWarning('/S/Baseline', Match.stringLikeRegexp('Security Hub evaluates most controls from AWS Config'));
  });

  test.each<[string, SecurityBaselineProps, string]>([
    ['an organization ID', { organizationId: 'org-1' }, "`organizationId` must be an organization ID such as o-a1b2c3d4e5, got: 'org-1'"],
    ['a trail name', { trailName: 'my trail' }, "`trailName` must be 3 to 128 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit, got: 'my trail'"],
    ['a log expiration', { logExpiration: Duration.hours(12) }, '`logExpiration` must be an integer of at least 1, got: 0.5'],
    ['an object lock retention', { objectLockRetention: Duration.days(0) }, '`objectLockRetention` must be an integer of at least 1, got: 0'],
    ['a lock longer than the expiry', { objectLockRetention: Duration.days(400), logExpiration: Duration.days(365) }, '`objectLockRetention` must not be longer than `logExpiration` (365 days), got: 400 days'],
  ])('rejects %s AWS would refuse', (_what, props, message) => {
    expect(() => new SecurityBaseline(newStack(), 'Baseline', props)).toThrow(`[S/Baseline] ${message}`);
  });

  test('idle cost: 1.00 a month for the key; trail, GuardDuty and its plans listed as usage', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new SecurityBaseline(stack, 'Baseline', { configRecording: true });
    const estimate = IdleCostEstimate.ofStack(stack);
    // THEN
    expect(estimate.totalMonthlyUsd).toBe(1);
    expect(estimate.unknownResourceTypes).toEqual([]);
    expect(estimate.unpricedItems).toEqual([]);
    const usage = estimate.usagePricedItems.map((i) => i.description);
    expect(usage).toEqual(expect.arrayContaining([
      'CloudTrail trail', 'GuardDuty detector', 'GuardDuty S3 Protection', 'GuardDuty RDS Protection', 'GuardDuty Lambda Protection', 'AWS Config recorder',
    ]));
    expect(usage).not.toContain('GuardDuty Runtime Monitoring');
  });

  test('idle cost: Security Hub with its standards bills while idle and is marked unpriced', () => {
    const stack = newStack();
    new SecurityBaseline(stack, 'Baseline', { securityHub: true, configRecording: true });
    const unpriced = IdleCostEstimate.ofStack(stack).unpricedItems;
    expect(unpriced.map((i) => [i.resourceType, i.description])).toEqual([['AWS::SecurityHub::Hub', 'Security Hub with default standards']]);
  });
});
