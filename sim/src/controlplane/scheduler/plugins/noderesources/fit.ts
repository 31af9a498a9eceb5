/**
 * NodeResourcesFit: Filter (does the pod's request fit the node's free
 * allocatable, and is there room for one more pod?) and Score (by the
 * configured strategy), after
 * pkg/scheduler/framework/plugins/noderesources/fit.go (Kubernetes v1.34).
 *
 * Filter reasons are upstream's "Too many pods" and "Insufficient <resource>".
 * Since v1.34 a request larger than the node's whole allocatable is
 * UnschedulableAndUnresolvable (preemption cannot help); otherwise
 * Unschedulable. Default score weight 1, strategy LeastAllocated on cpu and
 * memory (weight 1 each).
 */
import type { CycleState, FilterPlugin, MaybeStatus, PreFilterPlugin, PreScorePlugin, ScorePlugin, Status } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { NodeResourcesFit } from '../names.ts';
import { defaultResources, fillVectors, podRequestFor, type ResourceSpec } from './resource_allocation.ts';
import { leastAllocatedScore, mostAllocatedScore, requestedToCapacityRatioScore, type UtilizationShapePoint } from './scorers.ts';

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

/** upstream config.NodeResourcesFitArgs (only what the sim models). */
export interface NodeResourcesFitArgs {
  scoringStrategy: {
    type: ScoringStrategyType;
    resources: ResourceSpec[];
    requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
  };
  ignoredResources: string[];
  ignoredResourceGroups: string[];
}

export const defaultFitArgs = (): NodeResourcesFitArgs => ({
  scoringStrategy: {
    type: 'LeastAllocated',
    resources: defaultResources.map((r) => ({ ...r })),
    requestedToCapacityRatio: { shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] },
  },
  ignoredResources: [],
  ignoredResourceGroups: [],
});

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  unresolvable: boolean;
}

/** upstream v1helper.IsExtendedResourceName, simplified: namespaced and not kubernetes.io. */
function isExtendedResourceName(name: string): boolean {
  return name.includes('/') && !name.startsWith('kubernetes.io/') && !name.includes('.kubernetes.io/') && !name.startsWith('requests.');
}

/** upstream fitsRequest: every resource the node lacks for this pod. */
export function fitsRequest(pod: PodInfo, node: NodeInfo, ignored?: ReadonlySet<string>, ignoredGroups?: ReadonlySet<string>): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = node.allocatable;
  const used = node.requested;
  if (node.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: node.pods.length, capacity: alloc.allowedPodNumber, unresolvable: false });
  }
  const req = pod.requests;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && !req.scalar) return out;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU, unresolvable: req.milliCPU > alloc.milliCPU });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used: used.memory, capacity: alloc.memory, unresolvable: req.memory > alloc.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: req.ephemeralStorage,
      used: used.ephemeralStorage,
      capacity: alloc.ephemeralStorage,
      unresolvable: req.ephemeralStorage > alloc.ephemeralStorage,
    });
  }
  if (req.scalar) {
    for (const [name, q] of req.scalar) {
      if (q === 0) continue;
      if (isExtendedResourceName(name)) {
        if (ignored?.has(name)) continue;
        const group = name.slice(0, name.indexOf('/'));
        if (ignoredGroups?.has(group)) continue;
      }
      const a = alloc.scalar?.get(name) ?? 0;
      const u = used.scalar?.get(name) ?? 0;
      if (q > a - u) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: q, used: u, capacity: a, unresolvable: q > a });
    }
  }
  return out;
}

interface PreScoreState {
  podRequests: number[];
  weights: number[];
  requested: number[];
  allocatable: number[];
}

export function newFit(args: NodeResourcesFitArgs = defaultFitArgs()) {
  const ignored = new Set(args.ignoredResources);
  const ignoredGroups = new Set(args.ignoredResourceGroups);
  const { type, resources } = args.scoringStrategy;
  const weights = resources.map((r) => r.weight);
  const shape = args.scoringStrategy.requestedToCapacityRatio?.shape ?? [];
  const onlyCpuMemory = resources.length === 2 && resources[0]!.name === 'cpu' && resources[1]!.name === 'memory';
  const key = `PreScore${NodeResourcesFit}`;
  // The state of the latest cycle, so Score doesn't pay a CycleState lookup per node.
  let memoState: CycleState | null = null;
  let memo: PreScoreState | undefined;
  const plugin = {
    name: NodeResourcesFit,
    args,
    preFilter(_state: CycleState, _pod: PodInfo): MaybeStatus {
      return null;
    },
    filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
      // Fast path: enough cpu, memory and pod slots, nothing else requested.
      const r = pod.requests;
      const a = node.allocatable;
      const u = node.requested;
      if (
        node.pods.length < a.allowedPodNumber &&
        r.milliCPU <= a.milliCPU - u.milliCPU &&
        r.memory <= a.memory - u.memory &&
        r.ephemeralStorage === 0 &&
        r.scalar === null
      ) {
        return null;
      }
      const insufficient = fitsRequest(pod, node, ignored, ignoredGroups);
      if (insufficient.length === 0) return null;
      const status: Status = { code: 'Unschedulable', reasons: insufficient.map((i) => i.reason) };
      if (insufficient.some((i) => i.unresolvable)) status.code = 'UnschedulableAndUnresolvable';
      return status;
    },
    preScore(state: CycleState, pod: PodInfo): MaybeStatus {
      const s: PreScoreState = {
        podRequests: resources.map((res) => podRequestFor(pod, res.name, false)),
        weights,
        requested: new Array<number>(resources.length).fill(0),
        allocatable: new Array<number>(resources.length).fill(0),
      };
      state.write(key, s);
      memoState = state;
      memo = s;
      return null;
    },
    scoreAll(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: number[]): void {
      if (onlyCpuMemory && type === 'LeastAllocated') {
        const s = state === memoState ? memo! : state.read<PreScoreState>(key)!;
        for (let i = 0; i < nodes.length; i++) out[i] = leastAllocatedCpuMemory(nodes[i]!, s.podRequests, weights);
        return;
      }
      for (let i = 0; i < nodes.length; i++) out[i] = plugin.score(state, pod, nodes[i]!);
    },
    score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
      const s = state === memoState ? memo! : state.read<PreScoreState>(key)!;
      if (onlyCpuMemory && type === 'LeastAllocated') return leastAllocatedCpuMemory(node, s.podRequests, weights);
      fillVectors(node, resources, s.podRequests, false, s.requested, s.allocatable);
      switch (type) {
        case 'LeastAllocated': return leastAllocatedScore(s.requested, s.allocatable, weights);
        case 'MostAllocated': return mostAllocatedScore(s.requested, s.allocatable, weights);
        case 'RequestedToCapacityRatio': return requestedToCapacityRatioScore(s.requested, s.allocatable, weights, shape);
      }
    },
  };
  return plugin satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}

/** The default profile's hot path: LeastAllocated over cpu and memory without allocating vectors. Same result as leastAllocatedScore. */
function leastAllocatedCpuMemory(node: NodeInfo, podReqs: readonly number[], weights: readonly number[]): number {
  let nodeScore = 0;
  let weightSum = 0;
  const cpuCap = node.allocatable.milliCPU;
  if (cpuCap !== 0) {
    const req = node.nonZeroMilliCPU + podReqs[0]!;
    nodeScore += (req > cpuCap ? 0 : Math.trunc(((cpuCap - req) * 100) / cpuCap)) * weights[0]!;
    weightSum += weights[0]!;
  }
  const memCap = node.allocatable.memory;
  if (memCap !== 0) {
    const req = node.nonZeroMemory + podReqs[1]!;
    const free = memCap - req;
    const s = req > memCap ? 0 : Number.isSafeInteger(free * 100) ? Math.trunc((free * 100) / memCap) : Number((BigInt(free) * 100n) / BigInt(memCap));
    nodeScore += s * weights[1]!;
    weightSum += weights[1]!;
  }
  return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
}
