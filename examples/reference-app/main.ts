// Synthesizes the reference app into cdk.out/ at the repository root and prints, per stack, its
// resources, its idle monthly cost and its compliance result (`--details`: each stack's cost items).
// Needs no AWS account or credentials.
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildReferenceApp } from './app';
import { summarize } from './summary';

const outdir = path.join(__dirname, '..', '..', 'cdk.out');
const app = new App({ outdir });
const reference = buildReferenceApp(app);
const assembly = app.synth();
const summary = summarize(app, reference.stacks, assembly);
console.log(process.argv.includes('--details') ? summary.details : summary.text);
if (summary.unacknowledgedFindings > 0) process.exitCode = 1;
