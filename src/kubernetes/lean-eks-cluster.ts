import { Names, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv1 from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeClusterTradeOffs } from './private/cluster-nag';
import { idleNodesFor, nodePool } from './private/node-pools';
import { INetwork } from '../core/contracts';
import { Profile } from '../core/profile';
import { resolveProfile } from '../private/profile';
import { checkNotBoth, checkPattern, checkRange, invalid, LeanStackValidationError } from '../private/validate';

/** Auto Mode's documented node policies: join the cluster and pull images from ECR, nothing else. */
const NODE_POLICIES = ['AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryPullOnly'];

/** Props of a `LeanEksCluster`. */
export interface LeanEksClusterProps {
  /**
   * The kubectl layer matching `version`, e.g. `new KubectlV35Layer(this, 'Kubectl')` from
   * `@aws-cdk/lambda-layer-kubectl-v35`. The cluster applies its manifests with it.
   */
  readonly kubectlLayer: lambda.ILayerVersion;
  /**
   * The network, which needs private subnets with NAT egress. Give this or `vpc`.
   *
   * @default - `vpc`
   */
  readonly network?: INetwork;
  /**
   * The VPC, when you have no `Network`. It needs private subnets with egress.
   *
   * @default - the network's VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The deployment profile: decides Spot, log retention and Container Insights.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * The Kubernetes version (the kubectl layer must match it).
   *
   * @default eks.KubernetesVersion.V1_35
   */
  readonly version?: eks.KubernetesVersion;
  /**
   * Who may reach the Kubernetes API.
   *
   * @default eks.EndpointAccess.PRIVATE - only from inside the VPC
   */
  readonly endpointAccess?: eks.EndpointAccess;
  /**
   * The control plane log types sent to CloudWatch Logs.
   *
   * @default - api, audit and authenticator (who did what, and who signed in)
   */
  readonly clusterLogging?: eks.ClusterLoggingTypes[];
  /**
   * How long the control plane logs are kept.
   *
   * @default - the profile's log retention
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The KMS key that envelope-encrypts Kubernetes secrets.
   *
   * @default - a new key with yearly rotation (1 USD a month)
   */
  readonly secretsEncryptionKey?: kms.IKey;
  /**
   * Lets the application node pool buy Spot capacity, which is cheaper but can be reclaimed with
   * two minutes' notice. Allowed only when the profile allows Spot.
   *
   * @default - true when the profile allows Spot (development), else false
   */
  readonly spot?: boolean;
  /**
   * The most vCPUs the application node pool may run at once: a cost ceiling.
   *
   * @default 16
   */
  readonly maxVcpus?: number;
  /**
   * Installs the Amazon CloudWatch Observability add-on (Container Insights): pod CPU and memory
   * metrics and container logs in CloudWatch, billed as custom metrics and log ingestion.
   *
   * @default - the profile's `containerInsights` (only highly available production)
   */
  readonly containerInsights?: boolean;
  /**
   * IAM role ARNs given cluster-admin access (e.g. your deploy or break-glass role).
   *
   * @default - none beyond the role that deploys the stack
   */
  readonly adminRoleArns?: string[];
}

/**
 * An EKS cluster in EKS Auto Mode for a small team: the API endpoint private, Kubernetes secrets
 * encrypted with KMS, control plane logs kept for the profile's retention, a small tainted system
 * node pool and a Graviton-first application pool that Karpenter (run by Auto Mode) sizes to
 * the pods, buying Spot only in development. The control plane bills 0.10 USD an hour (73 a
 * month) whether or not anything runs.
 *
 * @example
 * import { LeanEksCluster, Network, Egress } from 'cdk-lean-stack';
 * import * as lambda from 'aws-cdk-lib/aws-lambda';
 *
 * declare const kubectlLayer: lambda.ILayerVersion;
 * const network = new Network(this, 'Network', { egress: Egress.natInstance() });
 * const cluster = new LeanEksCluster(this, 'Cluster', { network, kubectlLayer });
 */
export class LeanEksCluster extends Construct implements ec2.IConnectable {
  /** The node pool application workloads select (`lean-stack.dev/pool` label). */
  public static readonly APP_POOL = 'lean-app';
  /** The tainted node pool cluster-critical add-ons run on. */
  public static readonly SYSTEM_POOL = 'lean-system';

  /** The EKS cluster. */
  public readonly cluster: eks.Cluster;
  /** The key that encrypts Kubernetes secrets. */
  public readonly secretsEncryptionKey: kms.IKey;
  /** The control plane log group (`/aws/eks/<name>/cluster`), created with retention. */
  public readonly logGroup: logs.LogGroup;
  /** The system and application node pools. */
  public readonly nodePools: eks.KubernetesManifest;
  /** The metrics-server add-on, which the HorizontalPodAutoscaler reads. */
  public readonly metricsServer: eks.Addon;
  /** The CloudWatch Observability add-on, when Container Insights is on. */
  public readonly observabilityAddon?: eksv1.CfnAddon;
  /** The profile. */
  public readonly profile: Profile;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** Whether the application pool may buy Spot. */
  public readonly spot: boolean;
  /** Whether Container Insights is on. */
  public readonly containerInsights: boolean;
  /** The cluster's name. */
  public readonly clusterName: string;
  private agentRole?: iam.Role;
  /** The cluster security group's connections: Auto Mode nodes and their pods use it. */
  public readonly connections: ec2.Connections;
  /** The role Auto Mode nodes run with (images are pulled with it). */
  public readonly nodeRole: iam.Role;

  constructor(scope: Construct, id: string, props: LeanEksClusterProps) {
    super(scope, id);
    this.profile = resolveProfile(this, props.profile);
    checkNotBoth(this, 'network', props.network, 'vpc', props.vpc);
    const vpc = props.network?.vpc ?? props.vpc;
    if (!vpc) throw new LeanStackValidationError(this, '`network` or `vpc` is required, got: undefined');
    this.vpc = vpc;
    if (vpc.privateSubnets.length === 0) {
      invalid(this, props.network ? 'network' : 'vpc', 'no private subnets with egress',
        'a VPC with private subnets and NAT egress (e.g. `Egress.natInstance()`): nodes pull images and the kubectl handler reaches the private API from there');
    }
    this.spot = props.spot ?? this.profile.spotAllowed;
    if (this.spot && !this.profile.spotAllowed) {
      invalid(this, 'spot', true, `false in profile '${this.profile.name}' (Spot capacity is for development)`);
    }
    const maxVcpus = props.maxVcpus ?? 16;
    checkRange(this, 'maxVcpus', maxVcpus, { min: 2, max: 1000, integer: true });
    // An EKS access entry needs an IAM role ARN; a user, account or role name is refused at deploy.
    for (const arn of props.adminRoleArns ?? []) {
      checkPattern(this, 'adminRoleArns', arn, /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "IAM role ARNs ('arn:aws:iam::<account>:role/<name>')");
    }
    this.containerInsights = props.containerInsights ?? this.profile.containerInsights;

    // The name is fixed up front so the log group can exist, with retention, before EKS writes to it.
    this.clusterName = Names.uniqueResourceName(this, { maxLength: 90 });
    this.logGroup = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${this.clusterName}/cluster`,
      retention: props.logRetention ?? this.profile.logRetention,
      removalPolicy: this.profile.storeRemovalPolicy,
    });
    this.secretsEncryptionKey = props.secretsEncryptionKey ?? new kms.Key(this, 'SecretsKey', {
      description: `Encrypts the Kubernetes secrets of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: this.profile.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // Auto Mode's recommended node policies: join the cluster and pull images from ECR, nothing else.
    this.nodeRole = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Auto Mode nodes of ${this.node.path}`,
      managedPolicies: NODE_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    this.cluster = new eks.Cluster(this, 'Resource', {
      clusterName: this.clusterName,
      version: props.version ?? eks.KubernetesVersion.V1_35,
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess: props.endpointAccess ?? eks.EndpointAccess.PRIVATE,
      defaultCapacityType: eks.DefaultCapacityType.AUTOMODE,
      // The built-in system pool provides Auto Mode's default NodeClass; our own pools do the rest.
      compute: { nodePools: ['system'], nodeRole: this.nodeRole },
      secretsEncryptionKey: this.secretsEncryptionKey,
      clusterLogging: props.clusterLogging ?? [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR],
      kubectlProviderOptions: { kubectlLayer: props.kubectlLayer },
      outputConfigCommand: false,
    });
    this.cluster.node.addDependency(this.logGroup);
    this.connections = new ec2.Connections({ securityGroups: [this.cluster.clusterSecurityGroup] });
    for (const [i, arn] of (props.adminRoleArns ?? []).entries()) this.cluster.grantClusterAdmin(`Admin${i}`, arn);

    this.nodePools = this.addNodePools(maxVcpus);
    // The HorizontalPodAutoscaler reads pod CPU and memory from metrics-server; it tolerates the
    // system pool's taint, so it runs there, away from the application's nodes.
    this.metricsServer = new eks.Addon(this, 'MetricsServer', { cluster: this.cluster, addonName: 'metrics-server' });
    if (this.containerInsights) this.observabilityAddon = this.addContainerInsights();
    acknowledgeClusterTradeOffs({ cluster: this.cluster, nodeRole: this.nodeRole, logGroup: this.logGroup, agentRole: this.agentRole });
  }

  /**
   * The system pool (tainted, for cluster-critical add-ons) and the application pool. Idle nodes
   * of the application pool are counted by the workloads that need them.
   */
  private addNodePools(maxVcpus: number): eks.KubernetesManifest {
    const system = idleNodesFor('arm64', 1, 100, 200);
    return this.cluster.addManifest('NodePools',
      nodePool({
        name: LeanEksCluster.SYSTEM_POOL,
        system: true,
        architectures: ['arm64', 'amd64'],
        spot: false,
        maxVcpus: 4,
        maxMemoryGiB: 16,
        idleNodes: system.nodes,
        idleNodeType: system.type,
        weight: 100,
      }),
      nodePool({
        name: LeanEksCluster.APP_POOL,
        system: false,
        architectures: ['arm64', 'amd64'],
        spot: this.spot,
        maxVcpus,
        maxMemoryGiB: maxVcpus * 8,
        idleNodes: 0,
        idleNodeType: 'c6g.medium',
        weight: 50,
      }),
    );
  }

  private addContainerInsights(): eksv1.CfnAddon {
    const role = this.agentRole = new iam.Role(this, 'CloudWatchAgentRole', {
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com'),
      description: `CloudWatch agent and Fluent Bit of ${this.node.path}`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy')],
    });
    (role.assumeRolePolicy as iam.PolicyDocument).addStatements(new iam.PolicyStatement({
      actions: ['sts:TagSession'],
      principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')],
    }));
    return new eksv1.CfnAddon(this, 'CloudWatchObservability', {
      clusterName: this.cluster.clusterName,
      addonName: 'amazon-cloudwatch-observability',
      podIdentityAssociations: [{ serviceAccount: 'cloudwatch-agent', roleArn: role.roleArn }],
    });
  }
}
