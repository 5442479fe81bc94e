/**
 * One synthesis in a fresh process, as `cdk synth` does it: `ts-node bench/synth-app.ts reference`
 * (the reference app) or `... baseline` (the same system from aws-cdk-lib's defaults). The bench
 * times this whole process.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildBaseline } from './baseline';
import { buildReferenceApp } from '../examples/reference-app/app';

const which = process.argv[2];
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${which}-`));
try {
  const app = new App({ outdir });
  if (which === 'reference') buildReferenceApp(app);
  else if (which === 'baseline') buildBaseline(app);
  else throw new Error(`usage: synth-app.ts reference|baseline, got: ${which}`);
  app.synth();
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
