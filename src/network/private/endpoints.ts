import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
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
