/**
 * Layer 2 widget runners on their DEFAULT inputs (plain script:
 * `node --experimental-strip-types sim/bench/runtime.ts`). Prints mean ms per run.
 */
import { DEFAULT_CRI_SEQUENCE, runCriSequence } from '../src/runtime/widgets/cri-sequence.ts';
import { DEFAULT_IMAGE_PULL, runImagePull } from '../src/runtime/widgets/image-pull.ts';
import { DEFAULT_RUNC_CONFIG, runRuncConfig } from '../src/runtime/widgets/runc-config.ts';
import { DEFAULT_SHIM_RESTART, runShimRestart } from '../src/runtime/widgets/shim-restart.ts';

declare const console: { log(...args: unknown[]): void };
declare const performance: { now(): number };

const cases: [string, () => unknown][] = [
  ['runCriSequence DEFAULT', () => runCriSequence(DEFAULT_CRI_SEQUENCE, { seed: 1 })],
  ['runImagePull DEFAULT', () => runImagePull(DEFAULT_IMAGE_PULL, { seed: 1 })],
  ['runRuncConfig DEFAULT', () => runRuncConfig(DEFAULT_RUNC_CONFIG, { seed: 1 })],
  ['runShimRestart DEFAULT', () => runShimRestart(DEFAULT_SHIM_RESTART, { seed: 1 })],
];
for (const [name, fn] of cases) {
  fn();
  const n = 20;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  console.log(`${name}: ${((performance.now() - t0) / n).toFixed(2)} ms/run`);
}
