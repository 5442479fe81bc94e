import { PriceListOverrides } from './price-list-overrides';

/**
 * The list prices an `IdleCostEstimate` uses, as data, with the day they were taken and the
 * region they are for. Start from `PriceList.US_EAST_1_2026_11_21` and change what differs for
 * you with `withOverrides()`.
 *
 * Figures not in the list (an instance class, a storage type) are never guessed: the estimate
 * lists the resource as unpriced and says which figure to supply.
 *
 * @example
 * import { PriceList } from 'cdk-lean-stack';
 *
 * const prices = PriceList.US_EAST_1_2026_11_21.withOverrides({
 *   region: 'eu-west-1',
 *   takenOn: '2026-12-01',
 *   natGatewayHourly: 0.048,
 *   rdsInstanceHourly: { 'postgres:db.t4g.small': 0.034 },
 * });
 */
export class PriceList {
  /**
   * us-east-1 on-demand list prices gathered on 2026-11-21. Figures AWS's own pages did not
   * confirm (Fargate Spot's discount) are marked in `unconfirmed`.
   */
  public static readonly US_EAST_1_2026_11_21 = new PriceList({
    takenOn: '2026-11-21',
    region: 'us-east-1',
    source: 'AWS public on-demand list prices for us-east-1, gathered 2026-11-21',
    hoursPerMonth: 730,
    natGatewayHourly: 0.045,
    publicIpv4Hourly: 0.005,
    loadBalancerHourly: 0.0225,
    interfaceEndpointAzHourly: 0.01,
    fargateX86VcpuHourly: 0.04048,
    fargateX86GbHourly: 0.004445,
    fargateArmVcpuHourly: 0.03238,
    fargateArmGbHourly: 0.00356,
    fargateSpotDiscount: 0.7,
    ec2InstanceHourly: {
      't4g.nano': 0.0042,
      't4g.micro': 0.0084,
      // Nodes EKS Auto Mode may launch for a small workload (see `unconfirmed`).
      'c6g.medium': 0.034,
      'c6g.large': 0.068,
      'c6g.xlarge': 0.136,
      'c6g.2xlarge': 0.272,
      'c6a.large': 0.0765,
      'c6a.xlarge': 0.153,
      'c6a.2xlarge': 0.306,
    },
    rdsInstanceHourly: { 'postgres:db.t4g.micro': 0.016 },
    rdsStorageGbMonthly: { gp3: 0.115, gp2: 0.115 },
    auroraAcuHourly: 0.12,
    elastiCacheNodeHourly: {},
    elastiCacheServerlessMinimumMonthly: undefined,
    kmsKeyMonthly: 1.0,
    secretMonthly: 0.4,
    alarmMetricMonthly: 0.1,
    highResolutionAlarmMetricMonthly: 0.3,
    compositeAlarmMonthly: 0.5,
    dashboardMonthly: 3.0,
    freeAlarmMetrics: 10,
    freeDashboards: 3,
    hostedZoneMonthly: 0.5,
    healthCheckAwsMonthly: 0.5,
    healthCheckOtherMonthly: 0.75,
    healthCheckOptionMonthly: 1.0,
    wafWebAclMonthly: 5.0,
    wafRuleMonthly: 1.0,
    globalAcceleratorHourly: 0.025,
    codePipelineV1Monthly: 1.0,
    cloudMapInstanceMonthly: 0.1,
    eksClusterHourly: 0.1,
    eksAutoModeFeeShare: 0.12,
  }, [
    'fargateSpotDiscount (AWS says "up to 70% off"; the estimate assumes the full 70%)',
    'rdsStorageGbMonthly.gp2 (not in the gathered list; assumed equal to gp3, 0.115, as on AWS\'s RDS pricing page for single-AZ storage)',
    'eksClusterHourly (0.10 an hour, 73 a month: AWS\'s published EKS standard-support price, not in the gathered list)',
    'eksAutoModeFeeShare (about 12% of the instance price: the Auto Mode management fee varies by instance type; not in the gathered list)',
    'ec2InstanceHourly c6g.* and c6a.* (us-east-1 on-demand Linux, not in the gathered list)',
  ]);

  /** The day the figures were taken, as YYYY-MM-DD. */
  public readonly takenOn: string;
  /** The region the figures are for. */
  public readonly region: string;
  /** Where the figures come from. */
  public readonly source: string;
  /** Figures not confirmed on an AWS page. */
  public readonly unconfirmed: string[];
  /** Hours in a billing month. */
  public readonly hoursPerMonth: number;
  /** NAT gateway, per hour. */
  public readonly natGatewayHourly: number;
  /** A public IPv4 address, per hour. */
  public readonly publicIpv4Hourly: number;
  /** An Application or Network Load Balancer, per hour. */
  public readonly loadBalancerHourly: number;
  /** An interface VPC endpoint, per AZ and hour. */
  public readonly interfaceEndpointAzHourly: number;
  /** Fargate Linux x86_64, per vCPU-hour. */
  public readonly fargateX86VcpuHourly: number;
  /** Fargate Linux x86_64, per GB-hour. */
  public readonly fargateX86GbHourly: number;
  /** Fargate Linux ARM64, per vCPU-hour. */
  public readonly fargateArmVcpuHourly: number;
  /** Fargate Linux ARM64, per GB-hour. */
  public readonly fargateArmGbHourly: number;
  /** The share Fargate Spot takes off the on-demand price. */
  public readonly fargateSpotDiscount: number;
  /** EC2 instances, per hour, by type. */
  public readonly ec2InstanceHourly: { [instanceType: string]: number };
  /** RDS/Aurora instances, single-AZ, per hour, by `<engine>:<class>` or class. */
  public readonly rdsInstanceHourly: { [engineAndClass: string]: number };
  /** RDS storage, single-AZ, per GB-month, by storage type. */
  public readonly rdsStorageGbMonthly: { [storageType: string]: number };
  /** Aurora Serverless v2, per ACU-hour. */
  public readonly auroraAcuHourly: number;
  /** ElastiCache nodes, per hour, by node type. */
  public readonly elastiCacheNodeHourly: { [nodeType: string]: number };
  /** The monthly minimum of an idle ElastiCache Serverless cache, when known. */
  public readonly elastiCacheServerlessMinimumMonthly?: number;
  /** A KMS customer managed key, per month. */
  public readonly kmsKeyMonthly: number;
  /** A Secrets Manager secret, per month. */
  public readonly secretMonthly: number;
  /** A standard-resolution alarm metric, per month. */
  public readonly alarmMetricMonthly: number;
  /** A high-resolution alarm metric, per month. */
  public readonly highResolutionAlarmMetricMonthly: number;
  /** A composite alarm, per month. */
  public readonly compositeAlarmMonthly: number;
  /** A dashboard, per month. */
  public readonly dashboardMonthly: number;
  /** Standard alarm metrics free per account each month. */
  public readonly freeAlarmMetrics: number;
  /** Dashboards free per account each month. */
  public readonly freeDashboards: number;
  /** A hosted zone, per month. */
  public readonly hostedZoneMonthly: number;
  /** A health check of an AWS endpoint, per month. */
  public readonly healthCheckAwsMonthly: number;
  /** A health check of a non-AWS endpoint, per month. */
  public readonly healthCheckOtherMonthly: number;
  /** Each optional health check feature, per month. */
  public readonly healthCheckOptionMonthly: number;
  /** A WAF web ACL, per month. */
  public readonly wafWebAclMonthly: number;
  /** A WAF rule, per month. */
  public readonly wafRuleMonthly: number;
  /** A Global Accelerator, per hour. */
  public readonly globalAcceleratorHourly: number;
  /** A CodePipeline V1 pipeline, per month. */
  public readonly codePipelineV1Monthly: number;
  /** A Cloud Map registered instance, per month. */
  public readonly cloudMapInstanceMonthly: number;
  /** An EKS cluster's control plane, per hour. */
  public readonly eksClusterHourly: number;
  /** EKS Auto Mode's management fee as a share of the instance price. */
  public readonly eksAutoModeFeeShare: number;

  private constructor(values: PriceListOverrides, unconfirmed: string[]) {
    const need = (name: keyof PriceListOverrides): number => {
      const v = values[name];
      if (typeof v !== 'number' || Number.isNaN(v) || v < 0) {
        throw new Error(`\`${name}\` must be a number of at least 0, got: ${JSON.stringify(v)}`);
      }
      return v;
    };
    this.takenOn = values.takenOn ?? '';
    this.region = values.region ?? '';
    this.source = values.source ?? '';
    this.unconfirmed = unconfirmed;
    this.hoursPerMonth = need('hoursPerMonth');
    if (this.hoursPerMonth <= 0 || this.hoursPerMonth > 744) {
      // A month has at most 31 x 24 hours; 0 hours would price every hourly resource at nothing.
      throw new Error(`\`hoursPerMonth\` must be a number above 0 and at most 744 (31 days), got: ${this.hoursPerMonth}`);
    }
    this.natGatewayHourly = need('natGatewayHourly');
    this.publicIpv4Hourly = need('publicIpv4Hourly');
    this.loadBalancerHourly = need('loadBalancerHourly');
    this.interfaceEndpointAzHourly = need('interfaceEndpointAzHourly');
    this.fargateX86VcpuHourly = need('fargateX86VcpuHourly');
    this.fargateX86GbHourly = need('fargateX86GbHourly');
    this.fargateArmVcpuHourly = need('fargateArmVcpuHourly');
    this.fargateArmGbHourly = need('fargateArmGbHourly');
    this.fargateSpotDiscount = need('fargateSpotDiscount');
    if (this.fargateSpotDiscount > 1) {
      throw new Error(`\`fargateSpotDiscount\` must be a number between 0 and 1, got: ${this.fargateSpotDiscount}`);
    }
    this.ec2InstanceHourly = priceMap('ec2InstanceHourly', values.ec2InstanceHourly);
    this.rdsInstanceHourly = priceMap('rdsInstanceHourly', values.rdsInstanceHourly);
    this.rdsStorageGbMonthly = priceMap('rdsStorageGbMonthly', values.rdsStorageGbMonthly);
    this.auroraAcuHourly = need('auroraAcuHourly');
    this.elastiCacheNodeHourly = priceMap('elastiCacheNodeHourly', values.elastiCacheNodeHourly);
    this.elastiCacheServerlessMinimumMonthly = values.elastiCacheServerlessMinimumMonthly === undefined ? undefined : need('elastiCacheServerlessMinimumMonthly');
    this.kmsKeyMonthly = need('kmsKeyMonthly');
    this.secretMonthly = need('secretMonthly');
    this.alarmMetricMonthly = need('alarmMetricMonthly');
    this.highResolutionAlarmMetricMonthly = need('highResolutionAlarmMetricMonthly');
    this.compositeAlarmMonthly = need('compositeAlarmMonthly');
    this.dashboardMonthly = need('dashboardMonthly');
    this.freeAlarmMetrics = need('freeAlarmMetrics');
    this.freeDashboards = need('freeDashboards');
    this.hostedZoneMonthly = need('hostedZoneMonthly');
    this.healthCheckAwsMonthly = need('healthCheckAwsMonthly');
    this.healthCheckOtherMonthly = need('healthCheckOtherMonthly');
    this.healthCheckOptionMonthly = need('healthCheckOptionMonthly');
    this.wafWebAclMonthly = need('wafWebAclMonthly');
    this.wafRuleMonthly = need('wafRuleMonthly');
    this.globalAcceleratorHourly = need('globalAcceleratorHourly');
    this.codePipelineV1Monthly = need('codePipelineV1Monthly');
    this.cloudMapInstanceMonthly = need('cloudMapInstanceMonthly');
    this.eksClusterHourly = need('eksClusterHourly');
    this.eksAutoModeFeeShare = need('eksAutoModeFeeShare');
  }

  /**
   * This list with some figures changed. Say where the new figures come from with `takenOn`,
   * `region` and `source`; without them the list keeps the base's date and region and its
   * source says it was overridden.
   */
  public withOverrides(overrides: PriceListOverrides): PriceList {
    const merged: PriceListOverrides = {
      ...this.values(),
      ...definedOnly(overrides),
      source: overrides.source ?? (this.source.endsWith('(overridden)') ? this.source : `${this.source} (overridden)`),
      ec2InstanceHourly: { ...this.ec2InstanceHourly, ...overrides.ec2InstanceHourly },
      rdsInstanceHourly: { ...this.rdsInstanceHourly, ...overrides.rdsInstanceHourly },
      rdsStorageGbMonthly: { ...this.rdsStorageGbMonthly, ...overrides.rdsStorageGbMonthly },
      elastiCacheNodeHourly: { ...this.elastiCacheNodeHourly, ...overrides.elastiCacheNodeHourly },
    };
    return new PriceList(merged, this.unconfirmed);
  }

  /** A one-line description of the list, e.g. for a report's footer. */
  public describe(): string {
    return `${this.region} list prices taken on ${this.takenOn} (${this.source})`;
  }

  private values(): PriceListOverrides {
    const values: { [key: string]: unknown } = {};
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'unconfirmed') values[key] = value;
    }
    return values as PriceListOverrides;
  }
}

/** A copy of a map of prices, refusing a negative or non-numeric price by its key. */
function priceMap(name: string, prices: { [key: string]: number } | undefined): { [key: string]: number } {
  for (const [key, price] of Object.entries(prices ?? {})) {
    if (typeof price !== 'number' || Number.isNaN(price) || price < 0) {
      throw new Error(`\`${name}.${key}\` must be a number of at least 0, got: ${JSON.stringify(price)}`);
    }
  }
  return { ...prices };
}

function definedOnly(overrides: PriceListOverrides): PriceListOverrides {
  const out: { [key: string]: unknown } = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) out[key] = value;
  }
  return out as PriceListOverrides;
}
