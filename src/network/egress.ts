import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** How workloads reach the internet. */
export enum EgressKind {
  /** No NAT: workloads that need the internet sit in public subnets with a public IP. */
  NONE = 'none',
  /** One NAT instance on a small Graviton EC2 instance. */
  NAT_INSTANCE = 'nat-instance',
  /** One NAT gateway, shared by every AZ. */
  NAT_GATEWAY = 'nat-gateway',
  /** One NAT gateway in each AZ, so egress survives the loss of an AZ. */
  NAT_GATEWAY_PER_AZ = 'nat-gateway-per-az',
}

/**
 * How private workloads reach the internet: the largest fixed cost of a small AWS network, so it
 * is a deliberate choice. A NAT gateway with its IP costs about 36.50 USD a month per AZ; a
 * `t4g.nano` NAT instance about 6.70 with its IP; no egress costs nothing.
 */
export class Egress {
  /** No NAT (the cost-conscious default). */
  public static none(): Egress {
    return new Egress(EgressKind.NONE, 0);
  }

  /**
   * One NAT instance on a small Graviton instance: a few dollars a month for private subnets and
   * builds that need the internet.
   *
   * @param instanceType the NAT instance's type. Default: `t4g.nano`.
   */
  public static natInstance(instanceType?: ec2.InstanceType): Egress {
    return new Egress(EgressKind.NAT_INSTANCE, 1, instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO));
  }

  /** One NAT gateway shared by all AZs. */
  public static natGateway(): Egress {
    return new Egress(EgressKind.NAT_GATEWAY, 1);
  }

  /** One NAT gateway per AZ (the highly available profile's choice). */
  public static natGatewayPerAz(): Egress {
    return new Egress(EgressKind.NAT_GATEWAY_PER_AZ, -1);
  }

  private constructor(
    /** Which kind of egress this is. */
    public readonly kind: EgressKind,
    private readonly natCount: number,
    /** The NAT instance type, for `EgressKind.NAT_INSTANCE`. */
    public readonly instanceType?: ec2.InstanceType,
  ) {}

  /** True when private subnets with a route to the internet exist. */
  public get hasNat(): boolean {
    return this.kind !== EgressKind.NONE;
  }

  /**
   * The number of NAT gateways or instances for a VPC over the given number of AZs.
   */
  public natCountFor(azCount: number): number {
    return this.natCount < 0 ? azCount : this.natCount;
  }
}
