import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { acknowledge } from '../../private/nag';
import { invalid, LeanStackValidationError } from '../../private/validate';

let knownServices: string[] | undefined;

/**
 * The short names of every AWS service aws-cdk-lib knows an interface endpoint for
 * (`ec2.InterfaceVpcEndpointAwsService.ECR.shortName` is `ecr.api`, and so on).
 */
export function knownInterfaceEndpointServices(): string[] {
  if (!knownServices) {
    const names = new Set<string>();
    for (const value of Object.values(ec2.InterfaceVpcEndpointAwsService)) {
      if (value instanceof ec2.InterfaceVpcEndpointAwsService) names.add(value.shortName);
    }
    knownServices = [...names].sort();
  }
  return knownServices;
}

/**
 * Checks a list of interface endpoint service names: each one known to aws-cdk-lib, none twice.
 * Returns the list unchanged (in the caller's order).
 */
export function checkInterfaceEndpointNames(scope: IConstruct, prop: string, names: string[]): string[] {
  const known = knownInterfaceEndpointServices();
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.includes(name)) {
      invalid(scope, prop, name, 'the short name of an AWS service with interface endpoints, as `ec2.InterfaceVpcEndpointAwsService` spells it (e.g. \'ecr.api\', \'ecr.dkr\', \'logs\', \'secretsmanager\', \'ssm\', \'ssmmessages\')');
    }
    if (seen.has(name)) {
      throw new LeanStackValidationError(scope, `\`${prop}\` must not name a service twice, got: '${name}' twice`);
    }
    seen.add(name);
  }
  return names;
}

/** The aws-cdk-lib service object for a short name checked by `checkInterfaceEndpointNames`. */
export function interfaceEndpointService(name: string): ec2.InterfaceVpcEndpointAwsService {
  for (const value of Object.values(ec2.InterfaceVpcEndpointAwsService)) {
    if (value instanceof ec2.InterfaceVpcEndpointAwsService && value.shortName === name) return value;
  }
  return new ec2.InterfaceVpcEndpointAwsService(name);
}

/** A construct id for an endpoint service name: `ecr.api` becomes `EcrApi`. */
export function endpointId(name: string): string {
  return name.split(/[.-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/**
 * Adds an interface endpoint per service name in the data subnets, with private DNS, admitting
 * HTTPS from the VPC CIDR only. Returns them by name.
 */
export function addInterfaceEndpoints(
  vpc: ec2.IVpc, names: string[], subnets: ec2.SubnetSelection, vpcCidr: string,
): { [service: string]: ec2.InterfaceVpcEndpoint } {
  const endpoints: { [service: string]: ec2.InterfaceVpcEndpoint } = {};
  for (const name of names) {
    const endpoint = vpc.addInterfaceEndpoint(endpointId(name), {
      service: interfaceEndpointService(name),
      subnets: { ...subnets, onePerAz: true },
      privateDnsEnabled: true,
      open: false,
    });
    endpoint.connections.allowFrom(ec2.Peer.ipv4(vpcCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    if (Token.isUnresolved(vpcCidr)) {
      acknowledge(endpoint.connections.securityGroups[0], {
        ids: ['AwsSolutions-EC23', 'HIPAA.Security-EC2RestrictedCommonPorts', 'HIPAA.Security-EC2RestrictedSSH', 'NIST.800.53.R5-EC2RestrictedCommonPorts', 'NIST.800.53.R5-EC2RestrictedSSH'],
        reason: 'The endpoint admits HTTPS from the VPC CIDR only; the CIDR of an existing VPC is resolved at deploy time.',
      });
    }
    endpoints[name] = endpoint;
  }
  return endpoints;
}
