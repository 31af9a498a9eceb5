/**
 * NodeName, after pkg/scheduler/framework/plugins/nodename/node_name.go
 * (Kubernetes v1.34): a pod that names a node (spec.nodeName) fits only that
 * node — "node(s) didn't match the requested node name",
 * UnschedulableAndUnresolvable.
 */
import type { CycleState, FilterPlugin, MaybeStatus } from '../../framework/interface.ts';
import { newStatus } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { NodeName } from '../names.ts';

export const ErrReasonNodeName = "node(s) didn't match the requested node name";

export function newNodeName() {
  const plugin = {
    name: NodeName,
    filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
      if (pod.nodeName === '' || pod.nodeName === node.name) return null;
      return newStatus('UnschedulableAndUnresolvable', ErrReasonNodeName);
    },
  };
  return plugin satisfies FilterPlugin;
}
