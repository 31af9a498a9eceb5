/**
 * The "0/3 nodes are available: …" message, after FitError.Error() in
 * pkg/scheduler/framework/types.go (Kubernetes v1.34): count each reason
 * over the nodes that reported it, print "<count> <reason>" entries sorted
 * as strings, joined by ", ", then append the PreFilter and PostFilter
 * messages, each as " <msg>.".
 */
import type { Status } from './interface.ts';

export const NoNodeAvailableMsg = (numAllNodes: number) => `0/${numAllNodes} nodes are available`;

export interface Diagnosis {
  /** Status of every node that failed Filter (nodes absent here are given `absentNodesStatus`). */
  nodeToStatus: ReadonlyMap<string, Status>;
  absentNodesStatus?: Status;
  preFilterMsg?: string;
  postFilterMsg?: string;
}

/** The histogram entries, e.g. ["1 Insufficient cpu", "2 node(s) had untolerated taint {a: b}"]. */
export function reasonHistogram(numAllNodes: number, d: Diagnosis): string[] {
  const counts = new Map<string, number>();
  for (const st of d.nodeToStatus.values()) {
    for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  if (d.absentNodesStatus && d.nodeToStatus.size < numAllNodes) {
    for (const r of d.absentNodesStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + numAllNodes - d.nodeToStatus.size);
  }
  const out = [...counts].map(([r, n]) => `${n} ${r}`);
  // Go's sort.Strings: byte-wise ordering.
  out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return out;
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `${NoNodeAvailableMsg(numAllNodes)}:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const h = reasonHistogram(numAllNodes, d);
    if (h.length) msg += ` ${h.join(', ')}.`;
  }
  // SeparatorFormat " %v." is applied to the PostFilter message too, so a
  // preemption message that already ends in "." ends in ".." (as upstream prints it).
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}
