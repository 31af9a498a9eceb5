import { describe, expect, it } from 'vitest';
import { fairShare, simulateCfs, runCgroupCpu, DEFAULT_CGROUP_CPU, Prng, type CpuGroupSpec } from '../../src/index.ts';

const unlimited = { quotaUs: null, periodUs: 100000 };
const group = (name: string, weight: number, busyThreads: number, quotaUs: number | null = null, periodUs = 100000, burstUs = 0): CpuGroupSpec => ({
  name, weight, busyThreads, burstUs, max: { quotaUs, periodUs },
});

describe('fairShare (weighted, work-conserving, capped by demand)', () => {
  it('splits in proportion to weight when everyone wants more than their share', () => {
    expect(fairShare(2, [200, 100], [2, 2])).toEqual([4 / 3, 2 / 3]);
  });
  it('gives what a capped group cannot use to the others', () => {
    const s = fairShare(2, [100, 10000], [2, 1]);
    expect(s[1]).toBeCloseTo(1);
    expect(s[0]).toBeCloseTo(1);
  });
  it('never hands out more than the CPUs or the demand', () => {
    const p = new Prng(3);
    for (let k = 0; k < 500; k++) {
      const n = p.intBetween(1, 6);
      const cpus = p.intBetween(1, 9);
      const w = Array.from({ length: n }, () => p.intBetween(1, 10001));
      const d = Array.from({ length: n }, () => p.intBetween(0, 5));
      const s = fairShare(cpus, w, d);
      const sum = s.reduce((a, b) => a + b, 0);
      expect(sum).toBeLessThanOrEqual(cpus + 1e-9);
      s.forEach((x, i) => expect(x).toBeLessThanOrEqual(d[i]! + 1e-9));
      // work-conserving: either all CPUs are used or every group got its demand
      const demand = d.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(Math.min(cpus, demand), 6);
    }
  });
});

describe('simulateCfs', () => {
  it('throttles a group at its quota and counts cpu.stat like the kernel', () => {
    // One thread on one CPU with 20 ms per 100 ms: runs 20 ms, throttled 80 ms, each period.
    const r = simulateCfs([group('a', 100, 1, 20000)], 1, 500000, 10000);
    expect(r.stats[0]).toMatchObject({ usage_usec: 100000, nr_periods: 5, nr_throttled: 5, throttled_usec: 400000 });
  });

  it('counts throttled time once per per-CPU run queue', () => {
    // Two threads on two CPUs, 50 ms per 100 ms: both run 25 ms, then both queues wait 75 ms.
    const r = simulateCfs([group('a', 100, 2, 50000)], 2, 100000, 10000);
    expect(r.stats[0]).toMatchObject({ usage_usec: 50000, nr_throttled: 1, throttled_usec: 150000 });
  });

  it('does not throttle a group whose demand stays under its quota', () => {
    const r = simulateCfs([group('a', 100, 1, 150000)], 2, 300000, 10000);
    expect(r.stats[0]).toMatchObject({ usage_usec: 300000, nr_periods: 3, nr_throttled: 0, throttled_usec: 0 });
  });

  it('lets carried-over runtime be spent as a burst and counts it', () => {
    // Idle-free demand 1 CPU, quota 30 ms + burst 20 ms: the first period starts with quota only.
    const r = simulateCfs([group('a', 100, 1, 30000, 100000, 20000)], 1, 300000, 10000);
    expect(r.stats[0]!.nr_bursts).toBe(0); // a busy group never leaves runtime unused
    const idleFirst = simulateCfs([group('a', 100, 0, 30000, 100000, 20000)], 1, 100000, 10000);
    expect(idleFirst.stats[0]!.usage_usec).toBe(0);
  });

  it('keeps usage per period within quota + burst for random configurations (property)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const p = new Prng(seed);
      const n = p.intBetween(1, 5);
      const cpus = p.intBetween(1, 5);
      const groups = Array.from({ length: n }, (_, i) => {
        const limited = p.chance(0.6);
        const periodUs = [50000, 100000, 250000][p.intBetween(0, 3)]!;
        const quotaUs = limited ? p.intBetween(1000, periodUs * 3) : null;
        const burstUs = limited && p.chance(0.3) ? p.intBetween(0, quotaUs!) : 0;
        return group(`g${i}`, p.intBetween(1, 10001), p.intBetween(0, 4), quotaUs, periodUs, burstUs);
      });
      try {
        const r = simulateCfs(groups, cpus, 1000000, 10000);
        for (const rec of r.periods) {
          const g = groups.find((x) => x.name === rec.group)!;
          expect(rec.usedUs).toBeLessThanOrEqual(g.max.quotaUs! + g.burstUs + 1e-3);
        }
        const total = r.stats.reduce((s, x) => s + x.usage_usec, 0);
        expect(total).toBeLessThanOrEqual(cpus * 1000000 + n);
        r.stats.forEach((s, i) => expect(s.usage_usec).toBeLessThanOrEqual(groups[i]!.busyThreads * 1000000 + 1));
      } catch (e) {
        throw new Error(`failing seed ${seed}: ${(e as Error).message}`);
      }
    }
  });

  it('is deterministic', () => {
    const a = runCgroupCpu(DEFAULT_CGROUP_CPU);
    const b = runCgroupCpu(DEFAULT_CGROUP_CPU);
    expect(a).toEqual(b);
  });
});

describe('runCgroupCpu (the Layer 1 cgroup CPU snippet)', () => {
  it('reproduces the numbers the chapter states for the default snippet', () => {
    const r = runCgroupCpu(DEFAULT_CGROUP_CPU);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const [web, batch, logger] = r.value.groups;
    // weights 200:200:100 on 2 CPUs → 0.8/0.8/0.4 until batch's 50 ms run out at 62.5 ms,
    // then 1.333/0/0.667 for the remaining 37.5 ms of each period.
    expect(web!.stat.usage_usec).toBe(1000000);
    expect(batch!.stat).toMatchObject({ usage_usec: 500000, nr_periods: 10, nr_throttled: 10, throttled_usec: 750000 });
    expect(logger!.stat.usage_usec).toBe(500000);
  });

  it('changes when cpu.max is edited', () => {
    const r = runCgroupCpu(DEFAULT_CGROUP_CPU.replace('cpu.max = 50000 100000', 'cpu.max = 90000 100000'));
    if (!r.ok) throw new Error('unexpected');
    // 0.8 CPU by weight is under the 0.9 CPU quota: no throttling, usage set by weight alone.
    expect(r.value.groups[1]!.stat.usage_usec).toBe(800000);
    expect(r.value.groups[1]!.stat.nr_throttled).toBe(0);
  });

  it.each([
    ['cpu.max = 50000 100000', 'cpu.max = fifty 100000', 'CGROUP_WRITE', 11],
    ['cpu.max = 50000 100000', 'cpu.max = 1000000000000000 100000', 'CGROUP_WRITE', 11],
    ['cpu.max = 50000 100000', 'cpu.max = 50000 5000000', 'CGROUP_WRITE', 17],
    ['cpu.weight = 200\ncpu.max = 50000', 'cpu.weight = 20000\ncpu.max = 50000', 'CGROUP_WRITE', 14],
    ['busy_threads = 2\n\n# ログ', 'busy_threads = 9999\n\n# ログ', 'LIMIT_EXCEEDED', 16],
  ])('locates a bad write: %s → %s', (from, to, code, column) => {
    const text = DEFAULT_CGROUP_CPU.replace(from, to);
    const r = runCgroupCpu(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors[0]!;
    expect(e.code).toBe(code);
    const expectedLine = text.split('\n').findIndex((l) => l.startsWith(to.split('\n')[0]!)) + 1;
    expect(e.line).toBe(expectedLine);
    expect(e.column).toBe(column);
  });

  it('explains v1 file names', () => {
    const r = runCgroupCpu('[a]\ncpu.shares = 1024\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/cgroup v1/);
  });
});
