import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { IdleCostEstimate } from '../../src';
import { complianceReport } from '../../test/helpers/compliance';

/** What the reference app's summary says, for printing and for tests. */
export interface Summary {
  readonly text: string;
  readonly unacknowledgedFindings: number;
  readonly resourcesByStack: Map<string, number>;
  readonly idleCostByStack: Map<string, number>;
}

/** Per stack: resources by type, the idle monthly cost table, and the compliance result. */
export function summarize(app: App, stacks: Stack[], assembly: CloudAssembly): Summary {
  const lines: string[] = [`Synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), assembly.directory) || '.'}`];
  const resourcesByStack = new Map<string, number>();
  const idleCostByStack = new Map<string, number>();
  let unacknowledgedFindings = 0;
  // One compliance run over the app: it synthesizes once and reports per stack.
  const reports = new Map(stacks.map((s) => [s, complianceReport(s)]));
  for (const stack of stacks) {
    const template = assembly.getStackArtifact(stack.artifactId).template as { Resources?: Record<string, { Type: string }> };
    const resources = Object.values(template.Resources ?? {});
    resourcesByStack.set(stack.stackName, resources.length);
    const estimate = IdleCostEstimate.ofStack(stack);
    idleCostByStack.set(stack.stackName, estimate.totalMonthlyUsd);
    const report = reports.get(stack)!;
    const findings = [...report.nag, ...report.cloudFormation];
    unacknowledgedFindings += findings.length;

    lines.push('', `== ${stack.stackName} (${stack.region}): ${resources.length} resources`);
    lines.push(`compliance: ${findings.length === 0 ? 'clean, 0 unacknowledged findings' : `${findings.length} unacknowledged findings`} (cdk-nag AwsSolutions, HIPAA Security, NIST 800-53 R5; CloudFormation validation)`);
    for (const f of findings) lines.push(`  ${f.rule} at ${f.path}`);
    lines.push(`idle monthly cost: ${usd(estimate.totalMonthlyUsd)} USD (${usd(estimate.totalAfterFreeTierMonthlyUsd)} after CloudWatch's free tier)`);
    lines.push(indent(estimate.toText()));
  }
  lines.push('', `Prices: ${IdleCostEstimate.ofApp(app).prices.region} list prices taken ${IdleCostEstimate.ofApp(app).prices.takenOn}; see README "Idle cost estimate" for what is and is not counted.`);
  return { text: lines.join('\n'), unacknowledgedFindings, resourcesByStack, idleCostByStack };
}

const usd = (n: number) => n.toFixed(2);
const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');
