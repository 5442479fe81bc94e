import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { createDrService } from './private/compute';
import { createStandbyFrontDoor } from './private/front-door';
import { checkImageTag } from './private/validate';
import { IMonolithService } from '../core/contracts';
import { Profile } from '../core/profile';
import { resolveProfile } from '../private/profile';
import { checkRequired, LeanStackValidationError } from '../private/validate';

/** How the standby reaches its database (the replica, which keeps its endpoint once promoted). */
export interface StandbyDatabaseConnection {
  /** The database host, given to the container as `PGHOST`. */
  readonly host: string;
  /** The database port, given as `PGPORT`. */
  readonly port: number;
  /** The database name, given as `PGDATABASE`. */
  readonly databaseName: string;
  /**
   * The secret in this region whose `username` and `password` become `PGUSER` and `PGPASSWORD`.
   *
   * @default - no credentials are given to the container
   */
  readonly secret?: secretsmanager.ISecret;
}

/** A custom domain for the standby's API in the DR region. */
export interface StandbyDomainOptions {
  /**
   * The domain name the standby API answers to. With failover records it is the record name (the
   * primary API's custom domain name too): API Gateway answers a host name only through a custom
   * domain of that name, in each region.
   */
  readonly domainName: string;
  /**
   * A certificate in the DR region that covers `domainName`.
   *
   * @default - a new certificate, validated through DNS in `hostedZone`
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The public hosted zone in which a new certificate is validated (required without `certificate`).
   *
   * @default - none
   */
  readonly hostedZone?: route53.IHostedZone;
}

/** Properties of a `StandbyService`. */
export interface StandbyServiceProps {
  /** The primary service whose task shape (CPU, memory, architecture, ports) the standby copies. */
  readonly primary: IMonolithService;
  /** The DR region's VPC. The standby runs in its public subnets with public IPs (no NAT). */
  readonly vpc: ec2.IVpc;
  /** The database the standby uses after failover. */
  readonly database: StandbyDatabaseConnection;
  /**
   * The image, for a primary whose image does not come from an ECR repository.
   *
   * @default - the primary's ECR repository, replicated to this region under the same name, at `imageTag`
   */
  readonly image?: ecs.ContainerImage;
  /**
   * The tag the standby runs from the replicated repository (ignored with `image`).
   *
   * @default 'latest'
   */
  readonly imageTag?: string;
  /**
   * Extra environment for the container (the database host, port and name are always set).
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Build a standby front door: an HTTP API with a VPC link and a Cloud Map private DNS namespace,
   * with the primary API's routes, for a primary with an HTTP API front door. It bills nothing
   * idle but the namespace's hosted zone (0.50 USD a month). A primary behind a public ALB gets
   * none (an idle load balancer costs about 16 USD a month): bring your own.
   *
   * @default true
   */
  readonly frontDoor?: boolean;
  /**
   * A custom domain on the standby API.
   *
   * @default - the API's `execute-api` endpoint only
   */
  readonly domain?: StandbyDomainOptions;
  /**
   * The deployment profile (log retention, Container Insights).
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * The pilot light itself: the primary's task definitions (the main service's and each split
 * module's) as Fargate services at zero tasks in the DR region, in public subnets with public IPs
 * (no NAT gateway, no load balancer: nothing runs or bills until the runbook scales them up).
 *
 * @example
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import { IMonolithService, StandbyService } from 'cdk-lean-stack';
 *
 * declare const primary: IMonolithService;
 * declare const vpc: ec2.IVpc;
 *
 * const standby = new StandbyService(this, 'Standby', {
 *   primary,
 *   vpc,
 *   database: { host: 'replica.example.internal', port: 5432, databaseName: 'app' },
 * });
 */
export class StandbyService extends Construct {
  /** The DR cluster. */
  public readonly cluster: ecs.Cluster;
  /** The standby task definition (the primary's shape, the replicated image). */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The standby service, at zero tasks until failover. */
  public readonly service: ecs.FargateService;
  /** The standby containers' log group. */
  public readonly logGroup: logs.LogGroup;
  /** The standby of each split module of the primary (a copy of its task definition), at zero tasks, by module name. */
  public readonly moduleServices: { [module: string]: ecs.FargateService };
  /** The split modules' standby task definitions, by module name. */
  public readonly moduleTaskDefinitions: { [module: string]: ecs.FargateTaskDefinition };
  /** The name of the ECR repository the image comes from, when it is the primary's replicated repository. */
  public readonly repositoryName?: string;
  /** The image tag the standby runs from `repositoryName`. */
  public readonly imageTag: string;
  /** The standby's HTTP API, when a front door is built. */
  public readonly httpApi?: apigwv2.HttpApi;
  /** The standby API's `$default` stage, when a front door is built. */
  public readonly httpApiStage?: apigwv2.HttpStage;
  /** The VPC link from the standby API to the tasks, when a front door is built. */
  public readonly vpcLink?: apigwv2.VpcLink;
  /** The Cloud Map namespace the standby tasks register in, when a front door is built. */
  public readonly namespace?: servicediscovery.PrivateDnsNamespace;
  /** The standby API's custom domain, when `domain` is set. */
  public readonly domainName?: apigwv2.DomainName;
  /** The certificate of the custom domain (given or created), when `domain` is set. */
  public readonly certificate?: acm.ICertificate;
  /** The standby front door's URL (`https://<domain>` or the `execute-api` endpoint), when a front door is built. */
  public readonly url?: string;
  /** The variables the standby sets to other values than the primary: the database endpoint and `environment`. */
  public readonly overriddenVariables: string[];

  constructor(scope: Construct, id: string, props: StandbyServiceProps) {
    super(scope, id);
    const repository = props.primary.imageRepository;
    checkImageTag(this, props.imageTag);
    if (props.domain && !props.domain.certificate) {
      checkRequired(this, 'domain.hostedZone', props.domain.hostedZone, 'when `domain.certificate` is not given (a new certificate is validated in it)');
    }
    this.imageTag = props.imageTag ?? 'latest';
    let image = props.image;
    if (!image) {
      if (!repository) {
        throw new LeanStackValidationError(this, '`image` is required when the primary service image does not come from an ECR repository, got: undefined');
      }
      this.repositoryName = repository.repositoryName;
      image = ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(this, 'ReplicatedRepository', repository.repositoryName), this.imageTag);
    }
    this.overriddenVariables = ['PGHOST', 'PGPORT', 'PGDATABASE', ...Object.keys(props.environment ?? {})];
    const compute = createDrService(this, {
      vpc: props.vpc,
      primary: props.primary,
      image,
      databaseHost: props.database.host,
      databasePort: props.database.port,
      databaseName: props.database.databaseName,
      databaseSecret: props.database.secret,
      environment: props.environment ?? {},
      profile: resolveProfile(this, props.profile, { encryptsOwnLogs: true }),
    });
    this.cluster = compute.cluster;
    this.taskDefinition = compute.taskDefinition;
    this.service = compute.service;
    this.logGroup = compute.logGroup;
    this.moduleServices = {};
    this.moduleTaskDefinitions = {};
    for (const [module, m] of Object.entries(compute.modules)) {
      this.moduleServices[module] = m.service;
      this.moduleTaskDefinitions[module] = m.taskDefinition;
    }

    if (props.primary.httpApi && props.frontDoor !== false) {
      const door = createStandbyFrontDoor(this, {
        primary: props.primary,
        vpc: props.vpc,
        service: this.service,
        container: this.taskDefinition.findContainer(props.primary.containerName) ?? this.taskDefinition.defaultContainer!,
        modules: compute.modules,
        domain: props.domain,
        profile: resolveProfile(this, props.profile, { encryptsOwnLogs: true }),
      });
      this.httpApi = door.api.httpApi;
      this.httpApiStage = door.api.stage;
      this.vpcLink = door.api.vpcLink;
      this.namespace = door.namespace;
      this.domainName = door.api.domainName;
      this.certificate = door.certificate;
      this.url = door.api.url;
    }
  }
}
