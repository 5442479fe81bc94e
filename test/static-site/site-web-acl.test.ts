import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Profile } from '../../src/core/profile';
import { CostConsciousStaticSite, SiteWebAcl, StaticSiteWaf } from '../../src/static-site';
import { expectCompliant } from '../helpers/compliance';

function usEast1(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('SiteWebAcl', () => {
  test('a CLOUDFRONT web ACL: rate limit first, then IP reputation, core rule set, known bad inputs; no Bot Control', () => {
    // GIVEN
    const stack = usEast1();
    // WHEN
    new SiteWebAcl(stack, 'Acl', { rateLimit: 500, rateLimitWindow: Duration.minutes(1) });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({ Name: 'RateLimitPerIp', Priority: 0, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP', EvaluationWindowSec: 60 } } }),
        Match.objectLike({ Priority: 1, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' } } }),
        Match.objectLike({ Priority: 2, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
        Match.objectLike({ Priority: 3, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } } }),
      ],
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('AWSManagedRulesBotControlRuleSet');
    expectCompliant(stack);
  });

  test('defaults to 1000 requests per 5 minutes per IP', () => {
    const stack = usEast1();
    new SiteWebAcl(stack, 'Acl');
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } })]),
    });
  });

  test('rejects a rate limit below AWS WAF\'s minimum of 10', () => {
    expect(() => new SiteWebAcl(usEast1(), 'Acl', { rateLimit: 9 })).toThrow('`rateLimit` must be an integer between 10 and 2000000000, got: 9');
  });

  test('rejects an evaluation window AWS WAF does not offer', () => {
    expect(() => new SiteWebAcl(usEast1(), 'Acl', { rateLimitWindow: Duration.minutes(3) })).toThrow('`rateLimitWindow (seconds)` must be one of 60, 120, 300, 600, got: 180');
  });

  test('rejects a metric name CloudWatch and AWS WAF do not accept', () => {
    expect(() => new SiteWebAcl(usEast1(), 'Acl', { metricName: 'my site' })).toThrow("`metricName` must be 1 to 100 letters, digits, hyphens or underscores, got: 'my site'");
    expect(() => new SiteWebAcl(usEast1(), 'Acl2', { metricName: 'a'.repeat(101) })).toThrow('`metricName` must be 1 to 100 letters, digits, hyphens or underscores');
  });

  test('rejects a stack outside us-east-1', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'eu-west-1' } });
    expect(() => new SiteWebAcl(stack, 'Acl')).toThrow("a CloudFront web ACL must be created in a us-east-1 stack, got a stack in: 'eu-west-1'");
  });
});

describe('CostConsciousStaticSite with WAF', () => {
  test('from a us-east-1 stack: the web ACL is in the same stack and attached', () => {
    // GIVEN
    const stack = usEast1();
    // WHEN
    const site = new CostConsciousStaticSite(stack, 'Site', { waf: StaticSiteWaf.managedRules({ rateLimit: 100 }) });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    const aclId = stack.getLogicalId(site.webAcl!.webAcl);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::GetAtt': [aclId, 'Arn'] } }),
    });
    expectCompliant(stack);
  });

  test('from a eu-west-1 stack: the web ACL goes to a us-east-1 companion stack, read back across regions', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    // WHEN
    const site = new CostConsciousStaticSite(stack, 'Site', { profile: Profile.DEVELOPMENT, waf: StaticSiteWaf.managedRules() });
    // THEN
    const companion = app.node.findChild('SUsEast1') as Stack;
    expect(companion.region).toBe('us-east-1');
    expect(companion.stackName).toBe('S-us-east-1');
    expect(Stack.of(site.webAcl!)).toBe(companion);
    Template.fromStack(companion).resourceCountIs('AWS::WAFv2::WebACL', 1);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('Custom::CrossRegionExportReader', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportsReader'), Match.anyValue()] } }),
    });
    expect(stack.dependencies).toContain(companion);
    expectCompliant(stack);
    expectCompliant(companion);
  });

  test('an existing web ACL is attached by ARN and nothing is created', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const arn = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/site/0f0f0f0f-1111-2222-3333-444455556666';
    const site = new CostConsciousStaticSite(stack, 'Site', { waf: StaticSiteWaf.fromWebAclArn(arn) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ WebACLId: arn }) });
    expect(site.attachedWebAclArn).toBe(arn);
    expectCompliant(stack);
  });

  test('a web ACL from outside us-east-1 needs crossRegionReferences on the stack', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    expect(() => new CostConsciousStaticSite(stack, 'Site', { waf: StaticSiteWaf.managedRules() })).toThrow("creating a web ACL from a stack in 'eu-west-1' needs `crossRegionReferences: true` on stack 'S'");
  });

  test('a web ACL needs a stack with a known region', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new CostConsciousStaticSite(stack, 'Site', { waf: StaticSiteWaf.managedRules() })).toThrow("the stack's region must be known to create a web ACL");
  });
});
