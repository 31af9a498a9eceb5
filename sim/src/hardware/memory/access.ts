/**
 * Runs an access pattern through a TLB and the L1d/L2/L3 caches to DRAM
 * (Layer 0 "Memory"). 1 tick = 1 ns.
 *
 * Per access: translate the page (L1 dTLB → STLB → page walk), then load the
 * line (L1d → L2 → L3 → DRAM on the local or remote NUMA node). The access
 * costs the latency of the level that hits (load-to-use latency already
 * includes the lookups above it). A page walk takes its upper levels from
 * the paging-structure caches and loads the leaf entry (PTE for 4 KiB, PDE
 * for 2 MiB, PDPTE for 1 GiB) through the same data caches — so walks are
 * cheap while the page tables fit in cache and expensive when they do not.
 * Caches are non-inclusive and have no prefetcher (real cores prefetch
 * sequential and strided streams, so they do better than this on those).
 */
import { Prng } from '../../core/prng.ts';
import { SetAssocCache } from './cache.ts';
import { CACHE_LEVELS, CACHE_LINE_BYTES, PAGE_BYTES, STLB_HIT_NS, TLB_SPECS, type PageSize } from './hierarchy.ts';
import { dramLatencyNs, memoryNodeOf, type MemoryPlacement } from './numa.ts';

export type AccessPattern = 'sequential' | 'strided' | 'random';

export interface AccessRun {
  pattern: AccessPattern;
  workingSetBytes: number;
  /** Bytes between consecutive accesses for `strided` (sequential uses `elementBytes`). */
  strideBytes: number;
  elementBytes: number;
  accesses: number;
  pageSize: PageSize;
  cpuNode: 0 | 1;
  placement: MemoryPlacement;
  /** Run the pattern once unmeasured first, so results show the steady state. */
  warmup: boolean;
}

export interface AccessResult {
  /** Fraction of accesses served by each level (sums to 1). */
  servedBy: { L1d: number; L2: number; L3: number; dramLocal: number; dramRemote: number };
  /** Hit rate of each cache among the accesses that reached it. */
  hitRate: { L1d: number; L2: number; L3: number };
  tlb: { l1HitRate: number; stlbHitRate: number; walksPerAccess: number; reachBytes: number };
  avgLatencyNs: number;
  /** Share of the average spent on address translation. */
  translationNsPerAccess: number;
}

/** Where page-table leaf entries live in the simulated physical address space (64 GiB, above the 16 GiB working-set limit; line numbers stay below 2^31). */
const PAGE_TABLE_BASE = 2 ** 36;

/** Fresh L1d, L2 and L3 caches. The L3 alone is 524,288 line slots, so a caller running several patterns passes one set to `simulateAccess` and it is cleared per run. */
export function newDataCaches(): SetAssocCache[] {
  return CACHE_LEVELS.map((l) => new SetAssocCache(l.capacityBytes / CACHE_LINE_BYTES, l.ways));
}

export function simulateAccess(run: AccessRun, prng: Prng, caches: SetAssocCache[] = newDataCaches()): AccessResult {
  for (const c of caches) c.clear();
  const spec = TLB_SPECS[run.pageSize];
  const pageBytes = PAGE_BYTES[run.pageSize];
  const dtlb = new SetAssocCache(spec.l1Entries, spec.l1Ways);
  const stlb = new SetAssocCache(spec.stlbEntries, spec.stlbWays);
  const elements = Math.max(1, Math.floor(run.workingSetBytes / run.elementBytes));
  const step = run.pattern === 'strided' ? run.strideBytes : run.elementBytes;
  let cursor = 0;
  const next = (): number => {
    if (run.pattern === 'random') return prng.intBetween(0, elements) * run.elementBytes;
    const a = cursor;
    cursor = (cursor + step) % run.workingSetBytes;
    return a;
  };

  const served = { L1d: 0, L2: 0, L3: 0, dramLocal: 0, dramRemote: 0 };
  let totalNs = 0;
  let translationNs = 0;
  let walks = 0;

  /** Loads one line through the caches; returns its latency and records where it was served. */
  const load = (addr: number, node: 0 | 1, count: boolean): number => {
    const line = Math.floor(addr / CACHE_LINE_BYTES);
    for (let i = 0; i < caches.length; i++) {
      if (caches[i]!.access(line)) {
        if (count) served[CACHE_LEVELS[i]!.name]++;
        // Fill the levels above (non-inclusive hierarchy).
        for (let j = 0; j < i; j++) caches[j]!.access(line);
        return CACHE_LEVELS[i]!.latencyNs;
      }
    }
    if (count) {
      if (node === run.cpuNode) served.dramLocal++;
      else served.dramRemote++;
    }
    return dramLatencyNs(run.cpuNode, node);
  };

  const pass = (n: number, measure: boolean) => {
    for (let i = 0; i < n; i++) {
      const addr = next();
      const page = Math.floor(addr / pageBytes);
      const node = memoryNodeOf(page, run.cpuNode, run.placement);
      let tNs = 0;
      if (!dtlb.access(page)) {
        tNs += STLB_HIT_NS;
        if (!stlb.access(page)) {
          if (measure) walks++;
          // Leaf entry of the walk, 8 bytes per page; page tables live on the thread's node.
          tNs += load(PAGE_TABLE_BASE + page * 8, run.cpuNode, false);
        }
      }
      const dNs = load(addr, node, measure);
      if (measure) {
        translationNs += tNs;
        totalNs += tNs + dNs;
      }
    }
  };

  if (run.warmup) pass(run.accesses, false);
  for (const c of [...caches, dtlb, stlb]) c.resetCounters();
  // Only data loads are tallied in `served`; cache hit counters also saw walk loads, so derive rates from `served`.
  pass(run.accesses, true);

  const n = run.accesses;
  const reachedL2 = n - served.L1d;
  const reachedL3 = reachedL2 - served.L2;
  return {
    servedBy: {
      L1d: served.L1d / n, L2: served.L2 / n, L3: served.L3 / n, dramLocal: served.dramLocal / n, dramRemote: served.dramRemote / n,
    },
    hitRate: {
      L1d: served.L1d / n,
      L2: reachedL2 > 0 ? served.L2 / reachedL2 : 0,
      L3: reachedL3 > 0 ? served.L3 / reachedL3 : 0,
    },
    tlb: {
      l1HitRate: dtlb.hits / n,
      stlbHitRate: dtlb.misses > 0 ? stlb.hits / dtlb.misses : 1,
      walksPerAccess: walks / n,
      reachBytes: spec.stlbEntries * pageBytes,
    },
    avgLatencyNs: totalNs / n,
    translationNsPerAccess: translationNs / n,
  };
}
