import * as rds from 'aws-cdk-lib/aws-rds';

/**
 * A PostgreSQL major version, for both engines `PostgresDatabase` offers. RDS runs the major
 * version's current minor release (and upgrades minor versions automatically); Aurora needs a
 * full version and gets the newest that aws-cdk-lib knows.
 *
 * @example
 * import * as rds from 'aws-cdk-lib/aws-rds';
 * import { PostgresVersion } from 'cdk-lean-stack';
 *
 * const v16 = PostgresVersion.V16;
 * const pinned = PostgresVersion.of('16', rds.PostgresEngineVersion.VER_16_13, rds.AuroraPostgresEngineVersion.VER_16_13);
 */
export class PostgresVersion {
  /** PostgreSQL 16. */
  public static readonly V16 = new PostgresVersion('16', rds.PostgresEngineVersion.VER_16, rds.AuroraPostgresEngineVersion.VER_16_13);
  /** PostgreSQL 17 (the default). */
  public static readonly V17 = new PostgresVersion('17', rds.PostgresEngineVersion.VER_17, rds.AuroraPostgresEngineVersion.VER_17_9);

  /**
   * A version of your choice.
   *
   * @param majorVersion the major version, e.g. `17`
   * @param rdsVersion the RDS for PostgreSQL version
   * @param auroraVersion the Aurora PostgreSQL version; leave it out for a version Aurora does not offer
   */
  public static of(majorVersion: string, rdsVersion: rds.PostgresEngineVersion, auroraVersion?: rds.AuroraPostgresEngineVersion): PostgresVersion {
    return new PostgresVersion(majorVersion, rdsVersion, auroraVersion);
  }

  private constructor(
    /** The major version, e.g. `17`. */
    public readonly majorVersion: string,
    /** The RDS for PostgreSQL engine version. */
    public readonly rdsVersion: rds.PostgresEngineVersion,
    /** The Aurora PostgreSQL engine version, when Aurora offers this major version. */
    public readonly auroraVersion?: rds.AuroraPostgresEngineVersion,
  ) {}
}
