/**
 * The memory hierarchy as numbers (Layer 0 "Memory"). Time unit for the
 * memory model: 1 tick = 1 ns (integer per level; averages are reported as
 * decimals). Figures are for a current server core around 3–4 GHz and are
 * the usual stated ranges, rounded:
 *
 * - L1d: 32–48 KiB per core, 8–12-way, ~4–5 cycles ≈ 1 ns
 * - L2: 1–2 MiB per core, 16-way, ~14 cycles ≈ 4 ns
 * - L3: tens of MiB shared, ~40–70 cycles ≈ 10–20 ns → 15 ns
 * - DRAM: ~80–100 ns local → 90 ns; a remote NUMA node ~1.5–2× → 140 ns
 *   (Intel 64 and IA-32 Architectures Optimization Reference Manual, cache
 *   parameter tables for Skylake-SP/Ice Lake-SP; `numactl --hardware` shows
 *   the ACPI SLIT distances 10 local / 21 remote on a typical two-socket box —
 *   relative costs, not nanoseconds).
 * Cache lines are 64 bytes on x86-64 and most ARM64 cores.
 *
 * TLB (Skylake-class, same manual): L1 dTLB 64 entries for 4 KiB pages,
 * 32 for 2 MiB, 4 for 1 GiB; the second-level STLB has 1536 entries shared
 * by 4 KiB and 2 MiB pages and 16 for 1 GiB. TLB reach = entries × page size.
 */

export const CACHE_LINE_BYTES = 64;

export interface CacheLevelSpec {
  name: 'L1d' | 'L2' | 'L3';
  capacityBytes: number;
  ways: number;
  latencyNs: number;
}

export const CACHE_LEVELS: readonly CacheLevelSpec[] = [
  { name: 'L1d', capacityBytes: 32 * 1024, ways: 8, latencyNs: 1 },
  { name: 'L2', capacityBytes: 1024 * 1024, ways: 16, latencyNs: 4 },
  { name: 'L3', capacityBytes: 32 * 1024 * 1024, ways: 16, latencyNs: 15 },
];

export const DRAM_LOCAL_NS = 90;
export const DRAM_REMOTE_NS = 140;
/** ACPI SLIT distances as `numactl --hardware` prints them for two nodes. */
export const NUMA_DISTANCES = [
  [10, 21],
  [21, 10],
] as const;

/** The hierarchy as a table for the chapter (registers to DRAM). */
export const MEMORY_HIERARCHY_TABLE = [
  { level: 'registers', capacity: '16 × 64-bit general + 32 × 512-bit vector', latencyNs: 0 },
  { level: 'L1d', capacity: '32 KiB / core', latencyNs: 1 },
  { level: 'L2', capacity: '1 MiB / core', latencyNs: 4 },
  { level: 'L3', capacity: '32 MiB / socket', latencyNs: 15 },
  { level: 'DRAM (local node)', capacity: 'GiB–TiB', latencyNs: DRAM_LOCAL_NS },
  { level: 'DRAM (remote node)', capacity: 'GiB–TiB', latencyNs: DRAM_REMOTE_NS },
] as const;

export type PageSize = '4KiB' | '2MiB' | '1GiB';

export const PAGE_BYTES: Record<PageSize, number> = { '4KiB': 4096, '2MiB': 2 * 1024 * 1024, '1GiB': 1024 * 1024 * 1024 };

export interface TlbSpec {
  l1Entries: number;
  l1Ways: number;
  stlbEntries: number;
  stlbWays: number;
  /** Page-table levels walked: 4 for 4 KiB, 3 for 2 MiB, 2 for 1 GiB (4-level paging). */
  walkLevels: number;
}

export const TLB_SPECS: Record<PageSize, TlbSpec> = {
  '4KiB': { l1Entries: 64, l1Ways: 4, stlbEntries: 1536, stlbWays: 12, walkLevels: 4 },
  '2MiB': { l1Entries: 32, l1Ways: 4, stlbEntries: 1536, stlbWays: 12, walkLevels: 3 },
  '1GiB': { l1Entries: 4, l1Ways: 4, stlbEntries: 16, stlbWays: 4, walkLevels: 2 },
};

/** STLB L2 hit costs a few cycles more than an L1 dTLB hit (~7 cycles ≈ 2 ns). */
export const STLB_HIT_NS = 2;

/** TLB reach in bytes: how much memory the TLB maps without a page walk. */
export function tlbReachBytes(page: PageSize): number {
  return TLB_SPECS[page].stlbEntries * PAGE_BYTES[page];
}
