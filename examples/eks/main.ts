// Synthesizes the EKS example into cdk.out/eks and prints its idle monthly cost. Needs no AWS account.
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildEksExample } from './app';
import { IdleCostEstimate } from '../../src';

const app = new App({ outdir: path.join(__dirname, '..', '..', 'cdk.out', 'eks') });
const example = buildEksExample(app);
app.synth();
const estimate = IdleCostEstimate.ofStack(example.stack);
for (const item of estimate.fixedItems.filter((i) => i.monthlyUsd > 0)) {
  console.log(`${item.monthlyUsd.toFixed(2).padStart(8)}  ${item.description}`);
}
console.log(`${estimate.totalMonthlyUsd.toFixed(2).padStart(8)}  idle total (USD a month, ${estimate.prices.describe()})`);
