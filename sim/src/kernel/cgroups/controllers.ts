/**
 * The cpu, pids and cpuset controllers as CgroupTree plug-ins: their
 * interface files with the kernel's validation (memory lives in memory.ts).
 * Follows Linux v6.12 kernel/sched/core.c (cpu_weight_write_u64,
 * cpu_max_write), kernel/cgroup/pids.c (pids_max_write: "max" or 0..PID_MAX_LIMIT),
 * kernel/cgroup/cpuset.c, and Documentation/admin-guide/cgroup-v2.rst.
 * Only the configuration files runc writes are modelled; usage counters are
 * not (the scheduler model lives in cfs-bandwidth.ts).
 * Backs Layer 1 "cgroup v2" and Layer 2's runc (which writes these files).
 */
import type { Cgroup, CgroupController, CgroupTree } from './hierarchy.ts';
import { CPU_WEIGHT_DEFAULT, formatCpuMax, parseCpuMax, parseCpuMaxBurst, parseCpuWeight, type CpuMax } from './cpu-files.ts';

interface CpuState { weight: number; max: CpuMax; burstUs: number }

function cpuState(cg: Cgroup): CpuState {
  let s = cg.state.get('cpu') as CpuState | undefined;
  if (!s) {
    s = { weight: CPU_WEIGHT_DEFAULT, max: { quotaUs: null, periodUs: 100000 }, burstUs: 0 };
    cg.state.set('cpu', s);
  }
  return s;
}

export function cpuController(): CgroupController {
  return {
    name: 'cpu',
    attach: (cg) => void cpuState(cg),
    files: [
      { name: 'cpu.weight', onRoot: false, read: (cg) => `${cpuState(cg).weight}\n`,
        write: (cg, v) => { const p = parseCpuWeight(v); if (!p.ok) return { ok: false, errno: 'EINVAL', message: p.message, offset: p.offset }; cpuState(cg).weight = p.value; return { ok: true }; } },
      { name: 'cpu.max', onRoot: false, read: (cg) => `${formatCpuMax(cpuState(cg).max)}\n`,
        write: (cg, v) => {
          const p = parseCpuMax(v);
          if (!p.ok) return { ok: false, errno: 'EINVAL', message: p.message, offset: p.offset };
          // "$MAX" alone keeps the current period (cpu_max_write).
          const s = cpuState(cg);
          s.max = v.trim().split(/\s+/).length === 1 ? { quotaUs: p.value.quotaUs, periodUs: s.max.periodUs } : p.value;
          return { ok: true };
        } },
      { name: 'cpu.max.burst', onRoot: false, read: (cg) => `${cpuState(cg).burstUs}\n`,
        write: (cg, v) => { const s = cpuState(cg); const p = parseCpuMaxBurst(v, s.max); if (!p.ok) return { ok: false, errno: 'EINVAL', message: p.message, offset: p.offset }; s.burstUs = p.value; return { ok: true }; } },
      { name: 'cpu.stat', onRoot: true, read: () => 'usage_usec 0\nuser_usec 0\nsystem_usec 0\n' },
    ],
  };
}

/** PID_MAX_LIMIT on 64-bit (include/linux/threads.h). */
const PIDS_MAX_LIMIT = 4194304;

export function pidsController(tree: CgroupTree): CgroupController {
  const max = (cg: Cgroup) => (cg.state.get('pids') as { max: number | null } | undefined)?.max ?? null;
  return {
    name: 'pids',
    files: [
      { name: 'pids.max', onRoot: false, read: (cg) => `${max(cg) ?? 'max'}\n`,
        write: (cg, v) => {
          const t = v.trim();
          if (t === 'max') { cg.state.set('pids', { max: null }); return { ok: true }; }
          if (!/^\d+$/.test(t) || Number(t) > PIDS_MAX_LIMIT) return { ok: false, errno: 'EINVAL', message: `pids.max takes "max" or 0..${PIDS_MAX_LIMIT}, got "${t}"`, offset: 0 };
          cg.state.set('pids', { max: Number(t) });
          return { ok: true };
        } },
      { name: 'pids.current', onRoot: false, read: (cg) => `${cg.walk().reduce((n, c) => n + c.procs.size, 0)}\n` },
    ],
    attach: () => void tree,
  };
}

/** cpuset.cpus / cpuset.mems: a cpu list such as "0-3,6" (empty = inherit the parent's effective set). */
export function cpusetController(): CgroupController {
  const LIST = /^(\d+(-\d+)?)(,\d+(-\d+)?)*$/;
  const file = (name: string) => ({
    name, onRoot: false,
    read: (cg: Cgroup) => `${(cg.state.get(name) as string | undefined) ?? ''}\n`,
    write: (cg: Cgroup, v: string) => {
      const t = v.trim();
      if (t !== '' && !LIST.test(t)) return { ok: false as const, errno: 'EINVAL', message: `${name} takes a list like "0-3,6", got "${t}"`, offset: 0 };
      cg.state.set(name, t);
      return { ok: true as const };
    },
  });
  return { name: 'cpuset', files: [file('cpuset.cpus'), file('cpuset.mems')] };
}
