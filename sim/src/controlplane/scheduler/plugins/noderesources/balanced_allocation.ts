/**
 * NodeResourcesBalancedAllocation: favours nodes whose cpu and memory (and
 * any configured resource) would be used in similar fractions after placing
 * the pod, after
 * pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go
 * (Kubernetes v1.34): score = (1 - std(fractions)) * MaxNodeScore, using the
 * real requests (not the non-zero defaults). Since v1.32 a best-effort pod
 * (requests nothing) makes PreScore return Skip, so this plugin does not
 * score it at all (kubernetes#129138). Default weight 1.
 */
import type { CycleState, MaybeStatus, PreScorePlugin, ScorePlugin } from '../../framework/interface.ts';
import { newStatus } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { NodeResourcesBalancedAllocation } from '../names.ts';
import { defaultResources, fillVectors, podRequestFor, type ResourceSpec } from './resource_allocation.ts';
import { balancedAllocationScore } from './scorers.ts';

export interface BalancedAllocationArgs {
  resources: ResourceSpec[];
}

export const defaultBalancedAllocationArgs = (): BalancedAllocationArgs => ({ resources: defaultResources.map((r) => ({ ...r })) });

interface PreScoreState {
  podRequests: number[];
  requested: number[];
  allocatable: number[];
}

export function newBalancedAllocation(args: BalancedAllocationArgs = defaultBalancedAllocationArgs()) {
  const resources = args.resources;
  const onlyCpuMemory = resources.length === 2 && resources[0]!.name === 'cpu' && resources[1]!.name === 'memory';
  const key = `PreScore${NodeResourcesBalancedAllocation}`;
  let memoState: CycleState | null = null;
  let memo: PreScoreState | undefined;
  const plugin = {
    name: NodeResourcesBalancedAllocation,
    args,
    preScore(state: CycleState, pod: PodInfo): MaybeStatus {
      const podRequests = resources.map((r) => podRequestFor(pod, r.name, true));
      if (podRequests.every((r) => r === 0)) return newStatus('Skip');
      memo = { podRequests, requested: podRequests.map(() => 0), allocatable: podRequests.map(() => 0) };
      memoState = state;
      state.write(key, memo);
      return null;
    },
    scoreAll(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: number[]): void {
      if (onlyCpuMemory) {
        const s = state === memoState ? memo! : state.read<PreScoreState>(key)!;
        for (let i = 0; i < nodes.length; i++) out[i] = balancedCpuMemory(nodes[i]!, s.podRequests);
        return;
      }
      for (let i = 0; i < nodes.length; i++) out[i] = plugin.score(state, pod, nodes[i]!);
    },
    score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
      const s = state === memoState ? memo! : state.read<PreScoreState>(key)!;
      if (onlyCpuMemory) return balancedCpuMemory(node, s.podRequests);
      fillVectors(node, resources, s.podRequests, true, s.requested, s.allocatable);
      return balancedAllocationScore(s.requested, s.allocatable);
    },
  };
  return plugin satisfies PreScorePlugin & ScorePlugin;
}

/** Hot path for [cpu, memory]; identical to balancedAllocationScore on the two fractions. */
function balancedCpuMemory(node: NodeInfo, podReqs: readonly number[]): number {
  const cpuCap = node.allocatable.milliCPU;
  const memCap = node.allocatable.memory;
  if (cpuCap === 0 || memCap === 0) {
    return balancedAllocationScore([node.requested.milliCPU + podReqs[0]!, node.requested.memory + podReqs[1]!], [cpuCap, memCap]);
  }
  let f0 = (node.requested.milliCPU + podReqs[0]!) / cpuCap;
  let f1 = (node.requested.memory + podReqs[1]!) / memCap;
  if (f0 > 1) f0 = 1;
  if (f1 > 1) f1 = 1;
  return Math.trunc((1 - Math.abs((f0 - f1) / 2)) * 100);
}
