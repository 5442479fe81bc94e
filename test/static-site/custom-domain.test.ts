import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Profile } from '../../src/core/profile';
import { CostConsciousStaticSite } from '../../src/static-site';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';

/** A custom resource's SDK call as its handler reads it, with every CloudFormation reference in it as `<ref>`. */
function sdkCall(property: unknown): { [key: string]: unknown } {
  const parts = typeof property === 'string' ? [property] : (property as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : '<ref>')).join(''));
}

function zoneIn(stack: Stack): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });
}

describe('custom domain', () => {
  test('from eu-west-1: the certificate is issued in a us-east-1 companion stack and attached with TLS 1.2 (2021)', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    // WHEN
    const site = new CostConsciousStaticSite(stack, 'Site', { domainName: 'example.com', hostedZone: zoneIn(stack), redirectWww: true });
    // THEN
    const companion = app.node.findChild('SUsEast1') as Stack;
    Template.fromStack(companion).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'example.com',
      SubjectAlternativeNames: ['www.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([{ DomainName: 'example.com', HostedZoneId: 'Z0123456789ABC' }]),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['example.com', 'www.example.com'],
        ViewerCertificate: { AcmCertificateArn: Match.anyValue(), MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
    expect(site.url).toBe('https://example.com');
    expect(site.certificate).toBeInstanceOf(acm.Certificate);
    expect(Stack.of(site.certificate!)).toBe(companion);
    expectCompliant(stack);
    expectCompliant(companion);
  });

  test('from eu-west-1: the distribution names the certificate with a plain string, a parameter its companion writes in eu-west-1, and passes CT.CLOUDFRONT.PR.6 and PR.7', () => {
    // GIVEN a production stack like the reference app's LeanProd
    const app = new App();
    const stack = new Stack(app, 'LeanProd', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    // WHEN
    new CostConsciousStaticSite(stack, 'Site', { profile: Profile.COST_CONSCIOUS_PRODUCTION, domainName: 'app.example.com', hostedZone: zoneIn(stack) });
    // THEN the distribution reads a dynamic reference: a string in the template, no reader custom resource
    const companion = app.node.findChild('LeanProdUsEast1') as Stack;
    const template = Template.fromStack(stack);
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0];
    const arn = distribution.Properties.DistributionConfig.ViewerCertificate.AcmCertificateArn as unknown;
    expect(typeof arn).toBe('string');
    const name = /^\{\{resolve:ssm:(\/cdk-lean-stack\/LeanProd\/Site\/certificate-arn-[0-9a-f]{8})\}\}$/.exec(arn as string)?.[1];
    expect(name).toBeDefined();
    template.resourceCountIs('Custom::CrossRegionExportReader', 0);
    // the companion puts the certificate's ARN under that exact name in eu-west-1, and deletes it with the stack
    const companionTemplate = Template.fromStack(companion);
    const certificateId = Object.keys(companionTemplate.findResources('AWS::CertificateManager::Certificate'))[0];
    const writers = Object.values(companionTemplate.findResources('Custom::RegionalParameter'));
    expect(writers).toHaveLength(1);
    const writer = writers[0].Properties;
    for (const event of ['Create', 'Update']) {
      expect(sdkCall(writer[event])).toEqual({
        service: 'SSM',
        action: 'putParameter',
        region: 'eu-west-1',
        parameters: { Name: name, Value: '<ref>', Type: 'String', Overwrite: true },
        physicalResourceId: { id: name },
      });
      expect(writer[event]['Fn::Join'][1]).toContainEqual({ Ref: certificateId });
    }
    expect(sdkCall(writer.Delete)).toMatchObject({ action: 'deleteParameter', region: 'eu-west-1', parameters: { Name: name } });
    // with a policy for that one parameter only
    companionTemplate.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['ssm:PutParameter', 'ssm:DeleteParameter'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:eu-west-1:111111111111:parameter${name}`]] },
        }],
      },
    });
    // the site's stack deploys after its companion
    expect(stack.dependencies).toContain(companion);
    // and an organization enforcing AWS Control Tower's proactive controls accepts the distribution
    const failures = controlTowerFailures([stack]).get(stack.stackName)!;
    expect(failures.has('CT.CLOUDFRONT.PR.6')).toBe(false);
    expect(failures.has('CT.CLOUDFRONT.PR.7')).toBe(false);
    expectCompliant(stack);
    expectCompliant(companion);
  });

  test('a certificate that covers other names (here www too) is written under another parameter name, so the distribution follows a replaced certificate', () => {
    const nameFor = (redirectWww: boolean) => {
      const app = new App();
      const stack = new Stack(app, 'LeanProd', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
      new CostConsciousStaticSite(stack, 'Site', { domainName: 'app.example.com', hostedZone: zoneIn(stack), redirectWww });
      const distribution = Object.values(Template.fromStack(stack).findResources('AWS::CloudFront::Distribution'))[0];
      return distribution.Properties.DistributionConfig.ViewerCertificate.AcmCertificateArn as string;
    };
    expect(nameFor(false)).toBe(nameFor(false));
    expect(nameFor(true)).not.toBe(nameFor(false));
  });

  test('A and AAAA alias records for the apex and www, and the www redirect in the routing function', () => {
    // GIVEN
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    // WHEN
    new CostConsciousStaticSite(stack, 'Site', { profile: Profile.DEVELOPMENT, domainName: 'example.com', hostedZone: zoneIn(stack), redirectWww: true });
    // THEN
    const template = Template.fromStack(stack);
    for (const type of ['A', 'AAAA']) {
      for (const name of ['example.com.', 'www.example.com.']) {
        template.hasResourceProperties('AWS::Route53::RecordSet', {
          Name: name,
          Type: type,
          HostedZoneId: 'Z0123456789ABC',
          AliasTarget: { DNSName: Match.anyValue(), HostedZoneId: Match.anyValue() },
        });
      }
    }
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    // in us-east-1 the distribution names the certificate of its own template directly
    const certificateId = Object.keys(template.findResources('AWS::CertificateManager::Certificate'))[0];
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ ViewerCertificate: Match.objectLike({ AcmCertificateArn: { Ref: certificateId } }) }),
    });
    template.resourceCountIs('Custom::RegionalParameter', 0);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp('"redirectFrom":"www.example.com","redirectTo":"example.com"'),
    });
    expectCompliant(stack);
  });

  test('an existing us-east-1 certificate is used as is, and a missing zone is a warning', () => {
    // GIVEN
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const cert = acm.Certificate.fromCertificateArn(stack, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    // WHEN
    const site = new CostConsciousStaticSite(stack, 'Site', { domainName: 'app.example.com', certificate: cert });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Aliases: ['app.example.com'], ViewerCertificate: Match.objectLike({ AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' }) }),
    });
    Annotations.fromStack(stack).hasWarning('/S/Site', Match.stringLikeRegexp('No `hostedZone`'));
    expect(site.certificate).toBe(cert);
    expectCompliant(stack);
  });

  test('rejects a domain without a zone or a certificate', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1' } });
    expect(() => new CostConsciousStaticSite(stack, 'Site', { domainName: 'example.com' })).toThrow("`hostedZone` is required with `domainName` ('example.com') unless `certificate` is given");
  });

  test('rejects a certificate outside us-east-1', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'eu-west-1' } });
    const cert = acm.Certificate.fromCertificateArn(stack, 'C', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    expect(() => new CostConsciousStaticSite(stack, 'Site', { domainName: 'example.com', certificate: cert })).toThrow('`certificate` must be an ACM certificate in us-east-1');
  });

  test('rejects a domain outside the zone', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1' } });
    expect(() => new CostConsciousStaticSite(stack, 'Site', { domainName: 'example.org', hostedZone: zoneIn(stack) })).toThrow("`domainName` must be inside the hosted zone 'example.com', got: 'example.org'");
  });

  test('rejects a malformed domain', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1' } });
    expect(() => new CostConsciousStaticSite(stack, 'Site', { domainName: 'https://example.com', hostedZone: zoneIn(stack) })).toThrow("`domainName` must be a host name such as 'example.com'");
  });

  test('rejects a zone or www redirect without a domain', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1' } });
    expect(() => new CostConsciousStaticSite(stack, 'Site', { hostedZone: zoneIn(stack) })).toThrow('`hostedZone` must be given only with `domainName`');
    expect(() => new CostConsciousStaticSite(stack, 'Site2', { redirectWww: true })).toThrow('`redirectWww` must be true only with `domainName`');
  });

  test('rejects a zone created in a non-us-east-1 site stack (it would make a dependency cycle)', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    expect(() => new CostConsciousStaticSite(stack, 'Site', { domainName: 'example.com', hostedZone: zone })).toThrow('`hostedZone` must be imported (HostedZone.fromLookup or fromHostedZoneAttributes) or come from another stack');
  });
});
