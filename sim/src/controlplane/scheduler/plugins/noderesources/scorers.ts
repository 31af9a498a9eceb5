/**
 * The per-resource-vector scoring formulas of NodeResourcesFit and
 * NodeResourcesBalancedAllocation, after
 * pkg/scheduler/framework/plugins/noderesources/{least_allocated.go,
 * most_allocated.go, requested_to_capacity_ratio.go, balanced_allocation.go}
 * and plugins/helper/shape_score.go (Kubernetes v1.34).
 *
 * Vectors are parallel: requested[i], allocatable[i], weights[i] belong to
 * the i-th resource of the configured list. A resource whose allocatable is 0
 * is skipped (not counted in the weight sum). Integer results use Go int64
 * division (truncation); BalancedAllocation uses float64 then truncates, as
 * upstream's int64((1 - std) * MaxNodeScore).
 */
import { MaxCustomPriorityScore, MaxNodeScore } from '../../framework/interface.ts';
import { mulDivInt64 } from '../../framework/normalize.ts';

/** ((capacity - requested) * MaxNodeScore) / capacity; 0 when requested > capacity or capacity is 0. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return mulDivInt64(capacity - requested, MaxNodeScore, capacity);
}

/** (requested * MaxNodeScore) / capacity, with requested capped at capacity (pods without requests get minimum values). */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return mulDivInt64(requested, MaxNodeScore, capacity);
}

function weightedAverage(requested: readonly number[], allocatable: readonly number[], weights: readonly number[], f: (r: number, c: number) => number): number {
  let nodeScore = 0;
  let weightSum = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const w = weights[i] ?? 1;
    nodeScore += f(requested[i]!, allocatable[i]!) * w;
    weightSum += w;
  }
  if (weightSum === 0) return 0;
  return Math.trunc(nodeScore / weightSum);
}

/** LeastAllocated (the default NodeResourcesFit strategy): favours emptier nodes — spreading. */
export function leastAllocatedScore(requested: number[], allocatable: number[], weights: number[]): number {
  return weightedAverage(requested, allocatable, weights, leastRequestedScore);
}

/** MostAllocated: favours fuller nodes — bin packing. */
export function mostAllocatedScore(requested: number[], allocatable: number[], weights: number[]): number {
  return weightedAverage(requested, allocatable, weights, mostRequestedScore);
}

/**
 * BalancedAllocation: 1 minus the standard deviation of the requested
 * fractions, scaled to MaxNodeScore. With two resources the std is
 * |f0 - f1| / 2; with more, sqrt(Σ(f - mean)² / n); with one, 0. Fractions
 * are capped at 1.
 */
export function balancedAllocationScore(requested: number[], allocatable: number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    let f = requested[i]! / allocatable[i]!;
    if (f > 1) f = 1;
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MaxNodeScore);
}

/** A point of a RequestedToCapacityRatio shape: utilization in [0, 100], score in [0, MaxCustomPriorityScore]. */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/** upstream helper.BuildBrokenLinearFunction over points already scaled to MaxNodeScore. */
export function brokenLinearFunction(shape: readonly UtilizationShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i]!.utilization) {
        if (i === 0) return shape[0]!.score;
        const a = shape[i - 1]!;
        const b = shape[i]!;
        return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return shape[shape.length - 1]!.score;
  };
}

/**
 * RequestedToCapacityRatio: each resource's utilization (0–100, integer)
 * goes through the user's piecewise-linear shape (scores given 0–10, scaled
 * ×10); only positive resource scores join the weighted mean, which is
 * rounded (math.Round).
 */
export function requestedToCapacityRatioScore(requested: number[], allocatable: number[], weights: number[], shape: readonly UtilizationShapePoint[]): number {
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * (MaxNodeScore / MaxCustomPriorityScore) }));
  const raw = brokenLinearFunction(scaled);
  let nodeScore = 0;
  let weightSum = 0;
  for (let i = 0; i < requested.length; i++) {
    const capacity = allocatable[i]!;
    if (capacity === 0) continue;
    const r = requested[i]!;
    const s = r > capacity ? raw(100) : raw(mulDivInt64(r, 100, capacity));
    if (s > 0) {
      const w = weights[i] ?? 1;
      nodeScore += s * w;
      weightSum += w;
    }
  }
  if (weightSum === 0) return 0;
  return goRound(nodeScore / weightSum);
}

/** Go math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
