/**
 * The cgroup v2 CPU interface files and what the kernel accepts when they are
 * written. Follows Documentation/admin-guide/cgroup-v2.rst ("CPU" section)
 * and kernel/sched/core.c (cpu_weight_write_u64, cpu_max_write →
 * tg_set_cfs_bandwidth) as of Linux 6.12.
 *
 *  cpu.weight     1..10000, default 100 (cgroup v1's cpu.shares was 2..262144,
 *                 default 1024 — the scale older material still quotes).
 *  cpu.max        "$MAX $PERIOD": MAX is "max" or a quota in µs, PERIOD in µs
 *                 (default 100000). Quota and period must be ≥ 1000 µs, the
 *                 period ≤ 1000000 µs, the quota ≤ max_cfs_runtime
 *                 (2^44 − 1 µs); anything else fails with EINVAL.
 *  cpu.max.burst  0..quota µs of unused runtime that may carry over.
 */
export const CPU_WEIGHT_MIN = 1;
export const CPU_WEIGHT_MAX = 10000;
export const CPU_WEIGHT_DEFAULT = 100;
export const CFS_PERIOD_DEFAULT_US = 100000;
/** min_cfs_quota_period: 1 ms. */
export const CFS_QUOTA_MIN_US = 1000;
/** max_cfs_quota_period: 1 s. */
export const CFS_PERIOD_MAX_US = 1000000;
/** max_cfs_runtime = MAX_BW (2^(64−BW_SHIFT) − 1, BW_SHIFT = 20) µs. */
export const CFS_RUNTIME_MAX_US = 2 ** 44 - 1;

export interface CpuMax {
  /** null = "max" (no limit). */
  quotaUs: number | null;
  periodUs: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; offset: number };

const INT_RE = /^\d+$/;

/** Parses a write to cpu.weight; `offset` is the 0-based position of the fault within the value. */
export function parseCpuWeight(value: string): Parsed<number> {
  const v = value.trim();
  if (!INT_RE.test(v)) return { ok: false, message: `cpu.weight takes an integer from ${CPU_WEIGHT_MIN} to ${CPU_WEIGHT_MAX}, got "${v}" (write fails with EINVAL)`, offset: 0 };
  const n = Number(v);
  if (n < CPU_WEIGHT_MIN || n > CPU_WEIGHT_MAX) {
    const hint = n > CPU_WEIGHT_MAX && n <= 262144 ? ' — that looks like a cgroup v1 cpu.shares value; v2 weights are 1–10000, default 100' : '';
    return { ok: false, message: `cpu.weight ${v} is outside ${CPU_WEIGHT_MIN}..${CPU_WEIGHT_MAX} (ERANGE)${hint}`, offset: 0 };
  }
  return { ok: true, value: n };
}

/** Parses a write to cpu.max ("max", "max 100000", "50000", "50000 100000"). */
export function parseCpuMax(value: string): Parsed<CpuMax> {
  const parts = value.trim().split(/\s+/);
  if (parts.length === 0 || parts.length > 2 || parts[0] === '') {
    return { ok: false, message: 'cpu.max takes "$MAX $PERIOD", e.g. "50000 100000" or "max 100000"', offset: 0 };
  }
  const [maxText, periodText] = parts as [string, string | undefined];
  let periodUs = CFS_PERIOD_DEFAULT_US;
  const periodOffset = value.indexOf(periodText ?? '\u0000', value.indexOf(maxText) + maxText.length);
  if (periodText !== undefined) {
    if (!INT_RE.test(periodText)) return { ok: false, message: `period "${periodText}" is not an integer number of µs`, offset: periodOffset };
    periodUs = Number(periodText);
    if (periodUs < CFS_QUOTA_MIN_US || periodUs > CFS_PERIOD_MAX_US) {
      return { ok: false, message: `period ${periodUs} µs is outside ${CFS_QUOTA_MIN_US}..${CFS_PERIOD_MAX_US} µs (EINVAL)`, offset: periodOffset };
    }
  }
  const maxOffset = value.indexOf(maxText);
  if (maxText === 'max') return { ok: true, value: { quotaUs: null, periodUs } };
  if (!INT_RE.test(maxText)) return { ok: false, message: `quota "${maxText}" must be "max" or an integer number of µs`, offset: maxOffset };
  const quotaUs = Number(maxText);
  if (quotaUs < CFS_QUOTA_MIN_US) return { ok: false, message: `quota ${quotaUs} µs is below the kernel minimum ${CFS_QUOTA_MIN_US} µs (EINVAL)`, offset: maxOffset };
  if (quotaUs > CFS_RUNTIME_MAX_US) return { ok: false, message: `quota ${maxText} µs exceeds the kernel maximum ${CFS_RUNTIME_MAX_US} µs (EINVAL)`, offset: maxOffset };
  return { ok: true, value: { quotaUs, periodUs } };
}

/** Parses a write to cpu.max.burst (µs, 0..quota). */
export function parseCpuMaxBurst(value: string, max: CpuMax): Parsed<number> {
  const v = value.trim();
  if (!INT_RE.test(v)) return { ok: false, message: `cpu.max.burst takes an integer number of µs, got "${v}"`, offset: 0 };
  const n = Number(v);
  const limit = max.quotaUs ?? CFS_RUNTIME_MAX_US;
  if (n > limit) return { ok: false, message: `cpu.max.burst ${n} µs exceeds the quota ${limit} µs (EINVAL)`, offset: 0 };
  return { ok: true, value: n };
}

export function formatCpuMax(max: CpuMax): string {
  return `${max.quotaUs === null ? 'max' : max.quotaUs} ${max.periodUs}`;
}
