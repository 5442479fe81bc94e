import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ServiceImage } from './service-image';

/**
 * One module of the modular monolith: a name and the public path prefix it owns.
 */
export interface ServiceModule {
  /**
   * The module's name: lowercase letters, digits and hyphens, starting with a letter (at most 30
   * characters). Used for its Cloud Map name and its `MODULE_<NAME>_SRV` variable.
   */
  readonly name: string;
  /**
   * The public path prefix the module owns, as a prefix pattern: `/orders/*` routes `/orders`
   * and everything below it.
   */
  readonly path: string;
}

/**
 * A module split out of the monolith into its own Fargate service behind the same front door, at
 * the same public path (the strangler move).
 */
export interface ModuleSplit {
  /** The name of a declared module. */
  readonly module: string;
  /**
   * The split service's image.
   *
   * @default - the monolith's image
   */
  readonly image?: ServiceImage;
  /**
   * The command the container runs.
   *
   * @default - the image's command
   */
  readonly command?: string[];
  /**
   * CPU units of the split service's task.
   *
   * @default - the monolith's `cpu`
   */
  readonly cpu?: number;
  /**
   * Memory (MiB) of the split service's task.
   *
   * @default - the monolith's `memoryLimitMiB`
   */
  readonly memoryLimitMiB?: number;
  /**
   * The fewest tasks.
   *
   * @default - the monolith's `minTasks`
   */
  readonly minTasks?: number;
  /**
   * The most tasks.
   *
   * @default - the monolith's `maxTasks`
   */
  readonly maxTasks?: number;
  /**
   * The path the ALB health check requests (ALB front doors).
   *
   * @default - the monolith's `healthCheckPath`
   */
  readonly healthCheckPath?: string;
  /**
   * Extra plain settings for this module's container.
   *
   * @default - none beyond the monolith's
   */
  readonly environment?: { [key: string]: string };
  /**
   * Extra secrets for this module's container.
   *
   * @default - none beyond the monolith's
   */
  readonly secrets?: { [key: string]: ecs.Secret };
}
