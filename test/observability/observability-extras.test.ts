import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { stacks, workload } from './fixtures';
import { Profile } from '../../src/core/profile';
import { LogRetentionCheck, ObservabilityStack } from '../../src/observability';
import { FrontDoorKind } from '../../src/service/front-door';
import { expectCompliant } from '../helpers/compliance';
import { FakeRunner, FakeService } from '../helpers/fakes';

describe('tracing', () => {
  test('a service with an ADOT sidecar gets an X-Ray group of failed and slow traces and a sampling rule', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { sidecar: true, database: 'secret-only' });
    const obs = new ObservabilityStack(monitoring, 'Obs').monitorService(f.service);
    const t = Template.fromStack(monitoring);
    t.hasResourceProperties('AWS::XRay::Group', { FilterExpression: 'fault = true OR responsetime > 0.5' });
    t.hasResourceProperties('AWS::XRay::SamplingRule', { SamplingRule: Match.objectLike({ FixedRate: 0.05, ReservoirSize: 1, Version: 1 }) });
    expect(obs.samplingRule).toBeDefined();
    expect(obs.traceGroup).toBeDefined();
  });

  test('tracing: false turns it off; tracing: true turns it on without a sidecar', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { sidecar: true, database: 'secret-only' });
    new ObservabilityStack(monitoring, 'Off', { tracing: false }).monitorService(f.service);
    new ObservabilityStack(monitoring, 'On', { tracing: true, tracingSampleRate: 0.2 });
    const t = Template.fromStack(monitoring);
    t.resourceCountIs('AWS::XRay::SamplingRule', 1);
    t.hasResourceProperties('AWS::XRay::SamplingRule', { SamplingRule: Match.objectLike({ FixedRate: 0.2 }) });
  });
});

describe('paid add-ons and FinOps', () => {
  // In one stack: the collector references the Prometheus workspace.
  const { workload: w } = stacks();
  const monitoring = w;
  const f = workload(w, { frontDoor: FrontDoorKind.HTTP_API_INTERNAL_ALB, sidecar: true });
  const obs = new ObservabilityStack(monitoring, 'Obs', {
    managedPrometheus: true,
    monthlyBudgetUsd: 50,
    costAnomalyDetection: true,
  }).monitorService(f.service).monitorDatabase(f.database).monitorSite(f.site).monitorMigrations(f.runner);
  const t = Template.fromStack(monitoring);

  test('a Prometheus workspace the service\'s collector writes to (remote write, SigV4), and no Grafana workspace', () => {
    t.resourceCountIs('AWS::APS::Workspace', 1);
    t.resourceCountIs('AWS::Grafana::Workspace', 0);
    const wt = Template.fromStack(w);
    const collector = Match.objectLike({
      Name: 'otel-collector',
      Environment: Match.arrayWith([Match.objectLike({ Name: 'AOT_CONFIG_CONTENT', Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) })]),
    });
    wt.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: Match.arrayWith([collector]) });
    const config = JSON.stringify(wt.findResources('AWS::ECS::TaskDefinition'));
    expect(config).toContain('prometheusremotewrite');
    expect(config).toContain('sigv4auth');
    expect(config).toContain('api/v1/remote_write');
    wt.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'aps:RemoteWrite', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('PrometheusWorkspace'), 'Arn'] } })]) },
    });
    expect(obs.prometheusWorkspace).toBeDefined();
  });

  test('a monthly budget alerting the topic on actual (80%) and forecast (100%) cost', () => {
    t.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 50, Unit: 'USD' } },
      NotificationsWithSubscribers: [
        { Notification: Match.objectLike({ NotificationType: 'ACTUAL', Threshold: 80 }), Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('^ObsTopic') } }] },
        { Notification: Match.objectLike({ NotificationType: 'FORECASTED', Threshold: 100 }), Subscribers: Match.anyValue() },
      ],
    });
  });

  test('budgets and cost anomaly detection may publish to the topic and use its key', () => {
    for (const service of ['budgets.amazonaws.com', 'costalerts.amazonaws.com']) {
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Principal: { Service: service } })]) },
      });
      t.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: service }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] })]) },
      });
    }
  });

  test('a cost anomaly monitor per AWS service with an immediate SNS subscription', () => {
    t.hasResourceProperties('AWS::CE::AnomalyMonitor', { MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' });
    t.hasResourceProperties('AWS::CE::AnomalySubscription', {
      Frequency: 'IMMEDIATE',
      ThresholdExpression: Match.stringLikeRegexp('ANOMALY_TOTAL_IMPACT_ABSOLUTE.*"20"'),
      Subscribers: [{ Type: 'SNS', Address: { Ref: Match.stringLikeRegexp('^ObsTopic') } }],
    });
  });

  test('cdk-nag clean with every add-on on', () => {
    expectCompliant(obs);
  });
});

describe('log retention of watched constructs', () => {
  test('FAIL (default) names the never-expiring log group', () => {
    const { workload: w, monitoring } = stacks();
    const runner = new FakeRunner(w, 'Runner', true);
    expect(() => new ObservabilityStack(monitoring, 'Obs').monitorMigrations(runner)).toThrow(/log groups of Workload\/Runner never expire: Workload\/Runner\/BuildLogs\/Resource/);
  });

  test('WARN warns; APPLY_PROFILE sets the profile retention', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { database: 'secret-only' });
    const service = new FakeService(w, 'Forever', f.vpc, { retention: logs.RetentionDays.INFINITE, profile: Profile.HIGHLY_AVAILABLE_PRODUCTION });
    const runner = new FakeRunner(w, 'Runner', true);
    new ObservabilityStack(monitoring, 'Warn', { logRetentionCheck: LogRetentionCheck.WARN }).monitorMigrations(runner);
    new ObservabilityStack(monitoring, 'Apply', { logRetentionCheck: LogRetentionCheck.APPLY_PROFILE }).monitorService(service);
    Annotations.fromStack(monitoring).hasWarning('/Monitoring/Warn/MigrationsRunner', Match.stringLikeRegexp('never expire'));
    Template.fromStack(w).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });
});

describe('Aurora', () => {
  test('replica lag on the cluster when it has a reader, and on given RDS replicas; no free-storage alarm', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { database: 'aurora-with-reader' });
    new ObservabilityStack(monitoring, 'Obs').monitorDatabase(f.database);
    const t = Template.fromStack(monitoring);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraReplicaLagMaximum', Threshold: 30000 });
    t.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'FreeStorageSpace' }, 0);
  });

  test('ReplicaLag (seconds) on RDS replicas given to monitorDatabase', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { database: 'rds' });
    const replica = rds.DatabaseInstance.fromDatabaseInstanceAttributes(monitoring, 'Replica', {
      instanceIdentifier: 'app-replica', instanceEndpointAddress: 'replica.example.com', port: 5432, securityGroups: [],
    });
    new ObservabilityStack(monitoring, 'Obs', { thresholds: { databaseReplicaLag: Duration.minutes(1) } }).monitorDatabase(f.database, { replicas: [replica] });
    Template.fromStack(monitoring).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReplicaLag', Threshold: 60, Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'app-replica' }],
    });
  });
});

describe('compliance in every profile and front door', () => {
  test.each([
    ['development', Profile.DEVELOPMENT, FrontDoorKind.HTTP_API_CLOUD_MAP],
    ['cost-conscious-production', Profile.COST_CONSCIOUS_PRODUCTION, FrontDoorKind.PUBLIC_ALB],
    ['highly-available-production', Profile.HIGHLY_AVAILABLE_PRODUCTION, FrontDoorKind.HTTP_API_INTERNAL_ALB],
  ] as const)('%s with %s', (_name, profile, frontDoor) => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { frontDoor, profile });
    new ObservabilityStack(monitoring, 'Obs', { profile, alarmEmails: ['oncall@example.com'] })
      .monitorService(f.service).monitorDatabase(f.database).monitorSite(f.site).monitorMigrations(f.runner);
    expectCompliant(monitoring);
  });
});
