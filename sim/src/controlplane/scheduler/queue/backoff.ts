/**
 * Pod backoff, after pkg/scheduler/backend/queue/backoff_queue.go (Kubernetes
 * v1.34): after the n-th unschedulable attempt a pod waits
 * initial × 2^(n−1), capped at max — with the defaults 1 s, 2 s, 4 s, 8 s,
 * then 10 s forever. The clock of the sim's scheduler counts 1 tick = 1 ms.
 */

/** podInitialBackoffSeconds default (1 s) in ticks. */
export const DefaultPodInitialBackoffTicks = 1000;
/** podMaxBackoffSeconds default (10 s) in ticks. */
export const DefaultPodMaxBackoffTicks = 10_000;
/** Pods left in unschedulablePods longer than this (5 min) are retried anyway (podMaxInUnschedulablePodsDuration). */
export const DefaultPodMaxInUnschedulablePodsDurationTicks = 5 * 60 * 1000;
/** flushBackoffQCompleted runs every second, flushUnschedulablePodsLeftover every 30 s. */
export const BackoffFlushPeriodTicks = 1000;
export const UnschedulableFlushPeriodTicks = 30_000;

/** upstream calculateBackoffDuration(count): 0 for a pod never tried; else initial << (count−1), capped at max. */
export function calculateBackoffDurationTicks(count: number, initialTicks = DefaultPodInitialBackoffTicks, maxTicks = DefaultPodMaxBackoffTicks): number {
  if (count <= 0) return 0;
  const shift = count - 1;
  // Compare against max >> shift first, as upstream does, so the shift can't overflow.
  if (shift >= 31 || initialTicks > Math.floor(maxTicks / 2 ** shift)) return maxTicks;
  return initialTicks * 2 ** shift;
}
