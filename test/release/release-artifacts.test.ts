import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { Profile, ReleaseArtifacts } from '../../src';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';
import { expectAccessLogBucket, expectAccessLogsAdmitted } from '../helpers/s3';

const stack = (id = 'Shared') => new Stack(new App(), id, { env: { account: '111111111111', region: 'eu-west-1' } });
const logicalId = (resource: IConstruct) => Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement);

describe('ReleaseArtifacts', () => {
  test('the repository keeps tags immutable, scans on push, expires old images and is retained', () => {
    // GIVEN / WHEN
    const s = stack();
    new ReleaseArtifacts(s, 'Artifacts');
    // THEN
    const t = Template.fromStack(s);
    t.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      Properties: { ImageTagMutability: 'IMMUTABLE', ImageScanningConfiguration: { ScanOnPush: true } },
    });
    const policy = JSON.parse(Object.values(t.findResources('AWS::ECR::Repository'))[0].Properties.LifecyclePolicy.LifecyclePolicyText);
    expect(policy.rules).toEqual([
      expect.objectContaining({ rulePriority: 1, selection: expect.objectContaining({ tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7 }) }),
      expect.objectContaining({ rulePriority: 2, selection: expect.objectContaining({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 }) }),
    ]);
    t.hasResourceProperties('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } });
    expectCompliant(s);
  });

  test('keeps as many images as asked', () => {
    const s = stack();
    new ReleaseArtifacts(s, 'Artifacts', { maxImageCount: 10 });
    expect(Object.values(Template.fromStack(s).findResources('AWS::ECR::Repository'))[0].Properties.LifecyclePolicy.LifecyclePolicyText).toContain('"countNumber":10');
  });

  test('another stack sees the bucket through an export named after the owner, and depends on it', () => {
    const s = stack();
    const artifacts = new ReleaseArtifacts(s, 'Artifacts');
    const other = new Stack(s.node.root as App, 'Other', { env: { account: '111111111111', region: 'eu-west-1' } });
    const bucket = artifacts.bucketFor(other);
    expect(artifacts.bucketFor(other)).toBe(bucket);
    expect(artifacts.bucketFor(s)).toBe(artifacts.bucket);
    expect(other.dependencies).toContain(s);
    expect(JSON.stringify(Template.fromStack(s).toJSON().Outputs)).toMatch(/"Name":"Shared-SharedArtifacts[0-9A-F]{8}-ArtifactBucket"/);
  });

  test('refuses a count of 0 by name', () => {
    expect(() => new ReleaseArtifacts(stack(), 'Artifacts', { maxImageCount: 0 }))
      .toThrow('`maxImageCount` must be an integer between 1 and 10000, got: 0');
  });
});

describe('ReleaseArtifacts artifact bucket', () => {
  test('by default (cost-conscious production) it logs access to an Object Lock log bucket and sends events to EventBridge', () => {
    // GIVEN / WHEN
    const s = stack();
    const artifacts = new ReleaseArtifacts(s, 'Artifacts');
    // THEN
    const t = Template.fromStack(s);
    const logBucket = logicalId(artifacts.accessLogBucket!);
    const bucket = t.toJSON().Resources[logicalId(artifacts.bucket)];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucket }, LogFilePrefix: 'artifacts/' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    expect(bucket.Properties.ObjectLockEnabled).toBeUndefined();
    expectAccessLogBucket(t, 30);
    expectAccessLogsAdmitted(t, { logBucketId: logBucket, sourceId: logicalId(artifacts.bucket), sid: 'S3ServerAccessLogsForTheArtifactBucket', prefix: 'artifacts/', account: '111111111111' });
    t.resourceCountIs('AWS::KMS::Key', 0);
    expectCompliant(s);
  });

  test('in development it has no log bucket and acknowledges the missing access logs', () => {
    const s = stack();
    const artifacts = new ReleaseArtifacts(s, 'Artifacts', { profile: Profile.DEVELOPMENT });
    expect(artifacts.accessLogBucket).toBeUndefined();
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::S3::Bucket', 1);
    expect(t.toJSON().Resources[logicalId(artifacts.bucket)].Properties.LoggingConfiguration).toBeUndefined();
    expectCompliant(s);
  });

  test('development with access logs on gets a log bucket that is emptied and deleted with the stack', () => {
    const s = stack();
    const artifacts = new ReleaseArtifacts(s, 'Artifacts', { profile: Profile.DEVELOPMENT.withOverrides({ accessLogs: true }) });
    const t = Template.fromStack(s);
    expect(t.toJSON().Resources[logicalId(artifacts.accessLogBucket!)].DeletionPolicy).toBe('Delete');
    expect(t.toJSON().Resources[logicalId(artifacts.bucket)].DeletionPolicy).toBe('Retain');
    t.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    expectCompliant(s);
  });

  test('objectLock turns Object Lock on the artifact bucket without a default retention; artifacts still expire', () => {
    const s = stack();
    const artifacts = new ReleaseArtifacts(s, 'Artifacts', { objectLock: true });
    const bucket = Template.fromStack(s).toJSON().Resources[logicalId(artifacts.bucket)].Properties;
    expect(bucket.ObjectLockEnabled).toBe(true);
    expect(bucket.ObjectLockConfiguration).toBeUndefined();
    expect(bucket.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(90);
    expectCompliant(s);
  });

  test('passes AWS Control Tower\'s CT.S3.PR.2 and .4 by default and .9 with objectLock; its log bucket passes them too', () => {
    // GIVEN
    const plain = new ReleaseArtifacts(stack('Plain'), 'Artifacts');
    const locked = new ReleaseArtifacts(stack('Locked'), 'Artifacts', { objectLock: true });
    // WHEN
    const results = controlTowerFailures([plain, locked].map((a) => Stack.of(a)));
    // THEN
    const failing = (a: ReleaseArtifacts, control: string) => {
      const ids = results.get(Stack.of(a).stackName)!.get(control) ?? [];
      return [a.bucket, a.accessLogBucket!].map(logicalId).filter((id) => ids.includes(id));
    };
    for (const control of ['CT.S3.PR.2', 'CT.S3.PR.4']) expect([control, failing(plain, control)]).toEqual([control, []]);
    expect(failing(plain, 'CT.S3.PR.9')).toEqual([logicalId(plain.bucket)]);
    for (const control of ['CT.S3.PR.2', 'CT.S3.PR.4', 'CT.S3.PR.9']) expect([control, failing(locked, control)]).toEqual([control, []]);
    // No customer managed key: both stay SSE-S3, acknowledged.
    expect(failing(locked, 'CT.S3.PR.10')).toHaveLength(2);
  });
});
