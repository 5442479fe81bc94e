import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { IdleCostEstimate } from '../../src';
import { complianceReports, Finding } from '../../test/helpers/compliance';

/** What the reference app's summary says, for printing and for tests. */
export interface Summary {
  /** A table: per stack, its region, resources, idle monthly cost and compliance, and the app's total. */
  readonly text: string;
  /** The same, followed by each stack's idle cost items and findings. */
  readonly details: string;
  readonly unacknowledgedFindings: number;
  readonly resourcesByStack: Map<string, number>;
  readonly idleCostByStack: Map<string, number>;
}

/** Per stack: resources, the idle monthly cost and the compliance result, with the app's total. */
export function summarize(app: App, stacks: Stack[], assembly: CloudAssembly): Summary {
  const resourcesByStack = new Map<string, number>();
  const idleCostByStack = new Map<string, number>();
  const findingsByStack = new Map<string, Finding[]>();
  const details: string[] = [];
  // One synthesis of the app for every stack's CloudFormation validation findings.
  const reports = complianceReports(stacks);
  for (const stack of stacks) {
    const template = assembly.getStackArtifact(stack.artifactId).template as { Resources?: Record<string, unknown> };
    resourcesByStack.set(stack.stackName, Object.keys(template.Resources ?? {}).length);
    const estimate = IdleCostEstimate.ofStack(stack);
    idleCostByStack.set(stack.stackName, estimate.totalMonthlyUsd);
    const report = reports.get(stack)!;
    const findings = [...report.nag, ...report.cloudFormation];
    findingsByStack.set(stack.stackName, findings);
    details.push('', `== ${stack.stackName} (${stack.region})`, indent(estimate.toText()));
    for (const f of findings) details.push(`  ${f.rule} at ${f.path}`);
  }

  const rows = stacks.map((s) => [
    s.stackName, s.region, String(resourcesByStack.get(s.stackName)), usd(idleCostByStack.get(s.stackName)!),
    compliance(findingsByStack.get(s.stackName)!.length),
  ]);
  const unacknowledgedFindings = [...findingsByStack.values()].reduce((n, f) => n + f.length, 0);
  const total = ['Total', '', String(sum(resourcesByStack)), usd(sum(idleCostByStack)), compliance(unacknowledgedFindings)];
  const prices = IdleCostEstimate.ofApp(app).prices;
  const text = [
    `Synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), assembly.directory) || '.'}`,
    '',
    ...table(['Stack', 'Region', 'Resources', 'Idle USD/month', 'Compliance'], rows, total),
    '',
    `Idle cost: fixed monthly charges with no traffic, at ${prices.region} list prices of ${prices.takenOn}, before free tiers.`,
    'Compliance: findings nobody acknowledged, from cdk-nag (AwsSolutions, HIPAA Security, NIST 800-53 R5) and CloudFormation validation.',
    'Each stack\'s cost items: npx projen example -- --details',
  ].join('\n');
  return { text, details: [text, ...details].join('\n'), unacknowledgedFindings, resourcesByStack, idleCostByStack };
}

function table(header: string[], rows: string[][], total: string[]): string[] {
  const all = [header, ...rows, total];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  // Text columns align left, figures right.
  const line = (r: string[]) => r.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line), rule, line(total)];
}

const compliance = (findings: number) => (findings === 0 ? 'clean' : `${findings} unacknowledged`);
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const usd = (n: number) => n.toFixed(2);
const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');
