/**
 * Figures to change in a `PriceList`: every field is optional, and the ones left out keep the
 * base list's value. Lookup tables (`ec2InstanceHourly`, `rdsInstanceHourly`, ...) are merged
 * key by key with the base list's table.
 */
export interface PriceListOverrides {
  /**
   * The day the new figures were taken, as YYYY-MM-DD.
   *
   * @default - the base list's date
   */
  readonly takenOn?: string;
  /**
   * The region the new figures are for.
   *
   * @default - the base list's region
   */
  readonly region?: string;
  /**
   * Where the new figures come from.
   *
   * @default - the base list's source, marked as overridden
   */
  readonly source?: string;
  /**
   * Hours in a billing month.
   *
   * @default - the base list's value (730)
   */
  readonly hoursPerMonth?: number;
  /** NAT gateway, per hour. @default - the base list's value */
  readonly natGatewayHourly?: number;
  /** A public IPv4 address (in use or idle), per hour. @default - the base list's value */
  readonly publicIpv4Hourly?: number;
  /** An Application or Network Load Balancer, per hour (LCUs not counted). @default - the base list's value */
  readonly loadBalancerHourly?: number;
  /** An interface VPC endpoint, per AZ and hour. @default - the base list's value */
  readonly interfaceEndpointAzHourly?: number;
  /** Fargate Linux x86_64, per vCPU-hour. @default - the base list's value */
  readonly fargateX86VcpuHourly?: number;
  /** Fargate Linux x86_64, per GB-hour. @default - the base list's value */
  readonly fargateX86GbHourly?: number;
  /** Fargate Linux ARM64, per vCPU-hour. @default - the base list's value */
  readonly fargateArmVcpuHourly?: number;
  /** Fargate Linux ARM64, per GB-hour. @default - the base list's value */
  readonly fargateArmGbHourly?: number;
  /** The share Fargate Spot takes off the on-demand price, between 0 and 1. @default - the base list's value */
  readonly fargateSpotDiscount?: number;
  /** EC2 Linux on-demand instances, per hour, by instance type (e.g. `t4g.nano`). @default - the base list's table */
  readonly ec2InstanceHourly?: { [instanceType: string]: number };
  /**
   * RDS and Aurora provisioned instances, single-AZ, per hour, by `<engine>:<class>` (e.g.
   * `postgres:db.t4g.micro`, `aurora-postgresql:db.r6g.large`) or by class alone.
   *
   * @default - the base list's table
   */
  readonly rdsInstanceHourly?: { [engineAndClass: string]: number };
  /** RDS storage, single-AZ, per GB-month, by storage type (e.g. `gp3`). @default - the base list's table */
  readonly rdsStorageGbMonthly?: { [storageType: string]: number };
  /** Aurora Serverless v2, per ACU-hour. @default - the base list's value */
  readonly auroraAcuHourly?: number;
  /** ElastiCache nodes, per hour, by node type (e.g. `cache.t4g.micro`). @default - the base list's table */
  readonly elastiCacheNodeHourly?: { [nodeType: string]: number };
  /** The monthly minimum of an idle ElastiCache Serverless cache. @default - the base list's value */
  readonly elastiCacheServerlessMinimumMonthly?: number;
  /** A KMS customer managed key, per month. @default - the base list's value */
  readonly kmsKeyMonthly?: number;
  /** A Secrets Manager secret, per month. @default - the base list's value */
  readonly secretMonthly?: number;
  /** A standard-resolution CloudWatch alarm metric, per month. @default - the base list's value */
  readonly alarmMetricMonthly?: number;
  /** A high-resolution CloudWatch alarm metric, per month. @default - the base list's value */
  readonly highResolutionAlarmMetricMonthly?: number;
  /** A CloudWatch composite alarm, per month. @default - the base list's value */
  readonly compositeAlarmMonthly?: number;
  /** A CloudWatch dashboard, per month. @default - the base list's value */
  readonly dashboardMonthly?: number;
  /** Standard alarm metrics free per account each month. @default - the base list's value */
  readonly freeAlarmMetrics?: number;
  /** Dashboards free per account each month. @default - the base list's value */
  readonly freeDashboards?: number;
  /** A Route 53 hosted zone (also a Cloud Map DNS namespace), per month. @default - the base list's value */
  readonly hostedZoneMonthly?: number;
  /** A Route 53 health check of an AWS endpoint, per month. @default - the base list's value */
  readonly healthCheckAwsMonthly?: number;
  /** A Route 53 health check of a non-AWS endpoint, per month. @default - the base list's value */
  readonly healthCheckOtherMonthly?: number;
  /** Each optional health check feature (HTTPS, string matching, 10 s interval), per month. @default - the base list's value */
  readonly healthCheckOptionMonthly?: number;
  /** A WAF web ACL, per month. @default - the base list's value */
  readonly wafWebAclMonthly?: number;
  /** A WAF rule (a managed rule group counts as one), per month. @default - the base list's value */
  readonly wafRuleMonthly?: number;
  /** A Global Accelerator, per hour. @default - the base list's value */
  readonly globalAcceleratorHourly?: number;
  /** A CodePipeline V1 pipeline, per month. @default - the base list's value */
  readonly codePipelineV1Monthly?: number;
  /** A Cloud Map registered instance, per month. @default - the base list's value */
  readonly cloudMapInstanceMonthly?: number;
  /** An EKS cluster's control plane (standard support), per hour. @default - the base list's value */
  readonly eksClusterHourly?: number;
  /** EKS Auto Mode's management fee as a share of the instance's on-demand price, between 0 and 1. @default - the base list's value */
  readonly eksAutoModeFeeShare?: number;
}
