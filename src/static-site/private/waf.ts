import { Construct } from 'constructs';
import { usEast1ScopeFor } from './us-east-1';
import { SiteWebAcl, StaticSiteWaf, StaticSiteWafKind } from '../site-web-acl';

/** The web ACL the site created, if any, and the ARN of the one its distribution uses, if any. */
export interface AttachedWaf {
  readonly webAcl?: SiteWebAcl;
  readonly webAclArn?: string;
}

/** Creates the web ACL the WAF choice asks for (in us-east-1, where CloudFront reads it) or takes the given one. */
export function attachWaf(site: Construct, waf: StaticSiteWaf): AttachedWaf {
  if (waf.kind === StaticSiteWafKind.MANAGED_RULES) {
    const webAcl = new SiteWebAcl(usEast1ScopeFor(site, 'a web ACL'), 'WebAcl', waf.webAclProps);
    return { webAcl, webAclArn: webAcl.webAclArn };
  }
  return { webAclArn: waf.kind === StaticSiteWafKind.EXISTING ? waf.webAclArn : undefined };
}
