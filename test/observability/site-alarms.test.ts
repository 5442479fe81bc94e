import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { stacks, workload } from './fixtures';
import { Profile } from '../../src/core/profile';
import { ObservabilityStack } from '../../src/observability';
import { CostConsciousStaticSite } from '../../src/static-site';
import { expectCompliant } from '../helpers/compliance';

const ACCOUNT = '111111111111';

function companionOf(app: App, id: string): Stack {
  return app.node.findChild(id) as Stack;
}

describe('CloudFront alarms from a stack outside us-east-1', () => {
  const { app, workload: w, monitoring } = stacks();
  const f = workload(w, { database: 'secret-only' });
  new ObservabilityStack(monitoring, 'Obs').monitorSite(f.site);
  const companion = companionOf(app, 'MonitoringUsEast1Alarms');
  const home = Template.fromStack(monitoring);
  const east = Template.fromStack(companion);

  test('the alarm is created in a us-east-1 companion stack, on the site\'s distribution', () => {
    expect(companion.region).toBe('us-east-1');
    expect(companion.account).toBe(ACCOUNT);
    expect(companion.stackName).toBe('Monitoring-us-east-1-alarms');
    east.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Monitoring-us-east-1-alarms-Obs-SiteSite-Site5xx',
      Namespace: 'AWS/CloudFront',
      MetricName: '5xxErrorRate',
      Threshold: 5,
      EvaluationPeriods: 3,
      Dimensions: Match.arrayWith([{ Name: 'Region', Value: 'Global' }]),
    });
    // the distribution id crosses regions through CDK's cross-region references
    expect(JSON.stringify(east.findResources('AWS::CloudWatch::Alarm'))).toMatch(/CrossRegionExportReader|ImportValue|Fn::GetAtt/);
    expect(companion.dependencies).toContain(w);
    home.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/CloudFront' }, 0);
    Annotations.fromStack(monitoring).hasNoWarning('*', Match.stringLikeRegexp('CloudFront metrics live in us-east-1'));
  });

  test('its state changes are forwarded to the home region\'s default bus, then published to the alarm topic', () => {
    const [alarmName] = Object.values(east.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties.AlarmName as string);
    const prefix = alarmName.slice(0, alarmName.indexOf('SiteSite-'));
    east.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        'resources': [{ prefix: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:', { Ref: 'AWS::AccountId' }, `:alarm:${prefix}`]] } }],
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:', { Ref: 'AWS::AccountId' }, ':event-bus/default']] } })],
    });
    home.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'region': ['us-east-1'], 'detail-type': ['CloudWatch Alarm State Change'] }),
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('ObsTopic') }, InputTransformer: Match.anyValue() })],
    });
    home.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] })]) },
    });
  });

  test('the alarm name matches the forwarding prefix of both rules', () => {
    const [alarmName] = Object.values(east.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties.AlarmName as string);
    for (const template of [east, home]) {
      const rule = Object.values(template.findResources('AWS::Events::Rule'))[0];
      const joined = rule.Properties.EventPattern.resources[0].prefix['Fn::Join'][1] as unknown[];
      const namePart = (joined[joined.length - 1] as string).split(':alarm:')[1];
      expect(alarmName.startsWith(namePart)).toBe(true);
    }
  });

  test('every stack is compliant', () => {
    expectCompliant(monitoring);
    expectCompliant(companion);
  });
});

test('an imported topic gets a warning that EventBridge must be allowed to publish', () => {
  const { workload: w, monitoring } = stacks();
  const f = workload(w, { database: 'secret-only' });
  const topic = sns.Topic.fromTopicArn(monitoring, 'Pager', 'arn:aws:sns:eu-west-1:111111111111:pager');
  new ObservabilityStack(monitoring, 'Obs', { topic }).monitorSite(f.site);
  Annotations.fromStack(monitoring).hasWarning('/Monitoring/Obs', Match.stringLikeRegexp('allow events.amazonaws.com to sns:Publish'));
});

test('paging-only selections create no CloudFront alarm and no companion', () => {
  const { app, workload: w, monitoring } = stacks();
  const f = workload(w, { database: 'secret-only' });
  new ObservabilityStack(monitoring, 'Obs', { profile: Profile.DEVELOPMENT }).monitorSite(f.site);
  expect(app.node.tryFindChild('MonitoringUsEast1Alarms')).toBeUndefined();
});

test('a real site with its certificate companion and an alarm companion, in one stack outside us-east-1', () => {
  // GIVEN a site whose certificate lives in the `-us-east-1` companion, monitored from its own stack
  const app = new App();
  const web = new Stack(app, 'Web', { env: { account: ACCOUNT, region: 'eu-west-1' }, crossRegionReferences: true });
  const zone = route53.HostedZone.fromHostedZoneAttributes(web, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
  const site = new CostConsciousStaticSite(web, 'Site', { domainName: 'example.com', hostedZone: zone });
  // WHEN
  new ObservabilityStack(web, 'Obs').monitorSite(site);
  // THEN both companions exist; the certificate's is deployed before the site, the alarms' after
  const certificates = companionOf(app, 'WebUsEast1');
  const alarms = companionOf(app, 'WebUsEast1Alarms');
  expect(() => app.synth()).not.toThrow();
  expect(web.dependencies).toContain(certificates);
  expect(alarms.dependencies).toContain(web);
  Template.fromStack(alarms).resourceCountIs('AWS::CloudWatch::Alarm', 1);
  expectCompliant(alarms);
  expectCompliant(web);
});

test('a site without a custom domain, monitored from another stack: the export writer in the site\'s stack is compliant too', () => {
  const app = new App();
  const env = { account: ACCOUNT, region: 'eu-west-1' };
  const web = new Stack(app, 'Web', { env });
  const site = new CostConsciousStaticSite(web, 'Site');
  const monitoring = new Stack(app, 'Monitoring', { env });
  new ObservabilityStack(monitoring, 'Obs').monitorSite(site);
  app.synth();
  expect(companionOf(app, 'MonitoringUsEast1Alarms').dependencies).toContain(web);
  expectCompliant(web);
  expectCompliant(monitoring);
});
