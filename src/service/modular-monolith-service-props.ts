import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { FrontDoor } from './front-door';
import { ServiceCacheOptions } from './service-cache';
import { ServiceImage } from './service-image';
import { ModuleSplit, ServiceModule } from './service-module';
import { ServiceQueueOptions } from './service-queue';
import { INetwork, IPostgresDatabase } from '../core/contracts';
import { Profile } from '../core/profile';

/** Props of a `ModularMonolithService`. */
export interface ModularMonolithServiceProps {
  /** The container image. */
  readonly image: ServiceImage;
  /**
   * The network (its VPC and what it knows of egress). Give this or `vpc`.
   *
   * @default - `vpc`
   */
  readonly network?: INetwork;
  /**
   * The VPC, when you have no `Network`. Private subnets with egress count as NAT.
   *
   * @default - the network's VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * An existing ECS cluster (in the same VPC).
   *
   * @default - a new cluster (clusters cost nothing)
   */
  readonly cluster?: ecs.ICluster;
  /**
   * The deployment profile.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * How requests reach the service.
   *
   * @default FrontDoor.httpApiCloudMap()
   */
  readonly frontDoor?: FrontDoor;
  /**
   * The monolith's modules and the public path prefixes they own.
   *
   * @default - none: every path goes to the one service
   */
  readonly modules?: ServiceModule[];
  /**
   * Modules split into their own Fargate services, behind the same front door at the same path.
   *
   * @default - none
   */
  readonly splitModules?: ModuleSplit[];
  /**
   * A PostgreSQL database: the service is admitted to it and gets `PGHOST`, `PGPORT`,
   * `PGDATABASE`, `PGUSER` and `PGPASSWORD` as ECS secrets from its credentials secret.
   *
   * @default - no database
   */
  readonly database?: IPostgresDatabase;
  /**
   * CPU units (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.
   *
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Memory in MiB, one Fargate allows for `cpu`.
   *
   * @default 512
   */
  readonly memoryLimitMiB?: number;
  /**
   * The CPU architecture.
   *
   * @default - ARM64 (about 20% cheaper); X86_64 when `spot` is true
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
   * Plain, non-secret settings. Put secrets in `secrets`.
   *
   * @default - only `PORT` and the settings of the attachments
   */
  readonly environment?: { [key: string]: string };
  /**
   * Secrets and parameters from Secrets Manager or SSM Parameter Store, injected as ECS secrets.
   *
   * @default - none
   */
  readonly secrets?: { [key: string]: ecs.Secret };
  /**
   * Generates a random application secret key in Secrets Manager (0.40 USD a month) and injects
   * it under this variable name, e.g. `FLASK_SECRET_KEY`.
   *
   * @default - no secret key is generated
   */
  readonly appSecretKeyName?: string;
  /**
   * The user the application runs as (`uid`, `uid:gid` or a name the image knows).
   *
   * @default '1000:1000' - a non-root user; set `root` only if the image cannot run otherwise
   */
  readonly user?: string;
  /**
   * Mounts the root filesystem read-only (a writable `/tmp` is mounted).
   *
   * @default false
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * How long a stopping task gets to finish requests before it is killed (2 to 120 seconds).
   *
   * @default Duration.seconds(30)
   */
  readonly stopTimeout?: Duration;
  /**
   * How long after start the ALB health checks are ignored (ALB front doors).
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;
  /**
   * The path the ALB health check requests (ALB front doors).
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * A container health check (the image must have the command it runs).
   *
   * @default - none
   */
  readonly containerHealthCheck?: ecs.HealthCheck;
  /**
   * The fewest tasks.
   *
   * @default - the profile's `minTasks`
   */
  readonly minTasks?: number;
  /**
   * The most tasks.
   *
   * @default - the profile's `maxTasks`
   */
  readonly maxTasks?: number;
  /**
   * The average CPU utilization autoscaling keeps.
   *
   * @default 70
   */
  readonly cpuTargetPercent?: number;
  /**
   * The average memory utilization autoscaling keeps.
   *
   * @default 80
   */
  readonly memoryTargetPercent?: number;
  /**
   * Requests per minute per task autoscaling keeps (ALB front doors).
   *
   * @default 1000
   */
  readonly requestsPerTarget?: number;
  /**
   * Runs tasks on Fargate Spot, x86_64 only, for up to 70% off. AWS may stop a task with two
   * minutes' notice. Allowed only when the profile allows Spot.
   *
   * @default - true when the profile allows Spot (development) and `architecture` is not ARM64;
   * false otherwise
   */
  readonly spot?: boolean;
  /**
   * Turns on ECS Exec (a shell into running tasks, audited in CloudTrail).
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * Adds an AWS Distro for OpenTelemetry collector sidecar that exports traces to X-Ray. The
   * application sends OTLP to `OTEL_EXPORTER_OTLP_ENDPOINT`.
   *
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * The collector image, when `tracing` is true.
   *
   * @default - the AWS Distro for OpenTelemetry collector, pinned
   */
  readonly tracingCollectorImage?: ecs.ContainerImage;
  /**
   * How long application logs are kept.
   *
   * @default - the profile's log retention
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * A serverless cache (Valkey or Redis). The container gets `CACHE_HOST`, `CACHE_PORT`.
   *
   * @default - no cache
   */
  readonly cache?: ServiceCacheOptions;
  /**
   * An SQS queue with a dead-letter queue. The container gets `QUEUE_URL` and may send and consume.
   *
   * @default - no queue
   */
  readonly queue?: ServiceQueueOptions;
  /**
   * Where tasks run.
   *
   * @default - private subnets with egress when there is NAT (always for the public ALB);
   * otherwise public subnets with a public IP
   */
  readonly taskSubnets?: ec2.SubnetSelection;
  /**
   * Gives tasks a public IPv4 address (3.65 USD a month each).
   *
   * @default - true only when tasks run in public subnets
   */
  readonly assignPublicIp?: boolean;
  /**
   * An existing Cloud Map private DNS namespace.
   *
   * @default - a new namespace, when the Cloud Map front door or a split module needs one
   */
  readonly namespace?: servicediscovery.IPrivateDnsNamespace;
  /**
   * The name of the new Cloud Map namespace.
   *
   * @default - a unique name ending in `.internal`
   */
  readonly namespaceName?: string;
  /**
   * A bucket for load balancer access logs.
   *
   * @default - a new bucket when the profile keeps access logs
   */
  readonly accessLogsBucket?: s3.IBucket;
}
