/**
 * The whole chain with a fixed seed: Deployment → ReplicaSet → Pods →
 * scheduler binding → kubelet + containerd (CNI IP) → Ready → EndpointSlice →
 * kube-proxy rules → a ClusterIP packet DNATed to a running Pod IP.
 */
import { describe, expect, it } from 'vitest';
import { runWorld } from './world.ts';

describe('world: a Deployment behind a Service, end to end', () => {
  it('seed 1: every hop happens and the packet lands on a ready pod', () => {
    const w = runWorld({ seed: 1 });
    // The transcript, printed for the reader of the test run (sim's tsconfig has no DOM or Node types).
    (globalThis as { console?: { log(s: string): void } }).console?.log(w.transcript.join('\n'));
    expect(w.raftLeader).not.toBeNull();
    expect(w.pods).toHaveLength(2);
    for (const p of w.pods) {
      expect(p.owner).toMatch(/^web-/);
      expect(p.node).toMatch(/^node-\d$/);
      expect(p.podIP).toMatch(new RegExp(`^10\\.244\\.${p.node.slice(5)}\\.\\d+$`));
      expect(p.ready).toBe(true);
    }
    expect(new Set(w.endpointSlice.addresses)).toEqual(new Set(w.pods.map((p) => p.podIP)));
    expect(w.endpointSlice.ready).toEqual([true, true]);
    expect(w.iptablesRules).toBeGreaterThan(0);
    const [ip, port] = (w.packet.verdict.dnatTo ?? '').split(':');
    expect(w.pods.map((p) => p.podIP)).toContain(ip);
    expect(port).toBe('8080');
    const order = ['kubectl', 'deployment-controller', 'replicaset-controller', 'kube-scheduler', 'kubelet/', 'endpointslice-controller', 'kube-proxy', 'kernel (netfilter nat)'];
    const firstAt = order.map((who) => w.transcript.findIndex((l) => l.includes(`] ${who}`)));
    expect(firstAt.every((i) => i >= 0), JSON.stringify(firstAt)).toBe(true);
    // The hops happen in causal order.
    const hops: ((l: string) => boolean)[] = [
      (l) => l.includes('kubectl: create Deployment'),
      (l) => l.includes('deployment-controller: POST ReplicaSet'),
      (l) => l.includes('replicaset-controller: POST Pod'),
      (l) => l.includes('kube-scheduler: bind'),
      (l) => l.includes('RunPodSandbox'),
      (l) => l.includes('CNI ADD'),
      (l) => l.includes('Ready=True'),
      (l) => l.includes('endpointslice-controller') && /10\.244\.\d+\.\d+[,\]]/.test(l), // a ready endpoint
      (l) => l.includes('kube-proxy: iptables-restore') && l.includes('→ [10.244.'),
      (l) => l.includes('DNAT to'),
    ];
    const idx = hops.map((h) => w.transcript.findIndex(h));
    expect(idx.every((i) => i >= 0), JSON.stringify(idx)).toBe(true);
    expect([...idx].sort((a, b) => a - b), JSON.stringify(idx)).toEqual(idx);
    expect(w.transcript.some((l) => l.includes('RunPodSandbox'))).toBe(true);
    expect(w.transcript.some((l) => l.includes('CNI ADD'))).toBe(true);
  }, 60_000);

  it('property: over seeds, the packet always reaches a ready pod of the Deployment', () => {
    for (let seed = 2; seed <= 5; seed++) {
      const w = runWorld({ seed, runS: 40 });
      const ip = (w.packet.verdict.dnatTo ?? '').split(':')[0];
      expect(w.pods.filter((p) => p.ready).map((p) => p.podIP), `seed ${seed}`).toContain(ip);
    }
  }, 120_000);
});
