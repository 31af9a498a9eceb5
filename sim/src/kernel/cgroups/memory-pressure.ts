/**
 * runMemoryPressure: a container's memory cgroup under a scripted workload,
 * as a timeline of memory.current (anon / page cache / kernel), reclaim,
 * memory.high throttling, OOM kills and the memory.events counters.
 * Input format (one statement per line, # comments):
 *
 *   memory.max 512Mi        cgroup files of the container (bytes, K/M/G/T,
 *   memory.high 400Mi       Ki/Mi/Gi/Ti, or "max"); memory.swap.max,
 *   memory.swap.max 0       memory.oom.group (0/1) likewise
 *   node.memory 4Gi         the node's RAM (default 4Gi) and swap (default 0)
 *   node.swap 0
 *   proc <name> [oom_score_adj=<-1000..1000>]     a process in the container
 *   at <ms> <name> alloc|read|free <size>          one operation
 *   at <ms>..<ms> every <ms> <name> alloc|read|free <size>   repeated
 *
 * `alloc` faults in anonymous memory, `read` pulls file data into the page
 * cache (charged to the cgroup, not to the process's RSS), `free` releases
 * anonymous memory. Each operation is charged in MEMCG_CHARGE_BATCH (64
 * page) steps; a throttled process falls behind its schedule.
 * Upstream: see memory.ts (Linux v6.12 mm/memcontrol.c, cgroup-v2.rst).
 * Backs Layer 1 "cgroup v2 memory: pressure → reclaim → OOM kill".
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { Prng } from '../../core/prng.ts';
import { parseExactQuantity, ceilScaled } from '../../api/quantity.ts';
import { CgroupTree, kubepodsPath } from './hierarchy.ts';
import { MemoryCgroups, MEMCG_CHARGE_BATCH, type MemLogKind } from './memory.ts';
import { MEM_EVENTS, UNLIMITED, type MemEvent } from './memory-files.ts';
import { PAGE_SIZE } from '../oom/badness.ts';
import { oomBadness, procOomScore } from '../oom/badness.ts';

export const MEMORY_PRESSURE_LIMITS = { textMax: 20000, opsMax: 2000, procsMax: 16, durationMsMax: 600000, timelineMax: 500, eventsMax: 300, sizeMaxBytes: 2 ** 40 } as const;

export const DEFAULT_MEMORY_PRESSURE = `# kubelet が書いたコンテナの cgroup (limits.memory: 512Mi)
memory.max 512Mi
memory.high max
memory.swap.max 0
memory.oom.group 1
node.memory 4Gi
# コンテナの中のプロセス
proc app oom_score_adj=936
proc logger oom_score_adj=936
# 起動時に 200Mi のファイルを読む (ページキャッシュ)
at 0 app read 200Mi
at 0 logger alloc 20Mi
# 100 ms ごとに 16Mi ずつ確保していく (メモリリーク)
at 100..6000 every 100 app alloc 16Mi
`;

export interface MemorySample {
  tMs: number;
  currentBytes: number;
  anonBytes: number;
  fileBytes: number;
  kernelBytes: number;
  swapBytes: number;
}

export interface MemoryEventRow {
  tMs: number;
  kind: MemLogKind;
  message: string;
  hostPid?: number;
}

export interface MemoryProcessRow {
  name: string;
  hostPid: number;
  oomScoreAdj: number;
  state: 'running' | 'oom-killed' | 'stalled';
  killedAtMs: number | null;
  anonBytes: number;
  swapBytes: number;
  throttledMs: number;
  /** /proc/<pid>/oom_score at the end (or just before it was killed): badness over the node's RAM + swap. */
  oomScore: number;
}

export interface MemoryPressureView {
  cgroupPath: string;
  limits: { maxBytes: number | null; highBytes: number | null; swapMaxBytes: number | null; oomGroup: boolean; nodeMemoryBytes: number; nodeSwapBytes: number };
  timeline: MemorySample[];
  events: MemoryEventRow[];
  /** Events left out of `events` to keep it short. */
  eventsOmitted: number;
  processes: MemoryProcessRow[];
  /** memory.events of the container cgroup. */
  memoryEvents: Record<MemEvent, number>;
  /** memory.stat (bytes) of the container cgroup at the end. */
  memoryStat: [string, number][];
  /** The interface files as `cat` prints them at the end. */
  files: Record<string, string>;
  peakBytes: number;
  durationMs: number;
}

interface ProcDecl { name: string; adj: number; line: number }
interface Op { at: number; proc: string; kind: 'alloc' | 'read' | 'free'; pages: number; line: number; seq: number }
interface Parsed { files: Map<string, { value: string; line: number; column: number }>; nodeBytes: number; swapBytes: number; procs: ProcDecl[]; ops: Op[] }

const SIZE_SUFFIX: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** "512Mi", "1G" (cgroup-style, binary), "536870912", or a Kubernetes quantity. */
function parseSize(text: string): number | string {
  const cg = /^(\d+)([KMGTkmgt]?)$/.exec(text);
  if (cg) return Number(cg[1]) * SIZE_SUFFIX[cg[2]!]!;
  const q = parseExactQuantity(text);
  if (!q.ok) return q.errors[0]!.message;
  if (q.value.negative) return 'sizes cannot be negative';
  return Number(ceilScaled(q.value, 0));
}

function parse(text: string): Result<Parsed> {
  const L = MEMORY_PRESSURE_LIMITS;
  if (text.length > L.textMax) return fail(simError('LIMIT_EXCEEDED', `input is ${text.length} characters; the limit is ${L.textMax}`, { line: 1, column: 1 }));
  const errors: SimError[] = [];
  const out: Parsed = { files: new Map(), nodeBytes: 4 * 2 ** 30, swapBytes: 0, procs: [], ops: [] };
  let seq = 0;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const content = raw.replace(/#.*$/, '').replace(/\r$/, '');
    if (content.trim() === '') return;
    const words: { t: string; c: number }[] = [];
    for (const m of content.matchAll(/\S+/g)) words.push({ t: m[0], c: m.index! + 1 });
    const e = (w: { c: number } | undefined, code: string, message: string) => errors.push(simError(code, message, { line, column: w?.c ?? content.length + 1 }));
    const size = (w: { t: string; c: number } | undefined): number | null => {
      if (!w) { e(w, 'SCRIPT_SYNTAX', 'a size is missing'); return null; }
      const v = parseSize(w.t);
      if (typeof v === 'string') { e(w, 'BAD_SIZE', `"${w.t}": ${v}`); return null; }
      if (v > L.sizeMaxBytes) { e(w, 'LIMIT_EXCEEDED', `${w.t} is larger than the sim's limit of 1Ti`); return null; }
      return v;
    };
    const head = words[0]!;
    if (head.t.startsWith('memory.')) {
      if (!['memory.max', 'memory.high', 'memory.low', 'memory.swap.max', 'memory.oom.group'].includes(head.t)) return e(head, 'UNKNOWN_FILE', `${head.t} is not a file this widget sets (memory.max, memory.high, memory.low, memory.swap.max, memory.oom.group)`);
      if (words.length !== 2) return e(words[2] ?? head, 'SCRIPT_SYNTAX', `usage: ${head.t} <value>`);
      const w = words[1]!;
      if (head.t === 'memory.oom.group') { if (w.t !== '0' && w.t !== '1') return e(w, 'BAD_VALUE', 'memory.oom.group takes 0 or 1'); out.files.set(head.t, { value: w.t, line, column: w.c }); return; }
      if (w.t === 'max') { out.files.set(head.t, { value: 'max', line, column: w.c }); return; }
      const b = size(w);
      if (b !== null) out.files.set(head.t, { value: String(b), line, column: w.c });
      return;
    }
    if (head.t === 'node.memory' || head.t === 'node.swap') {
      const b = size(words[1]);
      if (b === null) return;
      if (head.t === 'node.memory') { if (b < 64 * 2 ** 20) return e(words[1], 'BAD_VALUE', 'node.memory must be at least 64Mi'); out.nodeBytes = b; }
      else out.swapBytes = b;
      return;
    }
    if (head.t === 'proc') {
      const name = words[1];
      if (!name || !/^[a-z][\w-]{0,15}$/.test(name.t)) return e(name, 'SCRIPT_SYNTAX', 'usage: proc <name> [oom_score_adj=<n>] (name: lowercase, ≤16 chars)');
      if (out.procs.some((p) => p.name === name.t)) return e(name, 'DUPLICATE', `process ${name.t} is already declared`);
      let adj = 0;
      if (words[2]) {
        const m = /^oom_score_adj=(-?\d+)$/.exec(words[2].t);
        if (!m || Number(m[1]) < -1000 || Number(m[1]) > 1000) return e(words[2], 'BAD_VALUE', 'oom_score_adj=<-1000..1000>');
        adj = Number(m[1]);
      }
      if (out.procs.length >= L.procsMax) return e(head, 'LIMIT_EXCEEDED', `at most ${L.procsMax} processes`);
      out.procs.push({ name: name.t, adj, line });
      return;
    }
    if (head.t === 'at') {
      const when = words[1];
      const m = when ? /^(\d+)(?:\.\.(\d+))?$/.exec(when.t) : null;
      if (!m) return e(when, 'SCRIPT_SYNTAX', 'usage: at <ms> <proc> alloc|read|free <size>  or  at <from>..<to> every <ms> <proc> ...');
      let k = 2;
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      let step = 0;
      if (m[2] !== undefined) {
        if (words[2]?.t !== 'every' || !/^\d+$/.test(words[3]?.t ?? '') || Number(words[3]!.t) === 0) return e(words[2], 'SCRIPT_SYNTAX', 'a range needs "every <ms>" (> 0)');
        step = Number(words[3]!.t);
        k = 4;
        if (to < from) return e(when, 'BAD_VALUE', 'the range ends before it starts');
      }
      if (to > L.durationMsMax) return e(when, 'LIMIT_EXCEEDED', `times are limited to ${L.durationMsMax} ms`);
      const proc = words[k];
      const verb = words[k + 1];
      if (!proc || !out.procs.some((p) => p.name === proc.t)) return e(proc, 'UNKNOWN_PROC', proc ? `no process named ${proc.t} (declare it with "proc ${proc.t}" above)` : 'a process name is missing');
      if (!verb || !['alloc', 'read', 'free'].includes(verb.t)) return e(verb, 'SCRIPT_SYNTAX', 'the operation is alloc, read or free');
      const b = size(words[k + 2]);
      if (b === null) return;
      if (words[k + 3]) return e(words[k + 3], 'SCRIPT_SYNTAX', 'unexpected text after the size');
      const pages = Math.ceil(b / PAGE_SIZE);
      for (let t = from; t <= to; t += step || 1) {
        if (out.ops.length >= L.opsMax) return e(when, 'LIMIT_EXCEEDED', `more than ${L.opsMax} operations`);
        out.ops.push({ at: t, proc: proc.t, kind: verb.t as Op['kind'], pages, line, seq: seq++ });
        if (step === 0) break;
      }
      return;
    }
    e(head, 'UNKNOWN_STATEMENT', `unknown statement "${head.t}" (memory.*, node.memory, node.swap, proc, at)`);
  });
  if (!errors.length && out.procs.length === 0) errors.push(simError('SCRIPT_SYNTAX', 'declare at least one process with "proc <name>"', { line: 1, column: 1 }));
  return errors.length ? fail(errors) : ok(out);
}

function hex(prng: Prng, n: number): string {
  return Array.from({ length: n }, () => prng.intBetween(0, 16).toString(16)).join('');
}

export function runMemoryPressure(text: string, options: { seed?: number } = {}): Result<MemoryPressureView> {
  const parsed = parse(text);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  const prng = new Prng(options.seed ?? 1);
  const podUid = `${hex(prng, 8)}-${hex(prng, 4)}-${hex(prng, 4)}-${hex(prng, 4)}-${hex(prng, 12)}`;
  const path = kubepodsPath('Burstable', podUid, hex(prng, 64));
  const tree = new CgroupTree();
  const mem = new MemoryCgroups(tree, Math.floor(p.nodeBytes / PAGE_SIZE), Math.floor(p.swapBytes / PAGE_SIZE));
  const made = tree.ensure(path);
  if (!made.ok) return made;
  const cg = made.value;
  for (const [file, v] of p.files) {
    const w = tree.write(path, file, v.value);
    if (!w.ok) return fail({ ...w.errors[0]!, line: v.line, column: v.column });
  }
  const procs = new Map<string, { decl: ProcDecl; hostPid: number; clockMs: number; throttledMs: number; state: MemoryProcessRow['state']; killedAtMs: number | null; lastScore: number }>();
  let nextPid = 2000 + prng.intBetween(0, 1000);
  // /proc/<pid>/oom_score always divides by the node's RAM + swap (fs/proc/base.c
  // proc_oom_score), even though a memcg OOM ranks victims against memory.max.
  const total = () => mem.nodeRamPages + mem.nodeSwapPages;
  const score = (hostPid: number) => {
    const mm = mem.mms.get(hostPid)!;
    return procOomScore(oomBadness(mem.mmCounters(mm), mm.oomScoreAdj, total(), mm.unkillable), total());
  };
  for (const d of p.procs) {
    const hostPid = nextPid++;
    const r = mem.addTask(hostPid, d.name, path, d.adj);
    procs.set(d.name, { decl: d, hostPid, clockMs: 0, throttledMs: 0, state: r.status === 'charged' ? 'running' : 'stalled', killedAtMs: null, lastScore: 0 });
  }
  const byPid = new Map([...procs.values()].map((x) => [x.hostPid, x]));
  const timeline: MemorySample[] = [];
  const events: MemoryEventRow[] = [];
  const throttleRuns = new Map<MemoryEventRow, { count: number; totalMs: number }>();
  let logSeen = mem.log.length;
  const sample = (tMs: number) => {
    let anon = 0, file = 0, kernel = 0;
    for (const c of cg.walk()) {
      const x = mem.st(c);
      anon += x.anonPages;
      file += x.inactiveFilePages + x.activeFilePages;
      kernel += x.kernelStackPages + x.pagetablePages;
    }
    const s: MemorySample = { tMs, currentBytes: mem.usagePages(cg) * PAGE_SIZE, anonBytes: anon * PAGE_SIZE, fileBytes: file * PAGE_SIZE, kernelBytes: kernel * PAGE_SIZE, swapBytes: mem.swapUsagePages(cg) * PAGE_SIZE };
    const last = timeline[timeline.length - 1];
    if (last && last.tMs === tMs) timeline[timeline.length - 1] = s;
    else timeline.push(s);
  };
  const collect = (tMs: number) => {
    for (; logSeen < mem.log.length; logSeen++) {
      const l = mem.log[logSeen]!;
      const prev = events[events.length - 1];
      if (l.kind === 'reclaim' && prev && prev.kind === 'reclaim' && prev.tMs === tMs) {
        const pages = Number(/reclaimed (\d+)/.exec(prev.message)![1]) + (l.pages ?? 0);
        prev.message = `reclaimed ${pages} pages (${((pages * PAGE_SIZE) / 1048576).toFixed(1)} MiB) from ${l.cgroup.split('/').pop() || '/'}`;
        continue;
      }
      if (l.kind === 'max' && prev && prev.kind === 'max' && prev.tMs === tMs) continue;
      if (l.kind === 'throttle' && prev && prev.kind === 'throttle' && prev.hostPid === l.hostPid) {
        const t = throttleRuns.get(prev)!;
        t.count++;
        t.totalMs += Number(/sleeps (\d+) ms/.exec(l.message)![1]);
        prev.message = `${byPid.get(l.hostPid!)?.decl.name ?? l.hostPid} (${l.hostPid}) throttled ${t.count} times, ${t.totalMs} ms in all: over memory.high and reclaim cannot keep up`;
        continue;
      }
      const row: MemoryEventRow = { tMs, kind: l.kind, message: l.message, ...(l.hostPid !== undefined ? { hostPid: l.hostPid } : {}) };
      events.push(row);
      if (l.kind === 'throttle') throttleRuns.set(row, { count: 1, totalMs: Number(/sleeps (\d+) ms/.exec(l.message)![1]) });
      if (l.kind === 'oom_kill' && l.hostPid !== undefined) {
        const pr = byPid.get(l.hostPid);
        if (pr && pr.state === 'running') { pr.state = 'oom-killed'; pr.killedAtMs = tMs; }
      }
    }
  };
  sample(0);
  // Discrete events: each queued item is one 64-page step of one operation, kept sorted by (time, seq).
  type Item = { t: number; op: Op; left: number };
  const before = (a: Item, b: Item) => a.t < b.t || (a.t === b.t && a.op.seq < b.op.seq);
  const queue: Item[] = p.ops.map((op) => ({ t: op.at, op, left: op.pages })).sort((a, b) => a.t - b.t || a.op.seq - b.op.seq);
  const push = (it: Item) => {
    let lo = 0, hi = queue.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (before(queue[mid]!, it)) lo = mid + 1; else hi = mid; }
    queue.splice(lo, 0, it);
  };
  let now = 0;
  let guard = 0;
  while (queue.length && guard++ < 500000) {
    const item = queue.shift()!;
    const pr = procs.get(item.op.proc)!;
    if (pr.state !== 'running') continue;
    if (pr.clockMs > item.t) { item.t = pr.clockMs; push(item); continue; }
    now = item.t;
    const chunk = Math.min(MEMCG_CHARGE_BATCH, item.left);
    let throttle = 0;
    // oom_score as it reads just before this step (what a killed process showed last).
    for (const x of procs.values()) if (x.state === 'running') x.lastScore = score(x.hostPid);
    if (item.op.kind === 'free') {
      mem.freeAnon(pr.hostPid, item.left);
      item.left = 0;
    } else {
      const r = item.op.kind === 'alloc' ? mem.chargeAnon(pr.hostPid, chunk) : mem.chargeFile(pr.hostPid, chunk);
      if (r.status === 'failed') { pr.state = 'stalled'; events.push({ tMs: now, kind: 'charge_failed', message: `${pr.decl.name} (${pr.hostPid}) is stuck: ${r.reason}`, hostPid: pr.hostPid }); }
      else if (r.status === 'charged') { throttle = r.throttleMs; item.left -= chunk; }
    }
    collect(now);
    sample(now);
    for (const x of procs.values()) if (x.state === 'running' && !mem.mms.get(x.hostPid)!.alive) { x.state = 'oom-killed'; x.killedAtMs = now; }
    pr.throttledMs += throttle;
    pr.clockMs = now + throttle;
    if (item.left > 0 && pr.state === 'running') { item.t = pr.clockMs; push(item); }
  }
  const durationMs = Math.max(now, ...[...procs.values()].map((x) => x.clockMs));
  sample(durationMs);
  const s = mem.st(cg);
  const files: Record<string, string> = {};
  for (const f of ['memory.current', 'memory.max', 'memory.high', 'memory.events', 'memory.stat', 'memory.swap.current', 'memory.oom.group', 'cgroup.procs']) {
    const r = tree.read(path, f);
    if (r.ok) files[f] = r.value;
  }
  const eventsMax = MEMORY_PRESSURE_LIMITS.eventsMax;
  return ok({
    cgroupPath: path,
    limits: {
      maxBytes: s.maxPages === UNLIMITED ? null : s.maxPages * PAGE_SIZE,
      highBytes: s.highPages === UNLIMITED ? null : s.highPages * PAGE_SIZE,
      swapMaxBytes: s.swapMaxPages === UNLIMITED ? null : s.swapMaxPages * PAGE_SIZE,
      oomGroup: s.oomGroup,
      nodeMemoryBytes: p.nodeBytes,
      nodeSwapBytes: p.swapBytes,
    },
    timeline: downsample(timeline, MEMORY_PRESSURE_LIMITS.timelineMax),
    events: events.slice(0, eventsMax),
    eventsOmitted: Math.max(0, events.length - eventsMax),
    processes: [...procs.values()].map((x) => {
      const mm = mem.mms.get(x.hostPid)!;
      return { name: x.decl.name, hostPid: x.hostPid, oomScoreAdj: x.decl.adj, state: x.state, killedAtMs: x.killedAtMs, anonBytes: mm.anonPages * PAGE_SIZE, swapBytes: mm.swapPages * PAGE_SIZE, throttledMs: x.throttledMs, oomScore: mm.alive ? score(x.hostPid) : x.lastScore };
    }),
    memoryEvents: Object.fromEntries(MEM_EVENTS.map((e) => [e, s.events[e]])) as Record<MemEvent, number>,
    memoryStat: mem.statLines(cg),
    files,
    peakBytes: s.peakPages * PAGE_SIZE,
    durationMs,
  });
}

/** Keeps the first and last samples and evenly spaced ones between, plus every sample where usage drops sharply (a kill). */
function downsample(samples: MemorySample[], max: number): MemorySample[] {
  if (samples.length <= max) return samples;
  const keep = new Set<number>([0, samples.length - 1]);
  for (let i = 1; i < samples.length; i++) if (samples[i]!.currentBytes < samples[i - 1]!.currentBytes * 0.8) { keep.add(i - 1); keep.add(i); }
  const budget = Math.max(0, max - keep.size);
  for (let k = 0; k < budget; k++) keep.add(Math.round((k * (samples.length - 1)) / Math.max(1, budget - 1)));
  return [...keep].sort((a, b) => a - b).slice(0, max).map((i) => samples[i]!);
}
