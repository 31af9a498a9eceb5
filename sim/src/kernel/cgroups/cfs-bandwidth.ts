/**
 * CPU sharing and CFS bandwidth control for sibling cgroups on one machine.
 * Backs Layer 1 "cgroup v2: CPU" (cpu.weight under contention, cpu.max
 * throttling, cpu.stat).
 *
 * Upstream followed: Linux 6.12 kernel/sched/fair.c — __refill_cfs_bandwidth_runtime
 * (refill to quota each period, carry over at most `burst`, nr_bursts /
 * burst_time accounting), throttle_cfs_rq / unthrottle_cfs_rq (throttled time
 * accrues per throttled per-CPU run queue), do_sched_cfs_period_timer
 * (nr_periods and nr_throttled count period-timer expiries while the group is
 * active / throttled); kernel/sched/core.c cpu_extra_stat_show for the
 * cpu.stat fields; cgroup-v2.rst for the weight semantics.
 *
 * Model, and where it is simpler than the kernel:
 *  - Time is integer µs. The machine has `cpus` identical CPUs; each cgroup
 *    runs `busyThreads` threads that always want a CPU.
 *  - Sharing is ideal weighted fair sharing (the fluid limit the CFS/EEVDF
 *    pick and load balancing approximate): capacity is split in proportion to
 *    cpu.weight, a cgroup never gets more CPUs than it has runnable threads,
 *    and whatever one cannot use is shared among the rest (work-conserving).
 *  - Bandwidth: one runtime pool per cgroup, refilled to quota at each of its
 *    period boundaries (all timers start at t = 0). The kernel hands runtime to
 *    per-CPU run queues in 5 ms slices (sched_cfs_bandwidth_slice_us); that
 *    slack is not modelled, so a group stops exactly when its pool is empty.
 *  - throttled_usec adds, for each throttled interval, its length times the
 *    number of per-CPU run queues the group is queued on, min(threads, cpus),
 *    as the kernel sums per-cfs_rq throttled time.
 * Invariant (checked): usage within any period ≤ quota + carried burst.
 */
import { invariant } from '../../core/invariant.ts';
import type { CpuMax } from './cpu-files.ts';

export interface CpuGroupSpec {
  name: string;
  weight: number;
  max: CpuMax;
  burstUs: number;
  busyThreads: number;
}

/** The cpu.stat file of a cgroup (all µs values truncated to integers like the kernel's). */
export interface CpuStat {
  usage_usec: number;
  user_usec: number;
  system_usec: number;
  nr_periods: number;
  nr_throttled: number;
  throttled_usec: number;
  nr_bursts: number;
  burst_usec: number;
}

export interface CpuBucket {
  /** CPUs in use on average over the bucket, per group (same order as the input). */
  cpus: number[];
  /** Fraction of the bucket each group spent throttled (0..1). */
  throttled: number[];
}

export interface PeriodRecord {
  group: string;
  index: number;
  startUs: number;
  usedUs: number;
  throttledAtUs: number | null;
}

export interface CfsRunResult {
  durationUs: number;
  cpus: number;
  bucketUs: number;
  stats: CpuStat[];
  buckets: CpuBucket[];
  periods: PeriodRecord[];
}

interface GroupState {
  spec: CpuGroupSpec;
  runtimeUs: number;
  runtimeSnapUs: number;
  throttled: boolean;
  throttledSinceUs: number;
  usageUs: number;
  throttledUs: number;
  nrPeriods: number;
  nrThrottled: number;
  nrBursts: number;
  burstUs: number;
  periodIndex: number;
  periodStartUs: number;
  periodUsedUs: number;
  periodThrottledAt: number | null;
}

const EPS = 1e-6;

/**
 * Weighted fair split of `cpus` CPUs among groups demanding `demand[i]` CPUs
 * (water-filling). Returns the CPUs each gets; sum ≤ cpus, each ≤ demand.
 * Backs the prose claim "under contention CPU time is split in proportion to cpu.weight".
 */
export function fairShare(cpus: number, weights: number[], demand: number[]): number[] {
  const out = demand.map(() => 0);
  let active = demand.map((d, i) => (d > 0 ? i : -1)).filter((i) => i >= 0);
  let left = cpus;
  while (active.length > 0 && left > EPS) {
    const totalWeight = active.reduce((s, i) => s + weights[i]!, 0);
    const capped = active.filter((i) => demand[i]! - out[i]! <= (left * weights[i]!) / totalWeight + EPS);
    if (capped.length === 0) {
      for (const i of active) out[i] = out[i]! + (left * weights[i]!) / totalWeight;
      left = 0;
      break;
    }
    for (const i of capped) {
      left -= demand[i]! - out[i]!;
      out[i] = demand[i]!;
    }
    active = active.filter((i) => !capped.includes(i));
  }
  return out;
}

export function simulateCfs(groups: CpuGroupSpec[], cpus: number, durationUs: number, bucketUs: number): CfsRunResult {
  invariant(cpus >= 1 && durationUs > 0 && bucketUs > 0, 'bad cfs run parameters');
  const st: GroupState[] = groups.map((spec) => ({
    spec,
    runtimeUs: spec.max.quotaUs ?? Infinity,
    runtimeSnapUs: spec.max.quotaUs ?? Infinity,
    throttled: false,
    throttledSinceUs: 0,
    usageUs: 0,
    throttledUs: 0,
    nrPeriods: 0,
    nrThrottled: 0,
    nrBursts: 0,
    burstUs: 0,
    periodIndex: 0,
    periodStartUs: 0,
    periodUsedUs: 0,
    periodThrottledAt: null,
  }));
  const nBuckets = Math.ceil(durationUs / bucketUs);
  const bucketCpuUs = Array.from({ length: nBuckets }, () => groups.map(() => 0));
  const bucketThrottledUs = Array.from({ length: nBuckets }, () => groups.map(() => 0));
  const periods: PeriodRecord[] = [];

  // Spread an interval's usage / throttling over the buckets it overlaps.
  const addToBuckets = (target: number[][], g: number, fromUs: number, toUs: number, rate: number) => {
    let t = fromUs;
    while (t < toUs - EPS) {
      const b = Math.min(Math.floor(t / bucketUs), nBuckets - 1);
      const end = Math.min(toUs, (b + 1) * bucketUs);
      target[b]![g] = target[b]![g]! + (end - t) * rate;
      t = end;
    }
  };
  const queuedRqs = (s: GroupState) => Math.min(s.spec.busyThreads, cpus);

  let now = 0;
  while (now < durationUs - EPS) {
    // Rates for this interval.
    const demand = st.map((s) => (s.throttled ? 0 : Math.min(s.spec.busyThreads, cpus)));
    const rates = fairShare(cpus, st.map((s) => s.spec.weight), demand);
    // Next event: a period boundary, a pool running dry, or the end.
    let next = durationUs;
    st.forEach((s, i) => {
      if (s.spec.max.quotaUs !== null) next = Math.min(next, s.periodStartUs + s.spec.max.periodUs);
      if (!s.throttled && rates[i]! > EPS && Number.isFinite(s.runtimeUs)) next = Math.min(next, now + s.runtimeUs / rates[i]!);
    });
    const dt = next - now;
    st.forEach((s, i) => {
      const used = rates[i]! * dt;
      if (used > 0) {
        s.usageUs += used;
        s.periodUsedUs += used;
        if (Number.isFinite(s.runtimeUs)) s.runtimeUs -= used;
        addToBuckets(bucketCpuUs, i, now, next, rates[i]!);
      }
      if (s.throttled) addToBuckets(bucketThrottledUs, i, now, next, 1);
    });
    now = next;
    st.forEach((s) => {
      // A pool that runs dry exactly at a period boundary is refilled first (no throttle).
      const atBoundary = s.spec.max.quotaUs !== null && now >= s.periodStartUs + s.spec.max.periodUs - EPS;
      if (!atBoundary && !s.throttled && Number.isFinite(s.runtimeUs) && s.runtimeUs <= EPS && s.spec.busyThreads > 0) {
        s.runtimeUs = 0;
        s.throttled = true;
        s.throttledSinceUs = now;
        s.periodThrottledAt = now;
      }
      const max = s.spec.max;
      if (max.quotaUs !== null && now >= s.periodStartUs + max.periodUs - EPS) {
        // Period timer expiry: do_sched_cfs_period_timer → __refill_cfs_bandwidth_runtime.
        const quota = max.quotaUs;
        invariant(s.periodUsedUs <= quota + s.spec.burstUs + 1e-3, `${s.spec.name} used ${s.periodUsedUs}µs in a period with quota ${quota}+${s.spec.burstUs}`);
        const active = s.spec.busyThreads > 0;
        if (active) s.nrPeriods += 1;
        if (s.throttled) {
          s.nrThrottled += 1;
          s.throttledUs += (now - s.throttledSinceUs) * queuedRqs(s);
          s.throttled = false;
        }
        periods.push({ group: s.spec.name, index: s.periodIndex, startUs: s.periodStartUs, usedUs: s.periodUsedUs, throttledAtUs: s.periodThrottledAt });
        s.runtimeUs += quota;
        const burstUsed = s.runtimeSnapUs - s.runtimeUs;
        if (burstUsed > EPS) {
          s.burstUs += burstUsed;
          s.nrBursts += 1;
        }
        s.runtimeUs = Math.min(s.runtimeUs, quota + s.spec.burstUs);
        s.runtimeSnapUs = s.runtimeUs;
        s.periodIndex += 1;
        s.periodStartUs += max.periodUs;
        s.periodUsedUs = 0;
        s.periodThrottledAt = null;
      }
    });
  }
  // Close intervals still open at the end of the run.
  st.forEach((s) => {
    if (s.throttled) s.throttledUs += (durationUs - s.throttledSinceUs) * queuedRqs(s);
  });

  const stats: CpuStat[] = st.map((s) => {
    const usage = Math.round(s.usageUs);
    return {
      usage_usec: usage,
      user_usec: usage,
      system_usec: 0,
      nr_periods: s.nrPeriods,
      nr_throttled: s.nrThrottled,
      throttled_usec: Math.round(s.throttledUs),
      nr_bursts: s.nrBursts,
      burst_usec: Math.round(s.burstUs),
    };
  });
  const buckets: CpuBucket[] = bucketCpuUs.map((row, b) => {
    const len = Math.min(bucketUs, durationUs - b * bucketUs);
    return { cpus: row.map((u) => u / len), throttled: bucketThrottledUs[b]!.map((u) => Math.min(1, u / len)) };
  });
  return { durationUs, cpus, bucketUs, stats, buckets, periods };
}
