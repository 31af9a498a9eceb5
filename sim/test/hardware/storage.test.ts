/**
 * SSD, page cache and I/O scheduler: behaviours the Layer 0 "Storage" prose
 * states, each checked by a run that could show otherwise.
 */
import { describe, expect, it } from 'vitest';
import { runStorageTrace, DEFAULT_STORAGE_TRACE } from '../../src/hardware/storage/widget.ts';
import { Ftl, type GcWork } from '../../src/hardware/storage/ftl.ts';
import { schedule } from '../../src/hardware/storage/scheduler.ts';
import { Prng } from '../../src/core/prng.ts';

function run(text: string, seed = 1) {
  const r = runStorageTrace(text, { seed });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

describe('write amplification', () => {
  it('is exactly 1 for sequential full-block writes with no overwrite', () => {
    const v = run('ssd capacity=64MiB op=7% dies=4 block=1MiB\nwrite seq 64MiB bs=1MiB direct qd=4');
    expect(v.totals.gcSectorsWritten).toBe(0);
    expect(v.totals.writeAmplification).toBe(1);
    expect(v.totals.hostSectorsWritten).toBe(16384);
  });

  it('exceeds 1 for random overwrites of a nearly full drive', () => {
    const v = run('ssd capacity=64MiB op=7% dies=4\nwrite seq 64MiB bs=1MiB direct\nwrite rand 64MiB bs=4k direct qd=8');
    const wa = v.phases[1]!.writeAmplification!;
    expect(wa).toBeGreaterThan(2);
    expect(v.phases[1]!.gcRuns).toBeGreaterThan(0);
  });

  it('falls with more over-provisioning', () => {
    const trace = (op: string) => `ssd capacity=64MiB op=${op} dies=4\nwrite seq 64MiB bs=1MiB direct\nwrite rand 128MiB bs=4k direct qd=8`;
    const low = run(trace('7%')).phases[1]!.writeAmplification!;
    const high = run(trace('28%')).phases[1]!.writeAmplification!;
    expect(high).toBeLessThan(low);
  });

  it('is lowered by TRIM: trimmed pages are never copied by GC', () => {
    const base = 'ssd capacity=64MiB op=7% dies=4\nwrite seq 64MiB bs=1MiB direct\n';
    const work = 'write rand 64MiB bs=4k direct qd=8 range=0..32MiB';
    const without = run(base + work).phases.at(-1)!.writeAmplification!;
    const withTrim = run(base + 'trim 32MiB..64MiB\n' + work).phases.at(-1)!.writeAmplification!;
    expect(withTrim).toBeLessThan(without);
  });
});

describe('FTL invariants (property test over seeds)', () => {
  it('keeps the mapping a bijection onto valid pages through writes, TRIM and GC', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const prng = new Prng(seed);
      const userSectors = 64 * prng.intBetween(2, 9);
      const ftl = new Ftl({ userSectors, overProvisioning: 0.02 + prng.nextFloat() * 0.3, sectorsPerBlock: 16 * prng.intBetween(1, 5), dies: prng.intBetween(1, 5) });
      const gc: GcWork[] = [];
      for (let i = 0; i < 4000; i++) {
        const lsn = prng.intBetween(0, userSectors);
        if (prng.chance(0.1)) ftl.trim(lsn);
        else ftl.write(lsn, gc);
        if (i % 500 === 499) {
          const broken = ftl.checkInvariants();
          if (broken) throw new Error(`seed ${seed}, op ${i}: ${broken}`);
        }
      }
      const broken = ftl.checkInvariants();
      if (broken) throw new Error(`seed ${seed}: ${broken}`);
      expect(ftl.counters.gcRuns, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it('levels wear dynamically: a new block is the least-erased free block', () => {
    const ftl = new Ftl({ userSectors: 512, overProvisioning: 0.25, sectorsPerBlock: 16, dies: 1 });
    const prng = new Prng(7);
    const gc: GcWork[] = [];
    for (let i = 0; i < 20000; i++) ftl.write(prng.intBetween(0, 512), gc);
    const e = [...ftl.eraseCount];
    expect(Math.max(...e) - Math.min(...e)).toBeLessThanOrEqual(Math.ceil(Math.max(...e) * 0.5) + 1);
  });
});

describe('page cache and direct I/O', () => {
  it('buffered random writes return at memory speed; O_DIRECT waits for NAND', () => {
    const v = run('ssd capacity=64MiB\ncache size=64MiB\nwrite rand 4MiB bs=4k\nsync\nwrite rand 4MiB bs=4k direct');
    const [buffered, sync, direct] = v.phases;
    expect(buffered!.meanLatencyUs).toBeLessThan(5);
    expect(direct!.meanLatencyUs).toBeGreaterThan(100);
    expect(sync!.durationUs).toBeGreaterThan(1000);
    expect(sync!.dirtyPagesAfter).toBe(0);
  });

  it('serves re-reads from the cache until drop-caches', () => {
    const v = run('ssd capacity=64MiB\nwrite seq 4MiB bs=64k\nsync\nread seq 4MiB bs=64k\ndrop-caches\nread rand 4MiB bs=4k range=0..4MiB');
    expect(v.phases[2]!.cacheHitRate).toBe(1);
    expect(v.phases[4]!.cacheHitRate).toBeLessThan(0.5);
  });

  it('readahead makes sequential buffered reads mostly hits', () => {
    const v = run('ssd capacity=64MiB\nwrite seq 16MiB bs=1MiB direct\nread seq 16MiB bs=16k');
    expect(v.phases[1]!.cacheHitRate).toBeGreaterThan(0.9);
  });

  it('throttles a writer that dirties more than vm.dirty_ratio of the cache', () => {
    const v = run('ssd capacity=64MiB\ncache size=8MiB\nwrite seq 32MiB bs=64k');
    expect(v.phases[0]!.maxLatencyUs).toBeGreaterThan(1000);
  });
});

describe('I/O scheduler', () => {
  const w = (s: number) => ({ op: 'write' as const, startSector: s, sectors: 1 });
  it('none merges only back-to-back contiguous requests', () => {
    const r = schedule([w(2), w(0), w(1)], 'none');
    expect(r.dispatched.map((c) => [c.startSector, c.sectors])).toEqual([[2, 1], [0, 2]]);
    expect(r.merges).toBe(1);
  });
  it('mq-deadline sorts by sector, merges everything contiguous and serves reads first', () => {
    const r = schedule([w(2), w(0), { op: 'read', startSector: 9, sectors: 1 }, w(1)], 'mq-deadline');
    expect(r.dispatched.map((c) => [c.op, c.startSector, c.sectors])).toEqual([['read', 9, 1], ['write', 0, 3]]);
    expect(r.merges).toBe(2);
  });
});

describe('the widget runner', () => {
  it('runs the default trace and tells its story', () => {
    const v = run(DEFAULT_STORAGE_TRACE);
    const byLine = (prefix: string) => v.phases.find((p) => p.command.startsWith(prefix))!;
    expect(byLine('write seq 64MiB').writeAmplification).toBe(1);
    const overwrite = v.phases.find((p) => p.command === 'write rand 16MiB bs=4k direct qd=16')!;
    expect(overwrite.writeAmplification!).toBeGreaterThan(2);
    const afterTrim = v.phases.find((p) => p.command.includes('range=0..32MiB'))!;
    expect(afterTrim.writeAmplification!).toBeLessThan(overwrite.writeAmplification!);
    for (const p of v.phases) expect(p.latencyProfileUs.length).toBeLessThanOrEqual(100);
  });

  it('is deterministic per seed', () => {
    const t = 'ssd capacity=64MiB\nwrite seq 64MiB bs=1MiB direct\nwrite rand 48MiB bs=4k direct qd=4';
    expect(run(t, 3)).toEqual(run(t, 3));
    expect(run(t, 3).totals.gcSectorsWritten).not.toBe(run(t, 4).totals.gcSectorsWritten);
  });

  it('locates errors by line and column', () => {
    const r = runStorageTrace('ssd capacity=64MiB\nwrite rand 16MiB bs=6k\nscheduler kyber\nfrobnicate');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [2, 21, 'TRACE_SYNTAX'],
      [3, 11, 'NOT_SIMULATED'],
      [4, 1, 'TRACE_SYNTAX'],
    ]);
  });

  it('refuses absurd sizes fast with a located limit error', () => {
    const t0 = Date.now();
    const r = runStorageTrace('ssd capacity=1GiB\nwrite rand 1TiB bs=4k');
    expect(Date.now() - t0).toBeLessThan(200);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', line: 2, column: 12 });
    const cap = runStorageTrace('ssd capacity=2GiB\nwrite seq 1MiB');
    expect(cap.ok).toBe(false);
    if (!cap.ok) expect(cap.errors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', line: 1, column: 14 });
  });
});
