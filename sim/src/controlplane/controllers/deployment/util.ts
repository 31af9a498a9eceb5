/**
 * Deployment helpers.
 * Upstream: pkg/controller/deployment/util/deployment_util.go (v1.34):
 * RevisionAnnotation & friends, MaxRevision, LastRevision, SetNewReplicaSetAnnotations
 * (revision-history), GetProportion / getReplicaSetFraction, DeploymentComplete,
 * DeploymentProgressing, DeploymentTimedOut, SetDeploymentCondition;
 * pkg/controller/deployment/sync.go calculateStatus.
 */
import type { DeploymentCondition, DeploymentStatus, SimDeployment, SimReplicaSet } from '../types.ts';
import { maxSurgeOf, maxUnavailableOf } from '../fenceposts.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

// Condition reasons (deployment_util.go constants).
export const NEW_REPLICA_SET_REASON = 'NewReplicaSetCreated';
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
export const REPLICA_SET_UPDATED_REASON = 'ReplicaSetUpdated';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

/** Revision of a set (0 when absent or unparsable, which upstream skips). */
export function revisionOf(rs: SimReplicaSet): number {
  const v = rs.annotations[REVISION_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  return Number(v);
}

export function maxRevision(sets: readonly SimReplicaSet[]): number {
  return sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** Second-highest revision: what `kubectl rollout undo` (toRevision 0) goes back to. */
export function lastRevision(sets: readonly SimReplicaSet[]): number {
  let max = 0;
  let secMax = 0;
  for (const rs of sets) {
    const v = revisionOf(rs);
    if (v >= max) {
      secMax = max;
      max = v;
    } else if (v > secMax) secMax = v;
  }
  return secMax;
}

/**
 * Give the new set revision `newRevision` if its own is lower; when it already
 * had one (a rollback re-uses an old set) keep the old number in
 * deployment.kubernetes.io/revision-history. Upstream limit: 2 MiB of history text.
 */
export function setNewReplicaSetRevision(rs: SimReplicaSet, newRevision: number): boolean {
  const old = rs.annotations[REVISION_ANNOTATION];
  const oldInt = old === undefined ? 0 : Number(old);
  if (!(oldInt < newRevision)) return false;
  rs.annotations[REVISION_ANNOTATION] = String(newRevision);
  if (old !== undefined) {
    const history = rs.annotations[REVISION_HISTORY_ANNOTATION];
    rs.annotations[REVISION_HISTORY_ANNOTATION] = history ? `${history},${old}` : old;
  }
  return true;
}

export function sumReplicas(sets: readonly SimReplicaSet[]): number {
  return sets.reduce((s, rs) => s + rs.replicas, 0);
}
export function sumActualReplicas(sets: readonly SimReplicaSet[]): number {
  return sets.reduce((s, rs) => s + rs.status.replicas, 0);
}
export function sumReadyReplicas(sets: readonly SimReplicaSet[]): number {
  return sets.reduce((s, rs) => s + rs.status.readyReplicas, 0);
}
export function sumAvailableReplicas(sets: readonly SimReplicaSet[]): number {
  return sets.reduce((s, rs) => s + rs.status.availableReplicas, 0);
}

/** Upstream controller.FilterActiveReplicaSets: sets with spec.replicas > 0. */
export function filterActive(sets: readonly SimReplicaSet[]): SimReplicaSet[] {
  return sets.filter((rs) => rs.replicas > 0);
}

/** Oldest first, ties by name (upstream ReplicaSetsByCreationTimestamp). */
export function byCreation(a: SimReplicaSet, b: SimReplicaSet): number {
  return a.creationMs - b.creationMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function getCondition(status: DeploymentStatus, type: DeploymentCondition['type']): DeploymentCondition | undefined {
  return status.conditions.find((c) => c.type === type);
}

/** Upstream SetDeploymentCondition: no-op if status and reason are unchanged; keeps lastTransition if status is unchanged. */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  if (current && current.status === cond.status) cond = { ...cond, lastTransitionMs: current.lastTransitionMs };
  status.conditions = [...status.conditions.filter((c) => c.type !== cond.type), cond];
}

export function removeCondition(status: DeploymentStatus, type: DeploymentCondition['type']): void {
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

export function newCondition(type: DeploymentCondition['type'], status: DeploymentCondition['status'], reason: string, message: string, nowMs: number): DeploymentCondition {
  return { type, status, reason, message, lastUpdateMs: nowMs, lastTransitionMs: nowMs };
}

/** Upstream calculateStatus (sync.go). */
export function calculateStatus(d: SimDeployment, allRSs: readonly SimReplicaSet[], newRS: SimReplicaSet | undefined, nowMs: number): DeploymentStatus {
  const availableReplicas = sumAvailableReplicas(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.generation,
    replicas: sumActualReplicas(allRSs),
    updatedReplicas: newRS ? newRS.status.replicas : 0,
    readyReplicas: sumReadyReplicas(allRSs),
    availableReplicas,
    unavailableReplicas: Math.max(0, d.replicas - availableReplicas),
    conditions: d.status.conditions.map((c) => ({ ...c })),
  };
  if (availableReplicas >= d.replicas - maxUnavailableOf(d)) {
    setCondition(status, newCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** Upstream DeploymentComplete. */
export function deploymentComplete(d: SimDeployment, s: DeploymentStatus): boolean {
  return s.updatedReplicas === d.replicas && s.replicas === d.replicas && s.availableReplicas === d.replicas && s.observedGeneration >= d.generation;
}

/** Upstream DeploymentProgressing: more updated, fewer old, more ready or more available pods than last time. */
export function deploymentProgressing(d: SimDeployment, s: DeploymentStatus): boolean {
  const oldStatusOld = d.status.replicas - d.status.updatedReplicas;
  const newStatusOld = s.replicas - s.updatedReplicas;
  return s.updatedReplicas > d.status.updatedReplicas || newStatusOld < oldStatusOld || s.readyReplicas > d.status.readyReplicas || s.availableReplicas > d.status.availableReplicas;
}

/** Upstream DeploymentTimedOut: lastUpdateTime + progressDeadlineSeconds is strictly before now. */
export function deploymentTimedOut(d: SimDeployment, s: DeploymentStatus, nowMs: number): boolean {
  if (d.progressDeadlineSeconds === null || d.progressDeadlineSeconds === 2147483647) return false;
  const cond = getCondition(s, 'Progressing');
  if (!cond) return false;
  if (cond.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (cond.reason === TIMED_OUT_REASON) return true;
  return cond.lastUpdateMs + d.progressDeadlineSeconds * 1000 < nowMs;
}

/** Upstream getReplicaSetFraction: this set's share of a scaling event (round half away from zero). */
function replicaSetFraction(rs: SimReplicaSet, d: SimDeployment): number {
  if (d.replicas === 0) return -rs.replicas;
  const deploymentReplicas = d.replicas + maxSurgeOf(d);
  const annotated = rs.annotations[MAX_REPLICAS_ANNOTATION];
  const annotatedReplicas = annotated !== undefined && /^\d+$/.test(annotated) ? Number(annotated) : d.status.replicas;
  const newSize = (rs.replicas * deploymentReplicas) / annotatedReplicas;
  const rounded = Math.sign(newSize) * Math.round(Math.abs(newSize));
  return rounded - rs.replicas;
}

/** Upstream GetProportion: how many replicas `rs` gains (or loses) in a proportional scale. */
export function getProportion(rs: SimReplicaSet, d: SimDeployment, toAdd: number, added: number): number {
  if (rs.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
