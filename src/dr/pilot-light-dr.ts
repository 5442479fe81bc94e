import { Duration, Stack, Stage } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DrDataReplication } from './dr-data-replication';
import { FailoverRecordsOptions, FailoverRouting, PilotLightAcceleratorOptions } from './failover-routing';
import { FailoverRunbook } from './failover-runbook';
import { estimateRecovery, PROMOTION_TIME, SCALE_UP_TIME } from './private/estimate';
import { encryptLogGroups } from './private/logs';
import { createNotificationTopic, createReplicaLagAlarm } from './private/readiness';
import { replicateImages } from './private/replication';
import { apiDomainTarget, defaultHealthCheckDomain, defaultPrimaryTarget, healthPathOf, healthResourcePathOf, standbyDomainOf } from './private/targets';
import { checkDetection, checkHealthCheckDomain, checkHealthPath, checkImageTag, checkRecords, checkRegions } from './private/validate';
import { StandbyDomainOptions, StandbyService } from './standby-service';
import { IMonolithService, IPostgresDatabase } from '../core/contracts';
import { Profile } from '../core/profile';
import { CLI_ROLE, CLI_TAG, tagForCli } from '../private/cli-tags';
import { resolveProfile } from '../private/profile';
import { checkNotBoth, checkRequired, invalid, LeanStackValidationError } from '../private/validate';

/** Properties of a `PilotLightDr`. */
export interface PilotLightDrProps {
  /** The primary service. Its task shape and image are reproduced in the DR region. */
  readonly service: IMonolithService;
  /**
   * The primary database: an RDS PostgreSQL instance (a cross-region read replica is created from
   * it) or an Aurora PostgreSQL cluster (it becomes the writer of a global database whose secondary
   * is headless in the DR region).
   */
  readonly database: IPostgresDatabase;
  /**
   * The stack in the DR region (with `crossRegionReferences: true`).
   *
   * @default - a new Stack with the id and name `<primary stack name>-dr`, in `drRegion`, in the
   * primary stack's account and app (or Stage)
   */
  readonly drStack?: Stack;
  /**
   * The DR region, when the construct creates the DR stack.
   *
   * @default - the region of `drStack`
   */
  readonly drRegion?: string;
  /**
   * Buckets to replicate to the DR region (the site bucket, uploads). Each must be a versioned
   * `s3.Bucket` of this app, encrypted with SSE-S3 or SSE-KMS under a customer managed key.
   * The replica of a `CostConsciousStaticSite`'s bucket also becomes the site's failover origin.
   *
   * @default - no bucket is replicated
   */
  readonly bucketsToReplicate?: s3.IBucket[];
  /**
   * Route 53 failover records with a health check on the primary front door. By default the
   * PRIMARY record aliases the primary API's custom domain and the SECONDARY record the standby
   * API's custom domain, both named `recordName`.
   *
   * @default - no records; the health check is still created and exposed
   */
  readonly failoverRouting?: FailoverRecordsOptions;
  /**
   * Global Accelerator across the two regions' load balancers (ALB front doors only).
   *
   * @default - no accelerator (it costs about 18 USD a month)
   */
  readonly globalAccelerator?: PilotLightAcceleratorOptions;
  /**
   * Route 53 health check interval: 10 or 30 seconds (10 s costs 1 USD a month more).
   *
   * @default Duration.seconds(30)
   */
  readonly healthCheckInterval?: Duration;
  /**
   * Consecutive failed checks before the primary counts as unhealthy (1 to 10).
   *
   * @default 3
   */
  readonly healthCheckFailureThreshold?: number;
  /**
   * The path the health check requests on the primary front door. With an `edgeOnly` primary
   * the check adds the query parameter its health route reads (over HTTPS, as every check here).
   *
   * @default - the primary's `healthCheckPath` (a `ModularMonolithService`), else '/'
   */
  readonly healthCheckPath?: string;
  /**
   * The domain name the health check requests.
   *
   * @default - the primary HTTP API's `execute-api` host, else its load balancer's DNS name, else
   * the host of its `url` (never the failover record, which answers from DR after failover)
   */
  readonly healthCheckDomainName?: string;
  /**
   * The recovery point objective: the replica-lag alarm's threshold.
   *
   * @default Duration.minutes(5)
   */
  readonly recoveryPointObjective?: Duration;
  /**
   * The replica's instance type.
   *
   * @default db.t4g.micro
   */
  readonly replicaInstanceType?: ec2.InstanceType;
  /**
   * The image tag the DR service runs from the replicated repository (not with `drImage`).
   *
   * @default 'latest'
   */
  readonly imageTag?: string;
  /**
   * The DR service's image, for a service whose image does not come from an ECR repository.
   *
   * @default - the primary's repository, replicated to the DR region, at `imageTag`
   */
  readonly drImage?: ecs.ContainerImage;
  /**
   * Create the registry-wide ECR replication configuration (one per account and region: set to
   * false when something else already manages it).
   *
   * @default true
   */
  readonly replicateImages?: boolean;
  /**
   * A custom domain on the standby API (primary with an HTTP API front door).
   *
   * @default - with `failoverRouting` and no `secondaryTarget`, `recordName` with
   * `failoverRouting.drCertificate` or a new DNS-validated certificate; otherwise none
   */
  readonly standbyDomain?: StandbyDomainOptions;
  /**
   * Extra environment for the DR container (the database host, port and name are always set).
   *
   * @default - none
   */
  readonly drEnvironment?: { [key: string]: string };
  /**
   * Tasks the runbook starts on failover.
   *
   * @default - the primary service's desired count, else the profile's `minTasks`
   */
  readonly failoverDesiredCount?: number;
  /**
   * How often the readiness check runs (whole minutes, 5 minutes to 1 day).
   *
   * @default Duration.hours(1)
   */
  readonly readinessInterval?: Duration;
  /**
   * Where alarms and runbook notifications go (a topic in the DR region).
   *
   * @default - a new topic in the DR stack, encrypted with the replica's key
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * The deployment profile.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * A pilot-light second region, composed of `DrDataReplication` (replica, secret, buckets),
 * `StandbyService` (the service at zero tasks), `FailoverRouting` (health check, failover records)
 * and `FailoverRunbook` (runbook with a drill mode, scheduled readiness check), plus ECR image
 * replication and a notification topic.
 *
 * Everything but the image replication lives in the DR stack: `drStack`, or a Stack this
 * construct creates with the id and name `<primary stack name>-dr` in `drRegion`.
 *
 * Its idle cost is what `IdleCostEstimate.ofStack(dr.drStack)` reports.
 *
 * @example
 * import { Duration } from 'aws-cdk-lib';
 * import { PilotLightDr, FailoverTarget, IMonolithService, IPostgresDatabase } from 'cdk-lean-stack';
 * import * as route53 from 'aws-cdk-lib/aws-route53';
 *
 * declare const service: IMonolithService;
 * declare const database: IPostgresDatabase;
 * declare const zone: route53.IHostedZone;
 *
 * const dr = new PilotLightDr(this, 'Dr', {
 *   service: service,
 *   database: database,
 *   drRegion: 'eu-central-1',
 *   healthCheckInterval: Duration.seconds(10),
 *   failoverRouting: {
 *     hostedZone: zone,
 *     recordName: 'app.example.com',
 *     secondaryTarget: FailoverTarget.fromDomainName('dr.app.example.com'),
 *   },
 * });
 */
export class PilotLightDr extends Construct {
  /** The stack in the DR region. */
  public readonly drStack: Stack;
  /** The profile in use. */
  public readonly profile: Profile;
  /** The replicated data: replica, its key, the DR network, the replica secret and buckets. */
  public readonly data: DrDataReplication;
  /** The standby service at zero tasks. */
  public readonly standby: StandbyService;
  /** The health check and failover records. */
  public readonly routing: FailoverRouting;
  /** The failover runbook and the readiness check. */
  public readonly runbook: FailoverRunbook;
  /** Alarms when the replica lag exceeds the recovery point objective. */
  public readonly replicaLagAlarm: cloudwatch.Alarm;
  /** Where alarms and notifications go. */
  public readonly notificationTopic: sns.ITopic;
  /** The registry-wide ECR replication configuration, when created. */
  public readonly imageReplication?: ecr.CfnReplicationConfiguration;
  /** The recovery point objective: the replica-lag alarm's threshold. */
  public readonly recoveryPointObjective: Duration;
  /** Time for Route 53 to see the primary fail: interval x failure threshold. */
  public readonly detectionTime: Duration;
  /** The assumed time to promote the replica: RDS states minutes, and 10 is the upper figure used. */
  public readonly promotionTime: Duration;
  /** The assumed time for the DR tasks to pull the image and pass health checks. */
  public readonly scaleUpTime: Duration;
  /** Detection + promotion + scale-up + DNS TTL (when records are created). */
  public readonly estimatedRecoveryTime: Duration;

  constructor(scope: Construct, id: string, props: PilotLightDrProps) {
    super(scope, id);
    const profile = this.profile = resolveProfile(this, props.profile, { encryptsOwnLogs: true });
    const primaryStack = Stack.of(this);
    const drRegion = this.checkProps(props, primaryStack);
    this.recoveryPointObjective = props.recoveryPointObjective ?? Duration.minutes(5);

    this.drStack = props.drStack ?? new Stack(Stage.of(this) ?? this.node.root, `${primaryStack.stackName}-dr`, {
      env: { account: primaryStack.account, region: drRegion },
      crossRegionReferences: true,
    });
    // The parts nest through children named 'Default', which CDK leaves out of logical IDs: every
    // resource keeps the ID it had before PilotLightDr was split (a new ID would replace the replica).
    this.data = new DrDataReplication(this.drStack, `${id}DrRegion`, {
      database: props.database, replicaInstanceType: props.replicaInstanceType, bucketsToReplicate: props.bucketsToReplicate, profile,
    });
    const repository = props.service.imageRepository;
    if (repository && props.replicateImages !== false) this.imageReplication = replicateImages(this, [repository], drRegion);
    this.standby = new StandbyService(this.data, 'Default', {
      primary: props.service,
      vpc: this.data.network.vpc,
      database: {
        host: this.data.endpointAddress, port: this.data.port, databaseName: this.data.databaseName, secret: this.data.replicaSecret,
      },
      image: props.drImage,
      imageTag: props.imageTag,
      domain: standbyDomainOf(props.service, props.standbyDomain, props.failoverRouting),
      environment: props.drEnvironment,
      profile,
    });
    for (const service of [this.standby.service, ...Object.values(this.standby.moduleServices)]) this.data.allowFrom(service);

    const alerts = new Construct(this.standby, 'Default');
    this.notificationTopic = props.notificationTopic ?? createNotificationTopic(alerts, this.data.replicaKey);
    this.replicaLagAlarm = createReplicaLagAlarm(alerts, this.data.metricReplicaLag(), this.recoveryPointObjective, this.notificationTopic);
    const records = props.failoverRouting;
    const secondaryTarget = records?.secondaryTarget ?? (this.standby.domainName ? apiDomainTarget(this.standby.domainName) : undefined);
    this.routing = new FailoverRouting(alerts, 'Default', {
      healthCheckDomainName: props.healthCheckDomainName ?? defaultHealthCheckDomain(props.service),
      healthCheckPath: healthResourcePathOf(props.service, props.healthCheckPath),
      healthCheckInterval: props.healthCheckInterval,
      healthCheckFailureThreshold: props.healthCheckFailureThreshold,
      records: records ? {
        ...records,
        primaryTarget: records.primaryTarget ?? defaultPrimaryTarget(this, props.service, records.recordName),
        secondaryTarget,
      } : undefined,
      accelerator: props.globalAccelerator && props.service.loadBalancer
        ? { primaryLoadBalancer: props.service.loadBalancer, drLoadBalancer: props.globalAccelerator.drLoadBalancer }
        : undefined,
    });
    this.runbook = new FailoverRunbook(this.routing, 'Default', {
      name: this.node.path,
      primary: props.service,
      data: this.data,
      standby: this.standby,
      replicaLagAlarm: this.replicaLagAlarm,
      notificationTopic: this.notificationTopic,
      failoverDesiredCount: props.failoverDesiredCount,
      recoveryPointObjective: this.recoveryPointObjective,
      readinessInterval: props.readinessInterval,
      profile,
    });

    this.detectionTime = this.routing.detectionTime;
    this.promotionTime = PROMOTION_TIME;
    this.scaleUpTime = SCALE_UP_TIME;
    this.estimatedRecoveryTime = estimateRecovery(this.detectionTime, this.routing.recordTtl);
    // every DR log group under the DR key: ours, and the helper log group our DR network made (in a DR stack of our own, all)
    const vpcHelper = this.drStack.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    encryptLogGroups(this.data.replicaKey, props.drStack ? [this.data, ...(vpcHelper ? [vpcHelper] : [])] : [this.drStack]);
    this.tagForCli();
  }

  /** `npx cdk-lean-stack drill` and `status` find these through their tags, and print the measured times beside the stated ones. */
  private tagForCli(): void {
    tagForCli(this.runbook.stateMachine, CLI_ROLE.drRunbook, {
      [CLI_TAG.statedRecoverySeconds]: String(this.estimatedRecoveryTime.toSeconds()),
      [CLI_TAG.statedScaleUpSeconds]: String(this.scaleUpTime.toSeconds()),
    });
    if (this.data.replica) tagForCli(this.data.replica, CLI_ROLE.databaseReplica);
    tagForCli(this.standby.service, CLI_ROLE.drService);
  }

  /** Rejects props that cannot work together, before any resource exists. Returns the DR region. */
  private checkProps(props: PilotLightDrProps, primaryStack: Stack): string {
    checkNotBoth(this, 'drStack', props.drStack, 'drRegion', props.drRegion);
    const drRegion = props.drStack?.region ?? props.drRegion;
    if (drRegion === undefined) {
      throw new LeanStackValidationError(this, '`drRegion` is required when `drStack` is not given, got: undefined');
    }
    checkRegions(this, primaryStack.region, drRegion);
    checkDetection(this, {
      interval: props.healthCheckInterval ?? Duration.seconds(30),
      failureThreshold: props.healthCheckFailureThreshold ?? 3,
      recoveryPointObjective: props.recoveryPointObjective ?? Duration.minutes(5),
      readinessInterval: props.readinessInterval ?? Duration.hours(1),
    });
    checkHealthPath(this, healthPathOf(props.service, props.healthCheckPath));
    checkHealthCheckDomain(this, props.healthCheckDomainName);
    checkImageTag(this, props.imageTag);
    // the tag selects an image of the replicated repository; with `drImage` it would be silently ignored
    checkNotBoth(this, 'drImage', props.drImage, 'imageTag', props.imageTag);
    const records = props.failoverRouting;
    if (records) {
      checkRequired(this, 'failoverRouting.secondaryTarget', records.secondaryTarget ?? props.service.httpApi,
        'when the primary has no HTTP API front door (no standby front door is built for it)');
      checkRecords(this, 'failoverRouting', {
        recordName: records.recordName,
        zoneName: records.hostedZone.zoneName,
        primaryDomain: (records.primaryTarget ?? defaultPrimaryTarget(this, props.service, records.recordName)).domainName,
        secondaryDomain: records.secondaryTarget?.domainName,
      });
    }
    if (props.globalAccelerator && !props.service.loadBalancer) {
      invalid(this, 'globalAccelerator', 'a service without a load balancer',
        'used only with an ALB front door (Global Accelerator endpoints are load balancers, not HTTP APIs or CloudFront)');
    }
    checkRequired(this, 'drImage', props.drImage ?? props.service.imageRepository, 'when the service image does not come from an ECR repository');
    return drRegion;
  }
}
