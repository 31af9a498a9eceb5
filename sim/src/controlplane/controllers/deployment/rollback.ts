/**
 * `kubectl rollout undo`: since apps/v1 the rollback is done by the client.
 * Upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go
 * (v1.34, DeploymentRollbacker.Rollback): find the ReplicaSet of the target
 * revision (0 = the previous one, deploymentutil.LastRevision), copy its pod
 * template into the Deployment (the controller then finds that old set as the
 * "new" one and bumps it to max revision + 1, recording the old number in
 * deployment.kubernetes.io/revision-history).
 */
import { fail, ok, simError, type Result } from '../../../core/result.ts';
import type { DeploymentStore } from './controller.ts';
import { lastRevision, revisionOf } from './util.ts';

export interface RolloutUndoResult {
  /** The revision whose template the Deployment now has. */
  toRevision: number;
  /** false when the template already matched ("skipped rollback"). */
  changed: boolean;
  message: string;
}

export function rolloutUndo(store: DeploymentStore, toRevision = 0): Result<RolloutUndoResult> {
  const target = toRevision === 0 ? lastRevision(store.replicaSets) : toRevision;
  const rs = store.replicaSets.find((x) => revisionOf(x) === target && target > 0);
  if (!rs) {
    return fail(simError('RollbackRevisionNotFound', toRevision === 0 ? 'no rollout history found for deployment' : `unable to find specified revision ${toRevision} in history`));
  }
  const d = store.deployment;
  if (rs.template.image === d.template.image) {
    return ok({ toRevision: target, changed: false, message: `skipped rollback (current template already matches revision ${target})` });
  }
  d.template = { ...rs.template };
  d.generation += 1;
  return ok({ toRevision: target, changed: true, message: `deployment.apps/${d.name} rolled back` });
}
