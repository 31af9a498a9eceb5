/**
 * PodTopologySpread PreFilter/Filter (DoNotSchedule constraints), after
 * pkg/scheduler/framework/plugins/podtopologyspread/filtering.go (Kubernetes v1.34).
 *
 * For each constraint, count the matching pods per topology domain over the
 * eligible nodes (those with every constraint's key and passing the node
 * inclusion policies). A node passes when
 *   matching pods in its domain + (1 if the pod matches itself) − global minimum ≤ maxSkew,
 * where the global minimum is 0 while fewer than minDomains domains exist.
 * A node without the topology key is UnschedulableAndUnresolvable.
 */
import type { CycleState, MaybeStatus } from '../../framework/interface.ts';
import { newStatus } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import {
  constraintsFor,
  countPodsMatch,
  matchNodeInclusionPolicies,
  matcherMatches,
  nodeLabelsMatchSpreadConstraints,
  type PodTopologySpreadArgs,
  type SpreadConstraint,
} from './common.ts';

export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const ErrReasonNodeLabelNotMatch = `${ErrReasonConstraintsNotMatch} (missing required label)`;
export const preFilterStateKey = 'PreFilterPodTopologySpread';

export interface PreFilterState {
  constraints: SpreadConstraint[];
  /** Per constraint: topology value → matching pods. */
  tpValueToMatchNum: Map<string, number>[];
}

export function calPreFilterState(pod: PodInfo, allNodes: readonly NodeInfo[], args: PodTopologySpreadArgs): PreFilterState {
  const constraints = constraintsFor(pod, args, 'DoNotSchedule');
  const tpValueToMatchNum = constraints.map(() => new Map<string, number>());
  if (constraints.length === 0) return { constraints, tpValueToMatchNum };
  for (const node of allNodes) {
    if (!nodeLabelsMatchSpreadConstraints(node.labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!matchNodeInclusionPolicies(c, pod, node)) continue;
      const value = node.labels[c.topologyKey]!;
      const m = tpValueToMatchNum[i]!;
      m.set(value, (m.get(value) ?? 0) + countPodsMatch(node.pods, c.matcher, pod.namespace));
    }
  }
  return { constraints, tpValueToMatchNum };
}

function minMatchNum(s: PreFilterState, i: number): number {
  const m = s.tpValueToMatchNum[i]!;
  if (m.size < s.constraints[i]!.minDomains) return 0;
  let min = Infinity;
  for (const v of m.values()) if (v < min) min = v;
  return min === Infinity ? 0 : min;
}

export function preFilter(state: CycleState, pod: PodInfo, allNodes: readonly NodeInfo[], args: PodTopologySpreadArgs): MaybeStatus {
  const s = calPreFilterState(pod, allNodes, args);
  if (s.constraints.length === 0) return newStatus('Skip');
  state.write(preFilterStateKey, s);
  return null;
}

/** PreFilterExtensions: keep counts right while preemption removes/adds pods. */
export function updateWithPod(state: CycleState, podToSchedule: PodInfo, other: PodInfo, node: NodeInfo, delta: 1 | -1): void {
  const s = state.read<PreFilterState>(preFilterStateKey);
  if (!s || other.namespace !== podToSchedule.namespace || other.terminating) return;
  if (!nodeLabelsMatchSpreadConstraints(node.labels, s.constraints)) return;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    if (!matchNodeInclusionPolicies(c, podToSchedule, node) || !matcherMatches(c.matcher, other)) continue;
    const v = node.labels[c.topologyKey]!;
    const m = s.tpValueToMatchNum[i]!;
    m.set(v, (m.get(v) ?? 0) + delta);
  }
}

export function filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
  const s = state.read<PreFilterState>(preFilterStateKey);
  if (!s || s.constraints.length === 0) return null;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    if (!Object.prototype.hasOwnProperty.call(node.labels, c.topologyKey)) {
      return newStatus('UnschedulableAndUnresolvable', ErrReasonNodeLabelNotMatch);
    }
    const tpVal = node.labels[c.topologyKey]!;
    const selfMatchNum = matcherMatches(c.matcher, pod) ? 1 : 0;
    const matchNum = s.tpValueToMatchNum[i]!.get(tpVal) ?? 0;
    const skew = matchNum + selfMatchNum - minMatchNum(s, i);
    if (skew > c.maxSkew) return newStatus('Unschedulable', ErrReasonConstraintsNotMatch);
  }
  return null;
}
