/**
 * Pod admission on the node: the kubelet re-checks what the scheduler
 * checked, against its own view (pods it already admitted), because a pod
 * can arrive with spec.nodeName set and no scheduler involved.
 * pkg/kubelet/lifecycle/predicate.go (kubernetes master / v1.34):
 * generalFilter = noderesources.Fits (cpu, memory, ephemeral-storage, pod
 * count) + nodeaffinity (nodeSelector and required node affinity) + node
 * name + host ports, then untolerated NoExecute taints. A rejected pod is set
 * to phase Failed with the predicate's reason (OutOfcpu, OutOfmemory,
 * OutOfpods, NodeAffinity, Taint...) and never started.
 */
import type { Node, Pod } from '../../../api/objects.ts';
import { NodeInfo, newPodInfo } from '../../../controlplane/scheduler/framework/types.ts';
import { fitsRequest } from '../../../controlplane/scheduler/plugins/noderesources/fit.ts';

export interface AdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

export function admitPod(node: Node, admitted: Pod[], pod: Pod): AdmitResult {
  const info = new NodeInfo(node);
  for (const p of admitted) info.addPod(newPodInfo(p));
  const pi = newPodInfo(pod);
  const nodeName = node.metadata?.name ?? '';
  if (pi.nodeName && pi.nodeName !== nodeName) return { admit: false, reason: 'NodeName', message: `Pod was rejected: pod is for node ${pi.nodeName}` };
  if (!pi.requiredNodeAffinity.match(nodeName, node.metadata?.labels ?? {})) {
    return { admit: false, reason: 'NodeAffinity', message: "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector" };
  }
  const insufficient = fitsRequest(pi, info);
  if (insufficient.length) {
    const r = insufficient[0]!;
    return {
      admit: false,
      reason: `OutOf${r.resourceName}`,
      message: `Pod was rejected: Node didn't have enough resource: ${r.resourceName}, requested: ${r.requested}, used: ${r.used}, capacity: ${r.capacity}`,
    };
  }
  const used = new Set(info.usedPorts.map((p) => `${p.protocol}/${p.port}`));
  for (const hp of pi.hostPorts) if (used.has(`${hp.protocol}/${hp.port}`)) return { admit: false, reason: 'NodePorts', message: "Pod was rejected: node(s) didn't have free ports for the requested pod ports" };
  for (const t of node.spec?.taints ?? []) {
    if (t.effect !== 'NoExecute') continue;
    const tolerated = (pod.spec?.tolerations ?? []).some((tol) => (!tol.effect || tol.effect === t.effect) && (tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? '') === (t.value ?? '')));
    if (!tolerated) return { admit: false, reason: 'Taint', message: `Pod was rejected: node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}` };
  }
  return { admit: true };
}
