import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeCrossRegionProviders, usEast1Companion } from '../../private/cross-region';
import { LeanStackValidationError } from '../../private/validate';

const US_EAST_1 = 'us-east-1';

/**
 * Where to create what CloudFront needs in us-east-1 (an ACM certificate, a CLOUDFRONT-scope web
 * ACL) for a site whose stack may be in any region.
 *
 * - A stack in us-east-1: the site itself.
 * - A stack elsewhere: a companion stack `<stackName>-us-east-1` in the same stage and account,
 *   shared by every site of that stack, deployed first. A web ACL's ARN comes back through CDK's
 *   cross-region references (SSM parameters the companion writes in the site's region, read by a
 *   small custom resource in the site's stack); a certificate's through a parameter the companion
 *   writes there itself, read with a dynamic reference (see `createCertificate`). This
 *   synthesizes without an AWS account, uses no deprecated API and keeps the certificate an
 *   ordinary `acm.Certificate`, which is why it was chosen over a certificate custom resource.
 *
 * @param site the site construct
 * @param what what needs us-east-1, for the error message
 */
export function usEast1ScopeFor(site: Construct, what: string): Construct {
  const stack = Stack.of(site);
  const region = stack.region;
  if (Token.isUnresolved(region)) {
    throw new LeanStackValidationError(site, `the stack's region must be known to create ${what} (CloudFront needs it in us-east-1), got an environment-agnostic stack; set \`env: { account, region }\` on the stack`);
  }
  if (region === US_EAST_1) return site;
  if (!stack._crossRegionReferences) {
    throw new LeanStackValidationError(site, `creating ${what} from a stack in '${region}' needs \`crossRegionReferences: true\` on stack '${stack.node.path}' (CloudFront needs it in us-east-1, so it goes into a companion stack '${stack.stackName}-us-east-1'), got: false; or bring your own`);
  }
  const companion = usEast1Companion(site, stack, {
    idSuffix: 'UsEast1',
    nameSuffix: '-us-east-1',
    description: `us-east-1 resources (certificate, web ACL) for CloudFront distributions in ${stack.stackName}`,
    onCreate: (created) => {
      stack.addStackDependency(created, 'CloudFront certificates and web ACLs live in us-east-1');
      acknowledgeCrossRegionProviders(stack);
    },
  });
  const scopeId = `${site.node.path.split('/').slice(1).join('-')}`;
  return (companion.node.tryFindChild(scopeId) as Construct | undefined) ?? new Construct(companion, scopeId);
}
