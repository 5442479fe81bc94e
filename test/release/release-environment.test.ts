import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENV, releaseApp } from './fixtures';
import { EdgeOnlyAccess, FrontDoor, ModularMonolithService, Network, ReleaseArtifacts, ReleaseEnvironment, ServiceImage } from '../../src';
import { FrontDoorKind } from '../../src/service/front-door';
import { nagFindings } from '../helpers/compliance';
import { FakeService, plainVpc, testStack } from '../helpers/fakes';

/** The rule ids acknowledged on an alarm. */
function acknowledged(alarm: cloudwatch.Alarm): string[] {
  return alarm.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data as object));
}

describe('ReleaseEnvironment', () => {
  const r = releaseApp({ devArchitecture: ecs.CpuArchitecture.X86_64 });
  const [dev, uat] = r.envs;

  test('a 5xx alarm at the front door rolls a deploy back, with the circuit breaker kept', () => {
    const t = Template.fromStack(uat);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xx', Namespace: 'AWS/ApiGateway', Threshold: 5, EvaluationPeriods: 2 });
    t.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        Alarms: { Enable: true, Rollback: true, AlarmNames: [{ Ref: uat.getLogicalId(uat.release.rollbackAlarm!.node.defaultChild as never) }] },
      },
    });
  });

  test('without rollbackAlarmActions only ECS acts on the alarm: no action, the missing action acknowledged', () => {
    const alarm = uat.release.rollbackAlarm!;
    const resource = Template.fromStack(uat).toJSON().Resources[uat.getLogicalId(alarm.node.defaultChild as never)];
    expect(resource.Properties).toMatchObject({ MetricName: '5xx' });
    expect(resource.Properties.AlarmActions).toBeUndefined();
    expect(acknowledged(alarm)).toEqual(['Annotation::HIPAA.Security-CloudWatchAlarmAction', 'Annotation::NIST.800.53.R5-CloudWatchAlarmAction']);
  });

  test('with rollbackAlarmActions the alarm notifies them too, and nothing is acknowledged', () => {
    // GIVEN a service and a topic nobody is paged by
    const stack = testStack('Signals');
    const service = new FakeService(stack, 'Api', plainVpc(stack, 'Vpc', false), { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP });
    const signals = new sns.Topic(stack, 'Signals');
    // WHEN
    const env = new ReleaseEnvironment(stack, 'Release', {
      name: 'prod', artifacts: new ReleaseArtifacts(stack, 'Artifacts'), service, rollbackAlarmActions: [new cwActions.SnsAction(signals)],
    });
    // THEN the alarm still rolls deploys back and now tells the topic
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xx', AlarmActions: [{ Ref: stack.getLogicalId(signals.node.defaultChild as never) }] });
    t.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: { Alarms: { Enable: true, Rollback: true } } });
    expect(acknowledged(env.rollbackAlarm!)).toEqual([]);
    expect(nagFindings(env).filter((f) => f.rule.includes('CloudWatchAlarmAction'))).toEqual([]);
  });

  test('reads the architecture from the task definition and builds the URLs', () => {
    expect(dev.release.architecture).toBe(ecs.CpuArchitecture.X86_64);
    expect(uat.release.architecture).toBe(ecs.CpuArchitecture.ARM64);
    expect(uat.release.healthCheckUrl).toBe(`${uat.service.url}/health`);
    expect(uat.release.siteUrl).toBe(uat.site.url);
    expect(uat.release.apiUrl).toBe(uat.service.url);
  });

  test('the migration build may read the release artifacts (granted in the environment\'s stack)', () => {
    const policies = Template.fromStack(uat).findResources('AWS::IAM::Policy');
    const migration = Object.entries(policies).find(([id]) => id.startsWith('MigrationProjectRoleDefaultPolicy'))![1];
    expect(JSON.stringify(migration.Properties.PolicyDocument)).toMatch(/"Fn::ImportValue":"Shared-SharedArtifacts[0-9A-F]{8}-ArtifactBucket"/);
  });

  test('an edge-only service: the smoke test calls the health route directly, with the value in its query parameter', () => {
    // GIVEN a service that only the site's distribution may call
    const stack = new Stack(new App(), 'EdgeOnly', { env: ENV });
    const service = new ModularMonolithService(stack, 'Service', {
      network: new Network(stack, 'Network'),
      image: ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.0'),
      healthCheckPath: '/health',
      frontDoor: FrontDoor.httpApiCloudMap({ edgeOnly: EdgeOnlyAccess.stackSecret() }),
    });
    const artifacts = new ReleaseArtifacts(stack, 'Artifacts');
    // WHEN
    const release = new ReleaseEnvironment(stack, 'Release', { name: 'prod', artifacts, service, healthCheckPath: '/health' });
    // THEN
    const url = stack.resolve(release.healthCheckUrl) as { 'Fn::Join': [string, unknown[]] };
    expect(url['Fn::Join'][1].slice(-2)).toEqual(['/health?x-origin-verify=', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]);
    // and refuses a smoke path the value cannot open (any other route reads the header, which the smoke test does not send)
    expect(() => new ReleaseEnvironment(stack, 'Root', { name: 'prod', artifacts, service }))
      .toThrow("`healthCheckPath` must be the service's health path '/health' with an `edgeOnly` front door (the smoke test calls the API directly, and only the health route takes the value as a query parameter), got: '/'");
  });

  const cases: Array<[string, object, string]> = [
    ['a stage name with spaces', { name: 'my env' }, "`name` must be a stage name of 1 to 30 letters, digits, _ or -, starting with a letter, got: 'my env'"],
    ['a relative health path', { name: 'x', healthCheckPath: 'health' }, "`healthCheckPath` must be a path starting with '/' and without spaces, got: 'health'"],
    ['a site URL without https', { name: 'x', siteUrl: 'www.example.com' }, "`siteUrl` must be an https URL, e.g. 'https://www.example.com', got: 'www.example.com'"],
    ['a wildcard branch', { name: 'x', branch: 'feature/*' }, "`branch` must be an exact git branch name (no spaces, :, *, ?, ~, ^ or \\), got: 'feature/*'"],
  ];
  test.each(cases)('refuses %s by name', (_n, props, message) => {
    expect(() => new ReleaseEnvironment(uat, `Bad${Math.random().toString(36).slice(2)}`, { artifacts: r.artifacts, service: uat.service, ...props } as never)).toThrow(message);
  });
});
