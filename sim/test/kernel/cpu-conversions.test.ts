// Tables from kubernetes v1.34 pkg/kubelet/cm/helpers_linux_test.go
// (TestMilliCPUToQuota, TestMilliCPUToShares-style cases), the KEP-2254
// linear conversion in pkg/kubelet/cm/cgroup_v2_manager_linux.go, and
// opencontainers/cgroups v0.0.5 utils_test.go (TestConvertCPUSharesToCgroupV2Value,
// runc >= 1.3.2; the same table is vendored in kubernetes' e2e node utils).
import { describe, expect, it } from 'vitest';
import { milliCPUToShares, milliCPUToQuota, cpuWeightFromSharesKubelet, cpuWeightFromSharesRunc, cpuToMilli } from '../../src/index.ts';

describe('milliCPUToQuota (helpers_linux.go)', () => {
  it.each([
    [0, 100000, 0], [5, 100000, 1000], [9, 100000, 1000], [10, 100000, 1000], [200, 100000, 20000],
    [500, 100000, 50000], [1000, 100000, 100000], [1500, 100000, 150000], [1500, 50000, 75000],
    [250, 10000, 2500], [10, 50000, 1000],
  ])('milliCPU %d, period %d → quota %d', (milli, period, quota) => {
    expect(milliCPUToQuota(milli, period)).toBe(quota);
  });
});

describe('milliCPUToShares', () => {
  it.each([[0, 2], [1, 2], [2, 2], [100, 102], [250, 256], [500, 512], [1000, 1024], [1500, 1536], [2000, 2048], [256000, 262144], [300000, 262144]])(
    'milliCPU %d → shares %d',
    (milli, shares) => expect(milliCPUToShares(milli)).toBe(shares),
  );
});

describe('cpuWeightFromSharesKubelet: ((shares-2)*9999)/262142 + 1', () => {
  it.each([[2, 1], [1024, 39], [102, 4], [512, 20], [2048, 79], [262144, 10000]])('shares %d → weight %d', (shares, weight) => {
    expect(cpuWeightFromSharesKubelet(shares)).toBe(weight);
  });
});

describe('cpuWeightFromSharesRunc (runc >= 1.3.2 quadratic mapping)', () => {
  it.each([[0, 0], [1, 1], [2, 1], [3, 2], [1024, 100], [262143, 10000], [262144, 10000], [262145, 10000]])(
    'shares %d → weight %d',
    (shares, weight) => expect(cpuWeightFromSharesRunc(shares)).toBe(weight),
  );

  it('is monotonic non-decreasing over the whole v1 range', () => {
    let prev = 0;
    for (let s = 2; s <= 262144; s += 7) {
      const w = cpuWeightFromSharesRunc(s);
      expect(w).toBeGreaterThanOrEqual(prev);
      prev = w;
    }
  });

  it('maps a 1-CPU request to the v2 default, where the linear formula does not', () => {
    const shares = milliCPUToShares(cpuToMilli('1'));
    expect(cpuWeightFromSharesRunc(shares)).toBe(100);
    expect(cpuWeightFromSharesKubelet(shares)).toBe(39);
  });
});
