/**
 * Invariant checker for rolling updates (STYLE habit 5: it observes the model
 * from outside). Upstream's promise (deployment_util.go NewRSNewReplicas and
 * rolling.go reconcileOldReplicaSets): during a RollingUpdate the active pods
 * never exceed spec.replicas + maxSurge, and the available pods never drop
 * below spec.replicas − maxUnavailable once the rollout starts from a
 * fully available state — as long as no available pod fails on its own.
 */
import type { RolloutPoint } from './rollout-sim.ts';

export interface RolloutViolation {
  timeSeconds: number;
  kind: 'SurgeExceeded' | 'AvailabilityBelowMinimum';
  message: string;
}

export function checkRolloutPoint(p: RolloutPoint): RolloutViolation[] {
  const out: RolloutViolation[] = [];
  if (p.totalPods > p.maxTotalPods) {
    out.push({ timeSeconds: p.timeSeconds, kind: 'SurgeExceeded', message: `${p.totalPods} pods > desired+maxSurge = ${p.maxTotalPods}` });
  }
  if (p.availablePods < p.minAvailablePods) {
    out.push({ timeSeconds: p.timeSeconds, kind: 'AvailabilityBelowMinimum', message: `${p.availablePods} available < desired−maxUnavailable = ${p.minAvailablePods}` });
  }
  return out;
}
