/**
 * The taint eviction controller (formerly the NoExecute taint manager).
 * Upstream: pkg/controller/tainteviction/taint_eviction.go (v1.34)
 * `processPodOnNode`: a pod on a node with NoExecute taints it does not
 * tolerate is deleted at once; if it tolerates all of them, the earliest
 * tolerationSeconds among the used tolerations (none = forever) schedules the
 * deletion that long after the controller saw the taint; removing the taint
 * cancels the scheduled deletion.
 */
import type { NodeTaint } from './controller.ts';

export interface PodTolerationView {
  key?: string;
  operator?: 'Exists' | 'Equal';
  effect?: string;
  tolerationSeconds?: number;
}

export interface EvictablePod {
  name: string;
  nodeName: string;
  tolerations: PodTolerationView[];
  deleted: boolean;
}

export interface ScheduledEviction {
  pod: string;
  createdAtMs: number;
  fireAtMs: number;
}

/** Upstream v1helper.ToleratesTaint for NoExecute taints (values are not modelled: Exists/Equal on the key). */
function tolerates(t: PodTolerationView, taint: NodeTaint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists' && !t.key) return true;
  return t.key === taint.key;
}

/** −1 = tolerate forever; otherwise the minimum tolerationSeconds (negative values count as 0). */
export function minTolerationSeconds(pod: EvictablePod, taints: NodeTaint[]): number | 'not-tolerated' {
  let min = -1;
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const used = pod.tolerations.filter((t) => tolerates(t, taint));
    if (!used.length) return 'not-tolerated';
    for (const t of used) {
      if (t.tolerationSeconds === undefined) continue;
      const s = Math.max(0, t.tolerationSeconds);
      if (min < 0 || s < min) min = s;
    }
  }
  return min;
}

export class TaintEvictionController {
  readonly queue = new Map<string, ScheduledEviction>();

  /** Re-evaluates every pod on the nodes (upstream does this on node and pod updates); returns pods to delete now. */
  reconcile(pods: EvictablePod[], taintsByNode: Map<string, NodeTaint[]>, nowMs: number): string[] {
    const deleteNow: string[] = [];
    for (const pod of pods) {
      if (pod.deleted) continue;
      const taints = (taintsByNode.get(pod.nodeName) ?? []).filter((t) => t.effect === 'NoExecute');
      if (!taints.length) {
        this.queue.delete(pod.name);
        continue;
      }
      const min = minTolerationSeconds(pod, taints);
      if (min === 'not-tolerated') {
        this.queue.delete(pod.name);
        deleteNow.push(pod.name);
        continue;
      }
      if (min < 0) {
        this.queue.delete(pod.name);
        continue;
      }
      const existing = this.queue.get(pod.name);
      const startMs = existing?.createdAtMs ?? nowMs;
      const fireAtMs = startMs + min * 1000;
      if (!existing || existing.fireAtMs !== fireAtMs) this.queue.set(pod.name, { pod: pod.name, createdAtMs: startMs, fireAtMs });
    }
    for (const [name, ev] of this.queue) {
      if (ev.fireAtMs <= nowMs) {
        this.queue.delete(name);
        deleteNow.push(name);
      }
    }
    return deleteNow;
  }
}
