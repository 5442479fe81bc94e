/**
 * `npm run bench`: the synth time of the reference app, the per-service synth time at 1, 10 and 50
 * services, and the idle monthly cost of the reference app per environment (primary region, DR
 * region apart) next to the same system built from aws-cdk-lib's defaults, estimated by the same
 * code.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import { buildBaseline } from './baseline';
import { measureServiceSynth } from './services';
import { buildReferenceApp } from '../examples/reference-app/app';
import { IdleCostEstimate } from '../src';

/** The targets issue 9 sets, as a share of the aws-cdk-lib baseline's idle cost. */
export const TARGETS = { production: 0.3, development: 0.1 };

/** Idle monthly cost of the reference app's environments and of the baseline. */
export interface CostComparison {
  readonly baseline: number;
  readonly developmentPrimary: number;
  readonly productionPrimary: number;
  readonly productionDr: number;
}

const sum = (stacks: Stack[]) => Math.round(stacks.reduce((s, st) => s + IdleCostEstimate.ofStack(st).totalMonthlyUsd, 0) * 100) / 100;

/** Builds the reference app and the baseline and prices both (the same code prices both). */
export function compareCosts(): CostComparison {
  const app = new App();
  const reference = buildReferenceApp(app);
  const regionOf = (s: Stack) => s.region;
  const prodStacks = reference.stacks.filter((s) => s.stackName.startsWith('LeanProd'));
  const drRegion = reference.disasterRecovery.drStack.region;
  return {
    baseline: buildBaseline(new App()).estimate.totalMonthlyUsd,
    developmentPrimary: sum([reference.development]),
    // the primary region's stacks and the us-east-1 companion (certificate) of production
    productionPrimary: sum(prodStacks.filter((s) => regionOf(s) !== drRegion)),
    productionDr: sum(prodStacks.filter((s) => regionOf(s) === drRegion)),
  };
}

function timeReferenceSynth(): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reference-'));
  try {
    const start = performance.now();
    const app = new App({ outdir });
    buildReferenceApp(app);
    app.synth();
    return performance.now() - start;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * What a user waits for: a fresh process that loads aws-cdk-lib and the app, synthesizes and
 * validates, as `cdk synth` does (through ts-node, transpile-only). Median of `runs`, in ms.
 */
export function timeFreshSynth(which: 'reference' | 'baseline', runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', '--project', 'tsconfig.dev.json', path.join(__dirname, 'synth-app.ts'), which], { encoding: 'utf-8' });
    // The baseline's own validation findings are expected; only a failure is worth printing.
    if (r.status !== 0) throw new Error(`synth-app.ts ${which} exited ${r.status}:\n${r.stderr}`);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

function main(): void {
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  const lines: string[] = [];
  timeReferenceSynth(); // warm-up: module loading and JIT
  const runs = [timeReferenceSynth(), timeReferenceSynth(), timeReferenceSynth()].sort((a, b) => a - b);
  lines.push('Synth time of the reference app (4 stacks, median of 3 after a warm-up, in this process)', `  ${runs[1].toFixed(0)} ms`, '');
  // Paired runs, alternating, so a busy machine slows both sides alike.
  const fresh = { reference: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < 3; i++) {
    fresh.reference.push(timeFreshSynth('reference', 1));
    fresh.baseline.push(timeFreshSynth('baseline', 1));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
  const [ref, base] = [median(fresh.reference), median(fresh.baseline)];
  lines.push(
    'Synth time in a fresh process, as `cdk synth` runs an app (ts-node; median of 3, paired)',
    `  reference app (4 stacks)                       ${ref.toFixed(0)} ms`,
    `  aws-cdk-lib defaults, same system (1 stack)    ${base.toFixed(0)} ms`,
    `  ratio                                          ${(ref / base).toFixed(2)}x`,
    '',
  );

  lines.push('Synth time per service (one ModularMonolithService per stack)', '  services   total ms   ms/service');
  for (const m of measureServiceSynth([1, 10, 50])) {
    lines.push(`  ${String(m.count).padStart(8)}   ${m.totalMs.toFixed(0).padStart(8)}   ${m.msPerService.toFixed(0).padStart(10)}`);
  }
  lines.push('');

  const c = compareCosts();
  const devShare = c.developmentPrimary / c.baseline;
  const prodShare = c.productionPrimary / c.baseline;
  lines.push(
    'Idle monthly cost, USD (us-east-1 list prices of 2026-11-21; gross, before any free tier)',
    `  aws-cdk-lib defaults (ALB Fargate service + default VPC, RDS db.t4g.micro, CodeBuild in the VPC, S3 + CloudFront)   ${c.baseline.toFixed(2)}`,
    `  reference app, development (primary region)                 ${c.developmentPrimary.toFixed(2)}  = ${pct(devShare)} of the baseline (target <= ${pct(TARGETS.development)}: ${devShare <= TARGETS.development ? 'met' : 'MISSED'})`,
    `  reference app, cost-conscious production (primary region)   ${c.productionPrimary.toFixed(2)}  = ${pct(prodShare)} of the baseline (target <= ${pct(TARGETS.production)}: ${prodShare <= TARGETS.production ? 'met' : 'MISSED'})`,
    `  reference app, production DR region (pilot light)           ${c.productionDr.toFixed(2)}  (not part of the comparison: the baseline has no DR)`,
  );
  console.log(lines.join('\n'));
}

if (require.main === module) main();
