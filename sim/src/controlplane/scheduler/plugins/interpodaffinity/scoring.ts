/**
 * InterPodAffinity PreScore/Score/NormalizeScore (preferred terms, and
 * existing pods' hard affinity weighted by hardPodAffinityWeight), after
 * pkg/scheduler/framework/plugins/interpodaffinity/scoring.go (Kubernetes v1.34).
 *
 * For every existing pod, each term that matches adds (affinity) or subtracts
 * (anti-affinity) its weight to every node sharing the existing pod's
 * topology value. NormalizeScore maps [min, max] to [0, 100] (float, then
 * truncated).
 */
import type { CycleState, MaybeStatus } from '../../framework/interface.ts';
import { MaxNodeScore, newStatus } from '../../framework/interface.ts';
import { affinityTermMatches, type AffinityTerm, type NodeInfo, type PodInfo } from '../../framework/types.ts';

export const preScoreStateKey = 'PreScoreInterPodAffinity';

export interface InterPodAffinityArgs {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

export const defaultInterPodAffinityArgs = (): InterPodAffinityArgs => ({ hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false });

/** topologyKey → topology value → score. */
type ScoreMap = Map<string, Map<string, number>>;

function processTerm(m: ScoreMap, t: AffinityTerm, weight: number, pod: PodInfo, node: NodeInfo, multiplier: number): void {
  if (!affinityTermMatches(t, pod)) return;
  if (!Object.prototype.hasOwnProperty.call(node.labels, t.topologyKey)) return;
  const v = node.labels[t.topologyKey]!;
  let inner = m.get(t.topologyKey);
  if (!inner) m.set(t.topologyKey, (inner = new Map()));
  inner.set(v, (inner.get(v) ?? 0) + weight * multiplier);
}

function processTerms(m: ScoreMap, terms: readonly AffinityTerm[], pod: PodInfo, node: NodeInfo, multiplier: number): void {
  for (const t of terms) processTerm(m, t, t.weight, pod, node, multiplier);
}

export function preScore(
  state: CycleState,
  pod: PodInfo,
  allNodes: readonly NodeInfo[],
  nodesWithAffinityPods: readonly NodeInfo[],
  args: InterPodAffinityArgs,
): MaybeStatus {
  const hasConstraints = pod.preferredAffinityTerms.length + pod.preferredAntiAffinityTerms.length > 0;
  if (args.ignorePreferredTermsOfExistingPods && !hasConstraints) return newStatus('Skip');
  const nodes = hasConstraints ? allNodes : nodesWithAffinityPods;
  const m: ScoreMap = new Map();
  for (const node of nodes) {
    if (Object.keys(node.labels).length === 0) continue;
    const pods = hasConstraints ? node.pods : node.podsWithAffinity;
    for (const existing of pods) {
      processTerms(m, pod.preferredAffinityTerms, existing, node, 1);
      processTerms(m, pod.preferredAntiAffinityTerms, existing, node, -1);
      if (args.hardPodAffinityWeight > 0) {
        for (const t of existing.requiredAffinityTerms) processTerm(m, t, args.hardPodAffinityWeight, pod, node, 1);
      }
      processTerms(m, existing.preferredAffinityTerms, pod, node, 1);
      processTerms(m, existing.preferredAntiAffinityTerms, pod, node, -1);
    }
  }
  if (m.size === 0) return newStatus('Skip');
  state.write(preScoreStateKey, m);
  return null;
}

export function score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
  const m = state.read<ScoreMap>(preScoreStateKey)!;
  let s = 0;
  for (const [k, values] of m) {
    if (Object.prototype.hasOwnProperty.call(node.labels, k)) s += values.get(node.labels[k]!) ?? 0;
  }
  return s;
}

export function normalizeScore(state: CycleState, scores: number[]): void {
  const m = state.read<ScoreMap>(preScoreStateKey);
  if (!m || m.size === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s > max) max = s;
    if (s < min) min = s;
  }
  const diff = max - min;
  for (let i = 0; i < scores.length; i++) {
    scores[i] = diff > 0 ? Math.trunc(MaxNodeScore * ((scores[i]! - min) / diff)) : 0;
  }
}
