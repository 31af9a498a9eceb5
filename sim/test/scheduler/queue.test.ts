/**
 * The scheduling queue and the Scheduler loop, after
 * pkg/scheduler/backend/queue/{scheduling_queue.go,backoff_queue.go}
 * (backoff initial 1 s, max 10 s; TestBackoffPod-style sequences) and
 * schedule_one.go (assume, Reserve/Permit, Bind, preemption) — Kubernetes v1.34.
 * 1 tick = 1 ms.
 */
import { describe, expect, it } from 'vitest';
import * as apis from '../../src/index.ts';
import { calculateBackoffDurationTicks, newStatus, Scheduler, type PluginFactory } from '../../src/index.ts';
import { makeNode, makePod } from './helpers.ts';

describe('backoff (backoff_queue.go calculateBackoffDuration)', () => {
  it('doubles from 1 s and caps at 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 100].map((n) => calculateBackoffDurationTicks(n))).toEqual([0, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  });
  it('honours custom initial/max', () => {
    expect([1, 2, 3].map((n) => calculateBackoffDurationTicks(n, 500, 1500))).toEqual([500, 1000, 1500]);
  });
});

describe('Scheduler', () => {
  it('activeQ pops higher priority first, then earlier arrival (PrioritySort)', () => {
    const s = new Scheduler();
    s.upsertNode(makeNode('n', { cpu: '4', memory: '8Gi' }));
    s.addPod(makePod('low', [{ cpu: '100m' }], { priority: 1 }));
    s.addPod(makePod('high', [{ cpu: '100m' }], { priority: 100 }));
    s.addPod(makePod('mid-a', [{ cpu: '100m' }], { priority: 10 }));
    s.addPod(makePod('mid-b', [{ cpu: '100m' }], { priority: 10 }));
    expect(s.view().activeQ).toEqual(['default/high', 'default/mid-a', 'default/mid-b', 'default/low']);
    s.tick();
    expect(s.bindings.map((b) => b.podName)).toEqual(['high', 'mid-a', 'mid-b', 'low']);
    expect(s.events.filter((e) => e.type === 'Scheduled').map((e) => e.message)[0]).toBe('Successfully assigned default/high to n');
  });

  it('assumed pods are seen by the next cycle: two pods that each fit alone do not both land on one node', () => {
    const s = new Scheduler();
    s.upsertNode(makeNode('a', { cpu: '1', memory: '8Gi' }));
    s.upsertNode(makeNode('b', { cpu: '1', memory: '8Gi' }));
    s.addPod(makePod('p1', [{ cpu: '800m' }]));
    s.addPod(makePod('p2', [{ cpu: '800m' }]));
    s.tick();
    expect(new Set(s.bindings.map((b) => b.nodeName)).size).toBe(2);
  });

  it('an unschedulable pod waits in unschedulablePods, a node add moves it, and it binds', () => {
    const s = new Scheduler();
    s.upsertNode(makeNode('small', { cpu: '1' }));
    s.addPod(makePod('big', [{ cpu: '2' }]));
    s.tick();
    expect(s.view().unschedulable.map((u) => u.pod)).toEqual(['default/big']);
    expect(s.events.at(-1)!.message).toContain('0/1 nodes are available: 1 Insufficient cpu.');
    s.tick(5000);
    expect(s.bindings).toEqual([]); // no event, nothing retried (before the 5 min leftover flush)
    s.upsertNode(makeNode('large', { cpu: '4' }));
    // the move request puts it in backoffQ (1 s after its failure it is long done) → activeQ → bound
    s.tick();
    expect(s.bindings.map((b) => `${b.podName}@${b.nodeName}`)).toEqual(['big@large']);
  });

  it('a pod moved while backing off waits in backoffQ until its backoff expires (no PopFromBackoffQ)', () => {
    const s = new Scheduler({ popFromBackoffQ: false });
    s.upsertNode(makeNode('small', { cpu: '1' }));
    s.addPod(makePod('big', [{ cpu: '2' }]));
    s.tick(); // fails at t=1, unschedulableCount 1 → backoff 1000 ticks
    s.upsertNode(makeNode('large', { cpu: '4' }));
    const v = s.view();
    expect(v.backoffQ).toEqual([{ pod: 'default/big', backoffExpiresAtTick: 1001, attempts: 1 }]);
    s.tick(998); // t=999
    expect(s.bindings).toEqual([]);
    s.tick(1); // t=1000: flushBackoffQCompleted runs each second; 1001 not yet expired
    expect(s.bindings).toEqual([]);
    s.tick(1000); // t=2000: flushed and scheduled
    expect(s.bindings.map((b) => b.tick)).toEqual([2000]);
  });

  it('pods stuck more than 5 minutes are retried by flushUnschedulablePodsLeftover', () => {
    const s = new Scheduler();
    s.upsertNode(makeNode('small', { cpu: '1' }));
    s.addPod(makePod('big', [{ cpu: '2' }]));
    s.tick();
    const attempts = () => s.events.filter((e) => e.type === 'FailedScheduling').length;
    s.tick(299_999);
    expect(attempts()).toBe(1);
    s.tick(30_000);
    expect(attempts()).toBe(2);
  });

  it('scheduling gates keep a pod out of activeQ until removed (SchedulingGates PreEnqueue)', () => {
    const s = new Scheduler();
    s.upsertNode(makeNode('n', { cpu: '4' }));
    const gated = makePod('g', [{ cpu: '1' }], { spec: { schedulingGates: [{ name: 'example.com/wait' }] } as any });
    s.addPod(gated);
    s.tick(10);
    expect(s.view().unschedulable).toEqual([{ pod: 'default/g', gated: true, message: 'waiting for scheduling gates: [example.com/wait]' }]);
    s.updatePendingPod(makePod('g', [{ cpu: '1' }]));
    s.tick();
    expect(s.bindings.map((b) => b.podName)).toEqual(['g']);
  });

  it('Permit Wait holds the pod (assumed) until allowed; a timeout rejects and unreserves', () => {
    let reserved = 0;
    const gate: PluginFactory = () => ({
      name: 'Gate',
      reserve: () => ((reserved++), null),
      unreserve: () => void reserved--,
      permit: () => ({ status: newStatus('Wait'), timeoutTicks: 100 }),
    });
    const { defaultProfile } = apis;
    const prof = defaultProfile();
    prof.plugins.reserve.enabled.push({ name: 'Gate' });
    prof.plugins.permit.enabled.push({ name: 'Gate' });
    const s2 = new Scheduler({ outOfTreeRegistry: new Map([['Gate', gate]]), config: { percentageOfNodesToScore: 0, podInitialBackoffSeconds: 1, podMaxBackoffSeconds: 10, profiles: [prof] } });
    s2.upsertNode(makeNode('n', { cpu: '4' }));
    s2.addPod(makePod('a', [{ cpu: '1' }]));
    s2.addPod(makePod('b', [{ cpu: '1' }]));
    s2.tick();
    expect(s2.view().waitingOnPermit).toEqual(['default/a', 'default/b']);
    expect(s2.view().nodes[0]!.assumed).toEqual(['default/a', 'default/b']);
    expect(reserved).toBe(2);
    s2.allowWaitingPod('default/a', 'Gate');
    expect(s2.bindings.map((b) => b.podName)).toEqual(['a']);
    s2.tick(100);
    expect(s2.events.some((e) => e.type === 'PermitRejected' && e.pod === 'default/b' && e.message.includes('timeout'))).toBe(true);
    // Unreserve ran; the rejection requeued b and (activeQ being empty, PopFromBackoffQ)
    // it was tried again at once, so it is reserved and waiting a second time.
    expect(s2.events.filter((e) => e.pod === 'default/b').map((e) => e.type)).toEqual(['WaitingOnPermit', 'PermitRejected', 'WaitingOnPermit']);
    expect(reserved).toBe(2);
  });

  it('DefaultPreemption evicts the lowest-priority victims and the preemptor binds to the nominated node', () => {
    const s = new Scheduler();
    s.upsertNode(makeNode('n1', { cpu: '2', memory: '8Gi' }));
    s.upsertNode(makeNode('n2', { cpu: '2', memory: '8Gi' }));
    s.addPod(makePod('low-1', [{ cpu: '1500m' }], { node: 'n1', priority: 1 }));
    s.addPod(makePod('mid-1', [{ cpu: '1500m' }], { node: 'n2', priority: 5 }));
    s.addPod(makePod('vip', [{ cpu: '1' }], { priority: 10 }));
    s.tick();
    const types = s.events.map((e) => `${e.type}:${e.pod}`);
    expect(types.slice(0, 3)).toEqual(['FailedScheduling:default/vip', 'Nominated:default/vip', 'Preempted:default/low-1']);
    s.tick(2000);
    expect(s.bindings.map((b) => `${b.podName}@${b.nodeName}`)).toEqual(['vip@n1']);
    expect(s.view().nodes.map((n) => n.pods)).toEqual([['default/vip'], ['default/mid-1']]);
  });

  it('preemptionPolicy Never is not eligible', () => {
    const s = new Scheduler();
    s.upsertNode(makeNode('n1', { cpu: '1' }));
    s.addPod(makePod('low', [{ cpu: '1' }], { node: 'n1', priority: 1 }));
    s.addPod(makePod('polite', [{ cpu: '1' }], { priority: 10, spec: { preemptionPolicy: 'Never' } as any }));
    s.tick();
    expect(s.events[0]!.message).toBe('0/1 nodes are available: 1 Insufficient cpu. not eligible due to preemptionPolicy=Never..');
  });
});
