import { MODE, MODE_VARIABLE, REPORT_DIR, toolScript } from './buildspec';
import { MigrationTool } from '../migration-tool';

/** The migration container's name in the task definition. */
export const CONTAINER_NAME = 'migration';

/** Where the image holds the source (the migrations), read-only. */
export const MIGRATIONS_DIR = '/migrations';

/** The task's only writable path: a task volume (the root file system is read-only). */
export const WRITABLE_DIR = '/tmp';

/** The log stream prefix of the task's awslogs driver. */
export const LOG_STREAM_PREFIX = 'migration';

/** One `aws ecs wait tasks-stopped` gives up after 100 polls 6 s apart. */
export const WAIT_ROUND_MINUTES = 10;

/** What the runner's build spec needs to know, as CloudFormation values. */
export interface TaskRunnerSettings {
  readonly repositoryUri: string;
  readonly repositoryName: string;
  /** The image the migration image is built `FROM` (the tool's, or an image of yours). */
  readonly baseImage: string;
  /** `linux/arm64` or `linux/amd64`. */
  readonly platform: string;
  readonly clusterArn: string;
  readonly taskFamily: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly assignPublicIp: boolean;
  readonly taskLogGroup: string;
  /** How many 10-minute waits before the task is stopped and the build fails. */
  readonly waitRounds: number;
}

/**
 * The commands the migration container runs: the tool's checks, then (in migrate mode) the
 * migration, then every report file printed to the log, which the build keeps as its artifact.
 * The image's files are read-only, so the work happens in a copy under the writable `/tmp`.
 */
export function taskScript(tool: MigrationTool): string {
  // Only the commands are used: the variables go to the container's environment, and the
  // credentials to its secrets, so a placeholder database is enough here.
  const script = toolScript(tool, { secretArn: 'unused', host: '', port: '', name: '' });
  return [
    'set -eu',
    `report() { for f in ${REPORT_DIR}/*; do if [ -f "$f" ]; then echo "----- report file: $f"; cat "$f"; fi; done; }`,
    'trap \'status=$?; report; exit $status\' EXIT',
    `rm -rf ${WRITABLE_DIR}/work && mkdir -p ${WRITABLE_DIR}/work && cp -R ${MIGRATIONS_DIR}/. ${WRITABLE_DIR}/work/ && cd ${WRITABLE_DIR}/work`,
    `mkdir -p ${REPORT_DIR}`,
    `echo "migration mode: $${MODE_VARIABLE}"`,
    ...script.validate,
    `if [ "$${MODE_VARIABLE}" = "${MODE.migrate}" ]; then`,
    ...script.migrate.map((c) => `  ${c}`),
    'fi',
  ].join('\n');
}

/**
 * The secrets of the migration container: environment variable -> JSON key of the database
 * secret (the tool's credential variables, e.g. `LIQUIBASE_COMMAND_PASSWORD` -> `password`).
 */
export function taskSecretKeys(tool: MigrationTool): { [variable: string]: string } {
  const marker = 'secret';
  const secrets = toolScript(tool, { secretArn: marker, host: '', port: '', name: '' }).secrets;
  const keys: { [variable: string]: string } = {};
  for (const [variable, reference] of Object.entries(secrets)) keys[variable] = reference.slice(marker.length + 1);
  return keys;
}

/**
 * The build spec of the runner, as data: build the migration image (the base image plus the
 * source) for the task's platform under an immutable tag, push it (or reuse it when an earlier
 * action of the same pipeline execution pushed it), register a task definition revision that runs
 * it, run it as a one-off Fargate task, wait for it within a bound, keep its log as the report,
 * and fail when the task failed to start, ran too long, or its container exited non-zero.
 */
export function taskRunnerBuildSpec(s: TaskRunnerSettings): { [key: string]: unknown } {
  const network = `awsvpcConfiguration={subnets=[${s.subnetIds.join(',')}],securityGroups=[${s.securityGroupId}],assignPublicIp=${s.assignPublicIp ? 'ENABLED' : 'DISABLED'}}`;
  const overrides = `{"containerOverrides":[{"name":"${CONTAINER_NAME}","environment":[{"name":"${MODE_VARIABLE}","value":"'"$${MODE_VARIABLE}"'"}]}]}`;
  const dockerfile = `ARG BASE_IMAGE\\nFROM \${BASE_IMAGE}\\nCOPY . ${MIGRATIONS_DIR}\\n`;
  const keep = '{family, taskRoleArn, executionRoleArn, networkMode, requiresCompatibilities, cpu, memory, runtimePlatform, volumes, '
    + 'containerDefinitions: [.containerDefinitions[] | if .name == $name then .image = $image else . end]} | with_entries(select(.value != null))';
  return {
    version: '0.2',
    env: {
      shell: 'bash',
      variables: {
        [MODE_VARIABLE]: MODE.migrate,
        REPOSITORY_URI: s.repositoryUri,
        REPOSITORY_NAME: s.repositoryName,
        BASE_IMAGE: s.baseImage,
        PLATFORM: s.platform,
        CLUSTER: s.clusterArn,
        TASK_FAMILY: s.taskFamily,
        CONTAINER_NAME,
        TASK_LOG_GROUP: s.taskLogGroup,
        WAIT_ROUNDS: String(s.waitRounds),
      },
    },
    phases: {
      pre_build: {
        commands: [
          `case "$${MODE_VARIABLE}" in ${MODE.dryRun}|${MODE.migrate}) echo "migration mode: $${MODE_VARIABLE}";; *) echo "${MODE_VARIABLE} must be ${MODE.dryRun} or ${MODE.migrate}, got: $${MODE_VARIABLE}"; exit 1;; esac`,
          `mkdir -p ${REPORT_DIR}`,
          // One tag per pipeline execution (or build): never overwritten, so the Migrate action runs
          // exactly the image its Validate action checked.
          'export IMAGE_TAG="$(printf \'%s\' "${PIPELINE_EXECUTION_ID:-build-$CODEBUILD_BUILD_NUMBER}" | tr -c \'A-Za-z0-9._-\' \'-\')"',
          'export IMAGE_URI="$REPOSITORY_URI:$IMAGE_TAG"',
          'aws ecr get-login-password | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"',
          'BASE_REGISTRY="${BASE_IMAGE%%/*}"; case "$BASE_REGISTRY" in *.dkr.ecr.*) aws ecr get-login-password | docker login --username AWS --password-stdin "$BASE_REGISTRY";; esac',
        ],
      },
      build: {
        commands: [
          'if aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$IMAGE_TAG" > /dev/null 2>&1; then echo "reusing $IMAGE_URI, built earlier in this execution"; '
            + `else printf '${dockerfile}' > /tmp/migration.Dockerfile && docker build --platform "$PLATFORM" --build-arg BASE_IMAGE="$BASE_IMAGE" -f /tmp/migration.Dockerfile -t "$IMAGE_URI" . && docker push "$IMAGE_URI"; fi`,
          'aws ecs describe-task-definition --task-definition "$TASK_FAMILY" --query taskDefinition > /tmp/task-definition.json',
          `jq --arg image "$IMAGE_URI" --arg name "$CONTAINER_NAME" '${keep}' /tmp/task-definition.json > /tmp/task-run.json`,
          'export TASK_DEFINITION="$(aws ecs register-task-definition --cli-input-json file:///tmp/task-run.json --query taskDefinition.taskDefinitionArn --output text)"',
          `aws ecs run-task --cluster "$CLUSTER" --task-definition "$TASK_DEFINITION" --launch-type FARGATE --count 1 --started-by "$CODEBUILD_BUILD_NUMBER" --network-configuration '${network}' --overrides '${overrides}' > /tmp/run.json`,
          'if [ "$(jq \'.failures | length\' /tmp/run.json)" != "0" ] || [ "$(jq \'.tasks | length\' /tmp/run.json)" = "0" ]; then echo "the migration task failed to start:"; jq \'.failures\' /tmp/run.json; exit 1; fi',
          'export TASK_ARN="$(jq -r \'.tasks[0].taskArn\' /tmp/run.json)"; echo "migration task: $TASK_ARN"',
          `for round in $(seq 1 "$WAIT_ROUNDS"); do if aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$TASK_ARN"; then break; fi; echo "still running after round $round of $WAIT_ROUNDS (${WAIT_ROUND_MINUTES} minutes each)"; done`,
          'aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$TASK_ARN" --query \'tasks[0]\' > /tmp/task.json',
          'if [ "$(jq -r \'.lastStatus\' /tmp/task.json)" != "STOPPED" ]; then echo "the migration task did not stop within the wait bound: stopping it"; '
            + 'aws ecs stop-task --cluster "$CLUSTER" --task "$TASK_ARN" --reason "migration build wait bound reached" > /dev/null; '
            + 'aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$TASK_ARN" || true; aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$TASK_ARN" --query \'tasks[0]\' > /tmp/task.json; fi',
          `aws logs get-log-events --log-group-name "$TASK_LOG_GROUP" --log-stream-name "${LOG_STREAM_PREFIX}/$CONTAINER_NAME/\${TASK_ARN##*/}" --start-from-head --query 'events[].message' --output json | jq -r '.[]' > ${REPORT_DIR}/task.log || echo "no task log (the task may have failed before it started)"`,
          `echo "----- last 100 lines of the migration task's log"; tail -n 100 ${REPORT_DIR}/task.log || true`,
          'export EXIT_CODE="$(jq -r --arg name "$CONTAINER_NAME" \'[.containers[] | select(.name == $name) | .exitCode][0] // "none"\' /tmp/task.json)"',
          'echo "migration task stopped: exit code $EXIT_CODE; $(jq -r \'.stopCode // ""\' /tmp/task.json) $(jq -r \'.stoppedReason // ""\' /tmp/task.json)"',
          'if [ "$EXIT_CODE" != "0" ]; then echo "the migration failed"; exit 1; fi',
        ],
      },
      post_build: {
        commands: [
          // Each run registers a revision for its image; deregistering keeps the family's active list short.
          'if [ -n "${TASK_DEFINITION:-}" ]; then aws ecs deregister-task-definition --task-definition "$TASK_DEFINITION" > /dev/null || true; fi',
        ],
      },
    },
    artifacts: {
      'base-directory': REPORT_DIR,
      'files': ['**/*'],
    },
  };
}
