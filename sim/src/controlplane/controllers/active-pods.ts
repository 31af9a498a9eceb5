/**
 * Which pods a ReplicaSet deletes first.
 * Upstream: pkg/controller/controller_utils.go (v1.34) `ActivePods.Less`,
 * `ActivePodsWithRanks.Less` (LogarithmicScaleDown and PodDeletionCost are
 * GA/on by default), `afterOrZero`, `logarithmicRankDiff`; and
 * pkg/controller/replicaset/replica_set.go `getPodsToDelete`,
 * `getPodsRankedByRelatedPodsOnSameNode`.
 *
 * "Less" means "delete earlier". The order, most deletable first:
 * unscheduled < scheduled; Pending < Unknown < Running; not ready < ready;
 * lower pod-deletion-cost; more co-located siblings (rank) first; ready for a
 * shorter time (log2 buckets); more restarts; newer (log2 buckets); then UID.
 */
import type { PodPhase, SimPod } from './types.ts';

const PHASE_ORDINAL: Record<PodPhase, number> = { Pending: 0, Unknown: 1, Running: 2, Succeeded: 3, Failed: 3 };

/** Zero time sorts as "after" everything (upstream afterOrZero). */
function afterOrZero(t1: number | null, t2: number | null): boolean {
  if (t1 === null || t2 === null) return t1 === null;
  return t1 > t2;
}

/** floor(log2(now − t in nanoseconds)), −1 when not in the past (upstream logarithmicRankDiff). */
function logRank(tMs: number, nowMs: number): number {
  const dNs = (nowMs - tMs) * 1e6;
  return dNs > 0 ? Math.floor(Math.log2(dNs)) : -1;
}

function readyTime(p: SimPod): number | null {
  return p.ready ? p.readySinceMs : null;
}

/** Upstream ActivePods.Less (no ranks, exact timestamps). */
export function activePodsLess(a: SimPod, b: SimPod): boolean {
  if (a.nodeName !== b.nodeName && (a.nodeName === '' || b.nodeName === '')) return a.nodeName === '';
  if (PHASE_ORDINAL[a.phase] !== PHASE_ORDINAL[b.phase]) return PHASE_ORDINAL[a.phase] < PHASE_ORDINAL[b.phase];
  if (a.ready !== b.ready) return !a.ready;
  if (a.ready && b.ready) {
    const ra = readyTime(a);
    const rb = readyTime(b);
    if (ra !== rb) return afterOrZero(ra, rb);
  }
  if (a.restartCount !== b.restartCount) return a.restartCount > b.restartCount;
  if (a.creationMs !== b.creationMs) return afterOrZero(a.creationMs, b.creationMs);
  return false;
}

/** Upstream ActivePodsWithRanks.Less with `now`; rank = active sibling pods on the same node. */
export function activePodsWithRanksLess(a: SimPod, rankA: number, b: SimPod, rankB: number, nowMs: number | null): boolean {
  if (a.nodeName !== b.nodeName && (a.nodeName === '' || b.nodeName === '')) return a.nodeName === '';
  if (PHASE_ORDINAL[a.phase] !== PHASE_ORDINAL[b.phase]) return PHASE_ORDINAL[a.phase] < PHASE_ORDINAL[b.phase];
  if (a.ready !== b.ready) return !a.ready;
  const costA = a.deletionCost ?? 0;
  const costB = b.deletionCost ?? 0;
  if (costA !== costB) return costA < costB;
  if (rankA !== rankB) return rankA > rankB;
  if (a.ready && b.ready) {
    const ra = readyTime(a);
    const rb = readyTime(b);
    if (ra !== rb) {
      if (nowMs === null || ra === null || rb === null) return afterOrZero(ra, rb);
      const diff = logRank(ra, nowMs) - logRank(rb, nowMs);
      if (diff === 0) return a.uid < b.uid;
      return diff < 0;
    }
  }
  if (a.restartCount !== b.restartCount) return a.restartCount > b.restartCount;
  if (a.creationMs !== b.creationMs) {
    if (nowMs === null || a.creationMs === null || b.creationMs === null) return afterOrZero(a.creationMs, b.creationMs);
    const diff = logRank(a.creationMs, nowMs) - logRank(b.creationMs, nowMs);
    if (diff === 0) return a.uid < b.uid;
    return diff < 0;
  }
  return false;
}

/** Upstream controller.IsPodActive: not Succeeded/Failed and not being deleted. */
export function isPodActive(p: SimPod): boolean {
  return p.phase !== 'Succeeded' && p.phase !== 'Failed' && (p.deletionMs === undefined || p.deletionMs === null);
}

/** A stable sort by a strict-weak "less" (Go's sort.Sort is not stable, but the order it returns for distinct keys is the same). */
function sortByLess<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((x, y) => (less(x.item, y.item) ? -1 : less(y.item, x.item) ? 1 : x.i - y.i))
    .map((x) => x.item);
}

/** Sorts pods most-deletable first by upstream ActivePods. */
export function sortActivePods(pods: readonly SimPod[]): SimPod[] {
  return sortByLess([...pods], activePodsLess);
}

/**
 * Upstream getPodsToDelete: the `diff` pods of `filteredPods` (this ReplicaSet's
 * active pods) to delete, ranked by how many active `relatedPods` (pods of all
 * ReplicaSets of the same Deployment) share their node.
 */
export function getPodsToDelete(filteredPods: readonly SimPod[], relatedPods: readonly SimPod[], diff: number, nowMs: number): SimPod[] {
  if (diff >= filteredPods.length) return [...filteredPods];
  const podsOnNode = new Map<string, number>();
  for (const p of relatedPods) if (isPodActive(p)) podsOnNode.set(p.nodeName, (podsOnNode.get(p.nodeName) ?? 0) + 1);
  const ranked = filteredPods.map((pod) => ({ pod, rank: podsOnNode.get(pod.nodeName) ?? 0 }));
  return sortByLess(ranked, (a, b) => activePodsWithRanksLess(a.pod, a.rank, b.pod, b.rank, nowMs))
    .slice(0, diff)
    .map((x) => x.pod);
}
