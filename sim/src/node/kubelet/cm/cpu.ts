/**
 * How the kubelet turns a container's CPU request and limit into cgroup
 * values. Backs Layer 1 "cgroup v2: CPU" (Kubernetes mapping).
 *
 * Upstream followed (Kubernetes v1.34):
 *  - pkg/kubelet/cm/helpers_linux.go: MilliCPUToShares, MilliCPUToQuota and
 *    the constants MinShares=2, MaxShares=262144, SharesPerCPU=1024,
 *    MilliCPUToCPU=1000, QuotaPeriod=100000, MinQuotaPeriod=1000.
 *  - pkg/kubelet/cm/cgroup_v2_manager_linux.go: cpuSharesToCPUWeight, the
 *    linear v1→v2 conversion the kubelet still uses for pod and QoS cgroups
 *    (KEP-2254). Go uint64 arithmetic, emulated exactly with BigInt.
 *  - opencontainers/cgroups utils.go ConvertCPUSharesToCgroupV2Value (runc
 *    >= 1.3.2, crun >= 1.23; runc PR #4785): the quadratic-in-log2 mapping the
 *    runtime applies to container cgroups, which sends the v1 default 1024 to
 *    the v2 default 100 (the linear formula gives 39).
 */
export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
export const SHARES_PER_CPU = 1024;
export const MILLI_CPU_TO_CPU = 1000;
export const QUOTA_PERIOD_US = 100000;
export const MIN_QUOTA_PERIOD_US = 1000;

/** milliCPU (a container's cpu request) → cgroup v1 cpu.shares, clamped to [2, 262144]; 0 → 2. */
export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  const shares = Math.trunc((milliCPU * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  if (shares < MIN_SHARES) return MIN_SHARES;
  if (shares > MAX_SHARES) return MAX_SHARES;
  return shares;
}

/**
 * milliCPU (a container's cpu limit) → CFS quota in µs for `periodUs`
 * (the first number of cpu.max). 0 means "no limit" and returns 0; anything
 * below 1 ms is raised to MinQuotaPeriod (1000 µs) because the kernel
 * refuses smaller quotas.
 */
export function milliCPUToQuota(milliCPU: number, periodUs: number): number {
  if (milliCPU === 0) return 0;
  const quota = Math.trunc((milliCPU * periodUs) / MILLI_CPU_TO_CPU);
  return quota < MIN_QUOTA_PERIOD_US ? MIN_QUOTA_PERIOD_US : quota;
}

const U64 = 64;

/** The kubelet's linear conversion: weight = ((shares − 2) × 9999) / 262142 + 1 in Go uint64 arithmetic. */
export function cpuWeightFromSharesKubelet(shares: number): number {
  const s = BigInt.asUintN(U64, BigInt(Math.trunc(shares)) - 2n);
  const product = BigInt.asUintN(U64, s * 9999n);
  return Number(BigInt.asUintN(U64, product / 262142n + 1n));
}

/** runc/crun's conversion: 0 → 0 (unset), ≤2 → 1, ≥262144 → 10000, else ceil(10^((l² + 125·l)/612 − 7/34)) with l = log2(shares). */
export function cpuWeightFromSharesRunc(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= MAX_SHARES) return 10000;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  return Math.ceil(10 ** exponent);
}
