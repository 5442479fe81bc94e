import { MigrationTool, MigrationToolKind } from '../migration-tool';

/** The directory (relative to the source root) whose files become the report artifact. */
export const REPORT_DIR = 'migration-report';

/** The environment variable that switches a build between the dry run and the migration. */
export const MODE_VARIABLE = 'MIGRATION_MODE';

/** The values of `MIGRATION_MODE`. */
export const MODE = { dryRun: 'dry-run', migrate: 'migrate' } as const;

/** What a migration build spec needs to know of the database. */
export interface BuildSpecDatabase {
  /** The credentials secret's ARN (RDS JSON shape). */
  readonly secretArn: string;
  readonly host: string;
  readonly port: string;
  readonly name: string;
}

/** The commands and environment a tool needs, before they are put into a build spec. */
export interface ToolScript {
  readonly variables: { [name: string]: string };
  /** Variable name -> `<secret arn>:<json key>`, resolved by CodeBuild, masked in logs. */
  readonly secrets: { [name: string]: string };
  readonly validate: string[];
  readonly migrate: string[];
}

/**
 * The commands and environment of one tool. Credentials only ever come from Secrets Manager
 * references (CodeBuild resolves them at build start and masks them in logs); they never appear in
 * a command line, where they could end up in logs or `ps` output.
 */
export function toolScript(tool: MigrationTool, db: BuildSpecDatabase): ToolScript {
  const username = `${db.secretArn}:username`;
  const password = `${db.secretArn}:password`;
  const jdbcUrl = `jdbc:postgresql://${db.host}:${db.port}/${db.name}?sslmode=require`;
  switch (tool.kind) {
    case MigrationToolKind.LIQUIBASE:
      return {
        variables: {
          LIQUIBASE_COMMAND_URL: jdbcUrl,
          LIQUIBASE_COMMAND_CHANGELOG_FILE: tool.path!,
          // Usage analytics would try to reach the internet from a private build.
          LIQUIBASE_ANALYTICS_ENABLED: 'false',
          LIQUIBASE_SHOW_BANNER: 'false',
          ...(tool.contexts ? { LIQUIBASE_COMMAND_CONTEXTS: tool.contexts } : {}),
        },
        secrets: { LIQUIBASE_COMMAND_USERNAME: username, LIQUIBASE_COMMAND_PASSWORD: password },
        validate: [
          'liquibase validate',
          `liquibase status --verbose --output-file=${REPORT_DIR}/status.txt`,
          `liquibase update-sql --output-file=${REPORT_DIR}/update.sql`,
        ],
        migrate: [
          'liquibase update',
          `liquibase history --output-file=${REPORT_DIR}/history.txt`,
        ],
      };
    case MigrationToolKind.FLYWAY:
      return {
        variables: {
          FLYWAY_URL: jdbcUrl,
          FLYWAY_LOCATIONS: `filesystem:${tool.path!}`,
        },
        secrets: { FLYWAY_USER: username, FLYWAY_PASSWORD: password },
        validate: [
          `flyway info -outputFile=${REPORT_DIR}/info.txt`,
          // Pending migrations are what we are about to apply: only the applied ones must match.
          'flyway validate -ignoreMigrationPatterns="*:pending"',
        ],
        migrate: [
          'flyway migrate',
          `flyway info -outputFile=${REPORT_DIR}/info-after.txt`,
        ],
      };
    case MigrationToolKind.SQITCH: {
      const sqitch = `sqitch --chdir ${tool.path!}`;
      return {
        variables: {
          SQITCH_TARGET: `db:pg://${db.host}:${db.port}/${db.name}`,
          PGSSLMODE: 'require',
          SQITCH_FULLNAME: 'AWS CodeBuild',
          SQITCH_EMAIL: 'codebuild@migrations.invalid',
        },
        secrets: { SQITCH_USERNAME: username, SQITCH_PASSWORD: password },
        validate: [
          `${sqitch} plan > ${REPORT_DIR}/plan.txt`,
          // `verify` checks the changes already deployed; a database never deployed has none yet.
          `if ${sqitch} status > ${REPORT_DIR}/status.txt 2>&1; then ${sqitch} verify; else echo "no Sqitch changes deployed yet: nothing to verify"; fi`,
        ],
        migrate: [
          `${sqitch} deploy --verify`,
          `${sqitch} log > ${REPORT_DIR}/log.txt`,
        ],
      };
    }
    default:
      return {
        variables: {},
        secrets: { PGUSER: username, PGPASSWORD: password },
        validate: tool.validateCommands && tool.validateCommands.length > 0
          ? tool.validateCommands
          : ['echo "custom migration tool: no validate commands given"'],
        migrate: tool.migrateCommands ?? [],
      };
  }
}

/** Variables every build gets, whatever the tool (libpq's, so `psql` works in custom commands). */
function commonVariables(db: BuildSpecDatabase): { [name: string]: string } {
  return {
    [MODE_VARIABLE]: MODE.migrate,
    MIGRATION_REPORT_DIR: REPORT_DIR,
    PGHOST: db.host,
    PGPORT: db.port,
    PGDATABASE: db.name,
    PGSSLMODE: 'require',
  };
}

/**
 * The build spec of a migration build, as data. The same spec serves the dry run and the
 * migration: `MIGRATION_MODE=dry-run` runs only the checks, `migrate` (the default, for builds
 * started by hand) checks then migrates. The report directory is the build's artifact.
 */
export function migrationBuildSpec(tool: MigrationTool, db: BuildSpecDatabase): { [key: string]: unknown } {
  const script = toolScript(tool, db);
  const inMigrateMode = (command: string) =>
    `if [ "$${MODE_VARIABLE}" = "${MODE.migrate}" ]; then ${command}; else echo "dry run: skipped: ${command.replace(/["$`\\]/g, '')}"; fi`;
  return {
    version: '0.2',
    env: {
      'shell': 'bash',
      'variables': { ...commonVariables(db), ...script.variables },
      'secrets-manager': script.secrets,
    },
    phases: {
      pre_build: {
        commands: [
          `mkdir -p ${REPORT_DIR}`,
          `echo "migration mode: $${MODE_VARIABLE}"`,
          ...script.validate,
        ],
      },
      build: {
        commands: script.migrate.map(inMigrateMode),
      },
    },
    artifacts: {
      'base-directory': REPORT_DIR,
      'files': ['**/*'],
    },
  };
}

/**
 * The build spec of the snapshot step: replaces the database's one pre-migration snapshot
 * (`<database>-pre-migration`) with a new one and waits until it is available. One fixed name
 * keeps storage bounded and lets the role name the exact snapshot ARN.
 */
export function snapshotBuildSpec(kind: 'instance' | 'cluster'): { [key: string]: unknown } {
  const [noun, idFlag, describe, del, create, waitDeleted, waitAvailable, sourceFlag] = kind === 'instance'
    ? ['db-snapshot', '--db-snapshot-identifier', 'describe-db-snapshots', 'delete-db-snapshot', 'create-db-snapshot',
      'db-snapshot-deleted', 'db-snapshot-available', '--db-instance-identifier']
    : ['db-cluster-snapshot', '--db-cluster-snapshot-identifier', 'describe-db-cluster-snapshots', 'delete-db-cluster-snapshot',
      'create-db-cluster-snapshot', 'db-cluster-snapshot-deleted', 'db-cluster-snapshot-available', '--db-cluster-identifier'];
  return {
    version: '0.2',
    phases: {
      build: {
        commands: [
          `export SNAPSHOT_ID="$DB_IDENTIFIER-${SNAPSHOT_SUFFIX}"`,
          `echo "${noun}: $SNAPSHOT_ID"`,
          `if aws rds ${describe} ${idFlag} "$SNAPSHOT_ID" > /dev/null 2>&1; then aws rds ${del} ${idFlag} "$SNAPSHOT_ID" && aws rds wait ${waitDeleted} ${idFlag} "$SNAPSHOT_ID"; fi`,
          `aws rds ${create} ${sourceFlag} "$DB_IDENTIFIER" ${idFlag} "$SNAPSHOT_ID"`,
          `aws rds wait ${waitAvailable} ${idFlag} "$SNAPSHOT_ID"`,
        ],
      },
    },
  };
}

/** The pre-migration snapshot is named `<database identifier>-pre-migration`. */
export const SNAPSHOT_SUFFIX = 'pre-migration';
