/**
 * Property over whole widget runs (Layer 1 "cgroup v2 memory"): for random
 * scripts, no sample of memory.current and no memory.peak exceeds
 * memory.max, every OOM kill is counted in memory.events, and an OOM only
 * happens when memory.max (not memory.high) was hit. Prints the failing seed.
 */
import { describe, it } from 'vitest';
import { Prng } from '../../src/core/prng.ts';
import { runMemoryPressure } from '../../src/kernel/cgroups/memory-pressure.ts';

const Mi = 2 ** 20;

function script(prng: Prng): { text: string; maxBytes: number | null } {
  const lines: string[] = [];
  const max = prng.chance(0.8) ? prng.intBetween(16, 512) : null;
  lines.push(`memory.max ${max === null ? 'max' : `${max}Mi`}`);
  if (prng.chance(0.5)) lines.push(`memory.high ${prng.intBetween(8, 512)}Mi`);
  const swap = prng.chance(0.3);
  lines.push(`memory.swap.max ${swap ? `${prng.intBetween(0, 128)}Mi` : '0'}`);
  if (swap) lines.push(`node.swap ${prng.intBetween(16, 256)}Mi`);
  lines.push(`memory.oom.group ${prng.chance(0.5) ? 1 : 0}`);
  lines.push('node.memory 2Gi');
  const procs = ['a', 'b', 'c'].slice(0, prng.intBetween(1, 4));
  for (const p of procs) lines.push(`proc ${p} oom_score_adj=${prng.intBetween(-999, 1001)}`);
  for (let i = 0; i < prng.intBetween(1, 6); i++) {
    const p = procs[prng.intBetween(0, procs.length)]!;
    const verb = ['alloc', 'alloc', 'read', 'free'][prng.intBetween(0, 4)]!;
    const from = prng.intBetween(0, 2000);
    if (prng.chance(0.5)) lines.push(`at ${from} ${p} ${verb} ${prng.intBetween(1, 200)}Mi`);
    else lines.push(`at ${from}..${from + prng.intBetween(100, 3000)} every ${prng.intBetween(50, 500)} ${p} ${verb} ${prng.intBetween(1, 32)}Mi`);
  }
  return { text: lines.join('\n') + '\n', maxBytes: max === null ? null : max * Mi };
}

describe('property: runMemoryPressure never shows a cgroup over memory.max (150 seeds)', () => {
  it('random scripts', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const prng = new Prng(seed);
      const { text, maxBytes } = script(prng);
      const r = runMemoryPressure(text, { seed });
      if (!r.ok) throw new Error(`seed ${seed}: script rejected: ${r.errors[0]!.message}\n${text}`);
      const v = r.value;
      if (maxBytes !== null) {
        const over = v.timeline.find((s) => s.currentBytes > maxBytes);
        if (over) throw new Error(`seed ${seed}: memory.current ${over.currentBytes} > memory.max ${maxBytes} at ${over.tMs} ms\n${text}`);
        if (v.peakBytes > maxBytes) throw new Error(`seed ${seed}: memory.peak ${v.peakBytes} > memory.max ${maxBytes}\n${text}`);
      }
      const killed = v.processes.filter((p) => p.state === 'oom-killed').length;
      if (killed !== v.memoryEvents.oom_kill) throw new Error(`seed ${seed}: ${killed} processes dead but memory.events oom_kill ${v.memoryEvents.oom_kill}\n${text}`);
      if (v.memoryEvents.oom > 0 && v.memoryEvents.max === 0 && maxBytes !== null) throw new Error(`seed ${seed}: oom without a max event\n${text}`);
      if (maxBytes === null && v.memoryEvents.oom > 0) throw new Error(`seed ${seed}: a cgroup OOM with memory.max = max on a 2Gi node should need the node to run out\n${text}`);
    }
  }, 60_000); // ~0.6 s alone; the limit is for a loaded machine, not a performance claim
});
