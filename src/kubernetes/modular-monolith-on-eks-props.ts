import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LeanEksCluster } from './lean-eks-cluster';
import { INetwork, IPostgresDatabase } from '../core/contracts';
import { Profile } from '../core/profile';
import { FrontDoor } from '../service/front-door';
import { ServiceCacheOptions } from '../service/service-cache';
import { ServiceImage } from '../service/service-image';
import { ServiceModule } from '../service/service-module';
import { ServiceQueueOptions } from '../service/service-queue';

/** Props of a `ModularMonolithOnEks`. */
export interface ModularMonolithOnEksProps {
  /** The container image: the same `ServiceImage` a `ModularMonolithService` takes. */
  readonly image: ServiceImage;
  /**
   * An existing cluster to run on (several workloads can share one control plane).
   *
   * @default - a new `LeanEksCluster` from `network` or `vpc` and `kubectlLayer`
   */
  readonly cluster?: LeanEksCluster;
  /**
   * The network for a new cluster (it needs NAT egress). Give this or `vpc` without `cluster`.
   *
   * @default - `vpc`
   */
  readonly network?: INetwork;
  /**
   * The VPC for a new cluster, when you have no `Network`.
   *
   * @default - the network's VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The kubectl layer for a new cluster, e.g. `new KubectlV35Layer(this, 'Kubectl')` from
   * `@aws-cdk/lambda-layer-kubectl-v35`. Required without `cluster`.
   *
   * @default - none: required when no `cluster` is given
   */
  readonly kubectlLayer?: lambda.ILayerVersion;
  /**
   * The deployment profile.
   *
   * @default - the cluster's profile, else Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * The workload's name: its Deployment, Service and Kubernetes namespace (a DNS label of at most
   * 40 characters).
   *
   * @default 'monolith'
   */
  readonly name?: string;
  /**
   * How requests reach the service. On EKS only `FrontDoor.publicAlb(...)` applies: Auto Mode
   * provisions the ALB from an Ingress.
   *
   * @default - no front door: the Service is reachable inside the cluster only
   */
  readonly frontDoor?: FrontDoor;
  /**
   * The monolith's modules and the public path prefixes they own (routed by the ALB, and given
   * to the container as `MODULE_<NAME>_URL`).
   *
   * @default - none
   */
  readonly modules?: ServiceModule[];
  /**
   * A PostgreSQL database: the pods are admitted to it, get `PGHOST`, `PGPORT`, `PGDATABASE`
   * and `DATABASE_SECRET_ARN`, and their pod role may read the secret (and nothing else of it).
   *
   * @default - no database
   */
  readonly database?: IPostgresDatabase;
  /**
   * The command that migrates the schema. When set, a Kubernetes Job runs it with the same image
   * and must succeed before the Deployment rolls out a new revision.
   *
   * @default - no migrations
   */
  readonly migrationCommand?: string[];
  /**
   * How long the migration Job may run before the deployment fails.
   *
   * @default Duration.minutes(10)
   */
  readonly migrationTimeout?: Duration;
  /**
   * CPU each pod requests (and is limited to), in millicores (1000 = 1 vCPU).
   *
   * @default 250
   */
  readonly cpuMillis?: number;
  /**
   * Memory each pod requests (and is limited to), in MiB.
   *
   * @default 512
   */
  readonly memoryMiB?: number;
  /**
   * The CPU architecture of the image.
   *
   * @default ecs.CpuArchitecture.ARM64 - Graviton nodes, about 20% cheaper
   */
  readonly architecture?: ecs.CpuArchitecture;
  /**
   * The port the application listens on (also given to it as `PORT`).
   *
   * @default 8080
   */
  readonly containerPort?: number;
  /**
   * The application container's name.
   *
   * @default 'app'
   */
  readonly containerName?: string;
  /**
   * The command the container runs.
   *
   * @default - the image's command
   */
  readonly command?: string[];
  /**
   * Plain, non-secret settings.
   *
   * @default - only `PORT` and the settings of the attachments
   */
  readonly environment?: { [key: string]: string };
  /**
   * The numeric user and group id the containers run as (never 0).
   *
   * @default 1000
   */
  readonly user?: number;
  /**
   * The path readiness, liveness and ALB health checks request.
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * The fewest pods.
   *
   * @default - the profile's `minTasks`
   */
  readonly minReplicas?: number;
  /**
   * The most pods.
   *
   * @default - the profile's `maxTasks`
   */
  readonly maxReplicas?: number;
  /**
   * The average CPU utilization (of the request) the HorizontalPodAutoscaler keeps.
   *
   * @default 70
   */
  readonly cpuTargetPercent?: number;
  /**
   * The average memory utilization (of the request) the HorizontalPodAutoscaler keeps.
   *
   * @default 80
   */
  readonly memoryTargetPercent?: number;
  /**
   * A serverless cache. The container gets `CACHE_HOST` and `CACHE_PORT`.
   *
   * @default - no cache
   */
  readonly cache?: ServiceCacheOptions;
  /**
   * An SQS queue with a dead-letter queue. The pod role may send and consume.
   *
   * @default - no queue
   */
  readonly queue?: ServiceQueueOptions;
}
