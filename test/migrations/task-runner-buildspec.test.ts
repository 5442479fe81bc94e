import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MigrationTool } from '../../src/migrations';
import { taskRunnerBuildSpec, taskScript } from '../../src/migrations/private/task-runner-buildspec';

/**
 * The runner's build spec run as CodeBuild runs it (bash, one command after another, the phase
 * failing at the first command that fails), with `aws` and `docker` faked on the PATH: the fakes
 * answer as the AWS CLI does and record every call.
 */
const FAKE_AWS = `#!/bin/bash
echo "aws $*" >> "$FAKE_DIR/calls.log"
case "$1 $2" in
  "ecr get-login-password") echo token ;;
  "ecr describe-images") exit "\${FAKE_IMAGE_EXISTS:-254}" ;;
  "ecs describe-task-definition") echo '{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111111111111:task-definition/fam:3","family":"fam","revision":3,"status":"ACTIVE","taskRoleArn":"arn:task","executionRoleArn":"arn:exec","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024","runtimePlatform":{"cpuArchitecture":"ARM64"},"volumes":[{"name":"tmp"}],"placementConstraints":null,"containerDefinitions":[{"name":"migration","image":"repo:replaced-by-each-run","user":"65534:65534"}]}' ;;
  "ecs register-task-definition") cp "\${4#file://}" "$FAKE_DIR/registered.json"; echo "arn:aws:ecs:eu-west-1:111111111111:task-definition/fam:4" ;;
  "ecs run-task")
    for a in "$@"; do echo "$a"; done > "$FAKE_DIR/run-task.args"
    if [ -n "\${FAKE_START_FAILURE:-}" ]; then echo '{"tasks":[],"failures":[{"arn":"x","reason":"RESOURCE:ENI"}]}'; else echo '{"tasks":[{"taskArn":"arn:aws:ecs:eu-west-1:111111111111:task/cluster/abc123"}],"failures":[]}'; fi ;;
  "ecs wait") exit "\${FAKE_WAIT_STATUS:-0}" ;;
  "ecs describe-tasks") echo "{\\"lastStatus\\":\\"\${FAKE_LAST_STATUS:-STOPPED}\\",\\"stopCode\\":\\"EssentialContainerExited\\",\\"stoppedReason\\":\\"Essential container in task exited\\",\\"containers\\":[{\\"name\\":\\"migration\\",\\"exitCode\\":\${FAKE_EXIT_CODE:-0}}]}" ;;
  "logs get-log-events") echo '["Liquibase command update was executed successfully.","----- report file: migration-report/history.txt"]' ;;
  *) echo '{}' ;;
esac
`;
const FAKE_DOCKER = '#!/bin/bash\necho "docker $*" >> "$FAKE_DIR/calls.log"\n';

const SPEC = taskRunnerBuildSpec({
  repositoryUri: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/migrations',
  repositoryName: 'migrations',
  baseImage: 'liquibase/liquibase:4.31.1',
  platform: 'linux/arm64',
  clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/migrations',
  taskFamily: 'fam',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupId: 'sg-1',
  assignPublicIp: true,
  taskLogGroup: 'task-logs',
  waitRounds: 3,
}) as unknown as { env: { variables: { [name: string]: string } }; phases: { [phase: string]: { commands: string[] } } };

interface Run {
  readonly status: number | null;
  readonly output: string;
  readonly calls: string[];
  readonly dir: string;
}

function runBuild(env: { [name: string]: string } = {}): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
  const bin = path.join(dir, 'bin');
  const source = path.join(dir, 'src');
  fs.mkdirSync(bin);
  fs.mkdirSync(source);
  fs.writeFileSync(path.join(bin, 'aws'), FAKE_AWS, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'docker'), FAKE_DOCKER, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'calls.log'), '');
  const commands = [...SPEC.phases.pre_build.commands, ...SPEC.phases.build.commands];
  const script = commands.map((c) => `{\n${c}\n} || exit $?`).join('\n');
  const result = spawnSync('bash', ['-c', script], {
    cwd: source,
    encoding: 'utf-8',
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_DIR: dir,
      CODEBUILD_BUILD_NUMBER: '7',
      ...SPEC.env.variables,
      ...env,
    },
  });
  const calls = fs.readFileSync(path.join(dir, 'calls.log'), 'utf-8').split('\n').filter((l) => l);
  return { status: result.status, output: `${result.stdout}${result.stderr}`, calls, dir: source };
}

describe('the Fargate runner build spec, run', () => {
  test('builds the image for the task platform under the execution id, runs it with a public IP, keeps its log, succeeds on exit 0', () => {
    // WHEN
    const run = runBuild({ PIPELINE_EXECUTION_ID: 'exec-1' });
    // THEN
    expect(run.status).toBe(0);
    const image = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/migrations:exec-1';
    expect(run.calls).toContainEqual(`docker build --platform linux/arm64 --build-arg BASE_IMAGE=liquibase/liquibase:4.31.1 -f /tmp/migration.Dockerfile -t ${image} .`);
    expect(run.calls).toContainEqual(`docker push ${image}`);
    expect(fs.readFileSync('/tmp/migration.Dockerfile', 'utf-8')).toBe('ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY . /migrations\n');
    const registered = JSON.parse(fs.readFileSync(path.join(run.dir, '..', 'registered.json'), 'utf-8'));
    expect(registered.containerDefinitions).toEqual([{ name: 'migration', image, user: '65534:65534' }]);
    expect(registered).not.toHaveProperty('placementConstraints');
    expect(registered).not.toHaveProperty('revision');
    const args = fs.readFileSync(path.join(run.dir, '..', 'run-task.args'), 'utf-8').split('\n');
    expect(args[args.indexOf('--network-configuration') + 1]).toBe('awsvpcConfiguration={subnets=[subnet-a,subnet-b],securityGroups=[sg-1],assignPublicIp=ENABLED}');
    expect(args[args.indexOf('--task-definition') + 1]).toBe('arn:aws:ecs:eu-west-1:111111111111:task-definition/fam:4');
    expect(JSON.parse(args[args.indexOf('--overrides') + 1])).toEqual({
      containerOverrides: [{ name: 'migration', environment: [{ name: 'MIGRATION_MODE', value: 'migrate' }] }],
    });
    expect(run.calls).toContainEqual('aws ecs wait tasks-stopped --cluster arn:aws:ecs:eu-west-1:111111111111:cluster/migrations --tasks arn:aws:ecs:eu-west-1:111111111111:task/cluster/abc123');
    expect(run.calls.some((c) => c.includes('--log-stream-name migration/migration/abc123'))).toBe(true);
    expect(fs.readFileSync(path.join(run.dir, 'migration-report', 'task.log'), 'utf-8')).toContain('executed successfully');
    expect(run.output).toContain('migration task stopped: exit code 0');
  });

  test('reuses the image the Validate action of the same execution pushed', () => {
    const run = runBuild({ PIPELINE_EXECUTION_ID: 'exec-1', FAKE_IMAGE_EXISTS: '0', MIGRATION_MODE: 'dry-run' });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.startsWith('docker build') || c.startsWith('docker push'))).toEqual([]);
    expect(run.output).toContain('reusing');
  });

  test('without a pipeline, tags the image with the build number', () => {
    const run = runBuild();
    expect(run.calls).toContainEqual(expect.stringMatching(/^docker push .*\/migrations:build-7$/));
  });

  test('fails, printing the log tail, when the container exits non-zero', () => {
    const run = runBuild({ FAKE_EXIT_CODE: '1' });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain("last 100 lines of the migration task's log");
    expect(run.output).toContain('migration task stopped: exit code 1');
    expect(run.output).toContain('the migration failed');
  });

  test('fails when the task cannot start', () => {
    const run = runBuild({ FAKE_START_FAILURE: '1' });
    expect(run.status).toBe(1);
    expect(run.output).toContain('the migration task failed to start');
    expect(run.output).toContain('RESOURCE:ENI');
    expect(run.calls.some((c) => c.startsWith('aws ecs wait'))).toBe(false);
  });

  test('fails when the task stopped before its container ran (no exit code)', () => {
    const run = runBuild({ FAKE_EXIT_CODE: 'null' });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('exit code none');
  });

  test('waits a bounded number of rounds, then stops the task and fails', () => {
    const run = runBuild({ FAKE_WAIT_STATUS: '255', FAKE_LAST_STATUS: 'RUNNING', FAKE_EXIT_CODE: 'null' });
    expect(run.status).not.toBe(0);
    expect(run.calls.filter((c) => c.startsWith('aws ecs wait tasks-stopped'))).toHaveLength(3 + 1);
    expect(run.calls).toContainEqual(expect.stringMatching(/^aws ecs stop-task --cluster \S+ --task \S+abc123 --reason migration build wait bound reached$/));
  });

  test('refuses an unknown mode before building anything', () => {
    const run = runBuild({ MIGRATION_MODE: 'drop-everything' });
    expect(run.status).toBe(1);
    expect(run.output).toContain('MIGRATION_MODE must be dry-run or migrate, got: drop-everything');
    expect(run.calls).toEqual([]);
  });

  test('deregisters the revision it registered, afterwards', () => {
    expect(SPEC.phases.post_build.commands).toEqual([
      'if [ -n "${TASK_DEFINITION:-}" ]; then aws ecs deregister-task-definition --task-definition "$TASK_DEFINITION" > /dev/null || true; fi',
    ]);
  });
});

describe('the migration container script', () => {
  test.each([
    ['liquibase', MigrationTool.liquibase()],
    ['flyway', MigrationTool.flyway()],
    ['sqitch', MigrationTool.sqitch()],
    ['custom', MigrationTool.custom({ migrateCommands: ['./migrate.sh'], validateCommands: ['./check.sh > "$MIGRATION_REPORT_DIR/check.txt"'] })],
  ])('is valid POSIX sh for %s, and migrates only in migrate mode', (_name, tool) => {
    const script = taskScript(tool);
    expect(spawnSync('sh', ['-n', '-c', script]).status).toBe(0);
    expect(script).toMatch(/\nif \[ "\$MIGRATION_MODE" = "migrate" \]; then\n/);
    expect(script).toContain("trap 'status=$?; report; exit $status' EXIT");
  });
});
