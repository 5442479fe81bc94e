import { Annotations, Fn, Names } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { FrontDoor, FrontDoorKind } from './front-door';
import { ModularMonolithServiceProps } from './modular-monolith-service-props';
import { ServiceCache } from './service-cache';
import { ServiceQueue } from './service-queue';
import { IMonolithService } from '../core/contracts';
import { Profile } from '../core/profile';
import { CLI_ROLE, CLI_TAG, tagForCli } from '../private/cli-tags';
import { NAG, acknowledge } from '../private/nag';
import { LOG_GROUP_KMS_REASON } from './private/alb';
import { buildFrontDoor } from './private/front-door-wiring';
import { MAIN_SERVICE_NAME, ResolvedModule, moduleId, moduleVariable, resolveModules } from './private/modules';
import { RunningService, SharedRuntime } from './private/running-service';
import { MonolithSettings, resolveSettings } from './private/settings';
import { resolveProfile } from '../private/profile';

/** What every running service gets, and the children that provide it. */
interface WiredEnvironment {
  readonly environment: { [key: string]: string };
  readonly secrets: { [key: string]: ecs.Secret };
  readonly appSecretKey?: secretsmanager.ISecret;
  readonly cache?: ServiceCache;
  readonly queue?: ServiceQueue;
}

/**
 * A modular monolith on Fargate behind one of three front doors, from one cheap task to many,
 * with modules that can be split into their own services without changing their public paths.
 *
 * @example
 * import { ModularMonolithService, ServiceImage } from 'cdk-lean-stack';
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 *
 * declare const vpc: ec2.IVpc;
 * new ModularMonolithService(this, 'Api', {
 *   vpc,
 *   image: ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.0'),
 *   modules: [{ name: 'orders', path: '/orders/*' }],
 * });
 */
export class ModularMonolithService extends Construct implements IMonolithService {
  public readonly cluster: ecs.ICluster;
  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly containerName: string;
  public readonly logGroup: logs.ILogGroup;
  public readonly httpApi?: apigwv2.IHttpApi;
  public readonly loadBalancer?: elbv2.IApplicationLoadBalancer;
  public readonly targetGroups: elbv2.IApplicationTargetGroup[];
  public readonly imageRepository?: ecr.IRepository;
  public readonly url: string;
  /**
   * The host name of `url` (the front door's custom domain, or the address AWS assigns), for
   * whatever needs a domain name rather than a URL, such as the site's `apiDomainName`.
   */
  public readonly apiDomainName: string;
  public readonly profile: Profile;
  /** The security group connections of the main service's tasks. */
  public readonly connections: ec2.Connections;
  /** The main service's tasks' security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The front door. */
  public readonly frontDoor: FrontDoor;
  /** The path the health checks request (load balancer target groups, failover health checks). */
  public readonly healthCheckPath: string;
  /** The split modules' Fargate services, by module name. */
  public readonly moduleServices: { [module: string]: ecs.FargateService };
  /** The main service's autoscaling. */
  public readonly scaling: ecs.ScalableTaskCount;
  /** The HTTP API's `$default` stage, for the HTTP API front doors. */
  public readonly httpApiStage?: apigwv2.HttpStage;
  /** The VPC link, for the HTTP API front doors. */
  public readonly vpcLink?: apigwv2.VpcLink;
  /** The VPC link's security group, for the HTTP API front doors. */
  public readonly vpcLinkSecurityGroup?: ec2.ISecurityGroup;
  /** The HTTP API's access log group, for the HTTP API front doors. */
  public readonly accessLogGroup?: logs.ILogGroup;
  /** The A alias record of the front door's custom domain, when its `hostedZone` was given. */
  public readonly aliasRecord?: route53.IRecordSet;
  /** The load balancer's security group, for the ALB front doors. */
  public readonly loadBalancerSecurityGroup?: ec2.ISecurityGroup;
  /** The Cloud Map namespace, when the Cloud Map front door or a split module needs one. */
  public readonly namespace?: servicediscovery.INamespace;
  /** The generated application secret key, when `appSecretKeyName` is set. */
  public readonly appSecretKey?: secretsmanager.ISecret;
  /** The cache, when `cache` is set. */
  public readonly cache?: ServiceCache;
  /** The queue, when `queue` is set. */
  public readonly queue?: ServiceQueue;
  /**
   * The header the site's distribution must add to reach an `edgeOnly` API, as `{ name: value }`
   * for the site's `apiOriginHeaders`. Empty when any client may call the API.
   */
  public readonly edgeHeaders: { [name: string]: string };

  constructor(scope: Construct, id: string, props: ModularMonolithServiceProps) {
    super(scope, id);
    this.profile = resolveProfile(this, props.profile);
    const settings = resolveSettings(this, props, this.profile);
    this.frontDoor = settings.frontDoor;
    this.containerName = settings.containerName;
    this.imageRepository = props.image.repository;
    const modules = resolveModules(this, props.modules ?? [], props.splitModules ?? []);

    this.cluster = props.cluster ?? this.createCluster(settings.vpc, settings.spot);
    if (settings.spot && props.cluster instanceof ecs.Cluster) props.cluster.enableFargateCapacityProviders();
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? this.profile.logRetention,
      removalPolicy: this.profile.storeRemovalPolicy,
    });
    acknowledge(logGroup, { ids: [...NAG.logGroupKms], reason: LOG_GROUP_KMS_REASON });
    this.logGroup = logGroup;

    const needsNamespace = settings.frontDoor.kind === FrontDoorKind.HTTP_API_CLOUD_MAP || modules.some((m) => m.split);
    this.namespace = props.namespace ?? (needsNamespace ? new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      vpc: settings.vpc,
      name: props.namespaceName ?? `${Names.uniqueResourceName(this, { maxLength: 48 }).toLowerCase()}.internal`,
      description: `Internal names of ${this.node.path}`,
    }) : undefined);
    const wired = this.wireEnvironment(props, settings, modules);
    this.appSecretKey = wired.appSecretKey;
    this.cache = wired.cache;
    this.queue = wired.queue;

    const shared: SharedRuntime = { props, profile: this.profile, settings, cluster: this.cluster, logGroup, namespace: this.namespace, ...wired };
    const main = new RunningService(this, this, shared);
    const splits = modules.filter((m) => m.split).map((m) => new RunningService(new Construct(this, `Module${moduleId(m.name)}`), this, shared, {
      split: m.split,
      index: props.splitModules!.indexOf(m.split!),
    }));
    this.service = main.service;
    this.healthCheckPath = main.healthCheckPath;
    this.taskDefinition = main.taskDefinition;
    this.securityGroup = main.securityGroup;
    this.connections = this.service.connections;
    this.scaling = main.scaling;
    this.moduleServices = {};
    this.connectServices(props, settings, [main, ...splits]);

    const door = buildFrontDoor(this, {
      frontDoor: settings.frontDoor,
      vpc: settings.vpc,
      profile: this.profile,
      containerPort: settings.containerPort,
      modules,
      main,
      splits,
      taskSubnets: settings.subnets,
      hasNat: settings.hasNat,
      requestsPerTarget: settings.requestsPerTarget,
      accessLogsBucket: props.accessLogsBucket,
    });
    this.url = door.url;
    this.apiDomainName = Fn.select(2, Fn.split('/', door.url));
    this.httpApi = door.api?.httpApi;
    this.httpApiStage = door.api?.stage;
    this.vpcLink = door.api?.vpcLink;
    this.vpcLinkSecurityGroup = door.api?.vpcLinkSecurityGroup;
    this.accessLogGroup = door.accessLogGroup;
    this.loadBalancer = door.loadBalancer;
    this.loadBalancerSecurityGroup = door.loadBalancerSecurityGroup;
    this.targetGroups = door.targetGroups;
    this.aliasRecord = door.aliasRecord;
    const edgeOnly = door.api?.edgeOnly;
    this.edgeHeaders = edgeOnly ? { [edgeOnly.headerName]: edgeOnly.valueFor(this) } : {};
    for (const warning of settings.warnings) Annotations.of(this).addWarningV2(warning.id, warning.message);
  }

  /**
   * The variables and secrets every running service gets: the port, the modules' Cloud Map names,
   * the database connection, the application secret key, the cache and queue, then the user's own.
   */
  private wireEnvironment(props: ModularMonolithServiceProps, settings: MonolithSettings, modules: ResolvedModule[]): WiredEnvironment {
    const environment: { [key: string]: string } = { PORT: String(settings.containerPort) };
    const secrets: { [key: string]: ecs.Secret } = { ...props.secrets };
    if (this.namespace) {
      // Modules call each other through Cloud Map SRV records, never through the public front door.
      for (const m of modules) environment[moduleVariable(m.name)] = `${m.split ? m.name : MAIN_SERVICE_NAME}.${this.namespace.namespaceName}`;
    }
    if (props.database) {
      const db = props.database.secret;
      secrets.PGHOST = ecs.Secret.fromSecretsManager(db, 'host');
      secrets.PGPORT = ecs.Secret.fromSecretsManager(db, 'port');
      secrets.PGDATABASE = ecs.Secret.fromSecretsManager(db, 'dbname');
      secrets.PGUSER = ecs.Secret.fromSecretsManager(db, 'username');
      secrets.PGPASSWORD = ecs.Secret.fromSecretsManager(db, 'password');
    }
    let appSecretKey: secretsmanager.ISecret | undefined;
    if (props.appSecretKeyName) {
      const key = new secretsmanager.Secret(this, 'AppSecretKey', {
        description: `Application secret key of ${this.node.path}`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: this.profile.storeRemovalPolicy,
      });
      acknowledge(key,
        { ids: [...NAG.secretRotation], reason: 'Rotating an application signing key logs every user out; rotate it deliberately, not on a schedule.' },
        { ids: [...NAG.secretKms], reason: 'Encrypted with the Secrets Manager AWS managed key; a customer KMS key adds 1 USD a month for no gain here.' },
      );
      secrets[props.appSecretKeyName] = ecs.Secret.fromSecretsManager(key);
      appSecretKey = key;
    }
    const cache = props.cache ? new ServiceCache(this, 'Cache', { ...props.cache, vpc: settings.vpc, profile: this.profile }) : undefined;
    if (cache) Object.assign(environment, cache.connectionEnvironment());
    const queue = props.queue ? new ServiceQueue(this, 'Queue', { ...props.queue, profile: this.profile }) : undefined;
    if (queue) Object.assign(environment, queue.connectionEnvironment());
    Object.assign(environment, props.environment);
    return { environment, secrets, appSecretKey, cache, queue };
  }

  /** Lets every running service reach the database, cache, queue and its sibling modules. */
  private connectServices(props: ModularMonolithServiceProps, settings: MonolithSettings, all: RunningService[]): void {
    // `npx cdk-lean-stack logs` and `status` find the log group and each service through these tags.
    tagForCli(this.logGroup, CLI_ROLE.serviceLogs, { [CLI_TAG.service]: this.node.path });
    for (const target of all) {
      tagForCli(target.service, CLI_ROLE.service, {
        [CLI_TAG.service]: this.node.path,
        [CLI_TAG.module]: target.module ?? MAIN_SERVICE_NAME,
        [CLI_TAG.container]: target.container.containerName,
      });
      if (target.module) this.moduleServices[target.module] = target.service;
      props.database?.allowFrom(target.service, `${target.module ?? MAIN_SERVICE_NAME} tasks of ${this.node.path}`);
      this.cache?.allowFrom(target.service);
      this.queue?.grantSendAndConsume(target.taskDefinition.taskRole);
      for (const peer of all) {
        if (peer !== target) target.securityGroup.connections.allowFrom(peer.securityGroup, ec2.Port.tcp(settings.containerPort), 'Module to module');
      }
    }
  }

  private createCluster(vpc: ec2.IVpc, spot: boolean): ecs.Cluster {
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: this.profile.containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
      enableFargateCapacityProviders: spot,
    });
    if (!this.profile.containerInsights) {
      acknowledge(cluster, {
        ids: ['AwsSolutions-ECS4'],
        reason: `Profile '${this.profile.name}' leaves Container Insights off: it bills custom metrics per task; CPU and memory metrics still come free with ECS.`,
      });
    }
    return cluster;
  }
}
