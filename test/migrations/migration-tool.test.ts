import { Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { MigrationTool, MigrationToolKind } from '../../src/migrations';
import { migrationBuildSpec, snapshotBuildSpec } from '../../src/migrations/private/buildspec';

const db = { secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf', host: 'db.internal', port: '5432', name: 'app' };

/** The fields of a parsed build spec that these tests read. */
type BuildSpecJson = {
  env: { 'variables': { [name: string]: string }; 'secrets-manager': { [name: string]: string } };
  phases: { pre_build: { commands: string[] }; build: { commands: string[] } };
  artifacts?: unknown;
};

/** The build spec as CodeBuild would read it: JSON text parsed back. */
function spec(tool: MigrationTool): BuildSpecJson {
  return JSON.parse(JSON.stringify(migrationBuildSpec(tool, db)));
}

describe('MigrationTool build specs', () => {
  test('liquibase validates, writes update-sql to the report, then updates only in migrate mode', () => {
    // GIVEN / WHEN
    const s = spec(MigrationTool.liquibase({ changelogFile: 'db/changelog.yaml', contexts: 'prod' }));
    // THEN
    expect(s.phases.pre_build.commands).toEqual(expect.arrayContaining([
      'liquibase validate',
      'liquibase update-sql --output-file=migration-report/update.sql',
    ]));
    expect(s.phases.build.commands[0]).toMatch(/^if \[ "\$MIGRATION_MODE" = "migrate" \]; then liquibase update; else/);
    expect(s.env.variables).toMatchObject({
      LIQUIBASE_COMMAND_URL: 'jdbc:postgresql://db.internal:5432/app?sslmode=require',
      LIQUIBASE_COMMAND_CHANGELOG_FILE: 'db/changelog.yaml',
      LIQUIBASE_COMMAND_CONTEXTS: 'prod',
      LIQUIBASE_ANALYTICS_ENABLED: 'false',
    });
    expect(s.artifacts).toEqual({ 'base-directory': 'migration-report', 'files': ['**/*'] });
  });

  test('flyway runs info and validate (pending allowed) before migrate', () => {
    const s = spec(MigrationTool.flyway({ migrationsDirectory: 'db/sql' }));
    expect(s.phases.pre_build.commands).toEqual(expect.arrayContaining([
      'flyway info -outputFile=migration-report/info.txt',
      'flyway validate -ignoreMigrationPatterns="*:pending"',
    ]));
    expect(s.phases.build.commands[0]).toContain('then flyway migrate;');
    expect(s.env.variables.FLYWAY_LOCATIONS).toBe('filesystem:db/sql');
    expect(s.env['secrets-manager']).toEqual({ FLYWAY_USER: `${db.secretArn}:username`, FLYWAY_PASSWORD: `${db.secretArn}:password` });
  });

  test('sqitch plans and verifies before deploy --verify', () => {
    const s = spec(MigrationTool.sqitch({ projectDirectory: 'db' }));
    expect(s.phases.pre_build.commands).toContain('sqitch --chdir db plan > migration-report/plan.txt');
    expect(s.phases.pre_build.commands.join('\n')).toContain('then sqitch --chdir db verify;');
    expect(s.phases.build.commands[0]).toContain('then sqitch --chdir db deploy --verify;');
    expect(s.env.variables.SQITCH_TARGET).toBe('db:pg://db.internal:5432/app');
    expect(Object.keys(s.env['secrets-manager'])).toEqual(['SQITCH_USERNAME', 'SQITCH_PASSWORD']);
  });

  test('custom commands run with libpq variables and the secret as PGUSER/PGPASSWORD', () => {
    const s = spec(MigrationTool.custom({ migrateCommands: ['./migrate.sh'], validateCommands: ['./check.sh'] }));
    expect(s.phases.pre_build.commands).toContain('./check.sh');
    expect(s.phases.build.commands[0]).toContain('then ./migrate.sh;');
    expect(s.env.variables).toMatchObject({ PGHOST: 'db.internal', PGPORT: '5432', PGDATABASE: 'app', PGSSLMODE: 'require' });
    expect(s.env['secrets-manager']).toEqual({ PGUSER: `${db.secretArn}:username`, PGPASSWORD: `${db.secretArn}:password` });
  });

  test.each([
    ['liquibase', MigrationTool.liquibase()],
    ['flyway', MigrationTool.flyway()],
    ['sqitch', MigrationTool.sqitch()],
    ['custom', MigrationTool.custom({ migrateCommands: ['x'] })],
  ])('%s: credentials only come from Secrets Manager references, never plain variables or commands', (_name, tool) => {
    const s = spec(tool);
    const plain = JSON.stringify(s.env.variables) + JSON.stringify(s.phases);
    expect(plain).not.toMatch(/password/i);
    for (const ref of Object.values<string>(s.env['secrets-manager'])) expect(ref).toMatch(/^arn:aws:secretsmanager:.*:(username|password)$/);
  });

  test('each tool runs its own image at a pinned, overridable version', () => {
    expect(MigrationTool.liquibase().image.imageId).toBe(`liquibase/liquibase:${MigrationTool.LIQUIBASE_DEFAULT_VERSION}`);
    expect(MigrationTool.flyway({ version: '10.22.0' }).image.imageId).toBe('flyway/flyway:10.22.0');
    expect(MigrationTool.sqitch().image.imageId).toBe(`sqitch/sqitch:${MigrationTool.SQITCH_DEFAULT_VERSION}`);
    expect(MigrationTool.custom({ migrateCommands: ['x'] }).image.imageId).toBe(codebuild.LinuxBuildImage.STANDARD_7_0.imageId);
    expect(MigrationTool.sqitch().kind).toBe(MigrationToolKind.SQITCH);
  });

  test('snapshot spec replaces the one pre-migration snapshot, then waits', () => {
    const cmds = (snapshotBuildSpec('instance') as Pick<BuildSpecJson, 'phases'>).phases.build.commands;
    expect(cmds[0]).toBe('export SNAPSHOT_ID="$DB_IDENTIFIER-pre-migration"');
    expect(cmds.join('\n')).toContain('aws rds create-db-snapshot --db-instance-identifier "$DB_IDENTIFIER"');
    expect(cmds[cmds.length - 1]).toContain('aws rds wait db-snapshot-available');
    expect(JSON.stringify(snapshotBuildSpec('cluster'))).toContain('create-db-cluster-snapshot --db-cluster-identifier');
  });
});

describe('MigrationTool validation', () => {
  const scope = new Stack();
  test('an empty changelog path is refused', () => {
    expect(() => MigrationTool.liquibase({ changelogFile: '' })._validate(scope)).toThrow("`tool.changelogFile` must be a non-empty path, got: ''");
  });
  test('an empty migrations directory is refused', () => {
    expect(() => MigrationTool.flyway({ migrationsDirectory: ' ' })._validate(scope)).toThrow('`tool.migrationsDirectory` must be a non-empty path');
  });
  test('a path with shell characters is refused', () => {
    expect(() => MigrationTool.sqitch({ projectDirectory: 'db; rm -rf /' })._validate(scope)).toThrow('`tool.projectDirectory` must be a path of letters');
  });
  test('a custom tool without a command is refused', () => {
    expect(() => MigrationTool.custom({ migrateCommands: [] })._validate(scope)).toThrow('`tool.migrateCommands` must be a non-empty list of non-empty commands for a custom tool, got: []');
  });
  test('an unusable version is refused', () => {
    expect(() => MigrationTool.liquibase({ version: '4.x latest' })._validate(scope)).toThrow('`tool.version` must be an image tag');
  });
});
