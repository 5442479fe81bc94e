import { CostLine, isObject, plural, Pricer, PricingContext, str, unpriced, usd } from './context';

/**
 * Annotations on Kubernetes objects that say what they keep running with no traffic. The EKS
 * constructs write them on their node pools, Deployments and Ingresses; users may write them on
 * their own manifests. Nodes launched by Karpenter are not in the template, so this is the only
 * way an estimate read from the template can see them.
 */
const IDLE_NODES = 'cost.lean-stack.dev/idle-nodes';
const IDLE_NODE_TYPE = 'cost.lean-stack.dev/idle-node-type';
const IDLE_CAPACITY = 'cost.lean-stack.dev/idle-capacity';
const LOAD_BALANCERS = 'cost.lean-stack.dev/load-balancers';
const PUBLIC_IPV4 = 'cost.lean-stack.dev/public-ipv4';

/** `AWS::EKS::Cluster`: the control plane bills by the hour whether or not anything runs. */
export const eksCluster: Pricer = (r, ctx) => {
  const lines: CostLine[] = [{
    description: `EKS cluster control plane (${usd(ctx.prices.eksClusterHourly)}/hour)`,
    monthlyUsd: ctx.monthly(ctx.prices.eksClusterHourly),
    note: 'standard support; a version past standard support bills 0.60/hour',
  }];
  const compute = isObject(r.properties.ComputeConfig) ? r.properties.ComputeConfig : {};
  if (compute.Enabled === true) {
    lines.push({
      description: 'EKS Auto Mode nodes',
      monthlyUsd: 0,
      note: `launched for pods, priced from the manifests' ${IDLE_NODES} annotations with Auto Mode's management fee (${Math.round(ctx.prices.eksAutoModeFeeShare * 100)}% of the instance price)`,
    });
  }
  return lines;
};

/** `Custom::AWSCDK-EKS-KubernetesResource`: the nodes and load balancers its objects keep running idle. */
export const kubernetesManifest: Pricer = (r, ctx) => {
  const lines: CostLine[] = [];
  for (const object of parseManifest(r.properties.Manifest)) {
    const meta = isObject(object.metadata) ? object.metadata : {};
    const notes = isObject(meta.annotations) ? meta.annotations : {};
    const what = `${str(object.kind) ?? 'object'} ${str(meta.name) ?? ''}`.trim();
    const nodes = Number(str(notes[IDLE_NODES]) ?? NaN);
    if (!Number.isNaN(nodes) && nodes > 0) lines.push(nodeLine(ctx, what, nodes, str(notes[IDLE_NODE_TYPE]), str(notes[IDLE_CAPACITY])));
    const lbs = Number(str(notes[LOAD_BALANCERS]) ?? NaN);
    if (!Number.isNaN(lbs) && lbs > 0) {
      lines.push({
        description: `${plural(lbs, 'load balancer')} provisioned by the cluster for ${what} (${usd(ctx.prices.loadBalancerHourly)}/hour)`,
        monthlyUsd: ctx.monthly(ctx.prices.loadBalancerHourly, lbs),
        note: 'plus LCUs (usage); created by the cluster, not by CloudFormation',
      });
      const ips = Number(str(notes[PUBLIC_IPV4]) ?? 0);
      if (ips > 0) {
        lines.push({
          description: `${plural(ips, 'public IPv4 address', 'public IPv4 addresses')} of that load balancer`,
          monthlyUsd: ctx.monthly(ctx.prices.publicIpv4Hourly, ips),
        });
      }
    }
  }
  return lines.length > 0 ? lines : [{ description: 'Kubernetes manifest', monthlyUsd: 0, note: 'keeps no node or load balancer running idle' }];
};

function nodeLine(ctx: PricingContext, what: string, nodes: number, type: string | undefined, capacity: string | undefined): CostLine {
  const hourly = type ? ctx.prices.ec2InstanceHourly[type] : undefined;
  const label = `${plural(nodes, 'node')}${type ? ` (${type})` : ''} for ${what}`;
  if (hourly === undefined) return unpriced(label, `no price for ${type ?? 'an unnamed instance type'} in the price list (ec2InstanceHourly)`);
  const withFee = hourly * (1 + ctx.prices.eksAutoModeFeeShare);
  return {
    description: `${label} (${usd(withFee)}/hour with the Auto Mode fee)`,
    monthlyUsd: ctx.monthly(withFee, nodes),
    note: capacity === 'spot-or-on-demand'
      ? 'priced on demand; Spot, when available, costs less'
      : 'the smallest node that holds the idle pods; Karpenter may pick another that is as cheap',
  };
}

/** The objects of a manifest: a JSON string, or an `Fn::Join` of one around tokens (read as placeholders). */
function parseManifest(value: unknown): Array<{ [key: string]: unknown }> {
  let text: string | undefined;
  if (typeof value === 'string') text = value;
  const join = isObject(value) ? value['Fn::Join'] : undefined;
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    text = (join[1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(join[0]);
  }
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isObject) : [];
  } catch {
    return [];
  }
}
