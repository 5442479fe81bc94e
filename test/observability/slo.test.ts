import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { BurnRateCalculator, SloBurnRateAlarms } from '../../src/observability';

describe('BurnRateCalculator', () => {
  test('the error budget is 100% minus the objective, without floating-point noise', () => {
    expect(BurnRateCalculator.errorBudgetPercent(99.9)).toBe(0.1);
    expect(BurnRateCalculator.errorBudgetPercent(99.95)).toBe(0.05);
    expect(BurnRateCalculator.errorBudgetPercent(95)).toBe(5);
  });

  test('the threshold is burn rate x error budget: 14.4 x 0.1% = 1.44%, 6 x 0.1% = 0.6%', () => {
    expect(BurnRateCalculator.thresholdPercent(99.9, 14.4)).toBe(1.44);
    expect(BurnRateCalculator.thresholdPercent(99.9, 6)).toBe(0.6);
    // latency: 95% of requests fast leaves 5% slow; 14.4x = 72%, 6x = 30%
    expect(BurnRateCalculator.thresholdPercent(95, 14.4)).toBe(72);
    expect(BurnRateCalculator.thresholdPercent(95, 6)).toBe(30);
  });

  test('a threshold above 100% is capped and reported as capped', () => {
    expect(BurnRateCalculator.thresholdPercent(90, 14.4)).toBe(100);
    expect(BurnRateCalculator.isCapped(90, 14.4)).toBe(true);
    expect(BurnRateCalculator.isCapped(99.9, 14.4)).toBe(false);
  });

  test('budget spent per window: 14.4x for 1 h = 2%, 6x for 6 h = 5% of a 30-day budget', () => {
    expect(BurnRateCalculator.budgetSpentPercent(14.4, Duration.hours(1))).toBe(2);
    expect(BurnRateCalculator.budgetSpentPercent(6, Duration.hours(6))).toBe(5);
  });

  test('time to exhaustion: 30 days / 14.4 = 50 hours', () => {
    expect(BurnRateCalculator.timeToExhaustion(14.4).toHours()).toBe(50);
    expect(BurnRateCalculator.timeToExhaustion(6).toDays()).toBe(5);
  });

  test('the classic windows are 14.4x over 1 h / 5 min and 6x over 6 h / 30 min', () => {
    const fast = BurnRateCalculator.fastBurn();
    const slow = BurnRateCalculator.slowBurn();
    expect([fast.burnRate, fast.longWindow.toMinutes(), fast.shortWindow.toMinutes()]).toEqual([14.4, 60, 5]);
    expect([slow.burnRate, slow.longWindow.toMinutes(), slow.shortWindow.toMinutes()]).toEqual([6, 360, 30]);
  });

  test('rejects objectives outside (0, 100) and burn rates below 1', () => {
    expect(() => BurnRateCalculator.errorBudgetPercent(100)).toThrow('objectivePercent must be above 0 and below 100, got: 100');
    expect(() => BurnRateCalculator.errorBudgetPercent(0)).toThrow('got: 0');
    expect(() => BurnRateCalculator.thresholdPercent(99.9, 0.5)).toThrow('burnRate must be at least 1, got: 0.5');
  });
});

describe('SloBurnRateAlarms', () => {
  const errorRate = () => new cloudwatch.MathExpression({
    expression: 'IF(FILL(r, 0) > 0, 100 * FILL(e, 0) / r, 0)',
    usingMetrics: {
      e: new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName: '5xx', statistic: 'Sum' }),
      r: new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName: 'Count', statistic: 'Sum' }),
    },
  });

  test('two window alarms per burn rate, combined by an AND composite that carries the actions', () => {
    // GIVEN
    const stack = new Stack(new App(), 'S');
    const action = { bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111111111111:pager' }) };
    // WHEN
    const slo = new SloBurnRateAlarms(stack, 'Slo', {
      badEventPercent: errorRate(),
      objectivePercent: 99.9,
      sloName: 'api availability',
      checkFirst: 'the logs',
      actions: [action],
      runbookUrl: 'https://runbooks.example.com/api',
    });
    // THEN
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
    expect(slo.thresholds).toEqual([1.44, 0.6]);
    type MathAlarm = { Properties: { Metrics: Array<{ MetricStat?: { Period: number } }> } };
    const periods = (threshold: number) => (Object.values(t.findResources('AWS::CloudWatch::Alarm', { Properties: { Threshold: threshold } })) as MathAlarm[])
      .map((r) => r.Properties.Metrics.find((m) => m.MetricStat)!.MetricStat!.Period).sort((a, b) => a - b);
    expect(periods(1.44)).toEqual([300, 3600]);
    expect(periods(0.6)).toEqual([1800, 21600]);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 1.44, AlarmActions: Match.absent(), TreatMissingData: 'notBreaching' });
    t.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:pager'],
      AlarmRule: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AND ALARM')])] },
      AlarmDescription: Match.stringLikeRegexp('14.4x.*1.44%.*Check first: the logs.*Runbook: https://runbooks.example.com/api'),
    });
  });

  test('windowActions go on every window alarm and never on a composite; the paging actions never on a window', () => {
    // GIVEN a pager and a chat channel nobody is paged by
    const stack = new Stack(new App(), 'S');
    const pager = { bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111111111111:pager' }) };
    const chat = { bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111111111111:chat' }) };
    // WHEN
    new SloBurnRateAlarms(stack, 'Slo', {
      badEventPercent: errorRate(),
      objectivePercent: 99.9,
      sloName: 'api availability',
      checkFirst: 'the logs',
      actions: [pager],
      windowActions: [chat],
    });
    // THEN
    const t = Template.fromStack(stack);
    const actionsOf = (type: string) => Object.values(t.findResources(type)).map((r) => r.Properties.AlarmActions as string[]);
    expect(actionsOf('AWS::CloudWatch::Alarm')).toEqual([['arn:aws:sns:eu-west-1:111111111111:chat'], ['arn:aws:sns:eu-west-1:111111111111:chat'],
      ['arn:aws:sns:eu-west-1:111111111111:chat'], ['arn:aws:sns:eu-west-1:111111111111:chat']]);
    expect(actionsOf('AWS::CloudWatch::CompositeAlarm')).toEqual([['arn:aws:sns:eu-west-1:111111111111:pager'], ['arn:aws:sns:eu-west-1:111111111111:pager']]);
    t.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmDescription: Match.stringLikeRegexp('this alarm alone never pages') });
  });

  test('custom windows', () => {
    const stack = new Stack(new App(), 'S');
    const slo = new SloBurnRateAlarms(stack, 'Slo', {
      badEventPercent: errorRate(),
      objectivePercent: 99,
      sloName: 'x',
      checkFirst: 'y',
      windows: [{ burnRate: 3, longWindow: Duration.days(1), shortWindow: Duration.hours(2) }],
    });
    expect(slo.thresholds).toEqual([3]);
    expect(slo.compositeAlarms).toHaveLength(1);
  });

  test('rejects a short window not shorter than the long one', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new SloBurnRateAlarms(stack, 'Slo', {
      badEventPercent: errorRate(),
      objectivePercent: 99.9,
      sloName: 'x',
      checkFirst: 'y',
      windows: [{ burnRate: 2, longWindow: Duration.hours(1), shortWindow: Duration.hours(1) }],
    })).toThrow('`windows[0].shortWindow` must be shorter than the long window (1 hour), got: \'1 hour\'');
  });

  test('rejects no window pair, and a burn rate below 1', () => {
    const stack = new Stack(new App(), 'S');
    const props = { badEventPercent: errorRate(), objectivePercent: 99.9, sloName: 'x', checkFirst: 'y' };
    expect(() => new SloBurnRateAlarms(stack, 'Slo1', { ...props, windows: [] })).toThrow('`windows` must be at least one window pair, got: []');
    expect(() => new SloBurnRateAlarms(stack, 'Slo2', { ...props, windows: [{ burnRate: 0.5, longWindow: Duration.hours(1), shortWindow: Duration.minutes(5) }] }))
      .toThrow('`windows[0].burnRate` must be a number of at least 1, got: 0.5');
  });

  test('rejects a runbook link that is not a URL', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new SloBurnRateAlarms(stack, 'Slo', { badEventPercent: errorRate(), objectivePercent: 99.9, sloName: 'x', checkFirst: 'y', runbookUrl: 'wiki/slo' }))
      .toThrow("`runbookUrl` must be an http(s) URL, got: 'wiki/slo'");
  });

  test('rejects an objective of 100', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new SloBurnRateAlarms(stack, 'Slo', { badEventPercent: errorRate(), objectivePercent: 100, sloName: 'x', checkFirst: 'y' }))
      .toThrow('`objectivePercent` must be a number above 0 and below 100 (e.g. 99.9), got: 100');
  });
});
