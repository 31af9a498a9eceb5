/**
 * Cache and TLB hit-rate tables for patterns whose answer is known by
 * arithmetic (64-byte lines, 8-byte elements, LRU), and NUMA ordering.
 */
import { describe, expect, it } from 'vitest';
import { simulateAccess, type AccessRun } from '../../src/hardware/memory/access.ts';
import { SetAssocCache } from '../../src/hardware/memory/cache.ts';
import { runMemoryAccess, DEFAULT_MEMORY_ACCESS } from '../../src/hardware/memory/widget.ts';
import { tlbReachBytes, DRAM_LOCAL_NS, DRAM_REMOTE_NS } from '../../src/hardware/memory/hierarchy.ts';
import { Prng } from '../../src/core/prng.ts';

const base: AccessRun = {
  pattern: 'random', workingSetBytes: 16 * 1024, strideBytes: 64, elementBytes: 8, accesses: 20000,
  pageSize: '4KiB', cpuNode: 0, placement: 'local', warmup: true,
};
const sim = (over: Partial<AccessRun>, seed = 1) => simulateAccess({ ...base, ...over }, new Prng(seed));

describe('set-associative LRU cache', () => {
  it('evicts the least recently used way of a set', () => {
    const c = new SetAssocCache(4, 2); // 2 sets × 2 ways
    expect([c.access(0), c.access(2), c.access(0), c.access(4), c.access(0), c.access(2)]).toEqual([false, false, true, false, true, false]);
  });
});

describe('hit-rate tables', () => {
  it.each([
    // [pattern, working set, stride, expected L1d hit rate]
    ['sequential', 64 * 1024 * 1024, 8, 7 / 8], // 8 elements per 64-byte line: the first misses
    ['strided', 64 * 1024 * 1024, 32, 1 / 2], // two accesses per line
    ['strided', 64 * 1024 * 1024, 64, 0], // a new line every access, never reused in time
    ['random', 16 * 1024, 8, 1], // fits in the 32 KiB L1d
  ] as const)('%s over %i bytes (stride %i) → L1d %f', (pattern, ws, stride, l1) => {
    const r = sim({ pattern, workingSetBytes: ws, strideBytes: stride });
    expect(r.hitRate.L1d).toBeCloseTo(l1, 3);
  });

  it('a working set that fits L2 but not L1 is served by L2', () => {
    const r = sim({ workingSetBytes: 512 * 1024, accesses: 100000 });
    expect(r.servedBy.L1d + r.servedBy.L2).toBeCloseTo(1, 5);
    expect(r.servedBy.L2).toBeGreaterThan(0.9);
  });

  it('a working set far larger than L3 goes to DRAM and costs about the DRAM latency', () => {
    const r = sim({ workingSetBytes: 1024 ** 3, pageSize: '2MiB' });
    expect(r.servedBy.dramLocal).toBeGreaterThan(0.95);
    expect(r.avgLatencyNs).toBeGreaterThan(0.95 * DRAM_LOCAL_NS);
  });
});

describe('TLB and huge pages', () => {
  it('states TLB reach: 1536 × 4 KiB = 6 MiB, 1536 × 2 MiB = 3 GiB', () => {
    expect(tlbReachBytes('4KiB')).toBe(6 * 1024 * 1024);
    expect(tlbReachBytes('2MiB')).toBe(3 * 1024 ** 3);
  });
  it('random access over 1 GiB walks the page table almost every time with 4 KiB pages, almost never with 2 MiB', () => {
    const small = sim({ workingSetBytes: 1024 ** 3, pageSize: '4KiB' });
    const huge = sim({ workingSetBytes: 1024 ** 3, pageSize: '2MiB' });
    expect(small.tlb.walksPerAccess).toBeGreaterThan(0.9);
    expect(huge.tlb.walksPerAccess).toBe(0);
    expect(huge.avgLatencyNs).toBeLessThan(small.avgLatencyNs);
  });
});

describe('NUMA placement', () => {
  it('orders local < interleave < remote', () => {
    const at = (placement: AccessRun['placement']) => sim({ workingSetBytes: 1024 ** 3, pageSize: '2MiB', placement }).avgLatencyNs;
    const [l, i, r] = [at('local'), at('interleave'), at('remote')];
    expect(l).toBeLessThan(i);
    expect(i).toBeLessThan(r);
    expect(r / l).toBeGreaterThan(DRAM_REMOTE_NS / DRAM_LOCAL_NS - 0.1);
  });
});

describe('runMemoryAccess', () => {
  it('runs the default snippet: sequential beats random, huge pages beat 4 KiB, remote is slowest', () => {
    const r = runMemoryAccess(DEFAULT_MEMORY_ACCESS, { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const lat = r.value.runs.map((x) => x.avgLatencyNs);
    expect(lat[0]).toBeCloseTo(1, 5);
    expect(lat[1]).toBeLessThan(lat[3]!);
    expect(lat[4]).toBeLessThan(lat[3]!);
    expect(lat[5]).toBeGreaterThan(lat[4]!);
  });
  it('locates bad fields and limits', () => {
    const r = runMemoryAccess('runs:\n  - pattern: zigzag\n  - working_set: 1TiB\n    accesses: 5000000\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.path, e.line, e.code])).toEqual([
      ['runs[0].pattern', 2, 'FIELD_INVALID'],
      ['runs[1].working_set', 3, 'LIMIT_EXCEEDED'],
      ['runs[1].accesses', 4, 'LIMIT_EXCEEDED'],
    ]);
  });
});
