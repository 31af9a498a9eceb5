/**
 * A model of runc: `runc create` builds the container process up to the exec
 * fifo, `runc start` lets it execve, `runc kill` signals it, `runc delete`
 * removes what is left. Every system call is recorded, in the real order:
 *
 *  runc create (Go, process_linux.go initProcess.start)
 *    1. start `runc init` (stage-0) and put it in the container's cgroup
 *       *before* anything else, so no child can escape (manager.Apply);
 *    2. send the bootstrap data (clone flags, namespace paths, id maps);
 *  runc init, C part (libcontainer/nsenter/nsexec.c), before the Go runtime starts:
 *    3. stage-0 clones stage-1 (CLONE_PARENT);
 *    4. stage-1 joins namespaces given by path (setns), non-user ones first;
 *    5. stage-1 unshares the user namespace first, stage-0 writes its uid/gid maps;
 *    6. stage-1 unshares the remaining namespaces in one call, except cgroup;
 *    7. stage-1 clones stage-2, which is pid 1 of a new pid namespace; 0 and 1 exit;
 *       stage-2 then unshares the cgroup namespace (it is already in its cgroup);
 *  runc init, Go part (standard_init_linux.go Init, rootfs_linux.go prepareRootfs):
 *    8. mounts (propagation, rootfs bind, spec mounts, devices);
 *    9. parent writes the cgroup resource files (manager.Set) at the hooks sync;
 *   10. pivot_root, read-only root, sethostname, sysctl, masked paths, no_new_privs;
 *   11. parent applies rlimits with prlimit(2) at the ready sync;
 *   12. capabilities: drop bounding, keep caps across setuid/setgid, set the rest;
 *   13. seccomp (late with no_new_privs); then block opening the exec fifo.
 *  runc start: opens the fifo for reading; the init process execve()s the user program.
 *
 * When `runc create` exits, stage-2's parent is gone and the kernel reparents it
 * to the nearest child subreaper: the shim.
 * Upstream: opencontainers/runc v1.3 — libcontainer/process_linux.go,
 * container_linux.go (bootstrapData, orderNamespacePaths), nsenter/nsexec.c,
 * standard_init_linux.go, init_linux.go (finalizeNamespace), rootfs_linux.go,
 * configs/namespaces_linux.go (NamespaceTypes order: user, ipc, uts, net, pid, mnt, cgroup, time).
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { CLONE_FLAG, type KernelPort, type NsKind } from '../kernel-port.ts';
import { CAPABILITIES } from '../oci/capabilities.ts';
import { NS_KIND_OF, type RuntimeSpec } from '../oci/spec.ts';
import type { ValidatedSpec } from '../oci/validate.ts';
import { resolveCgroupsPath, type CgroupDriver } from './cgroups-path.ts';
import { cgroupWritesFor } from './resources.ts';
import { StepLog, type RuncStep } from './steps.ts';

/** configs.NamespaceTypes(): the order runc lists (and joins) namespaces — user first. */
export const NAMESPACE_ORDER: NsKind[] = ['user', 'ipc', 'uts', 'net', 'pid', 'mnt', 'cgroup', 'time'];

export interface RuncOptions {
  cgroupDriver: CgroupDriver;
  /** `runc --root`: containerd's runc shim uses /run/containerd/runc/<namespace>. */
  stateRoot: string;
}

export type RuncStatus = 'created' | 'running' | 'stopped';

export interface RuncContainer {
  id: string;
  bundle: string;
  status: RuncStatus;
  /** Host pid of the container's init (stage-2, later the user program). */
  initPid: number;
  /** cgroup v2 directory relative to /sys/fs/cgroup. */
  cgroupPath: string;
  rootPath: string;
  spec: RuntimeSpec;
  execFifo: string;
  steps: RuncStep[];
}

/** Locates a runtime failure at a config field (e.g. a namespace path that does not exist). */
export type ErrorAt = (path: string, code: string, message: string) => SimError;

const NSKIND_TO_SPEC: Record<NsKind, string> = { pid: 'pid', net: 'network', mnt: 'mount', ipc: 'ipc', uts: 'uts', user: 'user', cgroup: 'cgroup', time: 'time' };

export class Runc {
  #containers = new Map<string, RuncContainer>();

  readonly kernel: KernelPort;
  readonly options: RuncOptions;

  constructor(kernel: KernelPort, options: RuncOptions) {
    this.kernel = kernel;
    this.options = options;
  }

  get(id: string): RuncContainer | undefined {
    return this.#containers.get(id);
  }

  list(): RuncContainer[] {
    return [...this.#containers.values()];
  }

  /**
   * `runc create --bundle <bundle> <id>`, run by `callerPid` (the shim).
   * Expects a spec with no validation errors.
   */
  create(callerPid: number, id: string, bundle: string, v: ValidatedSpec, errorAt: ErrorAt): Result<RuncContainer> {
    const k = this.kernel;
    if (v.errors.length) return fail(v.errors);
    if (this.#containers.has(id)) return fail(simError('ALREADY_EXISTS', `container with id exists: ${id}`));
    const spec = v.spec;
    const proc = spec.process!;
    const log = new StepLog('create');
    const stateDir = `${this.options.stateRoot}/${id}`;

    const runc = k.clone(callerPid, { comm: 'runc' });
    k.execve(runc, ['runc', '--root', this.options.stateRoot, 'create', '--bundle', bundle, '--pid-file', `${bundle}/init.pid`, id]);
    log.add('runc create', runc, 'execve', `runc --root ${this.options.stateRoot} create --bundle ${bundle} ${id}`, 'main.go / create.go');
    log.add('runc create', runc, 'loadSpec', `${bundle}/config.json → libcontainer config (validateProcessSpec, specconv.CreateLibcontainerConfig)`, 'utils_linux.go loadSpec');
    log.add('runc create', runc, 'mkfifo', `${stateDir}/exec.fifo (0622): the start gate`, 'libcontainer/container_linux.go createExecFifo');

    // Namespaces: which to create (flags) and which to join (paths), in NamespaceTypes order.
    const nsList = (spec.linux?.namespaces ?? []).map((n, idx) => ({ kind: NS_KIND_OF[n.type], path: n.path, idx }));
    nsList.sort((a, b) => NAMESPACE_ORDER.indexOf(a.kind) - NAMESPACE_ORDER.indexOf(b.kind));
    const toCreate = nsList.filter((n) => !n.path).map((n) => n.kind);
    const toJoin = nsList.filter((n) => n.path);

    const stage0 = k.clone(runc, { comm: 'runc:[0:PARENT]' });
    k.execve(stage0, ['runc:[0:PARENT]', 'init']); // /proc/self/exe init; nsexec renames itself runc:[0:PARENT]
    log.add('runc create', runc, 'clone+execve', `/proc/self/exe init → runc init, pid ${stage0} (stage-0, "runc:[0:PARENT]")`, 'libcontainer/process_linux.go initProcess.start: p.cmd.Start()');

    // cgroup first: manager.Apply(pid) before any sync, so every later child is born inside.
    const own = k.process(callerPid)?.cgroup ?? '/';
    const cg = resolveCgroupsPath(spec.linux?.cgroupsPath, this.options.cgroupDriver, id, own);
    if (!cg.ok) return this.#abort([stage0, runc], undefined, cg.errors.map((e) => errorAt('linux.cgroupsPath', e.code, e.message)));
    const cgroupPath = cg.value;
    if (this.options.cgroupDriver === 'systemd') {
      const unit = cgroupPath.split('/').pop()!;
      log.add('runc create', runc, 'StartTransientUnit', `${unit} (Slice=${cgroupPath.split('/').slice(-2, -1)[0] ?? '-.slice'}, Delegate=yes, PIDs=[${stage0}]) via systemd D-Bus`, 'opencontainers/cgroups systemd/v2.go Apply');
    }
    const mk = k.cgroupMkdir(cgroupPath);
    if (!mk.ok) return this.#abort([stage0, runc], undefined, mk.errors);
    const join = k.cgroupWrite(cgroupPath, 'cgroup.procs', String(stage0));
    if (!join.ok) return this.#abort([stage0, runc], cgroupPath, join.errors);
    log.add('runc create', runc, 'write', `/sys/fs/cgroup${cgroupPath}/cgroup.procs ← ${stage0} (before the bootstrap data, so no child escapes the cgroup)`, 'libcontainer/process_linux.go: p.manager.Apply(p.pid())');

    const flagNames = toCreate.map((kind) => CLONE_FLAG[kind].name);
    const cloneFlags = toCreate.reduce((acc, kind) => acc | CLONE_FLAG[kind].value, 0) >>> 0;
    const bootstrap = [`CLONE_FLAGS=0x${cloneFlags.toString(16)} (${flagNames.join('|') || 'none'})`];
    if (toJoin.length) bootstrap.push(`NS_PATHS=${toJoin.map((n) => `${n.kind}:${n.path}`).join(',')}`);
    if (spec.linux?.uidMappings?.length) bootstrap.push(`UIDMAP=${spec.linux.uidMappings.map((m) => `${m.containerID} ${m.hostID} ${m.size}`).join(';')}`);
    if (proc.oomScoreAdj !== undefined) bootstrap.push(`OOM_SCORE_ADJ=${proc.oomScoreAdj}`);
    log.add('runc create', runc, 'send bootstrap data', `netlink message on the init pipe: ${bootstrap.join(', ')}`, 'libcontainer/container_linux.go bootstrapData');

    // --- nsexec.c (C, before the Go runtime) ---
    if (proc.oomScoreAdj !== undefined) {
      k.setSecurity(stage0, { oomScoreAdj: proc.oomScoreAdj });
      log.add('runc:[0:PARENT]', stage0, 'write', `/proc/self/oom_score_adj ← ${proc.oomScoreAdj}`, 'libcontainer/nsenter/nsexec.c update_oom_score_adj');
    }
    const stage1 = k.clone(stage0, { comm: 'runc:[1:CHILD]', parentPid: runc });
    log.add('runc:[0:PARENT]', stage0, 'clone', `CLONE_PARENT → stage-1, pid ${stage1} ("runc:[1:CHILD]"), a sibling of stage-0`, 'libcontainer/nsenter/nsexec.c clone_parent(STAGE_CHILD)');

    // join_namespaces: every non-user namespace first, then the user namespace.
    const joinOrder = [...toJoin.filter((n) => n.kind !== 'user'), ...toJoin.filter((n) => n.kind === 'user')];
    for (const n of joinOrder) {
      const r = k.setns(stage1, n.path!);
      if (!r.ok) {
        return this.#abort([stage1, stage0, runc], cgroupPath, [
          errorAt(`linux.namespaces[${n.idx}].path`, 'SETNS_FAILED', r.errors[0]!.code === 'ENOENT'
            ? `nsexec: failed to open ${n.path}: no such file or directory (setns into the ${NSKIND_TO_SPEC[n.kind]} namespace failed)`
            : `nsexec: failed to setns into ${n.path} (${NSKIND_TO_SPEC[n.kind]}): ${r.errors[0]!.message} (${r.errors[0]!.code})`),
        ]);
      }
      if (r.value.kind !== n.kind) {
        return this.#abort([stage1, stage0, runc], cgroupPath, [
          errorAt(`linux.namespaces[${n.idx}].path`, 'SETNS_FAILED', `${n.path} is a ${NSKIND_TO_SPEC[r.value.kind]} namespace, not ${NSKIND_TO_SPEC[n.kind]} (setns: EINVAL)`),
        ]);
      }
      const note = n.kind === 'pid' ? ' (affects children only: stage-2 will be born in it)' : '';
      log.add('runc:[1:CHILD]', stage1, 'setns', `${n.path} → ${r.value.nsId}${note}`, 'libcontainer/nsenter/nsexec.c join_namespaces');
    }

    if (toCreate.includes('user')) {
      k.unshare(stage1, ['user']);
      log.add('runc:[1:CHILD]', stage1, 'unshare', 'CLONE_NEWUSER — alone and first: it decides who owns every namespace created after it', 'libcontainer/nsenter/nsexec.c (STAGE_CHILD)');
      const uid = spec.linux?.uidMappings ?? [];
      const gid = spec.linux?.gidMappings ?? [];
      k.writeIdMaps(stage1, uid, gid);
      log.add('runc:[0:PARENT]', stage0, 'write', `/proc/${stage1}/uid_map ← "${uid.map((m) => `${m.containerID} ${m.hostID} ${m.size}`).join('; ')}", gid_map ← "${gid.map((m) => `${m.containerID} ${m.hostID} ${m.size}`).join('; ')}" (SYNC_USERMAP_PLS/ACK)`, 'libcontainer/nsenter/nsexec.c update_uidmap/update_gidmap');
      log.add('runc:[1:CHILD]', stage1, 'setresuid', '0, 0, 0: root inside the new user namespace', 'libcontainer/nsenter/nsexec.c');
    }
    // The cgroup namespace is left out here: stage-2 unshares it itself once the
    // parent has placed it in its cgroup (nsexec.c STAGE_INIT, CREATECGROUPNS sync),
    // so the new namespace's root is the container's own cgroup.
    const remaining = toCreate.filter((kind) => kind !== 'user' && kind !== 'cgroup');
    if (remaining.length) {
      k.unshare(stage1, remaining);
      const pidNote = remaining.includes('pid') ? '; CLONE_NEWPID moves only future children' : '';
      log.add('runc:[1:CHILD]', stage1, 'unshare', `${remaining.map((kind) => CLONE_FLAG[kind].name).join('|')} ("remaining namespaces (except cgroupns)"${pidNote})`, 'libcontainer/nsenter/nsexec.c try_unshare');
    }
    const stage2 = k.clone(stage1, { comm: 'runc:[2:INIT]', parentPid: runc });
    const info2 = k.process(stage2)!;
    const innerPid = k.pidInNamespace(stage2, info2.ns.pid) ?? stage2;
    log.add('runc:[1:CHILD]', stage1, 'clone', `CLONE_PARENT → stage-2, host pid ${stage2}, pid ${innerPid} in its pid namespace ("runc:[2:INIT]")`, 'libcontainer/nsenter/nsexec.c clone_parent(STAGE_INIT)');
    k.exit(stage1, 0);
    k.reap(stage1);
    k.exit(stage0, 0);
    k.reap(stage0);
    log.add('runc:[1:CHILD]', stage1, 'exit', 'stage-1 and stage-0 exit after reporting the stage-2 pid; runc create reaps them', 'libcontainer/nsenter/nsexec.c');
    if (toCreate.includes('cgroup')) {
      k.unshare(stage2, ['cgroup']);
      log.add('runc:[2:INIT]', stage2, 'unshare', `CLONE_NEWCGROUP after the parent's CREATECGROUPNS message: the new cgroup namespace is rooted at /sys/fs/cgroup${cgroupPath}`, 'libcontainer/nsenter/nsexec.c (STAGE_INIT)');
    }

    // --- standard_init_linux.go (Go, in stage-2) ---
    const rootPath = v.rootPath;
    const hasMntNs = toCreate.includes('mnt') || toJoin.some((n) => n.kind === 'mnt');
    if (hasMntNs) {
      const prop = spec.linux?.rootfsPropagation ?? 'rslave';
      log.add('runc:[2:INIT]', stage2, 'mount', `/ MS_REC|MS_${prop === 'rslave' ? 'SLAVE' : prop.toUpperCase()}: host mount events may reach the container, never the reverse`, 'libcontainer/rootfs_linux.go prepareRoot');
      log.add('runc:[2:INIT]', stage2, 'mount', `${rootPath} → ${rootPath} MS_BIND|MS_REC (the rootfs must be a mount point for pivot_root)`, 'libcontainer/rootfs_linux.go prepareRoot');
    }
    for (const m of spec.mounts ?? []) {
      const dest = m.destination.startsWith('/') ? m.destination : `/${m.destination}`;
      const type = m.type ?? (m.options?.includes('bind') || m.options?.includes('rbind') ? 'bind' : 'none');
      const target = hasMntNs ? `${rootPath}${dest}` : dest;
      k.mount(stage2, { target, fstype: type, source: m.source ?? type, options: m.options ?? [] });
      log.add('runc:[2:INIT]', stage2, 'mount', `${type} ${m.source ?? type} → ${target}${m.options?.length ? ` (${m.options.join(',')})` : ''}`, 'libcontainer/rootfs_linux.go mountToRootfs');
    }
    if (hasMntNs) log.add('runc:[2:INIT]', stage2, 'mknod/symlink', '/dev/null, zero, full, random, urandom, tty; /dev/fd, stdin, stdout, stderr, ptmx', 'libcontainer/rootfs_linux.go createDevices, setupDevSymlinks');

    // Hooks sync: the parent writes the cgroup resource files.
    const writes = cgroupWritesFor(spec.linux?.resources);
    const applyResources = (when: string) => {
      for (const w of writes) {
        const r = k.cgroupWrite(cgroupPath, w.file, w.value);
        log.add('runc create', runc, 'write', `/sys/fs/cgroup${cgroupPath}/${w.file} ← ${w.value}${r.ok ? '' : ` (failed: ${r.errors[0]!.message})`}`, `libcontainer/process_linux.go ${when}: p.manager.Set(resources)`);
      }
      if (!writes.length) log.add('runc create', runc, 'manager.Set', 'no linux.resources: nothing to write', `libcontainer/process_linux.go ${when}`);
    };
    if (hasMntNs) applyResources('procHooks');

    if (hasMntNs) {
      const pr = k.pivotRoot(stage2, rootPath);
      if (!pr.ok) return this.#abort([stage2, runc], cgroupPath, pr.errors.map((e) => errorAt('root.path', 'PIVOT_ROOT_FAILED', e.message)));
      log.add('runc:[2:INIT]', stage2, 'pivot_root', `${rootPath} becomes /; the old root is unmounted (umount2(".", MNT_DETACH))`, 'libcontainer/rootfs_linux.go pivotRoot');
    } else {
      log.add('runc:[2:INIT]', stage2, 'chroot', `${rootPath} (no mount namespace: pivot_root is impossible)`, 'libcontainer/rootfs_linux.go chroot');
    }
    if (spec.root?.readonly) log.add('runc:[2:INIT]', stage2, 'mount', '/ remount MS_RDONLY (root.readonly)', 'libcontainer/rootfs_linux.go finalizeRootfs');
    if (spec.hostname) {
      k.setHostname(stage2, spec.hostname);
      log.add('runc:[2:INIT]', stage2, 'sethostname', `"${spec.hostname}" in ${k.process(stage2)!.ns.uts}`, 'libcontainer/standard_init_linux.go');
    }
    const sysctl = Object.entries(spec.linux?.sysctl ?? {});
    if (sysctl.length) log.add('runc:[2:INIT]', stage2, 'write', sysctl.map(([key, val]) => `/proc/sys/${key.replaceAll('.', '/')} ← ${val}`).join('; '), 'libcontainer/standard_init_linux.go writeSystemProperty');
    if (spec.linux?.readonlyPaths?.length) log.add('runc:[2:INIT]', stage2, 'mount', `read-only bind over ${spec.linux.readonlyPaths.join(', ')}`, 'libcontainer/rootfs_linux.go readonlyPath');
    if (spec.linux?.maskedPaths?.length) log.add('runc:[2:INIT]', stage2, 'mount', `/dev/null (or empty tmpfs) over ${spec.linux.maskedPaths.join(', ')}`, 'libcontainer/rootfs_linux.go maskPath');
    const nnp = proc.noNewPrivileges === true;
    if (nnp) {
      k.setSecurity(stage2, { noNewPrivs: true });
      log.add('runc:[2:INIT]', stage2, 'prctl', 'PR_SET_NO_NEW_PRIVS, 1: setuid bits and file capabilities can no longer raise privileges', 'libcontainer/standard_init_linux.go');
    }

    // Ready sync: the parent applies rlimits (and the cgroup when there is no mount namespace).
    const rlimits = (proc.rlimits ?? []).map((r) => ({ type: r.type, soft: r.soft, hard: r.hard }));
    for (const r of rlimits) log.add('runc create', runc, 'prlimit', `pid ${stage2}, ${r.type}, soft ${r.soft}, hard ${r.hard} (set from outside: inside a user namespace it could no longer raise them)`, 'libcontainer/process_linux.go procReady: setupRlimits');
    if (rlimits.length) {
      const r = k.setSecurity(stage2, { rlimits });
      if (!r.ok) return this.#abort([stage2, runc], cgroupPath, r.errors.map((e) => errorAt('process.rlimits', 'RLIMIT_FAILED', `error setting rlimits: ${e.message}`)));
    }
    if (!hasMntNs) applyResources('procReady');

    const seccomp = spec.linux?.seccomp;
    const seccompSummary = seccomp ? `defaultAction ${seccomp.defaultAction}, ${seccomp.syscalls?.reduce((n, s) => n + s.names.length, 0) ?? 0} syscall rules` : undefined;
    if (seccomp && !nnp) {
      const r = k.setSecurity(stage2, { seccomp: seccompSummary });
      if (!r.ok) return this.#abort([stage2, runc], cgroupPath, r.errors.map((e) => errorAt('linux.seccomp', 'SECCOMP_FAILED', `unable to init seccomp: ${e.message}`)));
      log.add('runc:[2:INIT]', stage2, 'seccomp', `SECCOMP_SET_MODE_FILTER (${seccompSummary}) — before dropping capabilities, since without no_new_privs it needs CAP_SYS_ADMIN`, 'libcontainer/standard_init_linux.go');
    }

    // finalizeNamespace: capabilities and user.
    const caps = proc.capabilities ?? {};
    const known = (list: string[] | undefined) => (list ?? []).filter((c) => CAPABILITIES.includes(c));
    const bounding = known(caps.bounding);
    const dropped = CAPABILITIES.filter((c) => !bounding.includes(c));
    log.add('runc:[2:INIT]', stage2, 'prctl', `PR_CAPBSET_DROP × ${dropped.length}: bounding set keeps ${bounding.length ? bounding.join(', ') : 'nothing'}`, 'libcontainer/init_linux.go finalizeNamespace: ApplyBoundingSet');
    log.add('runc:[2:INIT]', stage2, 'prctl', 'PR_SET_KEEPCAPS, 1 (keep permitted capabilities across setuid)', 'libcontainer/init_linux.go finalizeNamespace');
    const user = proc.user;
    const groups = user.additionalGids ?? [];
    log.add('runc:[2:INIT]', stage2, 'setgroups/setgid/setuid', `groups [${groups.join(', ')}], gid ${user.gid}, uid ${user.uid}`, 'libcontainer/init_linux.go setupUser');
    log.add('runc:[2:INIT]', stage2, 'prctl', 'PR_SET_KEEPCAPS, 0', 'libcontainer/init_linux.go finalizeNamespace');
    const effective = known(caps.effective);
    const permitted = known(caps.permitted);
    const inheritable = known(caps.inheritable);
    const ambient = known(caps.ambient);
    const fin = k.setSecurity(stage2, { uid: user.uid, gid: user.gid, additionalGids: groups, capabilities: { bounding, effective, permitted, inheritable, ambient } });
    if (!fin.ok) {
      const e = fin.errors[0]!;
      const field = /uid|gid|setgroups|setuid|setgid/.test(e.message) ? 'process.user' : 'process.capabilities';
      return this.#abort([stage2, runc], cgroupPath, [errorAt(field, 'FINALIZE_FAILED', `runc init: finalizeNamespace: ${e.message} (${e.code})`)]);
    }
    log.add('runc:[2:INIT]', stage2, 'capset', `effective ${effective.length}, permitted ${permitted.length}, inheritable ${inheritable.length}${ambient.length ? `; PR_CAP_AMBIENT_RAISE × ${ambient.length}` : ''}`, 'libcontainer/init_linux.go finalizeNamespace: ApplyCaps');
    log.add('runc:[2:INIT]', stage2, 'chdir', proc.cwd, 'libcontainer/init_linux.go finalizeNamespace');
    if (seccomp && nnp) {
      const r = k.setSecurity(stage2, { seccomp: seccompSummary });
      if (!r.ok) return this.#abort([stage2, runc], cgroupPath, r.errors.map((e) => errorAt('linux.seccomp', 'SECCOMP_FAILED', `unable to init seccomp: ${e.message}`)));
      log.add('runc:[2:INIT]', stage2, 'seccomp', `SECCOMP_SET_MODE_FILTER (${seccompSummary}) — as late as possible, just before execve`, 'libcontainer/standard_init_linux.go');
    }
    log.add('runc:[2:INIT]', stage2, 'open', `${stateDir}/exec.fifo O_WRONLY — blocks until runc start opens the other end`, 'libcontainer/standard_init_linux.go');

    k.exit(runc, 0);
    const reaper = k.process(stage2)!.ppid;
    k.reap(runc);
    log.add('runc create', runc, 'exit', `runc create exits (status "created"); the kernel re-parents pid ${stage2} to ${k.process(reaper)?.comm ?? '?'} (pid ${reaper}), the nearest child subreaper`, 'kernel/exit.c find_new_reaper');

    const container: RuncContainer = { id, bundle, status: 'created', initPid: stage2, cgroupPath, rootPath, spec, execFifo: `${stateDir}/exec.fifo`, steps: log.steps };
    this.#containers.set(id, container);
    return ok(container);
  }

  /** `runc start <id>`: opens the exec fifo; the waiting init execve()s `process.args`. */
  start(callerPid: number, id: string): Result<RuncStep[]> {
    const c = this.#containers.get(id);
    if (!c) return fail(simError('NOT_FOUND', `container ${id} does not exist`));
    if (c.status !== 'created') return fail(simError('FAILED_PRECONDITION', `cannot start a container that has ${c.status === 'running' ? 'already started' : 'stopped'}`));
    const k = this.kernel;
    const runc = k.clone(callerPid, { comm: 'runc' });
    k.execve(runc, ['runc', '--root', this.options.stateRoot, 'start', id]);
    const add = (actor: Parameters<StepLog['add']>[0], pid: number, call: string, detail: string, source: string) => {
      c.steps.push({ seq: c.steps.length + 1, actor, pid, call, detail, source, phase: 'start' });
    };
    add('runc start', runc, 'open', `${c.execFifo} O_RDONLY, read "0": the init's blocked open returns`, 'libcontainer/container_linux.go exec → handleFifoResult');
    const args = c.spec.process!.args;
    k.execve(c.initPid, args);
    add('runc:[2:INIT]', c.initPid, 'execve', `${JSON.stringify(args)} — the container process replaces runc init (same pid ${c.initPid})`, 'libcontainer/standard_init_linux.go system.Exec');
    add('runc start', runc, 'unlink', `${c.execFifo}; runc start exits`, 'libcontainer/container_linux.go');
    k.exit(runc, 0);
    k.reap(runc);
    c.status = 'running';
    return ok(c.steps.filter((s) => s.phase === 'start'));
  }

  /** `runc kill <id> <signal>`: the init gets the signal; pid 1 of a pid namespace takes the namespace down with it. */
  kill(id: string, signal: 'SIGTERM' | 'SIGKILL'): Result<void> {
    const c = this.#containers.get(id);
    if (!c) return fail(simError('NOT_FOUND', `container ${id} does not exist`));
    if (c.status === 'stopped') return ok(undefined);
    this.kernel.exit(c.initPid, signal === 'SIGKILL' ? 137 : 143);
    c.status = 'stopped';
    return ok(undefined);
  }

  /** Marks a container stopped after its init exited by itself with `status`. */
  exited(id: string, status: number): void {
    const c = this.#containers.get(id);
    if (!c || c.status === 'stopped') return;
    this.kernel.exit(c.initPid, status);
    c.status = 'stopped';
  }

  /** `runc delete <id>`: removes the cgroup and the state directory of a stopped container. */
  delete(id: string): Result<void> {
    const c = this.#containers.get(id);
    if (!c) return fail(simError('NOT_FOUND', `container ${id} does not exist`));
    if (c.status !== 'stopped') return fail(simError('FAILED_PRECONDITION', `cannot delete container ${id} that is not stopped: ${c.status}`));
    const r = this.kernel.cgroupRmdir(c.cgroupPath);
    if (!r.ok) return r;
    this.#containers.delete(id);
    return ok(undefined);
  }

  #abort(pids: number[], cgroupPath: string | undefined, errors: SimError[]): Result<never> {
    for (const pid of pids) {
      if (this.kernel.process(pid)?.state === 'running') this.kernel.exit(pid, 1);
      this.kernel.reap(pid);
    }
    if (cgroupPath) this.kernel.cgroupRmdir(cgroupPath);
    return fail(errors);
  }
}
