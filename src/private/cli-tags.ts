import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The tags the constructs put on the resources that `npx cdk-lean-stack` operates, so that the CLI
 * finds them in the deployed stacks' templates and never needs an ARN typed by hand. The tag keys
 * and role values are a contract between the constructs and the CLI: change both together.
 */
export const CLI_TAG = {
  /** What the resource is to the CLI: one of `CliRole`. */
  role: 'cdk-lean-stack:role',
  /** The construct path of the service a log group or ECS service belongs to. */
  service: 'cdk-lean-stack:service',
  /** The module an ECS service runs (`app` for the main service). */
  module: 'cdk-lean-stack:module',
  /** The container name, which is also the log stream prefix of the service's tasks. */
  container: 'cdk-lean-stack:container',
  /** The recovery time a DR runbook states, in seconds. */
  statedRecoverySeconds: 'cdk-lean-stack:stated-recovery-seconds',
  /** The DR service scale-up time a DR runbook states, in seconds (what a drill measures). */
  statedScaleUpSeconds: 'cdk-lean-stack:stated-scale-up-seconds',
} as const;

/** The roles the CLI looks for. */
export const CLI_ROLE = {
  service: 'service',
  serviceLogs: 'service-logs',
  database: 'database',
  databaseSecret: 'database-secret',
  databaseReplica: 'database-replica',
  breakGlassHost: 'break-glass-host',
  drRunbook: 'dr-runbook',
  drService: 'dr-service',
  migrationPipeline: 'migration-pipeline',
} as const;

/**
 * Tags a resource for the CLI: only its own CloudFormation resource (an L2's default child), so
 * that roles, policies and security groups around it stay as they were.
 */
export function tagForCli(scope: IConstruct, role: string, extra: { [key: string]: string } = {}): void {
  const target = scope.node.defaultChild ?? scope;
  Tags.of(target).add(CLI_TAG.role, role);
  for (const [key, value] of Object.entries(extra)) Tags.of(target).add(key, tagValue(value));
}

/** Tag values allow letters, digits, spaces and `_ . : / = + - @`; anything else becomes `_`. */
export function tagValue(value: string): string {
  return value.replace(/[^\w .:/=+\-@]/g, '_').slice(0, 256);
}
