/**
 * Service control policy documents as plain JSON. SCPs use IAM policy grammar without
 * `Principal`, and AWS counts their size in characters of the document it stores, so they are
 * built and measured here as the exact JSON CloudFormation will send.
 */

/** AWS's limit on the size of one service control policy, in characters. */
export const SCP_MAX_CHARACTERS = 5120;

/** One SCP statement. */
export interface ScpStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: { [operator: string]: { [key: string]: string | string[] } };
}

/** One SCP document. */
export interface ScpDocument {
  readonly Version: '2012-10-17';
  readonly Statement: ScpStatement[];
}

/**
 * Actions of global services (and of the global parts of regional ones) that the region
 * allow-list never denies. Their control planes answer in us-east-1 (or another fixed region)
 * whatever region a workload runs in, so denying them outside the allow-list would break IAM,
 * sign-in, billing and DNS for the whole account. The list follows AWS's example
 * region-restriction SCP.
 */
export const GLOBAL_SERVICE_ACTIONS: readonly string[] = [
  'iam:*', 'organizations:*', 'account:*', 'sts:*', 'route53:*', 'route53domains:*', 'cloudfront:*',
  'support:*', 'budgets:*', 'ce:*', 'cur:*', 'aws-portal:*', 'billing:*', 'pricing:*', 'health:*',
  'trustedadvisor:*', 'waf:*', 'wafv2:*', 'shield:*', 'globalaccelerator:*', 'acm:*', 'kms:*',
  'sso:*', 'identitystore:*', 'notifications:*', 'ec2:DescribeRegions', 's3:GetAccountPublic*',
  's3:PutAccountPublic*', 's3:ListAllMyBuckets', 'cloudtrail:LookupEvents',
];

/**
 * The global services that answer only through us-east-1: a region allow-list without
 * us-east-1 must leave each of them out of its deny, or the account loses them.
 */
export const US_EAST_1_GLOBAL_SERVICES: readonly string[] = [
  'iam', 'organizations', 'sts', 'route53', 'cloudfront', 'support', 'budgets', 'waf',
];

/**
 * The principals CDK deploys with (the bootstrap's CloudFormation execution role): the policy
 * that protects the security services exempts them so the security baseline stack can still be
 * updated, while every other principal, an administrator's included, is denied.
 */
export const CDK_DEPLOY_ROLE_PATTERN = 'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*';

/** Denies leaving the organization, which would drop every SCP and the organization trail. */
export function denyLeavingOrganization(): ScpDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'DenyLeavingOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
  };
}

/** Denies turning off or tampering with CloudTrail, GuardDuty, Access Analyzer, Config and Security Hub. */
export function protectSecurityServices(exemptPrincipalArns: string[]): ScpDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'DenyDisablingSecurityServices',
      Effect: 'Deny',
      Action: [
        'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors',
        'guardduty:DeleteDetector', 'guardduty:UpdateDetector', 'guardduty:DisassociateFromAdministratorAccount',
        'guardduty:DisassociateFromMasterAccount', 'guardduty:DeleteMembers', 'guardduty:StopMonitoringMembers',
        'guardduty:CreateFilter', 'guardduty:UpdateFilter',
        'access-analyzer:DeleteAnalyzer',
        'config:StopConfigurationRecorder', 'config:DeleteConfigurationRecorder', 'config:DeleteDeliveryChannel',
        'securityhub:DisableSecurityHub', 'securityhub:DisassociateFromAdministratorAccount',
      ],
      Resource: '*',
      ...(exemptPrincipalArns.length > 0 ? { Condition: { ArnNotLike: { 'aws:PrincipalARN': exemptPrincipalArns } } } : {}),
    }],
  };
}

/** Denies every action of an account's root user; the management account is never affected by SCPs. */
export function denyRootUser(): ScpDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'DenyRootUser',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:root' } },
    }],
  };
}

/**
 * Denies every action outside the allowed regions except those of global services, which keep
 * working from any region (their requests are signed for us-east-1).
 */
export function regionAllowList(allowedRegions: string[], globalServiceActions: string[]): ScpDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'DenyOutsideAllowedRegions',
      Effect: 'Deny',
      NotAction: globalServiceActions,
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': allowedRegions } },
    }],
  };
}

/** The document as CloudFormation sends it: minified JSON, whose length AWS limits. */
export function minifiedScp(document: unknown): string {
  return JSON.stringify(document);
}

/** The services of `US_EAST_1_GLOBAL_SERVICES` that none of the exempt actions covers. */
export function globalServicesNotExempt(exemptActions: string[]): string[] {
  return US_EAST_1_GLOBAL_SERVICES.filter((service) => !exemptActions.some((a) => a === '*' || a === `${service}:*`));
}
