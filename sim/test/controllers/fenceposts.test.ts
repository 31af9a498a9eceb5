// Tables from kubernetes/kubernetes pkg/controller/deployment/util/deployment_util_test.go (v1.34):
// TestResolveFenceposts, TestMaxUnavailable, TestNewRSNewReplicas.
import { describe, expect, it } from 'vitest';
import { resolveFenceposts } from '../../src/index.ts';
import { maxUnavailableOf, newRSNewReplicas, resolveFencepostsUndefaulted } from '../../src/controlplane/controllers/fenceposts.ts';
import { emptyDeploymentStatus, type SimDeployment } from '../../src/controlplane/controllers/types.ts';

describe('ResolveFenceposts (upstream table; nil = undefined before defaulting)', () => {
  const table: [string | undefined, string | undefined, number, number, number, boolean][] = [
    ['0%', '0%', 0, 0, 1, false],
    ['39%', '39%', 10, 4, 3, false],
    ['oops', '39%', 10, 0, 0, true],
    ['55%', 'urg', 10, 0, 0, true],
    [undefined, '39%', 10, 0, 3, false],
    ['39%', undefined, 10, 4, 0, false],
    [undefined, undefined, 10, 0, 1, false],
  ];
  it.each(table)('maxSurge=%s maxUnavailable=%s desired=%i → %i:%i error=%s', (s, u, desired, es, eu, err) => {
    const r = resolveFencepostsUndefaulted(s, u, desired);
    expect([r.surge, r.unavailable]).toEqual([es, eu]);
    expect(r.error !== undefined).toBe(err);
  });
});

describe('resolveFenceposts (exported: API defaulting first, undefined = "25%")', () => {
  it('rounds surge up and unavailable down', () => {
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts('25%', '25%', 8)).toEqual({ surge: 2, unavailable: 2 });
    expect(resolveFenceposts(undefined, undefined, 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(undefined, undefined, 1)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(undefined, undefined, 3)).toEqual({ surge: 1, unavailable: 0 });
  });
  it('applies the both-zero guard', () => {
    expect(resolveFenceposts('1%', '1%', 2)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(0, '1%', 2)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts(0, 0, 5)).toEqual({ surge: 0, unavailable: 1 });
  });
  it('takes integers as is', () => {
    expect(resolveFenceposts(2, 1, 10)).toEqual({ surge: 2, unavailable: 1 });
  });
  it('returns an error value for strings that are not percentages, never throws', () => {
    for (const bad of ['oops', '5', '1.5%', '%', '']) {
      const r = resolveFenceposts(bad, '25%', 10);
      expect(r.error?.code).toBe('FIELD_INVALID');
      expect(r.error?.path).toBe('spec.strategy.rollingUpdate.maxSurge');
      expect([r.surge, r.unavailable]).toEqual([0, 0]);
    }
    expect(resolveFenceposts('25%', 'urg', 10).error?.path).toBe('spec.strategy.rollingUpdate.maxUnavailable');
  });
});

function dep(replicas: number, type: 'RollingUpdate' | 'Recreate', maxSurge: number | string, maxUnavailable: number | string): SimDeployment {
  return { name: 'd', generation: 1, replicas, strategy: { type, maxSurge, maxUnavailable }, template: { image: 'x' }, minReadySeconds: 0, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, paused: false, annotations: {}, status: emptyDeploymentStatus() };
}

describe('MaxUnavailable (upstream TestMaxUnavailable)', () => {
  it.each([
    [10, 5, 5], [10, 10, 10], [5, 10, 5], [0, 10, 0], [10, '50%', 5], [10, '100%', 10], [5, '100%', 5],
  ] as [number, number | string, number][])('replicas %i maxUnavailable %s → %i', (replicas, mu, expected) => {
    expect(maxUnavailableOf(dep(replicas, 'RollingUpdate', 1, mu))).toBe(expected);
  });
  it('is 0 for Recreate', () => expect(maxUnavailableOf(dep(3, 'Recreate', 1, 1))).toBe(0));
});

describe('NewRSNewReplicas (upstream TestNewRSNewReplicas; old set rs5 has 5 replicas)', () => {
  it.each([
    ['can not scale up - to newRSReplicas', 'RollingUpdate', 1, 5, 1, 5],
    ['scale up - to depReplicas', 'RollingUpdate', 6, 2, 10, 6],
    ['recreate - to depReplicas', 'Recreate', 3, 1, 1, 3],
  ] as const)('%s', (_n, type, depReplicas, newRSReplicas, maxSurge, expected) => {
    // allRSs in the upstream test is only rs5 (5 replicas).
    expect(newRSNewReplicas(dep(depReplicas, type, maxSurge, 1), 5, newRSReplicas)).toBe(expected);
  });
});
