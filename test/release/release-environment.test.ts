import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { releaseApp } from './fixtures';
import { ReleaseEnvironment } from '../../src';

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
