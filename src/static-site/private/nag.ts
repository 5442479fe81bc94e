import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { acknowledge } from '../../private/nag';

/** The distribution's deliberate trade-offs, each only when it applies. */
export function acknowledgeDistribution(
  distribution: cloudfront.Distribution,
  options: { customDomain: boolean; accessLogs: boolean; waf: boolean },
): void {
  const { customDomain, accessLogs, waf } = options;
  acknowledge(distribution, {
    ids: ['AwsSolutions-CFR1'],
    reason: 'A public website serves every country; geo restriction is a business decision, available through the distribution escape hatch.',
  });
  if (!waf) {
    acknowledge(distribution, {
      ids: ['AwsSolutions-CFR2'],
      reason: 'AWS WAF costs at least 5 USD a month per web ACL plus rules; it is opt-in (`waf: StaticSiteWaf.managedRules()`), keeping the default idle cost at zero. CloudFront Standard shield protection applies regardless.',
    });
  }
  if (!customDomain) {
    acknowledge(distribution, {
      ids: ['AwsSolutions-CFR4'],
      reason: 'Without a custom domain the distribution uses the shared *.cloudfront.net certificate, whose minimum TLS version CloudFront fixes; with `domainName` the policy is TLSv1.2_2021.',
    });
  }
  if (!accessLogs) {
    acknowledge(distribution, {
      ids: ['AwsSolutions-CFR3'],
      reason: 'Access logs are off in this profile (development) to keep storage at zero; production profiles (or `accessLogs: true`) log to a lifecycle-managed bucket.',
    });
  }
}
