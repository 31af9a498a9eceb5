/**
 * Processes and the namespace system calls: clone(2) with CLONE_NEW* flags,
 * unshare(2), setns(2), exit and SIGKILL, with per-namespace PID numbers.
 * Follows Linux v6.12 kernel/fork.c (copy_process), kernel/nsproxy.c
 * (create_new_namespaces, unshare_nsproxy_namespaces, setns),
 * kernel/pid.c (alloc_pid: one number per level, innermost first),
 * kernel/pid_namespace.c (create_pid_namespace, zap_pid_ns_processes,
 * pidns_install), kernel/exit.c (find_new_reaper), kernel/user_namespace.c,
 * security/commoncap.c (cap_capable), and namespaces(7), pid_namespaces(7).
 *
 * Invariants (checked by the property tests):
 *  - a live task has exactly one pid number in its own pid namespace and in
 *    every ancestor, `numbers[level]`; within one namespace the numbers of
 *    live tasks are distinct (translation is a bijection);
 *  - the first task of a new pid namespace gets number 1 and becomes its
 *    child reaper; when it dies every task in that namespace is killed and no
 *    new task may enter (fork fails with ENOMEM);
 *  - unshare(CLONE_NEWPID) never moves the caller: only its later children
 *    land in the new namespace.
 * Backs Layer 1 "Namespaces".
 */
import { fail, ok, simError, type Result } from '../core/result.ts';
import { invariant } from '../core/invariant.ts';
import type { Prng } from '../core/prng.ts';
import { CLONE_FLAG_NAME, CLONE_PARENT, CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWTIME, CLONE_NEWUSER, CLONE_NEWUTS, type NsKind } from './namespaces/flags.ts';
import { INIT_INUM, MAX_PID_NS_LEVEL, MAX_USER_NS_LEVEL, type CgroupNamespace, type IpcNamespace, type MntNamespace, type Namespace, type NetNamespace, type NsProxy, type PidNamespace, type TimeNamespace, type UserNamespace, type UtsNamespace } from './namespaces/types.ts';
import { fromKid } from './namespaces/user.ts';
import { allocIfindex, type NetDevice } from './namespaces/net.ts';
import { fromKid as fromKidOf, makeKid, type IdExtent } from './namespaces/user.ts';
import { CAPABILITIES, ambientRaise, capbsetDrop, capset, copySecurity, onSetuid, rootSecurity, setRlimit, type Rlimit, type TaskSecurity } from './creds.ts';
import type { CgroupTree } from './cgroups/hierarchy.ts';
import type { MountEntry } from './namespaces/types.ts';

/** /proc/sys/kernel/pid_max on a 64-bit host with many CPUs (PID_MAX_LIMIT). */
export const PID_MAX = 4194304;
/** A stated limit so a runaway script answers fast. */
export const TASKS_MAX = 512;

export interface Task {
  /** The pid in the initial pid namespace (what the host's `ps` shows). */
  hostPid: number;
  comm: string;
  /** Host pid of the parent; null for the initial init. */
  parentHostPid: number | null;
  alive: boolean;
  /** task_active_pid_ns: fixed for the task's whole life. */
  pidNs: PidNamespace;
  /** numbers[l] = this task's pid in its pid-namespace ancestor at level l. */
  numbers: number[];
  ns: NsProxy;
  /** cred->user_ns. */
  userNs: UserNamespace;
  /** Kernel uid/gid (as the initial user namespace sees them). */
  kuid: number;
  kgid: number;
  /** Full capability set in userNs (root, or fresh from entering a new user namespace). */
  hasCaps: boolean;
  oomScoreAdj: number;
  cgroupPath: string;
  /** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants (in the same pid namespace) are reparented here. */
  childSubreaper: boolean;
  /** /proc/<pid>/cmdline (execve replaces it; comm becomes the basename, at most 15 bytes). */
  argv: string[];
  /** Set when the task exits (128+signal for a kill, shell style). */
  exitStatus: number | null;
  /** Capability sets, keepcaps, no_new_privs, seccomp, rlimits, supplementary groups (creds.ts). */
  security: TaskSecurity;
}

/** TASK_COMM_LEN − 1: comm keeps at most 15 bytes. */
export const COMM_MAX = 15;

const errno = (code: string, message: string) => fail(simError(code, message));

export class Kernel {
  readonly tasks = new Map<number, Task>();
  readonly initUserNs: UserNamespace;
  readonly initPidNs: PidNamespace;
  /** Namespaces kept alive by a bind mount of their nsfs file (`ip netns add`, containerd's /var/run/netns/cni-…). */
  readonly pinned = new Map<string, Namespace>();
  #nextInum = 4026532160;
  #prng: Prng;
  /** The cgroup v2 hierarchy tasks live in, once attached (attachCgroupTree); Task.cgroupPath mirrors it. */
  cgroups: CgroupTree | null = null;

  constructor(prng: Prng, hostname = 'node-1') {
    this.#prng = prng;
    this.initUserNs = { kind: 'user', inum: INIT_INUM.user, owner: null, level: 0, parent: null, ownerKuid: 0, uidMap: [{ first: 0, lowerFirst: 0, count: 4294967295 }], gidMap: [{ first: 0, lowerFirst: 0, count: 4294967295 }] };
    const u = this.initUserNs;
    this.initPidNs = { kind: 'pid', inum: INIT_INUM.pid, owner: u, level: 0, parent: null, lastPid: 0, nrToHostPid: new Map(), childReaperHostPid: null, adding: true };
    const time: TimeNamespace = { kind: 'time', inum: INIT_INUM.time, owner: u, monotonicOffsetSec: 0, boottimeOffsetSec: 0 };
    const net: NetNamespace = { kind: 'net', inum: INIT_INUM.net, owner: u, devices: [], nextIfindex: 1 };
    net.devices.push(this.newDevice(net, 'lo', 'loopback'), this.newDevice(net, 'eth0', 'ethernet'));
    net.devices[0]!.up = true;
    net.devices[0]!.addresses.push('127.0.0.1/8');
    net.devices[1]!.up = true;
    net.devices[1]!.addresses.push('192.168.1.100/24');
    const ns: NsProxy = {
      uts: { kind: 'uts', inum: INIT_INUM.uts, owner: u, nodename: hostname, domainname: '(none)' },
      ipc: { kind: 'ipc', inum: INIT_INUM.ipc, owner: u, msgQueueIds: [], nextIpcId: 0 },
      mnt: { kind: 'mnt', inum: INIT_INUM.mnt, owner: u, mounts: [{ source: '/dev/sda1', target: '/', fstype: 'ext4' }, { source: 'proc', target: '/proc', fstype: 'proc' }, { source: 'cgroup2', target: '/sys/fs/cgroup', fstype: 'cgroup2' }] },
      net,
      cgroup: { kind: 'cgroup', inum: INIT_INUM.cgroup, owner: u, rootPath: '/' },
      pidForChildren: this.initPidNs,
      time,
      timeForChildren: time,
    };
    const init: Task = { hostPid: 1, comm: 'systemd', parentHostPid: null, alive: true, pidNs: this.initPidNs, numbers: [1], ns, userNs: u, kuid: 0, kgid: 0, hasCaps: true, oomScoreAdj: 0, cgroupPath: '/init.scope', childSubreaper: false, argv: ['/sbin/init'], exitStatus: null, security: rootSecurity() };
    this.initPidNs.nrToHostPid.set(1, 1);
    this.initPidNs.lastPid = 1;
    this.initPidNs.childReaperHostPid = 1;
    this.tasks.set(1, init);
  }

  newDevice(ns: NetNamespace, name: string, type: NetDevice['type']): NetDevice {
    const mac = type === 'loopback' ? '00:00:00:00:00:00' : ['02', ...Array.from({ length: 5 }, () => this.#prng.intBetween(0, 256).toString(16).padStart(2, '0'))].join(':');
    return { ifindex: allocIfindex(ns), name, type, up: false, mac, addresses: [], peer: null, master: null, netnsInum: ns.inum };
  }

  #inum(): number {
    return this.#nextInum++;
  }

  task(hostPid: number): Task | undefined {
    const t = this.tasks.get(hostPid);
    return t && t.alive ? t : undefined;
  }

  liveTasks(): Task[] {
    return [...this.tasks.values()].filter((t) => t.alive).sort((a, b) => a.hostPid - b.hostPid);
  }

  /** The task's pid as seen from `ns`, or null if it is not visible there (it lives in an unrelated or ancestor namespace). */
  pidIn(task: Task, ns: PidNamespace): number | null {
    if (ns.level > task.pidNs.level) return null;
    let cur: PidNamespace | null = task.pidNs;
    while (cur && cur.level > ns.level) cur = cur.parent;
    return cur === ns ? task.numbers[ns.level]! : null;
  }

  /** getpid(): the number in the task's own (innermost) pid namespace. */
  getpid(task: Task): number {
    return task.numbers[task.pidNs.level]!;
  }

  /** getppid(): the parent's number in the caller's namespace, 0 if the parent is outside it. */
  getppid(task: Task): number {
    const parent = task.parentHostPid === null ? undefined : this.tasks.get(task.parentHostPid);
    if (!parent) return 0;
    return this.pidIn(parent, task.pidNs) ?? 0;
  }

  /** Resolves a pid number as the caller's pid namespace sees it (what kill(2) or /proc/<pid> do). */
  findByPid(caller: Task, nr: number): Task | undefined {
    const hostPid = caller.pidNs.nrToHostPid.get(nr);
    return hostPid === undefined ? undefined : this.task(hostPid);
  }

  /** cap_capable(CAP_SYS_ADMIN) of `task` over user namespace `target`. */
  capable(task: Task, target: UserNamespace): boolean {
    for (let ns: UserNamespace | null = target; ns; ns = ns.parent) {
      if (ns === task.userNs) return task.hasCaps;
      if (ns.level <= task.userNs.level) return false;
      if (ns.parent === task.userNs && ns.ownerKuid === task.kuid) return true;
    }
    return false;
  }

  #newUserNs(parent: UserNamespace, creator: Task): Result<UserNamespace> {
    if (parent.level + 1 > MAX_USER_NS_LEVEL) return errno('EUSERS', `user namespaces nest at most ${MAX_USER_NS_LEVEL} deep`);
    return ok({ kind: 'user', inum: this.#inum(), owner: parent, level: parent.level + 1, parent, ownerKuid: creator.kuid, uidMap: null, gidMap: null });
  }

  #newPidNs(parent: PidNamespace, owner: UserNamespace): Result<PidNamespace> {
    if (parent.level + 1 > MAX_PID_NS_LEVEL) return errno('ENOSPC', `pid namespaces nest at most ${MAX_PID_NS_LEVEL} deep (MAX_PID_NS_LEVEL)`);
    return ok({ kind: 'pid', inum: this.#inum(), owner, level: parent.level + 1, parent, lastPid: 0, nrToHostPid: new Map(), childReaperHostPid: null, adding: true });
  }

  /** create_new_namespaces: copies of the non-pid, non-user namespaces named in `flags`. */
  #copyNamespaces(flags: number, from: NsProxy, owner: UserNamespace, cgroupPath: string): NsProxy {
    const ns: NsProxy = { ...from };
    if (flags & CLONE_NEWNS) ns.mnt = { kind: 'mnt', inum: this.#inum(), owner, mounts: from.mnt.mounts.map((m) => ({ ...m })) } satisfies MntNamespace;
    if (flags & CLONE_NEWUTS) ns.uts = { kind: 'uts', inum: this.#inum(), owner, nodename: from.uts.nodename, domainname: from.uts.domainname } satisfies UtsNamespace;
    if (flags & CLONE_NEWIPC) ns.ipc = { kind: 'ipc', inum: this.#inum(), owner, msgQueueIds: [], nextIpcId: 0 } satisfies IpcNamespace;
    if (flags & CLONE_NEWNET) {
      const net: NetNamespace = { kind: 'net', inum: this.#inum(), owner, devices: [], nextIfindex: 1 };
      net.devices.push(this.newDevice(net, 'lo', 'loopback'));
      ns.net = net;
    }
    if (flags & CLONE_NEWCGROUP) ns.cgroup = { kind: 'cgroup', inum: this.#inum(), owner, rootPath: cgroupPath } satisfies CgroupNamespace;
    if (flags & CLONE_NEWTIME) ns.timeForChildren = { kind: 'time', inum: this.#inum(), owner, monotonicOffsetSec: 0, boottimeOffsetSec: 0 } satisfies TimeNamespace;
    return ns;
  }

  #allocPid(ns: PidNamespace, hostPid: number | null): number {
    for (let tries = 0; tries < PID_MAX; tries++) {
      let nr = ns.lastPid + 1;
      if (nr >= PID_MAX) nr = ns.level === 0 ? 300 : 2; // RESERVED_PIDS after wrap in the initial namespace
      ns.lastPid = nr;
      if (!ns.nrToHostPid.has(nr)) {
        if (hostPid !== null) ns.nrToHostPid.set(nr, hostPid);
        return nr;
      }
    }
    invariant(false, 'pid space exhausted');
  }

  /** clone(2)/fork(2): a child of `parent` named `comm`, with the CLONE_NEW* `flags`. */
  clone(parent: Task, flags: number, comm: string): Result<Task> {
    if (!parent.alive) return errno('ESRCH', `process ${parent.hostPid} has exited`);
    // copy_process: CLONE_PARENT from an init (SIGNAL_UNKILLABLE) is EINVAL, since the child would have no parent in its namespace.
    if (flags & CLONE_PARENT && parent.pidNs.childReaperHostPid === parent.hostPid) return errno('EINVAL', 'CLONE_PARENT from the init of a pid namespace');
    if (this.liveTasks().length >= TASKS_MAX) return errno('EAGAIN', `more than ${TASKS_MAX} processes (the sim's limit)`);
    let userNs = parent.userNs;
    let hasCaps = parent.hasCaps;
    if (flags & CLONE_NEWUSER) {
      const u = this.#newUserNs(parent.userNs, parent);
      if (!u.ok) return u;
      userNs = u.value;
      hasCaps = true;
    }
    const others = flags & ~CLONE_NEWUSER & ~CLONE_PARENT;
    const probe: Task = { ...parent, userNs, hasCaps };
    if (others && !this.capable(probe, userNs)) return errno('EPERM', `${this.#flagNames(others)} needs CAP_SYS_ADMIN in the owning user namespace`);
    let pidNs = parent.ns.pidForChildren;
    if (!pidNs.adding) return errno('ENOMEM', `pid namespace ${pidNs.inum} is dying (its init exited); no process can enter it`);
    if (flags & CLONE_NEWPID) {
      const p = this.#newPidNs(pidNs, userNs);
      if (!p.ok) return p;
      pidNs = p.value;
    }
    const ns = this.#copyNamespaces(others, parent.ns, userNs, parent.cgroupPath);
    ns.pidForChildren = pidNs;
    ns.time = parent.ns.timeForChildren;
    if (flags & CLONE_NEWTIME) ns.time = ns.timeForChildren;
    // alloc_pid: numbers from the innermost namespace outwards; the host pid is level 0's.
    const numbers: number[] = new Array(pidNs.level + 1);
    const chain: PidNamespace[] = [];
    for (let cur: PidNamespace | null = pidNs; cur; cur = cur.parent) chain.push(cur);
    for (const p of chain) numbers[p.level] = this.#allocPid(p, null);
    const hostPid = numbers[0]!;
    for (const p of chain) p.nrToHostPid.set(numbers[p.level]!, hostPid);
    if (pidNs.childReaperHostPid === null) pidNs.childReaperHostPid = hostPid;
    const parentHostPid = flags & CLONE_PARENT ? parent.parentHostPid : parent.hostPid;
    const security = copySecurity(parent.security);
    if (flags & CLONE_NEWUSER) fullCaps(security);
    const child: Task = { hostPid, comm, parentHostPid, alive: true, pidNs, numbers, ns, userNs, kuid: parent.kuid, kgid: parent.kgid, hasCaps, oomScoreAdj: parent.oomScoreAdj, cgroupPath: parent.cgroupPath, childSubreaper: false, argv: [...parent.argv], exitStatus: null, security };
    this.tasks.set(hostPid, child);
    // cgroup_post_fork: the child starts in its parent's cgroup (no "no internal processes" check on fork).
    this.cgroups?.fork(parent.hostPid, hostPid, parent.cgroupPath);
    return ok(child);
  }

  #flagNames(flags: number): string {
    return (Object.keys(CLONE_FLAG_NAME) as NsKind[]).filter((k) => flags & ({ mnt: CLONE_NEWNS, uts: CLONE_NEWUTS, ipc: CLONE_NEWIPC, user: CLONE_NEWUSER, pid: CLONE_NEWPID, net: CLONE_NEWNET, cgroup: CLONE_NEWCGROUP, time: CLONE_NEWTIME } as const)[k]).map((k) => CLONE_FLAG_NAME[k]).join('|');
  }

  /** unshare(2): moves the caller into new namespaces (pid and time: only its future children). */
  unshare(task: Task, flags: number): Result<Task> {
    if (flags & CLONE_NEWPID && task.ns.pidForChildren !== task.pidNs) return errno('EINVAL', 'unshare(CLONE_NEWPID) twice before forking: pid_for_children already differs from the active pid namespace');
    let userNs = task.userNs;
    let hasCaps = task.hasCaps;
    if (flags & CLONE_NEWUSER) {
      const u = this.#newUserNs(task.userNs, task);
      if (!u.ok) return u;
      userNs = u.value;
      hasCaps = true;
    }
    const others = flags & ~CLONE_NEWUSER;
    if (others && !this.capable({ ...task, userNs, hasCaps }, userNs)) return errno('EPERM', `${this.#flagNames(others)} needs CAP_SYS_ADMIN in the owning user namespace`);
    let pidForChildren = task.ns.pidForChildren;
    if (flags & CLONE_NEWPID) {
      const p = this.#newPidNs(task.pidNs, userNs);
      if (!p.ok) return p;
      pidForChildren = p.value;
    }
    const ns = this.#copyNamespaces(others, task.ns, userNs, task.cgroupPath);
    ns.pidForChildren = pidForChildren;
    const left = task.ns.net;
    task.ns = ns;
    task.userNs = userNs;
    task.hasCaps = hasCaps;
    if (flags & CLONE_NEWUSER) fullCaps(task.security);
    this.gcNamespaces([left]);
    return ok(task);
  }

  /** The namespace of `kind` that /proc/<pid>/ns/<kind> of `task` refers to. */
  nsOf(task: Task, kind: NsKind): Namespace {
    switch (kind) {
      case 'user': return task.userNs;
      case 'pid': return task.pidNs;
      case 'time': return task.ns.time;
      default: return task.ns[kind];
    }
  }

  /** setns(2) with a pidfd/nsfd of `target`'s namespace of `kind`. */
  setns(task: Task, target: Task, kind: NsKind): Result<Task> {
    return this.enter(task, this.nsOf(target, kind));
  }

  /**
   * Opens a namespace file the way setns(2) callers do: `/proc/<pid>/ns/<kind>`
   * (pid as the caller's pid namespace sees it; `self` allowed) or a path a
   * namespace was pinned at (bind mount of an nsfs file).
   */
  nsByPath(caller: Task, path: string): Result<Namespace> {
    const pinned = this.pinned.get(path);
    if (pinned) return ok(pinned);
    const m = /^\/proc\/(\d+|self)\/ns\/([a-z_]+)$/.exec(path);
    if (!m) return errno('ENOENT', `${path}: no such namespace file (not /proc/<pid>/ns/<kind> and nothing is pinned there)`);
    const kind = (m[2] === 'pid_for_children' ? 'pid' : m[2]) as NsKind;
    if (!(['user', 'mnt', 'uts', 'ipc', 'pid', 'net', 'cgroup', 'time'] as string[]).includes(kind)) return errno('ENOENT', `${path}: no such namespace file`);
    const t = m[1] === 'self' ? caller : this.findByPid(caller, Number(m[1]));
    if (!t) return errno('ENOENT', `${path}: no process ${m[1]} in this pid namespace`);
    if (m[2] === 'pid_for_children') return ok(t.ns.pidForChildren);
    return ok(this.nsOf(t, kind));
  }

  /** setns(2) on an open namespace file (see nsByPath). */
  setnsByPath(task: Task, path: string): Result<Task> {
    const ns = this.nsByPath(task, path);
    return ns.ok ? this.enter(task, ns.value) : ns;
  }

  /**
   * Pins `ns` at `path` (mount --bind /proc/<pid>/ns/net /var/run/netns/NAME):
   * the namespace lives on with no process in it, and setns can reach it by path.
   */
  pin(path: string, ns: Namespace): Result<void> {
    if (this.pinned.has(path)) return errno('EEXIST', `${path} already exists`);
    this.pinned.set(path, ns);
    return ok(undefined);
  }

  /** umount + rm of a pinned namespace file; an unheld network namespace is then destroyed. */
  unpin(path: string): Result<void> {
    const ns = this.pinned.get(path);
    if (!ns) return errno('ENOENT', `${path}: nothing is pinned there`);
    this.pinned.delete(path);
    this.gcNamespaces(ns.kind === 'net' ? [ns] : []);
    return ok(undefined);
  }

  /** A fresh network namespace (only `lo`, down) owned by `creator`'s user namespace, as `ip netns add` makes with unshare(CLONE_NEWNET). */
  newNetNamespace(creator: Task): Result<NetNamespace> {
    if (!this.capable(creator, creator.userNs)) return errno('EPERM', 'CLONE_NEWNET needs CAP_SYS_ADMIN in the owning user namespace');
    return ok(this.#copyNamespaces(CLONE_NEWNET, creator.ns, creator.userNs, creator.cgroupPath).net);
  }

  /** prctl(PR_SET_CHILD_SUBREAPER, on). */
  setChildSubreaper(task: Task, on: boolean): void {
    task.childSubreaper = on;
  }

  /** Joins namespace `ns` (the body of setns(2); kernel/nsproxy.c and each namespace's install hook). */
  enter(task: Task, ns: Namespace): Result<Task> {
    const kind = ns.kind;
    if (kind === 'user') {
      const u = ns as UserNamespace;
      if (u === task.userNs) return errno('EINVAL', 'already in that user namespace');
      if (!this.capable(task, u)) return errno('EPERM', 'setns to a user namespace needs CAP_SYS_ADMIN in it');
      task.userNs = u;
      task.hasCaps = true;
      fullCaps(task.security);
      return ok(task);
    }
    const owner = ns.owner ?? this.initUserNs;
    if (!this.capable(task, owner) || !this.capable(task, task.userNs)) return errno('EPERM', `setns(${kind}) needs CAP_SYS_ADMIN over the target namespace and in the caller's own user namespace`);
    if (kind === 'pid') {
      const target = ns as PidNamespace;
      const active = task.pidNs;
      if (target.level < active.level) return errno('EINVAL', 'setns(pid): only the active pid namespace or one of its descendants may be entered');
      let anc: PidNamespace | null = target;
      while (anc && anc.level > active.level) anc = anc.parent;
      if (anc !== active) return errno('EINVAL', 'setns(pid): target is not a descendant of the caller\'s pid namespace');
      task.ns = { ...task.ns, pidForChildren: target };
      return ok(task);
    }
    if (kind === 'time') {
      task.ns = { ...task.ns, timeForChildren: ns as TimeNamespace };
      return ok(task);
    }
    const left = task.ns.net;
    task.ns = { ...task.ns, [kind]: ns };
    this.gcNamespaces(kind === 'net' ? [left] : []);
    return ok(task);
  }

  /** Ends `task` with `status`. Returns the host pids that died (init of a pid namespace takes its namespace with it). */
  exit(task: Task, status = 0): number[] {
    if (!task.alive) return [];
    const died: number[] = [];
    const isReaper = task.pidNs.childReaperHostPid === task.hostPid;
    task.alive = false;
    task.exitStatus = status;
    this.cgroups?.detach(task.hostPid);
    died.push(task.hostPid);
    if (isReaper) {
      // zap_pid_ns_processes: SIGKILL everything still in this namespace (and its descendants): 128 + 9.
      task.pidNs.adding = false;
      for (const t of this.liveTasks()) if (this.pidIn(t, task.pidNs) !== null) died.push(...this.exit(t, 137));
    }
    for (const p of this.#pidChain(task.pidNs)) p.nrToHostPid.delete(task.numbers[p.level]!);
    // find_new_reaper: the nearest live ancestor in the same pid namespace that is a child
    // subreaper; otherwise the init of the dead task's pid namespace (or of the nearest live ancestor namespace).
    let reaper: number | null = null;
    for (let up = task.parentHostPid === null ? undefined : this.tasks.get(task.parentHostPid); up; up = up.parentHostPid === null ? undefined : this.tasks.get(up.parentHostPid)) {
      if (up.pidNs !== task.pidNs || up.hostPid === task.pidNs.childReaperHostPid) break;
      if (up.alive && up.childSubreaper) { reaper = up.hostPid; break; }
    }
    if (reaper === null) {
      let reaperNs: PidNamespace | null = task.pidNs;
      while (reaperNs && (reaperNs.childReaperHostPid === null || !this.task(reaperNs.childReaperHostPid))) reaperNs = reaperNs.parent;
      reaper = reaperNs?.childReaperHostPid ?? 1;
    }
    for (const t of this.liveTasks()) if (t.parentHostPid === task.hostPid) t.parentHostPid = reaper;
    this.gcNamespaces();
    return died;
  }

  #pidChain(ns: PidNamespace): PidNamespace[] {
    const out: PidNamespace[] = [];
    for (let cur: PidNamespace | null = ns; cur; cur = cur.parent) out.push(cur);
    return out;
  }

  /**
   * kill(2) with SIGKILL from `sender` to pid `nr` of the sender's namespace.
   * A pid namespace's init ignores SIGKILL sent from inside its own namespace
   * (only an ancestor namespace can kill it).
   */
  kill(sender: Task, nr: number): Result<number[]> {
    const target = this.findByPid(sender, nr);
    if (!target) return errno('ESRCH', `no process ${nr} in this pid namespace`);
    if (target.pidNs.childReaperHostPid === target.hostPid && target.pidNs === sender.pidNs) return ok([]);
    return ok(this.exit(target, 137));
  }

  /** Namespaces still held by a live task (net namespaces with none are destroyed, taking their veths and the peers along). */
  gcNamespaces(released: NetNamespace[] = []): void {
    const held = new Set<number>();
    for (const t of this.liveTasks()) held.add(t.ns.net.inum);
    for (const ns of this.pinned.values()) if (ns.kind === 'net') held.add(ns.inum);
    for (const net of [...released, ...[...this.tasks.values()].map((t) => t.ns.net)]) {
      if (held.has(net.inum) || net.inum === INIT_INUM.net || net.devices.length === 0) continue;
      for (const d of [...net.devices]) this.deleteDevice(net, d);
    }
  }

  /** The namespace a device lives in, by inode number (searching live tasks' views). */
  netnsByInum(inum: number): NetNamespace | undefined {
    for (const ns of this.pinned.values()) if (ns.kind === 'net' && ns.inum === inum) return ns;
    for (const t of this.tasks.values()) if (t.ns.net.inum === inum) return t.ns.net;
    return undefined;
  }

  /** `ip link del`: a veth takes its peer with it; a bridge releases its ports. */
  deleteDevice(ns: NetNamespace, d: NetDevice): void {
    ns.devices = ns.devices.filter((x) => x !== d);
    if (d.type === 'bridge') for (const x of ns.devices) if (x.master === d.name) x.master = null;
    if (d.peer) {
      const peer = d.peer;
      d.peer = null;
      peer.peer = null;
      const pns = this.netnsByInum(peer.netnsInum);
      if (pns) this.deleteDevice(pns, peer);
    }
  }

  /** The uid `task` has as namespace `viewer` sees it (65534 when unmapped there). */
  uidSeenFrom(task: Task, viewer: UserNamespace): number {
    return fromKid(viewer, task.kuid, 'uid');
  }

  // ---- what a container runtime does to a task (Layer 2's runc drives these) ----

  /** execve(2): new program image; comm is the basename of argv[0], cut to 15 bytes (__set_task_comm). */
  execve(task: Task, argv: string[]): void {
    task.argv = [...argv];
    task.comm = (argv[0] ?? '').split('/').pop()!.slice(0, COMM_MAX);
  }

  /** sethostname(2): needs CAP_SYS_ADMIN over the UTS namespace's owner; at most 64 bytes (__NEW_UTS_LEN). */
  sethostname(task: Task, name: string): Result<void> {
    if (!this.capable(task, task.ns.uts.owner ?? this.initUserNs)) return errno('EPERM', 'sethostname needs CAP_SYS_ADMIN over the UTS namespace');
    if (name.length > 64) return errno('EINVAL', 'hostname longer than 64 characters (__NEW_UTS_LEN)');
    task.ns.uts.nodename = name;
    return ok(undefined);
  }

  /**
   * Writes /proc/<target>/uid_map or gid_map from `writer` (kernel/user_namespace.c map_write,
   * new_idmap_permitted): once only; the writer is in the namespace or its parent; without
   * CAP_SETUID/CAP_SETGID over the parent only the writer's own id may be mapped, one long.
   */
  writeIdMap(writer: Task, target: Task, which: 'uid' | 'gid', extents: IdExtent[]): Result<void> {
    const ns = target.userNs;
    const file = `${which}_map`;
    if (!ns.parent) return errno('EPERM', 'the initial user namespace\'s map is fixed');
    if ((which === 'uid' ? ns.uidMap : ns.gidMap) !== null) return errno('EPERM', `${file} can be written only once`);
    if (writer.userNs !== ns && writer.userNs !== ns.parent) return errno('EPERM', 'the writer must be in that user namespace or in its parent');
    const ownKid = which === 'uid' ? writer.kuid : writer.kgid;
    const e = extents;
    const ownOnly = e.length === 1 && e[0]!.count === 1 && ns.ownerKuid === writer.kuid && makeKid(ns.parent, e[0]!.lowerFirst, which) === ownKid;
    if (!ownOnly && !(writer.userNs === ns.parent && this.capable(writer, ns.parent))) {
      return errno('EPERM', `without CAP_SET${which.toUpperCase()} in the parent namespace only "<id> ${fromKidOf(ns.parent, ownKid, which)} 1" (your own id) may be mapped`);
    }
    for (const x of e) if (makeKid(ns.parent, x.lowerFirst, which) === null || makeKid(ns.parent, x.lowerFirst + x.count - 1, which) === null) return errno('EPERM', `outside ids ${x.lowerFirst}..${x.lowerFirst + x.count - 1} are not mapped in the parent namespace`);
    if (which === 'uid') ns.uidMap = e.map((x) => ({ ...x }));
    else ns.gidMap = e.map((x) => ({ ...x }));
    return ok(undefined);
  }

  /** mount(2) into the caller's mount namespace (needs CAP_SYS_ADMIN over its owner). */
  mount(task: Task, entry: MountEntry): Result<void> {
    if (!this.capable(task, task.ns.mnt.owner ?? this.initUserNs)) return errno('EPERM', 'mount needs CAP_SYS_ADMIN over the mount namespace');
    task.ns.mnt.mounts.push({ ...entry, ...(entry.options ? { options: [...entry.options] } : {}) });
    return ok(undefined);
  }

  /** umount2(target, 0): removes the topmost mount at `target` in the caller's mount namespace (EINVAL if none). */
  umount(task: Task, target: string): Result<void> {
    const ns = task.ns.mnt;
    if (!this.capable(task, ns.owner ?? this.initUserNs)) return errno('EPERM', 'umount needs CAP_SYS_ADMIN over the mount namespace');
    const i = ns.mounts.map((m) => m.target).lastIndexOf(target);
    if (i < 0) return errno('EINVAL', `umount: ${target}: not mounted`);
    if (ns.mounts.some((m, j) => j > i && m.target.startsWith(target.endsWith('/') ? target : `${target}/`))) return errno('EBUSY', `umount: ${target}: target is busy (mounts below it)`);
    ns.mounts = ns.mounts.filter((_, j) => j !== i);
    return ok(undefined);
  }

  /**
   * pivot_root(new_root, new_root) followed by umount2(".", MNT_DETACH), as runc does:
   * `newRoot` must be a mount point of the caller's mount namespace; it becomes "/", the
   * mounts below it are rebased, everything else (the old root) is detached.
   * The sim refuses to pivot the host's initial mount namespace (it would change every host process's view).
   */
  pivotRoot(task: Task, newRoot: string): Result<void> {
    const ns = task.ns.mnt;
    if (!this.capable(task, ns.owner ?? this.initUserNs)) return errno('EPERM', 'pivot_root needs CAP_SYS_ADMIN over the mount namespace');
    if (ns.inum === INIT_INUM.mnt) return errno('EINVAL', 'pivot_root: the sim does not pivot the host\'s initial mount namespace (create a mount namespace first)');
    if (!ns.mounts.some((m) => m.target === newRoot)) return errno('EINVAL', `pivot_root: ${newRoot} is not a mount point`);
    const under = newRoot.endsWith('/') ? newRoot : `${newRoot}/`;
    ns.mounts = ns.mounts
      .filter((m) => m.target === newRoot || m.target.startsWith(under))
      .map((m) => ({ ...m, target: m.target === newRoot ? '/' : `/${m.target.slice(under.length)}` }));
    return ok(undefined);
  }

  /** Connects the cgroup v2 hierarchy: every live task is placed in (and from now on follows) its cgroupPath. */
  attachCgroupTree(tree: CgroupTree): void {
    this.cgroups = tree;
    for (const t of this.liveTasks()) {
      tree.ensure(t.cgroupPath);
      tree.fork(t.hostPid, t.hostPid, t.cgroupPath);
    }
  }

  /** echo <pid> > /sys/fs/cgroup<path>/cgroup.procs: moves the task (cgroup_attach_task). */
  moveToCgroup(task: Task, path: string): Result<void> {
    if (!this.cgroups) { task.cgroupPath = path; return ok(undefined); }
    const r = this.cgroups.attach(task.hostPid, path);
    if (r.ok) task.cgroupPath = this.cgroups.cgroupOf(task.hostPid)!.path;
    return r;
  }

  /** prctl(PR_SET_KEEPCAPS). */
  setKeepCaps(task: Task, on: boolean): void {
    task.security.keepCaps = on;
  }

  /** prctl(PR_CAPBSET_DROP) for every capability in `caps`. */
  dropBounding(task: Task, caps: string[]): Result<void> {
    return capbsetDrop(task.security, caps);
  }

  /** capset(2); CAP_SYS_ADMIN in the new effective set decides what capable() answers from now on. */
  capset(task: Task, sets: { effective: string[]; permitted: string[]; inheritable: string[] }): Result<void> {
    const r = capset(task.security, sets);
    if (r.ok) task.hasCaps = task.security.caps.effective.includes('CAP_SYS_ADMIN');
    return r;
  }

  /** prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap) for every capability in `caps`. */
  raiseAmbient(task: Task, caps: string[]): Result<void> {
    return ambientRaise(task.security, caps);
  }

  /**
   * setgroups + setresgid + setresuid to ids of the task's user namespace (needs CAP_SETUID/CAP_SETGID
   * unless nothing changes); leaving uid 0 clears capabilities as cap_emulate_setxuid does.
   */
  setIds(task: Task, uid: number, gid: number, groups: number[]): Result<void> {
    const kuid = makeKid(task.userNs, uid, 'uid');
    const kgid = makeKid(task.userNs, gid, 'gid');
    if (kuid === null) return errno('EINVAL', `uid ${uid} has no mapping in the user namespace`);
    if (kgid === null) return errno('EINVAL', `gid ${gid} has no mapping in the user namespace`);
    const eff = task.security.caps.effective;
    if (kgid !== task.kgid && !eff.includes('CAP_SETGID')) return errno('EPERM', 'setgid needs CAP_SETGID');
    if (groups.length && !eff.includes('CAP_SETGID')) return errno('EPERM', 'setgroups needs CAP_SETGID');
    if (kuid !== task.kuid && !eff.includes('CAP_SETUID')) return errno('EPERM', 'setuid needs CAP_SETUID');
    const oldUid = fromKidOf(task.userNs, task.kuid, 'uid');
    task.security.groups = [...groups];
    task.kgid = kgid;
    task.kuid = kuid;
    onSetuid(task.security, oldUid, uid);
    task.hasCaps = task.security.caps.effective.includes('CAP_SYS_ADMIN');
    return ok(undefined);
  }

  /** prlimit(2) by `caller` on `task`. */
  prlimit(caller: Task, task: Task, limits: Rlimit[]): Result<void> {
    for (const r of limits) {
      const res = setRlimit(task.security, r, caller.security.caps.effective.includes('CAP_SYS_RESOURCE'));
      if (!res.ok) return res;
    }
    return ok(undefined);
  }

  /** prctl(PR_SET_NO_NEW_PRIVS, 1): cannot be unset. */
  setNoNewPrivs(task: Task): void {
    task.security.noNewPrivs = true;
  }

  /** seccomp(SECCOMP_SET_MODE_FILTER): needs no_new_privs or CAP_SYS_ADMIN (kernel/seccomp.c). */
  installSeccomp(task: Task, summary: string): Result<void> {
    if (!task.security.noNewPrivs && !task.security.caps.effective.includes('CAP_SYS_ADMIN')) return errno('EACCES', 'seccomp filter without no_new_privs needs CAP_SYS_ADMIN');
    task.security.seccomp = summary;
    return ok(undefined);
  }
}

/** A task entering a new user namespace holds every capability in it (user_namespaces(7)). */
function fullCaps(s: TaskSecurity): void {
  s.caps.effective = [...CAPABILITIES];
  s.caps.permitted = [...CAPABILITIES];
}
