import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CostConsciousStaticSite, SiteDeployRole } from '../../src/static-site';
import { expectCompliant } from '../helpers/compliance';

function newStack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
}

describe('SiteDeployRole', () => {
  test('trusts GitHub OIDC for the repository\'s main branch only, with the sts audience', () => {
    // GIVEN / WHEN
    const stack = newStack();
    const site = new CostConsciousStaticSite(stack, 'Site', { gitHubDeploy: { repository: 'my-org/my-spa' } });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            'StringEquals': { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            'ForAnyValue:StringEquals': { 'token.actions.githubusercontent.com:sub': ['repo:my-org/my-spa:ref:refs/heads/main'] },
          },
        })],
      },
    });
    expect(site.deployRole!.role).toBeDefined();
    expectCompliant(stack);
  });

  test('may only sync this bucket and invalidate this distribution', () => {
    // GIVEN
    const stack = newStack();
    const site = new CostConsciousStaticSite(stack, 'Site', { gitHubDeploy: { repository: 'my-org/my-spa' } });
    // THEN
    const bucketId = stack.getLogicalId(site.bucket.node.defaultChild as s3.CfnBucket);
    const distId = stack.getLogicalId(site.distribution.node.defaultChild as cloudfront.CfnDistribution);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'ListSiteBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] } },
          { Sid: 'SyncSiteObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] } },
          {
            Sid: 'InvalidateSite',
            Effect: 'Allow',
            Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::111111111111:distribution/', { Ref: distId }]] },
          },
        ],
      },
    });
  });

  test('branches and environments widen the subjects; an existing OIDC provider is reused', () => {
    // GIVEN
    const stack = newStack();
    const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Gh', 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com');
    // WHEN
    const site = new CostConsciousStaticSite(stack, 'Site', {
      gitHubDeploy: { repository: 'my-org/my-spa', branches: ['main', 'release'], environments: ['production'], oidcProvider: provider },
    });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
          Condition: Match.objectLike({
            'ForAnyValue:StringEquals': { 'token.actions.githubusercontent.com:sub': ['repo:my-org/my-spa:ref:refs/heads/main', 'repo:my-org/my-spa:ref:refs/heads/release', 'repo:my-org/my-spa:environment:production'] },
          }),
        })],
      },
    });
    expect(site.deployRole!.oidcProvider).toBe(provider);
    expectCompliant(stack);
  });

  test('a branch pattern with * is compared with StringLike, so release branches can assume the role and others cannot', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new CostConsciousStaticSite(stack, 'Site', { gitHubDeploy: { repository: 'my-org/my-spa', branches: ['main', 'release/*'], environments: ['production'] } });
    // THEN
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('GitHub Actions') } });
    const condition = Object.values(roles)[0].Properties.AssumeRolePolicyDocument.Statement[0].Condition;
    expect(condition).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:my-org/my-spa:ref:refs/heads/main', 'repo:my-org/my-spa:ref:refs/heads/release/*', 'repo:my-org/my-spa:environment:production'] },
    });
    // IAM's StringLike: '*' is any run of characters, '?' one character.
    const like = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);
    const admits = (sub: string) => (condition.StringLike['token.actions.githubusercontent.com:sub'] as string[]).some((p) => like(p, sub));
    expect(admits('repo:my-org/my-spa:ref:refs/heads/release/1.2')).toBe(true);
    expect(admits('repo:my-org/my-spa:ref:refs/heads/main')).toBe(true);
    expect(admits('repo:my-org/my-spa:environment:production')).toBe(true);
    expect(admits('repo:my-org/my-spa:ref:refs/heads/feature/x')).toBe(false);
    expect(admits('repo:my-org/my-spa:pull_request')).toBe(false);
    expect(admits('repo:other/my-spa:ref:refs/heads/release/1.2')).toBe(false);
    expectCompliant(stack);
  });

  test('rejects a branch with a character git forbids', () => {
    const stack = newStack();
    expect(() => new CostConsciousStaticSite(stack, 'Site', { gitHubDeploy: { repository: 'o/r', branches: ['release-?'] } })).toThrow(
      "[S/Site] `gitHubDeploy.branches` must be git branch names or patterns with '*' (no spaces, ':', '?', '[', '\\', '~' or '^'), got: 'release-?'");
  });

  test('rejects an environment pattern', () => {
    const stack = newStack();
    expect(() => new CostConsciousStaticSite(stack, 'Site', { gitHubDeploy: { repository: 'o/r', environments: ['prod*'] } })).toThrow(
      "[S/Site] `gitHubDeploy.environments` must be GitHub environment names of at most 255 characters, without spaces, ':', '*' or '?', got: 'prod*'");
  });

  test('with a customer key the role may use it', () => {
    const stack = newStack();
    new CostConsciousStaticSite(stack, 'Site', { customerManagedKey: true, gitHubDeploy: { repository: 'my-org/my-spa' } });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'] })]) },
    });
    expectCompliant(stack);
  });

  test('rejects a repository that is not owner/name', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'B');
    const distribution = {} as cloudfront.IDistribution;
    expect(() => new SiteDeployRole(stack, 'R', { bucket, distribution, repository: 'https://github.com/my-org/my-spa' })).toThrow("`repository` must be 'owner/name' of a GitHub repository, got: 'https://github.com/my-org/my-spa'");
  });

  test('rejects no branch and no environment', () => {
    const stack = newStack();
    expect(() => new CostConsciousStaticSite(stack, 'Site', { gitHubDeploy: { repository: 'o/r', branches: [] } })).toThrow('`gitHubDeploy.branches` must be at least one branch name (or give `environments`), got: []');
  });

  test('rejects a repository that is not owner/name, named as the site\'s prop', () => {
    const stack = newStack();
    expect(() => new CostConsciousStaticSite(stack, 'Site', { gitHubDeploy: { repository: 'my-spa' } })).toThrow("`gitHubDeploy.repository` must be 'owner/name' of a GitHub repository, got: 'my-spa'");
  });

  test('rejects environment names GitHub does not allow or the trust policy cannot compare', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'B');
    const distribution = {} as cloudfront.IDistribution;
    const role = (id: string, environments: string[]) => () => new SiteDeployRole(stack, id, { bucket, distribution, repository: 'o/r', environments });
    const allowed = "GitHub environment names of at most 255 characters, without spaces, ':', '*' or '?'";
    expect(role('R1', ['prod eu'])).toThrow(`\`environments\` must be ${allowed}, got: 'prod eu'`);
    expect(role('R2', ['a'.repeat(256)])).toThrow(`\`environments\` must be ${allowed}, got: '${'a'.repeat(256)}'`);
    expect(role('R3', [''])).toThrow(`\`environments\` must be ${allowed}, got: ''`);
    expect(role('R4', ['production', 'a'.repeat(255)])).not.toThrow();
  });

  test('rejects a session IAM does not offer (1 to 12 hours)', () => {
    const stack = newStack();
    expect(() => new CostConsciousStaticSite(stack, 'Site', { gitHubDeploy: { repository: 'o/r', maxSessionDuration: Duration.minutes(30) } }))
      .toThrow("`gitHubDeploy.maxSessionDuration` must be a whole number of seconds between 3600 and 43200, got: '1800 seconds'");
    const bucket = new s3.Bucket(stack, 'B');
    expect(() => new SiteDeployRole(stack, 'R', { bucket, distribution: {} as cloudfront.IDistribution, repository: 'o/r', maxSessionDuration: Duration.hours(13) }))
      .toThrow("`maxSessionDuration` must be a whole number of seconds between 3600 and 43200, got: '46800 seconds'");
  });
});
