/**
 * Invariant checker (STYLE habit 5): over many seeds and random clusters, no
 * node is ever over its allocatable cpu, memory or pod count after the
 * Scheduler places pods — whatever mix of requests, taints, selectors and
 * priorities (preemption included). Failing seeds are printed.
 */
import { describe, expect, it } from 'vitest';
import { Prng, Scheduler, type Pod } from '../../src/index.ts';
import { makeNode, makePod } from './helpers.ts';

function randomCluster(seed: number): Scheduler {
  const prng = new Prng(seed);
  const s = new Scheduler({ seed });
  const nNodes = prng.intBetween(1, 12);
  for (let i = 0; i < nNodes; i++) {
    s.upsertNode(
      makeNode(`n${i}`, { cpu: `${prng.intBetween(1, 9) * 500}m`, memory: `${prng.intBetween(1, 9) * 512}Mi`, pods: String(prng.intBetween(1, 8)) }, {
        labels: { zone: `z${prng.intBetween(0, 3)}`, disk: prng.chance(0.5) ? 'ssd' : 'hdd' },
        taints: prng.chance(0.2) ? [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] : undefined,
      }),
    );
  }
  const nPods = prng.intBetween(1, 60);
  for (let i = 0; i < nPods; i++) {
    const spec: Pod['spec'] = {};
    if (prng.chance(0.2)) spec.nodeSelector = { disk: 'ssd' };
    const pod = makePod(`p${i}`, prng.chance(0.1) ? [] : [{ cpu: `${prng.intBetween(1, 20) * 100}m`, memory: `${prng.intBetween(1, 16) * 128}Mi` }], {
      priority: prng.intBetween(0, 4),
      labels: { app: `a${prng.intBetween(0, 3)}` },
      tolerations: prng.chance(0.3) ? [{ key: 'dedicated', operator: 'Exists' }] : undefined,
      spec,
    });
    s.addPod(pod);
    if (prng.chance(0.3)) s.tick(prng.intBetween(1, 3000));
  }
  s.tick(20_000);
  return s;
}

describe('property: no node over its allocatable', () => {
  it('holds over 300 seeds', { timeout: 60_000 }, () => {
    const failing: number[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const s = randomCluster(seed);
      for (const n of s.snapshot.nodes) {
        const over = n.requested.milliCPU > n.allocatable.milliCPU || n.requested.memory > n.allocatable.memory || n.pods.length > n.allocatable.allowedPodNumber;
        // Recompute from the bound pods themselves, not the cached sums.
        const bound = [...s.boundPods.values()].filter((p) => p.spec?.nodeName === n.name).length + [...s.assumed].filter((k) => n.pods.some((p) => p.key === k)).length;
        if (over || bound !== n.pods.length) {
          failing.push(seed);
          break;
        }
      }
    }
    expect(failing, `failing seeds: ${failing.join(', ')}`).toEqual([]);
  });
  it('the same seed gives the same bindings', () => {
    const a = randomCluster(42).bindings;
    const b = randomCluster(42).bindings;
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
  });
});
