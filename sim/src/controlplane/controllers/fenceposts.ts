/**
 * maxSurge / maxUnavailable resolution.
 * Upstream: pkg/controller/deployment/util/deployment_util.go (v1.34)
 * `ResolveFenceposts`, `MaxSurge`, `MaxUnavailable`, `NewRSNewReplicas`;
 * defaults from pkg/apis/apps/v1/defaults.go `SetDefaults_Deployment`
 * (maxSurge and maxUnavailable default to "25%").
 *
 * Invariant: surge ≥ 0 and unavailable ≥ 0 for valid input, and never both 0
 * (the "both-zero guard": rounding maxUnavailable down may give 0 even when the
 * user wrote e.g. "1%", so upstream forces unavailable = 1 so the rollout can
 * make progress even if surge pods cannot be created because of quota).
 */
import type { SimError } from '../../core/result.ts';
import { getScaledValueFromIntOrPercent, type IntOrString } from './intstr.ts';
import type { SimDeployment } from './types.ts';

/** The apps/v1 default for both fields. */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';

/**
 * Result of resolving the fenceposts. On invalid input `error` is set and, as
 * upstream returns `(0, 0, err)`, surge and unavailable are both 0. It never throws.
 */
export interface Fenceposts {
  surge: number;
  unavailable: number;
  error?: SimError;
}

/**
 * Upstream `ResolveFenceposts` exactly, on already-defaulted values: `undefined`
 * (a nil pointer in Go) counts as 0 here. Percent surge rounds up, percent
 * unavailable rounds down, both-zero → unavailable = 1.
 */
export function resolveFencepostsUndefaulted(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desiredReplicas: number): Fenceposts {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desiredReplicas, true);
  if (!surge.ok) return { surge: 0, unavailable: 0, error: { ...surge.error, path: 'spec.strategy.rollingUpdate.maxSurge' } };
  const unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desiredReplicas, false);
  if (!unavailable.ok) return { surge: 0, unavailable: 0, error: { ...unavailable.error, path: 'spec.strategy.rollingUpdate.maxUnavailable' } };
  if (surge.value === 0 && unavailable.value === 0) return { surge: 0, unavailable: 1 };
  return { surge: surge.value, unavailable: unavailable.value };
}

/**
 * maxSurge / maxUnavailable of a Deployment as the controller sees them after
 * API defaulting: `undefined` means the default "25%" (what the apiserver
 * stores when the field is omitted), then upstream ResolveFenceposts.
 * Invalid strings (e.g. "oops", or "5" without '%') give `{surge: 0,
 * unavailable: 0, error}` with `error.code === 'FIELD_INVALID'` and `error.path`
 * naming the field. Backs the chapter's rolling-update section.
 */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desiredReplicas: number): Fenceposts {
  return resolveFencepostsUndefaulted(maxSurge ?? DEFAULT_MAX_SURGE, maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, desiredReplicas);
}

/** Upstream MaxSurge: 0 for Recreate. */
export function maxSurgeOf(d: SimDeployment): number {
  if (d.strategy.type !== 'RollingUpdate') return 0;
  return resolveFenceposts(d.strategy.maxSurge, d.strategy.maxUnavailable, d.replicas).surge;
}

/** Upstream MaxUnavailable: 0 for Recreate or 0 replicas; capped at spec.replicas. */
export function maxUnavailableOf(d: SimDeployment): number {
  if (d.strategy.type !== 'RollingUpdate' || d.replicas === 0) return 0;
  const { unavailable } = resolveFenceposts(d.strategy.maxSurge, d.strategy.maxUnavailable, d.replicas);
  return Math.min(unavailable, d.replicas);
}

/**
 * Upstream NewRSNewReplicas: how many replicas the new ReplicaSet may have now.
 * RollingUpdate: grow by at most (replicas + maxSurge − Σ spec.replicas of all
 * sets), never above spec.replicas. Recreate: spec.replicas.
 */
export function newRSNewReplicas(d: SimDeployment, allRSReplicas: number, newRSReplicas: number): number {
  if (d.strategy.type === 'Recreate') return d.replicas;
  const maxTotalPods = d.replicas + maxSurgeOf(d);
  if (allRSReplicas >= maxTotalPods) return newRSReplicas;
  const scaleUpCount = Math.min(maxTotalPods - allRSReplicas, d.replicas - newRSReplicas);
  return newRSReplicas + scaleUpCount;
}
