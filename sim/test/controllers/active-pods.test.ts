// Tables from kubernetes/kubernetes pkg/controller/controller_utils_test.go (v1.34):
// TestSortingActivePods and TestSortingActivePodsWithRanks.
import { describe, expect, it } from 'vitest';
import { activePodsWithRanksLess, getPodsToDelete, sortActivePods } from '../../src/controlplane/controllers/active-pods.ts';
import type { PodPhase, SimPod } from '../../src/controlplane/controllers/types.ts';

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;

function pod(name: string, nodeName: string, phase: PodPhase, ready: boolean, restarts: number, readySince: number | null, created: number | null, deletionCost?: number): SimPod {
  return { name, uid: '', owner: 'rs', nodeName, phase, ready, readySinceMs: ready ? readySince : null, creationMs: created, restartCount: ready ? restarts : 0, ...(deletionCost !== undefined ? { deletionCost } : {}) };
}

describe('ActivePods ordering (TestSortingActivePods)', () => {
  const then = NOW - 30 * 24 * HOUR;
  const pods: SimPod[] = [
    pod('unscheduled', '', 'Pending', false, 0, null, null),
    pod('scheduledButPending', 'bar', 'Pending', false, 0, null, null),
    pod('unknownPhase', 'foo', 'Unknown', false, 0, null, null),
    pod('runningButNotReady', 'foo', 'Running', false, 0, null, null),
    pod('runningNoLastTransitionTime', 'foo', 'Running', true, 3, null, null),
    pod('runningWithLastTransitionTime', 'foo', 'Running', true, 3, NOW, null),
    pod('runningLongerTime', 'foo', 'Running', true, 3, then, null),
    pod('lowerContainerRestartCount', 'foo', 'Running', true, 2, then, NOW),
    pod('oldest', 'foo', 'Running', true, 2, then, then),
  ];
  it('sorts every permutation the same way', () => {
    let seed = 7;
    for (let round = 0; round < 20; round++) {
      const shuffled = [...pods];
      for (let i = shuffled.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const j = seed % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(sortActivePods(shuffled).map((p) => p.name)).toEqual(pods.map((p) => p.name));
    }
  });
});

describe('ActivePodsWithRanks (TestSortingActivePodsWithRanks)', () => {
  const then1Month = NOW - 30 * 24 * HOUR;
  const then2Hours = NOW - 2 * HOUR;
  const then5Hours = NOW - 5 * HOUR;
  const then8Hours = NOW - 8 * HOUR;
  const unscheduledPod = pod('unscheduled', '', 'Pending', false, 0, null, null);
  const scheduledPendingPod = pod('pending', 'node', 'Pending', false, 0, null, null);
  const unknownPhasePod = pod('unknown-phase', 'node', 'Unknown', false, 0, null, null);
  const runningNotReadyPod = pod('not-ready', 'node', 'Running', false, 0, null, null);
  const runningReadyNoLastTransitionTimePod = pod('ready-no-last-transition-time', 'node', 'Running', true, 0, null, null);
  const runningReadyNow = pod('ready-now', 'node', 'Running', true, 0, NOW, NOW);
  const runningReadyThen = pod('ready-then', 'node', 'Running', true, 0, then1Month, then1Month);
  const runningReadyNowHighRestarts = pod('ready-high-restarts', 'node', 'Running', true, 9001, NOW, NOW);
  const runningReadyNowCreatedThen = pod('ready-now-created-then', 'node', 'Running', true, 0, NOW, then1Month);
  const lowPodDeletionCost = pod('low-deletion-cost', 'node', 'Running', true, 0, NOW, then1Month, 10);
  const highPodDeletionCost = pod('high-deletion-cost', 'node', 'Running', true, 0, NOW, then1Month, 100);
  const unscheduled5Hours = pod('unscheduled-5-hours', '', 'Pending', false, 0, then5Hours, then5Hours);
  const unscheduled8Hours = pod('unscheduled-10-hours', '', 'Pending', false, 0, then8Hours, then8Hours);
  const ready2Hours = pod('ready-2-hours', '', 'Running', true, 0, then2Hours, then1Month);
  const ready5Hours = pod('ready-5-hours', '', 'Running', true, 0, then5Hours, then1Month);
  const ready10Hours = pod('ready-10-hours', '', 'Running', true, 0, then8Hours, then1Month);

  const equality: [SimPod, SimPod][] = [
    [unscheduledPod, unscheduledPod], [scheduledPendingPod, scheduledPendingPod], [unknownPhasePod, unknownPhasePod],
    [runningNotReadyPod, runningNotReadyPod], [runningReadyNowCreatedThen, runningReadyNowCreatedThen], [runningReadyNow, runningReadyNow],
    [runningReadyThen, runningReadyThen], [runningReadyNowHighRestarts, runningReadyNowHighRestarts],
    [unscheduled5Hours, unscheduled8Hours], [ready5Hours, ready10Hours],
  ];
  it.each(equality.map(([a, b]) => [a.name, b.name, a, b] as const))('%s ≡ %s', (_a, _b, a, b) => {
    expect(activePodsWithRanksLess(a, 1, b, 1, NOW)).toBe(false);
    expect(activePodsWithRanksLess(b, 1, a, 1, NOW)).toBe(false);
  });

  const inequality: [SimPod, number, SimPod, number][] = [
    [unscheduledPod, 1, scheduledPendingPod, 2],
    [unscheduledPod, 2, scheduledPendingPod, 1],
    [scheduledPendingPod, 1, unknownPhasePod, 2],
    [unknownPhasePod, 1, runningNotReadyPod, 2],
    [runningNotReadyPod, 1, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNoLastTransitionTimePod, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNow, 1, runningReadyThen, 1],
    [runningReadyNow, 2, runningReadyThen, 1],
    [runningReadyNowHighRestarts, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNowHighRestarts, 1],
    [runningReadyNow, 1, runningReadyNowCreatedThen, 1],
    [runningReadyNowCreatedThen, 2, runningReadyNow, 1],
    [lowPodDeletionCost, 2, highPodDeletionCost, 1],
    [ready2Hours, 1, ready5Hours, 1],
  ];
  it.each(inequality.map(([a, ra, b, rb]) => [a.name, ra, b.name, rb, a, b] as const))('%s (rank %i) < %s (rank %i)', (_a, ra, _b, rb, a, b) => {
    expect(activePodsWithRanksLess(a, ra, b, rb, NOW)).toBe(true);
    expect(activePodsWithRanksLess(b, rb, a, ra, NOW)).toBe(false);
  });
});

describe('getPodsToDelete (replica_set.go)', () => {
  it('deletes the doubled-up pod first, then the not-ready one', () => {
    const a = pod('a', 'n1', 'Running', true, 0, NOW - HOUR, NOW - HOUR);
    const b = pod('b', 'n1', 'Running', true, 0, NOW - HOUR, NOW - HOUR);
    const c = pod('c', 'n2', 'Running', true, 0, NOW - HOUR, NOW - HOUR);
    const d = pod('d', 'n3', 'Running', false, 0, null, NOW - HOUR);
    const all = [a, b, c, d];
    expect(getPodsToDelete(all, all, 1, NOW).map((p) => p.name)).toEqual(['d']);
    const two = getPodsToDelete(all, all, 2, NOW).map((p) => p.name);
    expect(two[0]).toBe('d');
    expect(['a', 'b']).toContain(two[1]);
    expect(getPodsToDelete(all, all, 4, NOW)).toHaveLength(4);
  });
});
