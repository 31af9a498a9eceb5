/**
 * NodeAffinity, after pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go
 * (Kubernetes v1.34).
 *
 * Filter: the pod's nodeSelector and requiredDuringScheduling terms must
 * match, else UnschedulableAndUnresolvable
 * "node(s) didn't match Pod's node affinity/selector". A profile may add a
 * scheduler-enforced `addedAffinity` ("node(s) didn't match scheduler-enforced
 * node affinity"). Score: sum of the weights of matching preferred terms,
 * normalized so the best node gets 100. PreFilter/PreScore return Skip when
 * the pod has nothing to check. Default weight 2.
 */
import type { CycleState, FilterPlugin, MaybeStatus, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.ts';
import { MaxNodeScore, newStatus } from '../../framework/interface.ts';
import { defaultNormalizeScore } from '../../framework/normalize.ts';
import { NodeSelector, PreferredSchedulingTerms } from '../../framework/labels.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import type { NodeSelectorTerm } from '../../../../api/objects.ts';
import { NodeAffinity } from '../names.ts';

export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";
export const errReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";

export interface NodeAffinityArgs {
  addedAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
  };
}

export function newNodeAffinity(args: NodeAffinityArgs = {}) {
  const addedRequired = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ? new NodeSelector(args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
    : null;
  const addedPreferred = new PreferredSchedulingTerms(args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []);
  const plugin = {
    name: NodeAffinity,
    args,
    preFilter(_state: CycleState, pod: PodInfo): MaybeStatus {
      if (pod.requiredNodeAffinity.isEmpty && addedRequired === null) return newStatus('Skip');
      return null;
    },
    filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
      if (addedRequired && !addedRequired.match(node.name, node.labels)) return newStatus('UnschedulableAndUnresolvable', errReasonEnforced);
      if (!pod.requiredNodeAffinity.match(node.name, node.labels)) return newStatus('UnschedulableAndUnresolvable', ErrReasonPod);
      return null;
    },
    preScore(_state: CycleState, pod: PodInfo): MaybeStatus {
      if (pod.preferredNodeAffinity.length === 0 && addedPreferred.length === 0) return newStatus('Skip');
      return null;
    },
    score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
      return addedPreferred.score(node.name, node.labels) + pod.preferredNodeAffinity.score(node.name, node.labels);
    },
    normalizeScore(_state: CycleState, _pod: PodInfo, _nodes: readonly NodeInfo[], scores: number[]): void {
      defaultNormalizeScore(MaxNodeScore, false, scores);
    },
  };
  return plugin satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
