import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PostgresVersion } from './postgres-version';
import { INetwork, PostgresEngineKind } from '../core/contracts';
import { Profile } from '../core/profile';

/**
 * Props for `PostgresDatabase`.
 */
export interface PostgresDatabaseProps {
  /** The network whose isolated subnets hold the database. */
  readonly network: INetwork;

  /**
   * The deployment profile: decides backups, deletion protection, snapshot on delete, Multi-AZ,
   * log retention and the default `engine`. Moving between the production profiles never replaces
   * the database or its secret; development defaults to another engine, so pin `engine` before
   * moving a development database into a production profile.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;

  /**
   * The engine. Choose once: changing engines is a new database.
   *
   * @default - Aurora Serverless v2 in development (it pauses at zero capacity when idle, so an
   * idle development database costs only its storage); RDS in the production profiles (a
   * db.t4g.micro costs less than Aurora's minimum capacity running all month)
   */
  readonly engine?: PostgresEngineKind;

  /**
   * The PostgreSQL major version.
   *
   * @default PostgresVersion.V17
   */
  readonly version?: PostgresVersion;

  /**
   * The name of the application database (letters, digits and underscores, starting with a letter).
   * Choose once: changing it replaces the database.
   *
   * @default 'app'
   */
  readonly databaseName?: string;

  /**
   * The port the database listens on, 1150 to 65535. Every construct that connects to it (the
   * service, migrations, the DR replica, the CLI's tunnel) reads it from the database. Choose it
   * when the database is created. A port other than 5432 is what AWS Control Tower's CT.RDS.PR.20
   * asks for; the security group, not the port, is what keeps clients out.
   *
   * @default 5432
   */
  readonly port?: number;

  /**
   * The RDS instance type (RDS only), e.g. `ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL)`
   * for a `db.t4g.small`.
   *
   * @default - a db.t4g.micro
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * The initial gp3 storage in GiB (RDS only), from 20.
   *
   * @default 20
   */
  readonly allocatedStorageGiB?: number;

  /**
   * The most storage autoscaling may grow to, in GiB (RDS only).
   *
   * @default 100
   */
  readonly maxAllocatedStorageGiB?: number;

  /**
   * The fewest Aurora capacity units (Aurora only), 0 to 256 in steps of 0.5. At 0 the database
   * pauses when idle and costs only its storage; the first connection waits about 15 s.
   *
   * @default - 0 in development, 0.5 otherwise
   */
  readonly minCapacity?: number;

  /**
   * The most Aurora capacity units (Aurora only), 1 to 256 in steps of 0.5.
   *
   * @default 4
   */
  readonly maxCapacity?: number;

  /**
   * How long an Aurora database at 0 ACU stays idle before it pauses (5 minutes to 24 hours).
   *
   * @default Duration.minutes(5)
   */
  readonly autoPauseAfter?: Duration;

  /**
   * A standby in a second AZ (RDS Multi-AZ, or an Aurora reader). Overrides the profile.
   *
   * @default - the profile's choice (only highly available production)
   */
  readonly multiAz?: boolean;

  /**
   * A read replica in the same region (RDS only), exposed as `replica`. Adding it later never
   * replaces the source instance.
   *
   * @default false
   */
  readonly readReplica?: boolean;

  /**
   * Automated backup retention with point-in-time recovery, 0 to 35 days (7 to 35 in production).
   *
   * @default - the profile's choice (1 day, 7 days, 14 days)
   */
  readonly backupRetention?: Duration;

  /**
   * Deletion protection. Overrides the profile.
   *
   * @default - the profile's choice (on in production profiles)
   */
  readonly deletionProtection?: boolean;

  /**
   * A customer-managed KMS key for storage, Performance Insights and the secret. Choose once:
   * changing the key replaces the database.
   *
   * @default - AWS-managed keys (no monthly key cost)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Creates a customer-managed KMS key for the database (1 USD a month), used where
   * `encryptionKey` would be: rotated yearly, kept when the stack goes in production profiles,
   * and handing out grants only for AWS resources. Organizations that enforce AWS Control
   * Tower's CT.RDS.PR.30 need one. Choose once, when the database is created: changing the key
   * replaces the database. Not with `encryptionKey`.
   *
   * @default false
   */
  readonly customerManagedKey?: boolean;

  /**
   * Rotates the master password on this schedule with Secrets Manager's hosted single-user
   * rotation. The rotation Lambda runs in the VPC, so the network needs NAT or a
   * `secretsmanager` interface endpoint.
   *
   * @default - no rotation
   */
  readonly rotateSecretAfter?: Duration;

  /**
   * Statements slower than this are logged (`log_min_duration_statement`).
   *
   * @default Duration.seconds(1)
   */
  readonly slowStatementThreshold?: Duration;

  /**
   * RDS Enhanced Monitoring's interval: the operating-system metrics (CPU per process, memory,
   * file system) RDS writes to the `RDSOSMetrics` log group, billed as CloudWatch Logs ingestion.
   * One of 1, 5, 10, 15, 30 or 60 seconds, or `Duration.seconds(0)` for off. Changing it modifies
   * the database in place. On Aurora it applies to every instance of the cluster.
   *
   * @default - the profile's choice: 60 seconds with `enhancedMonitoring` (highly available production), else off
   */
  readonly monitoringInterval?: Duration;

  /**
   * How long the PostgreSQL logs are kept in CloudWatch Logs.
   *
   * @default - the profile's log retention
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A tiny, inbound-closed host reachable only through SSM Session Manager port forwarding, for
   * emergency access to the database. The network needs NAT or `ssm` and `ssmmessages` endpoints.
   *
   * @default false
   */
  readonly breakGlassHost?: boolean;
}
