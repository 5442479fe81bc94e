import { readFileSync } from 'fs';
import { isAbsolute, join } from 'path';
import { CliContext, CliError } from './context';
import { readAssembly } from './locate';
import { IdleCostEstimate } from '../cost/idle-cost-estimate';

export interface CostOptions {
  /** The cloud assembly directory. */
  readonly dir: string;
  /** Exit 1 above this many USD a month. */
  readonly max?: number;
  /** Only these stacks (artifact id, stack name or construct path). */
  readonly stacks: string[];
}

/**
 * `cost`: the idle cost of a synthesized cloud assembly per stack and construct, from the
 * templates alone (no AWS call). Resolves with the exit code: 1 above `--max`.
 */
export function costCommand(ctx: CliContext, options: CostOptions): number {
  const dir = isAbsolute(options.dir) ? options.dir : join(ctx.cwd, options.dir);
  const assembly = readAssembly(dir);
  if (!assembly) {
    throw new CliError(`No cloud assembly in ${options.dir} (no manifest.json): run \`cdk synth\` first, or pass the path of your cdk.out, e.g. \`cdk-lean-stack cost path/to/cdk.out\`.`);
  }
  const stacks = options.stacks.length === 0 ? assembly
    : assembly.filter((s) => options.stacks.some((name) => [s.id, s.stackName, s.displayName].includes(name)));
  if (stacks.length === 0) {
    throw new CliError(`No stack named ${options.stacks.join(', ')} in ${options.dir}; its stacks are: ${assembly.map((s) => s.displayName).join(', ')}.`);
  }

  const usd = (n: number) => n.toFixed(2).padStart(10);
  const width = 60;
  const estimates = stacks.map((s) => ({ stack: s, estimate: IdleCostEstimate.ofTemplateJson(readFileSync(s.templatePath, 'utf-8'), s.displayName) }));
  const prices = estimates[0].estimate.prices;
  ctx.out(`Idle cost of ${options.dir}, USD a month (fixed charges while no request arrives; ${prices.region} list prices of ${prices.takenOn})`);
  ctx.out('');
  let total = 0;
  let unpriced = 0;
  for (const { stack, estimate } of estimates) {
    total += estimate.totalMonthlyUsd;
    unpriced += estimate.unpricedItems.length;
    ctx.out(`${stack.displayName.padEnd(width)}${usd(estimate.totalMonthlyUsd)}`);
    for (const group of estimate.totalsByConstruct()) {
      if (group.monthlyUsd === 0 && group.unpricedCount === 0) continue;
      const note = group.unpricedCount > 0 ? `  + ${group.unpricedCount} unpriced` : '';
      ctx.out(`  ${group.constructPath.padEnd(width - 2)}${usd(group.monthlyUsd)}${note}`);
    }
    if (stack.region && stack.region !== prices.region) ctx.out(`  (deployed to ${stack.region}; priced at ${prices.region} list prices)`);
  }
  total = Math.round(total * 100) / 100;
  ctx.out('');
  ctx.out(`${'Total'.padEnd(width)}${usd(total)}`);
  if (unpriced > 0) ctx.out(`${unpriced} item(s) bill while idle but have no price in the list; they are not in the total.`);

  if (options.max === undefined) return 0;
  if (total <= options.max) {
    ctx.out(`Within the budget of ${options.max.toFixed(2)} USD a month.`);
    return 0;
  }
  // The items over the budget are the most expensive across every stack: merge the estimates' items.
  const over = estimates.flatMap((e) => e.estimate.fixedItems).filter((i) => i.monthlyUsd > 0).sort((a, b) => b.monthlyUsd - a.monthlyUsd);
  let excess = total - options.max;
  ctx.err(`Over the budget of ${options.max.toFixed(2)} USD a month by ${(total - options.max).toFixed(2)} USD. Items that pushed it over:`);
  for (const item of over) {
    if (excess <= 1e-9) break;
    ctx.err(`  ${item.constructPath}: ${item.description}, ${item.monthlyUsd.toFixed(2)} USD`);
    excess -= item.monthlyUsd;
  }
  ctx.err('Remove or resize them, or raise --max.');
  return 1;
}
