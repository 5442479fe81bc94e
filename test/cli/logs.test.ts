import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeStacks, fakeTerminal, role, START, resetBeforeEach } from './fakes';
import { run } from '../../src/cli/main';

const logs = mockClient(CloudWatchLogsClient);

function serviceStack() {
  const service = { 'cdk-lean-stack:service': 'LeanProd/Service' };
  fakeStacks({
    LeanProd: [
      { logicalId: 'ServiceLogs', type: 'AWS::Logs::LogGroup', physicalId: 'LeanProd-ServiceLogs-1', tags: role('service-logs', service) },
      { logicalId: 'OtherLogs', type: 'AWS::Logs::LogGroup', physicalId: 'LeanProd-Other' },
      { logicalId: 'ServiceMain', type: 'AWS::ECS::Service', physicalId: 'arn:aws:ecs:eu-west-1:1:service/c/app', tags: role('service', { ...service, 'cdk-lean-stack:module': 'app', 'cdk-lean-stack:container': 'web' }) },
      { logicalId: 'ServiceOrders', type: 'AWS::ECS::Service', physicalId: 'arn:aws:ecs:eu-west-1:1:service/c/orders', tags: role('service', { ...service, 'cdk-lean-stack:module': 'orders', 'cdk-lean-stack:container': 'orders' }) },
    ],
  });
}

resetBeforeEach(logs);

describe('cdk-lean-stack logs', () => {
  test('prints the last 10 minutes of the service log group, every page', async () => {
    // GIVEN
    serviceStack();
    logs.on(FilterLogEventsCommand)
      .resolvesOnce({ events: [{ eventId: '1', timestamp: START - 60_000, logStreamName: 'web/web/t1', message: 'GET /health 200\n' }], nextToken: 'n' })
      .resolves({ events: [{ eventId: '2', timestamp: START - 30_000, logStreamName: 'orders/orders/t2', message: 'order 42 placed' }] });
    const t = fakeTerminal();
    // WHEN
    expect(await run(['logs', '--stack', 'LeanProd'], t.ctx)).toBe(0);
    // THEN
    expect(logs.commandCalls(FilterLogEventsCommand)[0].args[0].input).toEqual({ logGroupName: 'LeanProd-ServiceLogs-1', startTime: START - 600_000 });
    expect(t.out).toEqual([
      '2026-11-21 11:59:00Z web/web/t1 GET /health 200',
      '2026-11-21 11:59:30Z orders/orders/t2 order 42 placed',
    ]);
  });

  test('--module filters by the module service\'s log stream prefix', async () => {
    serviceStack();
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const t = fakeTerminal();
    expect(await run(['logs', '--stack', 'LeanProd', '--module', 'orders', '--since', '60'], t.ctx)).toBe(0);
    expect(logs.commandCalls(FilterLogEventsCommand)[0].args[0].input).toEqual({ logGroupName: 'LeanProd-ServiceLogs-1', logStreamNamePrefix: 'orders/', startTime: START - 3_600_000 });
    expect(t.err).toEqual(['No log events in LeanProd-ServiceLogs-1 with stream prefix orders/ in the last 60 min (--since MINUTES looks further back).']);
  });

  test('--follow polls for new events until Ctrl-C, printing each once', async () => {
    serviceStack();
    logs.on(FilterLogEventsCommand)
      .resolvesOnce({ events: [{ eventId: '1', timestamp: START - 1000, logStreamName: 's', message: 'one' }] })
      .resolves({ events: [{ eventId: '1', timestamp: START - 1000, logStreamName: 's', message: 'one' }, { eventId: '2', timestamp: START + 1000, logStreamName: 's', message: 'two' }] });
    const t = fakeTerminal();
    t.onSleep = (n) => { if (n === 3) t.controller.abort(); };
    expect(await run(['logs', '--stack', 'LeanProd', '--follow', '--module', 'app'], t.ctx)).toBe(0);
    expect(t.out).toEqual(['2026-11-21 11:59:59Z s one', '2026-11-21 12:00:01Z s two']);
    const calls = logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(3);
    expect(calls[0].logStreamNamePrefix).toBe('web/');
    expect(calls[2].startTime).toBe(START + 1000);
  });

  test('an unknown module: lists the modules that have their own streams', async () => {
    serviceStack();
    const t = fakeTerminal();
    expect(await run(['logs', '--stack', 'LeanProd', '--module', 'billing'], t.ctx)).toBe(1);
    expect(t.err).toEqual(["Error: No module 'billing' runs in its own service; modules with their own log streams: app, orders. A module that is not split runs in the main service: use --module app, or no --module."]);
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
  });
});
