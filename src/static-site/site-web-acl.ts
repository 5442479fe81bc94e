import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { acknowledge } from '../private/nag';
import { LeanStackValidationError, checkOneOf, checkPattern, checkRange } from '../private/validate';

/** AWS WAF's bounds for a rate-based rule's limit (requests per evaluation window per IP). */
const MIN_RATE_LIMIT = 10;
const MAX_RATE_LIMIT = 2_000_000_000;
/** The evaluation windows AWS WAF accepts, in seconds. */
const EVALUATION_WINDOWS = [60, 120, 300, 600];

/**
 * Props for `SiteWebAcl`.
 */
export interface SiteWebAclProps {
  /**
   * How many requests one IP address may make in `rateLimitWindow` before it is blocked.
   * AWS WAF accepts 10 to 2,000,000,000.
   *
   * @default 1000
   */
  readonly rateLimit?: number;

  /**
   * The window `rateLimit` counts over: 1, 2, 5 or 10 minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly rateLimitWindow?: Duration;

  /**
   * The CloudWatch metric name prefix for the web ACL and its rules (WAF metrics are free).
   *
   * @default - derived from the construct's unique id
   */
  readonly metricName?: string;
}

/**
 * A CloudFront-scope AWS WAF web ACL for a static site: AWS's core rule set, known bad inputs and
 * IP reputation managed rule groups, and a rate-based rule per IP. Bot Control (a paid extra) is
 * not included. Must be created in a stack in us-east-1 (CloudFront's requirement);
 * `CostConsciousStaticSite` does that for you from any region.
 *
 * Idle cost: 5 USD a month for the web ACL plus 1 USD per rule (4 rules: 9 USD a month), plus
 * 0.60 USD per million requests.
 *
 * @example
 * import { SiteWebAcl } from 'cdk-lean-stack';
 *
 * // in a stack in us-east-1
 * const acl = new SiteWebAcl(this, 'Acl', { rateLimit: 500 });
 */
export class SiteWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The web ACL's ARN, what a CloudFront distribution takes as `webAclId`. */
  public readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: SiteWebAclProps = {}) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      throw new LeanStackValidationError(this, `a CloudFront web ACL must be created in a us-east-1 stack, got a stack in: '${region}'`);
    }
    const rateLimit = props.rateLimit ?? 1000;
    checkRange(this, 'rateLimit', rateLimit, { min: MIN_RATE_LIMIT, max: MAX_RATE_LIMIT, integer: true });
    const window = props.rateLimitWindow ?? Duration.minutes(5);
    checkOneOf(this, 'rateLimitWindow (seconds)', window.toSeconds(), EVALUATION_WINDOWS);
    checkPattern(this, 'metricName', props.metricName, /^[A-Za-z0-9_-]{1,100}$/, '1 to 100 letters, digits, hyphens or underscores');
    const metric = props.metricName ?? this.node.addr.substring(0, 16);

    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${metric}-${name}`,
    });
    const managed = (priority: number, name: string): wafv2.CfnWebACL.RuleProperty => ({
      name: `AWS-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Static site: AWS managed rules and a rate limit per IP',
      visibilityConfig: visibility('web-acl'),
      rules: [
        {
          // First, so that a flood is blocked before the managed groups inspect it.
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: window.toSeconds() },
          },
          visibilityConfig: visibility('rate-limit'),
        },
        managed(1, 'AWSManagedRulesAmazonIpReputationList'),
        managed(2, 'AWSManagedRulesCommonRuleSet'),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });
    this.webAclArn = this.webAcl.attrArn;
    acknowledge(this.webAcl, {
      ids: ['NIST.800.53.R5-WAFv2LoggingEnabled', 'HIPAA.Security-WAFv2LoggingEnabled'],
      reason: 'Full WAF logging is billed per GB (CloudWatch Logs 0.50 USD/GB ingested); the web ACL keeps free CloudWatch metrics and sampled requests for every rule. Add a WafLoggingConfiguration to an aws-waf-logs-* destination when an audit trail of every request is required.',
    });
  }
}

/** Which web ACL a `StaticSiteWaf` puts in front of a site. */
export enum StaticSiteWafKind {
  /** No web ACL. */
  NONE = 'none',
  /** A new `SiteWebAcl` with AWS managed rules. */
  MANAGED_RULES = 'managed-rules',
  /** An existing web ACL, by ARN. */
  EXISTING = 'existing',
}

/**
 * Which AWS WAF web ACL, if any, protects a `CostConsciousStaticSite`.
 *
 * @example
 * import { CostConsciousStaticSite, StaticSiteWaf } from 'cdk-lean-stack';
 *
 * new CostConsciousStaticSite(this, 'Site', {
 *   waf: StaticSiteWaf.managedRules({ rateLimit: 500 }),
 * });
 */
export class StaticSiteWaf {
  /** No web ACL: nothing to pay (the default). */
  public static none(): StaticSiteWaf {
    return new StaticSiteWaf(StaticSiteWafKind.NONE);
  }

  /**
   * A new `SiteWebAcl` in us-east-1 (in a companion stack when the site's stack is elsewhere):
   * about 9 USD a month idle.
   */
  public static managedRules(props: SiteWebAclProps = {}): StaticSiteWaf {
    return new StaticSiteWaf(StaticSiteWafKind.MANAGED_RULES, props);
  }

  /**
   * An existing CLOUDFRONT-scope web ACL (in us-east-1), by ARN.
   */
  public static fromWebAclArn(webAclArn: string): StaticSiteWaf {
    return new StaticSiteWaf(StaticSiteWafKind.EXISTING, undefined, webAclArn);
  }

  private constructor(
    /** Which web ACL, if any. */
    public readonly kind: StaticSiteWafKind,
    /** The props of the web ACL to create, for `managedRules`. */
    public readonly webAclProps?: SiteWebAclProps,
    /** The existing web ACL's ARN, for `fromWebAclArn`. */
    public readonly webAclArn?: string,
  ) {}
}
