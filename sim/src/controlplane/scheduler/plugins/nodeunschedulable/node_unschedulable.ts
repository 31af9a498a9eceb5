/**
 * NodeUnschedulable, after
 * pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
 * (Kubernetes v1.34): a cordoned node (spec.unschedulable) rejects pods that
 * don't tolerate the node.kubernetes.io/unschedulable:NoSchedule taint —
 * "node(s) were unschedulable", UnschedulableAndUnresolvable.
 */
import type { CycleState, FilterPlugin, MaybeStatus } from '../../framework/interface.ts';
import { newStatus } from '../../framework/interface.ts';
import { tolerationsTolerateTaint } from '../../framework/taints.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { NodeUnschedulable } from '../names.ts';

export const ErrReasonUnschedulable = 'node(s) were unschedulable';
const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

export function newNodeUnschedulable() {
  const plugin = {
    name: NodeUnschedulable,
    filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
      if (!node.unschedulable) return null;
      if (tolerationsTolerateTaint(pod.tolerations, unschedulableTaint)) return null;
      return newStatus('UnschedulableAndUnresolvable', ErrReasonUnschedulable);
    },
  };
  return plugin satisfies FilterPlugin;
}
