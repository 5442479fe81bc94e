import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { fixture, Fixture } from './fakes';
import { DrDataReplication, FailoverRunbook, FailoverRunbookProps, StandbyService } from '../../src/dr';
import { expectCompliant } from '../helpers/compliance';

function parts(f: Fixture): Omit<FailoverRunbookProps, 'name'> {
  const data = new DrDataReplication(f.drStack, 'Data', { database: f.database });
  const standby = new StandbyService(f.drStack, 'Standby', {
    primary: f.service,
    vpc: data.network.vpc,
    database: { host: data.endpointAddress, port: data.port, databaseName: data.databaseName, secret: data.replicaSecret },
  });
  const topic = new sns.Topic(f.drStack, 'Topic', { masterKey: data.replicaKey, enforceSSL: true });
  const replicaLagAlarm = new cloudwatch.Alarm(f.drStack, 'Lag', { metric: data.metricReplicaLag(), threshold: 300, evaluationPeriods: 3 });
  return { primary: f.service, data, standby, notificationTopic: topic, replicaLagAlarm };
}

describe('FailoverRunbook used alone', () => {
  test('a state machine scaling the standby to the primary desired count, and an hourly readiness check', () => {
    // GIVEN
    const f = fixture();
    // WHEN
    const runbook = new FailoverRunbook(f.drStack, 'Runbook', parts(f));
    // THEN
    expect(runbook.failoverDesiredCount).toBe(2);
    const t = Template.fromStack(f.drStack);
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ NAME: 'Dr/Runbook', RPO_SECONDS: '300', PRIMARY_REGION: 'eu-west-1' }) } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReadinessFailures', Dimensions: [{ Name: 'PilotLightDr', Value: 'Dr/Runbook' }] });
  });

  test('takes its own desired count, objective, schedule and name', () => {
    const f = fixture();
    const runbook = new FailoverRunbook(f.drStack, 'Runbook', {
      ...parts(f), failoverDesiredCount: 4, recoveryPointObjective: Duration.minutes(2), readinessInterval: Duration.minutes(15), name: 'shop',
    });
    expect(runbook.failoverDesiredCount).toBe(4);
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ NAME: 'shop', RPO_SECONDS: '120' }) } });
    expectCompliant(runbook);
  });

  test('refuses a failover desired count of zero', () => {
    const f = fixture();
    expect(() => new FailoverRunbook(f.drStack, 'Runbook', { ...parts(f), failoverDesiredCount: 0 }))
      .toThrow('`failoverDesiredCount` must be an integer of at least 1, got: 0');
  });

  test('refuses a readiness interval under five minutes', () => {
    const f = fixture();
    expect(() => new FailoverRunbook(f.drStack, 'Runbook', { ...parts(f), readinessInterval: Duration.minutes(1) }))
      .toThrow("`readinessInterval` must be a whole number of minutes from 5 minutes to 1 day (1440 minutes), got: '60 seconds'");
  });
});

