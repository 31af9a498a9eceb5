/**
 * `linux.resources` (cgroup v1 vocabulary in the spec) → the cgroup v2 files
 * runc writes, in the order the fs2 manager writes them.
 * Upstream: opencontainers/cgroups v0.0.4 (used by runc v1.3/v1.4)
 * `fs2/fs2.go` Set (pids, memory, io, cpu, ...), `fs2/pids.go`, `fs2/memory.go`
 * (memory.swap.max before memory.max, memory.low from reservation),
 * `fs2/cpu.go` (cpu.weight, cpu.max "<quota|max> <period>"),
 * `utils.go` ConvertCPUSharesToCgroupV2Value (the quadratic-in-log2 mapping
 * of runc PR #4785, shares 1024 → weight 100) and ConvertMemorySwapToCgroupV2Value.
 */
import type { SpecResources } from '../oci/spec.ts';

export interface CgroupFileWrite {
  file: string;
  value: string;
}

/** runc/crun's shares → cpu.weight: 0 → 0 (unset), ≤2 → 1, ≥262144 → 10000. */
export function convertCpuSharesToCgroupV2Value(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  return Math.ceil(10 ** exponent);
}

/** The spec's swap counts memory+swap (v1); v2's memory.swap.max counts swap alone. */
export function convertMemorySwapToCgroupV2Value(memorySwap: number, memory: number): number {
  if (memory === -1 && memorySwap === 0) return -1;
  if (memorySwap === -1 || memorySwap === 0) return memorySwap;
  return memorySwap - memory;
}

const maxOr = (n: number) => (n === -1 ? 'max' : String(n));

export function cgroupWritesFor(r: SpecResources | undefined): CgroupFileWrite[] {
  const out: CgroupFileWrite[] = [];
  if (!r) return out;
  if (r.pids?.limit !== undefined && r.pids.limit !== 0) out.push({ file: 'pids.max', value: r.pids.limit > 0 ? String(r.pids.limit) : 'max' });
  const m = r.memory;
  if (m) {
    const limit = m.limit ?? 0;
    const swap = convertMemorySwapToCgroupV2Value(m.swap ?? 0, limit);
    if (swap !== 0) out.push({ file: 'memory.swap.max', value: maxOr(swap) });
    if (limit !== 0) out.push({ file: 'memory.max', value: maxOr(limit) });
    if (m.reservation !== undefined && m.reservation !== 0) out.push({ file: 'memory.low', value: maxOr(m.reservation) });
  }
  const c = r.cpu;
  if (c) {
    const weight = convertCpuSharesToCgroupV2Value(c.shares ?? 0);
    if (weight !== 0) out.push({ file: 'cpu.weight', value: String(weight) });
    const quota = c.quota ?? 0;
    const period = c.period ?? 0;
    if (quota !== 0 || period !== 0) {
      let v = quota > 0 ? String(quota) : 'max';
      if (period !== 0) v += ` ${period}`;
      out.push({ file: 'cpu.max', value: v });
    }
    if (c.cpus) out.push({ file: 'cpuset.cpus', value: c.cpus });
  }
  return out;
}
