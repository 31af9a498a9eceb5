/**
 * The runtime's KernelPort over Layer 1's kernel: processes, namespaces and
 * credentials live in `sim/src/kernel/process.ts` (`Kernel`), cgroup files in
 * `sim/src/kernel/cgroups/hierarchy.ts` (`CgroupTree`, with the cpu, cpuset,
 * memory and pids controllers). containerd, the shim and runc make their
 * system calls through this adapter, so a Pod's containers show up in Layer 1's
 * namespace snapshot (`namespaces/view.ts snapshot`) and cgroup tree — there is
 * one kernel model, not two.
 *
 * The adapter only translates: host pids ↔ Task objects, `net:[4026532201]`
 * strings ↔ namespace objects, and runc's `setSecurity` patches into the calls
 * runc's finalizeNamespace makes (PR_CAPBSET_DROP, PR_SET_KEEPCAPS,
 * setgroups/setresgid/setresuid, capset, PR_CAP_AMBIENT_RAISE), each checked
 * by Layer 1 (creds.ts). The only state kept here is which exited processes
 * were reaped by wait4 (Layer 1 keeps dead tasks but has no wait(2)).
 */
import { fail, ok, simError, type Result } from '../core/result.ts';
import { invariant } from '../core/invariant.ts';
import { Prng } from '../core/prng.ts';
import { Kernel, type Task } from '../kernel/process.ts';
import { CgroupTree } from '../kernel/cgroups/hierarchy.ts';
import { MemoryCgroups } from '../kernel/cgroups/memory.ts';
import { cpuController, cpusetController, pidsController } from '../kernel/cgroups/controllers.ts';
import { CLONE_FLAG_OF, CLONE_PARENT, NS_KINDS } from '../kernel/namespaces/flags.ts';
import { fromKid } from '../kernel/namespaces/user.ts';
import type { Namespace, PidNamespace } from '../kernel/namespaces/types.ts';
import { CAPABILITIES } from '../kernel/creds.ts';
import type { IdMapping, KernelPort, MountEntry, NsKind, ProcessInfo, ProcessSecurity } from './kernel-port.ts';

export interface LinuxKernelOptions {
  hostname?: string;
  /** The next host pid to hand out (a booted node already runs a few hundred processes). */
  firstFreeHostPid?: number;
  /** Node RAM for the memory controller (default 8 GiB). */
  memoryBytes?: number;
  /** Seeds Layer 1's MAC addresses. */
  seed?: number;
}

const PAGE = 4096;
const nsId = (ns: Namespace) => `${ns.kind}:[${ns.inum}]`;

export class LinuxKernel implements KernelPort {
  readonly initPid = 1;
  /** Layer 1's process and namespace model. */
  readonly linux: Kernel;
  /** Layer 1's cgroup v2 hierarchy (/sys/fs/cgroup). */
  readonly cgroups: CgroupTree;
  readonly memory: MemoryCgroups;
  #reaped = new Set<number>();

  constructor(options: LinuxKernelOptions = {}) {
    this.linux = new Kernel(new Prng(options.seed ?? 1), options.hostname ?? 'node-1');
    if (options.firstFreeHostPid && options.firstFreeHostPid > 2) this.linux.initPidNs.lastPid = options.firstFreeHostPid - 1;
    this.cgroups = new CgroupTree();
    this.cgroups.registerController(cpusetController());
    this.cgroups.registerController(cpuController());
    this.memory = new MemoryCgroups(this.cgroups, Math.floor((options.memoryBytes ?? 8 * 2 ** 30) / PAGE));
    this.cgroups.registerController(pidsController(this.cgroups));
    this.linux.attachCgroupTree(this.cgroups);
  }

  #task(pid: number): Task {
    const t = this.linux.tasks.get(pid);
    invariant(t, `no process ${pid}`);
    return t;
  }

  #live(pid: number): Task {
    const t = this.linux.task(pid);
    invariant(t, `process ${pid} is not running`);
    return t;
  }

  #must<T>(r: Result<T>, what: string): T {
    invariant(r.ok, `${what}: ${r.ok ? '' : r.errors.map((e) => e.message).join('; ')}`);
    return r.value;
  }

  clone(callerPid: number, opts: { comm: string; newNamespaces?: NsKind[]; parentPid?: number }): number {
    const caller = this.#live(callerPid);
    let flags = (opts.newNamespaces ?? []).reduce((f, k) => f | CLONE_FLAG_OF[k], 0);
    if (opts.parentPid !== undefined && opts.parentPid !== callerPid) {
      invariant(opts.parentPid === caller.parentHostPid, `clone: parent ${opts.parentPid} is neither the caller nor its parent (only CLONE_PARENT exists)`);
      flags |= CLONE_PARENT;
    }
    return this.#must(this.linux.clone(caller, flags, opts.comm), `clone from ${callerPid}`).hostPid;
  }

  unshare(pid: number, kinds: NsKind[]): void {
    this.#must(this.linux.unshare(this.#live(pid), kinds.reduce((f, k) => f | CLONE_FLAG_OF[k], 0)), `unshare in ${pid}`);
  }

  setns(pid: number, nsPath: string): Result<{ kind: NsKind; nsId: string }> {
    const task = this.#live(pid);
    const ns = this.linux.nsByPath(task, nsPath);
    if (!ns.ok) return ns;
    const r = this.linux.enter(task, ns.value);
    if (!r.ok) return r;
    return ok({ kind: ns.value.kind, nsId: nsId(ns.value) });
  }

  #nsById(id: string): Namespace | undefined {
    for (const ns of this.linux.pinned.values()) if (nsId(ns) === id) return ns;
    for (const t of this.linux.liveTasks()) for (const kind of NS_KINDS) { const ns = this.linux.nsOf(t, kind); if (nsId(ns) === id) return ns; }
    return undefined;
  }

  pinNamespace(path: string, id: string): void {
    const ns = this.#nsById(id);
    invariant(ns, `no namespace ${id}`);
    this.#must(this.linux.pin(path, ns), `pin ${path}`);
  }

  /** A fresh namespace bind-mounted at `path`, as CNI's netns helper (and `ip netns add`) make one. */
  createPinnedNamespace(kind: NsKind, path: string): string {
    invariant(kind === 'net', 'only network namespaces are created pinned');
    const net = this.#must(this.linux.newNetNamespace(this.#live(this.initPid)), 'new network namespace');
    this.#must(this.linux.pin(path, net), `pin ${path}`);
    return nsId(net);
  }

  /**
   * What the bridge CNI plugin does on ADD (containernetworking/plugins v1.6 plugins/main/bridge):
   * make sure the host has bridge `cni0` with the gateway address, create a veth pair whose host
   * end (veth<8 hex>) is a port of cni0 and whose other end becomes `eth0` in the pinned pod
   * namespace with `cidr`; bring lo and both ends up. Returns the host-side device name.
   */
  cniAdd(netnsPath: string, cidr: string, gateway: string): string {
    const k = this.linux;
    const pod = k.pinned.get(netnsPath);
    invariant(pod && pod.kind === 'net', `no network namespace pinned at ${netnsPath}`);
    const host = this.#live(this.initPid).ns.net;
    let br = host.devices.find((d) => d.name === 'cni0');
    if (!br) {
      br = k.newDevice(host, 'cni0', 'bridge');
      br.addresses.push(`${gateway}/${cidr.split('/')[1]}`);
      host.devices.push(br);
    }
    br.up = true;
    const hostName = `veth${(/cni-([0-9a-f]{8})/.exec(netnsPath)?.[1] ?? pod.inum.toString(16)).slice(0, 8)}`;
    const a = k.newDevice(host, hostName, 'veth');
    host.devices.push(a);
    const b = k.newDevice(pod, 'eth0', 'veth');
    pod.devices.push(b);
    a.peer = b;
    b.peer = a;
    a.master = 'cni0';
    a.up = true;
    b.up = true;
    b.addresses.push(cidr);
    for (const d of pod.devices) if (d.type === 'loopback') { d.up = true; if (!d.addresses.length) d.addresses.push('127.0.0.1/8'); }
    return hostName;
  }

  /** CNI DEL and the netns removal: the veth pair goes (its peer with it), the pin is dropped, the namespace dies with its last reference. */
  cniDel(netnsPath: string): boolean {
    const k = this.linux;
    const pod = k.pinned.get(netnsPath);
    if (!pod || pod.kind !== 'net') return false;
    const eth0 = pod.devices.find((d) => d.name === 'eth0');
    if (eth0) k.deleteDevice(pod, eth0);
    k.unpin(netnsPath);
    return true;
  }

  writeIdMaps(pid: number, uidMappings: IdMapping[], gidMappings: IdMapping[]): void {
    const target = this.#live(pid);
    // runc's parent (stage-0) writes the maps from the parent user namespace.
    const writer = this.linux.task(target.parentHostPid ?? 1) ?? this.#live(1);
    const ext = (ms: IdMapping[]) => ms.map((m) => ({ first: m.containerID, lowerFirst: m.hostID, count: m.size }));
    if (uidMappings.length) this.#must(this.linux.writeIdMap(writer, target, 'uid', ext(uidMappings)), 'write uid_map');
    if (gidMappings.length) this.#must(this.linux.writeIdMap(writer, target, 'gid', ext(gidMappings)), 'write gid_map');
  }

  execve(pid: number, argv: string[]): void {
    this.linux.execve(this.#live(pid), argv);
  }

  exit(pid: number, status: number): void {
    const t = this.#task(pid);
    this.linux.exit(t, status);
  }

  reap(pid: number): number | undefined {
    const t = this.linux.tasks.get(pid);
    if (!t || t.alive) return undefined;
    this.#reaped.add(pid);
    return t.exitStatus ?? undefined;
  }

  setChildSubreaper(pid: number): void {
    this.linux.setChildSubreaper(this.#live(pid), true);
  }

  setHostname(pid: number, hostname: string): void {
    this.#must(this.linux.sethostname(this.#live(pid), hostname), 'sethostname');
  }

  /**
   * Applies what runc does to its init, in runc's order: oom_score_adj, prlimit (from the
   * parent), no_new_privs, seccomp, then finalizeNamespace — drop the bounding set, keep caps,
   * set groups/gid/uid, stop keeping caps, capset, raise ambient.
   */
  setSecurity(pid: number, patch: Partial<ProcessSecurity>): Result<void> {
    const k = this.linux;
    const t = this.#live(pid);
    if (patch.oomScoreAdj !== undefined) t.oomScoreAdj = patch.oomScoreAdj;
    if (patch.rlimits) {
      const r = k.prlimit(this.#live(this.initPid), t, patch.rlimits);
      if (!r.ok) return r;
    }
    if (patch.noNewPrivs) k.setNoNewPrivs(t);
    if (patch.seccomp !== undefined) {
      const r = k.installSeccomp(t, patch.seccomp);
      if (!r.ok) return r;
    }
    const caps = patch.capabilities;
    if (caps) {
      const r = k.dropBounding(t, CAPABILITIES.filter((c) => !caps.bounding.includes(c)));
      if (!r.ok) return r;
    }
    if (patch.uid !== undefined || patch.gid !== undefined || patch.additionalGids) {
      k.setKeepCaps(t, true);
      const r = k.setIds(t, patch.uid ?? fromKid(t.userNs, t.kuid, 'uid'), patch.gid ?? fromKid(t.userNs, t.kgid, 'gid'), patch.additionalGids ?? t.security.groups);
      k.setKeepCaps(t, false);
      if (!r.ok) return r;
    }
    if (caps) {
      const r = k.capset(t, { effective: caps.effective, permitted: caps.permitted, inheritable: caps.inheritable });
      if (!r.ok) return r;
      const a = k.raiseAmbient(t, caps.ambient);
      if (!a.ok) return a;
    }
    return ok(undefined);
  }

  #state(t: Task): ProcessInfo['state'] {
    if (t.alive) return 'running';
    if (this.#reaped.has(t.hostPid)) return 'exited';
    const parent = t.parentHostPid === null ? undefined : this.linux.task(t.parentHostPid);
    return parent ? 'zombie' : 'exited';
  }

  process(pid: number): ProcessInfo | undefined {
    const t = this.linux.tasks.get(pid);
    if (!t) return undefined;
    const ns = {} as Record<NsKind, string>;
    for (const kind of NS_KINDS) ns[kind] = nsId(this.linux.nsOf(t, kind));
    const c = t.security.caps;
    return {
      pid: t.hostPid, ppid: t.parentHostPid ?? 0, comm: t.comm, argv: [...t.argv], state: this.#state(t), exitStatus: t.exitStatus ?? undefined, ns,
      pidForChildren: nsId(t.ns.pidForChildren), hostname: t.ns.uts.nodename, cgroup: t.cgroupPath, root: '/', childSubreaper: t.childSubreaper,
      security: {
        uid: fromKid(t.userNs, t.kuid, 'uid'), gid: fromKid(t.userNs, t.kgid, 'gid'), additionalGids: [...t.security.groups],
        capabilities: { bounding: [...c.bounding], effective: [...c.effective], permitted: [...c.permitted], inheritable: [...c.inheritable], ambient: [...c.ambient] },
        noNewPrivs: t.security.noNewPrivs, ...(t.security.seccomp !== null ? { seccomp: t.security.seccomp } : {}),
        rlimits: t.security.rlimits.map((r) => ({ ...r })), oomScoreAdj: t.oomScoreAdj,
      },
    };
  }

  pidInNamespace(pid: number, pidNsId: string): number | undefined {
    const t = this.linux.tasks.get(pid);
    if (!t) return undefined;
    for (let ns: PidNamespace | null = t.pidNs; ns; ns = ns.parent) if (nsId(ns) === pidNsId) return t.numbers[ns.level];
    return undefined;
  }

  children(pid: number): number[] {
    return [...this.linux.tasks.values()].filter((t) => t.parentHostPid === pid && t.hostPid !== pid && this.#state(t) !== 'exited').map((t) => t.hostPid);
  }

  /** All processes still running, by host pid. */
  runningPids(): number[] {
    return this.linux.liveTasks().map((t) => t.hostPid);
  }

  mount(pid: number, entry: MountEntry): Result<void> {
    return this.linux.mount(this.#live(pid), { source: entry.source, target: entry.target, fstype: entry.fstype, options: [...entry.options] });
  }

  umount(pid: number, target: string): Result<void> {
    return this.linux.umount(this.#live(pid), target);
  }

  pivotRoot(pid: number, newRoot: string): Result<void> {
    return this.linux.pivotRoot(this.#live(pid), newRoot);
  }

  mounts(pid: number): MountEntry[] {
    return this.#task(pid).ns.mnt.mounts.map((m) => ({ target: m.target, fstype: m.fstype, source: m.source, options: [...(m.options ?? [])] }));
  }

  cgroupMkdir(path: string): Result<void> {
    const r = this.cgroups.ensure(path);
    return r.ok ? ok(undefined) : r;
  }

  cgroupWrite(path: string, file: string, value: string): Result<void> {
    if (file === 'cgroup.procs') {
      const t = this.linux.task(Number(value));
      if (!t) return fail(simError('ESRCH', `write ${value} to ${path}/cgroup.procs: no such process`));
      return this.linux.moveToCgroup(t, path);
    }
    return this.cgroups.write(path, file, value);
  }

  cgroupRead(path: string, file: string): string | undefined {
    const r = this.cgroups.read(path, file);
    return r.ok ? r.value.replace(/\n$/, '') : undefined;
  }

  cgroupRmdir(path: string): Result<void> {
    return this.cgroups.rmdir(path);
  }

  /** Every cgroup directory, for views. */
  cgroupPaths(): string[] {
    return this.cgroups.root.walk().map((c) => c.path).sort();
  }
}
