/**
 * Layer 1 widget runners, timed: runMemoryPressure (default story and a
 * memory.high throttling case that simulates minutes of virtual time),
 * runQosOom (default 3 pods) and runNamespaces (default script). Prints one
 * line per runner: `<name>: <ms> ms/run`. Target: each default widget run
 * well under 50 ms so editing feels instant.
 *
 * Run: node --experimental-strip-types sim/bench/kernel-memory.ts
 */
import { runMemoryPressure, DEFAULT_MEMORY_PRESSURE, runQosOom, DEFAULT_QOS_OOM, runNamespaces, DEFAULT_NAMESPACES_SCRIPT } from '../src/index.ts';

declare const console: { log(...args: unknown[]): void };
declare const performance: { now(): number };

const THROTTLE_CASE = 'memory.max 512Mi\nmemory.high 384Mi\nproc app\nat 0 app read 100Mi\nat 100..3000 every 100 app alloc 16Mi\n';

function time(name: string, runs: number, f: () => { ok: boolean }): void {
  f();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) if (!f().ok) throw new Error(`${name} failed`);
  console.log(`${name}: ${((performance.now() - t0) / runs).toFixed(2)} ms/run`);
}

time('runMemoryPressure(default)', 20, () => runMemoryPressure(DEFAULT_MEMORY_PRESSURE, { seed: 1 }));
time('runMemoryPressure(memory.high throttling, 416 s virtual)', 3, () => runMemoryPressure(THROTTLE_CASE, { seed: 1 }));
time('runQosOom(default)', 200, () => runQosOom(DEFAULT_QOS_OOM, { memoryCapacityBytes: 4 * 2 ** 30, seed: 1 }));
time('runNamespaces(default)', 50, () => runNamespaces(DEFAULT_NAMESPACES_SCRIPT, { seed: 1 }));
