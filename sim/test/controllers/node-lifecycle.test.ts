// Scenarios for pkg/controller/nodelifecycle/node_lifecycle_controller.go and
// pkg/controller/tainteviction (v1.34): grace period 50 s (v1.32+), monitor period 5 s,
// lease renew 10 s, DefaultTolerationSeconds 300 s, FullDisruption stops evictions.
import { describe, expect, it } from 'vitest';
import { runNodeLifecycle, DEFAULT_NODE_LIFECYCLE_SCRIPT, computeZoneState, minTolerationSeconds } from '../../src/index.ts';

describe('runNodeLifecycle', () => {
  it('turns a silent node Unknown within (50 s, 50 s + 10 s renew + 5 s monitor] and evicts its pods 300 s after the taint', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = runNodeLifecycle(DEFAULT_NODE_LIFECYCLE_SCRIPT, { seed });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const unknown = r.value.events.find((e) => e.kind === 'NodeNotReady' && e.node === 'node-2')!;
      expect(unknown.timeSeconds, `seed ${seed}`).toBeGreaterThan(10 - 10 + 50);
      expect(unknown.timeSeconds, `seed ${seed}`).toBeLessThanOrEqual(10 + 50 + 5);
      const taint = r.value.events.find((e) => e.kind === 'TaintAdded' && e.message === 'node.kubernetes.io/unreachable:NoExecute')!;
      expect(taint.timeSeconds).toBe(unknown.timeSeconds);
      expect(r.value.evictions.map((e) => [e.pod, e.timeSeconds])).toEqual([['web-2-1', taint.timeSeconds + 300], ['web-2-2', taint.timeSeconds + 300]]);
      expect(r.value.events.some((e) => e.node !== 'node-2' && e.kind === 'NodeNotReady')).toBe(false);
    }
  });

  it('uses the v1.32+ default grace period and shows the old one when asked', () => {
    const now = runNodeLifecycle('nodes 1\nnodes 2\nstop-heartbeat node-1 at 0s\nrun 120s', { seed: 5 });
    const old = runNodeLifecycle('nodes 2\ngrace-period 40s\nstop-heartbeat node-1 at 0s\nrun 120s', { seed: 5 });
    expect(now.ok && old.ok).toBe(true);
    if (!now.ok || !old.ok) return;
    expect(now.value.settings.nodeMonitorGracePeriodSeconds).toBe(50);
    const t = (v: typeof now.value) => v.events.find((e) => e.kind === 'NodeNotReady')!.timeSeconds;
    expect(t(now.value) - t(old.value)).toBe(10);
  });

  it('cancels the eviction when the kubelet comes back before tolerationSeconds', () => {
    const r = runNodeLifecycle('nodes 3\nstop-heartbeat node-2 at 10s\nresume-heartbeat node-2 at 120s\nrun 500s', { seed: 3 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.evictions).toEqual([]);
    expect(r.value.events.some((e) => e.kind === 'TaintRemoved' && e.message.endsWith(':NoExecute'))).toBe(true);
    expect(r.value.timeline.at(-1)!.nodes.find((n) => n.name === 'node-2')!.ready).toBe('True');
  });

  it('taints not-ready (not unreachable) when the kubelet reports Ready=False, and evicts pods without tolerations at once', () => {
    const r = runNodeLifecycle('nodes 3\ntoleration 0s\nnot-ready node-3 at 20s\nrun 60s', { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const taint = r.value.events.find((e) => e.kind === 'TaintAdded' && e.message === 'node.kubernetes.io/not-ready:NoExecute')!;
    expect(taint.timeSeconds).toBeLessThanOrEqual(35);
    expect(r.value.evictions.every((e) => e.node === 'node-3' && e.timeSeconds === taint.timeSeconds)).toBe(true);
    expect(r.value.evictions).toHaveLength(2);
  });

  it('does not evict anything when every node goes silent (FullDisruption)', () => {
    const r = runNodeLifecycle('nodes 3\nstop-heartbeat node-1 at 10s\nstop-heartbeat node-2 at 10s\nstop-heartbeat node-3 at 10s\nrun 600s', { seed: 1 });
    expect(r.ok && r.value.evictions).toEqual([]);
  });

  it('rate-limits NoExecute tainting to 0.1 node/s in a Normal zone', () => {
    const r = runNodeLifecycle('nodes 10\nstop-heartbeat node-1 at 0s\nstop-heartbeat node-2 at 0s\nstop-heartbeat node-3 at 0s\nrun 120s', { seed: 9 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const times = r.value.events.filter((e) => e.kind === 'TaintAdded' && e.message.endsWith(':NoExecute')).map((e) => e.timeSeconds);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(10);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(10);
  });

  it('locates script errors', () => {
    const r = runNodeLifecycle('nodes 3\nstop-heartbeat node-9 at 10s\nfly away', { seed: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.line)).toEqual([3, 2]);
    const big = runNodeLifecycle('nodes 1000', { seed: 1 });
    expect(!big.ok && big.errors[0]!.code).toBe('LIMIT_EXCEEDED');
  });
});

describe('ComputeZoneState and tolerations', () => {
  it('classifies zones as upstream', () => {
    expect(computeZoneState(['True', 'Unknown', 'True'])).toBe('Normal');
    expect(computeZoneState(['Unknown', 'Unknown'])).toBe('FullDisruption');
    expect(computeZoneState(['Unknown', 'Unknown', 'False', 'True'])).toBe('PartialDisruption');
    expect(computeZoneState(['Unknown', 'Unknown', 'True'])).toBe('Normal');
  });
  it('takes the minimum tolerationSeconds; no seconds = forever; untolerated = now', () => {
    const taints = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const }];
    expect(minTolerationSeconds({ name: 'p', nodeName: 'n', deleted: false, tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { operator: 'Exists', tolerationSeconds: 30 }] }, taints)).toBe(30);
    expect(minTolerationSeconds({ name: 'p', nodeName: 'n', deleted: false, tolerations: [{ operator: 'Exists' }] }, taints)).toBe(-1);
    expect(minTolerationSeconds({ name: 'p', nodeName: 'n', deleted: false, tolerations: [] }, taints)).toBe('not-tolerated');
  });
});
