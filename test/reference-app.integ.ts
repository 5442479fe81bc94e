// The reference app as an integ snapshot: `npx projen integ:reference-app:assert` (part of the
// test task) fails when what users would deploy changes; review the diff, then update it
// deliberately with `npx projen integ:reference-app:snapshot`.
import { App } from 'aws-cdk-lib';
import { buildReferenceApp } from '../examples/reference-app/app';

// No stack traces and no creation stack traces: the snapshot must not hold absolute paths.
const app = new App({
  stackTraces: false,
  postCliContext: { 'aws:cdk:disable-creation-stack-traces': true },
});
buildReferenceApp(app);
app.synth();
