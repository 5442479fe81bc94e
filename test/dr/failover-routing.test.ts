import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FailoverRouting, FailoverTarget } from '../../src/dr';
import { expectCompliant } from '../helpers/compliance';

function stack(): Stack {
  return new Stack(undefined, 'Dr', { env: { account: '111111111111', region: 'eu-central-1' } });
}

describe('FailoverRouting used alone', () => {
  test('a path with a query string (an edge-only API\'s value) cannot be sent over plain HTTP, not even through an escape hatch', () => {
    // GIVEN a check that carries a value in its path
    const s = stack();
    const routing = new FailoverRouting(s, 'Routing', { healthCheckDomainName: 'api.example.com', healthCheckPath: '/health?x-origin-verify=v' });
    const cfn = routing.healthCheck.node.defaultChild as route53.CfnHealthCheck;
    const config = cfn.healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty;
    expect(config).toMatchObject({ type: 'HTTPS', port: 443, resourcePath: '/health?x-origin-verify=v' });
    // WHEN a user turns it into plain HTTP
    cfn.healthCheckConfig = { ...config, type: 'HTTP', port: 80 };
    // THEN synth fails
    expect(() => Template.fromStack(s))
      .toThrow("`healthCheck` type must be HTTPS or HTTPS_STR_MATCH when its path carries a query string (it may hold the value that opens an edge-only API), got: 'HTTP'");
  });

  test('a health check only, by default', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const routing = new FailoverRouting(s, 'Routing', { healthCheckDomainName: 'api.example.com' });
    // THEN
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ Type: 'HTTPS', FullyQualifiedDomainName: 'api.example.com', ResourcePath: '/', RequestInterval: 30, FailureThreshold: 3 }),
    });
    t.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(routing.detectionTime.toSeconds()).toBe(90);
    expect(routing.primaryRecord).toBeUndefined();
    expectCompliant(s);
  });

  test('failover records in the zone, the primary health-checked', () => {
    const s = stack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
    const routing = new FailoverRouting(s, 'Routing', {
      healthCheckDomainName: 'primary.example.com',
      healthCheckPath: '/health',
      healthCheckInterval: Duration.seconds(10),
      healthCheckFailureThreshold: 2,
      records: { hostedZone: zone, recordName: 'api.example.com', secondaryTarget: FailoverTarget.fromDomainName('dr.example.com'), ttl: Duration.seconds(30) },
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', ResourceRecords: ['primary.example.com'], TTL: '30', HealthCheckId: Match.anyValue() });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'SECONDARY', ResourceRecords: ['dr.example.com'] });
    expect(routing.detectionTime.toSeconds()).toBe(20);
    expect(routing.recordTtl?.toSeconds()).toBe(30);
  });

  test('refuses a threshold Route 53 does not offer', () => {
    expect(() => new FailoverRouting(stack(), 'Routing', { healthCheckDomainName: 'a.example.com', healthCheckFailureThreshold: 11 }))
      .toThrow('`healthCheckFailureThreshold` must be an integer between 1 and 10, got: 11');
  });

  test('refuses a health check target that is a URL, not a host name', () => {
    expect(() => new FailoverRouting(stack(), 'Routing', { healthCheckDomainName: 'https://api.example.com/health' }))
      .toThrow("`healthCheckDomainName` must be a host name without scheme, port or path, such as 'api.example.com', got: 'https://api.example.com/health'");
  });

  test('refuses records without a secondary target', () => {
    const s = stack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
    expect(() => new FailoverRouting(s, 'Routing', { healthCheckDomainName: 'primary.example.com', records: { hostedZone: zone, recordName: 'api.example.com' } }))
      .toThrow('`records.secondaryTarget` is required for failover records (the DR front door), got: undefined');
  });
});
