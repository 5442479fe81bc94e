import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import { IConstruct } from 'constructs';
import { checkPattern } from '../private/validate';

/** Options for `ReleaseSource.connection()`. */
export interface ConnectionReleaseSourceOptions {
  /**
   * The ARN of a CodeConnections (formerly CodeStar Connections) connection to GitHub, GitLab or
   * Bitbucket, e.g. `arn:aws:codeconnections:eu-west-1:111111111111:connection/<id>`. Create it
   * once in the console (the provider's handshake needs a person).
   */
  readonly connectionArn: string;
  /** The repository, as `owner/name`. */
  readonly repository: string;
  /**
   * Start the pipeline on every push to the release branch. Turn it off when your CI (e.g. GitHub
   * Actions) starts the pipeline itself for a commit that passed its tests.
   *
   * @default true
   */
  readonly triggerOnPush?: boolean;
}

/**
 * Where a release comes from: the application repository (Dockerfile, SPA, migrations) through a
 * CodeConnections connection.
 *
 * @example
 * import { ReleaseSource } from 'cdk-lean-stack';
 *
 * const source = ReleaseSource.connection({
 *   connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/abcd-1234',
 *   repository: 'my-org/my-app',
 * });
 */
export class ReleaseSource {
  /** A GitHub, GitLab or Bitbucket repository through a CodeConnections connection. */
  public static connection(options: ConnectionReleaseSourceOptions): ReleaseSource {
    return new ReleaseSource(options);
  }

  /** The repository, as `owner/name`. */
  public readonly repository: string;
  /** The connection's ARN. */
  public readonly connectionArn: string;

  private constructor(private readonly options: ConnectionReleaseSourceOptions) {
    this.repository = options.repository;
    this.connectionArn = options.connectionArn;
  }

  /**
   * Checks the options, naming the bad one.
   *
   * @internal
   */
  public _validate(scope: IConstruct): void {
    checkPattern(scope, 'source.connectionArn', this.options.connectionArn,
      /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z]{2}(-[a-z]+)+-\d:\d{12}:connection\/[0-9a-f-]{8,}$/,
      'the ARN of a CodeConnections connection (arn:aws:codeconnections:<region>:<account>:connection/<id>)');
    checkPattern(scope, 'source.repository', this.options.repository, /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.\/-]+$/, "'owner/name' of a repository");
  }

  /**
   * The source action for one branch.
   *
   * @internal
   */
  public _action(branch: string, output: codepipeline.Artifact): actions.CodeStarConnectionsSourceAction {
    const [owner, ...rest] = this.options.repository.split('/');
    return new actions.CodeStarConnectionsSourceAction({
      actionName: 'Source',
      connectionArn: this.options.connectionArn,
      owner,
      repo: rest.join('/'),
      branch,
      triggerOnPush: this.options.triggerOnPush ?? true,
      output,
    });
  }
}

/** How commits reach the environments. */
export enum ReleaseFlowKind {
  /** One branch. Every commit is built once and promoted through every environment in order. */
  TRUNK = 'trunk',
  /** A branch per environment (e.g. `dev`, `uat`, `main`); each branch releases to its environment. */
  BRANCH_PER_ENVIRONMENT = 'branch-per-environment',
}

/**
 * How commits reach the environments: one trunk promoted through every stage, or a branch per
 * environment (each environment's `branch`), one pipeline each.
 */
export class ReleaseFlow {
  /**
   * One branch, built once and promoted through the environments in order.
   *
   * @param branch the release branch. Default: `main`.
   */
  public static trunk(branch?: string): ReleaseFlow {
    return new ReleaseFlow(ReleaseFlowKind.TRUNK, branch ?? 'main');
  }

  /** A branch per environment, taken from each environment's `branch`: one pipeline per environment. */
  public static branchPerEnvironment(): ReleaseFlow {
    return new ReleaseFlow(ReleaseFlowKind.BRANCH_PER_ENVIRONMENT, undefined);
  }

  private constructor(
    /** Which flow this is. */
    public readonly kind: ReleaseFlowKind,
    /** The trunk, for `trunk()`. */
    public readonly branch?: string,
  ) {}
}
