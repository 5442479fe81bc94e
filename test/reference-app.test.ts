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

  test('has the shared, dev, UAT, prod and release stacks, the us-east-1 companion and the DR stack', () => {
    expect(reference.stacks.map((s) => `${s.stackName}@${s.region}`)).toEqual([
      'LeanShared@eu-west-1', 'LeanDev@eu-west-1', 'LeanUat@eu-west-1', 'LeanUat-us-east-1-alarms@us-east-1', 'LeanProd@eu-west-1', 'LeanProd-us-east-1@us-east-1',
      'LeanProd-us-east-1-alarms@us-east-1', 'LeanRelease@eu-west-1', 'LeanProdDr@eu-central-1',
    ]);
  });

  test('every stack is compliant after a full synth (cross-region references included)', () => {
    expect(summary.text).not.toMatch(/compliance: [1-9][0-9]* unacknowledged/);
    expect(summary.unacknowledgedFindings).toBe(0);
  });

  test('the summary is a short table: per stack its region, resources, idle cost and compliance, then the total', () => {
    const lines = summary.text.split('\n');
    for (const stack of reference.stacks) {
      const row = new RegExp(`^${stack.stackName}\\s+${stack.region}\\s+${summary.resourcesByStack.get(stack.stackName)}\\s+${summary.idleCostByStack.get(stack.stackName)!.toFixed(2)}\\s+clean$`);
      expect(lines.filter((l) => row.test(l))).toHaveLength(1);
    }
    const total = [...summary.idleCostByStack.values()].reduce((a, b) => a + b, 0);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^Total\\s+\\d+\\s+${total.toFixed(2)}\\s+clean$`)));
    expect(lines.length).toBeLessThan(20);
    expect(summary.text).toContain('us-east-1 list prices of 2026-11-21');
    // the per-item tables are there on request
    expect(summary.details).toContain('Total fixed idle cost');
  });

  test('the cost-conscious defaults hold: no NAT gateway, no load balancer, no interface endpoint', () => {
    for (const stack of [reference.development, reference.uat, reference.production]) {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::EC2::NatGateway', 0);
      t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
      expect(Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((e) => (e as { Properties: { VpcEndpointType?: string } }).Properties.VpcEndpointType ?? 'Gateway'))
        .toEqual(['Gateway']);
    }
  });

  test('the DR region idles at the replica and its storage, its key and the site replica\'s key, the health check, three alarms and the standby door\'s namespace; no task runs', () => {
    const fixed = IdleCostEstimate.ofStack(reference.disasterRecovery.drStack).fixedItems.filter((i) => i.monthlyUsd > 0);
    expect(fixed.map((i) => i.resourceType).sort()).toEqual([
      'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Alarm', 'AWS::KMS::Key', 'AWS::KMS::Key', 'AWS::RDS::DBInstance', 'AWS::RDS::DBInstance', 'AWS::Route53::HealthCheck',
      'AWS::ServiceDiscovery::PrivateDnsNamespace',
    ]);
    const t = Template.fromStack(reference.disasterRecovery.drStack);
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  });

  test('no two stacks of one account create the same account-unique resource', () => {
    // IAM allows one OIDC provider per issuer per account; ECR one replication configuration per
    // registry; names (buckets, repositories, roles, pipelines, exports) are unique per account.
    const seen = new Map<string, string>();
    const keyed: Array<[string, (p: { [k: string]: unknown }) => unknown]> = [
      ['AWS::IAM::OIDCProvider', (p) => p.Url],
      ['AWS::ECR::ReplicationConfiguration', () => 'registry'],
      ['AWS::S3::Bucket', (p) => p.BucketName],
      ['AWS::ECR::Repository', (p) => p.RepositoryName],
      ['AWS::IAM::Role', (p) => p.RoleName],
      ['AWS::CodePipeline::Pipeline', (p) => p.Name],
      ['AWS::CodeBuild::Project', (p) => p.Name],
    ];
    for (const stack of reference.stacks) {
      const t = Template.fromStack(stack).toJSON();
      for (const [type, key] of keyed) {
        for (const r of Object.values(t.Resources as { [id: string]: { Type: string; Properties?: { [k: string]: unknown } } })) {
          if (r.Type !== type) continue;
          const value = key(r.Properties ?? {});
          if (value === undefined) continue;
          const id = `${stack.account}/${type === 'AWS::ECR::ReplicationConfiguration' ? stack.region : 'global'}/${type}/${JSON.stringify(value)}`;
          expect(`${id} in ${seen.get(id) ?? stack.stackName}`).toBe(`${id} in ${stack.stackName}`);
          seen.set(id, stack.stackName);
        }
      }
      for (const o of Object.values((t.Outputs ?? {}) as { [id: string]: { Export?: { Name: unknown } } })) {
        if (!o.Export) continue;
        const id = `${stack.account}/${stack.region}/export/${JSON.stringify(o.Export.Name)}`;
        expect(seen.has(id)).toBe(false);
        seen.set(id, stack.stackName);
      }
    }
    expect([...seen.keys()].filter((k) => k.includes('OIDCProvider'))).toHaveLength(1);
  });

  test('no task definition runs a mutable tag: every image is the release repository at a commit id', () => {
    for (const stack of [reference.development, reference.uat, reference.production]) {
      const taskDefinitions = Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition');
      // The migration runner's registered task definition is a template: each run registers a new
      // revision with the image it built for that run, tagged with the run's id.
      const runner = Object.entries(taskDefinitions).filter(([id]) => id.startsWith('MigrationsRunner'));
      expect(runner.map(([, r]) => JSON.stringify(r.Properties.ContainerDefinitions))).toEqual([expect.stringContaining(':replaced-by-each-run')]);
      const images = Object.entries(taskDefinitions).filter(([id]) => !id.startsWith('MigrationsRunner'))
        .flatMap(([, r]) => (r.Properties.ContainerDefinitions as Array<{ Name: string; Image: unknown }>).filter((c) => c.Name !== 'otel-collector'))
        .map((c) => JSON.stringify(c.Image));
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) {
        expect(image).not.toMatch(/latest/);
        expect(image).toMatch(/:3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39"/);
      }
    }
  });

  test('the release pipeline runs build -> dev -> uat -> approval -> prod, each migrate, deploy, publish, smoke', () => {
    const [pipeline] = Object.values(Template.fromStack(reference.releaseStack).findResources('AWS::CodePipeline::Pipeline'));
    type Action = { Name: string; RunOrder: number; InputArtifacts?: Array<{ Name: string }> };
    const stages = pipeline.Properties.Stages as Array<{ Name: string; Actions: Action[] }>;
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'dev', 'uat', 'Approve-prod', 'prod']);
    const built = stages[1].Actions.map((a) => a.Name);
    for (const stage of stages.filter((s) => ['dev', 'uat', 'prod'].includes(s.Name))) {
      const actions = [...stage.Actions].sort((a, b) => a.RunOrder - b.RunOrder);
      expect(actions.map((a) => a.Name)).toEqual(['Migrate', 'Deploy', 'Publish', 'Smoke']);
      expect(actions[1].InputArtifacts![0].Name).toMatch(/^Image(arm64|amd64)$/);
      expect(built).toContain(`Image-${actions[1].InputArtifacts![0].Name.slice(5)}`);
    }
  });

  test('production fails over: records alias the two API custom domains, the health check requests the primary API, the site\'s /api/* follows the record', () => {
    const dr = Template.fromStack(reference.disasterRecovery.drStack);
    for (const failover of ['PRIMARY', 'SECONDARY']) {
      dr.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.example.com.', Type: 'A', Failover: failover, AliasTarget: Match.objectLike({ EvaluateTargetHealth: true }),
      });
    }
    // the primary API is edge-only: the check carries the value in the health route's query parameter, over HTTPS
    dr.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ Type: 'HTTPS', ResourcePath: { 'Fn::Join': ['', ['/health?x-origin-verify=', Match.anyValue()]] } }),
    });
    dr.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.example.com' });
    dr.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /orders/{proxy+}' });
    dr.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
    dr.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const prod = Template.fromStack(reference.production);
    prod.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.example.com' });
    prod.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([Match.objectLike({ DomainName: 'api.example.com', OriginCustomHeaders: [{ HeaderName: 'x-origin-verify', HeaderValue: Match.anyValue() }] })]),
      }),
    });
    // only the site's distribution reaches either API: every route has an authorizer
    for (const template of [prod, dr]) {
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Array<{ Properties: { AuthorizationType?: string } }>;
      expect(routes.map((r) => r.Properties.AuthorizationType)).toEqual(routes.map(() => 'CUSTOM'));
    }
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
