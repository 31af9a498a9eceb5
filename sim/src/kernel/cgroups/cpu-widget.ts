/**
 * The runnable snippet behind Layer 1 "cgroup v2: CPU": the student edits the
 * CPU files of two or three sibling container cgroups and reruns.
 *
 * Input format (one `key = value` per line, `#` comments, `[section]` headers):
 *
 *   [node]                       the machine and the run
 *   cpus = 2                     1..64 CPUs
 *   duration_ms = 1000           1..10000 ms
 *
 *   [web]                        a container cgroup (name: letters, digits, - _ .)
 *   cpu.weight = 100             written to cpu.weight
 *   cpu.max = 50000 100000       written to cpu.max
 *   cpu.max.burst = 0            written to cpu.max.burst (optional)
 *   busy_threads = 2             the workload: threads that always want a CPU (0..64)
 *
 * Errors carry the line and column of the offending text.
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { parseCpuMax, parseCpuMaxBurst, parseCpuWeight, CPU_WEIGHT_DEFAULT, CFS_PERIOD_DEFAULT_US, formatCpuMax, type CpuMax } from './cpu-files.ts';
import { simulateCfs, type CpuGroupSpec, type CpuStat, type CpuBucket } from './cfs-bandwidth.ts';

export const CGROUP_CPU_LIMITS = { cpusMax: 64, durationMsMax: 10000, groupsMax: 6, threadsMax: 64, textMax: 20000 } as const;

export const DEFAULT_CGROUP_CPU = `# CPU 2 個のノードで 1000 ms 走らせる
[node]
cpus = 2
duration_ms = 1000

# Web サーバー: 重み 200、上限なし
[web]
cpu.weight = 200
cpu.max = max 100000
busy_threads = 2

# バッチ処理: 重み 200、100 ms ごとに 50 ms まで (0.5 CPU)
[batch]
cpu.weight = 200
cpu.max = 50000 100000
busy_threads = 2

# ログ収集: 重み 100、上限なし
[logger]
cpu.weight = 100
cpu.max = max 100000
busy_threads = 1
`;

export interface CgroupCpuGroupView {
  name: string;
  /** Line of the group's [section] header, for linking output to input. */
  line: number;
  files: { 'cpu.weight': string; 'cpu.max': string; 'cpu.max.burst': string };
  busyThreads: number;
  stat: CpuStat;
  /** Average CPUs used over the run. */
  avgCpus: number;
  /** Share of all CPU time used on the machine (0..1). */
  share: number;
}

export interface CgroupCpuView {
  cpus: number;
  durationMs: number;
  bucketMs: number;
  groups: CgroupCpuGroupView[];
  buckets: CpuBucket[];
  /** CPU time nobody used (idle), µs. */
  idleUs: number;
}

interface GroupDraft {
  name: string;
  line: number;
  weight: number;
  max: CpuMax;
  maxText: string;
  burstText: string;
  burstLine: number;
  burstColumn: number;
  burstUs: number;
  busyThreads: number;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

export function parseCgroupCpu(text: string): Result<{ cpus: number; durationMs: number; groups: GroupDraft[] }> {
  if (text.length > CGROUP_CPU_LIMITS.textMax) {
    return fail(simError('LIMIT_EXCEEDED', `input is ${text.length} characters; the limit is ${CGROUP_CPU_LIMITS.textMax}`, { line: 1, column: 1 }));
  }
  const errors: SimError[] = [];
  let cpus = 2;
  let durationMs = 1000;
  let section: 'node' | GroupDraft | null = null;
  const groups: GroupDraft[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    const hash = raw.indexOf('#');
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).replace(/\s+$/, '');
    if (content.trim() === '') return;
    const indent = content.length - content.trimStart().length;
    const body = content.trim();
    const err = (message: string, column: number, code = 'CGROUP_INPUT') => errors.push(simError(code, message, { line, column }));
    if (body.startsWith('[')) {
      const m = /^\[([^\]]*)\]$/.exec(body);
      if (!m) return err('a section header looks like [name]', indent + 1);
      const name = m[1]!.trim();
      if (name === 'node') {
        section = 'node';
        return;
      }
      if (!NAME_RE.test(name)) return err(`"${name}" is not a valid cgroup name (letters, digits, "-", "_", "."; at most 32)`, indent + 2);
      if (groups.some((g) => g.name === name)) return err(`cgroup [${name}] is defined twice`, indent + 2);
      if (groups.length >= CGROUP_CPU_LIMITS.groupsMax) return err(`at most ${CGROUP_CPU_LIMITS.groupsMax} cgroups`, indent + 1, 'LIMIT_EXCEEDED');
      const g: GroupDraft = {
        name, line, weight: CPU_WEIGHT_DEFAULT, max: { quotaUs: null, periodUs: CFS_PERIOD_DEFAULT_US }, maxText: 'max 100000',
        burstText: '0', burstLine: 0, burstColumn: 0, burstUs: 0, busyThreads: 1,
      };
      groups.push(g);
      section = g;
      return;
    }
    const eq = body.indexOf('=');
    if (eq < 0) return err(`expected "key = value" (for example "cpu.max = 50000 100000")`, indent + 1);
    const key = body.slice(0, eq).trim();
    const valueRaw = body.slice(eq + 1);
    const valueStart = indent + eq + 1 + (valueRaw.length - valueRaw.trimStart().length);
    const value = valueRaw.trim();
    const valueColumn = valueStart + 1;
    if (value === '') return err(`"${key}" has no value`, valueColumn);
    if (section === null) return err('put settings under a section: [node] or [<container name>]', indent + 1);
    const intIn = (lo: number, hi: number, what: string): number | undefined => {
      if (!/^\d+$/.test(value)) {
        err(`${what} must be an integer, got "${value}"`, valueColumn);
        return undefined;
      }
      const n = Number(value);
      if (n < lo || n > hi) {
        err(`${what} must be between ${lo} and ${hi} (the simulator's limit), got ${value}`, valueColumn, 'LIMIT_EXCEEDED');
        return undefined;
      }
      return n;
    };
    if (section === 'node') {
      if (key === 'cpus') cpus = intIn(1, CGROUP_CPU_LIMITS.cpusMax, 'cpus') ?? cpus;
      else if (key === 'duration_ms') durationMs = intIn(1, CGROUP_CPU_LIMITS.durationMsMax, 'duration_ms') ?? durationMs;
      else err(`unknown [node] setting "${key}" (use cpus, duration_ms)`, indent + 1);
      return;
    }
    const g: GroupDraft = section;
    if (key === 'cpu.weight') {
      const r = parseCpuWeight(value);
      if (r.ok) g.weight = r.value;
      else err(`cpu.weight: ${r.message}`, valueColumn + r.offset, 'CGROUP_WRITE');
    } else if (key === 'cpu.max') {
      const r = parseCpuMax(value);
      if (r.ok) {
        g.max = r.value;
        g.maxText = value;
      } else err(`cpu.max: ${r.message}`, valueColumn + Math.max(0, r.offset), 'CGROUP_WRITE');
    } else if (key === 'cpu.max.burst') {
      g.burstText = value;
      g.burstLine = line;
      g.burstColumn = valueColumn;
    } else if (key === 'busy_threads') {
      g.busyThreads = intIn(0, CGROUP_CPU_LIMITS.threadsMax, 'busy_threads') ?? g.busyThreads;
    } else if (key === 'cpu.shares') {
      err('cpu.shares is the cgroup v1 file; cgroup v2 uses cpu.weight (1–10000, default 100)', indent + 1, 'CGROUP_WRITE');
    } else if (key === 'cpu.cfs_quota_us' || key === 'cpu.cfs_period_us') {
      err(`${key} is the cgroup v1 file; cgroup v2 combines both in cpu.max ("$QUOTA $PERIOD")`, indent + 1, 'CGROUP_WRITE');
    } else {
      err(`unknown setting "${key}" (use cpu.weight, cpu.max, cpu.max.burst, busy_threads)`, indent + 1);
    }
  });
  for (const g of groups) {
    if (g.burstLine === 0) continue;
    const r = parseCpuMaxBurst(g.burstText, g.max);
    if (r.ok) g.burstUs = r.value;
    else errors.push(simError('CGROUP_WRITE', `cpu.max.burst: ${r.message}`, { line: g.burstLine, column: g.burstColumn }));
  }
  if (errors.length === 0 && groups.length === 0) errors.push(simError('CGROUP_INPUT', 'define at least one container cgroup, e.g. [web]', { line: 1, column: 1 }));
  if (errors.length) return fail(errors);
  return ok({ cpus, durationMs, groups });
}

/** Runs the snippet: parse, simulate, and shape the result for the widget (≤ 200 timeline buckets). */
export function runCgroupCpu(text: string): Result<CgroupCpuView> {
  const parsed = parseCgroupCpu(text);
  if (!parsed.ok) return parsed;
  const { cpus, durationMs, groups } = parsed.value;
  const durationUs = durationMs * 1000;
  const bucketMs = Math.max(5, Math.ceil(durationMs / 200 / 5) * 5);
  const specs: CpuGroupSpec[] = groups.map((g) => ({ name: g.name, weight: g.weight, max: g.max, burstUs: g.burstUs, busyThreads: g.busyThreads }));
  const run = simulateCfs(specs, cpus, durationUs, bucketMs * 1000);
  const total = cpus * durationUs;
  const used = run.stats.reduce((s, x) => s + x.usage_usec, 0);
  return ok({
    cpus,
    durationMs,
    bucketMs,
    buckets: run.buckets,
    idleUs: Math.max(0, total - used),
    groups: groups.map((g, i) => ({
      name: g.name,
      line: g.line,
      files: { 'cpu.weight': String(g.weight), 'cpu.max': formatCpuMax(g.max), 'cpu.max.burst': String(g.burstUs) },
      busyThreads: g.busyThreads,
      stat: run.stats[i]!,
      avgCpus: run.stats[i]!.usage_usec / durationUs,
      share: run.stats[i]!.usage_usec / total,
    })),
  });
}

/** cpu.stat as the kernel prints it (cpu_extra_stat_show order). */
export function formatCpuStat(s: CpuStat): string {
  return [
    `usage_usec ${s.usage_usec}`, `user_usec ${s.user_usec}`, `system_usec ${s.system_usec}`,
    `nr_periods ${s.nr_periods}`, `nr_throttled ${s.nr_throttled}`, `throttled_usec ${s.throttled_usec}`,
    `nr_bursts ${s.nr_bursts}`, `burst_usec ${s.burst_usec}`,
  ].join('\n');
}
