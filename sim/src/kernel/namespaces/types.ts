/**
 * The namespace objects. Each has an inode number (what
 * `readlink /proc/<pid>/ns/<kind>` prints as `net:[4026532201]`) and, except
 * the initial user namespace, an owning user namespace (the user namespace of
 * the creator at creation time; permission checks go through it).
 * Upstream: Linux v6.12 include/linux/pid_namespace.h, user_namespace.h,
 * utsname.h, ipc_namespace.h, net/net_namespace.h, kernel/nsproxy.c.
 *
 * Invariants: a PidNamespace's level is its parent's level + 1 (0 for the
 * initial one) and never exceeds MAX_PID_NS_LEVEL; likewise for user
 * namespaces (limit 32).
 */
import type { NsKind } from './flags.ts';
import type { IdExtent } from './user.ts';
import type { NetDevice } from './net.ts';

/** include/linux/pid_namespace.h. */
export const MAX_PID_NS_LEVEL = 32;
/** kernel/user_namespace.c: a user namespace may be nested at most 32 deep. */
export const MAX_USER_NS_LEVEL = 32;
/** proc_ns.h PROC_*_INIT_INO: the initial namespaces' inode numbers. */
export const INIT_INUM: Record<NsKind, number> = {
  ipc: 4026531839, uts: 4026531838, user: 4026531837, pid: 4026531836,
  cgroup: 4026531835, time: 4026531834, net: 4026531840, mnt: 4026531841,
};

interface NsCommon {
  inum: number;
  /** null only for the initial user namespace. */
  owner: UserNamespace | null;
}

export interface UserNamespace extends NsCommon {
  kind: 'user';
  level: number;
  parent: UserNamespace | null;
  /** Kernel (initial-namespace) uid of the creator. */
  ownerKuid: number;
  /** null until /proc/<pid>/uid_map is written (it can be written once). */
  uidMap: IdExtent[] | null;
  gidMap: IdExtent[] | null;
}

export interface PidNamespace extends NsCommon {
  kind: 'pid';
  level: number;
  parent: PidNamespace | null;
  /** Last pid number handed out here (alloc_pid is cyclic from here). */
  lastPid: number;
  /** Pid number → host pid of the task holding it. */
  nrToHostPid: Map<number, number>;
  /** Host pid of this namespace's init (pid 1), the child reaper. */
  childReaperHostPid: number | null;
  /** Cleared when init dies: no new process can enter (fork fails ENOMEM). */
  adding: boolean;
}

export interface UtsNamespace extends NsCommon {
  kind: 'uts';
  nodename: string;
  domainname: string;
}

export interface IpcNamespace extends NsCommon {
  kind: 'ipc';
  /** System V message queue ids created here (ipcmk -Q). */
  msgQueueIds: number[];
  nextIpcId: number;
}

export interface MountEntry {
  source: string;
  target: string;
  fstype: string;
  /** Mount options as /proc/<pid>/mountinfo lists them (e.g. lowerdir=…,upperdir=…); absent = defaults. */
  options?: string[];
}

export interface MntNamespace extends NsCommon {
  kind: 'mnt';
  mounts: MountEntry[];
}

export interface NetNamespace extends NsCommon {
  kind: 'net';
  devices: NetDevice[];
  /** Next ifindex to hand out in this namespace (1 is always lo). */
  nextIfindex: number;
}

export interface CgroupNamespace extends NsCommon {
  kind: 'cgroup';
  /** The cgroup path that looks like "/" from inside. */
  rootPath: string;
}

export interface TimeNamespace extends NsCommon {
  kind: 'time';
  monotonicOffsetSec: number;
  boottimeOffsetSec: number;
}

export type Namespace = UserNamespace | PidNamespace | UtsNamespace | IpcNamespace | MntNamespace | NetNamespace | CgroupNamespace | TimeNamespace;

/** task->nsproxy plus the two namespaces kept elsewhere (cred->user_ns, the pid of the task). */
export interface NsProxy {
  uts: UtsNamespace;
  ipc: IpcNamespace;
  mnt: MntNamespace;
  net: NetNamespace;
  cgroup: CgroupNamespace;
  /** Where this task's future children get their pid (differs from the task's own after unshare(CLONE_NEWPID)). */
  pidForChildren: PidNamespace;
  time: TimeNamespace;
  timeForChildren: TimeNamespace;
}
