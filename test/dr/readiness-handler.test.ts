import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, TaskDefinition } from '@aws-sdk/client-ecs';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const handlerModule = require('../../assets/dr/readiness/index.js');

const taskDef = (image: string, cpu = '512'): TaskDefinition => ({
  cpu,
  memory: '1024',
  runtimePlatform: { cpuArchitecture: 'ARM64' },
  containerDefinitions: [
    {
      name: 'app',
      image,
      portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
      environment: [{ name: 'FEATURE', value: 'on' }, { name: 'PGHOST', value: image.includes('eu-west-1') ? 'primary.db' : 'replica.db' }],
      secrets: [{ name: 'APP_SECRET_KEY', valueFrom: 'arn:key' }, { name: 'PGPASSWORD', valueFrom: 'arn:db' }],
      user: '1000',
      readonlyRootFilesystem: true,
      linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
      command: ['serve'],
    },
    { name: 'collector', image: 'public.ecr.aws/otel:1', essential: false, readonlyRootFilesystem: true },
  ],
});

describe('readiness handler', () => {
  const cw = mockClient(CloudWatchClient);
  const rds = mockClient(RDSClient);
  const ecr = mockClient(ECRClient);
  const ecs = mockClient(ECSClient);
  const clients = () => ({
    cloudwatch: new CloudWatchClient({}), rds: new RDSClient({}), ecr: new ECRClient({}), drEcs: new ECSClient({}), primaryEcs: new ECSClient({}),
  });

  beforeEach(() => {
    // GIVEN a DR region that is ready
    cw.reset(); rds.reset(); ecr.reset(); ecs.reset();
    Object.assign(process.env, {
      NAME: 'Dr',
      REPLICA_ID: 'replica',
      RPO_SECONDS: '300',
      REPOSITORY_NAME: 'app',
      IMAGE_TAG: 'v1',
      PRIMARY_REGION: 'eu-west-1',
      PRIMARY_CLUSTER: 'c',
      PRIMARY_SERVICE: 's',
      DR_TASK_DEFINITION: 'dr',
      CONTAINER_NAME: 'app',
      OVERRIDDEN_VARIABLES: 'PGHOST,PGPORT,PGDATABASE',
      METRIC_NAMESPACE: 'NS',
      METRIC_NAME: 'ReadinessFailures',
      MODULES: '[]',
      REPLICA_KIND: 'instance',
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: 'available' }] });
    cw.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Maximum: 2 }, { Maximum: 5 }] });
    cw.on(PutMetricDataCommand).resolves({});
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{}] });
    ecs.on(DescribeServicesCommand).resolves({ services: [{ taskDefinition: 'primary:3' }] });
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'primary:3' }).resolves({ taskDefinition: taskDef('1.dkr.ecr.eu-west-1.amazonaws.com/app:v1') });
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'dr' }).resolves({ taskDefinition: taskDef('1.dkr.ecr.eu-central-1.amazonaws.com/app:v1') });
  });

  test('publishes 0 failures when everything matches', async () => {
    const result = await handlerModule.handler({}, {}, clients());
    expect(result).toEqual({ ready: true, problems: [] });
    const put = cw.commandCalls(PutMetricDataCommand)[0].args[0].input;
    expect(put.MetricData![0]).toMatchObject({ MetricName: 'ReadinessFailures', Value: 0, Dimensions: [{ Name: 'PilotLightDr', Value: 'Dr' }] });
  });

  test('fails when the replica lag exceeds the RPO', async () => {
    cw.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Maximum: 400 }] });
    const result = await handlerModule.handler({}, {}, clients());
    expect(result.problems).toEqual(['replica lag 400 s is above the recovery point objective of 300 s']);
    expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData![0].Value).toBe(1);
  });

  test('fails when the image is missing in the DR region', async () => {
    ecr.on(DescribeImagesCommand).rejects(Object.assign(new Error('nope'), { name: 'ImageNotFoundException' }));
    const result = await handlerModule.handler({}, {}, clients());
    expect(result.problems[0]).toMatch(/image app:v1 is not in the DR region/);
  });

  test('fails when the DR task definition drifts from the primary', async () => {
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'primary:3' }).resolves({ taskDefinition: taskDef('1.dkr.ecr.eu-west-1.amazonaws.com/app:v2', '1024') });
    const result = await handlerModule.handler({}, {}, clients());
    expect(result.problems).toEqual(['cpu differs: primary 1024, DR 512', 'image differs: primary app:v2, DR app:v1']);
  });

  test('an unreachable primary region counts as a failure, not a crash', async () => {
    ecs.on(DescribeServicesCommand).rejects(new Error('timeout'));
    const result = await handlerModule.handler({}, {}, clients());
    expect(result.problems).toEqual(['task definition check failed: timeout']);
  });

  type Mutation = (td: TaskDefinition) => void;
  const app = (td: TaskDefinition) => td.containerDefinitions![0];
  test.each<[string, Mutation, string]>([
    ['a variable', (td) => { app(td).environment!.push({ name: 'EXTRA', value: '1' }); }, "container 'app' environment differs: primary EXTRA=1,FEATURE=on, DR FEATURE=on"],
    ['a variable value', (td) => { app(td).environment![0].value = 'off'; }, "container 'app' environment differs: primary FEATURE=off, DR FEATURE=on"],
    ['a secret', (td) => { app(td).secrets!.push({ name: 'API_TOKEN', valueFrom: 'arn:t' }); }, "container 'app' secrets differs: primary API_TOKEN,APP_SECRET_KEY,PGPASSWORD, DR APP_SECRET_KEY,PGPASSWORD"],
    ['the user', (td) => { app(td).user = '2000'; }, "container 'app' user differs: primary 2000, DR 1000"],
    ['the read-only root', (td) => { app(td).readonlyRootFilesystem = false; }, "container 'app' read-only root filesystem differs: primary false, DR true"],
    ['dropped capabilities', (td) => { app(td).linuxParameters = { capabilities: { drop: ['NET_RAW'] }, initProcessEnabled: true }; }, "container 'app' dropped capabilities differs: primary NET_RAW, DR ALL"],
    ['added capabilities', (td) => { app(td).linuxParameters = { capabilities: { drop: ['ALL'], add: ['SYS_PTRACE'] }, initProcessEnabled: true }; }, "container 'app' added capabilities differs: primary SYS_PTRACE, DR none"],
    ['the init process', (td) => { app(td).linuxParameters = { capabilities: { drop: ['ALL'] } }; }, "container 'app' init process differs: primary false, DR true"],
    ['the command', (td) => { app(td).command = ['worker']; }, "container 'app' command differs: primary worker, DR serve"],
    ['a writable /tmp', (td) => { app(td).mountPoints = [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }]; }, "container 'app' mount points differs: primary tmp:/tmp, DR none"],
    ['a sidecar', (td) => { td.containerDefinitions!.push({ name: 'proxy', image: 'envoy:1' }); }, 'containers differ: primary app,collector,proxy, DR app,collector'],
    ['a sidecar setting', (td) => { td.containerDefinitions![1].readonlyRootFilesystem = false; }, "container 'collector' read-only root filesystem differs: primary false, DR true"],
    ['the memory', (td) => { td.memory = '2048'; }, 'memory differs: primary 2048, DR 1024'],
    ['the architecture', (td) => { td.runtimePlatform = { cpuArchitecture: 'X86_64' }; }, 'CPU architecture differs: primary X86_64, DR ARM64'],
    ['the ports', (td) => { app(td).portMappings = [{ containerPort: 3000, protocol: 'tcp' }]; }, 'port mappings differ: primary 3000/tcp, DR 8080/tcp'],
  ])('fails when the primary differs in %s', async (_what, mutate, problem) => {
    // GIVEN a primary task definition that differs in one way
    const primary = taskDef('1.dkr.ecr.eu-west-1.amazonaws.com/app:v1');
    mutate(primary);
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'primary:3' }).resolves({ taskDefinition: primary });
    // WHEN
    const result = await handlerModule.handler({}, {}, clients());
    // THEN
    expect(result.ready).toBe(false);
    expect(result.problems).toEqual([problem]);
  });

  test('the database endpoint and DR-only variables differ on purpose', async () => {
    const primary = taskDef('1.dkr.ecr.eu-west-1.amazonaws.com/app:v1');
    app(primary).environment!.push({ name: 'PGPORT', value: '5432' });
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'primary:3' }).resolves({ taskDefinition: primary });
    const result = await handlerModule.handler({}, {}, clients());
    expect(result.problems).toEqual([]);
  });

  test('an image from outside the replicated repository is not looked up in ECR', async () => {
    process.env.REPOSITORY_NAME = '';
    const result = await handlerModule.handler({}, {}, clients());
    expect(result.ready).toBe(true);
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(0);
  });

  describe('split modules', () => {
    /** A module's task definition: the monolith's, with its application container named after the module. */
    const moduleTaskDef = (image: string, cpu = '512'): TaskDefinition => {
      const td = taskDef(image, cpu);
      td.containerDefinitions![0].name = 'orders';
      return td;
    };

    beforeEach(() => {
      // GIVEN a split module 'orders' and its standby copy
      process.env.MODULES = JSON.stringify([{ name: 'orders', primaryService: 'orders-svc', drTaskDefinition: 'dr-orders' }]);
      ecs.on(DescribeServicesCommand, { cluster: 'c', services: ['orders-svc'] }).resolves({ services: [{ taskDefinition: 'orders:2' }] });
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'dr-orders' }).resolves({ taskDefinition: moduleTaskDef('1.dkr.ecr.eu-central-1.amazonaws.com/app:v1') });
    });

    test('each module is compared with its standby copy', async () => {
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'orders:2' }).resolves({ taskDefinition: moduleTaskDef('1.dkr.ecr.eu-west-1.amazonaws.com/app:v1') });
      const result = await handlerModule.handler({}, {}, clients());
      expect(result).toEqual({ ready: true, problems: [] });
      expect(ecs.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition).sort()).toEqual(['dr', 'dr-orders', 'orders:2', 'primary:3']);
    });

    test('fails when a split module differs from its standby, naming the module', async () => {
      // WHEN the primary's orders module was resized and its standby was not
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'orders:2' }).resolves({ taskDefinition: moduleTaskDef('1.dkr.ecr.eu-west-1.amazonaws.com/app:v1', '1024') });
      const result = await handlerModule.handler({}, {}, clients());
      // THEN
      expect(result.ready).toBe(false);
      expect(result.problems).toEqual(["module 'orders': cpu differs: primary 1024, DR 512"]);
      expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData![0].Value).toBe(1);
    });

    test('fails when a module\'s standby task definition is missing', async () => {
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'orders:2' }).resolves({ taskDefinition: moduleTaskDef('1.dkr.ecr.eu-west-1.amazonaws.com/app:v1') });
      ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'dr-orders' }).rejects(new Error('Unable to describe task definition.'));
      const result = await handlerModule.handler({}, {}, clients());
      expect(result.problems).toEqual(["module 'orders' task definition check failed: Unable to describe task definition."]);
    });
  });

  describe('an Aurora secondary cluster', () => {
    beforeEach(() => {
      // GIVEN the replica is the headless secondary of an Aurora global database
      process.env.REPLICA_KIND = 'aurora-cluster';
      rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'available' }] });
    });

    test('reads the cluster and its global replication lag, in milliseconds', async () => {
      cw.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Maximum: 800 }] });
      const result = await handlerModule.handler({}, {}, clients());
      expect(result).toEqual({ ready: true, problems: [] });
      expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(0);
      expect(cw.commandCalls(GetMetricStatisticsCommand)[0].args[0].input).toMatchObject({
        MetricName: 'AuroraGlobalDBReplicationLag',
        Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'replica' }],
      });
    });

    test('fails when the global replication lag exceeds the RPO', async () => {
      cw.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Maximum: 450000 }] });
      const result = await handlerModule.handler({}, {}, clients());
      expect(result.problems).toEqual(['replica lag 450 s is above the recovery point objective of 300 s']);
    });

    test('fails when the secondary is not available', async () => {
      rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'modifying' }] });
      const result = await handlerModule.handler({}, {}, clients());
      expect(result.problems).toEqual(['replica status is modifying']);
    });
  });
});
