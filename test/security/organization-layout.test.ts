import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdleCostEstimate, MemberAccount, OrganizationLayout, OrganizationLayoutProps, OrganizationUnit } from '../../src';
import { expectCompliant } from '../helpers/compliance';

function newStack(region = 'eu-west-1'): Stack {
  return new Stack(new App(), 'S', { env: { account: '123456789012', region } });
}

const ACCOUNTS: MemberAccount[] = [
  { name: 'security', email: 'aws-security@example.com', unit: OrganizationUnit.SECURITY },
  { name: 'network', email: 'aws-network@example.com', unit: OrganizationUnit.INFRASTRUCTURE },
  { name: 'staging', email: 'aws-staging@example.com', unit: OrganizationUnit.NON_PRODUCTION },
  { name: 'prod', email: 'aws-prod@example.com', unit: OrganizationUnit.PRODUCTION },
];

interface Statement {
  Sid: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource: string | string[];
  Condition?: { [op: string]: { [key: string]: string | string[] } };
  Principal?: unknown;
}

/** Each service control policy by name, as the JSON document CloudFormation sends. */
function scps(stack: Stack): { [name: string]: { Version: string; Statement: Statement[] } } {
  const out: { [name: string]: { Version: string; Statement: Statement[] } } = {};
  for (const policy of Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy'))) {
    out[policy.Properties.Name] = policy.Properties.Content;
  }
  return out;
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const matches = (pattern: string, action: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);

/** Whether an SCP denies an action in a region (for a non-root principal): enough IAM evaluation for these policies. */
function denies(doc: { Statement: Statement[] }, action: string, region: string): boolean {
  return doc.Statement.some((s) => {
    if (s.Effect !== 'Deny') return false;
    const inScope = s.Action !== undefined ? list(s.Action).some((a) => matches(a, action)) : !list(s.NotAction).some((a) => matches(a, action));
    if (!inScope) return false;
    const notEquals = s.Condition?.StringNotEquals?.['aws:RequestedRegion'];
    return notEquals === undefined || !list(notEquals).includes(region);
  });
}

describe('OrganizationLayout', () => {
  test('creates the organization, the units (Workloads holds NonProduction and Production) and the accounts in them', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const org = new OrganizationLayout(stack, 'Org', { accounts: ACCOUNTS });
    // THEN
    const template = Template.fromStack(stack);
    const orgId = stack.getLogicalId(org.organization!);
    template.hasResource('AWS::Organizations::Organization', { DeletionPolicy: 'Retain', Properties: { FeatureSet: 'ALL' } });
    const root = { 'Fn::GetAtt': [orgId, 'RootId'] };
    const workloads = { 'Fn::GetAtt': [stack.getLogicalId(org.workloadsUnit), 'Id'] };
    template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: 'Security', ParentId: root });
    template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: 'Infrastructure', ParentId: root });
    template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: 'Workloads', ParentId: root });
    template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: 'NonProduction', ParentId: workloads });
    template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: 'Production', ParentId: workloads });
    template.hasResource('AWS::Organizations::Account', {
      DeletionPolicy: 'Retain',
      Properties: { AccountName: 'prod', Email: 'aws-prod@example.com', ParentIds: [{ 'Fn::GetAtt': [stack.getLogicalId(org.productionUnit), 'Id'] }] },
    });
    expect(org.securityAccount).toBe(org.account('security'));
    expect(() => org.account('dev')).toThrow("[S/Org] no member account named 'dev'; the names are: security, network, staging, prod");
  });

  test('lets the security account read the organization through a delegation policy', () => {
    const stack = newStack();
    const org = new OrganizationLayout(stack, 'Org', { accounts: ACCOUNTS });
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::ResourcePolicy', {
      Content: {
        Statement: [Match.objectLike({
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { 'Fn::GetAtt': [stack.getLogicalId(org.securityAccount!), 'AccountId'] }, ':root']] } },
          Action: ['organizations:Describe*', 'organizations:List*'],
        })],
      },
    });
  });

  test('uses an existing organization\'s root instead of creating one', () => {
    const stack = newStack();
    new OrganizationLayout(stack, 'Org', { existingRootId: 'r-ab12' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::Organization', 0);
    template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: 'Security', ParentId: 'r-ab12' });
    template.hasResourceProperties('AWS::Organizations::Policy', { TargetIds: ['r-ab12'], Type: 'SERVICE_CONTROL_POLICY' });
  });

  test('service control policies are valid SCP JSON under 5,120 characters, attached to the root', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new OrganizationLayout(stack, 'Org', { regionAllowList: { allowedRegions: ['eu-west-1'] } });
    // THEN
    const docs = scps(stack);
    expect(Object.keys(docs).sort()).toEqual(['deny-leaving-organization', 'deny-root-user', 'protect-security-services', 'region-allow-list']);
    for (const [name, doc] of Object.entries(docs)) {
      expect({ name, size: JSON.stringify(doc).length <= 5120 }).toEqual({ name, size: true });
      expect(Object.keys(doc).sort()).toEqual(['Statement', 'Version']);
      expect(doc.Version).toBe('2012-10-17');
      const sids = doc.Statement.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
      for (const s of doc.Statement) {
        expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
        expect(['Allow', 'Deny']).toContain(s.Effect);
        expect((s.Action === undefined) !== (s.NotAction === undefined)).toBe(true);
        expect(s.Resource).toBeDefined();
        expect(s.Principal).toBeUndefined();
        for (const a of [...list(s.Action), ...list(s.NotAction)]) expect(a).toMatch(/^(\*|[a-z0-9-]+:[A-Za-z0-9*]+)$/);
      }
    }
  });

  test('the built-in policies deny leaving, disabling CloudTrail and GuardDuty, and the root user', () => {
    const stack = newStack();
    new OrganizationLayout(stack, 'Org');
    const docs = scps(stack);
    expect(denies(docs['deny-leaving-organization'], 'organizations:LeaveOrganization', 'eu-west-1')).toBe(true);
    const protect = docs['protect-security-services'];
    for (const action of ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'guardduty:DeleteDetector', 'guardduty:DisassociateFromAdministratorAccount', 'access-analyzer:DeleteAnalyzer']) {
      expect({ action, denied: denies(protect, action, 'eu-west-1') }).toEqual({ action, denied: true });
    }
    expect(protect.Statement[0].Condition).toEqual({ ArnNotLike: { 'aws:PrincipalARN': ['arn:aws:iam::*:role/cdk-*-cfn-exec-role-*'] } });
    expect(docs['deny-root-user'].Statement).toEqual([{
      Sid: 'DenyRootUser', Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:root' } },
    }]);
    expect(docs['region-allow-list']).toBeUndefined();
  });

  test('the region allow-list denies other regions but keeps global services reachable through us-east-1', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new OrganizationLayout(stack, 'Org', { regionAllowList: { allowedRegions: ['eu-west-1', 'eu-central-1'] } });
    // THEN
    const doc = scps(stack)['region-allow-list'];
    expect(denies(doc, 'ec2:RunInstances', 'eu-west-1')).toBe(false);
    expect(denies(doc, 'ecs:CreateService', 'eu-central-1')).toBe(false);
    expect(denies(doc, 'ec2:RunInstances', 'us-east-1')).toBe(true);
    expect(denies(doc, 'rds:CreateDBInstance', 'ap-southeast-2')).toBe(true);
    for (const action of ['iam:CreateRole', 'organizations:DescribeOrganization', 'sts:AssumeRole', 'route53:ChangeResourceRecordSets',
      'cloudfront:CreateDistribution', 'support:CreateCase', 'budgets:ModifyBudget', 'waf:GetWebACL', 'wafv2:CreateWebACL', 'acm:RequestCertificate']) {
      expect({ action, denied: denies(doc, action, 'us-east-1') }).toEqual({ action, denied: false });
    }
  });

  test('a replaced global action list may drop services only when us-east-1 is allowed', () => {
    const stack = newStack();
    new OrganizationLayout(stack, 'Org', { regionAllowList: { allowedRegions: ['eu-west-1', 'us-east-1'], globalServiceActions: ['iam:*'] } });
    const doc = scps(stack)['region-allow-list'];
    expect(denies(doc, 'route53:ChangeResourceRecordSets', 'us-east-1')).toBe(false);
  });

  test('makes the security account Security Hub\'s delegated administrator on request', () => {
    const stack = newStack();
    const org = new OrganizationLayout(stack, 'Org', { accounts: ACCOUNTS, securityHubAdministrator: true });
    Template.fromStack(stack).hasResourceProperties('AWS::SecurityHub::DelegatedAdmin', {
      AdminAccountId: { 'Fn::GetAtt': [stack.getLogicalId(org.securityAccount!), 'AccountId'] },
    });
  });

  test('attaches your own policies too', () => {
    const stack = newStack();
    new OrganizationLayout(stack, 'Org', {
      additionalPolicies: [{
        name: 'deny-expensive-instances',
        document: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ec2:RunInstances'], resources: ['*'], conditions: { StringLike: { 'ec2:InstanceType': ['p*', 'x*'] } } })] }),
      }],
    });
    expect(scps(stack)['deny-expensive-instances'].Statement).toEqual([
      { Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringLike: { 'ec2:InstanceType': ['p*', 'x*'] } } },
    ]);
  });

  test('every policy is the JSON CloudFormation sends and parses back to the same IAM policy, with its required statements', () => {
    // GIVEN a layout with every optional policy and its own exemptions
    const stack = newStack();
    // WHEN
    const org = new OrganizationLayout(stack, 'Org', {
      accounts: ACCOUNTS,
      securityServiceAdminArns: ['arn:aws:iam::*:role/SecurityAdmin'],
      additionalPolicies: [{
        name: 'deny-expensive-instances',
        document: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ec2:RunInstances'], resources: ['*'], conditions: { StringLike: { 'ec2:InstanceType': ['p*'] } } })] }),
      }],
    });
    // THEN
    const template = Template.fromStack(stack).toJSON();
    expect(org.policies).toHaveLength(4);
    for (const policy of org.policies) {
      const content = template.Resources[stack.getLogicalId(policy)].Properties.Content;
      const sent = JSON.stringify(content);
      expect(JSON.parse(sent)).toEqual(content);
      expect(sent.length).toBeLessThanOrEqual(5120);
      // An IAM document aws-cdk-lib reads back without loss is a well-formed policy.
      expect(stack.resolve(iam.PolicyDocument.fromJson(content).toJSON())).toEqual(content);
    }
    const docs = scps(stack);
    expect(docs['deny-leaving-organization'].Statement.map((st) => [st.Effect, st.Action])).toEqual([['Deny', 'organizations:LeaveOrganization']]);
    expect(docs['protect-security-services'].Statement[0].Condition).toEqual({ ArnNotLike: { 'aws:PrincipalARN': ['arn:aws:iam::*:role/SecurityAdmin'] } });
    expect(denies(docs['protect-security-services'], 'cloudtrail:StopLogging', 'eu-west-1')).toBe(true);
    expect(denies(docs['deny-root-user'], 's3:DeleteBucket', 'eu-west-1')).toBe(true);
  });

  test.each([
    ['eu-west-1', ['eu-west-1']],
    ['eu-west-1', ['eu-west-1', 'us-east-1']],
    ['us-east-1', ['us-east-1']],
    ['ap-southeast-2', ['ap-southeast-2', 'eu-west-1']],
  ])('a stack in %s allowing %j keeps every global service reachable from every region', (region, allowedRegions) => {
    const stack = newStack(region);
    new OrganizationLayout(stack, 'Org', { regionAllowList: { allowedRegions } });
    const doc = scps(stack)['region-allow-list'];
    for (const service of ['iam', 'organizations', 'route53', 'cloudfront', 'sts', 'support', 'budgets', 'waf', 'account', 'ce', 'health', 'sso']) {
      for (const requested of ['us-east-1', 'us-west-2', region]) {
        expect({ service, requested, denied: denies(doc, `${service}:AnyAction`, requested) }).toEqual({ service, requested, denied: false });
      }
    }
    expect(denies(doc, 'ec2:RunInstances', region)).toBe(false);
    expect(denies(doc, 'ec2:RunInstances', 'sa-east-1')).toBe(true);
  });

  test('an environment-agnostic stack cannot check its own region, but still keeps us-east-1\'s global services', () => {
    const agnostic = () => new Stack(new App(), 'S');
    expect(() => new OrganizationLayout(agnostic(), 'Org', { regionAllowList: { allowedRegions: ['eu-west-1'] } })).not.toThrow();
    expect(() => new OrganizationLayout(agnostic(), 'Org', { regionAllowList: { allowedRegions: ['eu-west-1'], globalServiceActions: ['iam:*'] } }))
      .toThrow(/`regionAllowList.globalServiceActions` must be a list that keeps organizations:\*, sts:\*, route53:\*/);
  });

  const bigDocument = new iam.PolicyDocument({
    statements: [new iam.PolicyStatement({
      effect: iam.Effect.DENY, resources: ['*'], actions: Array.from({ length: 300 }, (_, i) => `ec2:DescribeSomething${i}`),
    })],
  });
  const security = (email: string, name = 'security'): MemberAccount => ({ name, email, unit: OrganizationUnit.SECURITY });

  test.each<[string, OrganizationLayoutProps, string]>([
    ['an email without a domain', { accounts: [security('aws-security@example')] }, "`accounts[0].email` must be an email address of 6 to 64 characters, like name@example.com, got: 'aws-security@example'"],
    ['an email under 6 characters', { accounts: [security('a@b.c')] }, "`accounts[0].email` must be an email address of 6 to 64 characters, like name@example.com, got: 'a@b.c'"],
    ['an email with a space', { accounts: [security('aws security@example.com')] }, "`accounts[0].email` must be an email address of 6 to 64 characters, like name@example.com, got: 'aws security@example.com'"],
    ['an email with two @', { accounts: [security('aws@security@example.com')] }, "`accounts[0].email` must be an email address of 6 to 64 characters, like name@example.com, got: 'aws@security@example.com'"],
    ['an email over 64 characters', { accounts: [security(`${'a'.repeat(60)}@example.com`)] }, `\`accounts[0].email\` must be an email address of 6 to 64 characters, like name@example.com, got: '${'a'.repeat(60)}@example.com'`],
    ['the same email twice', { accounts: [security('a@example.com'), security('A@example.com', 'other')] }, "`accounts[1].email` must be unique: every AWS account needs its own root email address, got: 'A@example.com'"],
    ['an account name over 50 characters', { accounts: [security('a@example.com', 'n'.repeat(51))] }, `\`accounts[0].name\` must be 1 to 50 printable ASCII characters, got: '${'n'.repeat(51)}'`],
    ['an empty account name', { accounts: [security('a@example.com', '')] }, "`accounts[0].name` must be 1 to 50 printable ASCII characters, got: ''"],
    ['an account name with a non-ASCII character', { accounts: [security('a@example.com', 'prod\u00e9')] }, "`accounts[0].name` must be 1 to 50 printable ASCII characters, got: 'prod\u00e9'"],
    ['an account name with a control character', { accounts: [security('a@example.com', 'prod\tmain')] }, "`accounts[0].name` must be 1 to 50 printable ASCII characters, got: 'prod\tmain'"],
    ['the same account name twice', { accounts: [security('a@example.com'), security('b@example.com')] }, "`accounts[1].name` must be unique in `accounts`, got: 'security'"],
    ['a root ID', { existingRootId: 'root-1' }, "`existingRootId` must be an organization root ID such as r-ab12, got: 'root-1'"],
    ['an empty region list', { regionAllowList: { allowedRegions: [] } }, '`regionAllowList.allowedRegions` must be a non-empty list of regions, got: []'],
    ['a region name', { regionAllowList: { allowedRegions: ['eu-west-1', 'Ireland'] } }, "`regionAllowList.allowedRegions[1]` must be a region name such as eu-west-1, got: 'Ireland'"],
    ['a list that locks out the stack\'s region', { regionAllowList: { allowedRegions: ['eu-central-1'] } }, '`regionAllowList.allowedRegions` must be a list that includes this stack\'s region eu-west-1, or the stack\'s own deployments would be denied, got: ["eu-central-1"]'],
    ['a global list that locks out us-east-1\'s global services', { regionAllowList: { allowedRegions: ['eu-west-1'], globalServiceActions: ['iam:*', 'sts:*'] } },
      '`regionAllowList.globalServiceActions` must be a list that keeps organizations:*, route53:*, cloudfront:*, support:*, budgets:*, waf:* (global services answer only in us-east-1), or `allowedRegions` must include us-east-1, got: ["iam:*","sts:*"]'],
    ['an SCP over 5,120 characters', { additionalPolicies: [{ name: 'big', document: bigDocument }] }, "service control policy 'big' must be at most 5120 characters of minified JSON, got: 8072; split it or use wildcards"],
    ['a policy that names a principal', { additionalPolicies: [{ name: 'p', document: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:*'], resources: ['*'], principals: [new iam.AnyPrincipal()] })] }) }] },
      'service control policy \'p\' statement 0 must not name a principal (an SCP applies to every principal of the accounts it is attached to), got: {"AWS":"*"}'],
    ['an empty policy', { additionalPolicies: [{ name: 'empty', document: new iam.PolicyDocument() }] }, "service control policy 'empty' must be a JSON policy document, got: nothing"],
    ['more policies than the root takes', {
      regionAllowList: { allowedRegions: ['eu-west-1'] },
      additionalPolicies: [{ name: 'one', document: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ec2:RunInstances'], resources: ['*'] })] }) }],
    }, '`additionalPolicies` must be at most 0 policies here: AWS attaches at most 5 service control policies to the root, and FullAWSAccess and 4 built-in ones are there already (merge statements into fewer policies), got: ["one"]'],
    ['a Security Hub administrator without a security account', { securityHubAdministrator: true }, '`securityHubAdministrator` must be false unless `accounts` has an account in OrganizationUnit.SECURITY, got: true'],
  ])('rejects %s', (_what, props, message) => {
    expect(() => new OrganizationLayout(newStack(), 'Org', props)).toThrow(`[S/Org] ${message}`);
  });

  test('an over-long region allow-list is caught by the size check too', () => {
    const actions = Array.from({ length: 400 }, (_, i) => `someservice${i}:*`);
    expect(() => new OrganizationLayout(newStack(), 'Org', { regionAllowList: { allowedRegions: ['eu-west-1', 'us-east-1'], globalServiceActions: actions } }))
      .toThrow(/service control policy 'region-allow-list' must be at most 5120 characters of minified JSON, got: \d+/);
  });

  test.each([
    ['arn:aws:iam::*:group/admins', "`securityServiceAdminArns` must be IAM role or user ARNs (patterns with '*' allowed), such as 'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*', got: 'arn:aws:iam::*:group/admins'"],
    ['AdminRole', "`securityServiceAdminArns` must be IAM role or user ARNs (patterns with '*' allowed), such as 'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*', got: 'AdminRole'"],
  ])('refuses %s as a security service admin', (arn, message) => {
    expect(() => new OrganizationLayout(newStack(), 'Org', { securityServiceAdminArns: [arn] })).toThrow(message);
  });

  test('refuses an empty admin list, which would lock everyone out of the security services', () => {
    expect(() => new OrganizationLayout(newStack(), 'Org', { securityServiceAdminArns: [] }))
      .toThrow('`securityServiceAdminArns` must be at least one IAM role or user ARN (pattern), or left out (nobody could update the security services), got: []');
  });

  test('accepts role and user ARN patterns', () => {
    expect(() => new OrganizationLayout(newStack(), 'Org', {
      securityServiceAdminArns: ['arn:aws:iam::123456789012:role/SecurityAdmin', 'arn:aws:iam::*:user/break-glass'],
    })).not.toThrow();
  });

  test('is compliant and free', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new OrganizationLayout(stack, 'Org', { accounts: ACCOUNTS, regionAllowList: { allowedRegions: ['eu-west-1'] }, securityHubAdministrator: true });
    // THEN
    const estimate = IdleCostEstimate.ofStack(stack);
    expect(estimate.totalMonthlyUsd).toBe(0);
    expect(estimate.items).toEqual([]);
    expect(estimate.unknownResourceTypes).toEqual([]);
    expectCompliant(stack);
  });
});
