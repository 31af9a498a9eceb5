/**
 * What the runtime layer needs from the kernel, and nothing more.
 *
 * runc, the shim and containerd never own kernel state: they make system calls
 * (clone, unshare, setns, mount, pivot_root, sethostname, prctl, setrlimit,
 * capset, execve) and write files the kernel owns (/sys/fs/cgroup/...). This
 * port names exactly those calls; `kernel-adapter.ts` (`LinuxKernel`)
 * implements them over Layer 1's models (`sim/src/kernel/`), the one kernel
 * model of the book.
 *
 * Names follow Linux: namespace kinds are the `/proc/<pid>/ns/<name>` file
 * names (`net`, `mnt`, `pid`, ...), namespace ids look like the inode numbers
 * `readlink /proc/<pid>/ns/net` prints (`net:[4026532201]`).
 * Upstream: Linux v6.x `include/uapi/linux/sched.h` (CLONE_NEW* values),
 * namespaces(7), pivot_root(2), capabilities(7), cgroups(7).
 */
import type { Result } from '../core/result.ts';

/** `/proc/<pid>/ns/<kind>` file names (Layer 1's type). */
export type { NsKind } from '../kernel/namespaces/flags.ts';
import { CLONE_FLAG_NAME, CLONE_FLAG_OF, NS_KINDS, type NsKind } from '../kernel/namespaces/flags.ts';

/** CLONE_NEW* flag names and values (Layer 1's table, include/uapi/linux/sched.h). */
export const CLONE_FLAG: Record<NsKind, { name: string; value: number }> = Object.fromEntries(
  NS_KINDS.map((k) => [k, { name: CLONE_FLAG_NAME[k], value: CLONE_FLAG_OF[k] }]),
) as Record<NsKind, { name: string; value: number }>;

export interface IdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

/** One mount as `/proc/<pid>/mountinfo` would list it (simplified). */
export interface MountEntry {
  /** Where it is mounted, as seen from the process's root. */
  target: string;
  fstype: string;
  source: string;
  options: string[];
}

/** The five capability sets and a resource limit: Layer 1's types (kernel/creds.ts). */
export type { CapabilitySets, Rlimit } from '../kernel/creds.ts';
import type { CapabilitySets, Rlimit } from '../kernel/creds.ts';

/** Process credentials and security state, set by runc's finalizeNamespace and friends. */
export interface ProcessSecurity {
  uid: number;
  gid: number;
  additionalGids: number[];
  capabilities: CapabilitySets;
  noNewPrivs: boolean;
  /** A one-line summary of the installed seccomp filter, or undefined. */
  seccomp?: string;
  rlimits: Rlimit[];
  oomScoreAdj: number;
}

/** A read-only view of one process, enough to render "from the host" and "from inside". */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  argv: string[];
  state: 'running' | 'zombie' | 'exited';
  exitStatus?: number;
  /** Namespace id per kind, e.g. `{ net: 'net:[4026532201]' }`. */
  ns: Record<NsKind, string>;
  /** The pid namespace new children will be created in (differs from ns.pid after unshare(CLONE_NEWPID)). */
  pidForChildren: string;
  hostname: string;
  /** Path in the cgroup v2 hierarchy, e.g. `/kubepods.slice/.../cri-containerd-<id>.scope`. */
  cgroup: string;
  root: string;
  childSubreaper: boolean;
  security: ProcessSecurity;
}

export interface KernelPort {
  /** The host's init (pid 1 in the initial pid namespace). */
  readonly initPid: number;

  // --- processes (Layer 1: kernel/process.ts) ---
  /**
   * clone(2). The child copies the caller's namespaces except those in
   * `newNamespaces`; its pid namespace is the caller's `pid_for_children`.
   * With `parentPid`, the child's parent is that process (CLONE_PARENT).
   */
  clone(callerPid: number, opts: { comm: string; newNamespaces?: NsKind[]; parentPid?: number }): number;
  /** unshare(2): new namespaces for the caller (for `pid` only its children move: pid_for_children). */
  unshare(pid: number, kinds: NsKind[]): void;
  /** setns(2) on an open namespace file: `/proc/<pid>/ns/<kind>` or a bind-mounted one. */
  setns(pid: number, nsPath: string): Result<{ kind: NsKind; nsId: string }>;
  /** Binds a namespace to a path (what `ip netns add` / CNI do with `/var/run/netns/cni-…`). */
  pinNamespace(path: string, nsId: string): void;
  writeIdMaps(pid: number, uidMappings: IdMapping[], gidMappings: IdMapping[]): void;
  execve(pid: number, argv: string[]): void;
  /** The process ends; its children are reparented (nearest child subreaper, else the pid namespace's init). */
  exit(pid: number, status: number): void;
  /** wait4(2) by the parent: collects a zombie's exit status. */
  reap(pid: number): number | undefined;
  /** prctl(PR_SET_CHILD_SUBREAPER, 1): orphans below this process are reparented to it. */
  setChildSubreaper(pid: number): void;
  setHostname(pid: number, hostname: string): void;
  /** Credential changes (capabilities, ids, rlimits, no_new_privs, seccomp); fails as the kernel would (EPERM, EINVAL). */
  setSecurity(pid: number, patch: Partial<ProcessSecurity>): Result<void>;
  process(pid: number): ProcessInfo | undefined;
  /** The pid of `pid` as seen inside pid namespace `pidNsId`, or undefined if invisible there. */
  pidInNamespace(pid: number, pidNsId: string): number | undefined;
  children(pid: number): number[];

  // --- mounts (Layer 1: kernel/overlayfs, kernel/vfs) ---
  mount(pid: number, entry: MountEntry): Result<void>;
  /** pivot_root(2) into `newRoot` (a mount point in the caller's mount namespace); the old root is detached. */
  pivotRoot(pid: number, newRoot: string): Result<void>;
  mounts(pid: number): MountEntry[];
  /** umount2(2) of the topmost mount at `target`. */
  umount(pid: number, target: string): Result<void>;

  // --- cgroup v2 (Layer 1: kernel/cgroups) ---
  /** mkdir under /sys/fs/cgroup (parents included). */
  cgroupMkdir(path: string): Result<void>;
  cgroupWrite(path: string, file: string, value: string): Result<void>;
  cgroupRead(path: string, file: string): string | undefined;
  /** rmdir; fails while processes remain. */
  cgroupRmdir(path: string): Result<void>;
}
