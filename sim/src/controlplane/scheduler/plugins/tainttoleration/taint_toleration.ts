/**
 * TaintToleration, after
 * pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go
 * (Kubernetes v1.34).
 *
 * Filter: the first NoSchedule/NoExecute taint the pod does not tolerate
 * makes the node UnschedulableAndUnresolvable with
 * "node(s) had untolerated taint {key: value}". Score: the number of
 * PreferNoSchedule taints not tolerated (by tolerations whose effect is
 * empty or PreferNoSchedule), normalized in reverse so fewer is better.
 * Default weight 3.
 */
import type { CycleState, FilterPlugin, MaybeStatus, PreScorePlugin, ScorePlugin } from '../../framework/interface.ts';
import { MaxNodeScore, newStatus } from '../../framework/interface.ts';
import { defaultNormalizeScore } from '../../framework/normalize.ts';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint, tolerationsTolerateTaint } from '../../framework/taints.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import type { Toleration } from '../../../../api/objects.ts';
import { TaintToleration } from '../names.ts';

const key = `PreScore${TaintToleration}`;

export function newTaintToleration() {
  let memoState: CycleState | null = null;
  let memo: Toleration[] = [];
  const plugin = {
    name: TaintToleration,
    filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
      if (node.taints.length === 0) return null;
      const taint = findMatchingUntoleratedTaint(node.taints, pod.tolerations, isDoNotScheduleTaint);
      if (!taint) return null;
      return newStatus('UnschedulableAndUnresolvable', `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    },
    preScore(state: CycleState, pod: PodInfo): MaybeStatus {
      memo = pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      memoState = state;
      state.write(key, memo);
      return null;
    },
    scoreAll(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: number[]): void {
      for (let i = 0; i < nodes.length; i++) out[i] = nodes[i]!.taints.length === 0 ? 0 : plugin.score(state, pod, nodes[i]!);
    },
    score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
      if (node.taints.length === 0) return 0;
      const tolerations = state === memoState ? memo : state.read<Toleration[]>(key)!;
      let intolerable = 0;
      for (const taint of node.taints) {
        if (taint.effect !== 'PreferNoSchedule') continue;
        if (!tolerationsTolerateTaint(tolerations, taint)) intolerable++;
      }
      return intolerable;
    },
    normalizeScore(_state: CycleState, _pod: PodInfo, _nodes: readonly NodeInfo[], scores: number[]): void {
      defaultNormalizeScore(MaxNodeScore, true, scores);
    },
  };
  return plugin satisfies FilterPlugin & PreScorePlugin & ScorePlugin;
}
