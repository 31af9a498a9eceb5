/**
 * Layer 0 widget runners on their DEFAULT inputs and near their limits.
 * Prints one line per case: `hardware: <case> <ms> ms` (median of runs).
 *
 * Run: node --experimental-strip-types sim/bench/hardware.ts
 */
import { runStorageTrace, DEFAULT_STORAGE_TRACE, runMemoryAccess, DEFAULT_MEMORY_ACCESS, runNicBurst, DEFAULT_NIC_BURST, runCpuCores, DEFAULT_CPU_CORES, runPipeline, DEFAULT_PIPELINE_PROGRAM } from '../src/index.ts';

declare const console: { log(...args: unknown[]): void };
declare const performance: { now(): number };

function median(f: () => unknown, runs: number): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const cases: [string, () => unknown, number][] = [
  ['runStorageTrace DEFAULT', () => runStorageTrace(DEFAULT_STORAGE_TRACE, { seed: 1 }), 3],
  ['runStorageTrace 1GiB drive, 256MiB rand 4k direct qd=32', () => runStorageTrace('ssd capacity=1GiB\nwrite rand 256MiB bs=4k direct qd=32', { seed: 1 }), 1],
  ['runMemoryAccess DEFAULT (6 runs x 5k, warm-up included)', () => runMemoryAccess(DEFAULT_MEMORY_ACCESS, { seed: 1 }), 3],
  ['runNicBurst DEFAULT (10k packets)', () => runNicBurst(DEFAULT_NIC_BURST, { seed: 1 }), 3],
  ['runNicBurst 200k packets (the limit)', () => runNicBurst(DEFAULT_NIC_BURST.replace('packets: 10000', 'packets: 200000'), { seed: 1 }), 1],
  ['runCpuCores DEFAULT', () => runCpuCores(DEFAULT_CPU_CORES, { seed: 1 }), 5],
  ['runPipeline DEFAULT', () => runPipeline(DEFAULT_PIPELINE_PROGRAM), 5],
];
for (const [name, f, runs] of cases) console.log(`hardware: ${name} ${median(f, runs).toFixed(0)} ms`);
