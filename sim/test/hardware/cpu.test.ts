/**
 * CPU: cores and cpusets, the 4-stage pipeline trace, and the nested
 * page-walk arithmetic of VT-x/EPT.
 */
import { describe, expect, it } from 'vitest';
import { runCpuCores, DEFAULT_CPU_CORES } from '../../src/hardware/cpu/widget.ts';
import { runPipeline, DEFAULT_PIPELINE_PROGRAM } from '../../src/hardware/cpu/pipeline.ts';
import { pageWalkReferences } from '../../src/hardware/cpu/virtualization.ts';
import { parseCpuList } from '../../src/hardware/input.ts';

describe('cores and cpuset', () => {
  it('threads pinned to two cores share those two cores and never run elsewhere', () => {
    const r = runCpuCores(DEFAULT_CPU_CORES, { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value;
    const batch = v.threads.map((t, i) => [t, i] as const).filter(([t]) => t.name.startsWith('batch'));
    for (const [, i] of batch) {
      expect(v.timeline[0]!.slots.includes(i)).toBe(false);
      expect(v.timeline[1]!.slots.includes(i)).toBe(false);
    }
    const batchMs = batch.reduce((a, [t]) => a + t.cpuMs, 0);
    expect(batchMs).toBeLessThanOrEqual(2 * v.durationMs);
    // limit 1500m: at most 150 ms of CPU per 100 ms period (cpu.max "150000 100000").
    const g = v.groups.find((x) => x.name === 'batch')!;
    expect(g.quotaMs).toBe(150);
    expect(batchMs).toBe(g.cpuMs);
    expect(g.cpuMs).toBeLessThanOrEqual(g.quotaMs! * g.nrPeriods);
    expect(g.nrThrottled).toBeGreaterThan(0);
  });
  it('without the limit, the pinned batch threads fill cores 2-3 and are never throttled', () => {
    const r = runCpuCores(DEFAULT_CPU_CORES.replace('    limit: 1500m\n', ''), { seed: 1 });
    if (!r.ok) throw new Error();
    const g = r.value.groups.find((x) => x.name === 'batch')!;
    expect(g.nrThrottled).toBe(0);
    expect(g.avgCpus).toBeGreaterThan(1.5);
  });
  it('under contention, CPU time splits by request (cpu.shares ∝ milliCPU)', () => {
    const text = (a: string, b: string) => `cores: 2\nduration_ms: 1000\nthreads:\n  - name: a\n    count: 2\n    request: ${a}\n  - name: b\n    count: 2\n    request: ${b}\n`;
    for (const [a, b, ratio] of [['1', '1', 1], ['1500m', '500m', 3], ['200m', '800m', 0.25]] as const) {
      const r = runCpuCores(text(a, b));
      if (!r.ok) throw new Error();
      const [ga, gb] = r.value.groups;
      expect(ga!.cpuMs / gb!.cpuMs, `${a} vs ${b}`).toBeCloseTo(ratio, 1);
    }
  });
  it('a limit caps use at quota per period even when cores are idle', () => {
    for (const limit of ['250m', '500m', '1', '1500m']) {
      const r = runCpuCores(`cores: 4\nduration_ms: 500\nthreads:\n  - name: x\n    count: 4\n    limit: ${limit}\n`);
      if (!r.ok) throw new Error();
      const g = r.value.groups[0]!;
      expect(g.cpuMs, limit).toBe(g.quotaMs! * 5);
      expect(g.requestMilli, 'request defaults to the limit').toBe(g.limitMilli);
    }
  });
  it('never runs a thread on two cores in the same tick and never exceeds the machine (property, many seeds)', () => {
    const text = 'cores: 3\nduration_ms: 300\nslice_ms: 3\nthreads:\n  - name: a\n    count: 5\n    demand: 60%\n    request: 700m\n  - name: b\n    count: 2\n    cpuset: 1\n    limit: 600m\n';
    for (let seed = 1; seed <= 30; seed++) {
      const r = runCpuCores(text, { seed });
      if (!r.ok) throw new Error(`seed ${seed}`);
      const v = r.value;
      for (let t = 0; t < v.durationMs; t++) {
        const running = v.timeline.map((c) => c.slots[t]!).filter((x) => x >= 0);
        if (new Set(running).size !== running.length) throw new Error(`seed ${seed}: a thread ran on two cores at ${t} ms`);
      }
      const total = v.threads.reduce((a, t) => a + t.cpuMs, 0);
      expect(total, `seed ${seed}`).toBeLessThanOrEqual(v.cores * v.durationMs);
      for (const t of v.threads) expect(t.cpuMs, `seed ${seed} ${t.name}`).toBeLessThanOrEqual(t.wantedMs);
      const b = v.groups[1]!;
      if (b.cpuMs > b.quotaMs! * b.nrPeriods) throw new Error(`seed ${seed}: group b used ${b.cpuMs} ms, over its quota`);
    }
  });
  it('more busy threads than cores: each gets cores/threads of a core', () => {
    const r = runCpuCores('cores: 2\nduration_ms: 400\nthreads:\n  - name: w\n    count: 4\n');
    if (!r.ok) throw new Error();
    for (const t of r.value.threads) expect(t.coreShare).toBeCloseTo(0.5, 1);
  });
  it('locates a bad cpuset', () => {
    const r = runCpuCores('cores: 4\nthreads:\n  - name: x\n    cpuset: 2-7\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ path: 'threads[0].cpuset', line: 4 });
    expect(parseCpuList('0-2,5', 8)).toEqual([0, 1, 2, 5]);
    const q = runCpuCores('cores: 2\nthreads:\n  - name: x\n    limit: 3\n  - name: y\n    request: lots\n');
    expect(q.ok).toBe(false);
    if (!q.ok) expect(q.errors.map((e) => [e.path, e.line])).toEqual([['threads[0].limit', 4], ['threads[1].request', 6]]);
    expect(parseCpuList('3-1', 8)).toMatch(/backwards/);
  });
});

describe('pipeline trace', () => {
  it('overlaps independent instructions: n instructions in n + 3 cycles', () => {
    const r = runPipeline('MOV r1, 1\nMOV r2, 2\nMOV r3, 3\nMOV r4, 4');
    if (!r.ok) throw new Error();
    expect(r.value.pipelinedCycles).toBe(7);
    expect(r.value.unpipelinedCycles).toBe(16);
    expect(r.value.stalls).toBe(0);
  });
  it('stalls one cycle on a read-after-write to the instruction just ahead, and computes the right values', () => {
    const r = runPipeline(DEFAULT_PIPELINE_PROGRAM);
    if (!r.ok) throw new Error();
    expect(r.value.stalls).toBe(3);
    expect(r.value.pipelinedCycles).toBe(6 + 3 + 3);
    expect(r.value.memory.z).toBe(24);
    expect(r.value.registers.r3).toBe(12);
    expect(r.value.cycles.filter((c) => c.stall).map((c) => c.cycle)).toEqual([5, 8, 10]);
  });
  it('locates syntax errors', () => {
    const r = runPipeline('MOV r1, 1\nADD r2, r9, 1\nJMP 3');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => [e.line, e.column])).toEqual([[2, 9], [3, 1]]);
  });
});

describe('VT-x / EPT nested page walks', () => {
  it.each([
    [4, 0, 4],
    [4, 4, 24],
    [3, 3, 15],
    [5, 5, 35],
  ])('guest %i levels on host %i levels → %i references', (g, h, refs) => {
    expect(pageWalkReferences(g, h)).toBe(refs);
  });
});
