import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { GitHubOidcProvider } from './github-oidc-provider';
import { acknowledge, nagResourceId } from '../private/nag';
import { checkGitHubDeploy } from './private/github-deploy-checks';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';

const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

/**
 * Who may deploy a static site from GitHub Actions.
 */
export interface GitHubDeployOptions {
  /** The repository, as `owner/name`. */
  readonly repository: string;

  /**
   * The branches whose workflows may assume the role. A `*` matches any characters, `/` included
   * (`release/*`, `*`): the trust policy then compares with `StringLike`.
   *
   * @default ['main']
   */
  readonly branches?: string[];

  /**
   * GitHub environments whose workflows may also assume the role (for jobs with `environment:`,
   * whose token's subject names the environment instead of the branch).
   *
   * @default - none
   */
  readonly environments?: string[];

  /**
   * The account's existing GitHub OIDC provider (an account holds at most one per issuer), e.g.
   * `iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHub', arn)`.
   *
   * @default - `GitHubOidcProvider.forAccount()`: created by the first stack of the account that
   * asks for it in this app, imported by the others
   */
  readonly oidcProvider?: iam.IOidcProvider;

  /**
   * How long a session of the role lasts.
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * Props for `SiteDeployRole`.
 */
export interface SiteDeployRoleProps extends GitHubDeployOptions {
  /** The bucket the workflow syncs the build to. */
  readonly bucket: s3.IBucket;
  /** The distribution the workflow invalidates. */
  readonly distribution: cloudfront.IDistribution;
}

/**
 * A least-privilege IAM role that GitHub Actions assumes through OIDC (no stored AWS keys) to
 * deploy a static site: it may list, write and delete objects in one bucket and create
 * invalidations on one distribution, from the named repository's branches only. Free.
 *
 * @example
 * import { SiteDeployRole } from 'cdk-lean-stack';
 * import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
 * import * as s3 from 'aws-cdk-lib/aws-s3';
 *
 * declare const bucket: s3.IBucket;
 * declare const distribution: cloudfront.IDistribution;
 * const deployer = new SiteDeployRole(this, 'Deployer', {
 *   bucket,
 *   distribution,
 *   repository: 'my-org/my-spa',
 * });
 */
export class SiteDeployRole extends Construct {
  /** The role to put in `aws-actions/configure-aws-credentials`' `role-to-assume`. */
  public readonly role: iam.Role;
  /** The GitHub OIDC provider the role trusts. */
  public readonly oidcProvider: iam.IOidcProvider;

  constructor(scope: Construct, id: string, props: SiteDeployRoleProps) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    checkGitHubDeploy(this, props);
    const branches = props.branches ?? ['main'];

    // One provider per account: a second stack of the same account imports the first one's.
    this.oidcProvider = props.oidcProvider ?? GitHubOidcProvider.forAccount(this, 'GitHubOidc');

    const subjects = [
      ...branches.map((b) => `repo:${props.repository}:ref:refs/heads/${b}`),
      ...(props.environments ?? []).map((e) => `repo:${props.repository}:environment:${e}`),
    ];
    // Exact subjects: a pull request from a fork or another branch cannot assume the role. With a
    // branch pattern, StringLike: StringEquals would compare the `*` literally and match nothing.
    // The other subjects hold no `*` or `?`, so StringLike matches them exactly too.
    const subjectCondition = subjects.some((subject) => subject.includes('*'))
      ? { StringLike: { [`${GITHUB_ISSUER}:sub`]: subjects } }
      : { 'ForAnyValue:StringEquals': { [`${GITHUB_ISSUER}:sub`]: subjects } };
    this.role = new iam.Role(this, 'Role', {
      description: `Deploys the static site from GitHub Actions in ${props.repository}`,
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(this.oidcProvider.oidcProviderArn, {
        StringEquals: { [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com' },
        ...subjectCondition,
      }),
    });

    // A customer managed policy (free), not an inline one, so it can be audited and reused.
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Sync ${props.repository}'s build to the site bucket and invalidate the distribution`,
      statements: [
        new iam.PolicyStatement({
          sid: 'ListSiteBucket',
          actions: ['s3:ListBucket'],
          resources: [props.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'SyncSiteObjects',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [props.bucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'InvalidateSite',
          actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
          resources: [Stack.of(this).formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: props.distribution.distributionId,
          })],
        }),
      ],
    });
    if (props.bucket.encryptionKey) {
      props.bucket.encryptionKey.grant(policy, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*');
    }
    this.role.addManagedPolicy(policy);
    acknowledge(policy, {
      ids: [`AwsSolutions-IAM5[${nagResourceId(this, props.bucket.arnForObjects('*'))}]`, 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]'],
      reason: 'A site sync writes and deletes any object key of this one bucket (the keys are the build\'s file names); the role may touch no other bucket. GenerateDataKey* only with a customer key on this bucket.',
    });
  }
}
