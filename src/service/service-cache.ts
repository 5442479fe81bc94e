import { Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import { Profile } from '../core/profile';
import { resolveProfile } from '../private/profile';
import { invalid, reraise } from '../private/validate';
import { checkCacheOptions } from './private/option-checks';

/** The engine of a serverless cache. */
export enum CacheEngine {
  /** Valkey: Redis-compatible and about a third cheaper on ElastiCache Serverless. */
  VALKEY = 'valkey',
  /** Redis OSS. */
  REDIS = 'redis',
}

/** What a service asks of its cache. */
export interface ServiceCacheOptions {
  /**
   * The engine.
   *
   * @default CacheEngine.VALKEY
   */
  readonly engine?: CacheEngine;
  /**
   * The most data the cache may hold, in GB (a cost ceiling).
   *
   * @default 1
   */
  readonly maxDataStorageGb?: number;
  /**
   * The most ElastiCache Processing Units per second (a cost ceiling).
   *
   * @default 5000
   */
  readonly maxEcpuPerSecond?: number;
}

/** Props of a `ServiceCache`. */
export interface ServiceCacheProps extends ServiceCacheOptions {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /**
   * Where the cache's endpoints live (up to three subnets in different AZs are used).
   *
   * @default - isolated subnets, else private, else public (the cache never gets a public address)
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * The deployment profile: production profiles keep the cache when it is removed from the stack
   * (deletion policy Retain) and take daily snapshots kept as long as the profile's backups (at
   * most 35 days). Development deletes it with the stack and takes no snapshot.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * An ElastiCache Serverless cache (Valkey or Redis) reachable only from the peers it admits,
 * with TLS always on. Billed by data stored (at least 100 MB for Valkey, about 6 USD a month) and
 * by requests.
 *
 * @example
 * import { ServiceCache } from 'cdk-lean-stack';
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 *
 * declare const vpc: ec2.IVpc;
 * const cache = new ServiceCache(this, 'Cache', { vpc, maxDataStorageGb: 2 });
 */
export class ServiceCache extends Construct implements ec2.IConnectable {
  /** The serverless cache. */
  public readonly serverlessCache: elasticache.CfnServerlessCache;
  /** The cache's security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The security group connections of the cache. */
  public readonly connections: ec2.Connections;
  /** The endpoint host name. */
  public readonly endpointAddress: string;
  /** The endpoint port. */
  public readonly endpointPort: string;
  /** The engine. */
  public readonly engine: CacheEngine;
  /** The profile. */
  public readonly profile: Profile;

  constructor(scope: Construct, id: string, props: ServiceCacheProps) {
    super(scope, id);
    this.profile = resolveProfile(this, props.profile);
    checkCacheOptions(this, props);
    this.engine = props.engine ?? CacheEngine.VALKEY;

    const vpc = props.vpc;
    const subnetType = vpc.isolatedSubnets.length > 0
      ? ec2.SubnetType.PRIVATE_ISOLATED
      : vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC;
    const subnets = reraise(this, 'subnets', props.subnets?.subnetType ?? props.subnets, () => vpc.selectSubnets(props.subnets ?? { subnetType, onePerAz: true }));

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'Serverless cache: admits only the services that use it',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({
      securityGroups: [this.securityGroup],
      // 6379 is the writer endpoint, 6380 the reader endpoint.
      defaultPort: ec2.Port.tcpRange(6379, 6380),
    });

    const name = Names.uniqueResourceName(this, { maxLength: 39 }).toLowerCase();
    this.serverlessCache = new elasticache.CfnServerlessCache(this, 'Resource', {
      serverlessCacheName: `c${name}`.slice(0, 40),
      engine: this.engine,
      majorEngineVersion: this.engine === CacheEngine.VALKEY ? '8' : '7',
      description: `Cache for ${this.node.path}`.slice(0, 255),
      subnetIds: subnets.subnetIds.slice(0, 3),
      securityGroupIds: [this.securityGroup.securityGroupId],
      cacheUsageLimits: {
        dataStorage: { maximum: props.maxDataStorageGb ?? 1, unit: 'GB' },
        ecpuPerSecond: { maximum: props.maxEcpuPerSecond ?? 5000 },
      },
      snapshotRetentionLimit: this.profile.production ? Math.min(35, Math.max(1, this.profile.backupRetention.toDays())) : undefined,
    });
    // CloudFormation offers no Snapshot deletion policy for serverless caches: production retains.
    this.serverlessCache.applyRemovalPolicy(this.profile.storeRemovalPolicy);
    this.endpointAddress = this.serverlessCache.attrEndpointAddress;
    this.endpointPort = this.serverlessCache.attrEndpointPort;
    if (subnets.subnetIds.length === 0) {
      // A cache needs at least one subnet; report it here rather than at deploy time.
      invalid(this, 'subnets', 'none', 'a selection of at least one subnet');
    }
  }

  /** Admits a peer (a service) to the cache's ports. */
  public allowFrom(peer: ec2.IConnectable, description?: string): void {
    this.connections.allowDefaultPortFrom(peer, description ?? 'Service to cache');
  }

  /** The settings a container needs to connect (TLS is always on). */
  public connectionEnvironment(): { [key: string]: string } {
    return {
      CACHE_HOST: this.endpointAddress,
      CACHE_PORT: this.endpointPort,
      CACHE_TLS: 'true',
      CACHE_ENGINE: this.engine,
    };
  }
}
