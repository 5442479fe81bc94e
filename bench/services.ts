/**
 * Synth time of apps with growing numbers of `ModularMonolithService`s. The per-service figure must
 * stay flat as the count grows: nothing in the construct may do per-service work over the whole
 * app (such as an Aspect that walks the tree).
 *
 * Run: npx ts-node --project tsconfig.dev.json --transpile-only bench/services.ts [counts...]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ModularMonolithService, ServiceImage } from '../src';

/** One measurement. */
export interface ServiceSynthMeasurement {
  /** How many services the app holds. */
  readonly count: number;
  /** Construction plus synthesis, in milliseconds. */
  readonly totalMs: number;
  /** `totalMs / count`. */
  readonly msPerService: number;
}

const ENV = { account: '111111111111', region: 'eu-west-1' };

/** Builds and synthesizes an app of `count` services (one stack each, below CloudFormation's 500-resource limit). */
function synthApp(count: number): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-services-'));
  try {
    const start = performance.now();
    const app = new App({ outdir });
    for (let i = 0; i < count; i++) {
      const stack = new Stack(app, `Service${i}`, { env: ENV });
      // An imported VPC: the figure measures the service, not a VPC per stack.
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        publicSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
        isolatedSubnetIds: ['subnet-0a1b2c3d4e5f60003', 'subnet-0a1b2c3d4e5f60004'],
      });
      new ModularMonolithService(stack, 'Api', {
        vpc,
        image: ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.0'),
        modules: [{ name: 'orders', path: '/orders/*' }, { name: 'billing', path: '/billing/*' }],
        splitModules: [{ module: 'billing' }],
        tracing: true,
      });
    }
    app.synth();
    return performance.now() - start;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Times synthesis of apps with each number of services. */
export function measureServiceSynth(counts: number[]): ServiceSynthMeasurement[] {
  synthApp(1); // warm up module loading and the JIT, so the first row is not penalised
  return counts.map((count) => {
    const totalMs = synthApp(count);
    return { count, totalMs: Math.round(totalMs), msPerService: Math.round((totalMs / count) * 10) / 10 };
  });
}

if (require.main === module) {
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const rows = measureServiceSynth(counts.length > 0 ? counts : [1, 10, 50]);
  const line = (a: string, b: string, c: string) => `${a.padStart(8)}  ${b.padStart(10)}  ${c.padStart(14)}`;
  process.stdout.write(`${line('services', 'total ms', 'ms per service')}\n`);
  for (const r of rows) process.stdout.write(`${line(String(r.count), String(r.totalMs), String(r.msPerService))}\n`);
}
