import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, TaskDefinition } from '@aws-sdk/client-ecs';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const handlerModule = require('../../assets/dr/readiness/index.js');

const taskDef = (image: string, cpu = '512'): TaskDefinition => ({
  cpu,
  memory: '1024',
  runtimePlatform: { cpuArchitecture: 'ARM64' },
  containerDefinitions: [{ name: 'app', image, portMappings: [{ containerPort: 8080, protocol: 'tcp' }] }],
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
      METRIC_NAMESPACE: 'NS',
      METRIC_NAME: 'ReadinessFailures',
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
});
