import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { validatePublicAlbOptions } from './alb';
import { validateHttpApiOptions } from './http-api';
import { checkCacheOptions, checkContainerOptions, checkQueueOptions } from './option-checks';
import { Profile } from '../../core/profile';
import { checkLogRetentionDays, checkName, checkNotBoth, checkPattern, checkRange, checkRequired, invalid, LeanStackValidationError, NAME_RULES, reraise } from '../../private/validate';
import { FrontDoor, FrontDoorKind } from '../front-door';
import type { ModularMonolithServiceProps } from '../modular-monolith-service-props';

/** The user the containers run as unless `user` says otherwise. */
export const DEFAULT_USER = '1000:1000';

/**
 * The props that hold for the whole monolith, validated and defaulted once: where its services
 * run and how they are reached. What each running service may set for itself (size, task count,
 * health check path) is resolved by `RunningService`.
 */
export interface MonolithSettings {
  readonly vpc: ec2.IVpc;
  readonly hasNat: boolean;
  readonly frontDoor: FrontDoor;
  readonly spot: boolean;
  readonly architecture: ecs.CpuArchitecture;
  readonly containerName: string;
  readonly containerPort: number;
  readonly stopTimeout: Duration;
  readonly requestsPerTarget: number;
  readonly subnets: ec2.SubnetSelection;
  readonly assignPublicIp: boolean;
  readonly warnings: Array<{ id: string; message: string }>;
}

// Plain variables whose names say they hold a secret belong in `secrets`.
const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** Validates the props (naming the prop and value in every message) and applies defaults. */
export function resolveSettings(scope: IConstruct, props: ModularMonolithServiceProps, profile: Profile): MonolithSettings {
  const warnings: Array<{ id: string; message: string }> = [];
  checkRequired(scope, 'image', props.image, 'to run the service');
  props.image._validate(scope, 'image');
  (props.splitModules ?? []).forEach((split, i) => split.image?._validate(scope, `splitModules[${i}].image`));
  checkNotBoth(scope, 'network', props.network, 'vpc', props.vpc);
  const vpc = props.network?.vpc ?? props.vpc ?? props.cluster?.vpc;
  if (!vpc) checkRequired(scope, 'network', undefined, '(or `vpc`, or a `cluster` with its VPC)');
  const hasNat = props.network ? props.network.egress.hasNat : vpc!.privateSubnets.length > 0;

  const frontDoor = resolveFrontDoor(scope, props, hasNat);

  // Spot where the profile allows it, unless the user chose ARM64 (which Spot does not run).
  const spot = props.spot ?? (profile.spotAllowed && props.architecture !== ecs.CpuArchitecture.ARM64);
  if (spot && !profile.spotAllowed) {
    invalid(scope, 'spot', spot, `false in profile '${profile.name}' (Fargate Spot is allowed only in profiles that allow it, e.g. development)`);
  }
  if (spot && props.architecture === ecs.CpuArchitecture.ARM64) {
    invalid(scope, 'architecture', 'ARM64', 'X86_64 when `spot` is true (Fargate Spot runs no ARM64 tasks)');
  }
  const architecture = props.architecture ?? (spot ? ecs.CpuArchitecture.X86_64 : ecs.CpuArchitecture.ARM64);

  const containerPort = props.containerPort ?? 8080;
  checkRange(scope, 'containerPort', containerPort, { min: 1, max: 65535, integer: true });
  const user = props.user ?? DEFAULT_USER;
  if (containerPort < 1024 && !/^(0|root)(:|$)/.test(user)) {
    warnings.push({ id: 'cdk-lean-stack:privileged-port', message: `\`containerPort\` ${containerPort} is below 1024, which a non-root \`user\` ('${user}') cannot bind; use 8080 or similar.` });
  }
  if (/^(0|root)(:|$)/.test(user)) {
    warnings.push({ id: 'cdk-lean-stack:root-user', message: 'The container runs as root (`user`); prefer a non-root user if the image allows it.' });
  }
  checkContainerOptions(scope, props);
  if (props.cache) checkCacheOptions(scope, props.cache, 'cache.');
  if (props.queue) checkQueueOptions(scope, props.queue, 'queue.');
  const containerName = props.containerName ?? 'app';
  checkPattern(scope, 'containerName', containerName, /^[A-Za-z0-9_-]{1,255}$/, 'letters, digits, hyphens and underscores');

  const stopTimeout = props.stopTimeout ?? Duration.seconds(30);
  checkRange(scope, 'stopTimeout', stopTimeout.toSeconds(), { min: 2, max: 120, integer: true });
  // The targets are the same for every running service: checked here once, applied by each.
  checkRange(scope, 'cpuTargetPercent', props.cpuTargetPercent, { min: 10, max: 95 });
  checkRange(scope, 'memoryTargetPercent', props.memoryTargetPercent, { min: 10, max: 95 });
  const requestsPerTarget = props.requestsPerTarget ?? 1000;
  checkRange(scope, 'requestsPerTarget', requestsPerTarget, { min: 1, integer: true });

  if (props.enableExecuteCommand && props.readonlyRootFilesystem) {
    checkNotBoth(scope, 'enableExecuteCommand', true, 'readonlyRootFilesystem', true);
  }
  for (const name of Object.keys(props.environment ?? {})) {
    if (props.secrets && name in props.secrets) invalid(scope, `environment.${name}`, name, 'a name not also used in `secrets`');
    if (SECRET_LIKE.test(name)) {
      warnings.push({ id: 'cdk-lean-stack:secret-in-environment', message: `\`environment.${name}\` looks like a secret; plain variables are visible in the task definition, pass it in \`secrets\`.` });
    }
  }

  checkLogRetentionDays(scope, 'logRetention', props.logRetention);
  checkLogRetentionDays(scope, 'frontDoor.accessLogRetention', frontDoor.httpApiOptions?.accessLogRetention);
  checkName(scope, 'namespaceName', props.namespaceName, NAME_RULES.dnsNamespace);
  const privateTasks = frontDoor.kind === FrontDoorKind.PUBLIC_ALB || hasNat;
  const subnets = props.taskSubnets ?? { subnetType: privateTasks ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC };
  if (props.taskSubnets) {
    // e.g. private subnets asked for on a network without NAT: aws-cdk-lib's message names no prop.
    reraise(scope, 'taskSubnets', props.taskSubnets.subnetType ?? props.taskSubnets, () => vpc!.selectSubnets(props.taskSubnets));
  }
  const assignPublicIp = props.assignPublicIp ?? (props.taskSubnets ? false : !privateTasks);

  return {
    vpc: vpc!, hasNat, frontDoor, spot, architecture, containerName, containerPort, stopTimeout, requestsPerTarget, subnets, assignPublicIp, warnings,
  };
}

/** The front door, its options checked: a public ALB serves HTTPS only and needs tasks with NAT. */
function resolveFrontDoor(scope: IConstruct, props: ModularMonolithServiceProps, hasNat: boolean): FrontDoor {
  const frontDoor = props.frontDoor ?? FrontDoor.httpApiCloudMap();
  if (frontDoor.httpApiOptions) {
    validateHttpApiOptions(scope, frontDoor.httpApiOptions);
    if (frontDoor.httpApiOptions.albCertificate) {
      checkRequired(scope, 'frontDoor.albServerName', frontDoor.httpApiOptions.albServerName, 'with `albCertificate` (API Gateway checks the certificate against it)');
    }
  }
  if (frontDoor.kind === FrontDoorKind.PUBLIC_ALB) {
    checkRequired(scope, 'frontDoor.certificate', frontDoor.publicAlbOptions?.certificate, 'for FrontDoor.publicAlb() (it serves HTTPS only)');
    validatePublicAlbOptions(scope, frontDoor.publicAlbOptions!);
    if (!hasNat && !props.taskSubnets) {
      throw new LeanStackValidationError(scope,
        '`frontDoor` FrontDoor.publicAlb() runs tasks in private subnets and needs NAT egress, got: a network without NAT. ' +
        'Give a `network` with NAT (e.g. Egress.natInstance()) or a `vpc` with private subnets with egress, or choose FrontDoor.httpApiCloudMap().');
    }
  }
  return frontDoor;
}
