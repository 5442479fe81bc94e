import { Annotations, Names } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { FrontDoor, FrontDoorKind } from './front-door';
import { ModularMonolithServiceProps } from './modular-monolith-service-props';
import { ServiceCache } from './service-cache';
import { ModuleSplit } from './service-module';
import { ServiceQueue } from './service-queue';
import { IMonolithService } from '../core/contracts';
import { Profile } from '../core/profile';
import { NAG, acknowledge } from '../private/nag';
import { LOG_GROUP_KMS_REASON } from '../private/service-alb';
import { FrontDoorTarget, buildFrontDoor } from '../private/service-front-door';
import { MAIN_SERVICE_NAME, moduleId, moduleVariable, resolveModules } from '../private/service-modules';
import { ResolvedSettings, resolveSettings } from '../private/service-settings';
import { BuiltService, buildFargateService } from '../private/service-task';

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

  constructor(scope: Construct, id: string, props: ModularMonolithServiceProps) {
    super(scope, id);
    this.profile = Profile.resolve(props.profile);
    this.profile.validate(this);
    const s: ResolvedSettings = resolveSettings(this, props, this.profile);
    this.frontDoor = s.frontDoor;
    this.healthCheckPath = s.healthCheckPath;
    this.containerName = s.containerName;
    this.imageRepository = props.image.repository;
    const modules = resolveModules(this, props.modules ?? [], props.splitModules ?? []);

    this.cluster = props.cluster ?? this.createCluster(s.vpc, s.spot);
    if (s.spot && props.cluster instanceof ecs.Cluster) props.cluster.enableFargateCapacityProviders();
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? this.profile.logRetention,
      removalPolicy: this.profile.storeRemovalPolicy,
    });
    acknowledge(logGroup, { ids: [...NAG.logGroupKms], reason: LOG_GROUP_KMS_REASON });
    this.logGroup = logGroup;

    const needsNamespace = s.frontDoor.kind === FrontDoorKind.HTTP_API_CLOUD_MAP || modules.some((m) => m.split);
    this.namespace = props.namespace ?? (needsNamespace ? new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      vpc: s.vpc,
      name: props.namespaceName ?? `${Names.uniqueResourceName(this, { maxLength: 48 }).toLowerCase()}.internal`,
      description: `Internal names of ${this.node.path}`,
    }) : undefined);

    const environment: { [key: string]: string } = { PORT: String(s.containerPort) };
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
      this.appSecretKey = key;
    }
    if (props.cache) {
      this.cache = new ServiceCache(this, 'Cache', { ...props.cache, vpc: s.vpc, profile: this.profile });
      Object.assign(environment, this.cache.connectionEnvironment());
    }
    if (props.queue) {
      this.queue = new ServiceQueue(this, 'Queue', { ...props.queue, profile: this.profile });
      Object.assign(environment, this.queue.connectionEnvironment());
    }
    Object.assign(environment, props.environment);

    const build = (target: Construct, split: ModuleSplit | undefined): BuiltService => buildFargateService(target, {
      ...s.task,
      cluster: this.cluster,
      logGroup,
      image: split?.image ?? props.image,
      command: split?.command ?? props.command,
      cpu: split?.cpu ?? s.task.cpu,
      memoryLimitMiB: split?.memoryLimitMiB ?? s.task.memoryLimitMiB,
      minTasks: split?.minTasks ?? s.task.minTasks,
      maxTasks: split?.maxTasks ?? s.task.maxTasks,
      containerName: split ? split.module : s.containerName,
      traceName: split ? split.module : MAIN_SERVICE_NAME,
      environment: { ...environment, ...split?.environment },
      secrets: { ...secrets, ...split?.secrets },
      cloudMap: this.namespace ? { namespace: this.namespace, name: split ? split.module : MAIN_SERVICE_NAME } : undefined,
    });
    const main: FrontDoorTarget = { scope: this, built: build(this, undefined), healthCheckPath: s.healthCheckPath };
    const splits: FrontDoorTarget[] = modules.filter((m) => m.split).map((m) => {
      const moduleScope = new Construct(this, `Module${moduleId(m.name)}`);
      return {
        scope: moduleScope,
        built: build(moduleScope, m.split),
        healthCheckPath: m.split!.healthCheckPath ?? s.healthCheckPath,
        module: m.name,
      };
    });

    this.service = main.built.service;
    this.taskDefinition = main.built.taskDefinition;
    this.securityGroup = main.built.securityGroup;
    this.connections = this.service.connections;
    this.scaling = main.built.scaling;
    this.moduleServices = {};
    const all = [main, ...splits];
    for (const target of all) {
      if (target.module) this.moduleServices[target.module] = target.built.service;
      props.database?.allowFrom(target.built.service, `${target.module ?? MAIN_SERVICE_NAME} tasks of ${this.node.path}`);
      this.cache?.allowFrom(target.built.service);
      this.queue?.grantSendAndConsume(target.built.taskDefinition.taskRole);
      for (const peer of all) {
        if (peer !== target) target.built.securityGroup.connections.allowFrom(peer.built.securityGroup, ec2.Port.tcp(s.containerPort), 'Module to module');
      }
    }

    const door = buildFrontDoor(this, {
      frontDoor: s.frontDoor,
      vpc: s.vpc,
      profile: this.profile,
      containerPort: s.containerPort,
      modules,
      main,
      splits,
      taskSubnets: s.task.subnets,
      hasNat: s.hasNat,
      requestsPerTarget: s.requestsPerTarget,
      accessLogsBucket: props.accessLogsBucket,
    });
    this.url = door.url;
    this.httpApi = door.api?.httpApi;
    this.httpApiStage = door.api?.stage;
    this.vpcLink = door.api?.vpcLink;
    this.vpcLinkSecurityGroup = door.api?.vpcLinkSecurityGroup;
    this.accessLogGroup = door.accessLogGroup;
    this.loadBalancer = door.loadBalancer;
    this.loadBalancerSecurityGroup = door.loadBalancerSecurityGroup;
    this.targetGroups = door.targetGroups;
    for (const warning of s.warnings) Annotations.of(this).addWarningV2(warning.id, warning.message);
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
