/**
 * Cores executing runnable threads, tick by tick (Layer 0 "CPU":
 * multicore and CPU affinity). 1 tick = 1 ms. This is the hardware view: a
 * core runs one thread at a time; a thread may only run on the cores of its
 * cpuset (sched_setaffinity(2) / cgroup `cpuset.cpus`); when more threads
 * want a core than there are cores, they take turns in time slices. The
 * kernel's real scheduler (EEVDF, weights, cpu.max quotas) is modelled in
 * sim/src/kernel/cgroups; here each core simply picks, among the runnable
 * threads allowed on it, the one that has had the least CPU time so far
 * (the fairness idea behind CFS's vruntime), keeping the running thread
 * until its slice ends.
 */
import { Prng } from '../../core/prng.ts';

export interface ThreadSpec {
  name: string;
  /** Fraction of time the thread has work (1 = always runnable). */
  demand: number;
  /** Cores the thread may run on (sorted). */
  cpuset: number[];
}

export interface CoresRun {
  cores: number;
  durationMs: number;
  sliceMs: number;
  threads: ThreadSpec[];
}

export interface CoresResult {
  /** core → thread index running in each tick (-1 idle). */
  timeline: Int16Array[];
  cpuMs: number[];
  waitMs: number[];
  wantedMs: number[];
  migrations: number[];
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
  const allowed = run.threads.map((t) => {
    const s = new Set(t.cpuset);
    return (c: number) => s.has(c);
  });
  for (let tick = 0; tick < run.durationMs; tick++) {
    // Work arrives: always-busy threads stay runnable; others get 1 ms of work with probability `demand`.
    run.threads.forEach((t, i) => {
      if (t.demand >= 1) backlog[i] = 1;
      else if (prng.chance(t.demand)) backlog[i]!++;
      if (t.demand >= 1 || backlog[i]! > 0) wantedMs[i]!++;
    });
    const taken = new Array<boolean>(n).fill(false);
    for (let c = 0; c < run.cores; c++) {
      const cur = running[c]!;
      if (cur >= 0 && backlog[cur]! > 0 && sliceLeft[c]! > 0 && !taken[cur]) {
        taken[cur] = true;
        continue;
      }
      running[c] = -1;
    }
    for (let c = 0; c < run.cores; c++) {
      if (running[c]! >= 0) continue;
      let best = -1;
      for (let i = 0; i < n; i++) {
        if (taken[i] || backlog[i]! <= 0 || !allowed[i]!(c)) continue;
        if (best < 0 || cpuMs[i]! < cpuMs[best]! || (cpuMs[i] === cpuMs[best] && lastCore[i] === c && lastCore[best] !== c)) best = i;
      }
      if (best >= 0) {
        taken[best] = true;
        running[c] = best;
        sliceLeft[c] = run.sliceMs;
      }
    }
    for (let c = 0; c < run.cores; c++) {
      const i = running[c]!;
      if (i < 0) continue;
      timeline[c]![tick] = i;
      cpuMs[i]!++;
      sliceLeft[c]!--;
      if (run.threads[i]!.demand < 1) backlog[i]!--;
      if (lastCore[i]! >= 0 && lastCore[i] !== c) migrations[i]!++;
      lastCore[i] = c;
    }
    for (let i = 0; i < n; i++) if (backlog[i]! > 0 && !taken[i]) waitMs[i]!++;
  }
  return { timeline, cpuMs, waitMs, wantedMs, migrations };
}
