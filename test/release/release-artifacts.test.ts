import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ReleaseArtifacts } from '../../src';
import { expectCompliant } from '../helpers/compliance';

const stack = () => new Stack(new App(), 'Shared', { env: { account: '111111111111', region: 'eu-west-1' } });

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
