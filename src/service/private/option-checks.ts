import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkPattern, checkRange, checkWholeSeconds, invalid } from '../../private/validate';

// The inputs are declared here rather than imported, so that the public files depend on their
// checks and never the other way round.

/** The cache's limits, as `ServiceCacheOptions` holds them. */
export interface CacheLimitsInput {
  readonly maxDataStorageGb?: number;
  readonly maxEcpuPerSecond?: number;
}

/** The queue's settings, as `ServiceQueueOptions` holds them. */
export interface QueueSettingsInput {
  readonly maxReceiveCount?: number;
  readonly visibilityTimeout?: Duration;
}

/** The monolith's container settings, as `ModularMonolithServiceProps` holds them. */
export interface ContainerOptionsInput {
  readonly appSecretKeyName?: string;
  readonly environment?: { [key: string]: string };
  readonly secrets?: { [key: string]: unknown };
  readonly user?: string;
  readonly healthCheckGracePeriod?: Duration;
}

/*
 * Checks shared by a construct and the monolith that builds it: `prefix` is '' when the user gave
 * the value to the construct itself and `cache.` or `queue.` when it came through the monolith's
 * props, so that the message names the prop the user wrote.
 */

/** ElastiCache Serverless usage limits: 1 to 5,000 GB of data, 1,000 to 15,000,000 ECPU per second. */
export function checkCacheOptions(scope: IConstruct, options: CacheLimitsInput, prefix = ''): void {
  checkRange(scope, `${prefix}maxDataStorageGb`, options.maxDataStorageGb, { min: 1, max: 5000, integer: true });
  checkRange(scope, `${prefix}maxEcpuPerSecond`, options.maxEcpuPerSecond, { min: 1000, max: 15000000, integer: true });
}

/** SQS: a visibility timeout of 0 to 43,200 whole seconds (12 hours); a redrive after 1 to 1,000 receives. */
export function checkQueueOptions(scope: IConstruct, options: QueueSettingsInput, prefix = ''): void {
  checkRange(scope, `${prefix}maxReceiveCount`, options.maxReceiveCount, { min: 1, max: 1000, integer: true });
  checkWholeSeconds(scope, `${prefix}visibilityTimeout`, options.visibilityTimeout, { min: 0, max: 43200 });
}

/** A POSIX environment variable name: what shells and most runtimes can read back. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

/**
 * ECS `user`: `user`, `user:group`, `uid`, `uid:gid`, `user:gid` or `uid:group`, with UIDs and GIDs
 * as non-negative integers and names as Linux accepts them (up to 32 characters).
 */
const USER = /^([0-9]+|[A-Za-z_][A-Za-z0-9_.-]{0,31})(:([0-9]+|[A-Za-z_][A-Za-z0-9_.-]{0,31}))?$/;

/** An ALB health check path: starts with '/', at most 1,024 printable characters, no spaces. */
export const HEALTH_CHECK_PATH = /^\/[\x21-\x7e]{0,1023}$/;
export const HEALTH_CHECK_PATH_DESCRIBED = "a path starting with '/', at most 1024 characters, without spaces";

/** The monolith's props that no other check covers: names the container sees, the grace period. */
export function checkContainerOptions(scope: IConstruct, props: ContainerOptionsInput): void {
  const key = props.appSecretKeyName;
  checkPattern(scope, 'appSecretKeyName', key, VARIABLE_NAME, 'an environment variable name: a letter or "_", then letters, digits and "_" (at most 255 characters)');
  if (key !== undefined && (key in (props.environment ?? {}) || key in (props.secrets ?? {}))) {
    invalid(scope, 'appSecretKeyName', key, 'a name not also used in `environment` or `secrets`');
  }
  checkPattern(scope, 'user', props.user, USER, 'user, user:group, uid or uid:gid (names of letters, digits, "_", "." and "-", IDs as whole numbers)');
  // ECS: 0 to 2,147,483,647 whole seconds.
  checkWholeSeconds(scope, 'healthCheckGracePeriod', props.healthCheckGracePeriod, { min: 0, max: 2147483647 });
}
