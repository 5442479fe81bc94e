import { Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { invalid } from '../../private/validate';

/** Rejects a domain name outside its hosted zone (Route 53 would refuse the record at deploy). */
export function checkInZone(scope: IConstruct, prop: string, domainName: string | undefined, zone: route53.IHostedZone | undefined): void {
  if (!zone || domainName === undefined || Token.isUnresolved(domainName) || Token.isUnresolved(zone.zoneName)) return;
  const zoneName = zone.zoneName.replace(/\.$/, '').toLowerCase();
  const name = domainName.toLowerCase();
  if (name !== zoneName && !name.endsWith(`.${zoneName}`)) invalid(scope, prop, domainName, `inside the hosted zone '${zoneName}'`);
}
