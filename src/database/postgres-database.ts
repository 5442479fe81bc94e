import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BreakGlassHost } from './break-glass-host';
import { PostgresDatabaseProps } from './postgres-database-props';
import { PostgresVersion } from './postgres-version';
import { INetwork, IPostgresDatabase, PostgresEngineKind } from '../core/contracts';
import { Profile } from '../core/profile';
import { checkDatabaseProps, dataSubnetsOf } from './private/checks';
import { createEngine, EngineInputs } from './private/engines';
import { protectSecret } from './private/secret';
import { CLI_ROLE, tagForCli } from '../private/cli-tags';
import { createDataKey } from '../private/kms';
import { resolveProfile } from '../private/profile';
import { checkNotBoth } from '../private/validate';

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
  public readonly port: number;
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
    checkNotBoth(this, 'encryptionKey', props.encryptionKey, 'customerManagedKey', props.customerManagedKey || undefined);
    this.encryptionKey = props.encryptionKey ?? (props.customerManagedKey ? databaseKey(this) : undefined);
    const encryptionKey = this.encryptionKey;
    const version = props.version ?? PostgresVersion.V17;
    const backupRetention = props.backupRetention ?? this.profile.backupRetention;
    const slow = props.slowStatementThreshold ?? Duration.seconds(1);

    this.databaseName = props.databaseName ?? 'app';
    this.port = props.port ?? 5432;
    checkDatabaseProps(this, props, {
      engine: this.engineKind,
      version,
      production: this.profile.production,
      databaseName: this.databaseName,
      backupRetention,
      slowStatementThreshold: slow,
    });
    const subnets = dataSubnetsOf(this, props.network);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: 'PostgreSQL: admits only the peers it is told about',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(this.port) });

    // The secret is ours (not the engine's) so that it carries `dbname` and keeps its id whatever the engine props.
    const secret = new rds.DatabaseSecret(this, 'Secret', { username: 'postgres', dbname: this.databaseName, encryptionKey });
    secret.applyRemovalPolicy(this.profile.storeRemovalPolicy);
    this.unattachedSecret = secret;

    const input: EngineInputs = {
      vpc: props.network.vpc,
      subnets,
      securityGroup: this.securityGroup,
      credentials: rds.Credentials.fromSecret(secret),
      databaseName: this.databaseName,
      encryptionKey,
      multiAz: props.multiAz ?? this.profile.multiAz,
      backupRetention,
      deletionProtection: props.deletionProtection ?? this.profile.deletionProtection,
      logRetention: props.logRetention ?? this.profile.logRetention,
      port: this.port,
      monitoringInterval: props.monitoringInterval ?? Duration.seconds(this.profile.enhancedMonitoring ? 60 : 0),
      profile: this.profile,
      parameters: { 'rds.force_ssl': '1', 'log_min_duration_statement': String(slow.toMilliseconds()) },
    };
    const engine = createEngine(this, input, { kind: this.engineKind, version, props });
    this.instance = engine.instance;
    this.replica = engine.replica;
    this.cluster = engine.cluster;
    this.secret = (this.instance ?? this.cluster)?.secret ?? secret;
    this.endpointAddress = this.instance?.dbInstanceEndpointAddress ?? this.cluster!.clusterEndpoint.hostname;

    // Created with the engine under a fixed id (see exportLogGroups).
    this.postgresqlLogGroup = this.node.tryFindChild('LogsPostgresql') as logs.LogGroup | undefined;

    protectSecret(this, {
      secret: this.secret,
      generated: secret,
      connections: this.connections,
      network: props.network,
      subnets,
      rotateAfter: props.rotateSecretAfter,
      customerKey: encryptionKey !== undefined,
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
}

/** The key `customerManagedKey` asks for, kept in production with the snapshots and the retained secret it encrypts. */
function databaseKey(database: PostgresDatabase): kms.Key {
  return createDataKey(database, 'Key', {
    description: `Encrypts the database ${database.node.path}, its secret and its Performance Insights`,
    removalPolicy: database.profile.storeRemovalPolicy,
  });
}
