import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';
import { LeanStackValidationError, checkPattern, invalid } from '../private/validate';
import { validateScps, validateRegionAllowList, validateAccounts } from './private/organization-checks';
import {
  CDK_DEPLOY_ROLE_PATTERN, GLOBAL_SERVICE_ACTIONS, denyLeavingOrganization, denyRootUser, protectSecurityServices,
  regionAllowList,
} from './private/scp';

/** The organizational unit a member account is placed in. */
export enum OrganizationUnit {
  /** `Security`: the security tooling and log archive account. */
  SECURITY = 'Security',
  /** `Infrastructure`: shared network and tooling accounts. */
  INFRASTRUCTURE = 'Infrastructure',
  /** `Workloads/NonProduction`: development, test and staging accounts. */
  NON_PRODUCTION = 'NonProduction',
  /** `Workloads/Production`: production accounts. */
  PRODUCTION = 'Production',
}

/** A member account of the organization. */
export interface MemberAccount {
  /** The account's name, 1 to 50 printable ASCII characters, e.g. `innovate-prod`. */
  readonly name: string;
  /** The root user's email address. Unique across AWS. */
  readonly email: string;
  /** The organizational unit the account is placed in. */
  readonly unit: OrganizationUnit;
  /**
   * The role Organizations creates in the new account for the management account to assume.
   *
   * @default OrganizationAccountAccessRole
   */
  readonly roleName?: string;
}

/** A region allow-list enforced by a service control policy. */
export interface RegionAllowList {
  /** The regions member accounts may use, e.g. `['eu-west-1']`; must include this stack's region. */
  readonly allowedRegions: string[];
  /**
   * The actions never denied, in any region: global services and the global parts of regional ones.
   * A list that replaces the default must keep IAM, Organizations, STS, Route 53, CloudFront,
   * Support, Budgets and WAF unless `allowedRegions` includes us-east-1.
   *
   * @default - IAM, Organizations, Account, STS, Route 53, CloudFront, Support, Budgets, billing and
   * cost tools, Health, Trusted Advisor, WAF, Shield, Global Accelerator, ACM, KMS, IAM Identity
   * Center and a few global S3 and EC2 reads
   */
  readonly globalServiceActions?: string[];
}

/** A service control policy of your own, attached with the built-in ones. */
export interface CustomServiceControlPolicy {
  /** The policy's name, unique in the organization. */
  readonly name: string;
  /** The policy: IAM policy grammar without `Principal`, at most 5,120 characters minified. */
  readonly document: iam.PolicyDocument;
  /**
   * What the policy is for.
   *
   * @default - no description
   */
  readonly description?: string;
}

/** Props for `OrganizationLayout`. */
export interface OrganizationLayoutProps {
  /**
   * The member accounts to create (or adopt by email), each placed in its organizational unit.
   *
   * @default - no accounts; the organizational units and policies only
   */
  readonly accounts?: MemberAccount[];
  /**
   * The root ID (`r-xxxx`) of the organization this account already manages. CloudFormation
   * cannot adopt an existing organization, so give its root instead.
   *
   * @default - a new organization with all features is created (AWS::Organizations::Organization)
   */
  readonly existingRootId?: string;
  /**
   * Deny every region but these (and keep global services working).
   *
   * @default - no region restriction
   */
  readonly regionAllowList?: RegionAllowList;
  /**
   * Principals (IAM ARN patterns) that the policy protecting CloudTrail, GuardDuty, Access
   * Analyzer, Config and Security Hub lets through, so the security baseline stack can still be
   * updated.
   *
   * @default - the CDK bootstrap's CloudFormation execution roles (`arn:aws:iam::*:role/cdk-*-cfn-exec-role-*`)
   */
  readonly securityServiceAdminArns?: string[];
  /**
   * More service control policies, attached to the root with the built-in ones. AWS attaches at
   * most 5 to the root, FullAWSAccess and the 3 built-in ones (4 with `regionAllowList`)
   * included, so one fits (none with a region allow-list): merge statements into one policy.
   *
   * @default - none
   */
  readonly additionalPolicies?: CustomServiceControlPolicy[];
  /**
   * Make the security account Security Hub's delegated administrator
   * (AWS::SecurityHub::DelegatedAdmin). Security Hub bills per check and finding; leave it off
   * until you enable Security Hub in the security baseline.
   *
   * @default false
   */
  readonly securityHubAdministrator?: boolean;
}

/**
 * The multi-account layout of an AWS Organization, for the management account: organizational
 * units (Security, Infrastructure, Workloads with NonProduction and Production), member accounts
 * by email, and the service control policies a small team should have (no leaving the
 * organization, no disabling CloudTrail or GuardDuty, no root user actions, and an optional
 * region allow-list that keeps global services working). The security account may read the
 * organization through a delegation policy. Organizations is free.
 *
 * @example
 * import { OrganizationLayout, OrganizationUnit } from 'cdk-lean-stack';
 *
 * new OrganizationLayout(this, 'Organization', {
 *   accounts: [
 *     { name: 'security', email: 'aws-security@example.com', unit: OrganizationUnit.SECURITY },
 *     { name: 'prod', email: 'aws-prod@example.com', unit: OrganizationUnit.PRODUCTION },
 *   ],
 *   regionAllowList: { allowedRegions: ['eu-west-1'] },
 * });
 */
export class OrganizationLayout extends Construct {
  /** The organization, when this construct creates it. */
  public readonly organization?: organizations.CfnOrganization;
  /** The organization's root ID. */
  public readonly rootId: string;
  /** The `Security` organizational unit. */
  public readonly securityUnit: organizations.CfnOrganizationalUnit;
  /** The `Infrastructure` organizational unit. */
  public readonly infrastructureUnit: organizations.CfnOrganizationalUnit;
  /** The `Workloads` organizational unit, parent of `NonProduction` and `Production`. */
  public readonly workloadsUnit: organizations.CfnOrganizationalUnit;
  /** The `Workloads/NonProduction` organizational unit. */
  public readonly nonProductionUnit: organizations.CfnOrganizationalUnit;
  /** The `Workloads/Production` organizational unit. */
  public readonly productionUnit: organizations.CfnOrganizationalUnit;
  /** The member accounts, in the order given. */
  public readonly accounts: organizations.CfnAccount[];
  /** The first account in the `Security` unit, if any. */
  public readonly securityAccount?: organizations.CfnAccount;
  /** The service control policies, built-in first, all attached to the root. */
  public readonly policies: organizations.CfnPolicy[];
  /** The delegation policy that lets the security account read the organization, if there is one. */
  public readonly delegationPolicy?: organizations.CfnResourcePolicy;
  /** Security Hub's delegated administrator, if requested. */
  public readonly securityHubAdministrator?: securityhub.CfnDelegatedAdmin;

  constructor(scope: Construct, id: string, props: OrganizationLayoutProps = {}) {
    super(scope, id);
    const accounts = props.accounts ?? [];
    validateAccounts(this, accounts);
    checkPattern(this, 'existingRootId', props.existingRootId, /^r-[0-9a-z]{4,32}$/, 'an organization root ID such as r-ab12');
    if (props.regionAllowList) validateRegionAllowList(this, props.regionAllowList, Stack.of(this).region);
    if (props.securityServiceAdminArns?.length === 0) {
      invalid(this, 'securityServiceAdminArns', [], 'at least one IAM role or user ARN (pattern), or left out (nobody could update the security services)');
    }
    for (const arn of props.securityServiceAdminArns ?? []) {
      // aws:PrincipalArn patterns: IAM roles or users, with '*' allowed in the account and the name.
      checkPattern(this, 'securityServiceAdminArns', arn, /^arn:aws(-cn|-us-gov)?:iam::(\d{12}|\*):(role|user)\/[\w+=,.@*/-]+$/,
        "IAM role or user ARNs (patterns with '*' allowed), such as 'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*'");
    }

    if (props.existingRootId === undefined) {
      this.organization = new organizations.CfnOrganization(this, 'Organization', { featureSet: 'ALL' });
      // Deleting the organization would fail with member accounts in it, and a stack must never try.
      this.organization.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    this.rootId = props.existingRootId ?? this.organization!.attrRootId;
    const unit = (name: string, parentId: string) => new organizations.CfnOrganizationalUnit(this, name, { name, parentId });
    this.securityUnit = unit(OrganizationUnit.SECURITY, this.rootId);
    this.infrastructureUnit = unit(OrganizationUnit.INFRASTRUCTURE, this.rootId);
    this.workloadsUnit = unit('Workloads', this.rootId);
    this.nonProductionUnit = unit(OrganizationUnit.NON_PRODUCTION, this.workloadsUnit.attrId);
    this.productionUnit = unit(OrganizationUnit.PRODUCTION, this.workloadsUnit.attrId);

    this.accounts = accounts.map((a) => this.createAccount(a));
    const securityIndex = accounts.findIndex((a) => a.unit === OrganizationUnit.SECURITY);
    this.securityAccount = securityIndex >= 0 ? this.accounts[securityIndex] : undefined;

    this.policies = this.createPolicies(props);
    if (this.securityAccount) {
      this.delegationPolicy = this.delegateReadToSecurityAccount(this.securityAccount);
      if (props.securityHubAdministrator) {
        this.securityHubAdministrator = new securityhub.CfnDelegatedAdmin(this, 'SecurityHubAdministrator', {
          adminAccountId: this.securityAccount.attrAccountId,
        });
      }
    } else if (props.securityHubAdministrator) {
      invalid(this, 'securityHubAdministrator', true, 'false unless `accounts` has an account in OrganizationUnit.SECURITY');
    }
  }

  /** The member account with this name. */
  public account(name: string): organizations.CfnAccount {
    const found = this.accounts.find((a) => a.accountName === name);
    if (!found) throw new LeanStackValidationError(this, `no member account named '${name}'; the names are: ${this.accounts.map((a) => a.accountName).join(', ')}`);
    return found;
  }

  private unitFor(unit: OrganizationUnit): organizations.CfnOrganizationalUnit {
    switch (unit) {
      case OrganizationUnit.SECURITY: return this.securityUnit;
      case OrganizationUnit.INFRASTRUCTURE: return this.infrastructureUnit;
      case OrganizationUnit.NON_PRODUCTION: return this.nonProductionUnit;
      default: return this.productionUnit;
    }
  }

  private createAccount(account: MemberAccount): organizations.CfnAccount {
    const created = new organizations.CfnAccount(this, `Account-${account.name.replace(/[^A-Za-z0-9]/g, '')}`, {
      accountName: account.name,
      email: account.email,
      parentIds: [this.unitFor(account.unit).attrId],
      roleName: account.roleName,
    });
    // Deleting an AWS::Organizations::Account closes the account (and AWS caps closures): an
    // account leaves only by a deliberate act outside the stack.
    created.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return created;
  }

  private createPolicies(props: OrganizationLayoutProps): organizations.CfnPolicy[] {
    const documents: Array<{ name: string; description: string; content: unknown }> = [
      { name: 'deny-leaving-organization', description: 'Member accounts cannot leave the organization.', content: denyLeavingOrganization() },
      {
        name: 'protect-security-services',
        description: 'Nobody but the deployment roles may stop or weaken CloudTrail, GuardDuty, Access Analyzer, Config or Security Hub.',
        content: protectSecurityServices(props.securityServiceAdminArns ?? [CDK_DEPLOY_ROLE_PATTERN]),
      },
      { name: 'deny-root-user', description: 'The root user of a member account can do nothing.', content: denyRootUser() },
    ];
    if (props.regionAllowList) {
      const regions = props.regionAllowList.allowedRegions;
      documents.push({
        name: 'region-allow-list',
        description: `Only ${regions.join(', ')} (global services anywhere).`,
        content: regionAllowList(regions, props.regionAllowList.globalServiceActions ?? [...GLOBAL_SERVICE_ACTIONS]),
      });
    }
    for (const custom of props.additionalPolicies ?? []) {
      documents.push({ name: custom.name, description: custom.description ?? '', content: Stack.of(this).resolve(custom.document) });
    }
    validateScps(this, documents, documents.length - (props.additionalPolicies ?? []).length);
    return documents.map((d) => new organizations.CfnPolicy(this, `Policy-${d.name.replace(/[^A-Za-z0-9]/g, '')}`, {
      name: d.name,
      description: d.description || undefined,
      type: 'SERVICE_CONTROL_POLICY',
      content: d.content,
      targetIds: [this.rootId],
    }));
  }

  private delegateReadToSecurityAccount(account: organizations.CfnAccount): organizations.CfnResourcePolicy {
    return new organizations.CfnResourcePolicy(this, 'DelegationPolicy', {
      content: {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'SecurityAccountReadsOrganization',
          Effect: 'Allow',
          Principal: { AWS: `arn:${Aws.PARTITION}:iam::${account.attrAccountId}:root` },
          Action: ['organizations:Describe*', 'organizations:List*'],
          Resource: '*',
        }],
      },
    });
  }
}
