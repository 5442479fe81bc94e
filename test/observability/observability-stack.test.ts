import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { stacks, workload } from './fixtures';
import { Profile } from '../../src/core/profile';
import { AlarmSelection, ObservabilityStack, ObservabilityStackProps } from '../../src/observability';
import { FrontDoorKind } from '../../src/service/front-door';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';
import { FakeDatabase } from '../helpers/fakes';

/** The JSON of the dashboard body with tokens flattened, to check its layout. */
function dashboardBody(t: Template): string {
  const dashboard = Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0] as { Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } } };
  return dashboard.Properties.DashboardBody['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
}

/** The synthesized properties of an alarm that these tests read. */
type AlarmProps = {
  Threshold: number;
  AlarmDescription: string;
  AlarmActions?: unknown[];
  MetricName?: string;
  Namespace?: string;
  ExtendedStatistic?: string;
  Metrics?: Array<{ Expression?: string }>;
};

function alarmsWith(t: Template, predicate: (props: AlarmProps) => boolean): AlarmProps[] {
  return (Object.values(t.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: AlarmProps }>).map((r) => r.Properties).filter(predicate);
}

const usesMetric = (name: string) => (p: AlarmProps) => JSON.stringify(p).includes(`"MetricName":"${name}"`);

describe('ObservabilityStack, default profile, HTTP API service', () => {
  // GIVEN a workload in one stack and the observability construct in a monitoring stack
  const { workload: w, monitoring } = stacks();
  const f = workload(w, { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP });
  // WHEN
  const obs = new ObservabilityStack(monitoring, 'Obs', { runbookUrl: 'https://runbooks.example.com/app', alarmEmails: ['oncall@example.com'] })
    .monitorDatabase(f.database)
    .monitorService(f.service)
    .monitorSite(f.site)
    .monitorMigrations(f.runner);
  const t = Template.fromStack(monitoring);

  test('creates a KMS-encrypted, TLS-only topic whose key admits CloudWatch, with the email subscribed', () => {
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] })]) },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('a signal topic under the alarm topic\'s key, TLS-only, with nobody subscribed', () => {
    const [keyId] = Object.keys(t.findResources('AWS::KMS::Key'));
    t.resourceCountIs('AWS::SNS::Topic', 2);
    expect(obs.signalTopic).toBeDefined();
    const signal = monitoring.getLogicalId(obs.signalTopic!.node.defaultChild as never);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, DisplayName: 'Signals (non-paging)' });
    expect(Object.keys(t.findResources('AWS::SNS::Topic', { Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } } }))).toHaveLength(2);
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: signal }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    expect(Object.values(t.findResources('AWS::SNS::Subscription')).filter((r) => JSON.stringify(r).includes(signal))).toEqual([]);
  });

  test('SLO window alarms notify the signal topic, their composites the alarm topic, never the other way round', () => {
    const windows = alarmsWith(t, (p) => /Part of a composite/.test(p.AlarmDescription));
    expect(windows).toHaveLength(8);
    for (const p of windows) expect(p.AlarmActions).toEqual([{ Ref: monitoring.getLogicalId(obs.signalTopic!.node.defaultChild as never) }]);
    const composites = Object.values(t.findResources('AWS::CloudWatch::CompositeAlarm')).map((r) => r.Properties.AlarmActions);
    expect(composites).toHaveLength(4);
    for (const actions of composites) expect(actions).toEqual([{ Ref: monitoring.getLogicalId(obs.topic.node.defaultChild as never) }]);
  });

  test('AWS Control Tower CT.CLOUDWATCH.PR.1 (every alarm has an action) passes', () => {
    expect(controlTowerFailures([monitoring]).get(monitoring.stackName)!.get('CT.CLOUDWATCH.PR.1')).toBeUndefined();
  });

  test('SLO: fast and slow burn composites for availability and latency', () => {
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 4);
    const availability = alarmsWith(t, (p) => usesMetric('5xx')(p) && usesMetric('Count')(p) && p.Threshold !== 10);
    expect(availability.map((p) => p.Threshold).sort()).toEqual([0.6, 0.6, 1.44, 1.44]);
    const latency = alarmsWith(t, (p) => JSON.stringify(p).includes('PR(:500)'));
    expect(latency.map((p) => p.Threshold).sort()).toEqual([30, 30, 72, 72]);
    expect(latency[0].Metrics![0].Expression).toBe('100 - pr');
  });

  test('API: p99 latency and 4xx rate alarms', () => {
    expect(alarmsWith(t, (p) => p.ExtendedStatistic === 'p99' && usesMetric('Latency')(p))[0].Threshold).toBe(1000);
    expect(alarmsWith(t, (p) => usesMetric('4xx')(p))[0].Threshold).toBe(10);
  });

  test('service: CPU > 70%, memory > 80%, running tasks < 1 with missing data breaching', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Namespace: 'AWS/ECS', Statistic: 'Average', Threshold: 70, ComparisonOperator: 'GreaterThanThreshold' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MemoryUtilization', Threshold: 80 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CPUUtilization', Statistic: 'SampleCount', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
    });
  });

  test('database: CPU > 80%, free storage < 2 GiB; no connections alarm without a threshold', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Threshold: 80 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeStorageSpace', Threshold: 2 * 1024 ** 3, ComparisonOperator: 'LessThanThreshold' });
    expect(alarmsWith(t, usesMetric('DatabaseConnections'))).toHaveLength(0);
    expect(alarmsWith(t, (p) => p.MetricName === 'DatabaseConnections')).toHaveLength(0);
  });

  test('migrations: a failed build alarms', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/CodeBuild', MetricName: 'FailedBuilds', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  test('every alarm that can fire alone notifies the topic and says what to check first, with a runbook link', () => {
    const standalone = alarmsWith(t, (p) => !/Part of a composite/.test(p.AlarmDescription));
    expect(standalone.length).toBeGreaterThan(0);
    for (const p of standalone) {
      expect(p.AlarmActions).toEqual([expect.objectContaining({ Ref: expect.stringMatching(/^ObsTopic/) })]);
      expect(p.AlarmDescription).toMatch(/Check first: .+Runbook: https:\/\/runbooks\.example\.com\/app#/);
    }
    for (const c of Object.values(t.findResources('AWS::CloudWatch::CompositeAlarm')) as Array<{ Properties: { AlarmActions: unknown[] } }>) {
      expect(c.Properties.AlarmActions).toEqual([expect.objectContaining({ Ref: expect.stringMatching(/^ObsTopic/) })]);
    }
  });

  test('reports its own alarm count, matching the template', () => {
    // the site's CloudFront alarm lives in the us-east-1 companion stack, and is counted too
    const east = Template.fromStack(monitoring.node.root.node.findChild('MonitoringUsEast1Alarms') as Stack);
    const total = [t, east].reduce((sum, template) => sum + Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length
      + Object.keys(template.findResources('AWS::CloudWatch::CompositeAlarm')).length, 0);
    expect(obs.alarmCount).toBe(total);
    expect(obs.alarms).toHaveLength(total);
    expect(obs.compositeAlarmCount).toBe(4);
    expect(obs.metricAlarmCount).toBe(18); // the README's alarms, the site's alarm in us-east-1 and the task failure rate
    expect(obs.billedAlarmMetrics).toBe(24);
    expect(obs.billedAlarmMetrics).toBeGreaterThan(obs.metricAlarmCount); // math alarms read two metrics
  });

  test('one dashboard laid out per layer with the SLO on top, whatever the call order', () => {
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = dashboardBody(t);
    const at = (s: string) => body.indexOf(s);
    expect(at('## Service level objectives')).toBeGreaterThanOrEqual(0);
    expect(at('## Service level objectives')).toBeLessThan(at('## Edge'));
    expect(at('## Edge')).toBeLessThan(at('## API'));
    expect(at('## API')).toBeLessThan(at('## Service (ECS)'));
    expect(at('## Service (ECS)')).toBeLessThan(at('## Database'));
    expect(body).toContain('"type":"alarm"');
    expect(body).toContain('error budget left %');
    expect(body).toContain('"stat":"p95"');
    expect(body).toContain('database connections');
  });

  test('no tracing without a sidecar, no paid add-ons, no budget', () => {
    t.resourceCountIs('AWS::XRay::SamplingRule', 0);
    t.resourceCountIs('AWS::APS::Workspace', 0);
    t.resourceCountIs('AWS::Grafana::Workspace', 0);
    t.resourceCountIs('AWS::Budgets::Budget', 0);
    t.resourceCountIs('AWS::CE::AnomalyMonitor', 0);
  });

  test('CloudFront alarms need us-east-1: outside it, none in this stack (they go to a us-east-1 companion, see site-alarms.test.ts)', () => {
    expect(alarmsWith(t, (p) => p.Namespace === 'AWS/CloudFront')).toHaveLength(0);
    Annotations.fromStack(monitoring).hasNoWarning('/Monitoring/Obs/SiteSite', Match.stringLikeRegexp('CloudFront metrics live in us-east-1'));
  });
});

describe('ObservabilityStack variants', () => {
  test('ALB front door: 5xx from targets and the ELB over RequestCount, unhealthy targets, latency in seconds', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { frontDoor: FrontDoorKind.PUBLIC_ALB, database: 'secret-only' });
    new ObservabilityStack(monitoring, 'Obs').monitorService(f.service);
    const t = Template.fromStack(monitoring);
    const availability = alarmsWith(t, (p) => usesMetric('HTTPCode_Target_5XX_Count')(p) && usesMetric('HTTPCode_ELB_5XX_Count')(p) && usesMetric('RequestCount')(p));
    expect(availability).toHaveLength(4);
    expect(alarmsWith(t, (p) => JSON.stringify(p).includes('PR(:0.5)'))).toHaveLength(4);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'UnHealthyHostCount', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarmsWith(t, (p) => p.ExtendedStatistic === 'p99')[0].Threshold).toBe(1);
  });

  test('development: no dashboard, only paging alarms, a plain 5xx alarm instead of SLO burn, inside the free tier', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP });
    const obs = new ObservabilityStack(monitoring, 'Obs', { profile: Profile.DEVELOPMENT })
      .monitorService(f.service).monitorDatabase(f.database).monitorSite(f.site).monitorMigrations(f.runner);
    const t = Template.fromStack(monitoring);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    expect(obs.alarmCount).toBe(3); // 5xx rate, running tasks, free storage
    expect(obs.billedAlarmMetrics).toBeLessThanOrEqual(10);
    expect(alarmsWith(t, (p) => usesMetric('5xx')(p))[0].Threshold).toBe(5);
    Annotations.fromStack(monitoring).hasNoWarning('/Monitoring/Obs', Match.stringLikeRegexp('free tier'));
  });

  test('development with SLO targets given: burn alarms, and a warning that they leave the free tier', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP, database: 'secret-only' });
    new ObservabilityStack(monitoring, 'Obs', { profile: Profile.DEVELOPMENT, slo: { availabilityPercent: 99.5 }, dashboard: true }).monitorService(f.service);
    const t = Template.fromStack(monitoring);
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 4);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(alarmsWith(t, (p) => usesMetric('5xx')(p)).map((p) => p.Threshold).sort()).toEqual([3, 3, 7.2, 7.2]);
    Annotations.fromStack(monitoring).hasWarning('/Monitoring/Obs', Match.stringLikeRegexp('free tier'));
  });

  test('thresholds override the defaults, per construct too; alarmSelection ALL in development', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP });
    new ObservabilityStack(monitoring, 'Obs', {
      profile: Profile.DEVELOPMENT,
      alarmSelection: AlarmSelection.ALL,
      thresholds: { serviceCpuPercent: 60, databaseConnections: 90 },
    }).monitorService(f.service, { thresholds: { serviceMemoryPercent: 75 } }).monitorDatabase(f.database, { label: 'orders-db' });
    const t = Template.fromStack(monitoring);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Statistic: 'Average', Threshold: 60 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MemoryUtilization', Threshold: 75 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnections', Threshold: 90, AlarmDescription: Match.stringLikeRegexp('^\\[ticket\\] orders-db') });
  });

  test('bring your own topic: no topic or key created, alarms notify it', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP, database: 'secret-only' });
    const topic = sns.Topic.fromTopicArn(monitoring, 'Pager', 'arn:aws:sns:eu-west-1:111111111111:pager');
    const obs = new ObservabilityStack(monitoring, 'Obs', { topic }).monitorService(f.service);
    const t = Template.fromStack(monitoring);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.resourceCountIs('AWS::KMS::Key', 0);
    expect(obs.topic).toBe(topic);
    t.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:pager'] });
    // no key of ours: no signal topic, so the window alarms keep feeding only the composites
    expect(obs.signalTopic).toBeUndefined();
    const windows = alarmsWith(t, (p) => /Part of a composite/.test(p.AlarmDescription));
    expect(windows.length).toBeGreaterThan(0);
    for (const p of windows) expect(p.AlarmActions).toBeUndefined();
    expectCompliant(monitoring); // the missing window actions stay acknowledged
    expect(controlTowerFailures([monitoring]).get(monitoring.stackName)!.get('CT.CLOUDWATCH.PR.1')).toHaveLength(windows.length);
  });

  test('bring your own topic and a key: a signal topic under that key, which admits CloudWatch; the window alarms notify it', () => {
    // GIVEN the user's pager topic and key
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP, database: 'secret-only' });
    const topicKey = new kms.Key(monitoring, 'PagerKey', { enableKeyRotation: true });
    const topic = new sns.Topic(monitoring, 'Pager', { masterKey: topicKey, enforceSSL: true });
    // WHEN
    const obs = new ObservabilityStack(monitoring, 'Obs', { topic, topicKey }).monitorService(f.service);
    // THEN
    const t = Template.fromStack(monitoring);
    t.resourceCountIs('AWS::SNS::Topic', 2);
    expect(obs.topic).toBe(topic);
    expect(obs.topicKey).toBe(topicKey);
    expect(obs.signalTopic!.masterKey).toBe(topicKey);
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] })]) },
    });
    const signal = { Ref: monitoring.getLogicalId(obs.signalTopic!.node.defaultChild as never) };
    for (const p of alarmsWith(t, (a) => /Part of a composite/.test(a.AlarmDescription))) expect(p.AlarmActions).toEqual([signal]);
    expectCompliant(monitoring);
  });

  test('bring your own topic and an imported key: a warning that CloudWatch must be allowed to use the key', () => {
    const { monitoring } = stacks();
    const topicKey = kms.Key.fromKeyArn(monitoring, 'Imported', 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-1111-2222-333344445555');
    const topic = sns.Topic.fromTopicArn(monitoring, 'Pager', 'arn:aws:sns:eu-west-1:111111111111:pager');
    new ObservabilityStack(monitoring, 'Obs', { topic, topicKey });
    Annotations.fromStack(monitoring).hasWarning('/Monitoring/Obs', Match.stringLikeRegexp('`topicKey` is imported.*allow cloudwatch.amazonaws.com'));
  });

  test('props are the same as the fluent methods', () => {
    const { workload: w, monitoring } = stacks();
    const f = workload(w, { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP });
    const obs = new ObservabilityStack(monitoring, 'Obs', { services: [f.service], databases: [f.database], sites: [f.site], migrationRunners: [f.runner] });
    expect(obs.alarmCount).toBeGreaterThan(10);
    Template.fromStack(monitoring).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FailedBuilds' });
  });

  test('CloudFront alarm in a us-east-1 stack', () => {
    const { workload: w, monitoring } = stacks('us-east-1');
    const f = workload(w, { database: 'secret-only' });
    new ObservabilityStack(monitoring, 'Obs').monitorSite(f.site);
    Template.fromStack(monitoring).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Threshold: 5, Dimensions: Match.arrayWith([{ Name: 'Region', Value: 'Global' }]),
    });
  });
});

describe('ObservabilityStack validation', () => {
  const { workload: w, monitoring } = stacks();
  const f = workload(w, { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP });
  let n = 0;
  const make = (props: ObservabilityStackProps) => new ObservabilityStack(monitoring, `Obs${n++}`, props);

  test.each([100, 0, 101, -1])('rejects availability %p', (availabilityPercent) => {
    expect(() => make({ slo: { availabilityPercent } })).toThrow(`\`slo.availabilityPercent\` must be a number above 0 and below 100 (100 leaves no error budget), e.g. 99.9, got: ${availabilityPercent}`);
  });
  test('rejects a latency percentile CloudWatch does not support', () => {
    expect(() => make({ slo: { latencyPercentile: 100 } })).toThrow('`slo.latencyPercentile` must be a percentile CloudWatch supports');
    expect(() => make({ slo: { latencyPercentile: 99.12345678901 } })).toThrow('at most 10 decimal places');
  });
  test('rejects a zero latency threshold', () => {
    expect(() => make({ slo: { latencyThreshold: Duration.millis(0) } })).toThrow('`slo.latencyThreshold` must be a duration above 0');
  });
  test('rejects thresholds of the wrong sign', () => {
    expect(() => make({ thresholds: { serviceCpuPercent: -5 } })).toThrow('`thresholds.serviceCpuPercent` must be a number between 0 and 100, got: -5');
    expect(() => make({ thresholds: { unhealthyTargets: -1 } })).toThrow('`thresholds.unhealthyTargets` must be an integer of at least 0, got: -1');
    expect(() => make({}).monitorService(f.service, { thresholds: { minRunningTasks: 0 } })).toThrow('`options.thresholds.minRunningTasks` must be an integer of at least 1, got: 0');
  });
  test('rejects a budget of zero', () => {
    expect(() => make({ monthlyBudgetUsd: 0 })).toThrow('`monthlyBudgetUsd` must be an amount in USD above 0, got: 0');
  });
  test('rejects a database with nothing to watch', () => {
    const empty = new FakeDatabase(w, 'Empty', f.vpc, { backing: 'secret-only' });
    expect(() => make({}).monitorDatabase(empty)).toThrow('`monitorDatabase(Empty)` has nothing to watch');
  });
  test('rejects watching the same construct twice', () => {
    const obs = make({}).monitorMigrations(f.runner);
    expect(() => obs.monitorMigrations(f.runner)).toThrow('`monitorMigrations()` was already called for Workload/Migrations');
  });
  test('rejects a bad email, a bad sample rate, a bad runbook link', () => {
    expect(() => make({ alarmEmails: ['nope'] })).toThrow('`alarmEmails` must be email addresses, got: \'nope\'');
    expect(() => make({ tracingSampleRate: 2 })).toThrow('`tracingSampleRate` must be a number between 0 and 1, got: 2');
    expect(() => make({ runbookUrl: 'wiki/runbooks/api' })).toThrow("`runbookUrl` must be an http(s) URL, got: 'wiki/runbooks/api'");
    expect(() => make({ runbookUrl: 'https://wiki.example.com/run books' })).toThrow("`runbookUrl` must be an http(s) URL, got: 'https://wiki.example.com/run books'");
  });
});
