import {
  arr, CostLine, num, obj, plural, Pricer, PricingContext, ResourceRecord, str, unpriced, usd,
} from './context';
import { publicIpv4 } from './network';

interface StrategyItem {
  readonly provider: string;
  readonly base: number;
  readonly weight: number;
}

/**
 * `AWS::ECS::Service` on Fargate: the tasks it idles at x the task size x the architecture's
 * price, Spot share from the capacity provider strategy, a public IPv4 per task when tasks get
 * one, and a Cloud Map instance per task per service registry.
 */
export const ecsService: Pricer = (r, ctx) => {
  const p = r.properties;
  const { count, why } = idleTaskCount(r, ctx);
  const strategy = capacityStrategy(r, ctx);
  const launchType = str(p.LaunchType);
  const taskDef = ctx.target(r, p.TaskDefinition, 'AWS::ECS::TaskDefinition');
  const compat = arr(taskDef?.properties.RequiresCompatibilities)?.map(String) ?? [];
  const fargate = launchType === 'FARGATE'
    || (strategy ?? []).some((s) => s.provider.startsWith('FARGATE'))
    || (launchType === undefined && strategy === undefined && compat.includes('FARGATE') && !compat.includes('EC2'));
  if (!fargate) {
    return [{
      description: `ECS service (${launchType ?? 'EC2 capacity provider'})`,
      monthlyUsd: 0,
      note: 'tasks run on EC2 instances, priced as those instances',
    }];
  }
  if (count === undefined) return [unpriced('Fargate tasks', `task count not known at synth (${why})`)];
  const lines: CostLine[] = [];
  lines.push(fargateTasks(ctx, taskDef, count, why, strategy));
  const awsvpc = obj(obj(p.NetworkConfiguration).AwsvpcConfiguration);
  if (str(awsvpc.AssignPublicIp) === 'ENABLED' && count > 0) {
    lines.push(publicIpv4(ctx, count, `${plural(count, 'public IPv4 address', 'public IPv4 addresses')} (one per task)`));
  }
  const registries = arr(p.ServiceRegistries)?.length ?? 0;
  if (registries > 0 && count > 0) {
    const instances = count * registries;
    lines.push({
      description: `${plural(instances, 'Cloud Map registered instance')} (${usd(ctx.prices.cloudMapInstanceMonthly)}/month)`,
      monthlyUsd: instances * ctx.prices.cloudMapInstanceMonthly,
      note: 'plus discovery API calls (usage)',
    });
  }
  return lines;
};

/** The tasks a service runs with no traffic: autoscaling's minimum if it scales, else its desired count. */
function idleTaskCount(r: ResourceRecord, ctx: PricingContext): { count?: number; why: string } {
  const target = ctx.ofType(r, 'AWS::ApplicationAutoScaling::ScalableTarget').find((t) =>
    str(t.properties.ScalableDimension) === 'ecs:service:DesiredCount'
    && ctx.target(t, t.properties.ResourceId, 'AWS::ECS::Service') === r);
  if (target) {
    const min = num(target.properties.MinCapacity);
    return { count: min, why: 'autoscaling minimum capacity' };
  }
  const desired = r.properties.DesiredCount;
  if (desired === undefined) return { count: 1, why: 'desired count not set: ECS starts 1' };
  return { count: num(desired), why: 'desired count' };
}

function capacityStrategy(r: ResourceRecord, ctx: PricingContext): StrategyItem[] | undefined {
  const own = arr(r.properties.CapacityProviderStrategy);
  if (own && own.length > 0) return own.map(toStrategyItem);
  if (r.properties.LaunchType !== undefined) return undefined;
  // Without a launch type or a strategy, the cluster's default strategy applies.
  const cluster = ctx.target(r, r.properties.Cluster, 'AWS::ECS::Cluster');
  if (!cluster) return undefined;
  const fromCluster = arr(cluster.properties.DefaultCapacityProviderStrategy);
  if (fromCluster && fromCluster.length > 0) return fromCluster.map(toStrategyItem);
  const assoc = ctx.ofType(r, 'AWS::ECS::ClusterCapacityProviderAssociations')
    .find((a) => ctx.target(a, a.properties.Cluster, 'AWS::ECS::Cluster') === cluster);
  const fromAssoc = arr(assoc?.properties.DefaultCapacityProviderStrategy);
  return fromAssoc && fromAssoc.length > 0 ? fromAssoc.map(toStrategyItem) : undefined;
}

function toStrategyItem(s: unknown): StrategyItem {
  const o = obj(s);
  return { provider: str(o.CapacityProvider) ?? '?', base: num(o.Base) ?? 0, weight: num(o.Weight) ?? 0 };
}

/** How many of `count` tasks land on Fargate Spot: bases first, the rest by weight. */
export function spotTasks(count: number, strategy: StrategyItem[] | undefined): number {
  if (!strategy) return 0;
  let remaining = count;
  let spot = 0;
  for (const s of strategy) {
    const base = Math.min(s.base, remaining);
    if (s.provider === 'FARGATE_SPOT') spot += base;
    remaining -= base;
  }
  const total = strategy.reduce((sum, s) => sum + s.weight, 0);
  const spotWeight = strategy.filter((s) => s.provider === 'FARGATE_SPOT').reduce((sum, s) => sum + s.weight, 0);
  if (total > 0) spot += (remaining * spotWeight) / total;
  return spot;
}

function fargateTasks(
  ctx: PricingContext, taskDef: ResourceRecord | undefined, count: number, why: string, strategy?: StrategyItem[],
): CostLine {
  if (!taskDef) return unpriced(`${plural(count, 'Fargate task')}`, 'task definition not in this stack: size unknown');
  const td = taskDef.properties;
  const vcpu = parseCpu(td.Cpu);
  const gb = parseMemory(td.Memory);
  const platform = obj(td.RuntimePlatform);
  const os = str(platform.OperatingSystemFamily) ?? 'LINUX';
  if (vcpu === undefined || gb === undefined) {
    return unpriced(`${plural(count, 'Fargate task')}`, 'task CPU or memory not known at synth');
  }
  if (os !== 'LINUX') return unpriced(`${plural(count, 'Fargate task')} (${os})`, 'no price for Fargate on Windows in the price list');
  const arm = str(platform.CpuArchitecture) === 'ARM64';
  const prices = ctx.prices;
  const hourly = arm
    ? vcpu * prices.fargateArmVcpuHourly + gb * prices.fargateArmGbHourly
    : vcpu * prices.fargateX86VcpuHourly + gb * prices.fargateX86GbHourly;
  const size = `${vcpu} vCPU / ${gb} GB ${arm ? 'ARM64' : 'x86_64'}`;
  const notes = [`${why}`];
  let spot = spotTasks(count, strategy);
  if (spot > 0 && arm) {
    notes.push('ARM64 tasks cannot run on Fargate Spot: priced on demand');
    spot = 0;
  } else if (spot > 0) {
    notes.push(`${round2(spot)} of ${count} on Fargate Spot, priced at the full ${Math.round(prices.fargateSpotDiscount * 100)}% discount (Spot is "up to" that: an estimate)`);
  }
  const ephemeral = num(obj(td.EphemeralStorage).SizeInGiB);
  if (ephemeral !== undefined && ephemeral > 20) notes.push('ephemeral storage above 20 GiB not counted');
  const onDemand = count - spot;
  const monthly = ctx.monthly(hourly, onDemand) + ctx.monthly(hourly * (1 - prices.fargateSpotDiscount), spot);
  return {
    description: `${plural(count, 'Fargate task')}, ${size}`,
    monthlyUsd: monthly,
    note: notes.join('; '),
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Task CPU in vCPU: CloudFormation takes CPU units ("256") or "0.25 vCPU". */
export function parseCpu(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? parseFloat(value) : NaN;
  if (Number.isNaN(n)) return undefined;
  return typeof value === 'string' && /vcpu/i.test(value) ? n : n / 1024;
}

/** Task memory in GB: CloudFormation takes MiB ("512") or "0.5 GB". */
export function parseMemory(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? parseFloat(value) : NaN;
  if (Number.isNaN(n)) return undefined;
  return typeof value === 'string' && /gb/i.test(value) ? n : n / 1024;
}
