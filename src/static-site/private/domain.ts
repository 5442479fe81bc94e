import { Annotations, Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { usEast1ScopeFor } from './us-east-1';
import { HOST_NAME, LeanStackValidationError, checkPattern, checkRequired, invalid } from '../../private/validate';

export { HOST_NAME };

export interface SiteDomainInput {
  readonly domainName?: string;
  readonly hostedZone?: route53.IHostedZone;
  readonly certificate?: acm.ICertificate;
  readonly redirectWww?: boolean;
}

/** The names the distribution answers to, and the certificate that covers them. */
export interface SiteDomain {
  readonly domainName: string;
  readonly names: string[];
  readonly certificate: acm.ICertificate;
  readonly hostedZone?: route53.IHostedZone;
  readonly wwwName?: string;
}

/** Checks the domain props and returns the domain, creating the certificate when needed. */
export function resolveDomain(site: Construct, input: SiteDomainInput): SiteDomain | undefined {
  if (input.domainName === undefined) {
    if (input.hostedZone) invalid(site, 'hostedZone', input.hostedZone.zoneName, 'given only with `domainName`');
    if (input.certificate) invalid(site, 'certificate', input.certificate.certificateArn, 'given only with `domainName`');
    if (input.redirectWww) invalid(site, 'redirectWww', true, 'true only with `domainName`');
    return undefined;
  }
  const domainName = input.domainName;
  checkPattern(site, 'domainName', domainName, HOST_NAME, "a host name such as 'example.com' or 'app.example.com'");
  if (!input.hostedZone && !input.certificate) {
    checkRequired(site, 'hostedZone', undefined, `with \`domainName\` ('${domainName}') unless \`certificate\` is given (a certificate needs a zone for DNS validation)`);
  }
  const zone = input.hostedZone;
  if (zone && !Token.isUnresolved(zone.zoneName) && !Token.isUnresolved(domainName)) {
    const zoneName = zone.zoneName.replace(/\.$/, '').toLowerCase();
    const name = domainName.toLowerCase();
    if (name !== zoneName && !name.endsWith(`.${zoneName}`)) {
      invalid(site, 'domainName', domainName, `inside the hosted zone '${zoneName}'`);
    }
  }
  const wwwName = input.redirectWww ? `www.${domainName}` : undefined;
  const names = wwwName ? [domainName, wwwName] : [domainName];

  let certificate = input.certificate;
  if (certificate) {
    const arn = certificate.certificateArn;
    if (!Token.isUnresolved(arn)) {
      const region = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region;
      if (region !== 'us-east-1') invalid(site, 'certificate', arn, 'an ACM certificate in us-east-1 (CloudFront only uses certificates from us-east-1)');
    }
  } else {
    certificate = createCertificate(site, domainName, wwwName, zone!);
  }
  return { domainName, names, certificate, hostedZone: zone, wwwName };
}

function createCertificate(site: Construct, domainName: string, wwwName: string | undefined, zone: route53.IHostedZone): acm.ICertificate {
  const scope = usEast1ScopeFor(site, 'a certificate');
  let validationZone = zone;
  if (scope !== site) {
    // The certificate lives in the companion stack, which the site's stack depends on. A zone
    // created in the site's stack would make the companion depend back on it: a cycle.
    if (Token.isUnresolved(zone.hostedZoneId) && Stack.of(zone) === Stack.of(site)) {
      throw new LeanStackValidationError(site, `\`hostedZone\` must be imported (HostedZone.fromLookup or fromHostedZoneAttributes) or come from another stack when the site's stack is not in us-east-1, got: a zone created in '${Stack.of(site).stackName}'`);
    }
    validationZone = route53.HostedZone.fromHostedZoneAttributes(scope, 'ValidationZone', {
      hostedZoneId: zone.hostedZoneId,
      zoneName: zone.zoneName,
    });
  }
  return new acm.Certificate(scope, 'Certificate', {
    domainName,
    subjectAlternativeNames: wwwName ? [wwwName] : undefined,
    validation: acm.CertificateValidation.fromDns(validationZone),
  });
}

/** A and AAAA alias records for each name the site answers to; without a zone, a warning instead. */
export function createAliasRecords(site: Construct, domain: SiteDomain, distribution: cloudfront.IDistribution): void {
  if (!domain.hostedZone) {
    Annotations.of(site).addWarningV2('cdk-lean-stack:static-site-no-dns', `No \`hostedZone\`: point ${domain.names.join(' and ')} at ${distribution.distributionDomainName} in your DNS yourself.`);
    return;
  }
  const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
  domain.names.forEach((name, i) => {
    const prefix = i === 0 ? 'Alias' : 'WwwAlias';
    new route53.ARecord(site, `${prefix}A`, { zone: domain.hostedZone!, recordName: name, target });
    new route53.AaaaRecord(site, `${prefix}Aaaa`, { zone: domain.hostedZone!, recordName: name, target });
  });
}
