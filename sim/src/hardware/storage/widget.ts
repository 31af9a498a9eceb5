/**
 * The runnable snippet behind Layer 0 "Storage": an I/O trace goes through
 * the page cache, the block-layer scheduler and the SSD model, and each
 * phase reports what an engineer would measure with fio, iostat and the
 * drive's SMART counters. Time: 1 tick = 1 µs. Same seed → same run.
 */
import { ok, type Result } from '../../core/result.ts';
import { Prng } from '../../core/prng.ts';
import { formatBytes } from '../input.ts';
import { parseTrace, STORAGE_LIMITS, type TraceStep } from './trace.ts';
import { Ssd, type DeviceCommand } from './ssd.ts';
import { PageCache } from './page-cache.ts';
import { schedule, SCHED_COST_US, type Elevator } from './scheduler.ts';
import { SECTOR_BYTES } from './nand.ts';

/** Host-side costs, µs: a read()/write() system call and copying one 4 KiB page (≈4–8 GB/s memcpy). */
export const HOST_COSTS = { syscallUs: 1, copyPageUs: 1 } as const;
/** vm.dirty_background_ratio / vm.dirty_ratio defaults (10 / 20), applied to the cache size. */
export const DIRTY_BACKGROUND_FRACTION = 0.1;
export const DIRTY_FRACTION = 0.2;
/** Default read_ahead_kb = 128 (VM_READAHEAD_PAGES, include/linux/mm.h) in 4 KiB pages. */
export const READAHEAD_PAGES = 32;

export const DEFAULT_STORAGE_TRACE = `# 64 MiB の SSD (予備領域 7%、8 ダイ)、ページキャッシュ 16 MiB
ssd capacity=64MiB op=7% dies=8 block=1MiB
cache size=16MiB
scheduler mq-deadline

# 1. 空のドライブを端から端まで順次書き込み (O_DIRECT): GC は起きず WA = 1
write seq 64MiB bs=1MiB direct qd=4

# 2. バッファ付きランダム書き込み: ページキャッシュが吸収するので速い
write rand 2MiB bs=4k
sync

# 3. 満杯のドライブへ O_DIRECT ランダム上書き: GC が走り WA > 1、遅延が跳ねる
write rand 16MiB bs=4k direct qd=16

# 4. 後半を TRIM してから前半だけを上書き: GC がコピーするページが減る
trim 32MiB..64MiB
write rand 16MiB bs=4k direct qd=16 range=0..32MiB

# 5. 読み出し: キャッシュを捨ててから、ランダムと順次
drop-caches
read rand 1MiB bs=4k
read seq 8MiB bs=128k
`;

export interface StoragePhaseView {
  line: number;
  command: string;
  ops: number;
  bytes: number;
  durationUs: number;
  /** Latency per read()/write() (or per O_DIRECT request), µs. */
  meanLatencyUs: number;
  p99LatencyUs: number;
  maxLatencyUs: number;
  throughputMiBps: number;
  /** Pages found in the page cache / pages read; null when the phase reads nothing through the cache. */
  cacheHitRate: number | null;
  /** Requests sent to the device, and requests merged away by the scheduler. */
  deviceCommands: number;
  merges: number;
  /** 4 KiB sectors the host wrote to the SSD, and the extra copies GC made. */
  hostSectorsWritten: number;
  gcSectorsWritten: number;
  /** NAND writes / host writes in this phase; null when nothing reached the NAND. */
  writeAmplification: number | null;
  gcRuns: number;
  trimmedSectors: number;
  /** Dirty + under-writeback pages left in the cache at the end of the phase. */
  dirtyPagesAfter: number;
  /** Max latency per bucket of consecutive ops (≤ 100 points) — GC shows up as spikes. */
  latencyProfileUs: number[];
}

export interface StorageView {
  config: { capacity: string; overProvisioning: number; dies: number; block: string; cache: string; physicalBlocks: number };
  phases: StoragePhaseView[];
  /** Whole-trace write amplification and wear. */
  totals: {
    hostSectorsWritten: number;
    gcSectorsWritten: number;
    writeAmplification: number;
    erases: number;
    minErases: number;
    maxErases: number;
    meanErases: number;
    freeBlocks: number;
    elapsedUs: number;
  };
}

interface InFlight {
  doneUs: number;
  pages: number[];
}

function p99(sorted: number[]): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)]!;
}

function profile(latencies: number[], points: number): number[] {
  if (latencies.length <= points) return latencies.slice();
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    const a = Math.floor((i * latencies.length) / points);
    const b = Math.floor(((i + 1) * latencies.length) / points);
    let m = 0;
    for (let j = a; j < b; j++) m = Math.max(m, latencies[j]!);
    out.push(m);
  }
  return out;
}

/** Runs an I/O trace (see trace.ts for the language). Backs Layer 0 "Storage". */
export function runStorageTrace(text: string, options: { seed?: number } = {}): Result<StorageView> {
  const parsed = parseTrace(text);
  if (!parsed.ok) return parsed;
  const { config, steps } = parsed.value;
  const prng = new Prng(options.seed ?? 1);
  const userSectors = config.capacityBytes / SECTOR_BYTES;
  const ssd = new Ssd({ userSectors, overProvisioning: config.overProvisioning, sectorsPerBlock: config.blockBytes / SECTOR_BYTES, dies: config.dies });
  const cache = new PageCache(config.cacheBytes / SECTOR_BYTES);
  const bgPages = Math.floor(cache.capacityPages * DIRTY_BACKGROUND_FRACTION);
  const limitPages = Math.floor(cache.capacityPages * DIRTY_FRACTION);
  let elevator: Elevator = parsed.value.initialElevator;
  let nowUs = 0;
  let merges = 0;
  let inflight: InFlight[] = [];
  let lastReadEndPage = -1;
  /** Pages under asynchronous readahead → when their read completes, µs. */
  const readyAtUs = new Map<number, number>();

  let inflightMinDoneUs = Infinity;
  const retire = (t: number) => {
    if (t < inflightMinDoneUs) return;
    const keep: InFlight[] = [];
    inflightMinDoneUs = Infinity;
    for (const w of inflight) {
      if (w.doneUs <= t) {
        for (const p of w.pages) if (cache.state(p) === 'writeback') cache.setState(p, 'clean');
      } else {
        keep.push(w);
        inflightMinDoneUs = Math.min(inflightMinDoneUs, w.doneUs);
      }
    }
    inflight = keep;
  };

  /** Sends a batch of requests through the elevator; returns each command's completion time. */
  const dispatch = (batch: DeviceCommand[], t: number): { cmds: DeviceCommand[]; doneUs: number[] } => {
    const s = schedule(batch, elevator);
    merges += s.merges;
    const cost = SCHED_COST_US[elevator];
    const doneUs = s.dispatched.map((c, i) => ssd.submit(c, t + cost * (i + 1)));
    return { cmds: s.dispatched, doneUs };
  };

  /** The flusher: writes every dirty page back in page order (one bio per page, merged by the block layer). */
  const writeback = (t: number) => {
    const pages = cache.dirtyInOrder();
    if (pages.length === 0) return;
    for (const p of pages) cache.setState(p, 'writeback');
    const { cmds, doneUs } = dispatch(pages.map((p) => ({ op: 'write' as const, startSector: p, sectors: 1 })), t);
    cmds.forEach((c, i) => {
      const ps: number[] = [];
      for (let s = c.startSector; s < c.startSector + c.sectors; s++) ps.push(s);
      inflight.push({ doneUs: doneUs[i]!, pages: ps });
      inflightMinDoneUs = Math.min(inflightMinDoneUs, doneUs[i]!);
    });
  };

  /** Waits (advances `t`) until dirty + writeback pages ≤ `target`; balance_dirty_pages() in spirit. */
  const waitForWriteback = (t: number, target: number): number => {
    retire(t);
    if (cache.dirtyPages + cache.writebackPages <= target) return t;
    if (cache.dirtyPages > 0) writeback(t);
    const order = [...inflight].sort((a, b) => a.doneUs - b.doneUs);
    let pending = cache.dirtyPages + cache.writebackPages;
    for (const w of order) {
      if (pending <= target) break;
      pending -= w.pages.length;
      t = Math.max(t, w.doneUs);
    }
    retire(t);
    return t;
  };

  const phases: StoragePhaseView[] = [];
  const points = Math.max(10, Math.floor(500 / Math.max(1, steps.length)));
  for (const step of steps) {
    if (step.kind === 'scheduler') {
      elevator = step.elevator;
      continue;
    }
    const c0 = { ...ssd.ftl.counters };
    const cmd0 = ssd.commands;
    const merges0 = merges;
    const start = nowUs;
    const latencies: number[] = [];
    let hits = 0;
    let readPages = 0;
    let bytes = 0;
    retire(nowUs);
    runStep(step);
    const c1 = ssd.ftl.counters;
    const dHost = c1.hostWrites - c0.hostWrites;
    const dGc = c1.gcWrites - c0.gcWrites;
    const duration = Math.max(1, nowUs - start);
    const sorted = latencies.slice().sort((a, b) => a - b);
    phases.push({
      line: step.line,
      command: step.text,
      ops: latencies.length,
      bytes,
      durationUs: nowUs - start,
      meanLatencyUs: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : 0,
      p99LatencyUs: p99(sorted),
      maxLatencyUs: sorted[sorted.length - 1] ?? 0,
      throughputMiBps: bytes / 1048576 / (duration / 1e6),
      cacheHitRate: readPages > 0 ? hits / readPages : null,
      deviceCommands: ssd.commands - cmd0,
      merges: merges - merges0,
      hostSectorsWritten: dHost,
      gcSectorsWritten: dGc,
      writeAmplification: dHost > 0 ? (dHost + dGc) / dHost : null,
      gcRuns: c1.gcRuns - c0.gcRuns,
      trimmedSectors: c1.trimmedSectors - c0.trimmedSectors,
      dirtyPagesAfter: cache.dirtyPages + cache.writebackPages,
      latencyProfileUs: profile(latencies, points),
    });

    function runStep(s: Exclude<TraceStep, { kind: 'scheduler' }>): void {
      if (s.kind === 'sync') {
        const t = waitForWriteback(nowUs, 0);
        latencies.push(t - nowUs);
        nowUs = t;
        return;
      }
      if (s.kind === 'drop-caches') {
        retire(nowUs);
        cache.dropClean();
        lastReadEndPage = -1;
        return;
      }
      if (s.kind === 'trim') {
        const a = s.start / SECTOR_BYTES;
        const b = s.end / SECTOR_BYTES;
        for (let p = a; p < b; p++) cache.drop(p);
        const done = ssd.submit({ op: 'discard', startSector: a, sectors: b - a }, nowUs);
        latencies.push(done - nowUs);
        nowUs = done;
        return;
      }
      const bsPages = s.bs / SECTOR_BYTES;
      const rangeStart = s.rangeStart / SECTOR_BYTES;
      const rangeEnd = (s.rangeEnd < 0 ? STORAGE_LIMITS.capacityMaxBytes : s.rangeEnd) / SECTOR_BYTES;
      const end = Math.min(rangeEnd, userSectors);
      const slots = Math.floor((end - rangeStart) / bsPages);
      const ops = s.bytes / s.bs;
      let seqSlot = Math.floor(Math.max(0, s.offset / SECTOR_BYTES - rangeStart) / bsPages) % slots;
      const nextStart = (): number => {
        if (s.pattern === 'rand') return rangeStart + prng.intBetween(0, slots) * bsPages;
        const p = rangeStart + seqSlot * bsPages;
        seqSlot = (seqSlot + 1) % slots;
        return p;
      };
      bytes = s.bytes;
      if (s.direct) {
        // O_DIRECT: `qd` requests submitted together (io_submit), then wait for all.
        for (let i = 0; i < ops; i += s.qd) {
          const n = Math.min(s.qd, ops - i);
          const batch: DeviceCommand[] = [];
          for (let k = 0; k < n; k++) {
            const p = nextStart();
            // Direct writes invalidate cached copies (kiocb_invalidate_pages).
            if (s.op === 'write') for (let q = p; q < p + bsPages; q++) cache.drop(q);
            batch.push({ op: s.op, startSector: p, sectors: bsPages });
          }
          const t0 = nowUs + HOST_COSTS.syscallUs;
          const { cmds, doneUs } = dispatch(batch, t0);
          let waveEnd = t0;
          for (const req of batch) {
            const idx = cmds.findIndex((c) => c.op === req.op && c.startSector <= req.startSector && req.startSector < c.startSector + c.sectors);
            const d = doneUs[idx]!;
            latencies.push(d - nowUs);
            waveEnd = Math.max(waveEnd, d);
          }
          nowUs = waveEnd;
          retire(nowUs);
        }
        return;
      }
      for (let i = 0; i < ops; i++) {
        const p = nextStart();
        let t = nowUs + HOST_COSTS.syscallUs + bsPages * HOST_COSTS.copyPageUs;
        if (s.op === 'write') {
          for (let q = p; q < p + bsPages; q++) {
            if (!cache.put(q, 'dirty')) {
              t = waitForWriteback(t, 0);
              cache.put(q, 'dirty');
            }
          }
          retire(t);
          if (cache.dirtyPages >= bgPages) writeback(t);
          if (cache.dirtyPages + cache.writebackPages > limitPages) t = waitForWriteback(t, limitPages);
        } else {
          const missing: number[] = [];
          for (let q = p; q < p + bsPages; q++) {
            readPages++;
            if (cache.state(q) !== undefined) {
              hits++;
              cache.touch(q);
              // A page still being read ahead is in the cache but not yet uptodate: wait for it.
              const ready = readyAtUs.get(q);
              if (ready !== undefined) t = Math.max(t, ready);
            } else missing.push(q);
          }
          const sequential = p === lastReadEndPage;
          const raPages = Math.max(READAHEAD_PAGES, bsPages);
          if (missing.length) {
            // Synchronous readahead (mm/readahead.c page_cache_sync_ra): on a sequential miss read one window ahead too.
            let last = missing[missing.length - 1]!;
            if (sequential) last = Math.min(userSectors - 1, Math.max(last, p + bsPages - 1 + raPages));
            const batch: DeviceCommand[] = [];
            for (let q = missing[0]!; q <= last; q++) {
              if (cache.state(q) !== undefined) continue;
              batch.push({ op: 'read', startSector: q, sectors: 1 });
              cache.put(q, 'clean');
            }
            const { doneUs } = dispatch(batch, t);
            t = Math.max(t, ...doneUs);
          } else if (sequential) {
            // Asynchronous readahead (page_cache_async_ra): the reader consumed a window, fetch the next one without waiting.
            const batch: DeviceCommand[] = [];
            for (let q = p + bsPages; q < Math.min(userSectors, p + bsPages + raPages); q++) {
              if (cache.state(q) !== undefined) continue;
              batch.push({ op: 'read', startSector: q, sectors: 1 });
              cache.put(q, 'clean');
            }
            if (batch.length) {
              const { cmds, doneUs } = dispatch(batch, t);
              cmds.forEach((c, i) => {
                for (let q = c.startSector; q < c.startSector + c.sectors; q++) readyAtUs.set(q, doneUs[i]!);
              });
            }
          }
          lastReadEndPage = p + bsPages;
        }
        latencies.push(t - nowUs);
        nowUs = t;
      }
    }
  }
  const wear = ssd.wear();
  const c = ssd.ftl.counters;
  return ok({
    config: {
      capacity: formatBytes(config.capacityBytes),
      overProvisioning: config.overProvisioning,
      dies: config.dies,
      block: formatBytes(config.blockBytes),
      cache: formatBytes(config.cacheBytes),
      physicalBlocks: ssd.ftl.blocks,
    },
    phases,
    totals: {
      hostSectorsWritten: c.hostWrites,
      gcSectorsWritten: c.gcWrites,
      writeAmplification: ssd.ftl.writeAmplification(),
      erases: c.erases,
      ...wear,
      freeBlocks: ssd.ftl.freeBlocks,
      elapsedUs: nowUs,
    },
  });
}
