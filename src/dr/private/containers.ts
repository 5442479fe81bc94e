import { Annotations, CfnElement, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { replicaSecretArn } from './replication';

/** What the standby's containers take from the primary's, and what they replace. */
export interface ContainerCopyOptions {
  /** The primary's task definition, whose containers are copied. */
  readonly primary: ecs.TaskDefinition;
  /** The application container, which runs `appImage` instead of the primary's image reference. */
  readonly appContainerName: string;
  /** The application container's image; without it, the primary's image reference is kept (as for a sidecar). */
  readonly appImage?: ecs.ContainerImage;
  readonly logGroup: logs.ILogGroup;
  /** The application container's log stream prefix (default `dr`). */
  readonly appStreamPrefix?: string;
  /** Variables that replace the primary's variables and secrets of the same name (the database endpoint). */
  readonly environment: { [key: string]: string };
  /** Secrets that replace the primary's secrets of the same name in the application container. */
  readonly secrets: { [key: string]: ecs.Secret };
  readonly drRegion: string;
}

type Rendered = ecs.CfnTaskDefinition.ContainerDefinitionProperty;

/** The primary's containers, in the order ECS renders them. */
export function containersOf(taskDefinition: ecs.TaskDefinition): ecs.ContainerDefinition[] {
  return taskDefinition.node.children.filter((c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition);
}

/**
 * Adds to `target` a copy of every container of the primary task definition: variables, secrets
 * (read from their replicas in the DR region), user, capabilities, read-only root, init process,
 * ports, health check, command, dependencies, task-local volumes and mount points. Logs go to the
 * DR log group.
 */
export function copyContainers(scope: Construct, target: ecs.FargateTaskDefinition, options: ContainerCopyOptions): void {
  const copies = new Map<string, ecs.ContainerDefinition>();
  const stack = Stack.of(options.primary);
  // Rendered with its tokens (variables and images keep their references) and resolved in the
  // primary stack (ports, capabilities and dependencies are lazy lists there).
  const raw = containersOf(options.primary).map((c) => c.renderContainerDefinition());
  const rendered = raw.map((r) => stack.resolve(r) as Rendered);
  rendered.forEach((r, i) => {
    const name = r.name ?? `container${i}`;
    const linux = r.linuxParameters as ecs.CfnTaskDefinition.LinuxParametersProperty | undefined;
    const linuxParameters = linux ? new ecs.LinuxParameters(scope, `${name}LinuxParameters`, { initProcessEnabled: linux.initProcessEnabled as boolean | undefined }) : undefined;
    const capabilities = linux?.capabilities as ecs.CfnTaskDefinition.KernelCapabilitiesProperty | undefined;
    if (capabilities?.drop) linuxParameters?.dropCapabilities(...(capabilities.drop as ecs.Capability[]));
    if (capabilities?.add) linuxParameters?.addCapabilities(...(capabilities.add as ecs.Capability[]));
    const isApp = name === options.appContainerName;
    copies.set(name, target.addContainer(name, {
      image: isApp && options.appImage ? options.appImage : sidecarImage(scope, name, raw[i]),
      essential: r.essential as boolean | undefined,
      command: r.command,
      entryPoint: r.entryPoint,
      workingDirectory: r.workingDirectory,
      user: r.user,
      readonlyRootFilesystem: r.readonlyRootFilesystem as boolean | undefined,
      linuxParameters,
      cpu: r.cpu,
      memoryLimitMiB: r.memory,
      memoryReservationMiB: r.memoryReservation,
      portMappings: ((r.portMappings ?? []) as ecs.CfnTaskDefinition.PortMappingProperty[]).map((p) => ({
        containerPort: p.containerPort ?? 0, name: p.name, protocol: p.protocol as ecs.Protocol | undefined,
      })),
      healthCheck: healthCheckOf(r),
      environment: { ...environmentOf(raw[i]), ...(isApp ? options.environment : {}) },
      secrets: isApp
        ? { ...secretsOf(scope, name, r, options, [...Object.keys(options.environment), ...Object.keys(options.secrets)]), ...options.secrets }
        : secretsOf(scope, name, r, options, []),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: isApp ? options.appStreamPrefix ?? 'dr' : name, logGroup: options.logGroup }),
    }));
  });
  copyVolumes(scope, target, options.primary, rendered, copies);
  rendered.forEach((r) => {
    for (const dep of (r.dependsOn ?? []) as ecs.CfnTaskDefinition.ContainerDependencyProperty[]) {
      const container = copies.get(r.name ?? '');
      const on = copies.get(dep.containerName ?? '');
      if (container && on) container.addContainerDependencies({ container: on, condition: dep.condition as ecs.ContainerDependencyCondition });
    }
  });
}

/**
 * The primary's task-local volumes (a read-only root's writable /tmp, scratch space) and each
 * container's mount points: without them a copy with a read-only root would have nowhere to
 * write. Volumes backed by EFS or a Docker plugin are not copied (they live in the primary
 * region); a warning names them.
 */
function copyVolumes(scope: Construct, target: ecs.FargateTaskDefinition, primary: ecs.TaskDefinition,
  rendered: Rendered[], copies: Map<string, ecs.ContainerDefinition>): void {
  const cfn = primary.node.defaultChild as ecs.CfnTaskDefinition;
  const volumes = (Stack.of(primary).resolve(cfn.volumes) ?? []) as ecs.CfnTaskDefinition.VolumeProperty[];
  const copied = new Set<string>();
  for (const v of volumes) {
    if (v.name === undefined) continue;
    if (v.efsVolumeConfiguration || v.dockerVolumeConfiguration || v.host || v.fSxWindowsFileServerVolumeConfiguration) {
      Annotations.of(scope).addWarningV2(`cdk-lean-stack:standbyVolume:${v.name}`,
        `The volume '${v.name}' is not task-local storage, so the standby does not copy it; give the standby its own.`);
      continue;
    }
    target.addVolume({ name: v.name });
    copied.add(v.name);
  }
  for (const r of rendered) {
    const container = copies.get(r.name ?? '');
    for (const m of (r.mountPoints ?? []) as ecs.CfnTaskDefinition.MountPointProperty[]) {
      if (!container || !m.sourceVolume || !copied.has(m.sourceVolume) || !m.containerPath) continue;
      const readOnly = (m.readOnly as boolean | undefined) ?? false;
      container.addMountPoints({ sourceVolume: m.sourceVolume, containerPath: m.containerPath, readOnly });
    }
  }
}

function environmentOf(r: Rendered): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const kv of (r.environment ?? []) as ecs.CfnTaskDefinition.KeyValuePairProperty[]) {
    if (kv.name !== undefined && kv.value !== undefined) out[kv.name] = kv.value;
  }
  return out;
}

function healthCheckOf(r: Rendered): ecs.HealthCheck | undefined {
  const h = r.healthCheck as ecs.CfnTaskDefinition.HealthCheckProperty | undefined;
  if (!h?.command) return undefined;
  return {
    command: h.command,
    interval: h.interval !== undefined ? Duration.seconds(h.interval) : undefined,
    retries: h.retries,
    startPeriod: h.startPeriod !== undefined ? Duration.seconds(h.startPeriod) : undefined,
    timeout: h.timeout !== undefined ? Duration.seconds(h.timeout) : undefined,
  };
}

/** A sidecar's image: a registry name is used as is; a reference into the primary region is kept, with a warning. */
function sidecarImage(scope: Construct, name: string, r: Rendered): ecs.ContainerImage {
  const image = r.image as string;
  if (Token.isUnresolved(image)) {
    Annotations.of(scope).addWarningV2(`cdk-lean-stack:standbySidecarImage:${name}`,
      `The sidecar '${name}' pulls its image from the primary region; replicate it to the DR region for a standby that starts without the primary.`);
  }
  return ecs.ContainerImage.fromRegistry(image);
}

/**
 * The container's secrets, read in the DR region: each Secrets Manager secret of this app gains a
 * replica there and the copy reads the replica. Names in `skip` are replaced by variables.
 */
function secretsOf(scope: Construct, container: string, r: Rendered, options: ContainerCopyOptions, skip: string[]): { [key: string]: ecs.Secret } {
  const out: { [key: string]: ecs.Secret } = {};
  const stack = Stack.of(options.primary);
  for (const s of (r.secrets ?? []) as ecs.CfnTaskDefinition.SecretProperty[]) {
    if (skip.includes(s.name)) continue;
    const source = parseValueFrom(stack, s.valueFrom);
    if (!source) {
      Annotations.of(scope).addWarningV2(`cdk-lean-stack:standbySecret:${container}:${s.name}`,
        `The secret '${s.name}' of container '${container}' is not a Secrets Manager secret of this app, so the standby cannot read a replica of it: `
        + 'give it to the standby with `drEnvironment` or replicate it yourself (the readiness check reports it missing).');
      continue;
    }
    replicateTo(source.secret, options.drRegion);
    const replica = secretsmanager.Secret.fromSecretCompleteArn(scope, `${container}${s.name}Secret`, replicaSecretArn(source.secret.secretArn, options.drRegion));
    out[s.name] = ecs.Secret.fromSecretsManager(replica, source.field);
  }
  return out;
}

/** `{Ref}` or `{Fn::Join: ['', [{Ref}, ':field::']]}` of a Secrets Manager secret of this app. */
function parseValueFrom(stack: Stack, resolved: unknown): { secret: secretsmanager.Secret; field?: string } | undefined {
  let ref: unknown = resolved;
  let field: string | undefined;
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join && join[1].length === 2 && typeof join[1][1] === 'string') {
    ref = join[1][0];
    field = (join[1][1] as string).split(':')[1] || undefined;
  }
  const logicalId = (ref as { Ref?: string } | undefined)?.Ref;
  if (!logicalId) return undefined;
  const element = stack.node.findAll().find((c): c is CfnElement => CfnElement.isCfnElement(c) && stack.resolve(c.logicalId) === logicalId);
  let owner = element?.node.scope;
  if (owner instanceof secretsmanager.SecretTargetAttachment) owner = owner.node.scope;
  return owner instanceof secretsmanager.Secret ? { secret: owner, field } : undefined;
}

const replicated = new WeakMap<secretsmanager.Secret, Set<string>>();

/** Adds a replica region to a secret once, however many containers read it. */
export function replicateTo(secret: secretsmanager.Secret, region: string): void {
  const regions = replicated.get(secret) ?? new Set<string>();
  if (regions.has(region)) return;
  secret.addReplicaRegion(region);
  regions.add(region);
  replicated.set(secret, regions);
}
