import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { WorkloadBasics } from './workload';
import { Profile } from '../../core/profile';
import { checkPattern, checkRange, invalid } from '../../private/validate';
import { FrontDoor, FrontDoorKind } from '../../service/front-door';
import { ModularMonolithOnEksProps } from '../modular-monolith-on-eks-props';

/** The workload's props with defaults applied, validated. */
export interface ResolvedWorkload extends WorkloadBasics {
  readonly frontDoor?: FrontDoor;
  readonly migrationTimeout: Duration;
  readonly modulePaths: string[];
  readonly moduleEnvironment: { [key: string]: string };
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MODULE_NAME = /^[a-z][a-z0-9-]{0,29}$/;
const MODULE_PATH = /^\/[A-Za-z0-9._~\-/]*(\/\*)?$/;

export function resolveWorkload(scope: IConstruct, props: ModularMonolithOnEksProps, profile: Profile): ResolvedWorkload {
  const name = props.name ?? 'monolith';
  checkPattern(scope, 'name', name, DNS_LABEL, 'a DNS label of lowercase letters, digits and hyphens, starting with a letter');
  checkRange(scope, 'name.length', name.length, { max: 40, integer: true });
  const containerName = props.containerName ?? 'app';
  checkPattern(scope, 'containerName', containerName, DNS_LABEL, 'a DNS label of lowercase letters, digits and hyphens, starting with a letter');
  const port = props.containerPort ?? 8080;
  checkRange(scope, 'containerPort', port, { min: 1, max: 65535, integer: true });
  const cpuMillis = props.cpuMillis ?? 250;
  checkRange(scope, 'cpuMillis', cpuMillis, { min: 50, max: 16000, integer: true });
  const memoryMiB = props.memoryMiB ?? 512;
  checkRange(scope, 'memoryMiB', memoryMiB, { min: 64, max: 131072, integer: true });
  const minReplicas = props.minReplicas ?? profile.minTasks;
  checkRange(scope, 'minReplicas', minReplicas, { min: 1, max: 100, integer: true });
  const maxReplicas = props.maxReplicas ?? Math.max(profile.maxTasks, minReplicas);
  checkRange(scope, 'maxReplicas', maxReplicas, { min: minReplicas, max: 1000, integer: true });
  const cpuTargetPercent = props.cpuTargetPercent ?? 70;
  checkRange(scope, 'cpuTargetPercent', cpuTargetPercent, { min: 10, max: 95, integer: true });
  const memoryTargetPercent = props.memoryTargetPercent ?? 80;
  checkRange(scope, 'memoryTargetPercent', memoryTargetPercent, { min: 10, max: 95, integer: true });
  const user = props.user ?? 1000;
  checkRange(scope, 'user', user, { min: 1, max: 2147483647, integer: true });
  const healthCheckPath = props.healthCheckPath ?? '/';
  checkPattern(scope, 'healthCheckPath', healthCheckPath, /^\//, 'a path starting with /');
  const migrationTimeout = props.migrationTimeout ?? Duration.minutes(10);
  // The wait runs in the kubectl handler, a Lambda function of at most 15 minutes.
  checkRange(scope, 'migrationTimeout (minutes)', migrationTimeout.toSeconds() / 60, { min: 1, max: 13 });
  if (props.migrationCommand && props.migrationCommand.length === 0) {
    invalid(scope, 'migrationCommand', props.migrationCommand, 'a non-empty command, e.g. [\'flask\', \'db\', \'upgrade\']');
  }
  if (props.frontDoor && props.frontDoor.kind !== FrontDoorKind.PUBLIC_ALB) {
    invalid(scope, 'frontDoor', props.frontDoor.kind,
      `'${FrontDoorKind.PUBLIC_ALB}' on EKS (FrontDoor.publicAlb(...): Auto Mode provisions the ALB from an Ingress)`);
  }

  const modulePaths: string[] = [];
  const moduleEnvironment: { [key: string]: string } = {};
  const seen = new Set<string>();
  for (const [i, m] of (props.modules ?? []).entries()) {
    checkPattern(scope, `modules[${i}].name`, m.name, MODULE_NAME, 'lowercase letters, digits and hyphens, starting with a letter (at most 30)');
    checkPattern(scope, `modules[${i}].path`, m.path, MODULE_PATH, 'a path starting with /, optionally ending in /*');
    if (seen.has(m.name)) invalid(scope, `modules[${i}].name`, m.name, 'unique among the modules');
    seen.add(m.name);
    modulePaths.push(m.path.replace(/\/\*$/, '') || '/');
    // Modules call each other inside the cluster, never through the public door.
    moduleEnvironment[`MODULE_${m.name.toUpperCase().replace(/-/g, '_')}_URL`] = `http://${name}.${name}.svc.cluster.local`;
  }
  return {
    name,
    namespace: name,
    serviceAccount: name,
    containerName,
    command: props.command,
    port,
    cpuMillis,
    memoryMiB,
    minReplicas,
    maxReplicas,
    cpuTargetPercent,
    memoryTargetPercent,
    healthCheckPath,
    user,
    frontDoor: props.frontDoor,
    migrationTimeout,
    modulePaths,
    moduleEnvironment,
  };
}
