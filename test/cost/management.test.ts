import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { itemsOf, monthlyOf, newStack } from './helpers';
import { IdleCostEstimate } from '../../src';

const metric = new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' });

describe('management and security pricing', () => {
  test('a KMS key: 1.00 a month', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key');
    expect(monthlyOf(stack, 'AWS::KMS::Key')).toBe(1);
  });

  test('a secret: 0.40 a month, and 0.40 per replica region', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new secretsmanager.Secret(stack, 'One');
    new secretsmanager.Secret(stack, 'Replicated', { replicaRegions: [{ region: 'us-west-2' }] });
    // THEN
    expect(itemsOf(stack, 'AWS::SecretsManager::Secret').map((i) => i.monthlyUsd)).toEqual([0.4, 0.8]);
  });

  test('alarms: standard 0.10, high resolution 0.30, composite 0.50; dashboards 3.00', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const a = metric.createAlarm(stack, 'Standard', { threshold: 1, evaluationPeriods: 1 });
    metric.with({ period: Duration.seconds(10) }).createAlarm(stack, 'HighRes', { threshold: 1, evaluationPeriods: 1 });
    new cloudwatch.CompositeAlarm(stack, 'Composite', { alarmRule: cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM) });
    new cloudwatch.Dashboard(stack, 'Dashboard');
    // THEN
    expect(itemsOf(stack, 'AWS::CloudWatch::Alarm').map((i) => i.monthlyUsd)).toEqual([0.1, 0.3]);
    expect(monthlyOf(stack, 'AWS::CloudWatch::CompositeAlarm')).toBe(0.5);
    expect(monthlyOf(stack, 'AWS::CloudWatch::Dashboard')).toBe(3);
  });

  test('a metric math alarm bills each metric it reads: 2 x 0.10', () => {
    // GIVEN
    const stack = newStack();
    const math = new cloudwatch.MathExpression({
      expression: 'a / b',
      usingMetrics: { a: metric, b: new cloudwatch.Metric({ namespace: 'App', metricName: 'Requests' }) },
    });
    // WHEN
    math.createAlarm(stack, 'Ratio', { threshold: 0.1, evaluationPeriods: 1 });
    // THEN
    expect(monthlyOf(stack, 'AWS::CloudWatch::Alarm')).toBeCloseTo(0.2, 6);
  });

  test('the free tier is reported beside the gross total: 12 alarms + 4 dashboards = 13.20 gross, 10.00 free', () => {
    // GIVEN
    const stack = newStack();
    for (let i = 0; i < 12; i++) metric.createAlarm(stack, `A${i}`, { threshold: i, evaluationPeriods: 1 });
    for (let i = 0; i < 4; i++) new cloudwatch.Dashboard(stack, `D${i}`);
    // WHEN
    const estimate = IdleCostEstimate.ofStack(stack);
    // THEN
    expect(estimate.totalMonthlyUsd).toBe(13.2);
    expect(estimate.freeTierMonthlyUsd).toBe(10);
    expect(estimate.totalAfterFreeTierMonthlyUsd).toBe(3.2);
    expect(estimate.items.filter((i) => i.freeTierEligible)).toHaveLength(16);
    expect(estimate.toText()).toContain('free tier');
  });

  test('a hosted zone: 0.50 a month', () => {
    const stack = newStack();
    new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    expect(monthlyOf(stack, 'AWS::Route53::HostedZone')).toBe(0.5);
  });

  test('health checks: AWS endpoint over HTTPS 0.50 + 1.00; other endpoint with string match and 10 s 0.75 + 2 x 1.00', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new route53.CfnHealthCheck(stack, 'Aws', {
      healthCheckConfig: {
        type: 'HTTPS', fullyQualifiedDomainName: 'abc.execute-api.us-east-1.amazonaws.com',
      },
    });
    new route53.CfnHealthCheck(stack, 'Other', {
      healthCheckConfig: {
        type: 'HTTP_STR_MATCH', fullyQualifiedDomainName: 'example.com', searchString: 'ok', requestInterval: 10,
      },
    });
    // THEN
    const items = itemsOf(stack, 'AWS::Route53::HealthCheck');
    expect(items.map((i) => i.monthlyUsd)).toEqual([1.5, 2.75]);
    expect(items[1].note).toContain('non-AWS');
  });

  test('a WAF web ACL with a managed rule group and a rate rule: 5.00 + 2 x 1.00', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new wafv2.CfnWebACL(stack, 'Acl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
      rules: [
        {
          name: 'common',
          priority: 0,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'common', sampledRequestsEnabled: true },
        },
        {
          name: 'rate',
          priority: 1,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: 'IP' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'rate', sampledRequestsEnabled: true },
        },
      ],
    });
    // THEN
    expect(monthlyOf(stack, 'AWS::WAFv2::WebACL')).toBe(7);
  });

  test('CodePipeline: V1 1.00 a month; V2 usage only', () => {
    // GIVEN
    const stack = newStack();
    const stages = [{ name: 'S', actions: [{ name: 'A', actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' } }] }];
    // WHEN
    new codepipeline.CfnPipeline(stack, 'V1', { roleArn: 'arn:aws:iam::111111111111:role/r', stages, artifactStore: { type: 'S3', location: 'b' } });
    new codepipeline.CfnPipeline(stack, 'V2', { roleArn: 'arn:aws:iam::111111111111:role/r', stages, artifactStore: { type: 'S3', location: 'b' }, pipelineType: 'V2' });
    // THEN
    const items = itemsOf(stack, 'AWS::CodePipeline::Pipeline');
    expect(items.map((i) => [i.monthlyUsd, i.usagePriced])).toEqual([[1, false], [0, true]]);
  });
});
