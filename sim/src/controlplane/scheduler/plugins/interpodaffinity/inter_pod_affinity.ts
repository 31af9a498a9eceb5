/**
 * InterPodAffinity: the plugin object wiring filtering.ts and scoring.ts,
 * after pkg/scheduler/framework/plugins/interpodaffinity/plugin.go
 * (Kubernetes v1.34). Default weight 2; args hardPodAffinityWeight 1.
 */
import type { CycleState, FilterPlugin, Handle, MaybeStatus, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { InterPodAffinity } from '../names.ts';
import * as filtering from './filtering.ts';
import * as scoring from './scoring.ts';

export function newInterPodAffinity(handle: Handle, args: scoring.InterPodAffinityArgs = scoring.defaultInterPodAffinityArgs()) {
  const plugin = {
    name: InterPodAffinity,
    args,
    preFilter(state: CycleState, pod: PodInfo): MaybeStatus {
      return filtering.preFilter(state, pod, handle.allNodes, handle.nodesWithRequiredAntiAffinityPods);
    },
    removePod(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, node: NodeInfo): void {
      filtering.updateWithPod(state, podToSchedule, podToRemove, node, -1);
    },
    addPod(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, node: NodeInfo): void {
      filtering.updateWithPod(state, podToSchedule, podToAdd, node, 1);
    },
    filter: filtering.filter,
    preScore(state: CycleState, pod: PodInfo): MaybeStatus {
      return scoring.preScore(state, pod, handle.allNodes, handle.nodesWithAffinityPods, args);
    },
    score: scoring.score,
    normalizeScore(state: CycleState, _pod: PodInfo, _nodes: readonly NodeInfo[], scores: number[]): void {
      scoring.normalizeScore(state, scores);
    },
  };
  return plugin satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
