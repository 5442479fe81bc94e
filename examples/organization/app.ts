import { App, Stack } from 'aws-cdk-lib';
import { OrganizationLayout, OrganizationUnit, Profile, SecurityBaseline } from '../../src';

/**
 * Placeholder management account, region and emails: synth needs neither credentials nor
 * lookups. Replace them with your own to deploy (from the management account).
 */
export const MANAGEMENT_ACCOUNT = '111111111111';
export const HOME_REGION = 'eu-west-1';
export const DR_REGION = 'eu-central-1';

/** What the example builds. */
export interface OrganizationApp {
  readonly stack: Stack;
  readonly layout: OrganizationLayout;
  readonly baseline: SecurityBaseline;
}

/**
 * The organization of the design notes: a management account that owns the organization, its
 * service control policies and an organization trail; a security account; a network account;
 * and a non-production and a production workload account.
 */
export function buildOrganizationApp(app: App): OrganizationApp {
  const stack = new Stack(app, 'LeanOrganization', {
    env: { account: MANAGEMENT_ACCOUNT, region: HOME_REGION },
    description: 'Organization layout, service control policies and organization trail (management account)',
  });
  const layout = new OrganizationLayout(stack, 'Organization', {
    accounts: [
      { name: 'security', email: 'aws-security@example.com', unit: OrganizationUnit.SECURITY },
      { name: 'network', email: 'aws-network@example.com', unit: OrganizationUnit.INFRASTRUCTURE },
      { name: 'non-production', email: 'aws-nonprod@example.com', unit: OrganizationUnit.NON_PRODUCTION },
      { name: 'production', email: 'aws-prod@example.com', unit: OrganizationUnit.PRODUCTION },
    ],
    // The workloads run in eu-west-1 and fail over to eu-central-1; global services stay reachable.
    regionAllowList: { allowedRegions: [HOME_REGION, DR_REGION] },
  });
  // One organization trail records every member account, so member accounts need no trail of their own.
  const baseline = new SecurityBaseline(stack, 'Baseline', {
    profile: Profile.COST_CONSCIOUS_PRODUCTION,
    organizationId: layout.organization!.attrId,
  });
  return { stack, layout, baseline };
}
