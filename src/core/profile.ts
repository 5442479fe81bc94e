import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Egress } from '../network/egress';
import { LeanStackValidationError } from '../private/validate';

/**
 * The decisions a profile makes. Every field is optional so that one decision can be overridden
 * with `Profile.withOverrides({ ... })` while the profile keeps the rest.
 */
export interface ProfileDecisions {
  /**
   * Whether stores that hold data are kept safe: retained or snapshotted on delete, deletion
   * protection on, backups of at least 7 days.
   *
   * @default - per profile (false in development)
   */
  readonly production?: boolean;

  /**
   * What happens to data stores (buckets, databases, log groups) when they leave the stack.
   * `SNAPSHOT` applies to databases; other stores treat it as `RETAIN`.
   *
   * @default - per profile (DESTROY in development, SNAPSHOT otherwise)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Deletion protection on databases and load balancers.
   *
   * @default - per profile (true in production profiles)
   */
  readonly deletionProtection?: boolean;

  /**
   * A standby in a second AZ for the database (RDS Multi-AZ, or an Aurora reader).
   *
   * @default - per profile (true only in highly available production)
   */
  readonly multiAz?: boolean;

  /**
   * How private workloads reach the internet.
   *
   * @default - per profile (none, none, a NAT gateway per AZ)
   */
  readonly egress?: Egress;

  /**
   * How long logs are kept.
   *
   * @default - per profile (1 week, 1 month, 3 months)
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Automated database backup retention.
   *
   * @default - per profile (1 day, 7 days, 14 days)
   */
  readonly backupRetention?: Duration;

  /**
   * VPC flow logs to CloudWatch Logs.
   *
   * @default - per profile (off in development)
   */
  readonly flowLogs?: boolean;

  /**
   * Access logs for CloudFront, S3 and load balancers.
   *
   * @default - per profile (off in development)
   */
  readonly accessLogs?: boolean;

  /**
   * Whether Fargate Spot may carry tasks (x86_64 only). Production profiles refuse a Spot base.
   *
   * @default - per profile (only development)
   */
  readonly spotAllowed?: boolean;

  /**
   * The fewest tasks a service runs.
   *
   * @default - per profile (1, 1, 2)
   */
  readonly minTasks?: number;

  /**
   * The most tasks autoscaling may run.
   *
   * @default - per profile (2, 4, 10)
   */
  readonly maxTasks?: number;

  /**
   * ECS Container Insights (billed as custom metrics).
   *
   * @default - per profile (only highly available production)
   */
  readonly containerInsights?: boolean;

  /**
   * A CloudWatch dashboard (3 USD a month beyond the free three).
   *
   * @default - per profile (off in development)
   */
  readonly dashboard?: boolean;

  /**
   * Encrypts the log groups this library creates with one customer managed KMS key per stack
   * (1 USD a month per key, plus 0.03 USD per 10,000 requests), instead of CloudWatch Logs'
   * own encryption. Organizations that enforce AWS Control Tower's CT.CLOUDWATCH.PR.3 need it.
   * Turning it on or off associates or disassociates the key on the existing groups (no group is
   * replaced). Events logged while it was on stay encrypted with the key, so production profiles
   * keep the key when it leaves the template.
   *
   * @default - per profile (only highly available production)
   */
  readonly encryptLogs?: boolean;

  /**
   * RDS Enhanced Monitoring: the database's operating-system metrics every 60 seconds, written by
   * RDS to the `RDSOSMetrics` log group (billed as CloudWatch Logs ingestion). Organizations that
   * enforce AWS Control Tower's CT.RDS.PR.2 need it. Turning it on or off modifies the database in
   * place (RDS's ModifyDBInstance takes the interval).
   *
   * @default - per profile (only highly available production)
   */
  readonly enhancedMonitoring?: boolean;
}

/** Every decision a profile makes, resolved. */
interface ResolvedDecisions {
  production: boolean;
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
  multiAz: boolean;
  egress: Egress;
  logRetention: logs.RetentionDays;
  backupRetention: Duration;
  flowLogs: boolean;
  accessLogs: boolean;
  spotAllowed: boolean;
  minTasks: number;
  maxTasks: number;
  containerInsights: boolean;
  dashboard: boolean;
  encryptLogs: boolean;
  enhancedMonitoring: boolean;
}

/**
 * A deployment profile: one value that decides how cheap, how safe and how available every
 * construct in this library is. Growing from one profile to the next is a change of this value,
 * never a rewrite, and never replaces a database or a bucket that holds data.
 *
 * @example
 * import { Profile } from 'cdk-lean-stack';
 *
 * // the default
 * const prod = Profile.COST_CONSCIOUS_PRODUCTION;
 * // a profile with one decision changed
 * const prodMultiAz = Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({ multiAz: true });
 */
export class Profile {
  /**
   * Cheapest: single AZ, Spot allowed, short retention, data destroyed with the stack.
   */
  public static readonly DEVELOPMENT = new Profile('development', {
    production: false,
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    multiAz: false,
    egress: Egress.none(),
    logRetention: logs.RetentionDays.ONE_WEEK,
    backupRetention: Duration.days(1),
    flowLogs: false,
    accessLogs: false,
    spotAllowed: true,
    minTasks: 1,
    maxTasks: 2,
    containerInsights: false,
    dashboard: false,
    encryptLogs: false,
    enhancedMonitoring: false,
  });

  /**
   * The default: production-safe data handling at the lowest idle cost.
   */
  public static readonly COST_CONSCIOUS_PRODUCTION = new Profile('cost-conscious-production', {
    production: true,
    removalPolicy: RemovalPolicy.SNAPSHOT,
    deletionProtection: true,
    multiAz: false,
    egress: Egress.none(),
    logRetention: logs.RetentionDays.ONE_MONTH,
    backupRetention: Duration.days(7),
    flowLogs: true,
    accessLogs: true,
    spotAllowed: false,
    minTasks: 1,
    maxTasks: 4,
    containerInsights: false,
    dashboard: true,
    encryptLogs: false,
    enhancedMonitoring: false,
  });

  /**
   * Multi-AZ database, NAT per AZ, at least two tasks, logs kept a year and encrypted with a customer managed key, enhanced database monitoring (as AWS Control Tower expects).
   */
  public static readonly HIGHLY_AVAILABLE_PRODUCTION = new Profile('highly-available-production', {
    production: true,
    removalPolicy: RemovalPolicy.SNAPSHOT,
    deletionProtection: true,
    multiAz: true,
    egress: Egress.natGatewayPerAz(),
    logRetention: logs.RetentionDays.ONE_YEAR,
    backupRetention: Duration.days(14),
    flowLogs: true,
    accessLogs: true,
    spotAllowed: false,
    minTasks: 2,
    maxTasks: 10,
    containerInsights: true,
    dashboard: true,
    encryptLogs: true,
    enhancedMonitoring: true,
  });


  /**
   * A profile by name, e.g. from CDK context (`cdk synth -c profile=development`).
   *
   * @param scope where to report a bad name
   * @param name one of `development`, `cost-conscious-production`, `highly-available-production`
   */
  public static fromName(scope: Construct, name: string): Profile {
    const all = [Profile.DEVELOPMENT, Profile.COST_CONSCIOUS_PRODUCTION, Profile.HIGHLY_AVAILABLE_PRODUCTION];
    const found = all.find((p) => p.name === name);
    if (!found) {
      throw new LeanStackValidationError(scope, `\`profile\` must be one of ${all.map((p) => p.name).join(', ')}, got: '${name}'`);
    }
    return found;
  }

  /** Whether data stores are kept safe (retained, protected, backed up for 7+ days). */
  public readonly production: boolean;
  /** What happens to data stores when they leave the stack. */
  public readonly removalPolicy: RemovalPolicy;
  /** Deletion protection on databases and load balancers. */
  public readonly deletionProtection: boolean;
  /** A database standby in a second AZ. */
  public readonly multiAz: boolean;
  /** How private workloads reach the internet. */
  public readonly egress: Egress;
  /** How long logs are kept. */
  public readonly logRetention: logs.RetentionDays;
  /** Automated database backup retention. */
  public readonly backupRetention: Duration;
  /** VPC flow logs. */
  public readonly flowLogs: boolean;
  /** Access logs for CloudFront, S3 and load balancers. */
  public readonly accessLogs: boolean;
  /** Whether Fargate Spot may carry tasks. */
  public readonly spotAllowed: boolean;
  /** The fewest tasks a service runs. */
  public readonly minTasks: number;
  /** The most tasks autoscaling may run. */
  public readonly maxTasks: number;
  /** ECS Container Insights. */
  public readonly containerInsights: boolean;
  /** A CloudWatch dashboard. */
  public readonly dashboard: boolean;
  /** Log groups encrypted with a customer managed key. */
  public readonly encryptLogs: boolean;
  /** RDS Enhanced Monitoring every 60 seconds. */
  public readonly enhancedMonitoring: boolean;

  private constructor(
    /** The profile's name, e.g. `development`; a profile made by `withOverrides()` keeps its base's name with `+custom`. */
    public readonly name: string,
    decisions: ResolvedDecisions,
  ) {
    this.production = decisions.production;
    this.removalPolicy = decisions.removalPolicy;
    this.deletionProtection = decisions.deletionProtection;
    this.multiAz = decisions.multiAz;
    this.egress = decisions.egress;
    this.logRetention = decisions.logRetention;
    this.backupRetention = decisions.backupRetention;
    this.flowLogs = decisions.flowLogs;
    this.accessLogs = decisions.accessLogs;
    this.spotAllowed = decisions.spotAllowed;
    this.minTasks = decisions.minTasks;
    this.maxTasks = decisions.maxTasks;
    this.containerInsights = decisions.containerInsights;
    this.dashboard = decisions.dashboard;
    this.encryptLogs = decisions.encryptLogs;
    this.enhancedMonitoring = decisions.enhancedMonitoring;
  }

  /**
   * This profile with some decisions changed, the rest staying as they are.
   */
  public withOverrides(overrides: ProfileDecisions): Profile {
    const base = this.name.endsWith('+custom') ? this.name : `${this.name}+custom`;
    return new Profile(base, {
      production: overrides.production ?? this.production,
      removalPolicy: overrides.removalPolicy ?? this.removalPolicy,
      deletionProtection: overrides.deletionProtection ?? this.deletionProtection,
      multiAz: overrides.multiAz ?? this.multiAz,
      egress: overrides.egress ?? this.egress,
      logRetention: overrides.logRetention ?? this.logRetention,
      backupRetention: overrides.backupRetention ?? this.backupRetention,
      flowLogs: overrides.flowLogs ?? this.flowLogs,
      accessLogs: overrides.accessLogs ?? this.accessLogs,
      spotAllowed: overrides.spotAllowed ?? this.spotAllowed,
      minTasks: overrides.minTasks ?? this.minTasks,
      maxTasks: overrides.maxTasks ?? this.maxTasks,
      containerInsights: overrides.containerInsights ?? this.containerInsights,
      dashboard: overrides.dashboard ?? this.dashboard,
      encryptLogs: overrides.encryptLogs ?? this.encryptLogs,
      enhancedMonitoring: overrides.enhancedMonitoring ?? this.enhancedMonitoring,
    });
  }

  /**
   * The removal policy for a store that cannot be snapshotted (a bucket, a log group, a secret):
   * `SNAPSHOT` becomes `RETAIN`.
   */
  public get storeRemovalPolicy(): RemovalPolicy {
    return this.removalPolicy === RemovalPolicy.SNAPSHOT ? RemovalPolicy.RETAIN : this.removalPolicy;
  }
}
