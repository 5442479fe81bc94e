import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IMAGE, stackWithVpc } from './fixtures';
import { ModularMonolithService, ServiceImage } from '../../src';
import { expectCompliant, nagFindings } from '../helpers/compliance';
import { FakeDatabase } from '../helpers/fakes';

/** What a new user adds to the service: a wildcard statement, a plain variable, a container. */
function withUserAdditions(service: ModularMonolithService): void {
  service.taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:DeleteTable', 's3:DeleteBucket'], resources: ['*'] }));
  service.taskDefinition.obtainExecutionRole().addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameters'], resources: ['*'] }));
}

function build(props: { tracing?: boolean; environment?: { [key: string]: string }; enableExecuteCommand?: boolean } = {}) {
  const { stack, vpc } = stackWithVpc();
  const service = new ModularMonolithService(stack, 'Api', {
    vpc,
    database: new FakeDatabase(stack, 'Db', vpc),
    image: ServiceImage.fromRegistry(IMAGE),
    ...props,
  });
  return { stack, service };
}

const at = (findings: ReturnType<typeof nagFindings>, rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.path);

describe('acknowledgements cover only what the service itself adds', () => {
  test('GIVEN tracing and ECS Exec, THEN the service alone is compliant', () => {
    const { stack } = build({ tracing: true, enableExecuteCommand: true });
    expectCompliant(stack);
  });

  test('WHEN the user adds wildcard statements to the task and execution roles THEN cdk-nag reports both', () => {
    const { stack, service } = build({ tracing: true, enableExecuteCommand: true });
    withUserAdditions(service);
    const findings = nagFindings(stack);
    expect(at(findings, 'AwsSolutions-IAM5[Resource::*]')).toEqual(expect.arrayContaining([
      expect.stringMatching(/\/TaskDefinition\/TaskRole\/DefaultPolicy\/Resource$/),
      expect.stringMatching(/\/TaskDefinition\/ExecutionRole\/DefaultPolicy\/Resource$/),
    ]));
  });

  test('WHEN the user passes a plain environment variable THEN AwsSolutions-ECS2 is reported', () => {
    const { stack } = build({ tracing: true, environment: { FEATURE_FLAGS: 'beta' } });
    expect(at(nagFindings(stack), 'AwsSolutions-ECS2')).toEqual([expect.stringMatching(/\/TaskDefinition\/Resource$/)]);
  });

  test('WHEN the user adds a container with a plain variable THEN AwsSolutions-ECS2 is reported', () => {
    const { stack, service } = build({ tracing: true });
    service.taskDefinition.addContainer('Worker', {
      image: ecs.ContainerImage.fromRegistry(IMAGE),
      environment: { MODE: 'worker' },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'worker' }),
    });
    expect(at(nagFindings(stack), 'AwsSolutions-ECS2')).toEqual([expect.stringMatching(/\/TaskDefinition\/Resource$/)]);
  });

  test('the tracing sidecar runs as a non-root user with a memory limit', () => {
    const { service } = build({ tracing: true });
    const cfn = service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    const containers = service.taskDefinition.stack.resolve(cfn.containerDefinitions) as Array<{ name: string; user?: string; memory?: number }>;
    expect(containers.find((c) => c.name === 'otel-collector')).toEqual(expect.objectContaining({ user: '10001', memory: 256 }));
  });
});
