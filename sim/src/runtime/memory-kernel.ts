/**
 * A small in-memory kernel implementing `KernelPort`: enough process tree,
 * namespace, mount and cgroup v2 behaviour for the runtime layer's tests and
 * widgets to run on their own. Layer 1's real models replace it through an
 * adapter; this file only keeps the rules the runtime depends on:
 *  - a child inherits every namespace of its creator, pid from pid_for_children;
 *  - unshare(CLONE_NEWPID) changes pid_for_children only (pid_namespaces(7));
 *  - a process gets a pid in its own pid namespace and in every ancestor one;
 *  - an orphan is reparented to the nearest live ancestor marked child
 *    subreaper, else to the init of its pid namespace (prctl(2));
 *  - a process is in exactly one cgroup; writing its pid to cgroup.procs moves it;
 *    a cgroup with processes cannot be removed (EBUSY).
 * Upstream: Linux v6.x kernel/fork.c, kernel/nsproxy.c, kernel/exit.c
 * (find_new_reaper), kernel/cgroup/cgroup.c; namespaces(7), pid_namespaces(7).
 */
import { fail, ok, simError, type Result } from '../core/result.ts';
import { invariant } from '../core/invariant.ts';
import type { IdMapping, KernelPort, MountEntry, NsKind, ProcessInfo, ProcessSecurity } from './kernel-port.ts';

const NS_KINDS: NsKind[] = ['user', 'ipc', 'uts', 'net', 'pid', 'mnt', 'cgroup', 'time'];
/** The first namespace inode numbers on a typical host (PROC_*_INIT_INO in include/linux/proc_ns.h). */
const INIT_INO: Record<NsKind, number> = { ipc: 4026531839, uts: 4026531838, user: 4026531837, pid: 4026531836, cgroup: 4026531835, time: 4026531834, net: 4026531840, mnt: 4026531841 };

interface PidNs { id: string; parent?: PidNs; nextPid: number; init?: number }
interface MntNs { id: string; mounts: MountEntry[] }

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  argv: string[];
  state: 'running' | 'zombie' | 'exited';
  exitStatus?: number;
  ns: Record<NsKind, string>;
  pidForChildren: string;
  /** pid in each pid namespace from its own up to the initial one. */
  pids: Map<string, number>;
  cgroup: string;
  root: string;
  childSubreaper: boolean;
  security: ProcessSecurity;
}

const FULL_CAPS_NOTE = 'all';

function cloneSecurity(s: ProcessSecurity): ProcessSecurity {
  const c = s.capabilities;
  return {
    ...s,
    additionalGids: [...s.additionalGids],
    capabilities: { bounding: [...c.bounding], effective: [...c.effective], permitted: [...c.permitted], inheritable: [...c.inheritable], ambient: [...c.ambient] },
    rlimits: s.rlimits.map((r) => ({ ...r })),
  };
}

export class MemoryKernel implements KernelPort {
  readonly initPid = 1;
  #procs = new Map<number, Proc>();
  #pidNs = new Map<string, PidNs>();
  #mntNs = new Map<string, MntNs>();
  #hostnames = new Map<string, string>();
  #pinned = new Map<string, string>();
  #cgroups = new Map<string, Map<string, string>>();
  #nextIno = 4026532160;

  /**
   * @param firstFreeHostPid the next pid the host will hand out (a booted node already runs a few
   *   hundred processes; a realistic value keeps container pids from looking like 3 or 4).
   */
  constructor(hostHostname = 'node-1', firstFreeHostPid = 2) {
    const ns = {} as Record<NsKind, string>;
    for (const k of NS_KINDS) ns[k] = `${k}:[${INIT_INO[k]}]`;
    const rootPidNs: PidNs = { id: ns.pid, nextPid: 1 };
    this.#pidNs.set(ns.pid, rootPidNs);
    this.#mntNs.set(ns.mnt, { id: ns.mnt, mounts: [{ target: '/', fstype: 'ext4', source: '/dev/nvme0n1p1', options: ['rw', 'relatime'] }] });
    this.#hostnames.set(ns.uts, hostHostname);
    this.#cgroups.set('/', new Map([['cgroup.procs', ''], ['cgroup.subtree_control', 'cpu memory pids']]));
    const init: Proc = {
      pid: 1, ppid: 0, comm: 'systemd', argv: ['/sbin/init'], state: 'running', ns, pidForChildren: ns.pid,
      pids: new Map([[ns.pid, 1]]), cgroup: '/init.scope', root: '/', childSubreaper: false,
      security: { uid: 0, gid: 0, additionalGids: [], capabilities: { bounding: [FULL_CAPS_NOTE], effective: [FULL_CAPS_NOTE], permitted: [FULL_CAPS_NOTE], inheritable: [], ambient: [] }, noNewPrivs: false, rlimits: [], oomScoreAdj: 0 },
    };
    rootPidNs.nextPid = Math.max(2, firstFreeHostPid);
    rootPidNs.init = 1;
    this.#cgroups.set('/init.scope', new Map([['cgroup.procs', '1']]));
    this.#procs.set(1, init);
  }

  #newNsId(kind: NsKind): string {
    return `${kind}:[${this.#nextIno++}]`;
  }

  #proc(pid: number): Proc {
    const p = this.#procs.get(pid);
    invariant(p, `no process ${pid}`);
    return p;
  }

  #makeNs(kind: NsKind, from: Proc): string {
    const id = this.#newNsId(kind);
    // A new pid namespace is a child of the one the creator's children would join.
    if (kind === 'pid') this.#pidNs.set(id, { id, parent: this.#pidNs.get(from.pidForChildren), nextPid: 1 });
    if (kind === 'mnt') this.#mntNs.set(id, { id, mounts: (this.#mntNs.get(from.ns.mnt)?.mounts ?? []).map((m) => ({ ...m, options: [...m.options] })) });
    if (kind === 'uts') this.#hostnames.set(id, this.#hostnames.get(from.ns.uts) ?? '');
    return id;
  }

  clone(callerPid: number, opts: { comm: string; newNamespaces?: NsKind[]; parentPid?: number }): number {
    const caller = this.#proc(callerPid);
    const ns = { ...caller.ns, pid: caller.pidForChildren };
    for (const k of opts.newNamespaces ?? []) ns[k] = this.#makeNs(k, caller);
    // Allocate a pid in the child's pid namespace and every ancestor (alloc_pid in kernel/pid.c);
    // the first process of a pid namespace is its init (pid 1 there).
    const pids = new Map<string, number>();
    const initOf: PidNs[] = [];
    let hostPid = 0;
    for (let level: PidNs | undefined = this.#pidNs.get(ns.pid); level; level = level.parent) {
      const n = level.nextPid++;
      pids.set(level.id, n);
      if (n === 1) initOf.push(level);
      if (!level.parent) hostPid = n;
    }
    for (const level of initOf) level.init = hostPid;
    const p: Proc = {
      pid: hostPid, ppid: opts.parentPid ?? callerPid, comm: opts.comm, argv: [...caller.argv], state: 'running', ns, pidForChildren: ns.pid, pids,
      cgroup: caller.cgroup, root: caller.root, childSubreaper: false,
      security: cloneSecurity(caller.security),
    };
    this.#procs.set(hostPid, p);
    this.#addToProcs(p.cgroup, hostPid);
    return hostPid;
  }

  unshare(pid: number, kinds: NsKind[]): void {
    const p = this.#proc(pid);
    for (const k of kinds) {
      if (k === 'pid') p.pidForChildren = this.#makeNs('pid', p);
      else p.ns[k] = this.#makeNs(k, p);
    }
  }

  #resolveNsPath(path: string): { kind: NsKind; nsId: string } | undefined {
    const pinned = this.#pinned.get(path);
    if (pinned) return { kind: pinned.split(':')[0] as NsKind, nsId: pinned };
    const m = /^\/proc\/(\d+)\/ns\/(\w+)$/.exec(path);
    if (!m) return undefined;
    const p = this.#procs.get(Number(m[1]));
    const kind = m[2] as NsKind;
    if (!p || p.state !== 'running' || !NS_KINDS.includes(kind)) return undefined;
    return { kind, nsId: p.ns[kind] };
  }

  setns(pid: number, nsPath: string): Result<{ kind: NsKind; nsId: string }> {
    const p = this.#proc(pid);
    const target = this.#resolveNsPath(nsPath);
    if (!target) return fail(simError('ENOENT', `setns: ${nsPath}: no such namespace file`));
    if (target.kind === 'pid') p.pidForChildren = target.nsId; // setns(CLONE_NEWPID) also affects children only
    else p.ns[target.kind] = target.nsId;
    return ok(target);
  }

  pinNamespace(path: string, nsId: string): void {
    this.#pinned.set(path, nsId);
  }

  /** Creates a fresh network namespace pinned at `path`, as CNI's netns helper does. */
  createPinnedNamespace(kind: NsKind, path: string): string {
    const id = this.#newNsId(kind);
    this.#pinned.set(path, id);
    return id;
  }

  /** /proc/<pid>/uid_map and gid_map, kept for views (this model does not translate ids). */
  readonly idMaps = new Map<number, { uid: IdMapping[]; gid: IdMapping[] }>();

  writeIdMaps(pid: number, uidMappings: IdMapping[], gidMappings: IdMapping[]): void {
    this.#proc(pid);
    this.idMaps.set(pid, { uid: uidMappings.map((m) => ({ ...m })), gid: gidMappings.map((m) => ({ ...m })) });
  }

  execve(pid: number, argv: string[]): void {
    const p = this.#proc(pid);
    p.argv = [...argv];
    p.comm = (argv[0] ?? '').split('/').pop()!.slice(0, 15);
  }

  exit(pid: number, status: number): void {
    const p = this.#proc(pid);
    p.state = 'zombie';
    p.exitStatus = status;
    this.#removeFromProcs(p.cgroup, pid);
    // If it was the init of a pid namespace, every other process in it is killed (zap_pid_ns_processes).
    for (const ns of this.#pidNs.values()) {
      if (ns.init === pid) {
        for (const q of this.#procs.values()) if (q.pid !== pid && q.state === 'running' && q.pids.has(ns.id)) this.exit(q.pid, 137);
      }
    }
    for (const c of this.#procs.values()) {
      if (c.ppid === pid && c.pid !== pid) c.ppid = this.#findReaper(p, c);
    }
    // A child whose parent is gone or not waiting stays a zombie until reaped; the parent reaps via reap().
    const parent = this.#procs.get(p.ppid);
    if (!parent || parent.state !== 'running') p.state = 'exited';
  }

  /** wait4(2) by the parent: removes the zombie and returns its status. */
  reap(pid: number): number | undefined {
    const p = this.#procs.get(pid);
    if (!p || p.state === 'running') return undefined;
    p.state = 'exited';
    return p.exitStatus;
  }

  #findReaper(dead: Proc, orphan: Proc): number {
    for (let a = this.#procs.get(dead.ppid); a; a = this.#procs.get(a.ppid)) {
      if (a.state === 'running' && a.childSubreaper) return a.pid;
      if (a.pid === 1 || a.ppid === 0) break;
    }
    const ns = this.#pidNs.get(orphan.ns.pid);
    if (ns?.init && ns.init !== orphan.pid && this.#procs.get(ns.init)?.state === 'running') return ns.init;
    return 1;
  }

  setChildSubreaper(pid: number): void {
    this.#proc(pid).childSubreaper = true;
  }

  setHostname(pid: number, hostname: string): void {
    this.#hostnames.set(this.#proc(pid).ns.uts, hostname);
  }

  setSecurity(pid: number, patch: Partial<ProcessSecurity>): void {
    const p = this.#proc(pid);
    p.security = cloneSecurity({ ...p.security, ...patch });
  }

  process(pid: number): ProcessInfo | undefined {
    const p = this.#procs.get(pid);
    if (!p) return undefined;
    return {
      pid: p.pid, ppid: p.ppid, comm: p.comm, argv: [...p.argv], state: p.state, exitStatus: p.exitStatus, ns: { ...p.ns },
      pidForChildren: p.pidForChildren, hostname: this.#hostnames.get(p.ns.uts) ?? '', cgroup: p.cgroup, root: p.root,
      childSubreaper: p.childSubreaper, security: cloneSecurity(p.security),
    };
  }

  pidInNamespace(pid: number, pidNsId: string): number | undefined {
    return this.#procs.get(pid)?.pids.get(pidNsId);
  }

  children(pid: number): number[] {
    return [...this.#procs.values()].filter((c) => c.ppid === pid && c.pid !== pid && c.state !== 'exited').map((c) => c.pid);
  }

  /** All processes still running, by host pid. */
  runningPids(): number[] {
    return [...this.#procs.values()].filter((p) => p.state === 'running').map((p) => p.pid);
  }

  mount(pid: number, entry: MountEntry): Result<void> {
    const ns = this.#mntNs.get(this.#proc(pid).ns.mnt);
    invariant(ns, 'mount namespace missing');
    ns.mounts.push({ ...entry, options: [...entry.options] });
    return ok(undefined);
  }

  pivotRoot(pid: number, newRoot: string): Result<void> {
    const p = this.#proc(pid);
    const ns = this.#mntNs.get(p.ns.mnt);
    invariant(ns, 'mount namespace missing');
    if (p.ns.mnt === `mnt:[${INIT_INO.mnt}]`) return fail(simError('EINVAL', 'pivot_root: the initial mount namespace cannot be pivoted by a container'));
    const under = newRoot.endsWith('/') ? newRoot : newRoot + '/';
    const rootMount = ns.mounts.find((m) => m.target === newRoot);
    if (!rootMount) return fail(simError('EINVAL', `pivot_root: ${newRoot} is not a mount point`));
    // The new root becomes "/", mounts below it are rebased, the old root is detached (umount2 MNT_DETACH).
    ns.mounts = ns.mounts
      .filter((m) => m.target === newRoot || m.target.startsWith(under))
      .map((m) => ({ ...m, target: m.target === newRoot ? '/' : '/' + m.target.slice(under.length) }));
    p.root = '/';
    return ok(undefined);
  }

  mounts(pid: number): MountEntry[] {
    return (this.#mntNs.get(this.#proc(pid).ns.mnt)?.mounts ?? []).map((m) => ({ ...m, options: [...m.options] }));
  }

  cgroupMkdir(path: string): Result<void> {
    const parts = path.split('/').filter(Boolean);
    let cur = '';
    for (const part of parts) {
      cur += '/' + part;
      if (!this.#cgroups.has(cur)) this.#cgroups.set(cur, new Map([['cgroup.procs', ''], ['cgroup.controllers', 'cpu memory pids']]));
    }
    return ok(undefined);
  }

  cgroupWrite(path: string, file: string, value: string): Result<void> {
    const cg = this.#cgroups.get(path);
    if (!cg) return fail(simError('ENOENT', `/sys/fs/cgroup${path}/${file}: no such file or directory`));
    if (file === 'cgroup.procs') {
      const pid = Number(value);
      const p = this.#procs.get(pid);
      if (!p || p.state !== 'running') return fail(simError('ESRCH', `write ${value} to cgroup.procs: no such process`));
      this.#removeFromProcs(p.cgroup, pid);
      p.cgroup = path;
      this.#addToProcs(path, pid);
      return ok(undefined);
    }
    cg.set(file, value);
    return ok(undefined);
  }

  cgroupRead(path: string, file: string): string | undefined {
    return this.#cgroups.get(path)?.get(file);
  }

  cgroupRmdir(path: string): Result<void> {
    const cg = this.#cgroups.get(path);
    if (!cg) return fail(simError('ENOENT', `rmdir /sys/fs/cgroup${path}: no such directory`));
    if ((cg.get('cgroup.procs') ?? '') !== '') return fail(simError('EBUSY', `rmdir /sys/fs/cgroup${path}: device or resource busy`));
    for (const other of this.#cgroups.keys()) if (other.startsWith(path + '/')) return fail(simError('EBUSY', `rmdir /sys/fs/cgroup${path}: has children`));
    this.#cgroups.delete(path);
    return ok(undefined);
  }

  /** Every cgroup directory, for views. */
  cgroupPaths(): string[] {
    return [...this.#cgroups.keys()].sort();
  }

  #addToProcs(path: string, pid: number): void {
    const cg = this.#cgroups.get(path);
    if (!cg) return;
    const list = (cg.get('cgroup.procs') ?? '').split('\n').filter(Boolean);
    list.push(String(pid));
    cg.set('cgroup.procs', list.join('\n'));
  }

  #removeFromProcs(path: string, pid: number): void {
    const cg = this.#cgroups.get(path);
    if (!cg) return;
    cg.set('cgroup.procs', (cg.get('cgroup.procs') ?? '').split('\n').filter((x) => x && x !== String(pid)).join('\n'));
  }
}
