// Synthesizes the organization example into cdk.out/organization at the repository root and
// prints its idle monthly cost. Needs no AWS account or credentials.
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildOrganizationApp } from './app';
import { IdleCostEstimate } from '../../src';

const outdir = path.join(__dirname, '..', '..', 'cdk.out', 'organization');
const app = new App({ outdir });
const { stack } = buildOrganizationApp(app);
app.synth();
console.log(IdleCostEstimate.ofStack(stack).toText());
