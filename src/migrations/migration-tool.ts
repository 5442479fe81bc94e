import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { IConstruct } from 'constructs';
import { checkPattern, invalid } from '../private/validate';

/** The schema migration tools `MigrationTool` knows. */
export enum MigrationToolKind {
  /** Liquibase (`update`, with `validate`, `status` and `update-sql` as the dry run). */
  LIQUIBASE = 'liquibase',
  /** Flyway (`migrate`, with `info` and `validate` as the dry run). */
  FLYWAY = 'flyway',
  /** Sqitch (`deploy --verify`, with `plan`, `status` and `verify` as the dry run). */
  SQITCH = 'sqitch',
  /** Your own commands. */
  CUSTOM = 'custom',
}

/** Options for `MigrationTool.liquibase()`. */
export interface LiquibaseToolOptions {
  /**
   * The root changelog, relative to the root of the source (or absolute inside the build image).
   *
   * @default 'changelog/db.changelog-master.yaml'
   */
  readonly changelogFile?: string;
  /**
   * The Liquibase version: the tag of the `liquibase/liquibase` image on Docker Hub.
   *
   * @default MigrationTool.LIQUIBASE_DEFAULT_VERSION
   */
  readonly version?: string;
  /**
   * The build image, e.g. a copy of the Liquibase image in your own ECR repository
   * (`codebuild.LinuxBuildImage.fromEcrRepository(repo, '4.31.1')`). Required when the network has
   * no NAT, because a build without NAT cannot reach Docker Hub.
   *
   * @default - `liquibase/liquibase:<version>` from Docker Hub
   */
  readonly image?: codebuild.IBuildImage;
  /**
   * Liquibase contexts to apply (`--contexts`).
   *
   * @default - all changesets, whatever their context
   */
  readonly contexts?: string;
}

/** Options for `MigrationTool.flyway()`. */
export interface FlywayToolOptions {
  /**
   * Where the migrations are, relative to the root of the source (or absolute inside the build image).
   *
   * @default 'sql'
   */
  readonly migrationsDirectory?: string;
  /**
   * The Flyway version: the tag of the `flyway/flyway` image on Docker Hub.
   *
   * @default MigrationTool.FLYWAY_DEFAULT_VERSION
   */
  readonly version?: string;
  /**
   * The build image, e.g. a copy of the Flyway image in your own ECR repository. Required when the
   * network has no NAT.
   *
   * @default - `flyway/flyway:<version>` from Docker Hub
   */
  readonly image?: codebuild.IBuildImage;
}

/** Options for `MigrationTool.sqitch()`. */
export interface SqitchToolOptions {
  /**
   * The Sqitch project directory (the one holding `sqitch.plan`), relative to the root of the source.
   *
   * @default '.'
   */
  readonly projectDirectory?: string;
  /**
   * The Sqitch version: the tag of the `sqitch/sqitch` image on Docker Hub.
   *
   * @default MigrationTool.SQITCH_DEFAULT_VERSION
   */
  readonly version?: string;
  /**
   * The build image, e.g. a copy of the Sqitch image in your own ECR repository. Required when the
   * network has no NAT.
   *
   * @default - `sqitch/sqitch:<version>` from Docker Hub
   */
  readonly image?: codebuild.IBuildImage;
}

/** Options for `MigrationTool.custom()`. */
export interface CustomMigrationToolOptions {
  /**
   * The commands that migrate the database. They see `PGHOST`, `PGPORT`, `PGDATABASE`,
   * `PGSSLMODE=require`, and `PGUSER` / `PGPASSWORD` from the database secret.
   */
  readonly migrateCommands: string[];
  /**
   * The commands of the dry run and of the check before migrating. Files written to
   * `$MIGRATION_REPORT_DIR` are kept as the report artifact.
   *
   * @default - no check: the dry run only says that it has nothing to check
   */
  readonly validateCommands?: string[];
  /**
   * The build image.
   *
   * @default codebuild.LinuxBuildImage.STANDARD_7_0 (pulled by CodeBuild, works without NAT)
   */
  readonly image?: codebuild.IBuildImage;
}

/**
 * The migration tool a build runs, at a pinned version. The tool's own image is the build image:
 * nothing is downloaded at build time, the version is exactly the one you pin, and no privileged
 * Docker-in-Docker is needed.
 *
 * @example
 * import { MigrationTool } from 'cdk-lean-stack';
 *
 * const liquibase = MigrationTool.liquibase({ changelogFile: 'db/changelog.yaml', version: '4.31.1' });
 * const flyway = MigrationTool.flyway({ migrationsDirectory: 'db/sql' });
 * const sqitch = MigrationTool.sqitch({ projectDirectory: 'db' });
 */
export class MigrationTool {
  /** The Liquibase image tag used when none is given. */
  public static readonly LIQUIBASE_DEFAULT_VERSION = '4.31.1';
  /** The Flyway image tag used when none is given. */
  public static readonly FLYWAY_DEFAULT_VERSION = '11.3.0';
  /** The Sqitch image tag used when none is given. */
  public static readonly SQITCH_DEFAULT_VERSION = 'v1.4.1';

  /** Liquibase (the default tool). */
  public static liquibase(options: LiquibaseToolOptions = {}): MigrationTool {
    const version = options.version ?? MigrationTool.LIQUIBASE_DEFAULT_VERSION;
    return new MigrationTool(MigrationToolKind.LIQUIBASE, {
      version,
      image: options.image ?? codebuild.LinuxBuildImage.fromDockerRegistry(`liquibase/liquibase:${version}`),
      path: options.changelogFile ?? 'changelog/db.changelog-master.yaml',
      pathProp: 'changelogFile',
      contexts: options.contexts,
    });
  }

  /** Flyway. */
  public static flyway(options: FlywayToolOptions = {}): MigrationTool {
    const version = options.version ?? MigrationTool.FLYWAY_DEFAULT_VERSION;
    return new MigrationTool(MigrationToolKind.FLYWAY, {
      version,
      image: options.image ?? codebuild.LinuxBuildImage.fromDockerRegistry(`flyway/flyway:${version}`),
      path: options.migrationsDirectory ?? 'sql',
      pathProp: 'migrationsDirectory',
    });
  }

  /** Sqitch. */
  public static sqitch(options: SqitchToolOptions = {}): MigrationTool {
    const version = options.version ?? MigrationTool.SQITCH_DEFAULT_VERSION;
    return new MigrationTool(MigrationToolKind.SQITCH, {
      version,
      image: options.image ?? codebuild.LinuxBuildImage.fromDockerRegistry(`sqitch/sqitch:${version}`),
      path: options.projectDirectory ?? '.',
      pathProp: 'projectDirectory',
    });
  }

  /** Your own commands, e.g. a migration script of your framework. */
  public static custom(options: CustomMigrationToolOptions): MigrationTool {
    return new MigrationTool(MigrationToolKind.CUSTOM, {
      image: options.image ?? codebuild.LinuxBuildImage.STANDARD_7_0,
      migrateCommands: options.migrateCommands,
      validateCommands: options.validateCommands,
    });
  }

  /** Which tool this is. */
  public readonly kind: MigrationToolKind;
  /** The build image the tool runs in. */
  public readonly image: codebuild.IBuildImage;
  /** The pinned version (the image tag), for the built-in tools. */
  public readonly version?: string;
  /** The changelog file, migrations directory or Sqitch project directory, for the built-in tools. */
  public readonly path?: string;
  /** Liquibase contexts. */
  public readonly contexts?: string;
  /** The custom tool's migrate commands. */
  public readonly migrateCommands?: string[];
  /** The custom tool's validate commands. */
  public readonly validateCommands?: string[];
  private readonly pathProp?: string;

  private constructor(kind: MigrationToolKind, settings: ToolSettings) {
    this.kind = kind;
    this.image = settings.image;
    this.version = settings.version;
    this.path = settings.path;
    this.pathProp = settings.pathProp;
    this.contexts = settings.contexts;
    this.migrateCommands = settings.migrateCommands;
    this.validateCommands = settings.validateCommands;
  }

  /**
   * Rejects settings that cannot work: an empty path, an unusable version, a custom tool without
   * commands.
   *
   * @internal
   */
  public _validate(scope: IConstruct): void {
    if (this.kind === MigrationToolKind.CUSTOM) {
      const commands = this.migrateCommands ?? [];
      if (commands.length === 0 || commands.some((c) => typeof c !== 'string' || c.trim() === '')) {
        invalid(scope, 'tool.migrateCommands', this.migrateCommands, 'a non-empty list of non-empty commands for a custom tool');
      }
      return;
    }
    checkPattern(scope, 'tool.version', this.version, /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'an image tag (letters, digits, ".", "_", "-")');
    const prop = `tool.${this.pathProp}`;
    if (this.path === undefined || this.path.trim() === '') {
      invalid(scope, prop, this.path, 'a non-empty path');
    }
    // The path lands in shell commands: refuse characters the shell would interpret.
    checkPattern(scope, prop, this.path, /^[A-Za-z0-9._/@+=-]+$/, 'a path of letters, digits and . _ / @ + = -');
  }
}

interface ToolSettings {
  readonly image: codebuild.IBuildImage;
  readonly version?: string;
  readonly path?: string;
  readonly pathProp?: string;
  readonly contexts?: string;
  readonly migrateCommands?: string[];
  readonly validateCommands?: string[];
}
