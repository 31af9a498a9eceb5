/**
 * The runnable snippet behind Layer 0 "CPU": how runnable threads share the
 * cores, and what pinning a workload to a cpuset does.
 *
 * Input (YAML):
 *   cores: 4              1..64
 *   duration_ms: 200      1..10000 (1 tick = 1 ms)
 *   slice_ms: 4           time slice before a core picks again, 1..100
 *   threads:
 *     - name: web         a thread group (count copies, named web-0, web-1, …)
 *       count: 2          1..64 (≤ 128 threads in all)
 *       demand: 100%      how often the thread has work (0–100 %)
 *       cpuset: 0-3       cores it may run on, Linux list syntax (default: all)
 *       request: 500m     CPU request of the group (its cgroup): weight under
 *                         contention ∝ request (cpu.shares = milliCPU × 1024 / 1000,
 *                         at least 2); no request and no limit: weight 1024 (an
 *                         ordinary cgroup); only a limit: request = limit (the
 *                         API server's defaulting); 0: weight 2, like BestEffort
 *       limit: 1500m      CPU limit: quota of limit × 100 ms per 100 ms period
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { Prng } from '../../core/prng.ts';
import { parseYaml } from '../../api/yaml.ts';
import { FieldReader, isObject, notAMapping, parseCpuList } from '../input.ts';
import { simulateCores, type GroupSpec, type ThreadSpec } from './cores.ts';
import { pageWalkTable, VIRTUALIZATION_FEATURES } from './virtualization.ts';

export const CPU_CORES_LIMITS = { coresMax: 64, durationMsMax: 10000, threadsMax: 128, timelinePointsMax: 500 } as const;

export const DEFAULT_CPU_CORES = `# 4 コアのノード。batch だけ cpuset でコア 2-3 に固定し、limit もかける
cores: 4
duration_ms: 200
slice_ms: 4
threads:
  - name: web
    count: 2
    demand: 100%
    cpuset: 0-3
    request: 2
  - name: batch
    count: 4
    demand: 100%
    cpuset: 2-3
    request: 1
    limit: 1500m
  - name: logger
    demand: 20%
`;

/** The cpu.max period the kubelet uses (QuotaPeriod = 100000 µs, pkg/kubelet/cm/helpers_linux.go). */
export const CPU_PERIOD_MS = 100;

/** `500m` → 500, `1.5` / 1.5 → 1500, `2` → 2000 (a Kubernetes CPU quantity); undefined when malformed. */
export function parseMilliCpu(v: unknown): number | undefined {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
  if (!m) return undefined;
  const milli = m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
  return Number.isInteger(milli) ? milli : undefined;
}

/** cpu.shares for a request, as the kubelet's MilliCPUToShares computes it (min 2). */
export function sharesForMilliCpu(milli: number): number {
  return Math.max(2, Math.trunc((milli * 1024) / 1000));
}

export interface CpuCoresView {
  cores: number;
  durationMs: number;
  /** Milliseconds per timeline slot (1 unless the run is longer than 500 ms). */
  bucketMs: number;
  periodMs: number;
  /** Per thread group (one cgroup): its request/limit, weight, quota and what it got. */
  groups: { name: string; count: number; cpuset: string; requestMilli: number | null; limitMilli: number | null; weight: number; quotaMs: number | null; cpuMs: number; avgCpus: number; throttledMs: number; nrThrottled: number; nrPeriods: number }[];
  threads: { name: string; group: string; cpuset: string; demand: number; cpuMs: number; wantedMs: number; waitMs: number; migrations: number; coreShare: number; machineShare: number }[];
  /** Per core: the thread that ran most in each slot (index into `threads`, -1 idle), and utilisation. */
  timeline: { core: number; utilisation: number; slots: number[] }[];
  virtualization: { features: typeof VIRTUALIZATION_FEATURES; pageWalks: { setup: string; references: number }[] };
}

/** Runs the snippet. Backs Layer 0 "CPU" (multicore, CPU affinity / cpuset, VT-x/EPT table). */
export function runCpuCores(text: string, options: { seed?: number } = {}): Result<CpuCoresView> {
  const y = parseYaml(text);
  if (!y.ok) return y;
  const doc = y.value.docs[0];
  if (!isObject(doc)) return fail(notAMapping('the CPU snippet'));
  const r = new FieldReader(y.value);
  r.known(doc, '', ['cores', 'duration_ms', 'slice_ms', 'threads']);
  const cores = r.int(doc, 'cores', '', 1, CPU_CORES_LIMITS.coresMax, 4);
  const durationMs = r.int(doc, 'duration_ms', '', 1, CPU_CORES_LIMITS.durationMsMax, 200);
  const sliceMs = r.int(doc, 'slice_ms', '', 1, 100, 4);
  const list = doc.threads;
  if (!Array.isArray(list) || list.length === 0) {
    r.error('threads', 'threads must be a non-empty list');
    return fail(r.errors);
  }
  const threads: ThreadSpec[] = [];
  const cpusetText: string[] = [];
  const groups: (GroupSpec & { name: string; count: number; cpuset: string; requestMilli: number | null; limitMilli: number | null })[] = [];
  list.forEach((raw, i) => {
    const path = `threads[${i}]`;
    if (!isObject(raw)) return r.error(path, 'each thread group is a mapping (name, count, demand, cpuset)');
    r.known(raw, path, ['name', 'count', 'demand', 'cpuset', 'request', 'limit']);
    const name = typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : `t${i}`;
    const count = r.int(raw, 'count', path, 1, 64, 1);
    const demand = r.fraction(raw, 'demand', path, 1);
    let cpuset = Array.from({ length: cores }, (_, c) => c);
    let setText = cores === 1 ? '0' : `0-${cores - 1}`;
    if (raw.cpuset !== undefined) {
      const parsed = parseCpuList(String(raw.cpuset), cores);
      if (typeof parsed === 'string') r.error(`${path}.cpuset`, `cpuset: ${parsed}`);
      else {
        cpuset = parsed;
        setText = String(raw.cpuset);
      }
    }
    const quantity = (key: 'request' | 'limit', min: number): number | null => {
      if (raw[key] === undefined || raw[key] === null) return null;
      const milli = parseMilliCpu(raw[key]);
      if (milli === undefined) {
        r.error(`${path}.${key}`, `${key} must be a CPU quantity like 500m, 1 or 1.5, got ${JSON.stringify(raw[key])}`);
        return null;
      }
      if (milli < min || milli > cores * 1000) {
        r.error(`${path}.${key}`, `${key} must be between ${min}m and ${cores * 1000}m (this machine's ${cores} cores), got ${milli}m`, 'LIMIT_EXCEEDED');
        return null;
      }
      return milli;
    };
    const limitMilli = quantity('limit', 10);
    let requestMilli = quantity('request', 0);
    if (requestMilli !== null && limitMilli !== null && requestMilli > limitMilli) r.error(`${path}.request`, `request ${requestMilli}m exceeds limit ${limitMilli}m (the API server rejects that)`);
    if (requestMilli === null && limitMilli !== null) requestMilli = limitMilli;
    if (threads.length + count > CPU_CORES_LIMITS.threadsMax) return r.error(`${path}.count`, `at most ${CPU_CORES_LIMITS.threadsMax} threads in all`, 'LIMIT_EXCEEDED');
    const group = groups.length;
    groups.push({
      name, count, cpuset: setText, requestMilli, limitMilli,
      weight: requestMilli === null ? 1024 : sharesForMilliCpu(requestMilli),
      quotaMs: limitMilli === null ? null : (limitMilli * CPU_PERIOD_MS) / 1000,
    });
    for (let k = 0; k < count; k++) {
      threads.push({ name: count > 1 ? `${name}-${k}` : name, demand, cpuset, group });
      cpusetText.push(setText);
    }
  });
  if (r.errors.length) return fail(r.errors);
  const res = simulateCores({ cores, durationMs, sliceMs, threads, groups, periodMs: CPU_PERIOD_MS }, new Prng(options.seed ?? 1));
  const bucketMs = Math.max(1, Math.ceil(durationMs / CPU_CORES_LIMITS.timelinePointsMax));
  const timeline = res.timeline.map((ticks, core) => {
    const slots: number[] = [];
    let busy = 0;
    for (let b = 0; b < durationMs; b += bucketMs) {
      const counts = new Map<number, number>();
      for (let t = b; t < Math.min(durationMs, b + bucketMs); t++) counts.set(ticks[t]!, (counts.get(ticks[t]!) ?? 0) + 1);
      let best = -1;
      let bestN = -1;
      for (const [k, v] of counts) if (v > bestN || (v === bestN && k > best)) {
        best = k;
        bestN = v;
      }
      slots.push(best);
    }
    for (const x of ticks) if (x >= 0) busy++;
    return { core, utilisation: busy / durationMs, slots };
  });
  return ok({
    cores,
    durationMs,
    bucketMs,
    periodMs: CPU_PERIOD_MS,
    groups: groups.map((g, i) => ({
      name: g.name, count: g.count, cpuset: g.cpuset, requestMilli: g.requestMilli, limitMilli: g.limitMilli, weight: g.weight, quotaMs: g.quotaMs,
      cpuMs: res.groupCpuMs[i]!,
      avgCpus: res.groupCpuMs[i]! / durationMs,
      throttledMs: res.groupThrottledMs[i]!,
      nrThrottled: res.groupNrThrottled[i]!,
      nrPeriods: res.groupNrPeriods,
    })),
    threads: threads.map((t, i) => ({
      name: t.name,
      group: groups[t.group!]!.name,
      cpuset: cpusetText[i]!,
      demand: t.demand,
      cpuMs: res.cpuMs[i]!,
      wantedMs: res.wantedMs[i]!,
      waitMs: res.waitMs[i]!,
      migrations: res.migrations[i]!,
      coreShare: res.cpuMs[i]! / durationMs,
      machineShare: res.cpuMs[i]! / (durationMs * cores),
    })),
    timeline,
    virtualization: { features: VIRTUALIZATION_FEATURES, pageWalks: pageWalkTable() },
  });
}
