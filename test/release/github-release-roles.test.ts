import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { parse } from 'yaml';
import { releaseApp } from './fixtures';
import { GitHubReleaseRoles } from '../../src';
import { expectCompliant } from '../helpers/compliance';

const WORKFLOW = path.join(__dirname, '..', '..', 'docs', 'github-actions-release.yml');

describe('GitHubReleaseRoles', () => {
  const r = releaseApp();
  const prod = r.envs[2];
  const roles = new GitHubReleaseRoles(r.releaseStack, 'GitHub', {
    repository: 'my-org/my-app',
    branches: ['main'],
    environments: ['production'],
    imageRepository: r.artifacts.repository,
    site: prod.site,
    pipeline: r.pipeline.pipeline,
  });
  roles.addOutputs();
  const t = Template.fromStack(r.releaseStack);

  test('each role trusts exactly the branch and environment of the repository', () => {
    const trusts = Object.values(t.findResources('AWS::IAM::Role'))
      .map((role) => role.Properties.AssumeRolePolicyDocument.Statement[0])
      .filter((s) => s.Action === 'sts:AssumeRoleWithWebIdentity');
    expect(trusts).toHaveLength(3);
    for (const s of trusts) {
      expect(s.Condition).toEqual({
        'StringEquals': { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        'ForAnyValue:StringEquals': { 'token.actions.githubusercontent.com:sub': ['repo:my-org/my-app:ref:refs/heads/main', 'repo:my-org/my-app:environment:production'] },
      });
      expect(JSON.stringify(s.Condition)).not.toMatch(/StringLike|\*/);
    }
  });

  test('least privilege: push to one repository, start one pipeline', () => {
    const docs = Object.values(t.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p.Properties.PolicyDocument));
    const start = docs.find((d) => d.includes('codepipeline:StartPipelineExecution'))!;
    expect(start).not.toMatch(/"Resource":"\*"/);
    const push = docs.find((d) => d.includes('ecr:PutImage'))!;
    expect(push).not.toContain('ecr:BatchDeleteImage');
    expect(push).toContain('Shared:ExportsOutputFnGetAttArtifactsImages');
  });

  test('the documented workflow assumes only roles these constructs output, and reads only their variables', () => {
    const workflow = parse(fs.readFileSync(WORKFLOW, 'utf-8')) as { jobs: { [job: string]: { steps: Array<{ with?: { [k: string]: string }; run?: string }> } } };
    const outputs = Object.keys(t.toJSON().Outputs);
    const text = JSON.stringify(workflow);
    const used = [...new Set([...text.matchAll(/vars\.([A-Z_]+)/g)].map((m) => m[1]))];
    expect(used.sort()).toEqual(Object.keys(roles.variables).sort());
    for (const name of used) expect(outputs).toContain(GitHubReleaseRoles.outputKey(name));
    const assumed = Object.values(workflow.jobs).flatMap((j) => j.steps).map((s) => s.with?.['role-to-assume']).filter((x) => x);
    expect(assumed.sort()).toEqual(['${{ vars.IMAGE_PUSH_ROLE_ARN }}', '${{ vars.PIPELINE_START_ROLE_ARN }}', '${{ vars.SITE_PUBLISH_ROLE_ARN }}']);
    expect(text).toContain('revisionType=COMMIT_ID');
    expect(text).not.toMatch(/:latest/);
  });

  test('compliant', () => {
    expectCompliant(r.releaseStack);
  });
});

describe('GitHubReleaseRoles refuses bad input by name', () => {
  const stack = () => new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const provider = (s: Stack) => iam.OidcProviderNative.fromOidcProviderArn(s, 'P', 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com');
  const cases: Array<[string, object, string]> = [
    ['a wildcard branch', { branches: ['release/*'] }, "`branches` must be exact branch names (the trust policy compares them literally: no *, ?, spaces or colons), got: 'release/*'"],
    ['a wildcard environment', { environments: ['*'] }, "`environments` must be exact environment names (the trust policy compares them literally: no *, ?, spaces or colons), got: '*'"],
    ['a repository without owner', { repository: 'app' }, "`repository` must be 'owner/name' of a GitHub repository, got: 'app'"],
    ['no branch and no environment', { branches: [] }, '`branches` must be at least one branch name (or give `environments`), got: []'],
  ];
  test.each(cases)('%s', (_n, props, message) => {
    const s = stack();
    expect(() => new GitHubReleaseRoles(s, 'G', { repository: 'my-org/my-app', oidcProvider: provider(s), pipeline: undefined, ...props, imageRepository: undefined } as never)).toThrow(message);
  });
  test('nothing to grant', () => {
    const s = stack();
    expect(() => new GitHubReleaseRoles(s, 'G', { repository: 'my-org/my-app', oidcProvider: provider(s) }))
      .toThrow('`imageRepository, site, pipeline` must be at least one of them (each gives one role), got: undefined');
  });
});
