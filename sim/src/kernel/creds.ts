/**
 * Task credentials beyond uid/gid: the five capability sets, the securebits
 * flag runc toggles (keep capabilities across setuid), no_new_privs, a
 * seccomp summary and resource limits. Follows Linux v6.12
 * include/uapi/linux/capability.h (names, CAP_LAST_CAP = 40),
 * security/commoncap.c (cap_capset, cap_task_prctl PR_CAPBSET_DROP /
 * PR_CAP_AMBIENT, cap_emulate_setxuid), kernel/sys.c (do_prlimit), and
 * capabilities(7), prctl(2), getrlimit(2).
 *
 * Invariants (unit-tested in sim/test/kernel/creds.test.ts):
 *  - effective ⊆ permitted; ambient ⊆ permitted ∩ inheritable;
 *  - the bounding set only shrinks, and only with CAP_SETPCAP in effective;
 *  - capset may not add to permitted, nor inheritable beyond
 *    old inheritable ∪ bounding (and ∪ old permitted without CAP_SETPCAP);
 *  - leaving uid 0 clears effective and ambient, and permitted too unless
 *    keepcaps is set (cap_emulate_setxuid);
 *  - soft rlimit ≤ hard; raising a hard limit needs CAP_SYS_RESOURCE.
 * Backs Layer 1 "Namespaces" (what a container's init looks like) and is what
 * runc's finalizeNamespace drives in Layer 2.
 */
import { fail, ok, simError, type Result } from '../core/result.ts';

/** Capability names by number, 0 … CAP_LAST_CAP (include/uapi/linux/capability.h, v6.12). */
export const CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK',
  'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

export interface CapabilitySets {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable: string[];
  ambient: string[];
}

export interface Rlimit {
  /** "RLIMIT_NOFILE", ... */
  type: string;
  soft: number;
  hard: number;
}

export interface TaskSecurity {
  caps: CapabilitySets;
  /** prctl(PR_SET_KEEPCAPS) (SECBIT_KEEP_CAPS): permitted survives leaving uid 0. */
  keepCaps: boolean;
  noNewPrivs: boolean;
  /** A one-line summary of the installed seccomp filter, or null. */
  seccomp: string | null;
  /** Only limits set away from the default are listed. */
  rlimits: Rlimit[];
  /** Supplementary groups (setgroups(2)), as the task's user namespace sees them. */
  groups: number[];
}

/** What the initial init (and any root process on the host) holds: every capability, nothing inheritable. */
export function rootSecurity(): TaskSecurity {
  return { caps: { bounding: [...CAPABILITIES], effective: [...CAPABILITIES], permitted: [...CAPABILITIES], inheritable: [], ambient: [] }, keepCaps: false, noNewPrivs: false, seccomp: null, rlimits: [], groups: [] };
}

export function copySecurity(s: TaskSecurity): TaskSecurity {
  const c = s.caps;
  return { ...s, caps: { bounding: [...c.bounding], effective: [...c.effective], permitted: [...c.permitted], inheritable: [...c.inheritable], ambient: [...c.ambient] }, rlimits: s.rlimits.map((r) => ({ ...r })), groups: [...s.groups] };
}

const EPERM = (message: string) => fail(simError('EPERM', message));
const sorted = (names: Iterable<string>) => CAPABILITIES.filter((c) => new Set(names).has(c));
const notIn = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

/** prctl(PR_CAPBSET_DROP, cap) for each of `caps` (cap_task_prctl: needs CAP_SETPCAP). */
export function capbsetDrop(s: TaskSecurity, caps: string[]): Result<void> {
  if (!caps.length) return ok(undefined);
  if (!s.caps.effective.includes('CAP_SETPCAP')) return EPERM('PR_CAPBSET_DROP needs CAP_SETPCAP in the effective set');
  s.caps.bounding = s.caps.bounding.filter((c) => !caps.includes(c));
  return ok(undefined);
}

/** capset(2) (cap_capset): the three directly settable sets. */
export function capset(s: TaskSecurity, next: { effective: string[]; permitted: string[]; inheritable: string[] }): Result<void> {
  const old = s.caps;
  const extraP = notIn(next.permitted, old.permitted);
  if (extraP.length) return EPERM(`capset: ${extraP.join(', ')} not in the permitted set (permitted can only shrink)`);
  const extraE = notIn(next.effective, next.permitted);
  if (extraE.length) return EPERM(`capset: effective ${extraE.join(', ')} not in the new permitted set`);
  const allowedI = new Set([...old.inheritable, ...(old.effective.includes('CAP_SETPCAP') ? old.bounding : old.permitted)]);
  const extraI = next.inheritable.filter((c) => !allowedI.has(c) || (!old.inheritable.includes(c) && !old.bounding.includes(c)));
  if (extraI.length) return EPERM(`capset: inheritable ${extraI.join(', ')} not allowed (outside the bounding set or the permitted set)`);
  s.caps = { ...old, effective: sorted(next.effective), permitted: sorted(next.permitted), inheritable: sorted(next.inheritable) };
  // Ambient capabilities must stay in permitted ∩ inheritable (cap_capset drops the rest).
  s.caps.ambient = s.caps.ambient.filter((c) => s.caps.permitted.includes(c) && s.caps.inheritable.includes(c));
  return ok(undefined);
}

/** prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap) for each of `caps`. */
export function ambientRaise(s: TaskSecurity, caps: string[]): Result<void> {
  for (const c of caps) {
    if (!s.caps.permitted.includes(c) || !s.caps.inheritable.includes(c)) return EPERM(`PR_CAP_AMBIENT_RAISE ${c}: not in both permitted and inheritable`);
    if (!s.caps.ambient.includes(c)) s.caps.ambient = sorted([...s.caps.ambient, c]);
  }
  return ok(undefined);
}

/** cap_emulate_setxuid: what changing uid from `oldUid` to `newUid` does to the capability sets. */
export function onSetuid(s: TaskSecurity, oldUid: number, newUid: number): void {
  if (oldUid === 0 && newUid !== 0) {
    if (!s.keepCaps) s.caps.permitted = [];
    s.caps.effective = [];
    s.caps.ambient = [];
  }
}

/** prlimit(2)/setrlimit(2) (do_prlimit): soft ≤ hard; raising a hard limit needs CAP_SYS_RESOURCE of the caller. */
export function setRlimit(s: TaskSecurity, r: Rlimit, callerHasSysResource: boolean): Result<void> {
  if (r.soft > r.hard) return fail(simError('EINVAL', `${r.type}: soft limit ${r.soft} above hard limit ${r.hard}`));
  const cur = s.rlimits.find((x) => x.type === r.type);
  if (cur && r.hard > cur.hard && !callerHasSysResource) return EPERM(`${r.type}: raising the hard limit needs CAP_SYS_RESOURCE`);
  s.rlimits = [...s.rlimits.filter((x) => x.type !== r.type), { ...r }];
  return ok(undefined);
}
