import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { manifests, ofKind } from './fixtures';
import { buildEksExample } from '../../examples/eks/app';
import { IdleCostEstimate } from '../../src';
import { expectCompliant } from '../helpers/compliance';

// GIVEN the EKS example app (with the real kubectl layer asset)
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-example-'));
const app = new App({ outdir });
const example = buildEksExample(app);
// WHEN it synthesizes, with no AWS account or credentials
const assembly = app.synth();
const template = Template.fromStack(example.stack);

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('EKS example app', () => {
  test('synthesizes the cluster, the database and the migration before the workload', () => {
    expect(assembly.getStackByName('LeanEks').template).toBeDefined();
    template.resourceCountIs('AWS::EKS::Cluster', 1);
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    const objects = manifests(template);
    expect(ofKind(objects, 'Job')[0].spec.template.spec.containers[0].command).toEqual(['flask', 'db', 'upgrade']);
    expect(ofKind(objects, 'Deployment')[0].spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/healthz');
  });

  test('idles at the control plane, two small nodes, the ALB, the NAT instance and the database', () => {
    const estimate = IdleCostEstimate.ofStack(example.stack);
    expect(estimate.items.some((i) => i.description.startsWith('EKS cluster control plane') && i.monthlyUsd === 73)).toBe(true);
    // 73 control plane + 2 x 27.80 nodes + 16.43 ALB + 7.30 its IPs + 6.72 NAT + 14.38 database + 1.40 key and secret
    expect(estimate.totalMonthlyUsd).toBeCloseTo(174.42, 1);
  });

  test('is compliant', () => {
    expectCompliant(example.stack);
  });
});
