/**
 * Cores executing runnable threads, tick by tick (Layer 0 "CPU":
 * multicore and CPU affinity). 1 tick = 1 ms. This is the hardware view: a
 * core runs one thread at a time; a thread may only run on the cores of its
 * cpuset (sched_setaffinity(2) / cgroup `cpuset.cpus`); when more threads
 * want a core than there are cores, they take turns in time slices. The
 * kernel's real scheduler (EEVDF, weights, cpu.max quotas) is modelled in
 * sim/src/kernel/cgroups; here each core simply picks, among the runnable
 * threads allowed on it, the one whose group has had the least CPU time per
 * unit of weight (the fairness idea behind CFS's vruntime, applied to
 * cgroups as with group scheduling), then the thread of that group with the
 * least CPU time, keeping the running thread until its slice ends.
 *
 * Requests and limits, the way a container's cgroup carries them: a group's
 * weight is proportional to its CPU request (the kubelet's cpu.shares =
 * milliCPU × 1024 / 1000), and a limit becomes a quota of CPU milliseconds
 * per 100 ms period (cpu.max "quota 100000"). A group that used its quota
 * waits, throttled, until the next period even if cores are idle. The exact
 * cgroup values are worked out in Layer 1 (sim/src/node/kubelet/cm/cpu.ts
 * and sim/src/kernel/cgroups); this model keeps only their proportions.
 */
import { Prng } from '../../core/prng.ts';

export interface ThreadSpec {
  name: string;
  /** Fraction of time the thread has work (1 = always runnable). */
  demand: number;
  /** Cores the thread may run on (sorted). */
  cpuset: number[];
  /** Index into `CoresRun.groups` (default: a group of its own with weight 1024, no quota). */
  group?: number;
}

/** A cgroup as the cores see it: a weight and an optional CPU quota per period. */
export interface GroupSpec {
  /** Relative weight under contention (cpu.shares scale: 1024 per requested CPU). */
  weight: number;
  /** CPU milliseconds the group may use per period (cpu.max quota); null = unlimited. */
  quotaMs: number | null;
}

export interface CoresRun {
  cores: number;
  durationMs: number;
  sliceMs: number;
  threads: ThreadSpec[];
  groups?: GroupSpec[];
  /** cpu.max period in ms (the kernel and kubelet default 100 ms). */
  periodMs?: number;
}

export interface CoresResult {
  /** core → thread index running in each tick (-1 idle). */
  timeline: Int16Array[];
  cpuMs: number[];
  waitMs: number[];
  wantedMs: number[];
  migrations: number[];
  /** Per group: CPU ms used, ms in which it had runnable work but was throttled, and periods in which that happened (nr_throttled). */
  groupCpuMs: number[];
  groupThrottledMs: number[];
  groupNrThrottled: number[];
  groupNrPeriods: number;
}

export function simulateCores(run: CoresRun, prng: Prng): CoresResult {
  const n = run.threads.length;
  const timeline = Array.from({ length: run.cores }, () => new Int16Array(run.durationMs).fill(-1));
  const cpuMs = new Array<number>(n).fill(0);
  const waitMs = new Array<number>(n).fill(0);
  const wantedMs = new Array<number>(n).fill(0);
  const migrations = new Array<number>(n).fill(0);
  const backlog = new Array<number>(n).fill(0);
  const lastCore = new Array<number>(n).fill(-1);
  const running = new Array<number>(run.cores).fill(-1);
  const sliceLeft = new Array<number>(run.cores).fill(0);
  const groups: GroupSpec[] = run.groups ?? run.threads.map(() => ({ weight: 1024, quotaMs: null }));
  const groupOf = run.threads.map((t, i) => t.group ?? (run.groups ? 0 : i));
  const periodMs = run.periodMs ?? 100;
  const groupCpuMs = new Array<number>(groups.length).fill(0);
  const periodUsed = new Array<number>(groups.length).fill(0);
  const throttledMs = new Array<number>(groups.length).fill(0);
  const nrThrottled = new Array<number>(groups.length).fill(0);
  const throttledThisPeriod = new Array<boolean>(groups.length).fill(false);
  /** Whether group g may take one more core for this tick (quota left in the period). */
  const hasQuota = (g: number) => groups[g]!.quotaMs === null || periodUsed[g]! < groups[g]!.quotaMs!;
  const vruntime = (g: number) => groupCpuMs[g]! / groups[g]!.weight;
  const allowed = run.threads.map((t) => {
    const s = new Set(t.cpuset);
    return (c: number) => s.has(c);
  });
  for (let tick = 0; tick < run.durationMs; tick++) {
    if (tick % periodMs === 0) {
      periodUsed.fill(0);
      throttledThisPeriod.fill(false);
    }
    // Work arrives: always-busy threads stay runnable; others get 1 ms of work with probability `demand`.
    run.threads.forEach((t, i) => {
      if (t.demand >= 1) backlog[i] = 1;
      else if (prng.chance(t.demand)) backlog[i]!++;
      if (t.demand >= 1 || backlog[i]! > 0) wantedMs[i]!++;
    });
    const taken = new Array<boolean>(n).fill(false);
    for (let c = 0; c < run.cores; c++) {
      const cur = running[c]!;
      if (cur >= 0 && backlog[cur]! > 0 && sliceLeft[c]! > 0 && !taken[cur] && hasQuota(groupOf[cur]!)) {
        taken[cur] = true;
        periodUsed[groupOf[cur]!]!++;
        continue;
      }
      running[c] = -1;
    }
    for (let c = 0; c < run.cores; c++) {
      if (running[c]! >= 0) continue;
      let best = -1;
      for (let i = 0; i < n; i++) {
        if (taken[i] || backlog[i]! <= 0 || !allowed[i]!(c) || !hasQuota(groupOf[i]!)) continue;
        if (best < 0) {
          best = i;
          continue;
        }
        const dv = vruntime(groupOf[i]!) - vruntime(groupOf[best]!);
        if (dv < 0 || (dv === 0 && (cpuMs[i]! < cpuMs[best]! || (cpuMs[i] === cpuMs[best] && lastCore[i] === c && lastCore[best] !== c)))) best = i;
      }
      if (best >= 0) {
        taken[best] = true;
        periodUsed[groupOf[best]!]!++;
        running[c] = best;
        sliceLeft[c] = run.sliceMs;
      }
    }
    for (let c = 0; c < run.cores; c++) {
      const i = running[c]!;
      if (i < 0) continue;
      timeline[c]![tick] = i;
      cpuMs[i]!++;
      groupCpuMs[groupOf[i]!]!++;
      sliceLeft[c]!--;
      if (run.threads[i]!.demand < 1) backlog[i]!--;
      if (lastCore[i]! >= 0 && lastCore[i] !== c) migrations[i]!++;
      lastCore[i] = c;
    }
    const throttledNow = new Array<boolean>(groups.length).fill(false);
    for (let i = 0; i < n; i++) {
      if (backlog[i]! > 0 && !taken[i]) {
        waitMs[i]!++;
        if (!hasQuota(groupOf[i]!)) throttledNow[groupOf[i]!] = true;
      }
    }
    throttledNow.forEach((t, g) => {
      if (!t) return;
      throttledMs[g]!++;
      if (!throttledThisPeriod[g]) {
        throttledThisPeriod[g] = true;
        nrThrottled[g]!++;
      }
    });
  }
  return {
    timeline, cpuMs, waitMs, wantedMs, migrations,
    groupCpuMs, groupThrottledMs: throttledMs, groupNrThrottled: nrThrottled, groupNrPeriods: Math.ceil(run.durationMs / periodMs),
  };
}
