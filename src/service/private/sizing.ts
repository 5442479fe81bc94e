import { IConstruct } from 'constructs';
import { checkOneOf, invalid, isUnresolved } from '../../private/validate';

/** Fargate's allowed memory (MiB) for each CPU value (units of 1/1024 vCPU). */
const FARGATE_MEMORY: { [cpu: number]: number[] } = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
}

/** The CPU values Fargate accepts. */
export const FARGATE_CPUS = Object.keys(FARGATE_MEMORY).map(Number);

/**
 * Rejects a CPU/memory pair Fargate would refuse at deploy time, naming the allowed values.
 * `prefix` names the props (e.g. `splitModules[0].`).
 */
export function checkFargateSize(scope: IConstruct, cpu: number, memoryLimitMiB: number, prefix = ''): void {
  checkOneOf(scope, `${prefix}cpu`, cpu, FARGATE_CPUS);
  if (isUnresolved(cpu) || isUnresolved(memoryLimitMiB)) return;
  const allowed = FARGATE_MEMORY[cpu];
  if (!allowed.includes(memoryLimitMiB)) {
    const described = allowed.length > 4
      ? `between ${allowed[0]} and ${allowed[allowed.length - 1]} in steps of ${allowed[1] - allowed[0]}`
      : `one of ${allowed.join(', ')}`;
    invalid(scope, `${prefix}memoryLimitMiB`, memoryLimitMiB, `${described} when \`${prefix}cpu\` is ${cpu} (Fargate's allowed pairs)`);
  }
}
