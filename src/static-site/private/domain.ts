import { createHash } from 'crypto';
import { Annotations, Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { usEast1ScopeFor } from './us-east-1';
import { writeParameterInRegion } from '../../private/cross-region';
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
  /**
   * The certificate as the distribution names it: the given or created one, except that one
   * created in the us-east-1 companion stack is read back from the SSM parameter the companion
   * writes in the site's region, so the site's template holds a string, not a cross-region
   * reference.
   */
  readonly certificate: acm.ICertificate;
  /** The certificate itself, given or created (in us-east-1), as the site exposes it. */
  readonly source: acm.ICertificate;
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

  const given = input.certificate;
  if (given) {
    const arn = given.certificateArn;
    if (!Token.isUnresolved(arn)) {
      const region = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region;
      if (region !== 'us-east-1') invalid(site, 'certificate', arn, 'an ACM certificate in us-east-1 (CloudFront only uses certificates from us-east-1)');
    }
    return { domainName, names, certificate: given, source: given, hostedZone: zone, wwwName };
  }
  const { created, forDistribution } = createCertificate(site, names, zone!);
  return { domainName, names, certificate: forDistribution, source: created, hostedZone: zone, wwwName };
}

/** A created certificate, and the same certificate as the distribution names it. */
interface CreatedCertificate {
  readonly created: acm.Certificate;
  readonly forDistribution: acm.ICertificate;
}

function createCertificate(site: Construct, names: string[], zone: route53.IHostedZone): CreatedCertificate {
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
  const created = new acm.Certificate(scope, 'Certificate', {
    domainName: names[0],
    subjectAlternativeNames: names.length > 1 ? names.slice(1) : undefined,
    validation: acm.CertificateValidation.fromDns(validationZone),
  });
  if (scope === site) return { created, forDistribution: created };
  // A cross-region reference would put `Fn::GetAtt` of a reader custom resource in the
  // distribution's AcmCertificateArn, which AWS Control Tower's CT.CLOUDFRONT.PR.6 and PR.7
  // refuse (they accept a string or a certificate of the same template). The companion writes the
  // ARN into a parameter of the site's region instead, and the distribution reads it with a
  // dynamic reference: a string in the template. The site's stack already depends on the companion.
  const arn = writeParameterInRegion(scope, 'CertificateArnParameter', {
    name: certificateParameterName(site, [...names, zone.hostedZoneId]),
    value: created.certificateArn,
    region: Stack.of(site).region,
  });
  return { created, forDistribution: acm.Certificate.fromCertificateArn(site, 'UsEast1Certificate', arn) };
}

/**
 * The SSM parameter that carries a companion-made certificate's ARN to the site's region:
 * `/cdk-lean-stack/<site stack>/<site path>/certificate-arn-<hash>`. The hash covers what makes
 * CloudFormation replace the certificate (its names, its validation zone), so a new certificate
 * gets a new parameter name, the site's template changes with it and the distribution takes the
 * new ARN: CloudFormation does not notice a new value behind an unchanged dynamic reference.
 * Values not known at synth (tokens) are left out of the hash.
 */
function certificateParameterName(site: Construct, identity: string[]): string {
  const stack = Stack.of(site);
  const scopes = site.node.scopes;
  const path = scopes.slice(scopes.indexOf(stack) + 1).map((c) => c.node.id).join('-').replace(/[^a-zA-Z0-9_.-]/g, '_');
  const known = identity.filter((value) => !Token.isUnresolved(value));
  const hash = known.length > 0 ? `-${createHash('sha256').update(known.join(',')).digest('hex').slice(0, 8)}` : '';
  return `/cdk-lean-stack/${stack.stackName}/${path}/certificate-arn${hash}`;
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
