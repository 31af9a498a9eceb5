/**
 * The ReplicaSet controller's reconcile step, as a pure function: desired
 * replicas vs the set's active pods → create or delete actions.
 * Upstream: pkg/controller/replicaset/replica_set.go (v1.34) `manageReplicas`
 * (burstReplicas = 500 per sync; creates in slow-start batches of 1, 2, 4, …),
 * `getPodsToDelete`; status from `calculateStatus` in replica_set_utils.go.
 */
import { getPodsToDelete, isPodActive } from './active-pods.ts';
import type { ReplicaSetStatus, SimPod, SimReplicaSet } from './types.ts';

/** Upstream BurstReplicas: the most pods one sync creates or deletes. */
export const BURST_REPLICAS = 500;
/** Upstream SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export type ReplicaSetAction = { kind: 'create'; count: number; batches: number[] } | { kind: 'delete'; pods: string[] } | { kind: 'none' };

/**
 * One manageReplicas pass. `pods` are the pods this set owns; `relatedPods`
 * all pods of sibling sets (used to rank co-located pods for deletion).
 * Invariant: after applying the action, active pods = min(spec.replicas, active ± 500).
 */
export function manageReplicas(rs: SimReplicaSet, pods: readonly SimPod[], relatedPods: readonly SimPod[], nowMs: number): ReplicaSetAction {
  const active = pods.filter(isPodActive);
  const diff = active.length - rs.replicas;
  if (diff < 0) {
    const count = Math.min(-diff, BURST_REPLICAS);
    const batches: number[] = [];
    let remaining = count;
    for (let batch = Math.min(remaining, SLOW_START_INITIAL_BATCH_SIZE); remaining > 0; batch = Math.min(2 * batch, remaining)) {
      batches.push(batch);
      remaining -= batch;
    }
    return { kind: 'create', count, batches };
  }
  if (diff > 0) {
    const toDelete = getPodsToDelete(active, relatedPods, Math.min(diff, BURST_REPLICAS), nowMs);
    return { kind: 'delete', pods: toDelete.map((p) => p.name) };
  }
  return { kind: 'none' };
}

/** Available = ready, and (if minReadySeconds > 0) ready since strictly more than minReadySeconds (upstream podutil.IsPodAvailable). */
export function isPodAvailable(p: SimPod, minReadySeconds: number, nowMs: number): boolean {
  if (!p.ready) return false;
  if (minReadySeconds === 0) return true;
  return p.readySinceMs !== null && p.readySinceMs + minReadySeconds * 1000 < nowMs;
}

/** Upstream calculateStatus (the counts only). */
export function calculateReplicaSetStatus(pods: readonly SimPod[], minReadySeconds: number, nowMs: number): ReplicaSetStatus {
  const active = pods.filter(isPodActive);
  return {
    replicas: active.length,
    readyReplicas: active.filter((p) => p.ready).length,
    availableReplicas: active.filter((p) => isPodAvailable(p, minReadySeconds, nowMs)).length,
  };
}
