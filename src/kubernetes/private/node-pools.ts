/** A Kubernetes object as kubectl applies it. */
export type KubeObject = { [key: string]: unknown };

/**
 * Annotations the idle cost estimate reads from a manifest: how many nodes of which type the
 * object keeps running with no traffic. Kept in one place so the estimator and the constructs
 * agree on the names.
 */
export const IDLE_NODES_ANNOTATION = 'cost.lean-stack.dev/idle-nodes';
export const IDLE_NODE_TYPE_ANNOTATION = 'cost.lean-stack.dev/idle-node-type';
export const IDLE_CAPACITY_ANNOTATION = 'cost.lean-stack.dev/idle-capacity';

/** The annotations that tell the idle cost estimate how many nodes of which type stay up, and how they are bought. */
export function idleAnnotations(idle: { idleNodes: number; idleNodeType: string; spot: boolean }): { [key: string]: string } {
  return {
    [IDLE_NODES_ANNOTATION]: String(idle.idleNodes),
    [IDLE_NODE_TYPE_ANNOTATION]: idle.idleNodeType,
    [IDLE_CAPACITY_ANNOTATION]: idle.spot ? 'spot-or-on-demand' : 'on-demand',
  };
}

/** The label our node pools put on their nodes, which workloads select. */
export const POOL_LABEL = 'lean-stack.dev/pool';

/** The Auto Mode NodeClass every built-in and custom pool may use. */
const DEFAULT_NODE_CLASS = { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'default' };

/** What a node pool is for, and how it is sized and bought. */
export interface NodePoolSpec {
  readonly name: string;
  /** Taints only cluster-critical add-ons tolerate. */
  readonly system: boolean;
  readonly architectures: string[];
  readonly spot: boolean;
  readonly maxVcpus: number;
  readonly maxMemoryGiB: number;
  readonly idleNodes: number;
  readonly idleNodeType: string;
  /** Higher wins when several pools fit a pod. */
  readonly weight: number;
}

/**
 * A Karpenter `NodePool` for EKS Auto Mode: current-generation C, M and R instances (the families
 * Auto Mode supports), the given architectures, on-demand (plus Spot where allowed), limited in
 * total vCPU and memory so a runaway autoscaler cannot run up the bill, and consolidated when
 * nodes sit empty or underused.
 */
export function nodePool(spec: NodePoolSpec): KubeObject {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: {
      name: spec.name,
      annotations: idleAnnotations(spec),
    },
    spec: {
      weight: spec.weight,
      template: {
        metadata: { labels: { [POOL_LABEL]: spec.name } },
        spec: {
          nodeClassRef: DEFAULT_NODE_CLASS,
          ...(spec.system ? { taints: [{ key: 'CriticalAddonsOnly', effect: 'NoSchedule' }] } : {}),
          // Nodes are replaced after two weeks so they pick up patched AMIs.
          expireAfter: '336h',
          requirements: [
            { key: 'eks.amazonaws.com/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
            { key: 'eks.amazonaws.com/instance-generation', operator: 'Gt', values: ['5'] },
            { key: 'kubernetes.io/arch', operator: 'In', values: spec.architectures },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: spec.spot ? ['spot', 'on-demand'] : ['on-demand'] },
            // Small nodes: a small team's pods fit, and an idle node costs little.
            { key: 'eks.amazonaws.com/instance-cpu', operator: 'Lt', values: ['17'] },
          ],
        },
      },
      limits: { cpu: String(spec.maxVcpus), memory: `${spec.maxMemoryGiB}Gi` },
      disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
    },
  };
}

/** Node sizes the estimate assumes Karpenter picks: the cheapest current C instance that fits. */
const NODE_SIZES: { [arch: string]: Array<{ type: string; vcpu: number; gib: number }> } = {
  arm64: [
    { type: 'c6g.medium', vcpu: 1, gib: 2 },
    { type: 'c6g.large', vcpu: 2, gib: 4 },
    { type: 'c6g.xlarge', vcpu: 4, gib: 8 },
    { type: 'c6g.2xlarge', vcpu: 8, gib: 16 },
  ],
  amd64: [
    { type: 'c6a.large', vcpu: 2, gib: 4 },
    { type: 'c6a.xlarge', vcpu: 4, gib: 8 },
    { type: 'c6a.2xlarge', vcpu: 8, gib: 16 },
  ],
};

/**
 * The nodes an idle workload needs: its minimum pods' requests on the smallest node type that
 * holds them all, keeping back about 15% of each node for the kubelet and system daemons;
 * more of the largest type when none holds them all.
 */
export function idleNodesFor(arch: string, pods: number, cpuMillis: number, memoryMiB: number): { nodes: number; type: string } {
  const sizes = NODE_SIZES[arch] ?? NODE_SIZES.arm64;
  const needVcpu = (pods * cpuMillis) / 1000;
  const needGib = (pods * memoryMiB) / 1024;
  for (const s of sizes) {
    if (needVcpu <= s.vcpu * 0.85 && needGib <= s.gib * 0.85) return { nodes: pods > 0 ? 1 : 0, type: s.type };
  }
  const largest = sizes[sizes.length - 1];
  const nodes = Math.ceil(Math.max(needVcpu / (largest.vcpu * 0.85), needGib / (largest.gib * 0.85)));
  return { nodes, type: largest.type };
}
