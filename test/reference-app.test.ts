import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { compareCosts, TARGETS } from '../bench/main';
import { buildReferenceApp, ReferenceApp } from '../examples/reference-app/app';
import { summarize, Summary } from '../examples/reference-app/summary';
import { currentDiagramBlock, README, readmeDiagramBlock } from '../examples/reference-app/write-diagram';
import { IdleCostEstimate } from '../src';

describe('the reference app', () => {
  let reference: ReferenceApp;
  let summary: Summary;

  beforeAll(() => {
    // GIVEN the seeds' system in two environments and a DR region, WHEN it is synthesized
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'reference-')) });
    reference = buildReferenceApp(app);
    summary = summarize(app, reference.stacks, app.synth());
  });

  test('has the primary stacks, the us-east-1 companion and the DR stack', () => {
    expect(reference.stacks.map((s) => `${s.stackName}@${s.region}`)).toEqual([
      'LeanDev@eu-west-1', 'LeanProd@eu-west-1', 'LeanProd-us-east-1@us-east-1', 'LeanProdDr@eu-central-1',
    ]);
  });

  test('every stack is compliant after a full synth (cross-region references included)', () => {
    expect(summary.text).not.toMatch(/compliance: [1-9][0-9]* unacknowledged/);
    expect(summary.unacknowledgedFindings).toBe(0);
  });

  test('the summary prints resources, idle cost and compliance per stack', () => {
    for (const stack of reference.stacks) {
      expect(summary.text).toContain(`== ${stack.stackName} (${stack.region}): ${summary.resourcesByStack.get(stack.stackName)} resources`);
    }
    expect(summary.text).toContain('idle monthly cost:');
    expect(summary.text).toContain('Prices: us-east-1 list prices taken 2026-11-21');
  });

  test('the cost-conscious defaults hold: no NAT gateway, no load balancer, no interface endpoint', () => {
    for (const stack of [reference.development, reference.production]) {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::EC2::NatGateway', 0);
      t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
      expect(Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((e) => (e as { Properties: { VpcEndpointType?: string } }).Properties.VpcEndpointType ?? 'Gateway'))
        .toEqual(['Gateway']);
    }
  });

  test('the DR region idles at the replica and its storage, its key, the health check, three alarms and the standby door\'s namespace; no task runs', () => {
    const fixed = IdleCostEstimate.ofStack(reference.disasterRecovery.drStack).fixedItems.filter((i) => i.monthlyUsd > 0);
    expect(fixed.map((i) => i.resourceType).sort()).toEqual([
      'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Alarm', 'AWS::KMS::Key', 'AWS::RDS::DBInstance', 'AWS::RDS::DBInstance', 'AWS::Route53::HealthCheck',
      'AWS::ServiceDiscovery::PrivateDnsNamespace',
    ]);
    const t = Template.fromStack(reference.disasterRecovery.drStack);
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  });

  test('production fails over: records alias the two API custom domains, the health check requests the primary API, the site\'s /api/* follows the record', () => {
    const dr = Template.fromStack(reference.disasterRecovery.drStack);
    for (const failover of ['PRIMARY', 'SECONDARY']) {
      dr.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.example.com.', Type: 'A', Failover: failover, AliasTarget: Match.objectLike({ EvaluateTargetHealth: true }),
      });
    }
    dr.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ Type: 'HTTPS', ResourcePath: '/' }) });
    dr.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.example.com' });
    dr.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /orders/{proxy+}' });
    dr.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
    dr.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const prod = Template.fromStack(reference.production);
    prod.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.example.com' });
    prod.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Origins: Match.arrayWith([Match.objectLike({ DomainName: 'api.example.com' })]) }),
    });
  });

  test("the README's diagram is the one the app draws now", () => {
    expect(readmeDiagramBlock(fs.readFileSync(README, 'utf-8'))).toBe(currentDiagramBlock());
  });
});

describe('idle cost against aws-cdk-lib defaults (issue 9 targets)', () => {
  const costs = compareCosts();

  test('the baseline is priced by the same code', () => {
    expect(costs.baseline).toBeCloseTo(129.32, 2);
  });

  test(`development idles at no more than ${TARGETS.development * 100}% of the baseline`, () => {
    expect(costs.developmentPrimary / costs.baseline).toBeLessThanOrEqual(TARGETS.development);
  });

  test(`cost-conscious production idles at no more than ${TARGETS.production * 100}% of the baseline`, () => {
    expect(costs.productionPrimary / costs.baseline).toBeLessThanOrEqual(TARGETS.production);
  });

  test('the DR region costs less than the primary', () => {
    expect(costs.productionDr).toBeGreaterThan(0);
    expect(costs.productionDr).toBeLessThan(costs.productionPrimary);
  });
});
