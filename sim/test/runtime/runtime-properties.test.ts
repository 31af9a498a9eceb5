/**
 * Properties of the Layer 2 runners over many seeds (the seed changes ids,
 * uids and digests of generated objects, never the structure). A failure
 * names the seed to replay.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRI_SEQUENCE, runCriSequence } from '../../src/runtime/widgets/cri-sequence.ts';
import { DEFAULT_SHIM_RESTART, runShimRestart } from '../../src/runtime/widgets/shim-restart.ts';

const SEEDS = Array.from({ length: 30 }, (_, i) => i * 7919 + 1);

describe('CRI sequence invariants over seeds', () => {
  it('every call succeeds, containers share the pause net/ipc/uts namespaces, the shim is every container\'s parent', () => {
    for (const seed of SEEDS) {
      const r = runCriSequence(DEFAULT_CRI_SEQUENCE, { seed });
      if (!r.ok) throw new Error(`seed ${seed}: ${JSON.stringify(r.errors)}`);
      const v = r.value;
      expect(v.calls.every((c) => c.ok), `seed ${seed}: a call failed`).toBe(true);
      expect(v.calls.map((c) => c.seq), `seed ${seed}`).toEqual(v.calls.map((_, i) => i + 1));
      const [pause, ...apps] = v.containers;
      const shimPid = pause!.process.host.ppid;
      for (const c of apps) {
        for (const kind of ['net', 'ipc', 'uts'] as const) {
          const id = (x: typeof c) => x.process.host.namespaces.find((n) => n.kind === kind)!.id;
          expect(id(c), `seed ${seed}: ${c.name} ${kind}`).toBe(id(pause!));
        }
        expect(c.process.host.ppid, `seed ${seed}: parent of ${c.name}`).toBe(shimPid);
        expect(c.process.inside.pid, `seed ${seed}: ${c.name} is PID 1 in its own PID namespace`).toBe(1);
      }
      expect(v.processes.find((p) => p.pid === shimPid)!.ppid, `seed ${seed}: the shim's parent is init`).toBe(1);
    }
  });
});

describe('shim restart invariants over seeds', () => {
  it('the exit during the outage is reported after the restart; nginx keeps its pid', () => {
    for (const seed of SEEDS) {
      const r = runShimRestart(DEFAULT_SHIM_RESTART, { seed });
      if (!r.ok) throw new Error(`seed ${seed}: ${JSON.stringify(r.errors)}`);
      const steps = r.value.steps;
      const first = steps[0]!;
      const last = steps[steps.length - 1]!;
      const nginxPid = first.shims[0]!.tasks.find((t) => t.name === 'nginx')!.pid;
      const redis = last.containers!.find((c) => c.name === 'redis')!;
      expect(redis.state, `seed ${seed}`).toBe('CONTAINER_EXITED');
      expect(redis.exitCode, `seed ${seed}`).toBe(1);
      expect(last.containers!.find((c) => c.name === 'nginx')!.pid, `seed ${seed}`).toBe(nginxPid);
      for (const s of steps) expect(s.processes.some((p) => p.pid === first.shims[0]!.pid), `seed ${seed}: shim alive at line ${s.line}`).toBe(true);
    }
  });
});
