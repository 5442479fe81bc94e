import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { buildReferenceApp } from '../examples/reference-app/app';
import { IdleCostEstimate } from '../src';
import { complianceReports, formatFindings } from './helpers/compliance';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'quick-start');
const README = path.join(__dirname, '..', 'README.md');

/** What a synthesis printed or annotated that a user would read as noise or a problem. */
interface Noise {
  readonly console: string[];
  readonly annotations: string[];
}

/**
 * Runs `build` the way `cdk synth` runs an app (the CLI's context in CDK_CONTEXT_JSON, no AWS
 * credentials in the environment) and records every console line and every info or warning
 * annotation of the synthesis.
 */
function synthQuietly<T>(context: Record<string, unknown>, build: () => T): { result: T; noise: Noise; app: App } {
  const saved = { ...process.env };
  const printed: string[] = [];
  const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => { printed.push(`${level}: ${args.join(' ')}`); }));
  const emitted = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => { printed.push(`emitWarning: ${String(w)}`); });
  const synths = jest.spyOn(App.prototype, 'synth');
  try {
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
    process.env.CDK_OUTDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'quiet-'));
    const result = build();
    const app = synths.mock.contexts[0] as App;
    const assembly = app.synth();
    const annotations = assembly.stacks.flatMap((s) => Object.entries(s.manifest.metadata ?? {})
      .flatMap(([where, entries]) => entries
        .filter((e) => e.type === 'aws:cdk:warning' || e.type === 'aws:cdk:info')
        .map((e) => `${e.type} at ${where}: ${String(e.data)}`)));
    return { result, noise: { console: printed, annotations }, app };
  } finally {
    process.env = saved;
    for (const s of [...spies, emitted, synths]) s.mockRestore();
  }
}

describe('the quick start (examples/quick-start and README)', () => {
  const context = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'cdk.json'), 'utf-8')).context as Record<string, unknown>;
  let run: ReturnType<typeof synthQuietly<void>>;
  let stacks: Stack[];

  beforeAll(() => {
    // GIVEN the quick start as README shows it, WHEN it runs as `cdk synth` runs it, with no credentials
    run = synthQuietly(context, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../examples/quick-start/main');
    });
    stacks = run.app.node.children.filter((c): c is Stack => Stack.isStack(c));
  });

  test('README shows exactly the example the tests synthesize', () => {
    const readme = fs.readFileSync(README, 'utf-8');
    const block = readme.match(/## Quick start[\s\S]*?```ts fixture=app\n([\s\S]*?)```/);
    expect(block).not.toBeNull();
    const example = fs.readFileSync(path.join(EXAMPLE, 'main.ts'), 'utf-8').replace("'../../src'", "'cdk-lean-stack'");
    expect(block![1]).toBe(example);
    expect(example.trimEnd().split('\n').length).toBeLessThanOrEqual(40);
  });

  test('the example sets the feature flags a new CDK app gets', () => {
    expect(context).toEqual(CURRENTLY_RECOMMENDED_FLAGS);
  });

  test('synthesizes a development and a production stack without AWS credentials or lookups', () => {
    // production's site alarms live in us-east-1, where CloudFront's metrics are
    expect(stacks.map((s) => s.stackName)).toEqual(['Shop-dev', 'Shop-prod', 'Shop-prod-us-east-1-alarms']);
    const assembly = run.app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  test('says nothing: no console output, no warning or info annotation', () => {
    expect(run.noise.console).toEqual([]);
    expect(run.noise.annotations).toEqual([]);
  });

  test('every stack is compliant (cdk-nag packs and CloudFormation validation)', () => {
    const reports = complianceReports(stacks);
    for (const [stack, report] of reports) {
      expect(`${stack.stackName}:\n${formatFindings([...report.nag, ...report.cloudFormation])}`).toBe(`${stack.stackName}:\n`);
    }
  });

  test('no NAT gateway, load balancer or interface endpoint, and the migrations run all the same', () => {
    for (const stack of stacks.slice(0, 2)) {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::EC2::NatGateway', 0);
      t.resourceCountIs('AWS::EC2::Instance', 0);
      t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
      expect(Object.keys(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))).toEqual([]);
      t.resourceCountIs('AWS::CodePipeline::Pipeline', 1);
    }
  });

  test("idles within 10% of the reference app's development and production", () => {
    const reference = buildReferenceApp(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'reference-')) }));
    const pairs: Array<[string, Stack, Stack]> = [
      ['development', stacks[0], reference.development],
      ['production', stacks[1], reference.production],
    ];
    for (const [name, quick, ref] of pairs) {
      const q = IdleCostEstimate.ofStack(quick).totalMonthlyUsd;
      const r = IdleCostEstimate.ofStack(ref).totalMonthlyUsd;
      expect({ name, ratio: Math.round((q / r) * 100) / 100 }).toEqual({ name, ratio: expect.any(Number) });
      expect(Math.abs(q - r) / r).toBeLessThanOrEqual(0.1);
    }
  });
});
