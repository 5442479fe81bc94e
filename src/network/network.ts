import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Egress } from './egress';
import { InterfaceEndpoint } from './interface-endpoint';
import { INetwork } from '../core/contracts';
import { Profile } from '../core/profile';
import { retainProviderLogs } from '../private/helper-logs';
import { acknowledge, NAG, PINNED_AZ } from '../private/nag';
import { addInterfaceEndpoints, checkInterfaceEndpointNames } from './private/endpoints';
import { hardenNatInstances, natProviderFor } from '../private/nat';
import { resolveProfile } from '../private/profile';
import { checkNotBoth, checkPattern, checkRange, LeanStackValidationError } from '../private/validate';

/**
 * Props for `Network`.
 */
export interface NetworkProps {
  /**
   * The deployment profile: decides the default egress and whether flow logs are on.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;

  /**
   * How private workloads reach the internet. Overrides the profile's choice. With an existing
   * `vpc`, say what that VPC already has: nothing is created for it.
   *
   * @default - the profile's egress for a new VPC (none, none, a NAT gateway per AZ);
   * `Egress.none()` for an existing `vpc`
   */
  readonly egress?: Egress;

  /**
   * How many Availability Zones the new VPC spans (1 to 6). A database needs at least 2.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * The Availability Zones of the new VPC, by name (e.g. `['eu-west-1a', 'eu-west-1b']`). Name
   * them to pin the VPC to zones you chose; `maxAzs` then does not apply.
   *
   * @default - the first `maxAzs` zones of the region. For a stack with an explicit account and
   * region, the names come from the CDK's `availability-zones` context when it holds them (a
   * `cdk.context.json` from an earlier lookup); otherwise the template asks CloudFormation for
   * them (`Fn::GetAZs`), so synth needs no AWS credentials and makes no lookup.
   */
  readonly availabilityZones?: string[];

  /**
   * The new VPC's IPv4 CIDR block, from a /16 to an /18. Public and data subnets are /24, private
   * subnets /22, one of each per AZ.
   *
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;

  /**
   * AWS services to give an interface endpoint (billed per endpoint and AZ), by the short name
   * `ec2.InterfaceVpcEndpointAwsService` uses, e.g. `['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']`.
   * They are placed in the data subnets with private DNS, reachable from the whole VPC on 443.
   *
   * @default - none (the free S3 gateway endpoint is always added to a new VPC)
   */
  readonly interfaceEndpoints?: InterfaceEndpoint[];

  /**
   * VPC flow logs (all traffic) to CloudWatch Logs, kept for the profile's log retention.
   *
   * @default - the profile's choice for a new VPC (off in development); off for an existing `vpc`
   */
  readonly flowLogs?: boolean;

  /**
   * An existing VPC to use instead of creating one. Its isolated subnets (else its private ones)
   * hold data stores. Only the `interfaceEndpoints` and `flowLogs` you ask for are added to it.
   *
   * @default - a new VPC is created
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Interface endpoints the existing `vpc` already has, by service short name, so that consumers
   * (e.g. a break-glass host that needs `ssm` and `ssmmessages`) know about them.
   *
   * @default - none
   */
  readonly existingInterfaceEndpoints?: InterfaceEndpoint[];
}

/**
 * Options for `Network.fromVpc`.
 */
export interface NetworkFromVpcOptions {
  /**
   * How the VPC's private subnets reach the internet, if they do.
   *
   * @default Egress.none()
   */
  readonly egress?: Egress;

  /**
   * The interface endpoints the VPC already has.
   *
   * @default - none
   */
  readonly interfaceEndpoints?: InterfaceEndpoint[];

  /**
   * The deployment profile of the constructs that use this network.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * A VPC that costs nothing idle by default: public subnets, isolated data subnets, a free S3
 * gateway endpoint and a closed default security group, plus private subnets with NAT only when
 * the chosen egress needs them. Flow logs are on in production profiles.
 *
 * Growing from one profile to the next only adds NAT and private subnets: the public and data
 * subnets keep their logical IDs and CIDR blocks, so databases in them are never replaced.
 *
 * @example
 * import { Egress, InterfaceEndpoint, Network, Profile } from 'cdk-lean-stack';
 *
 * const network = new Network(this, 'Network', {
 *   profile: Profile.COST_CONSCIOUS_PRODUCTION,
 *   egress: Egress.natInstance(),
 *   interfaceEndpoints: [InterfaceEndpoint.SECRETS_MANAGER],
 * });
 */
export class Network extends Construct implements INetwork {
  /**
   * Describes an existing VPC (and what it already has) without adding anything to it.
   *
   * @param scope the scope
   * @param id the id
   * @param vpc the VPC
   * @param options what the VPC has
   */
  public static fromVpc(scope: Construct, id: string, vpc: ec2.IVpc, options: NetworkFromVpcOptions = {}): Network {
    return new Network(scope, id, {
      vpc,
      egress: options.egress,
      profile: options.profile,
      existingInterfaceEndpoints: options.interfaceEndpoints,
      flowLogs: false,
    });
  }

  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** How private workloads reach the internet. */
  public readonly egress: Egress;
  /** The services with an interface endpoint in the VPC (created here or declared as existing). */
  public readonly interfaceEndpointServices: string[];
  /** The profile. */
  public readonly profile: Profile;
  /** The subnets that hold data stores: the isolated subnets (else private ones for an existing VPC). */
  public readonly dataSubnets: ec2.SubnetSelection;
  /** The interface endpoints created here, by service short name. */
  public readonly interfaceEndpoints: { [service: string]: ec2.InterfaceVpcEndpoint };
  /** The NAT provider, when this construct created a VPC with NAT. */
  public readonly natProvider?: ec2.NatProvider;
  /** The free S3 gateway endpoint, for a new VPC. */
  public readonly s3Endpoint?: ec2.GatewayVpcEndpoint;
  /** The flow log, when flow logs are on. */
  public readonly flowLog?: ec2.FlowLog;
  /** The flow logs' log group, when flow logs are on. */
  public readonly flowLogGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    this.profile = resolveProfile(this, props.profile);
    checkRange(this, 'maxAzs', props.maxAzs, { min: 1, max: 6, integer: true });
    // Octets 0-255, no leading zeros (aws-cdk-lib's own error would not name `cidr`).
    checkPattern(this, 'cidr', props.cidr, /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(1[6-8])$/,
      'an IPv4 CIDR block from /16 to /18 with octets from 0 to 255 (e.g. \'10.0.0.0/16\')');
    checkNotBoth(this, 'vpc', props.vpc, 'cidr', props.cidr);
    checkNotBoth(this, 'vpc', props.vpc, 'maxAzs', props.maxAzs);
    checkNotBoth(this, 'vpc', props.vpc, 'availabilityZones', props.availabilityZones);
    checkNotBoth(this, 'availabilityZones', props.availabilityZones, 'maxAzs', props.maxAzs);
    if (props.availabilityZones !== undefined && props.availabilityZones.length === 0) {
      throw new LeanStackValidationError(this, '`availabilityZones` must name at least one Availability Zone, got: []');
    }
    if (!props.vpc && props.existingInterfaceEndpoints !== undefined) {
      throw new LeanStackValidationError(this, '`existingInterfaceEndpoints` describes an existing `vpc`; it cannot be set without `vpc`');
    }
    const requested = checkInterfaceEndpointNames(this, 'interfaceEndpoints', (props.interfaceEndpoints ?? []).map((e) => e.name));
    const existing = checkInterfaceEndpointNames(this, 'existingInterfaceEndpoints', (props.existingInterfaceEndpoints ?? []).map((e) => e.name));
    const both = requested.filter((s) => existing.includes(s));
    if (both.length > 0) {
      throw new LeanStackValidationError(this, `\`interfaceEndpoints\` must not repeat \`existingInterfaceEndpoints\`, got: '${both[0]}' in both`);
    }

    if (props.vpc) {
      this.vpc = props.vpc;
      this.egress = props.egress ?? Egress.none();
      this.dataSubnets = this.vpc.isolatedSubnets.length > 0
        ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
        : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    } else {
      this.egress = props.egress ?? this.profile.egress;
      const natProvider = natProviderFor(this.egress);
      const vpc = this.createVpc(props, natProvider);
      hardenNatInstances(natProvider, props.cidr ?? DEFAULT_CIDR);
      this.vpc = vpc;
      this.natProvider = natProvider;
      this.s3Endpoint = vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      this.dataSubnets = { subnetGroupName: 'Data' };
    }

    // A literal CIDR where known, so that cdk-nag can read the endpoints' ingress rules. An
    // imported VPC may have no CIDR at all: it is read only when an endpoint needs it.
    const vpcCidr = requested.length === 0 ? '' : props.vpc ? this.vpc.vpcCidrBlock : props.cidr ?? DEFAULT_CIDR;
    this.interfaceEndpoints = addInterfaceEndpoints(this.vpc, requested, this.dataSubnets, vpcCidr);
    this.interfaceEndpointServices = [...existing, ...requested];

    const flowLogs = props.flowLogs ?? (props.vpc ? false : this.profile.flowLogs);
    if (flowLogs) {
      this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
        retention: this.profile.logRetention,
        removalPolicy: this.profile.storeRemovalPolicy,
      });
      acknowledge(this.flowLogGroup, {
        ids: [...NAG.logGroupKms],
        reason: 'Flow logs hold no secrets; CloudWatch Logs encrypts them at rest with its own key, and a customer KMS key would be a fixed monthly cost.',
      });
      // A managed policy rather than the role's inline default policy (HIPAA and NIST IAMNoInlinePolicy).
      const role = new iam.Role(this, 'FlowLogRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
      new iam.ManagedPolicy(this, 'FlowLogPolicy', {
        roles: [role],
        statements: [new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.logGroupArn],
        })],
      });
      this.flowLog = new ec2.FlowLog(this, 'FlowLog', {
        resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
        destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, role.withoutPolicyUpdates()),
        trafficType: ec2.FlowLogTrafficType.ALL,
      });
    } else if (!props.vpc) {
      acknowledge(this.vpc.node.defaultChild as ec2.CfnVPC, {
        ids: ['AwsSolutions-VPC7', 'HIPAA.Security-VPCFlowLogsEnabled', 'NIST.800.53.R5-VPCFlowLogsEnabled'],
        reason: `Flow logs are off by choice (profile '${this.profile.name}' or the \`flowLogs\` prop) to avoid their ingestion cost outside production.`,
      });
    }
  }

  private createVpc(props: NetworkProps, natProvider: ec2.NatProvider | undefined): ec2.Vpc {
    const maxAzs = props.maxAzs ?? 2;
    // Order matters: CIDR blocks are handed out in this order, so the private group (present only
    // with NAT) comes last and never shifts the public and data subnets' blocks.
    const subnetConfiguration: ec2.SubnetConfiguration[] = [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ];
    if (natProvider) {
      subnetConfiguration.push({ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 });
    }
    const vpc = withoutZoneLookup(this, maxAzs, (offlineZones) => new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.0.0.0/16'),
      ...((props.availabilityZones ?? offlineZones) ? { availabilityZones: props.availabilityZones ?? offlineZones } : { maxAzs }),
      subnetConfiguration,
      natGatewayProvider: natProvider,
      natGateways: natProvider ? this.egress.natCountFor(maxAzs) : 0,
      // a custom resource removes the default security group's rules (cdk-nag VPC rules)
      restrictDefaultSecurityGroup: true,
    }));
    retainProviderLogs(this, 'Custom::VpcRestrictDefaultSGCustomResourceProvider', this.profile.logRetention);
    for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
      acknowledge(subnet.node.defaultChild as ec2.CfnSubnet, PINNED_AZ);
    }
    for (const subnet of vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) {
        acknowledge(route, {
          ids: ['HIPAA.Security-VPCNoUnrestrictedRouteToIGW', 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW'],
          reason: 'A public subnet routes to the internet gateway by definition; it holds only NAT and workloads whose security groups admit what they must. Data stays in isolated subnets.',
        });
      }
    }
    return vpc;
  }
}

const DEFAULT_CIDR = '10.0.0.0/16';

/**
 * Runs `create` so that `ec2.Vpc` makes no availability-zone lookup it was not asked for.
 *
 * For a stack with an explicit account and region, `ec2.Vpc` reads `stack.availabilityZones`
 * (even when given zones, to check them), which asks the CDK CLI to look the zones up in the
 * account: synth then fails without credentials. Unless the lookup's answer is already in the
 * context (a `cdk.context.json` from an earlier lookup), or the stack class answers
 * `availabilityZones` itself, the stack answers with the region's first zones from
 * `Fn::GetAZs` while the VPC is created, and `create` receives them as the VPC's zones.
 */
function withoutZoneLookup<T>(scope: Construct, maxAzs: number, create: (offlineZones?: string[]) => T): T {
  const stack = Stack.of(scope);
  const { account, region } = stack;
  const ownGetter = findGetter(stack, 'availabilityZones') !== findGetter(Stack.prototype, 'availabilityZones');
  if (Token.isUnresolved(account) || Token.isUnresolved(region) || ownGetter
    || scope.node.tryGetContext(`availability-zones:account=${account}:region=${region}`) !== undefined) {
    return create();
  }
  const zones = Array.from({ length: maxAzs }, (_, i) => Fn.select(i, Fn.getAzs(region)));
  Object.defineProperty(stack, 'availabilityZones', { get: () => zones, configurable: true });
  try {
    return create(zones);
  } finally {
    delete (stack as { availabilityZones?: string[] }).availabilityZones;
  }
}

function findGetter(obj: object | null, name: string): (() => unknown) | undefined {
  for (let o = obj; o; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor) return descriptor.get;
  }
  return undefined;
}
