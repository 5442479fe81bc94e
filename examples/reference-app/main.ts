// Synthesizes the reference app into cdk.out/ at the repository root and prints, per stack, its
// resources and its compliance result. Needs no AWS account or credentials.
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildReferenceApp } from './app';
import { complianceReport } from '../../test/helpers/compliance';

const outdir = path.join(__dirname, '..', '..', 'cdk.out');
const app = new App({ outdir });
const stacks = buildReferenceApp(app);
const assembly = app.synth();

const lines: string[] = [`Synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), assembly.directory) || '.'}`];
let unacknowledged = 0;
for (const stack of stacks) {
  const template = assembly.getStackArtifact(stack.artifactId).template as { Resources?: Record<string, { Type: string }> };
  const resources = Object.values(template.Resources ?? {});
  const byType = new Map<string, number>();
  for (const r of resources) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
  const report = complianceReport(stack);
  const findings = report.nag.length + report.cloudFormation.length;
  unacknowledged += findings;
  lines.push('', `${stack.stackName} (${stack.region}): ${resources.length} resources`);
  for (const [type, count] of [...byType.entries()].sort()) lines.push(`  ${String(count).padStart(3)}  ${type}`);
  lines.push(`  compliance: ${findings === 0 ? 'clean' : `${findings} unacknowledged findings`} (cdk-nag AwsSolutions, HIPAA Security, NIST 800-53 R5; CloudFormation validation)`);
  for (const f of [...report.nag, ...report.cloudFormation]) lines.push(`    ${f.rule} at ${f.path}`);
}
console.log(lines.join('\n'));
if (unacknowledged > 0) process.exitCode = 1;
