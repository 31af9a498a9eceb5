/**
 * NodePorts, after pkg/scheduler/framework/plugins/nodeports/node_ports.go and
 * framework/types.go HostPortInfo.CheckConflict (Kubernetes v1.34): a
 * hostPort is taken when another pod on the node uses the same protocol and
 * port on the same IP, or either side binds 0.0.0.0 —
 * "node(s) didn't have free ports for the requested pod ports", Unschedulable.
 * PreFilter returns Skip for pods without hostPorts.
 */
import type { CycleState, FilterPlugin, MaybeStatus, PreFilterPlugin } from '../../framework/interface.ts';
import { newStatus } from '../../framework/interface.ts';
import type { HostPort, NodeInfo, PodInfo } from '../../framework/types.ts';
import { NodePorts } from '../names.ts';

export const ErrReason = "node(s) didn't have free ports for the requested pod ports";
const DefaultBindAllHostIP = '0.0.0.0';

export function portsConflict(used: readonly HostPort[], want: readonly HostPort[]): boolean {
  for (const w of want) {
    for (const u of used) {
      if (u.port !== w.port || u.protocol !== w.protocol) continue;
      if (w.ip === DefaultBindAllHostIP || u.ip === DefaultBindAllHostIP || u.ip === w.ip) return true;
    }
  }
  return false;
}

export function newNodePorts() {
  const plugin = {
    name: NodePorts,
    preFilter(_state: CycleState, pod: PodInfo): MaybeStatus {
      return pod.hostPorts.length === 0 ? newStatus('Skip') : null;
    },
    filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
      return portsConflict(node.usedPorts, pod.hostPorts) ? newStatus('Unschedulable', ErrReason) : null;
    },
  };
  return plugin satisfies PreFilterPlugin & FilterPlugin;
}
