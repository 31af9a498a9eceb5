/**
 * PodTopologySpread: the plugin object wiring filtering.ts and scoring.ts,
 * after pkg/scheduler/framework/plugins/podtopologyspread/plugin.go
 * (Kubernetes v1.34). Default weight 2.
 */
import type { CycleState, FilterPlugin, Handle, MaybeStatus, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { PodTopologySpread } from '../names.ts';
import { defaultPodTopologySpreadArgs, type PodTopologySpreadArgs } from './common.ts';
import * as filtering from './filtering.ts';
import * as scoring from './scoring.ts';

export function newPodTopologySpread(handle: Handle, args: PodTopologySpreadArgs = defaultPodTopologySpreadArgs()) {
  const plugin = {
    name: PodTopologySpread,
    args,
    preFilter(state: CycleState, pod: PodInfo): MaybeStatus {
      return filtering.preFilter(state, pod, handle.allNodes, args);
    },
    removePod(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, node: NodeInfo): void {
      filtering.updateWithPod(state, podToSchedule, podToRemove, node, -1);
    },
    addPod(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, node: NodeInfo): void {
      filtering.updateWithPod(state, podToSchedule, podToAdd, node, 1);
    },
    filter: filtering.filter,
    preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): MaybeStatus {
      return scoring.preScore(state, pod, nodes, handle.allNodes, args);
    },
    score: scoring.score,
    normalizeScore(state: CycleState, _pod: PodInfo, nodes: readonly NodeInfo[], scores: number[]): void {
      scoring.normalizeScore(state, nodes, scores);
    },
  };
  return plugin satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
