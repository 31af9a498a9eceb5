/**
 * Taints and tolerations, after k8s.io/api/core/v1/toleration.go
 * `ToleratesTaint` and pkg/apis/core/v1/helper/helpers.go
 * `FindMatchingUntoleratedTaint` / `TolerationsTolerateTaint` (Kubernetes v1.34).
 *
 * A toleration with an empty effect matches every effect; an empty key with
 * operator Exists matches every taint; operator "" means Equal.
 */
import type { Taint, Toleration } from '../../../api/objects.ts';

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** NoSchedule and NoExecute taints are the ones Filter enforces (upstream DoNotScheduleTaintsFilterFunc). */
export function isDoNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/** The first taint passing `filter` that no toleration tolerates, or null. */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  filter: (t: Taint) => boolean,
): Taint | null {
  for (const taint of taints) {
    if (!filter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return null;
}
