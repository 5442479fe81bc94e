import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eksv1 from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LeanEksCluster } from './lean-eks-cluster';
import { ModularMonolithOnEksProps } from './modular-monolith-on-eks-props';
import { podAlarms } from './private/alarms';
import { imageReference } from './private/image';
import { idleNodesFor } from './private/node-pools';
import { addMigration, addPublicAlb, podIdentityRole } from './private/rollout';
import { resolveWorkload } from './private/settings';
import { autoscaler, deployment, disruptionBudget, namespace, service, serviceAccount, WorkloadSpec } from './private/workload';
import { Profile } from '../core/profile';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { acknowledge, NAG } from '../private/nag';
import { resolveProfile } from '../private/profile';
import { checkRequired } from '../private/validate';
import { FrontDoorKind } from '../service/front-door';
import { ServiceCache } from '../service/service-cache';
import { ServiceQueue } from '../service/service-queue';

/**
 * The modular monolith on EKS: the same image, modules, database and public ALB door as
 * `ModularMonolithService`, run as a Deployment with a Service, a HorizontalPodAutoscaler on CPU
 * and memory, a PodDisruptionBudget and EKS Pod Identity, with schema migrations run as a
 * Kubernetes Job that must succeed before the new revision rolls out.
 *
 * @example
 * import { ModularMonolithOnEks, ServiceImage, Network, Egress } from 'cdk-lean-stack';
 * import * as lambda from 'aws-cdk-lib/aws-lambda';
 *
 * declare const kubectlLayer: lambda.ILayerVersion;
 * const network = new Network(this, 'Network', { egress: Egress.natInstance() });
 * new ModularMonolithOnEks(this, 'Api', {
 *   network,
 *   kubectlLayer,
 *   image: ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.0'),
 *   modules: [{ name: 'orders', path: '/orders/*' }],
 * });
 */
export class ModularMonolithOnEks extends Construct {
  /** The cluster the workload runs on. */
  public readonly cluster: LeanEksCluster;
  /** The profile. */
  public readonly profile: Profile;
  /** The workload's name (also its Kubernetes namespace). */
  public readonly name: string;
  /** The IAM role the pods get through EKS Pod Identity. */
  public readonly podRole: iam.Role;
  /** The Pod Identity association of the workload's service account. */
  public readonly podIdentity: eksv1.CfnPodIdentityAssociation;
  /** The namespace and service account. */
  public readonly foundation: eks.KubernetesManifest;
  /** The Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget. */
  public readonly workload: eks.KubernetesManifest;
  /** The migration Job, when `migrationCommand` is set. */
  public readonly migrationJob?: eks.KubernetesManifest;
  /** Waits for the migration Job to succeed. The workload depends on it. */
  public readonly migrationSucceeded?: eks.KubernetesObjectValue;
  /** The migration Job's name: it changes with the image and command, so each release migrates. */
  public readonly migrationJobName?: string;
  /** The Ingress (and its class) the public ALB comes from, for `FrontDoor.publicAlb`. */
  public readonly ingress?: eks.KubernetesManifest;
  /** The public URL, for `FrontDoor.publicAlb`. */
  public readonly url?: string;
  /** The cache, when `cache` is set. */
  public readonly cache?: ServiceCache;
  /** The queue, when `queue` is set. */
  public readonly queue?: ServiceQueue;
  /** Pod CPU and memory alarms (Container Insights metrics), when the cluster has Container Insights. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ModularMonolithOnEksProps) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    if (!props.cluster) checkRequired(this, 'kubectlLayer', props.kubectlLayer, 'when no `cluster` is given');
    this.cluster = props.cluster ?? new LeanEksCluster(this, 'Cluster', {
      network: props.network, vpc: props.vpc, kubectlLayer: props.kubectlLayer!, profile: props.profile,
    });
    this.profile = resolveProfile(this, props.profile ?? this.cluster.profile);
    const settings = resolveWorkload(this, props, this.profile);
    this.name = settings.name;
    const environment: { [key: string]: string } = { PORT: String(settings.port), ...settings.moduleEnvironment };

    this.podRole = podIdentityRole(this, 'PodRole', `Pods of ${this.node.path} (EKS Pod Identity)`);
    acknowledge(this.podRole, { ids: [...NAG.inlinePolicy], reason: 'The pods\' policy belongs to their role alone and grants each attachment (secret, queue) on its own ARN.' });
    if (props.database) {
      props.database.secret.grantRead(this.podRole);
      props.database.allowFrom(this.cluster, `Pods of ${this.node.path}`);
      Object.assign(environment, {
        PGHOST: props.database.endpointAddress,
        PGPORT: String(props.database.port),
        PGDATABASE: props.database.databaseName,
        DATABASE_SECRET_ARN: props.database.secret.secretArn,
      });
    }
    if (props.cache) {
      this.cache = new ServiceCache(this, 'Cache', { ...props.cache, vpc: this.cluster.vpc, profile: this.profile });
      this.cache.allowFrom(this.cluster, `Pods of ${this.node.path}`);
      Object.assign(environment, this.cache.connectionEnvironment());
    }
    if (props.queue) {
      this.queue = new ServiceQueue(this, 'Queue', { ...props.queue, profile: this.profile });
      this.queue.grantSendAndConsume(this.podRole);
      Object.assign(environment, this.queue.connectionEnvironment());
    }
    Object.assign(environment, props.environment);


    const architecture = props.architecture ?? ecs.CpuArchitecture.ARM64;
    const arch = architecture === ecs.CpuArchitecture.X86_64 ? 'amd64' : 'arm64';
    const idle = idleNodesFor(arch, settings.minReplicas, settings.cpuMillis, settings.memoryMiB);
    const spec: WorkloadSpec = {
      ...settings,
      environment,
      architecture: arch,
      pool: LeanEksCluster.APP_POOL,
      image: imageReference(this, props.image, architecture, this.cluster.nodeRole),
      idleNodes: idle.nodes,
      idleNodeType: idle.type,
      spot: this.cluster.spot,
    };
    const cluster = this.cluster.cluster;
    this.foundation = new eks.KubernetesManifest(this, 'Foundation', { cluster, manifest: [namespace(spec), serviceAccount(spec)] });
    this.podIdentity = new eksv1.CfnPodIdentityAssociation(this, 'PodIdentity', {
      clusterName: cluster.clusterName, namespace: spec.namespace, serviceAccount: spec.serviceAccount, roleArn: this.podRole.roleArn,
    });
    this.podIdentity.node.addDependency(this.foundation);

    this.workload = new eks.KubernetesManifest(this, 'Workload', {
      cluster, manifest: [deployment(spec), service(spec), autoscaler(spec), disruptionBudget(spec)],
    });
    this.workload.node.addDependency(this.podIdentity);
    if (props.migrationCommand) {
      const migration = addMigration(this, cluster, spec, props.migrationCommand, settings.migrationTimeout);
      migration.job.node.addDependency(this.podIdentity);
      this.workload.node.addDependency(migration.succeeded);
      this.migrationJobName = migration.name;
      this.migrationJob = migration.job;
      this.migrationSucceeded = migration.succeeded;
    }
    const alb = settings.frontDoor?.kind === FrontDoorKind.PUBLIC_ALB ? settings.frontDoor.publicAlbOptions : undefined;
    if (alb) {
      const azCount = Math.max(2, this.cluster.vpc.availabilityZones.length);
      const door = addPublicAlb(this, cluster, spec, alb, { paths: settings.modulePaths, azCount });
      door.ingress.node.addDependency(this.workload);
      this.ingress = door.ingress;
      this.url = door.url;
    }
    this.alarms = this.cluster.containerInsights ? podAlarms(this, this.cluster.clusterName, spec.namespace, spec.name) : [];
  }

  /** Sends the pod alarms to a topic, e.g. `ObservabilityStack.topic`. */
  public sendAlarmsTo(topic: sns.ITopic): void {
    for (const alarm of this.alarms) alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  }
}
