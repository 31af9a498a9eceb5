/**
 * A benchmark-driven shortcut for the common case of Filter, with the same
 * result as running the plugins one by one (schedule_one.ts falls back to
 * them whenever the shortcut cannot say "passes").
 *
 * With the default profile most pods leave only NodeUnschedulable, NodeName,
 * TaintToleration and NodeResourcesFit active after PreFilter (the others
 * return Skip). For a node that is not cordoned, has no taints, matches the
 * pod's spec.nodeName (or the pod names none) and has room for the pod's cpu,
 * memory and one more pod, each of those four plugins returns Success, so the
 * node passes without four polymorphic calls. Any other node goes through the
 * plugins, so statuses and reasons are exactly upstream's.
 *
 * The check is conservative: if the profile disabled one of the four, the
 * extra condition only sends more nodes to the slow path.
 */
import type { FilterPlugin } from './interface.ts';
import type { NodeInfo, PodInfo } from './types.ts';
import { NodeName, NodeResourcesFit, NodeUnschedulable, TaintToleration } from '../plugins/names.ts';

const FUSABLE = new Set([NodeUnschedulable, NodeName, TaintToleration, NodeResourcesFit]);

/** Whether the shortcut may stand in for this cycle's active Filter plugins and pod. */
export function canFuseFilters(active: readonly FilterPlugin[], pod: PodInfo): boolean {
  for (let i = 0; i < active.length; i++) if (!FUSABLE.has(active[i]!.name)) return false;
  // NodeResourcesFit's simple case: only cpu, memory and the pod count are requested.
  return pod.requests.ephemeralStorage === 0 && pod.requests.scalar === null;
}

/** True when every fusable Filter plugin would return Success for `pod` on `node`. */
export function passesFusedFilters(pod: PodInfo, node: NodeInfo): boolean {
  // node.plain = not cordoned and no taints; the free* fields are allocatable − requested (types.ts).
  const r = pod.requests;
  return (
    node.plain &&
    node.freePodSlots > 0 &&
    r.milliCPU <= node.freeMilliCPU &&
    r.memory <= node.freeMemory &&
    (pod.nodeName === '' || pod.nodeName === node.name)
  );
}
