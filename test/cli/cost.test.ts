import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { fakeTerminal } from './fakes';
import { buildReferenceApp, ReferenceApp } from '../../examples/reference-app/app';
import { IdleCostEstimate } from '../../src';
import { run } from '../../src/cli/main';

describe('cdk-lean-stack cost', () => {
  let outdir: string;
  let reference: ReferenceApp;
  let total: number;

  beforeAll(() => {
    // GIVEN the reference app synthesized into a cdk.out of its own, with the construct paths `cdk synth` writes
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-cost-'));
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
    reference = buildReferenceApp(app);
    app.synth();
    total = Math.round(reference.stacks.reduce((sum, s) => sum + IdleCostEstimate.ofStack(s).totalMonthlyUsd, 0) * 100) / 100;
  });

  test('prints the idle cost per stack and construct, and the total the library estimates', async () => {
    // WHEN
    const t = fakeTerminal();
    const code = await run(['cost', outdir], t.ctx);
    // THEN
    expect(code).toBe(0);
    const text = t.out.join('\n');
    for (const stack of reference.stacks) {
      const estimate = IdleCostEstimate.ofStack(stack);
      expect(text).toMatch(new RegExp(`^${stack.node.path}\\s+${estimate.totalMonthlyUsd.toFixed(2)}$`, 'm'));
    }
    expect(text).toMatch(/^ {2}LeanProd\/Database\s+\d+\.\d\d/m);
    expect(text).toMatch(new RegExp(`^Total\\s+${total.toFixed(2)}$`, 'm'));
    expect(text).toContain('us-east-1 list prices of 2026-11-21');
    expect(text).toContain('(deployed to eu-west-1; priced at us-east-1 list prices)');
  });

  test('exits 1 above --max and names the items that pushed it over', async () => {
    // WHEN: a budget the production stack cannot meet
    const t = fakeTerminal();
    const code = await run(['cost', outdir, '--max', '10'], t.ctx);
    // THEN
    expect(code).toBe(1);
    expect(t.err[0]).toBe(`Over the budget of 10.00 USD a month by ${(total - 10).toFixed(2)} USD. Items that pushed it over:`);
    expect(t.err.length).toBeGreaterThan(2);
    expect(t.err[1]).toMatch(/^ {2}Lean\S+: .+, \d+\.\d\d USD$/);
    expect(t.err[t.err.length - 1]).toBe('Remove or resize them, or raise --max.');
  });

  test('within --max it exits 0', async () => {
    const t = fakeTerminal();
    expect(await run(['cost', outdir, '--max', String(Math.ceil(total))], t.ctx)).toBe(0);
    expect(t.out[t.out.length - 1]).toBe(`Within the budget of ${Math.ceil(total).toFixed(2)} USD a month.`);
  });

  test('--stack prices one stack; the cdk.out of the working directory is the default', async () => {
    // GIVEN the working directory holds the assembly as cdk.out
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-cwd-'));
    fs.symlinkSync(outdir, path.join(cwd, 'cdk.out'));
    const t = fakeTerminal(cwd);
    // WHEN
    const code = await run(['cost', '--stack', 'LeanDev', '--max', '1000'], t.ctx);
    // THEN
    expect(code).toBe(0);
    const dev = IdleCostEstimate.ofStack(reference.stacks.find((s) => s.stackName === 'LeanDev')!).totalMonthlyUsd;
    expect(t.out.join('\n')).toMatch(new RegExp(`^Total\\s+${dev.toFixed(2)}$`, 'm'));
    expect(t.out.join('\n')).not.toContain('LeanProd');
  });

  test('errors name what is missing and how to fix it', async () => {
    const t = fakeTerminal();
    expect(await run(['cost', '/nonexistent/cdk.out'], t.ctx)).toBe(1);
    expect(t.err).toEqual(['Error: No cloud assembly in /nonexistent/cdk.out (no manifest.json): run `cdk synth` first, or pass the path of your cdk.out, e.g. `cdk-lean-stack cost path/to/cdk.out`.']);
    const u = fakeTerminal();
    expect(await run(['cost', outdir, '--stack', 'Nope'], u.ctx)).toBe(1);
    expect(u.err[0]).toMatch(/^Error: No stack named Nope in .*; its stacks are: LeanShared, LeanDev, LeanUat, /);
    const v = fakeTerminal();
    expect(await run(['cost', outdir, '--max', 'ten'], v.ctx)).toBe(1);
    expect(v.err).toEqual(["Error: --max must be a number of at least 0, got: 'ten'"]);
  });
});
