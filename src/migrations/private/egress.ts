import { Annotations, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { INetwork } from '../../core/contracts';
import { LeanStackValidationError } from '../../private/validate';
import { MigrationEgressMode as MigrationEgress } from '../migration-egress-mode';


/** The interface endpoints a build without NAT needs, and why. */
export const ENDPOINT_REASONS: { [service: string]: string } = {
  'logs': 'build logs to CloudWatch Logs',
  'secretsmanager': 'the database credentials (buildspec env secrets-manager)',
  'ecr.api': 'pulling the build image from ECR',
  'ecr.dkr': 'pulling the build image from ECR',
};

/** True when the image is pulled from a registry on the internet (Docker Hub, ECR Public, ...). */
export function isPublicRegistryImage(image: codebuild.IBuildImage): boolean {
  if (image.repository) return false;
  if (image.imageId.startsWith('aws/codebuild/')) return false;
  return !/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/.test(image.imageId);
}

/** True when the image comes from a private ECR repository (pulled through the VPC). */
function isEcrImage(image: codebuild.IBuildImage): boolean {
  return !image.imageId.startsWith('aws/codebuild/') && !isPublicRegistryImage(image);
}

/** The interface endpoints a build needs when the network has no NAT. */
export function requiredEndpoints(image: codebuild.IBuildImage): string[] {
  return ['logs', 'secretsmanager', ...(isEcrImage(image) ? ['ecr.api', 'ecr.dkr'] : [])];
}

/** True when an S3 gateway endpoint (or interface endpoint) is visible in the network. */
function hasS3Endpoint(network: INetwork): boolean {
  if (network.interfaceEndpointServices.includes('s3')) return true;
  const scopes: IConstruct[] = [network, network.vpc];
  for (const scope of scopes) {
    for (const c of scope.node.findAll()) {
      if (!(c instanceof ec2.CfnVPCEndpoint)) continue;
      const name = JSON.stringify(Stack.of(c).resolve(c.serviceName));
      if (/\.s3"/.test(name)) return true;
    }
  }
  return false;
}

/**
 * Decides how the build reaches out, refuses a network where it cannot, and says at synth which
 * way it is using.
 */
export function resolveMigrationEgress(scope: IConstruct, network: INetwork, image: codebuild.IBuildImage): MigrationEgress {
  if (network.egress.hasNat) {
    Annotations.of(scope).addInfo(
      `migration build egress: NAT (${network.egress.kind}); the build pulls '${image.imageId}' and reaches AWS APIs through it`,
    );
    return MigrationEgress.NAT;
  }
  const present = network.interfaceEndpointServices;
  if (present.length === 0) {
    throw new LeanStackValidationError(scope,
      '`network` must give the migration build a way out, got: no NAT and no interface endpoints; ' +
      `use a network with NAT (e.g. Egress.natInstance()) or interface endpoints for ${requiredEndpoints(image).join(', ')} plus an S3 gateway endpoint`);
  }
  if (isPublicRegistryImage(image)) {
    throw new LeanStackValidationError(scope,
      `\`tool.image\` must come from ECR or CodeBuild when \`network\` has no NAT, got: '${image.imageId}' (a public registry the build cannot reach); ` +
      'copy the image to an ECR repository (or an ECR pull-through cache) and pass it as `image`, or use a network with NAT');
  }
  const missing = requiredEndpoints(image).filter((s) => !present.includes(s));
  if (missing.length > 0) {
    throw new LeanStackValidationError(scope,
      `\`network.interfaceEndpointServices\` must include ${missing.join(', ')} when \`network\` has no NAT, got: ${JSON.stringify(present)} ` +
      `(needed for ${[...new Set(missing.map((m) => ENDPOINT_REASONS[m]))].join('; ')})`);
  }
  if (!hasS3Endpoint(network)) {
    Annotations.of(scope).addWarningV2('cdk-lean-stack:migrationsNoS3Endpoint',
      'no S3 endpoint is visible in `network`: a build without NAT needs an S3 gateway endpoint (free) for its source and artifacts' +
      (isEcrImage(image) ? ' and for ECR image layers' : ''));
  }
  Annotations.of(scope).addInfo(
    `migration build egress: VPC endpoints (${requiredEndpoints(image).join(', ')}, S3 gateway); no NAT is used`,
  );
  return MigrationEgress.VPC_ENDPOINTS;
}

/** The subnets a build runs in by default: private ones with NAT, isolated ones without. */
export function defaultBuildSubnets(scope: IConstruct, network: INetwork, egress: MigrationEgress): ec2.SubnetSelection {
  const vpc = network.vpc;
  if (egress === MigrationEgress.NAT) {
    if (vpc.privateSubnets.length === 0) {
      throw new LeanStackValidationError(scope,
        '`network.vpc` must have private subnets with egress when `network.egress` has NAT, got: none; pass `subnetSelection`');
    }
    return { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  }
  if (vpc.isolatedSubnets.length > 0) return { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  if (vpc.privateSubnets.length > 0) return { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  throw new LeanStackValidationError(scope,
    '`network.vpc` must have private or isolated subnets for the migration build (CodeBuild in a VPC gets no public IP), got: public subnets only');
}
