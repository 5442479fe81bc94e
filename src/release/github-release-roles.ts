import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { shared } from './private/share';
import { IStaticSite } from '../core/contracts';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { acknowledge } from '../private/nag';
import { checkPattern, checkRange, invalid } from '../private/validate';
import { GitHubOidcProvider } from '../static-site/github-oidc-provider';
import { SiteDeployRole } from '../static-site/site-deploy-role';

/** Properties of `GitHubReleaseRoles`. */
export interface GitHubReleaseRolesProps {
  /** The repository whose workflows assume the roles, as `owner/name`. */
  readonly repository: string;
  /**
   * The exact branches whose workflows may assume the roles (no `*`: the trust policy compares
   * subjects literally).
   *
   * @default ['main']
   */
  readonly branches?: string[];
  /**
   * The exact GitHub environments whose jobs may assume the roles (jobs with `environment:`).
   *
   * @default - none
   */
  readonly environments?: string[];
  /**
   * The account's GitHub OIDC provider.
   *
   * @default - `GitHubOidcProvider.forAccount()`: created once per account in this app
   */
  readonly oidcProvider?: iam.IOidcProvider;
  /**
   * The image repository a workflow may push to (a role that pushes, and nothing else).
   *
   * @default - no image push role
   */
  readonly imageRepository?: ecr.IRepository;
  /**
   * The site a workflow may publish (sync and invalidate).
   *
   * @default - no site publish role
   */
  readonly site?: IStaticSite;
  /**
   * The release pipeline a workflow may start (and read the state of).
   *
   * @default - no pipeline start role
   */
  readonly pipeline?: codepipeline.IPipeline;
  /**
   * How long a session lasts.
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * Least-privilege roles that GitHub Actions assumes through OIDC (no stored keys), trusting
 * exact branches or environments of one repository: push an image to one repository, publish one
 * site, start one pipeline. `variables` names what a workflow needs (role ARNs, pipeline name,
 * repository URI, bucket, distribution) as GitHub variables; `addOutputs()` prints them.
 *
 * @example
 * import { GitHubReleaseRoles, ReleaseArtifacts, ReleasePipeline } from 'cdk-lean-stack';
 *
 * declare const artifacts: ReleaseArtifacts;
 * declare const release: ReleasePipeline;
 * new GitHubReleaseRoles(this, 'GitHub', {
 *   repository: 'my-org/my-app',
 *   branches: ['main'],
 *   imageRepository: artifacts.repository,
 *   pipeline: release.pipeline,
 * }).addOutputs();
 */
export class GitHubReleaseRoles extends Construct {
  /**
   * The stack output key of a GitHub variable name: `RELEASE_PIPELINE_NAME` -> `ReleasePipelineName`.
   *
   * @param variable the variable name
   */
  public static outputKey(variable: string): string {
    return variable.toLowerCase().split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  }

  /** The provider the roles trust. */
  public readonly oidcProvider: iam.IOidcProvider;
  /** The role that pushes images, with `imageRepository`. */
  public readonly imagePushRole?: iam.Role;
  /** The role that publishes the site, with `site`. */
  public readonly sitePublishRole?: iam.IRole;
  /** The role that starts the pipeline, with `pipeline`. */
  public readonly pipelineStartRole?: iam.Role;
  /** What a workflow needs, by GitHub variable name (e.g. `RELEASE_PIPELINE_NAME`). */
  public readonly variables: { [name: string]: string };
  private readonly subjects: string[];

  constructor(scope: Construct, id: string, props: GitHubReleaseRolesProps) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    checkPattern(this, 'repository', props.repository, /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "'owner/name' of a GitHub repository");
    const branches = props.branches ?? ['main'];
    const environments = props.environments ?? [];
    if (branches.length === 0 && environments.length === 0) invalid(this, 'branches', branches, 'at least one branch name (or give `environments`)');
    for (const b of branches) checkPattern(this, 'branches', b, /^[^\s:*?]+$/, 'exact branch names (the trust policy compares them literally: no *, ?, spaces or colons)');
    for (const e of environments) checkPattern(this, 'environments', e, /^[^\s:*?]+$/, 'exact environment names (the trust policy compares them literally: no *, ?, spaces or colons)');
    checkRange(this, 'maxSessionDuration (seconds)', props.maxSessionDuration?.toSeconds(), { min: 3600, max: 43200 });
    if (!props.imageRepository && !props.site && !props.pipeline) {
      invalid(this, 'imageRepository, site, pipeline', undefined, 'at least one of them (each gives one role)');
    }
    this.oidcProvider = props.oidcProvider ?? GitHubOidcProvider.forAccount(this, 'GitHubOidc');
    this.subjects = [
      ...branches.map((b) => `repo:${props.repository}:ref:refs/heads/${b}`),
      ...environments.map((e) => `repo:${props.repository}:environment:${e}`),
    ];
    const duration = props.maxSessionDuration ?? Duration.hours(1);
    this.variables = {};

    if (props.imageRepository) {
      this.imagePushRole = this.role('ImagePush', `Pushes images to ${props.imageRepository.node.path} from GitHub Actions in ${props.repository}`, duration);
      props.imageRepository.grantPush(this.imagePushRole);
      acknowledge(this.imagePushRole, {
        ids: ['AwsSolutions-IAM5[Resource::*]'],
        reason: 'ecr:GetAuthorizationToken takes no resource ARN; pushes are limited to the one repository.',
      });
      this.variables.IMAGE_PUSH_ROLE_ARN = this.imagePushRole.roleArn;
      this.variables.IMAGE_REPOSITORY_URI = props.imageRepository.repositoryUri;
    }
    if (props.site) {
      // Imported under export names we choose, so the policy's acknowledgement names them exactly.
      const site = props.site;
      const bucketName = shared(site, this, site.bucket.bucketName, 'SiteBucket');
      const distributionId = shared(site, this, site.distribution.distributionId, 'DistributionId');
      const sameStack = bucketName === site.bucket.bucketName;
      const deployer = new SiteDeployRole(this, 'SitePublish', {
        bucket: sameStack ? site.bucket : s3.Bucket.fromBucketAttributes(this, 'SiteBucket', { bucketName, encryptionKey: site.bucket.encryptionKey }),
        distribution: sameStack ? site.distribution
          : cloudfront.Distribution.fromDistributionAttributes(this, 'SiteDistribution', { distributionId, domainName: site.distribution.distributionDomainName }),
        repository: props.repository,
        branches,
        environments,
        oidcProvider: this.oidcProvider,
        maxSessionDuration: duration,
      });
      this.sitePublishRole = deployer.role;
      this.variables.SITE_PUBLISH_ROLE_ARN = deployer.role.roleArn;
      this.variables.SITE_BUCKET = bucketName;
      this.variables.SITE_DISTRIBUTION_ID = distributionId;
    }
    if (props.pipeline) {
      this.pipelineStartRole = this.role('PipelineStart', `Starts ${props.pipeline.node.path} from GitHub Actions in ${props.repository}`, duration);
      this.pipelineStartRole.addToPolicy(new iam.PolicyStatement({
        actions: ['codepipeline:StartPipelineExecution', 'codepipeline:GetPipelineState', 'codepipeline:GetPipelineExecution'],
        resources: [props.pipeline.pipelineArn],
      }));
      this.variables.PIPELINE_START_ROLE_ARN = this.pipelineStartRole.roleArn;
      this.variables.RELEASE_PIPELINE_NAME = props.pipeline.pipelineName;
    }
    for (const role of [this.imagePushRole, this.pipelineStartRole]) {
      const policy = role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
      if (policy) {
        acknowledge(policy, {
          ids: ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'],
          reason: 'The role\'s grants (one repository or one pipeline) are its own policy, bound to this role only; a managed policy would be no narrower.',
        });
      }
    }
  }

  /**
   * Adds one stack output per entry of `variables`, keyed by the variable name without
   * underscores in PascalCase (e.g. `ReleasePipelineName`); copy them into the repository's
   * GitHub variables. None are added unless you call this.
   */
  public addOutputs(): void {
    const scope = new Construct(this, 'Outputs');
    for (const [name, value] of Object.entries(this.variables)) {
      const key = GitHubReleaseRoles.outputKey(name);
      // A key users can read in the console and scripts can query, not a hashed logical id.
      new CfnOutput(scope, key, { description: `GitHub variable ${name}`, value }).overrideLogicalId(key);
    }
  }

  private role(id: string, description: string, maxSessionDuration: Duration): iam.Role {
    const issuer = GitHubOidcProvider.ISSUER;
    return new iam.Role(this, id, {
      description,
      maxSessionDuration,
      assumedBy: new iam.WebIdentityPrincipal(this.oidcProvider.oidcProviderArn, {
        'StringEquals': { [`${issuer}:aud`]: 'sts.amazonaws.com' },
        // Exact subjects: a fork's pull request or another branch cannot assume the role.
        'ForAnyValue:StringEquals': { [`${issuer}:sub`]: this.subjects },
      }),
    });
  }
}
