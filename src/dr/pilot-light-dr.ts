import { Annotations, Duration, Fn, Stack, Stage, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FailoverRoutingOptions, FailoverTarget, PilotLightAcceleratorOptions } from './failover-routing';
import { IMonolithService, IPostgresDatabase } from '../core/contracts';
import { Profile } from '../core/profile';
import { Network } from '../network/network';
import { CLI_ROLE, CLI_TAG, tagForCli } from '../private/cli-tags';
import { createDrNetwork, createDrService } from '../private/dr-compute';
import { estimateRecovery, PROMOTION_TIME, SCALE_UP_TIME } from '../private/dr-estimate';
import { createNotificationTopic, createReadinessCheck, createReplicaLagAlarm } from '../private/dr-readiness';
import { createDatabaseReplica, createReplicaKey, replicaSecretArn, replicateBucket, replicateImages } from '../private/dr-replication';
import { createAccelerator, createFailoverRecords, createPrimaryHealthCheck } from '../private/dr-routing';
import { createRunbook } from '../private/dr-runbook';
import { checkDatabase, checkDetection, checkRegions, checkReplicableBucket } from '../private/dr-validate';
import { acknowledge } from '../private/nag';
import { checkNotBoth, checkRange, checkRequired, invalid, LeanStackValidationError } from '../private/validate';

/** Properties of a `PilotLightDr`. */
export interface PilotLightDrProps {
  /** The primary service; its task shape and image are reproduced in the DR region. */
  readonly service: IMonolithService;
  /** The primary database (RDS PostgreSQL); a cross-region read replica is created from it. */
  readonly database: IPostgresDatabase;
  /**
   * The stack in the DR region (with `crossRegionReferences: true`).
   *
   * @default - a stack named `<primary stack name>-dr` is created in `drRegion` in the same app
   */
  readonly drStack?: Stack;
  /**
   * The DR region, when the construct creates the DR stack.
   *
   * @default - the region of `drStack`
   */
  readonly drRegion?: string;
  /**
   * Buckets to replicate to the DR region (the site bucket, uploads). Each must be a versioned,
   * S3-encrypted `s3.Bucket` of this app.
   *
   * @default - no bucket is replicated
   */
  readonly bucketsToReplicate?: s3.IBucket[];
  /**
   * Route 53 failover records with a health check on the primary front door.
   *
   * @default - no records; the health check is still created and exposed
   */
  readonly failoverRouting?: FailoverRoutingOptions;
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
   * The path the health check requests on the primary front door.
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * The domain name the health check requests.
   *
   * @default - the host of the primary service's `url`
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
   * The image tag the DR service runs from the replicated repository.
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
 * A pilot-light second region: a cross-region database replica, replicated buckets, secrets and
 * images, the service at zero tasks, Route 53 failover, a failover runbook with a drill mode and a
 * scheduled readiness check.
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
  /** The cross-region read replica (promoted by the runbook). */
  public readonly replica: rds.CfnDBInstance;
  /** The KMS key encrypting the replica and the notification topic in the DR region. */
  public readonly replicaKey: kms.Key;
  /** The DR network (public and isolated subnets, no NAT). */
  public readonly drVpc: ec2.IVpc;
  /** The DR region's network (no egress: nothing billed while idle). */
  public readonly drNetwork: Network;
  /** The DR cluster. */
  public readonly drCluster: ecs.Cluster;
  /** The DR task definition (the primary's shape, the replicated image). */
  public readonly drTaskDefinition: ecs.FargateTaskDefinition;
  /** The DR service, at zero tasks until failover. */
  public readonly drService: ecs.FargateService;
  /** The health check on the primary front door. */
  public readonly healthCheck: route53.HealthCheck;
  /** The PRIMARY failover record, when `failoverRouting` is set. */
  public readonly primaryRecord?: route53.RecordSet;
  /** The SECONDARY failover record, when `failoverRouting` is set. */
  public readonly secondaryRecord?: route53.RecordSet;
  /** The accelerator, when `globalAccelerator` is set. */
  public readonly accelerator?: ga.Accelerator;
  /** The failover runbook; start it with `{"mode":"FAILOVER"}`, or with `{"mode":"DRILL"}` to rehearse. */
  public readonly runbook: sfn.StateMachine;
  /** The scheduled readiness check. */
  public readonly readinessCheck: lambda.Function;
  /** Alarms when the DR region is not ready. */
  public readonly readinessAlarm: cloudwatch.Alarm;
  /** Alarms when the replica lag exceeds the recovery point objective. */
  public readonly replicaLagAlarm: cloudwatch.Alarm;
  /** Where alarms and notifications go. */
  public readonly notificationTopic: sns.ITopic;
  /** The replica buckets in the DR region, in the order of `bucketsToReplicate`. */
  public readonly replicaBuckets: s3.Bucket[];
  /** The registry-wide ECR replication configuration, when created. */
  public readonly imageReplication?: ecr.CfnReplicationConfiguration;
  /** The recovery point objective: the replica-lag alarm's threshold. */
  public readonly recoveryPointObjective: Duration;
  /** Time for Route 53 to see the primary fail: interval x failure threshold. */
  public readonly detectionTime: Duration;
  /** The assumed time to promote the replica (RDS states minutes; 10 is the upper figure used). */
  public readonly promotionTime: Duration;
  /** The assumed time for the DR tasks to pull the image and pass health checks. */
  public readonly scaleUpTime: Duration;
  /** Detection + promotion + scale-up + DNS TTL (when records are created). */
  public readonly estimatedRecoveryTime: Duration;
  /** The fixed monthly cost items this construct creates while idle. */
  public readonly idleCostItems: string[];

  constructor(scope: Construct, id: string, props: PilotLightDrProps) {
    super(scope, id);
    this.profile = Profile.resolve(props.profile);
    this.profile.validate(this);
    const primaryStack = Stack.of(this);
    checkNotBoth(this, 'drStack', props.drStack, 'drRegion', props.drRegion);
    checkRequired(this, 'drRegion', props.drStack ?? props.drRegion, 'when `drStack` is not given');
    const drRegion = props.drStack?.region ?? props.drRegion!;
    checkRegions(this, primaryStack.region, drRegion);
    checkDatabase(this, props.database);
    (props.bucketsToReplicate ?? []).forEach((b, i) => checkReplicableBucket(this, i, b));
    const interval = props.healthCheckInterval ?? Duration.seconds(30);
    const failureThreshold = props.healthCheckFailureThreshold ?? 3;
    this.recoveryPointObjective = props.recoveryPointObjective ?? Duration.minutes(5);
    const readinessInterval = props.readinessInterval ?? Duration.hours(1);
    checkDetection(this, { interval, failureThreshold, recoveryPointObjective: this.recoveryPointObjective, readinessInterval });
    if (props.failoverRouting) {
      checkRequired(this, 'failoverRouting.hostedZone', props.failoverRouting.hostedZone, 'for failover records');
    }
    if (props.globalAccelerator && !props.service.loadBalancer) {
      invalid(this, 'globalAccelerator', 'a service without a load balancer',
        'used only with an ALB front door (Global Accelerator endpoints are load balancers, not HTTP APIs or CloudFront)');
    }
    const repository = props.service.imageRepository;
    if (!repository && !props.drImage) {
      throw new LeanStackValidationError(this, '`drImage` is required when the service image does not come from an ECR repository, got: undefined');
    }
    const desiredCount = props.failoverDesiredCount ?? primaryDesiredCount(props.service) ?? this.profile.minTasks;
    checkRange(this, 'failoverDesiredCount', desiredCount, { min: 1, integer: true });

    this.drStack = props.drStack ?? new Stack(Stage.of(this) ?? this.node.root, `${primaryStack.stackName}-dr`, {
      env: { account: primaryStack.account, region: drRegion },
      crossRegionReferences: true,
    });
    const dr = new Construct(this.drStack, `${id}DrRegion`);
    const idle: string[] = [];

    // Data: replica, secret, images, buckets
    this.replicaKey = createReplicaKey(dr, this.profile);
    this.drNetwork = createDrNetwork(dr, this.profile);
    this.drVpc = this.drNetwork.vpc;
    const replicaType = props.replicaInstanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO);
    const { replica, securityGroup: replicaSg } = createDatabaseReplica(dr, {
      sourceInstance: props.database.instance!,
      primaryRegion: primaryStack.region,
      vpc: this.drVpc,
      key: this.replicaKey,
      instanceType: replicaType,
      port: props.database.port,
      profile: this.profile,
    });
    this.replica = replica;
    idle.push(`RDS db.${replicaType.toString()} replica, single AZ, and its storage`, 'KMS customer managed key (1 USD)');

    let drSecret: secretsmanager.ISecret | undefined;
    let drSecretArn: string | undefined;
    const concreteSecret = concreteSecretOf(props.database);
    if (concreteSecret) {
      concreteSecret.addReplicaRegion(drRegion);
      drSecretArn = replicaSecretArn(concreteSecret.secretArn, drRegion);
      drSecret = secretsmanager.Secret.fromSecretCompleteArn(dr, 'ReplicaSecret', drSecretArn);
      idle.push('Secrets Manager replica secret (0.40 USD)');
    } else {
      Annotations.of(this).addWarningV2('cdk-lean-stack:pilotLightDrSecretNotReplicated',
        `The database secret ${props.database.secret.node.path} is not a Secret defined in this app, so it cannot be replicated here: `
        + `replicate it to ${drRegion} yourself; the DR service gets no database credentials from PilotLightDr.`);
    }
    if (repository && props.replicateImages !== false) {
      this.imageReplication = replicateImages(this, [repository], drRegion);
      idle.push('ECR replica image storage (0.10 USD per GB)');
    }
    this.replicaBuckets = (props.bucketsToReplicate ?? []).map((bucket, i) => {
      acknowledge(bucket, {
        ids: ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
        reason: `Replicated to ${drRegion} by PilotLightDr (the rule is written by a custom resource in the DR stack).`,
      });
      return replicateBucket(dr, `Bucket${i}`, bucket, primaryStack.region, this.profile).destination;
    });
    if (this.replicaBuckets.length > 0) idle.push('S3 replica storage and replication requests');

    // Compute: the pilot light
    const image = props.drImage ?? ecs.ContainerImage.fromEcrRepository(
      ecr.Repository.fromRepositoryName(dr, 'ReplicatedRepository', repository!.repositoryName), props.imageTag ?? 'latest');
    const compute = createDrService(dr, {
      vpc: this.drVpc,
      primary: props.service,
      image,
      databaseHost: replica.attrEndpointAddress,
      databasePort: props.database.port,
      databaseName: props.database.databaseName,
      databaseSecret: drSecret,
      environment: props.drEnvironment ?? {},
      profile: this.profile,
    });
    this.drCluster = compute.cluster;
    this.drTaskDefinition = compute.taskDefinition;
    this.drService = compute.service;
    replicaSg.addIngressRule(compute.service.connections.securityGroups[0], ec2.Port.tcp(props.database.port), 'DR service to replica');

    // Notifications
    this.notificationTopic = props.notificationTopic ?? createNotificationTopic(dr, this.replicaKey);
    this.replicaLagAlarm = createReplicaLagAlarm(dr, replica, this.recoveryPointObjective, this.notificationTopic);

    // Routing
    const domainName = props.healthCheckDomainName ?? hostOf(props.service.url);
    this.healthCheck = createPrimaryHealthCheck(dr, { domainName, path: props.healthCheckPath ?? '/', interval, failureThreshold });
    idle.push(`Route 53 HTTPS health check${interval.toSeconds() === 10 ? ' at 10 s' : ''} (${interval.toSeconds() === 10 ? '2.50' : '1.50'} USD)`);
    const routing = props.failoverRouting;
    if (routing) {
      const records = createFailoverRecords(dr, {
        zone: routing.hostedZone!,
        recordName: routing.recordName,
        primary: routing.primaryTarget ?? FailoverTarget.fromDomainName(domainName),
        secondary: routing.secondaryTarget,
        healthCheck: this.healthCheck,
        ttl: routing.ttl ?? Duration.seconds(60),
      });
      this.primaryRecord = records.primary;
      this.secondaryRecord = records.secondary;
    }
    if (props.globalAccelerator) {
      this.accelerator = createAccelerator(dr, {
        primaryLoadBalancer: props.service.loadBalancer!,
        drLoadBalancer: props.globalAccelerator.drLoadBalancer,
        primaryRegion: primaryStack.region,
        drRegion,
      });
      idle.push('Global Accelerator (18.25 USD plus data transfer premium)');
    }

    // Runbook and readiness
    this.runbook = createRunbook(dr, {
      replica,
      service: compute.service,
      cluster: compute.cluster,
      failoverDesiredCount: desiredCount,
      replicaSecretArn: drSecretArn,
      replicaLagAlarm: this.replicaLagAlarm,
      topic: this.notificationTopic,
      backupRetentionDays: this.profile.backupRetention.toDays(),
      profile: this.profile,
    });
    const readiness = createReadinessCheck(dr, {
      name: this.node.path,
      replica,
      rpo: this.recoveryPointObjective,
      repositoryName: repository ? repository.repositoryName : 'none',
      imageTag: props.imageTag ?? 'latest',
      primaryRegion: primaryStack.region,
      primaryService: props.service.service,
      primaryClusterName: props.service.cluster.clusterName,
      drTaskDefinition: compute.taskDefinition,
      containerName: props.service.containerName,
      schedule: readinessInterval,
      topic: this.notificationTopic,
      profile: this.profile,
    });
    this.readinessCheck = readiness.function;
    this.readinessAlarm = readiness.alarm;
    idle.push('CloudWatch alarms x2 and one custom metric (0.50 USD)');

    // Numbers the user can trust
    const estimate = estimateRecovery(interval, failureThreshold, routing ? routing.ttl ?? Duration.seconds(60) : undefined);
    this.detectionTime = estimate.detection;
    this.promotionTime = PROMOTION_TIME;
    this.scaleUpTime = SCALE_UP_TIME;
    this.estimatedRecoveryTime = estimate.total;
    // `npx cdk-lean-stack drill` and `status` find these through their tags, and print the measured times beside the stated ones.
    tagForCli(this.runbook, CLI_ROLE.drRunbook, {
      [CLI_TAG.statedRecoverySeconds]: String(this.estimatedRecoveryTime.toSeconds()),
      [CLI_TAG.statedScaleUpSeconds]: String(this.scaleUpTime.toSeconds()),
    });
    tagForCli(replica, CLI_ROLE.databaseReplica);
    tagForCli(this.drService, CLI_ROLE.drService);
    this.idleCostItems = idle;
  }
}

/**
 * The database's secret as a concrete Secret, which can be replicated: the secret itself, or, when
 * it is an attachment (`secret.attach(instance)`), the secret it was attached from, which is the
 * attachment's parent in the construct tree.
 */
function concreteSecretOf(database: IPostgresDatabase): secretsmanager.Secret | undefined {
  if (database.secret instanceof secretsmanager.Secret) return database.secret;
  if (database.secret instanceof secretsmanager.SecretTargetAttachment) {
    const parent = database.secret.node.scope;
    return parent instanceof secretsmanager.Secret ? parent : undefined;
  }
  return undefined;
}

/** The primary service's desired count, when it is a plain number. */
function primaryDesiredCount(service: IMonolithService): number | undefined {
  const count = (service.service.node.defaultChild as ecs.CfnService).desiredCount;
  return typeof count === 'number' && !Token.isUnresolved(count) ? count : undefined;
}

/** The host of a URL, at synth for a plain string, in CloudFormation for a token. */
function hostOf(url: string): string {
  if (!Token.isUnresolved(url)) return new URL(url).host;
  return Fn.select(2, Fn.split('/', url));
}
