/**
 * The Deployment controller's sync, over an in-memory store of one Deployment,
 * its ReplicaSets and their pods. Upstream (kubernetes/kubernetes v1.34):
 * pkg/controller/deployment/deployment_controller.go `syncDeployment`,
 * sync.go (`getNewReplicaSet`, `scale`, `isScalingEvent`, `cleanupDeployment`,
 * `scaleReplicaSet`), rolling.go (`rolloutRolling`, `reconcileNewReplicaSet`,
 * `reconcileOldReplicaSets`, `cleanupUnhealthyReplicas`,
 * `scaleDownOldReplicaSetsForRollingUpdate`), recreate.go (`rolloutRecreate`,
 * `oldPodsRunning`), progress.go (`syncRolloutStatus`).
 *
 * One call = one sync of the work queue key; it mutates `store` (the sim's
 * stand-in for the apiserver) and returns what it did as events. The
 * ReplicaSet controller (replicaset.ts) then makes the pods match.
 */
import { maxSurgeOf, maxUnavailableOf, newRSNewReplicas } from '../fenceposts.ts';
import type { SimDeployment, SimPod, SimReplicaSet } from '../types.ts';
import {
  DESIRED_REPLICAS_ANNOTATION, FOUND_NEW_RS_REASON, MAX_REPLICAS_ANNOTATION, NEW_REPLICA_SET_REASON, NEW_RS_AVAILABLE_REASON,
  REPLICA_SET_UPDATED_REASON, REVISION_ANNOTATION, TIMED_OUT_REASON, byCreation, calculateStatus, deploymentComplete,
  deploymentProgressing, deploymentTimedOut, filterActive, getCondition, getProportion, maxRevision, newCondition,
  removeCondition, revisionOf, setCondition, setNewReplicaSetRevision, sumAvailableReplicas, sumReplicas,
} from './util.ts';

export interface DeploymentStore {
  deployment: SimDeployment;
  replicaSets: SimReplicaSet[];
  pods: SimPod[];
}

export interface ControllerEvent {
  timeMs: number;
  reason: string;
  message: string;
}

/** Names new objects deterministically (the sim's stand-in for generateName and the template hash). */
export interface NameSource {
  templateHash(image: string): string;
  uid(): string;
}

export interface Ctx {
  store: DeploymentStore;
  nowMs: number;
  names: NameSource;
  events: ControllerEvent[];
}

function event(ctx: Ctx, reason: string, message: string): void {
  ctx.events.push({ timeMs: ctx.nowMs, reason, message });
}

/** Upstream FindNewReplicaSet: the oldest set whose template equals the Deployment's. */
function findNewReplicaSet(ctx: Ctx): SimReplicaSet | undefined {
  const d = ctx.store.deployment;
  return [...ctx.store.replicaSets].sort(byCreation).find((rs) => rs.template.image === d.template.image);
}

/** Upstream scaleReplicaSetAndRecordEvent + scaleReplicaSet; returns whether spec.replicas changed. */
function scaleReplicaSet(ctx: Ctx, rs: SimReplicaSet, newScale: number): boolean {
  if (rs.replicas === newScale) return false;
  const d = ctx.store.deployment;
  const direction = rs.replicas < newScale ? 'up' : 'down';
  event(ctx, 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.name} from ${rs.replicas} to ${newScale}`);
  rs.replicas = newScale;
  rs.annotations[DESIRED_REPLICAS_ANNOTATION] = String(d.replicas);
  rs.annotations[MAX_REPLICAS_ANNOTATION] = String(d.replicas + maxSurgeOf(d));
  return true;
}

/** Upstream getAllReplicaSetsAndSyncRevision / getNewReplicaSet. */
function getAllReplicaSetsAndSyncRevision(ctx: Ctx, createIfNotExisted: boolean): { newRS: SimReplicaSet | undefined; oldRSs: SimReplicaSet[] } {
  const d = ctx.store.deployment;
  const existing = findNewReplicaSet(ctx);
  const oldRSs = ctx.store.replicaSets.filter((rs) => rs !== existing);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    if (setNewReplicaSetRevision(existing, newRevision)) return { newRS: existing, oldRSs };
    d.annotations[REVISION_ANNOTATION] = existing.annotations[REVISION_ANNOTATION] ?? '0';
    if (d.progressDeadlineSeconds !== null && !getCondition(d.status, 'Progressing')) {
      setCondition(d.status, newCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${existing.name}"`, ctx.nowMs));
    }
    return { newRS: existing, oldRSs };
  }
  if (!createIfNotExisted) return { newRS: undefined, oldRSs };
  const hash = ctx.names.templateHash(d.template.image);
  const rs: SimReplicaSet = {
    name: `${d.name}-${hash}`,
    uid: ctx.names.uid(),
    creationMs: ctx.nowMs,
    replicas: 0,
    template: { ...d.template },
    templateHash: hash,
    annotations: {},
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
  rs.replicas = newRSNewReplicas(d, sumReplicas(oldRSs), 0);
  setNewReplicaSetRevision(rs, newRevision);
  rs.annotations[DESIRED_REPLICAS_ANNOTATION] = String(d.replicas);
  rs.annotations[MAX_REPLICAS_ANNOTATION] = String(d.replicas + maxSurgeOf(d));
  ctx.store.replicaSets.push(rs);
  event(ctx, 'ScalingReplicaSet', `Scaled up replica set ${rs.name} from 0 to ${rs.replicas}`);
  if (d.progressDeadlineSeconds !== null) {
    setCondition(d.status, newCondition('Progressing', 'True', NEW_REPLICA_SET_REASON, `Created new replica set "${rs.name}"`, ctx.nowMs));
  }
  d.annotations[REVISION_ANNOTATION] = String(newRevision);
  return { newRS: rs, oldRSs };
}

/** Upstream isScalingEvent: an active set was last sized for a different spec.replicas. */
function isScalingEvent(ctx: Ctx): boolean {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, false);
  const all = newRS ? [...oldRSs, newRS] : oldRSs;
  return filterActive(all).some((rs) => {
    const desired = rs.annotations[DESIRED_REPLICAS_ANNOTATION];
    return desired !== undefined && Number(desired) !== ctx.store.deployment.replicas;
  });
}

/** Upstream scale(): proportional scaling when spec.replicas changes mid-rollout. */
function scale(ctx: Ctx, newRS: SimReplicaSet | undefined, oldRSs: SimReplicaSet[]): void {
  const d = ctx.store.deployment;
  const active = filterActive(newRS ? [...oldRSs, newRS] : oldRSs);
  if (active.length <= 1) {
    // FindActiveOrLatest: the only active set, or the newest when none is active.
    const target = active[0] ?? newRS ?? [...oldRSs].sort(byCreation).at(-1);
    if (target) scaleReplicaSet(ctx, target, d.replicas);
    return;
  }
  if (newRS && newRS.replicas === d.replicas && newRS.status.availableReplicas === d.replicas) {
    for (const rs of oldRSs) scaleReplicaSet(ctx, rs, 0); // IsSaturated
    return;
  }
  if (d.strategy.type !== 'RollingUpdate') return;
  const allowedSize = d.replicas > 0 ? d.replicas + maxSurgeOf(d) : 0;
  const toAdd = allowedSize - sumReplicas(active);
  // ReplicaSetsBySizeNewer (adding) / BySizeOlder (removing): larger first.
  const sorted = [...active].sort((a, b) => b.replicas - a.replicas || (toAdd > 0 ? b.creationMs - a.creationMs : a.creationMs - b.creationMs));
  let added = 0;
  const sizes = new Map<SimReplicaSet, number>();
  for (const rs of sorted) {
    const proportion = toAdd !== 0 ? getProportion(rs, d, toAdd, added) : 0;
    sizes.set(rs, rs.replicas + proportion);
    added += proportion;
  }
  sorted.forEach((rs, i) => {
    let size = sizes.get(rs)!;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    scaleReplicaSet(ctx, rs, size);
  });
}

/** Upstream cleanupDeployment: keep at most revisionHistoryLimit old, empty sets. */
function cleanupDeployment(ctx: Ctx, oldRSs: SimReplicaSet[]): void {
  const d = ctx.store.deployment;
  const diff = oldRSs.length - d.revisionHistoryLimit;
  if (diff <= 0) return;
  const byRevision = [...oldRSs].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of byRevision.slice(0, diff)) {
    if (rs.status.replicas !== 0 || rs.replicas !== 0) continue;
    ctx.store.replicaSets = ctx.store.replicaSets.filter((x) => x !== rs);
    event(ctx, 'DeletedReplicaSet', `Deleted old replica set ${rs.name} (revision ${revisionOf(rs)}; revisionHistoryLimit ${d.revisionHistoryLimit})`);
  }
}

/** Upstream syncRolloutStatus (progress.go): status counts, Progressing and Available conditions. */
function syncRolloutStatus(ctx: Ctx, allRSs: SimReplicaSet[], newRS: SimReplicaSet | undefined): void {
  const d = ctx.store.deployment;
  const s = calculateStatus(d, allRSs, newRS, ctx.nowMs);
  if (d.progressDeadlineSeconds === null) removeCondition(s, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const isComplete = s.replicas === s.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (d.progressDeadlineSeconds !== null && !isComplete) {
    if (deploymentComplete(d, s)) {
      setCondition(s, newCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, `ReplicaSet "${newRS?.name}" has successfully progressed.`, ctx.nowMs));
    } else if (deploymentProgressing(d, s)) {
      const cond = newCondition('Progressing', 'True', REPLICA_SET_UPDATED_REASON, `ReplicaSet "${newRS?.name}" is progressing.`, ctx.nowMs);
      if (current) {
        if (current.status === 'True') cond.lastTransitionMs = current.lastTransitionMs;
        removeCondition(s, 'Progressing');
      }
      setCondition(s, cond);
    } else if (deploymentTimedOut(d, s, ctx.nowMs)) {
      const before = getCondition(s, 'Progressing')?.reason;
      setCondition(s, newCondition('Progressing', 'False', TIMED_OUT_REASON, `ReplicaSet "${newRS?.name}" has timed out progressing.`, ctx.nowMs));
      if (before !== TIMED_OUT_REASON) event(ctx, 'ProgressDeadlineExceeded', `Deployment "${d.name}" exceeded its progress deadline (${d.progressDeadlineSeconds}s)`);
    }
  }
  d.status = s;
}

/** Upstream reconcileOldReplicaSets with cleanupUnhealthyReplicas and scaleDownOldReplicaSetsForRollingUpdate. */
export function reconcileOldReplicaSets(ctx: Ctx, allRSs: SimReplicaSet[], oldRSs: SimReplicaSet[], newRS: SimReplicaSet): boolean {
  const d = ctx.store.deployment;
  const oldPodsCount = sumReplicas(oldRSs);
  if (oldPodsCount === 0) return false;
  const allPodsCount = sumReplicas(allRSs);
  const minAvailable = d.replicas - maxUnavailableOf(d);
  const newRSUnavailablePodCount = newRS.replicas - newRS.status.availableReplicas;
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
  if (maxScaledDown <= 0) return false;

  // Clean up unhealthy replicas first, otherwise they would block the rollout.
  let cleanupCount = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (cleanupCount >= maxScaledDown) break;
    if (rs.replicas === 0 || rs.replicas === rs.status.availableReplicas) continue;
    const scaledDownCount = Math.min(maxScaledDown - cleanupCount, rs.replicas - rs.status.availableReplicas);
    scaleReplicaSet(ctx, rs, rs.replicas - scaledDownCount);
    cleanupCount += scaledDownCount;
  }

  // Scale down old sets while staying at or above minAvailable.
  let scaledDown = 0;
  const availablePodCount = sumAvailableReplicas(allRSs);
  if (availablePodCount > minAvailable) {
    const totalScaleDownCount = availablePodCount - minAvailable;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (scaledDown >= totalScaleDownCount) break;
      if (rs.replicas === 0) continue;
      const count = Math.min(rs.replicas, totalScaleDownCount - scaledDown);
      scaleReplicaSet(ctx, rs, rs.replicas - count);
      scaledDown += count;
    }
  }
  return cleanupCount + scaledDown > 0;
}

/** Upstream reconcileNewReplicaSet. */
export function reconcileNewReplicaSet(ctx: Ctx, allRSs: SimReplicaSet[], newRS: SimReplicaSet): boolean {
  const d = ctx.store.deployment;
  if (newRS.replicas === d.replicas) return false;
  if (newRS.replicas > d.replicas) return scaleReplicaSet(ctx, newRS, d.replicas);
  return scaleReplicaSet(ctx, newRS, newRSNewReplicas(d, sumReplicas(allRSs), newRS.replicas));
}

function rolloutRolling(ctx: Ctx): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, true);
  const allRSs = [...oldRSs, newRS!];
  if (reconcileNewReplicaSet(ctx, allRSs, newRS!)) return syncRolloutStatus(ctx, allRSs, newRS);
  if (reconcileOldReplicaSets(ctx, allRSs, filterActive(oldRSs), newRS!)) return syncRolloutStatus(ctx, allRSs, newRS);
  if (deploymentComplete(ctx.store.deployment, ctx.store.deployment.status)) cleanupDeployment(ctx, oldRSs);
  syncRolloutStatus(ctx, allRSs, newRS);
}

function rolloutRecreate(ctx: Ctx): void {
  let { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, false);
  let allRSs = newRS ? [...oldRSs, newRS] : oldRSs;
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) scaledDown = scaleReplicaSet(ctx, rs, 0) || scaledDown;
  if (scaledDown) return syncRolloutStatus(ctx, allRSs, newRS);
  // oldPodsRunning: any old pod still counted, or any old pod not yet gone (terminating pods count).
  const oldNames = new Set(oldRSs.map((rs) => rs.name));
  const oldRunning = oldRSs.some((rs) => rs.status.replicas > 0) || ctx.store.pods.some((p) => oldNames.has(p.owner) && p.phase !== 'Failed' && p.phase !== 'Succeeded');
  if (oldRunning) return syncRolloutStatus(ctx, allRSs, newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, true));
    allRSs = [...oldRSs, newRS!];
  }
  scaleReplicaSet(ctx, newRS!, ctx.store.deployment.replicas);
  if (deploymentComplete(ctx.store.deployment, ctx.store.deployment.status)) cleanupDeployment(ctx, oldRSs);
  syncRolloutStatus(ctx, allRSs, newRS);
}

/**
 * Upstream syncDeployment for one Deployment. Paused or scaling-event syncs only
 * rescale (proportionally); otherwise roll out with the configured strategy.
 */
export function syncDeployment(store: DeploymentStore, nowMs: number, names: NameSource): ControllerEvent[] {
  const ctx: Ctx = { store, nowMs, names, events: [] };
  const d = store.deployment;
  if (d.paused || isScalingEvent(ctx)) {
    const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, false);
    scale(ctx, newRS, oldRSs);
    if (d.paused) cleanupDeployment(ctx, oldRSs);
    const all = newRS ? [...oldRSs, newRS] : oldRSs;
    d.status = calculateStatus(d, all, newRS, nowMs);
    return ctx.events;
  }
  if (d.strategy.type === 'Recreate') rolloutRecreate(ctx);
  else rolloutRolling(ctx);
  return ctx.events;
}
