/**
 * upstream pkg/scheduler/framework/plugins/helper/normalize_score.go
 * `DefaultNormalizeScore` (Kubernetes v1.34): scale raw scores so the highest
 * becomes `maxPriority` (integer division), optionally reversed. When every
 * score is 0 the reversed variant gives everyone `maxPriority`.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let maxCount = 0;
  for (const s of scores) if (s > maxCount) maxCount = s;
  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]!) / maxCount);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}

/**
 * a*b/c with Go int64 semantics (truncation toward zero), exact even when
 * a*b exceeds 2^53 (memory in bytes × 100 can).
 */
export function mulDivInt64(a: number, b: number, c: number): number {
  const p = a * b;
  if (Number.isSafeInteger(p)) return Math.trunc(p / c);
  return Number((BigInt(Math.trunc(a)) * BigInt(Math.trunc(b))) / BigInt(Math.trunc(c)));
}
