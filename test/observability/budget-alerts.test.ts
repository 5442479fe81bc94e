import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BudgetAlerts, CostAnomalyAlerts } from '../../src/observability';

const env = { account: '111111111111', region: 'eu-west-1' };

describe('BudgetAlerts and CostAnomalyAlerts on their own', () => {
  test('a plain topic gets publish statements for budgets and cost alerts', () => {
    // GIVEN
    const stack = new Stack(new App(), 'S', { env });
    const topic = new sns.Topic(stack, 'Topic');
    // WHEN
    new BudgetAlerts(stack, 'Budget', { topic, monthlyLimitUsd: 25, actualThresholdPercent: 50, forecastThresholdPercent: 90, budgetName: 'app' });
    new CostAnomalyAlerts(stack, 'Anomaly', { topic, minimumImpactUsd: 5 });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ BudgetName: 'app', BudgetLimit: { Amount: 25, Unit: 'USD' } }),
      NotificationsWithSubscribers: [
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: 'ACTUAL', Threshold: 50 }) }),
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: 'FORECASTED', Threshold: 90 }) }),
      ],
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'budgets.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }),
          Match.objectLike({ Principal: { Service: 'costalerts.amazonaws.com' } }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::CE::AnomalySubscription', { ThresholdExpression: Match.stringLikeRegexp('"5"') });
  });

  test('an imported topic cannot be opened here: a warning says what to allow', () => {
    const stack = new Stack(new App(), 'S', { env });
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:111111111111:billing');
    new BudgetAlerts(stack, 'Budget', { topic, monthlyLimitUsd: 25 });
    new CostAnomalyAlerts(stack, 'Anomaly', { topic });
    const a = Annotations.fromStack(stack);
    a.hasWarning('/S/Budget', Match.stringLikeRegexp('allow budgets.amazonaws.com'));
    a.hasWarning('/S/Anomaly', Match.stringLikeRegexp('allow costalerts.amazonaws.com'));
  });

  test('rejects a budget of zero, a negative threshold and a zero anomaly impact', () => {
    const stack = new Stack(new App(), 'S', { env });
    const topic = new sns.Topic(stack, 'Topic');
    expect(() => new BudgetAlerts(stack, 'B1', { topic, monthlyLimitUsd: 0 })).toThrow('`monthlyLimitUsd` must be an amount in USD above 0, got: 0');
    expect(() => new BudgetAlerts(stack, 'B2', { topic, monthlyLimitUsd: 5, actualThresholdPercent: -1 })).toThrow('`actualThresholdPercent` must be a number between 1 and 1000, got: -1');
    expect(() => new BudgetAlerts(stack, 'B3', { topic, monthlyLimitUsd: 5, forecastThresholdPercent: 0 })).toThrow('`forecastThresholdPercent` must be a number between 1 and 1000, got: 0');
    expect(() => new BudgetAlerts(stack, 'B4', { topic, monthlyLimitUsd: 5, forecastThresholdPercent: 1500 })).toThrow('`forecastThresholdPercent` must be a number between 1 and 1000, got: 1500');
    expect(() => new CostAnomalyAlerts(stack, 'A1', { topic, minimumImpactUsd: 0 })).toThrow('`minimumImpactUsd` must be an amount in USD above 0, got: 0');
  });
});
