import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';

/** Per app: the stack that created each account's provider, and the provider itself. */
const CREATED = new WeakMap<IConstruct, Map<string, { stack: Stack; provider: iam.IOidcProvider }>>();

/**
 * The GitHub Actions OIDC provider of an AWS account. IAM allows one provider per issuer URL per
 * account, so two stacks that each create one cannot both deploy into the same account. Use
 * `forAccount()` everywhere a provider is needed: the first stack of an account creates it and
 * every other stack of the same account imports it by its (fixed) ARN and deploys after that
 * stack. Use `fromAccount()` when the provider already exists (created by another tool).
 *
 * @example
 * import { GitHubOidcProvider } from 'cdk-lean-stack';
 *
 * // created in the first stack of the account that asks, imported by the others
 * const provider = GitHubOidcProvider.forAccount(this, 'GitHubOidc');
 */
export class GitHubOidcProvider {
  /** The issuer of GitHub Actions' OIDC tokens. */
  public static readonly ISSUER = 'token.actions.githubusercontent.com';

  /**
   * The account's provider, created in `scope` the first time a stack of that account asks for it
   * in this app, and imported (with a dependency on the creating stack) everywhere else.
   *
   * @param scope where to create the provider, or to import it
   * @param id the construct id of the provider (or of its import)
   */
  public static forAccount(scope: Construct, id: string): iam.IOidcProvider {
    const stack = Stack.of(scope);
    const root = stack.node.root;
    const byAccount = CREATED.get(root) ?? new Map<string, { stack: Stack; provider: iam.IOidcProvider }>();
    CREATED.set(root, byAccount);
    // Environment-agnostic stacks share one key: they deploy wherever the CLI's credentials point.
    const account = Token.isUnresolved(stack.account) ? '(environment-agnostic)' : stack.account;
    const created = byAccount.get(account);
    if (!created) {
      const provider = new iam.OidcProviderNative(scope, id, {
        url: `https://${GitHubOidcProvider.ISSUER}`,
        clientIds: ['sts.amazonaws.com'],
      });
      byAccount.set(account, { stack, provider });
      return provider;
    }
    if (created.stack === stack) return created.provider;
    stack.addStackDependency(created.stack, 'the account\'s GitHub OIDC provider is created there');
    return GitHubOidcProvider.fromAccount(scope, id);
  }

  /**
   * The provider that already exists in the stack's account, by its ARN
   * (`arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`).
   *
   * @param scope where to import it
   * @param id the construct id of the import
   */
  public static fromAccount(scope: Construct, id: string): iam.IOidcProvider {
    const stack = Stack.of(scope);
    const arn = `arn:${stack.partition}:iam::${stack.account}:oidc-provider/${GitHubOidcProvider.ISSUER}`;
    return iam.OidcProviderNative.fromOidcProviderArn(scope, id, arn);
  }

  private constructor() {}
}
