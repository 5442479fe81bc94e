import { Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { stacks } from './fixtures';
import { PostgresDatabase } from '../../src/database';
import { ObservabilityStack } from '../../src/observability';
import { ModularMonolithService, ServiceImage } from '../../src/service';
import { expectCompliant } from '../helpers/compliance';
import { FakeNetwork, plainVpc } from '../helpers/fakes';

const VPC_RULES = ['AwsSolutions-VPC7', 'HIPAA.Security-VPCDefaultSecurityGroupClosed', 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
  'HIPAA.Security-VPCFlowLogsEnabled', 'NIST.800.53.R5-VPCFlowLogsEnabled', 'HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
  'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', 'HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled', 'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled'];

type Container = { Name: string; Environment?: Array<{ Name: string; Value: unknown }> };
type AlarmProps = { AlarmDescription: unknown; Threshold: number; MetricName?: string; Namespace?: string; Metrics?: unknown[] };

/** A real service with a split module and tracing, and a real RDS database with a read replica. */
function app(options: { managedPrometheus?: boolean; tracingSampleRate?: number } = {}) {
  const { workload, monitoring: other } = stacks();
  // The collector must reference the workspace, so Prometheus needs the ObservabilityStack in the service's stack.
  const monitoring = options.managedPrometheus ? workload : other;
  const vpc = plainVpc(workload, 'Vpc', false);
  // The VPC is test scaffolding: its findings are not the constructs'.
  Validations.of(vpc).acknowledge(...VPC_RULES.map((id) => ({ id, reason: 'Test scaffolding VPC.' })));
  const service = new ModularMonolithService(workload, 'Api', {
    vpc,
    image: ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.0'),
    modules: [{ name: 'orders', path: '/orders/*' }, { name: 'billing', path: '/billing/*' }],
    splitModules: [{ module: 'billing' }],
    tracing: true,
  });
  const database = new PostgresDatabase(workload, 'Db', { network: new FakeNetwork(workload, 'Net', { vpc }), readReplica: true });
  const obs = new ObservabilityStack(monitoring, 'Obs', options).monitorService(service).monitorDatabase(database);
  return { workload, monitoring, service, database, obs };
}

function containers(t: Template): Container[] {
  return Object.values(t.findResources('AWS::ECS::TaskDefinition'))
    .flatMap((r) => (r as { Properties: { ContainerDefinitions: Container[] } }).Properties.ContainerDefinitions);
}

function alarms(t: Template): AlarmProps[] {
  return Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((r) => (r as { Properties: AlarmProps }).Properties);
}

function described(t: Template, text: string): AlarmProps[] {
  return alarms(t).filter((a) => JSON.stringify(a.AlarmDescription).includes(text));
}

describe('ObservabilityStack wiring into the services and database it watches', () => {
  test('tracingSampleRate reaches the application of the main service and of every split module', () => {
    // GIVEN / WHEN
    const { workload } = app({ tracingSampleRate: 0.5 });
    // THEN every application container samples at the stack's rate, not the service's 5%
    const apps = containers(Template.fromStack(workload)).filter((c) => c.Name !== 'otel-collector');
    expect(apps.map((c) => c.Name).sort()).toEqual(['app', 'billing']);
    for (const c of apps) expect(c.Environment).toContainEqual({ Name: 'OTEL_TRACES_SAMPLER_ARG', Value: '0.5' });
  });

  test('managedPrometheus: every collector forwards metrics to the workspace and may write to it only', () => {
    const { workload, monitoring } = app({ managedPrometheus: true });
    const t = Template.fromStack(workload);
    const collectors = containers(t).filter((c) => c.Name === 'otel-collector');
    expect(collectors).toHaveLength(2);
    for (const c of collectors) expect(c.Environment!.map((e) => e.Name)).toContain('AOT_CONFIG_CONTENT');
    const statements = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(statements.match(/"aps:RemoteWrite"/g)).toHaveLength(2);
    Annotations.fromStack(monitoring).hasNoWarning('*', Match.stringLikeRegexp('no OpenTelemetry collector'));
  });

  test('split modules get CPU, memory and running-task alarms like the main service', () => {
    const { monitoring } = app();
    const descriptions = alarms(Template.fromStack(monitoring)).map((a) => JSON.stringify(a.AlarmDescription));
    for (const what of ['ECS CPU above', 'ECS memory above', 'running tasks']) {
      expect(descriptions.filter((d) => d.includes(what) && d.includes('Api billing:'))).toHaveLength(1);
      expect(descriptions.filter((d) => d.includes(what) && d.includes('Api:'))).toHaveLength(1);
    }
  });

  test('a task failure rate SLO alarm (0.1%) on EventBridge counts of stopped and failed tasks', () => {
    const { monitoring } = app();
    const t = Template.fromStack(monitoring);
    t.resourceCountIs('AWS::Events::Rule', 2);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        'source': ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        'detail': Match.objectLike({ lastStatus: ['STOPPED'], $or: Match.anyValue() }),
      }),
    });
    const [failure] = described(t, 'task failure SLO');
    expect(failure.Threshold).toBe(0.1);
    expect(JSON.stringify(failure.Metrics)).toContain('MatchedEvents');
  });

  test('the same-region read replica is alarmed on without being passed by hand', () => {
    const { monitoring } = app();
    const lag = alarms(Template.fromStack(monitoring)).filter((a) => JSON.stringify(a).includes('ReplicaLag'));
    expect(lag).toHaveLength(1);
    expect(lag[0].Threshold).toBe(30);
  });

  test('a slow statement alarm from the PostgreSQL log: a metric filter on duration: lines', () => {
    const { monitoring, workload } = app();
    const t = Template.fromStack(monitoring);
    t.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '"duration:"',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'CdkLeanStack/PostgreSQL', MetricValue: '1' })],
    });
    const [slow] = described(t, 'slow statements');
    expect(slow.Threshold).toBe(10);
    Template.fromStack(workload).hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({ log_min_duration_statement: '1000' }),
    });
  });

  test('rejects a fast burn rate below the slow one and a task failure objective out of range', () => {
    const { monitoring } = stacks();
    expect(() => new ObservabilityStack(monitoring, 'A', { slo: { fastBurnRate: 2, slowBurnRate: 6 } }))
      .toThrow('`slo.fastBurnRate` must be a rate at least `slo.slowBurnRate` (6), got: 2');
    expect(() => new ObservabilityStack(monitoring, 'B', { slo: { taskFailurePercent: 0 } }))
      .toThrow('`slo.taskFailurePercent` must be a number above 0 and below 100, e.g. 0.1, got: 0');
    expect(() => new ObservabilityStack(monitoring, 'C', { thresholds: { databaseSlowStatements: -1 } }))
      .toThrow('`thresholds.databaseSlowStatements` must be an integer of at least 0, got: -1');
  });

  test('managedPrometheus refuses a service in another stack (the stacks would depend on each other)', () => {
    const { workload, monitoring } = stacks();
    const service = new ModularMonolithService(workload, 'Api', { vpc: plainVpc(workload, 'Vpc', false), image: ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.0'), tracing: true });
    const obs = new ObservabilityStack(monitoring, 'Obs', { managedPrometheus: true });
    expect(() => obs.monitorService(service)).toThrow(/`managedPrometheus` needs the ObservabilityStack in the stack of the services it collects from \(Workload\), got: Monitoring/);
  });

  test('cdk-nag clean with Prometheus, and in two stacks without it', () => {
    const one = app({ managedPrometheus: true, tracingSampleRate: 0.2 });
    expectCompliant(one.workload);
    const two = app();
    expectCompliant(two.workload);
    expectCompliant(two.monitoring);
  });
});
