import { Annotations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { isPublicRegistryImage, requiredEndpoints, resolveMigrationEgress } from './egress';
import { INetwork } from '../../core/contracts';
import { LeanStackValidationError } from '../../private/validate';
import { MigrationEgressMode } from '../migration-egress-mode';

/** The cheapest fixes, priced (us-east-1 list prices of 2026-11-21, 730 hours a month). */
const FIX = {
  task: '`egressMode: MigrationEgressMode.FARGATE_TASK` (no fixed cost: the task and its public IPv4 bill only while a migration runs)',
  natInstance: '`egress: Egress.natInstance()` on the network with `egressMode: MigrationEgressMode.NAT` (about 6.72 USD a month: a t4g.nano and its public IPv4)',
  endpoints: (n: number) => `\`interfaceEndpoints\` on the network (about ${(7.3 * n).toFixed(2)} USD a month per AZ for ${n} endpoints)`,
};

/**
 * Decides how the migration runs: the mode asked for, else a Fargate task when the network has no
 * NAT (nothing idle to pay for) and the in-VPC build through NAT when it has. Refuses what cannot
 * work, naming the cheapest fix, and says at synth which way it took.
 */
export function chooseMigrationEgress(
  scope: IConstruct, network: INetwork, image: codebuild.IBuildImage, requested?: MigrationEgressMode,
): MigrationEgressMode {
  const mode = requested ?? (network.egress.hasNat ? MigrationEgressMode.NAT : MigrationEgressMode.FARGATE_TASK);
  if (mode === MigrationEgressMode.FARGATE_TASK) {
    if (image.imageId.startsWith('aws/codebuild/')) {
      throw new LeanStackValidationError(scope,
        `\`tool.image\` must be a container image Docker can pull when \`egressMode\` is FARGATE_TASK, got: '${image.imageId}' (a CodeBuild-only image); `
        + 'the cheapest fix is `image` on the tool, e.g. codebuild.LinuxBuildImage.fromDockerRegistry(\'postgres:17-alpine\') (no cost), '
        + `or run in the VPC with ${FIX.natInstance}`);
    }
    Annotations.of(scope).addInfo('migration egress: a one-off Fargate task in the public subnets (public IP, no inbound rule) '
      + 'runs the image a CodeBuild build outside the VPC made; no NAT and no endpoint is used');
    return mode;
  }
  if (mode === MigrationEgressMode.NAT && !network.egress.hasNat) {
    throw new LeanStackValidationError(scope,
      `\`egressMode\` NAT needs a network with NAT, got: a network with egress '${network.egress.kind}'; the cheapest fix is ${FIX.task}, or ${FIX.natInstance}`);
  }
  if (mode === MigrationEgressMode.VPC_ENDPOINTS && !network.egress.hasNat) {
    const present = network.interfaceEndpointServices;
    const needed = requiredEndpoints(image);
    if (present.length === 0) {
      throw new LeanStackValidationError(scope,
        `\`egressMode\` VPC_ENDPOINTS needs interface endpoints for ${needed.join(', ')} in \`network\`, got: none; `
        + `the cheapest fix is ${FIX.task}, or ${FIX.endpoints(needed.length)}`);
    }
    if (isPublicRegistryImage(image)) {
      throw new LeanStackValidationError(scope,
        `\`tool.image\` must come from ECR or CodeBuild when \`egressMode\` is VPC_ENDPOINTS, got: '${image.imageId}' (a public registry the build cannot reach); `
        + `the cheapest fix is ${FIX.task}, or copy the image to ECR and pass it as \`image\``);
    }
    const missing = needed.filter((s) => !present.includes(s));
    if (missing.length > 0) {
      throw new LeanStackValidationError(scope,
        `\`network.interfaceEndpointServices\` must include ${missing.join(', ')} when \`egressMode\` is VPC_ENDPOINTS, got: ${JSON.stringify(present)}; `
        + `the cheapest fix is ${FIX.task}, or ${FIX.endpoints(missing.length)}`);
    }
  }
  return resolveMigrationEgress(scope, network, image);
}

/** The task's subnets by default: the public ones, where it gets a public IP and needs no NAT. */
export function defaultTaskSubnets(scope: IConstruct, network: INetwork): ec2.SubnetSelection {
  if (network.vpc.publicSubnets.length === 0) {
    throw new LeanStackValidationError(scope,
      '`network.vpc` must have public subnets when `egressMode` is FARGATE_TASK (the task needs a public IP to pull its image and read the secret), got: none; '
      + `pass \`subnetSelection\` with private subnets that have NAT, or use ${FIX.natInstance}`);
  }
  return { subnetType: ec2.SubnetType.PUBLIC };
}
