/**
 * The benchmark shortcuts (fused Filter, per-node free-resource aggregates)
 * must not change any decision: the same seeded workload is scheduled with
 * and without them and every binding (pod, node, tick) and every event must
 * agree. The clusters mix what sends nodes down the slow path — taints,
 * cordoned nodes, full nodes, pod limits, nodeName, nodeSelector, hostPorts,
 * tolerations, extended resources — and enough nodes (≥ 100) for sampling
 * and the round-robin start index to matter.
 */
import { describe, expect, it } from 'vitest';
import { Prng, Scheduler, type Node, type Pod } from '../../src/index.ts';

function workload(seed: number): { nodes: Node[]; pods: Pod[] } {
  const prng = new Prng(seed);
  const nodes: Node[] = [];
  const nNodes = prng.intBetween(100, 400);
  for (let i = 0; i < nNodes; i++) {
    const name = `node-${i}`;
    const tainted = prng.chance(0.1);
    nodes.push({
      metadata: { name, labels: { 'kubernetes.io/hostname': name, disk: prng.chance(0.5) ? 'ssd' : 'hdd' } },
      spec: {
        ...(tainted ? { taints: [{ key: 'dedicated', value: 'x', effect: prng.chance(0.5) ? 'NoSchedule' : 'PreferNoSchedule' }] } : {}),
        ...(prng.chance(0.05) ? { unschedulable: true } : {}),
      },
      status: {
        allocatable: { cpu: `${prng.intBetween(1, 9) * 500}m`, memory: `${prng.intBetween(1, 9)}Gi`, pods: String(prng.intBetween(2, 12)), ...(prng.chance(0.1) ? { 'example.com/gpu': '2' } : {}) },
        images: [{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 320_000 }],
      },
    } as Node);
  }
  const pods: Pod[] = [];
  const nPods = prng.intBetween(300, 900);
  for (let i = 0; i < nPods; i++) {
    const requests: Record<string, string> = { cpu: `${prng.intBetween(1, 12) * 100}m`, memory: `${prng.intBetween(1, 12) * 128}Mi` };
    if (prng.chance(0.05)) requests['example.com/gpu'] = '1';
    const spec: Pod['spec'] = {
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests }, ...(prng.chance(0.03) ? { ports: [{ containerPort: 80, hostPort: 8080 }] } : {}) }],
    };
    if (prng.chance(0.1)) spec.nodeSelector = { disk: 'ssd' };
    if (prng.chance(0.2)) spec.tolerations = [{ key: 'dedicated', operator: 'Exists' }];
    if (prng.chance(0.02)) spec.nodeName = `node-${prng.intBetween(0, nNodes)}`;
    if (prng.chance(0.1)) spec.priority = prng.intBetween(0, 3);
    pods.push({ metadata: { name: `pod-${i}`, namespace: 'default' }, spec } as Pod);
  }
  return { nodes, pods };
}

function schedule(seed: number, noFastPaths: boolean) {
  const { nodes, pods } = workload(seed);
  const s = new Scheduler({ seed, noFastPaths });
  for (const n of nodes) s.upsertNode(n);
  for (const p of pods) s.addPod(p);
  s.runUntilIdle();
  s.tick(30_000);
  return { bindings: s.bindings.map((b) => `${b.namespace}/${b.podName}->${b.nodeName}@${b.tick}`), events: s.events.map((e) => `${e.tick} ${e.type} ${e.pod} ${e.node ?? ''} ${e.message}`) };
}

describe('benchmark shortcuts give the same placements', () => {
  it('bindings and events agree with and without the fast paths over 8 seeds', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const fast = schedule(seed, false);
      const slow = schedule(seed, true);
      expect(fast.bindings.length, `seed ${seed}`).toBeGreaterThan(0);
      expect(fast.bindings, `seed ${seed}: bindings differ`).toEqual(slow.bindings);
      expect(fast.events, `seed ${seed}: events differ`).toEqual(slow.events);
    }
  }, 60_000);
});
