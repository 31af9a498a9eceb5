/**
 * PodTopologySpread PreScore/Score/NormalizeScore (ScheduleAnyway
 * constraints, incl. system defaults), after
 * pkg/scheduler/framework/plugins/podtopologyspread/scoring.go (Kubernetes v1.34).
 *
 * A node's raw score is Σ over constraints of
 *   matching pods in its domain × log(domains + 2) + (maxSkew − 1),
 * rounded; NormalizeScore maps it to 100 × (max + min − score) / max, so
 * emptier domains score higher. Nodes missing a required key score 0.
 */
import type { CycleState, MaybeStatus } from '../../framework/interface.ts';
import { MaxNodeScore, newStatus } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import {
  constraintsFor,
  countPodsMatch,
  LabelHostname,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  type PodTopologySpreadArgs,
  type SpreadConstraint,
} from './common.ts';

export const preScoreStateKey = 'PreScorePodTopologySpread';

interface PreScoreState {
  constraints: SpreadConstraint[];
  ignoredNodes: Set<string>;
  topologyValueToPodCounts: Map<string, number>[];
  topologyNormalizingWeight: number[];
}

/** log(size + 2): the weight that keeps small topologies from being watered down by big ones. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

export function scoreForCount(cnt: number, maxSkew: number, tpWeight: number): number {
  return cnt * tpWeight + (maxSkew - 1);
}

export function preScore(
  state: CycleState,
  pod: PodInfo,
  filteredNodes: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
  args: PodTopologySpreadArgs,
): MaybeStatus {
  if (allNodes.length === 0) return newStatus('Skip');
  const constraints = constraintsFor(pod, args, 'ScheduleAnyway');
  if (constraints.length === 0) return newStatus('Skip');
  const requireAllTopologies = (pod.pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 || args.defaultingType !== 'System';
  const s: PreScoreState = {
    constraints,
    ignoredNodes: new Set(),
    topologyValueToPodCounts: constraints.map(() => new Map()),
    topologyNormalizingWeight: [],
  };
  const topoSize = constraints.map(() => 0);
  for (const node of filteredNodes) {
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node.labels, constraints)) {
      s.ignoredNodes.add(node.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === LabelHostname) return;
      const value = node.labels[c.topologyKey] ?? '';
      const m = s.topologyValueToPodCounts[i]!;
      if (!m.has(value)) {
        m.set(value, 0);
        topoSize[i]!++;
      }
    });
  }
  s.topologyNormalizingWeight = constraints.map((c, i) =>
    topologyNormalizingWeight(c.topologyKey === LabelHostname ? filteredNodes.length - s.ignoredNodes.size : topoSize[i]!),
  );
  for (const node of allNodes) {
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node.labels, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!matchNodeInclusionPolicies(c, pod, node)) return;
      const value = node.labels[c.topologyKey] ?? '';
      const m = s.topologyValueToPodCounts[i]!;
      const cur = m.get(value);
      if (cur === undefined) return;
      m.set(value, cur + countPodsMatch(node.pods, c.matcher, pod.namespace));
    });
  }
  state.write(preScoreStateKey, s);
  return null;
}

export function score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
  const s = state.read<PreScoreState>(preScoreStateKey)!;
  if (s.ignoredNodes.has(node.name)) return 0;
  let total = 0;
  s.constraints.forEach((c, i) => {
    if (!Object.prototype.hasOwnProperty.call(node.labels, c.topologyKey)) return;
    const cnt = c.topologyKey === LabelHostname
      ? countPodsMatch(node.pods, c.matcher, pod.namespace)
      : s.topologyValueToPodCounts[i]!.get(node.labels[c.topologyKey]!) ?? 0;
    total += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i]!);
  });
  return Math.round(total);
}

export function normalizeScore(state: CycleState, nodes: readonly NodeInfo[], scores: number[]): void {
  const s = state.read<PreScoreState>(preScoreStateKey);
  if (!s) return;
  let minScore = Number.MAX_SAFE_INTEGER;
  let maxScore = 0;
  const ignored = nodes.map((n) => s.ignoredNodes.has(n.name));
  for (let i = 0; i < scores.length; i++) {
    if (ignored[i]) continue;
    if (scores[i]! < minScore) minScore = scores[i]!;
    if (scores[i]! > maxScore) maxScore = scores[i]!;
  }
  for (let i = 0; i < scores.length; i++) {
    if (ignored[i]) scores[i] = 0;
    else if (maxScore === 0) scores[i] = MaxNodeScore;
    else scores[i] = Math.trunc((MaxNodeScore * (maxScore + minScore - scores[i]!)) / maxScore);
  }
}
