import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GitHubOidcProvider, SiteDeployRole } from '../../src';

const env = (account: string) => ({ account, region: 'eu-west-1' });

function deployRole(stack: Stack, branches?: string[]): SiteDeployRole {
  const bucket = s3.Bucket.fromBucketName(stack, 'B', 'site');
  const distribution = cloudfront.Distribution.fromDistributionAttributes(stack, 'D', { distributionId: 'E123', domainName: 'd.cloudfront.net' });
  return new SiteDeployRole(stack, 'Deployer', { bucket, distribution, repository: 'my-org/my-spa', branches });
}

describe('GitHubOidcProvider', () => {
  test('two stacks in one account: the first creates the provider, the second imports it and deploys after', () => {
    // GIVEN two stacks of one account, each with a site deploy role
    const app = new App();
    const dev = new Stack(app, 'Dev', { env: env('111111111111') });
    const prod = new Stack(app, 'Prod', { env: env('111111111111') });
    // WHEN
    deployRole(dev);
    const prodRole = deployRole(prod);
    // THEN
    Template.fromStack(dev).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    Template.fromStack(prod).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(prod.dependencies).toContain(dev);
    expect(prod.resolve(prodRole.oidcProvider.oidcProviderArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:oidc-provider/token.actions.githubusercontent.com']],
    });
  });

  test('one account per environment: each account creates its own', () => {
    const app = new App();
    const dev = new Stack(app, 'Dev', { env: env('111111111111') });
    const prod = new Stack(app, 'Prod', { env: env('222222222222') });
    deployRole(dev);
    deployRole(prod);
    Template.fromStack(dev).resourceCountIs('AWS::IAM::OIDCProvider', 1);
    Template.fromStack(prod).resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });

  test('the first site keeps its provider\'s logical id (no replacement on upgrade)', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: env('111111111111') });
    deployRole(stack);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::OIDCProvider'))[0]).toMatch(/^DeployerGitHubOidc/);
  });

  test('fromAccount imports the existing provider by its fixed ARN', () => {
    const stack = new Stack(new App(), 'S', { env: env('111111111111') });
    const p = GitHubOidcProvider.fromAccount(stack, 'GitHub');
    expect(stack.resolve(p.oidcProviderArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:oidc-provider/token.actions.githubusercontent.com']],
    });
  });
});
