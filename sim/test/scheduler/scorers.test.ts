/**
 * Score formulas and node sampling against upstream's own tables:
 * pkg/scheduler/framework/plugins/noderesources/{least_allocated_test.go,
 * most_allocated_test.go, balanced_allocation_test.go,
 * requested_to_capacity_ratio_test.go}, plugins/helper/shape_score_test.go
 * and pkg/scheduler/schedule_one_test.go TestNumFeasibleNodesToFind
 * (Kubernetes v1.34). Upstream states cpu in whole cores ("4000") — the
 * vectors below use the same numbers since only ratios matter.
 */
import { describe, expect, it } from 'vitest';
import { balancedAllocationScore, brokenLinearFunction, leastAllocatedScore, mostAllocatedScore, numFeasibleNodesToFind, requestedToCapacityRatioScore } from '../../src/index.ts';

describe('numFeasibleNodesToFind (schedule_one_test.go TestNumFeasibleNodesToFind)', () => {
  it.each([
    ['not set, nodes not more than 100', undefined, 10, 10],
    ['profile 40%, nodes not more than 100', 40, 10, 10],
    ['not set, 1000 nodes → adaptive 42%', undefined, 1000, 420],
    ['profile 40%, 1000 nodes', 40, 1000, 400],
    ['not set, 6000 nodes → floor 5%', undefined, 6000, 300],
    ['profile 40%, 6000 nodes', 40, 6000, 2400],
    ['0 means adaptive too', 0, 1000, 420],
    ['5000 nodes → 10%', undefined, 5000, 500],
    ['100% of 150', 100, 150, 150],
    ['1% of 1000 is raised to the 100 floor', 1, 1000, 100],
    ['exactly 100 nodes', undefined, 100, 100],
    ['99 nodes', 50, 99, 99],
  ])('%s', (_name, pct, n, want) => {
    expect(numFeasibleNodesToFind(pct, n)).toBe(want);
  });
});

describe('leastAllocatedScore (least_allocated_test.go)', () => {
  it.each([
    ['nothing scheduled, nothing requested', [0, 0], [4000, 10000], [1, 1], 100],
    ['differently sized nodes, node1', [3000, 5000], [4000, 10000], [1, 1], 37],
    ['differently sized nodes, node2', [3000, 5000], [6000, 10000], [1, 1], 50],
    ['pods scheduled with resources, node1', [6000, 0], [10000, 20000], [1, 1], 70],
    ['pods scheduled with resources, node2', [6000, 5000], [10000, 20000], [1, 1], 57],
    ['resources requested, pods scheduled, node2', [6000, 10000], [10000, 20000], [1, 1], 45],
    ['differently sized nodes with pods, node2', [6000, 10000], [10000, 50000], [1, 1], 60],
    ['requested exceeds capacity, node1', [6000, 0], [4000, 10000], [1, 1], 50],
    ['requested exceeds capacity, node2', [6000, 5000], [4000, 10000], [1, 1], 25],
    ['zero node resources', [3000, 0], [0, 0], [1, 1], 0],
    ['memory weight 2, node1', [5000, 3000], [10000, 4000], [2, 1], 41],
    ['memory weight 2, node2', [5000, 3000], [10000, 6000], [2, 1], 50],
    ['extended resource honoured, node1', [3000, 5000, 2], [6000, 10000, 4], [1, 1, 1], 50],
    ['extended resource honoured, node2', [3000, 5000, 2], [6000, 10000, 10], [1, 1, 1], 60],
    ['node without the resource (0 allocatable is skipped)', [0, 3000, 4000], [0, 6000, 10000], [2, 1, 1], 55],
  ])('%s', (_name, req, alloc, w, want) => {
    expect(leastAllocatedScore(req, alloc, w)).toBe(want);
  });
});

describe('mostAllocatedScore (most_allocated_test.go)', () => {
  it.each([
    ['nothing scheduled, nothing requested', [0, 0], [4000, 10000], [1, 1], 0],
    ['differently sized nodes, node1', [3000, 5000], [4000, 10000], [1, 1], 62],
    ['differently sized nodes, node2', [3000, 5000], [6000, 10000], [1, 1], 50],
    ['pods scheduled with resources, node1', [6000, 5000], [10000, 20000], [1, 1], 42],
    ['pods scheduled with resources, node2', [6000, 10000], [10000, 20000], [1, 1], 55],
    ['memory weight 2, node1', [5000, 3000], [10000, 4000], [2, 1], 58],
    ['memory weight 2, node2', [5000, 3000], [10000, 6000], [2, 1], 50],
    ['requested above capacity is capped at capacity', [5000, 10000], [4000, 10000], [1, 1], 100],
    ['zero node resources', [3000, 5000], [0, 0], [1, 1], 0],
  ])('%s', (_name, req, alloc, w, want) => {
    expect(mostAllocatedScore(req, alloc, w)).toBe(want);
  });
});

describe('balancedAllocationScore (balanced_allocation_test.go, standard deviation formula)', () => {
  it.each([
    ['differently sized nodes, node1: std 0.125', [3000, 5000], [4000, 10000], 87],
    ['differently sized nodes, node2: std 0', [3000, 5000], [6000, 10000], 100],
    ['pods scheduled with resources, node1: std 0.175', [6000, 5000], [10000, 20000], 82],
    ['pods scheduled with resources, node2: std 0.05', [6000, 10000], [10000, 20000], 95],
    ['differently sized nodes with pods, node2: std 0.2', [6000, 10000], [10000, 50000], 80],
    ['requested at capacity, node1: std 0.5', [6000, 0], [6000, 10000], 50],
    ['requested at capacity, node2: std 0.25', [6000, 5000], [6000, 10000], 75],
    ['three resources (cpu, memory, gpu), node1', [3000, 5000, 4], [3500, 40000, 8], 70],
    ['three resources (cpu, memory, gpu), node2', [3000, 5000, 1], [3500, 40000, 8], 65],
    ['node without the scalar resource skips it', [3000, 5000, 0], [3500, 40000, 0], 63],
    ['a single resource has std 0', [3000], [4000], 100],
    ['fractions are capped at 1', [8000, 5000], [4000, 10000], 75],
    // balanced_allocation_test.go (v1.34) "include DRA resource on a node": a zero fraction still counts when allocatable > 0.
    ['three resources, memory fraction 0 (DRA case), node1', [3000, 0, 1], [3500, 40000, 8], 62],
    ['three resources, DRA case, node2 without the device', [3000, 5000, 0], [3500, 40000, 0], 63],
    // The history case from the chapter: 30% and 70% score 80 (the pre-v1.22 formula 1 − |Δ| gave 60).
    ['two resources at 30% and 70%', [300, 700], [1000, 1000], 80],
  ])('%s', (_name, req, alloc, want) => {
    expect(balancedAllocationScore(req, alloc)).toBe(want);
  });
});

describe('RequestedToCapacityRatio (shape_score_test.go, requested_to_capacity_ratio_test.go)', () => {
  it('BuildBrokenLinearFunction on {10,1},{90,9}', () => {
    const f = brokenLinearFunction([{ utilization: 10, score: 1 }, { utilization: 90, score: 9 }]);
    const cases: [number, number][] = [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]];
    for (const [p, want] of cases) expect(f(p), `p=${p}`).toBe(want);
  });
  it('BuildBrokenLinearFunction on {0,2},{40,10},{100,0}', () => {
    const f = brokenLinearFunction([{ utilization: 0, score: 2 }, { utilization: 40, score: 10 }, { utilization: 100, score: 0 }]);
    const cases: [number, number][] = [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]];
    for (const [p, want] of cases) expect(f(p), `p=${p}`).toBe(want);
  });
  const leastShape = [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }];
  const mostShape = [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }];
  it('least-requested shape: nothing requested scores 100; 75%/50% rounds to 38', () => {
    expect(requestedToCapacityRatioScore([0, 0], [4000, 10000], [1, 1], leastShape)).toBe(100);
    expect(requestedToCapacityRatioScore([3000, 5000], [4000, 10000], [1, 1], leastShape)).toBe(38);
    expect(requestedToCapacityRatioScore([3000, 5000], [6000, 10000], [1, 1], leastShape)).toBe(50);
  });
  it('bin-packing shape: zero scores are left out of the weighted mean', () => {
    expect(requestedToCapacityRatioScore([0, 0], [4000, 10000], [1, 1], mostShape)).toBe(0);
    // cpu 50% → 50, memory 0% → 0 (not counted): mean of the positive ones only.
    expect(requestedToCapacityRatioScore([2000, 0], [4000, 10000], [1, 1], mostShape)).toBe(50);
    // over capacity counts as 100% utilization.
    expect(requestedToCapacityRatioScore([5000, 5000], [4000, 10000], [3, 1], mostShape)).toBe(88);
  });
});
