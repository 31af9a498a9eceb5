/**
 * InterPodAffinity PreFilter/Filter (required terms), after
 * pkg/scheduler/framework/plugins/interpodaffinity/filtering.go (Kubernetes v1.34).
 *
 * PreFilter counts, per topology pair (key, value):
 *  - existingAntiAffinityCounts: existing pods whose required anti-affinity
 *    terms match the incoming pod;
 *  - affinityCounts: existing pods matching *all* the incoming pod's required
 *    affinity terms (counted once per term's topology key);
 *  - antiAffinityCounts: existing pods matching each incoming anti-affinity term.
 * Filter then checks, in this order: affinity ("node(s) didn't match pod
 * affinity rules", UnschedulableAndUnresolvable), the pod's anti-affinity
 * ("node(s) didn't match pod anti-affinity rules", Unschedulable), existing
 * pods' anti-affinity ("node(s) didn't satisfy existing pods anti-affinity
 * rules", Unschedulable). A pod whose affinity matches only itself may be
 * the first of its group and passes when no pod matches anywhere.
 */
import type { CycleState, MaybeStatus } from '../../framework/interface.ts';
import { newStatus } from '../../framework/interface.ts';
import { affinityTermMatches, type AffinityTerm, type NodeInfo, type PodInfo } from '../../framework/types.ts';

export const ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
export const preFilterStateKey = 'PreFilterInterPodAffinity';

/** topologyKey + "\u0000" + value → count. */
type TopologyCounts = Map<string, number>;
const pair = (k: string, v: string) => `${k}\u0000${v}`;

export interface PreFilterState {
  existingAntiAffinityCounts: TopologyCounts;
  affinityCounts: TopologyCounts;
  antiAffinityCounts: TopologyCounts;
}

function update(m: TopologyCounts, node: NodeInfo, topologyKey: string, delta: number): void {
  if (!Object.prototype.hasOwnProperty.call(node.labels, topologyKey)) return;
  const k = pair(topologyKey, node.labels[topologyKey]!);
  const v = (m.get(k) ?? 0) + delta;
  if (v === 0) m.delete(k);
  else m.set(k, v);
}

export function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: PodInfo): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!affinityTermMatches(t, pod)) return false;
  return true;
}

function accountExisting(s: PreFilterState, pod: PodInfo, existing: PodInfo, node: NodeInfo, delta: number): void {
  for (const t of existing.requiredAntiAffinityTerms) if (affinityTermMatches(t, pod)) update(s.existingAntiAffinityCounts, node, t.topologyKey, delta);
  if (podMatchesAllAffinityTerms(pod.requiredAffinityTerms, existing)) {
    for (const t of pod.requiredAffinityTerms) update(s.affinityCounts, node, t.topologyKey, delta);
  }
  for (const t of pod.requiredAntiAffinityTerms) if (affinityTermMatches(t, existing)) update(s.antiAffinityCounts, node, t.topologyKey, delta);
}

export function preFilter(state: CycleState, pod: PodInfo, allNodes: readonly NodeInfo[], nodesWithRequiredAntiAffinityPods: readonly NodeInfo[]): MaybeStatus {
  const hasOwn = pod.requiredAffinityTerms.length + pod.requiredAntiAffinityTerms.length > 0;
  if (!hasOwn && nodesWithRequiredAntiAffinityPods.length === 0) return newStatus('Skip');
  const s: PreFilterState = { existingAntiAffinityCounts: new Map(), affinityCounts: new Map(), antiAffinityCounts: new Map() };
  for (const node of nodesWithRequiredAntiAffinityPods) {
    for (const existing of node.podsWithRequiredAntiAffinity) {
      for (const t of existing.requiredAntiAffinityTerms) if (affinityTermMatches(t, pod)) update(s.existingAntiAffinityCounts, node, t.topologyKey, 1);
    }
  }
  if (hasOwn) {
    for (const node of allNodes) {
      for (const existing of node.pods) {
        if (podMatchesAllAffinityTerms(pod.requiredAffinityTerms, existing)) {
          for (const t of pod.requiredAffinityTerms) update(s.affinityCounts, node, t.topologyKey, 1);
        }
        for (const t of pod.requiredAntiAffinityTerms) if (affinityTermMatches(t, existing)) update(s.antiAffinityCounts, node, t.topologyKey, 1);
      }
    }
  }
  state.write(preFilterStateKey, s);
  return null;
}

export function updateWithPod(state: CycleState, podToSchedule: PodInfo, other: PodInfo, node: NodeInfo, delta: 1 | -1): void {
  const s = state.read<PreFilterState>(preFilterStateKey);
  if (s) accountExisting(s, podToSchedule, other, node, delta);
}

function satisfyPodAffinity(s: PreFilterState, pod: PodInfo, node: NodeInfo): boolean {
  let podsExist = true;
  for (const t of pod.requiredAffinityTerms) {
    if (!Object.prototype.hasOwnProperty.call(node.labels, t.topologyKey)) return false;
    if ((s.affinityCounts.get(pair(t.topologyKey, node.labels[t.topologyKey]!)) ?? 0) <= 0) podsExist = false;
  }
  if (!podsExist) {
    // The first pod of a group with affinity to itself may go anywhere that has the keys.
    return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(pod.requiredAffinityTerms, pod);
  }
  return true;
}

function satisfyPodAntiAffinity(s: PreFilterState, pod: PodInfo, node: NodeInfo): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of pod.requiredAntiAffinityTerms) {
    if (!Object.prototype.hasOwnProperty.call(node.labels, t.topologyKey)) continue;
    if ((s.antiAffinityCounts.get(pair(t.topologyKey, node.labels[t.topologyKey]!)) ?? 0) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, node: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [k, v] of Object.entries(node.labels)) if ((s.existingAntiAffinityCounts.get(pair(k, v)) ?? 0) > 0) return false;
  return true;
}

export function filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
  const s = state.read<PreFilterState>(preFilterStateKey);
  if (!s) return null;
  if (!satisfyPodAffinity(s, pod, node)) return newStatus('UnschedulableAndUnresolvable', ErrReasonAffinityRulesNotMatch);
  if (!satisfyPodAntiAffinity(s, pod, node)) return newStatus('Unschedulable', ErrReasonAntiAffinityRulesNotMatch);
  if (!satisfyExistingPodsAntiAffinity(s, node)) return newStatus('Unschedulable', ErrReasonExistingAntiAffinityRulesNotMatch);
  return null;
}
