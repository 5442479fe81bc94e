import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BreakGlassHost } from './break-glass-host';
import { PostgresVersion } from './postgres-version';
import { INetwork, IPostgresDatabase, PostgresEngineKind } from '../core/contracts';
import { Profile } from '../core/profile';
import { checkBackupRetention, checkEngineProps, checkReachesAws, dataSubnetsOf, MIN_GP3_GIB } from './private/checks';
import { createAuroraCluster, createRdsInstance, createReadReplica, EngineInputs } from './private/engines';
import { protectSecret } from './private/secret';
import { CLI_ROLE, tagForCli } from '../private/cli-tags';
import { resolveProfile } from '../private/profile';
import { checkLogRetentionDays, checkPattern, checkRange, invalid } from '../private/validate';

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

/**
 * PostgreSQL in isolated subnets, on RDS (a `db.t4g.micro` with gp3 storage by default) or Aurora
 * Serverless v2: credentials generated into Secrets Manager, IAM authentication, TLS required,
 * encryption at rest, backups by profile, logs in CloudWatch and Performance Insights' free tier.
 * Only the peers it is told about (`allowFrom`) reach its port.
 *
 * Switching profile or adding a read replica never replaces the database or its secret.
 *
 * @example
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import { Network, PostgresDatabase, Profile } from 'cdk-lean-stack';
 *
 * declare const backend: ec2.IConnectable;
 * const network = new Network(this, 'Network');
 * const db = new PostgresDatabase(this, 'Database', {
 *   network,
 *   profile: Profile.COST_CONSCIOUS_PRODUCTION,
 * });
 * db.allowFrom(backend, 'the backend');
 */
export class PostgresDatabase extends Construct implements IPostgresDatabase {
  /** The engine. */
  public readonly engineKind: PostgresEngineKind;
  /** The credentials secret (RDS JSON shape: username, password, host, port, dbname, engine). */
  public readonly secret: secretsmanager.ISecret;
  /**
   * The same credentials as `secret`, before their attachment to the database added the host and
   * port: a concrete `DatabaseSecret`, e.g. to replicate it to another region for disaster recovery.
   */
  public readonly unattachedSecret: rds.DatabaseSecret;
  /** The writer endpoint's host name. */
  public readonly endpointAddress: string;
  /** The port the database listens on. */
  public readonly port: number = 5432;
  /** The name of the application database. */
  public readonly databaseName: string;
  /** The RDS instance, for the RDS engine. */
  public readonly instance?: rds.DatabaseInstance;
  /** The read replica, when asked for. */
  public readonly replica?: rds.DatabaseInstanceReadReplica;
  /** The Aurora cluster, for the Aurora engine. */
  public readonly cluster?: rds.DatabaseCluster;
  /** The profile. */
  public readonly profile: Profile;
  /** The database's security group: no egress, ingress only from `allowFrom` peers. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Connections to the database port. */
  public readonly connections: ec2.Connections;
  /** The customer-managed key, when one was given. */
  public readonly encryptionKey?: kms.IKey;
  /** The break-glass host, when asked for. */
  public readonly breakGlassHost?: BreakGlassHost;
  /** The network. */
  public readonly network: INetwork;
  /** The log group of PostgreSQL's log (slow statements are logged there). */
  public readonly postgresqlLogGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    this.profile = resolveProfile(this, props.profile);
    this.network = props.network;
    this.engineKind = props.engine ?? (this.profile.production ? PostgresEngineKind.RDS : PostgresEngineKind.AURORA_SERVERLESS_V2);
    this.encryptionKey = props.encryptionKey;
    const version = props.version ?? PostgresVersion.V17;
    const isRds = this.engineKind === PostgresEngineKind.RDS;
    const backupRetention = props.backupRetention ?? this.profile.backupRetention;
    const slow = props.slowStatementThreshold ?? Duration.seconds(1);

    this.databaseName = props.databaseName ?? 'app';
    this.checkProps(props, version, backupRetention, slow);
    const subnets = dataSubnetsOf(this, props.network);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: 'PostgreSQL: admits only the peers it is told about',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(this.port) });

    // The secret is ours (not the engine's) so that it carries `dbname` and keeps its id whatever the engine props.
    const secret = new rds.DatabaseSecret(this, 'Secret', { username: 'postgres', dbname: this.databaseName, encryptionKey: props.encryptionKey });
    secret.applyRemovalPolicy(this.profile.storeRemovalPolicy);
    this.unattachedSecret = secret;

    const input: EngineInputs = {
      vpc: props.network.vpc,
      subnets,
      securityGroup: this.securityGroup,
      credentials: rds.Credentials.fromSecret(secret),
      databaseName: this.databaseName,
      encryptionKey: props.encryptionKey,
      multiAz: props.multiAz ?? this.profile.multiAz,
      backupRetention,
      deletionProtection: props.deletionProtection ?? this.profile.deletionProtection,
      logRetention: props.logRetention ?? this.profile.logRetention,
      profile: this.profile,
      parameters: { 'rds.force_ssl': '1', 'log_min_duration_statement': String(slow.toMilliseconds()) },
    };
    if (isRds) {
      const rdsInput = {
        ...input,
        version: version.rdsVersion,
        instanceType: props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
        allocatedStorage: props.allocatedStorageGiB ?? MIN_GP3_GIB,
        maxAllocatedStorage: props.maxAllocatedStorageGiB ?? Math.max(100, props.allocatedStorageGiB ?? MIN_GP3_GIB),
      };
      this.instance = createRdsInstance(this, rdsInput);
      this.secret = this.instance.secret ?? secret;
      this.endpointAddress = this.instance.dbInstanceEndpointAddress;
      if (props.readReplica) this.replica = createReadReplica(this, this.instance, rdsInput);
    } else {
      const minCapacity = props.minCapacity ?? (this.profile.production ? 0.5 : 0);
      this.cluster = createAuroraCluster(this, {
        ...input,
        version: version.auroraVersion!,
        minCapacity,
        maxCapacity: props.maxCapacity ?? Math.max(4, minCapacity),
        autoPause: props.autoPauseAfter ?? Duration.minutes(5),
      });
      this.secret = this.cluster.secret ?? secret;
      this.endpointAddress = this.cluster.clusterEndpoint.hostname;
    }

    // Created with the engine under a fixed id (see exportLogGroups).
    this.postgresqlLogGroup = this.node.tryFindChild('LogsPostgresql') as logs.LogGroup | undefined;

    protectSecret(this, {
      secret: this.secret,
      generated: secret,
      connections: this.connections,
      network: props.network,
      subnets,
      rotateAfter: props.rotateSecretAfter,
      customerKey: props.encryptionKey !== undefined,
    });

    // `npx cdk-lean-stack tunnel` and `status` find the database through these tags.
    tagForCli(secret, CLI_ROLE.databaseSecret);
    tagForCli(this.instance ?? this.cluster!, CLI_ROLE.database);
    if (this.replica) tagForCli(this.replica, CLI_ROLE.databaseReplica);
    if (props.breakGlassHost) {
      this.breakGlassHost = new BreakGlassHost(this, 'BreakGlassHost', { network: props.network, database: this, profile: this.profile });
    }
  }

  /**
   * Admits a peer to the database port.
   *
   * @param peer the peer, e.g. a service or a migration runner
   * @param description why the peer is admitted
   */
  public allowFrom(peer: ec2.IConnectable, description?: string): void {
    this.connections.allowDefaultPortFrom(peer, description ?? 'PostgreSQL client');
  }

  private checkProps(props: PostgresDatabaseProps, version: PostgresVersion, backupRetention: Duration, slow: Duration): void {
    checkPattern(this, 'databaseName', this.databaseName, /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, 'a letter followed by up to 62 letters, digits or underscores');
    checkBackupRetention(this, backupRetention, this.profile.production);
    checkRange(this, 'slowStatementThreshold (milliseconds)', slow.toMilliseconds({ integral: false }), { min: 0, max: 2147483647, integer: true });
    checkEngineProps(this, props, this.engineKind, this.profile.production, version);
    checkLogRetentionDays(this, 'logRetention', props.logRetention);
    const backupDays = backupRetention.toDays({ integral: false });
    if (props.readReplica && !Token.isUnresolved(backupDays) && backupDays === 0) {
      // RDS creates a read replica only from a source that keeps automated backups.
      invalid(this, 'readReplica', true, 'false when `backupRetention` is 0 days (a read replica needs a source with automated backups)');
    }
    if (props.rotateSecretAfter && !props.rotateSecretAfter.isUnresolved()) {
      const hours = props.rotateSecretAfter.toHours({ integral: false });
      if (hours < 4 || hours > 24000) {
        invalid(this, 'rotateSecretAfter', props.rotateSecretAfter.toHumanString(), 'a duration from 4 hours to 1000 days (what Secrets Manager rotation accepts)');
      }
    }
    if (props.rotateSecretAfter) {
      checkReachesAws(this, 'rotateSecretAfter', props.network, ['secretsmanager'], 'Rotation runs in a Lambda function inside the VPC.');
    }
    if (props.breakGlassHost) {
      checkReachesAws(this, 'breakGlassHost', props.network, ['ssm', 'ssmmessages'], 'Session Manager\'s agent must reach Systems Manager.');
    }
  }
}
