/**
 * The cgroup v2 tree under /sys/fs/cgroup, with interface files as strings.
 * Core files (cgroup.procs, cgroup.controllers, cgroup.subtree_control,
 * cgroup.events) live here; every controller registers its own files
 * (`registerController`), so memory (memory.ts) and cpu plug in the same way.
 * Follows Linux v6.12 kernel/cgroup/cgroup.c and
 * Documentation/admin-guide/cgroup-v2.rst:
 *  - a controller's files exist in a cgroup only when the parent enables it
 *    in cgroup.subtree_control ("+memory"), which the parent may do only for
 *    controllers listed in its own cgroup.controllers;
 *  - no internal processes: a non-root cgroup with controllers enabled in
 *    subtree_control cannot hold processes (EBUSY), and vice versa;
 *  - a process is in exactly one cgroup; writing its pid to cgroup.procs
 *    moves it; rmdir of a cgroup with processes or children fails (EBUSY).
 * Paths are absolute within the hierarchy: "/" is /sys/fs/cgroup itself.
 * Backs Layer 1 "cgroup v2".
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';

export type WriteOutcome = { ok: true } | { ok: false; errno: string; message: string; offset?: number };

export interface CgroupFile {
  /** e.g. "memory.max". */
  name: string;
  /** Whether the file also exists in the root cgroup (memory.max does not; memory.stat does). */
  onRoot: boolean;
  read(cg: Cgroup): string;
  /** Absent for read-only files (EACCES on write). */
  write?(cg: Cgroup, value: string): WriteOutcome;
}

export interface CgroupController {
  /** "memory", "cpu", "pids", ... */
  name: string;
  files: CgroupFile[];
  /** Called when the controller becomes enabled for `cg` (its parent wrote "+name"). */
  attach?(cg: Cgroup): void;
}

export class Cgroup {
  readonly children = new Map<string, Cgroup>();
  /** Host pids, in the order they joined. */
  readonly procs = new Set<number>();
  readonly subtreeControl = new Set<string>();
  /** Per-controller state, keyed by controller name. */
  readonly state = new Map<string, unknown>();

  readonly name: string;
  readonly parent: Cgroup | null;

  /** This cgroup, its parent, …, the root (fixed: a cgroup never moves). */
  readonly #lineage: Cgroup[];

  constructor(name: string, parent: Cgroup | null) {
    this.name = name;
    this.parent = parent;
    this.#lineage = parent ? [this, ...parent.ancestry()] : [this];
  }

  get path(): string {
    if (!this.parent) return '/';
    const p = this.parent.path;
    return p === '/' ? `/${this.name}` : `${p}/${this.name}`;
  }

  get isRoot(): boolean {
    return this.parent === null;
  }

  /** Controllers available here (cgroup.controllers): all at the root, else the parent's subtree_control. */
  controllers(all: string[]): string[] {
    return this.parent ? all.filter((c) => this.parent!.subtreeControl.has(c)) : all;
  }

  /** Pre-order walk of this cgroup and its descendants (css_next_descendant_pre). */
  walk(): Cgroup[] {
    const out: Cgroup[] = [];
    const visit = (c: Cgroup) => { out.push(c); for (const k of c.children.values()) visit(k); };
    visit(this);
    return out;
  }

  /** This cgroup and its ancestors up to and including the root. */
  ancestry(): readonly Cgroup[] {
    return this.#lineage;
  }
}

/** Characters a cgroup directory name may not contain, and names reserved for interface files. */
const BAD_NAME = /[/\n]|^\.\.?$/;

export class CgroupTree {
  readonly root = new Cgroup('', null);
  readonly #controllers = new Map<string, CgroupController>();
  readonly #taskCgroup = new Map<number, Cgroup>();

  registerController(ctrl: CgroupController): void {
    this.#controllers.set(ctrl.name, ctrl);
    ctrl.attach?.(this.root);
  }

  controllerNames(): string[] {
    return [...this.#controllers.keys()];
  }

  lookup(path: string): Cgroup | undefined {
    let cg: Cgroup | undefined = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      cg = cg.children.get(part);
      if (!cg) return undefined;
    }
    return cg;
  }

  mkdir(path: string): Result<Cgroup> {
    const parts = path.split('/').filter(Boolean);
    const name = parts.pop();
    if (name === undefined) return fail(simError('EEXIST', 'the root cgroup always exists'));
    if (BAD_NAME.test(name) || name.startsWith('cgroup.') || [...this.#controllers.keys()].some((c) => name.startsWith(`${c}.`))) return fail(simError('EINVAL', `"${name}" is not a valid cgroup name`));
    const parent = this.lookup(`/${parts.join('/')}`);
    if (!parent) return fail(simError('ENOENT', `no cgroup /${parts.join('/')}`));
    if (parent.children.has(name)) return fail(simError('EEXIST', `${path} exists`));
    const cg = new Cgroup(name, parent);
    parent.children.set(name, cg);
    for (const c of parent.subtreeControl) this.#controllers.get(c)?.attach?.(cg);
    return ok(cg);
  }

  /** mkdir -p, enabling `controllers` in subtree_control of every ancestor on the way (what systemd/kubelet do). */
  ensure(path: string, controllers: string[] = this.controllerNames()): Result<Cgroup> {
    let cg = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      for (const c of controllers) this.#enable(cg, c);
      const next = cg.children.get(part) ?? (() => { const r = this.mkdir(cg.path === '/' ? `/${part}` : `${cg.path}/${part}`); return r.ok ? r.value : undefined; })();
      if (!next) return fail(simError('EINVAL', `cannot create ${part} under ${cg.path}`));
      cg = next;
    }
    return ok(cg);
  }

  #enable(cg: Cgroup, name: string): void {
    if (cg.subtreeControl.has(name)) return;
    cg.subtreeControl.add(name);
    for (const child of cg.children.values()) this.#controllers.get(name)?.attach?.(child);
  }

  rmdir(path: string): Result<void> {
    const cg = this.lookup(path);
    if (!cg || cg.isRoot) return fail(simError(cg ? 'EBUSY' : 'ENOENT', cg ? 'the root cgroup cannot be removed' : `no cgroup ${path}`));
    if (cg.procs.size || cg.children.size) return fail(simError('EBUSY', `${path} still has processes or child cgroups`));
    cg.parent!.children.delete(cg.name);
    return ok(undefined);
  }

  /** Writes `hostPid` into `path`/cgroup.procs. */
  attach(hostPid: number, path: string): Result<void> {
    const cg = this.lookup(path);
    if (!cg) return fail(simError('ENOENT', `no cgroup ${path}`));
    if (!cg.isRoot && cg.subtreeControl.size > 0) return fail(simError('EBUSY', `${path} has controllers enabled for its children; processes may only live in leaves (no internal processes)`));
    this.#taskCgroup.get(hostPid)?.procs.delete(hostPid);
    cg.procs.add(hostPid);
    this.#taskCgroup.set(hostPid, cg);
    return ok(undefined);
  }

  /** cgroup_post_fork: `childPid` joins `path` (its parent's cgroup) with no leaf check, as fork does. */
  fork(parentPid: number, childPid: number, path: string): void {
    const cg = this.#taskCgroup.get(parentPid) ?? this.lookup(path);
    if (!cg) return;
    this.#taskCgroup.get(childPid)?.procs.delete(childPid);
    cg.procs.add(childPid);
    this.#taskCgroup.set(childPid, cg);
  }

  /** Removes an exited task. */
  detach(hostPid: number): void {
    this.#taskCgroup.get(hostPid)?.procs.delete(hostPid);
    this.#taskCgroup.delete(hostPid);
  }

  cgroupOf(hostPid: number): Cgroup | undefined {
    return this.#taskCgroup.get(hostPid);
  }

  /** The interface files present in `cg`, core files first. */
  files(cg: Cgroup): CgroupFile[] {
    const out: CgroupFile[] = [...this.#coreFiles()];
    for (const name of cg.controllers(this.controllerNames())) {
      for (const f of this.#controllers.get(name)!.files) if (!cg.isRoot || f.onRoot) out.push(f);
    }
    if (cg.isRoot) for (const ctrl of this.#controllers.values()) for (const f of ctrl.files) if (f.onRoot && !out.includes(f)) out.push(f);
    return out;
  }

  #coreFiles(): CgroupFile[] {
    const all = () => this.controllerNames();
    return [
      { name: 'cgroup.procs', onRoot: true, read: (cg) => [...cg.procs].map((p) => `${p}\n`).join(''),
        write: (cg, v) => { const pid = Number(v.trim()); if (!/^\d+$/.test(v.trim())) return { ok: false, errno: 'EINVAL', message: 'write one pid', offset: 0 }; const r = this.attach(pid, cg.path); return r.ok ? { ok: true } : { ok: false, errno: r.errors[0]!.code, message: r.errors[0]!.message }; } },
      { name: 'cgroup.controllers', onRoot: true, read: (cg) => `${cg.controllers(all()).join(' ')}\n` },
      { name: 'cgroup.subtree_control', onRoot: true, read: (cg) => `${[...cg.subtreeControl].join(' ')}\n`,
        write: (cg, v) => {
          for (const tok of v.trim().split(/\s+/)) {
            const m = /^([+-])(\w+)$/.exec(tok);
            if (!m || !cg.controllers(all()).includes(m[2]!)) return { ok: false, errno: 'EINVAL', message: `"${tok}": controller not available here`, offset: v.indexOf(tok) };
            if (m[1] === '+') { if (!cg.isRoot && cg.procs.size) return { ok: false, errno: 'EBUSY', message: 'a cgroup with processes cannot enable controllers for its children', offset: v.indexOf(tok) }; this.#enable(cg, m[2]!); }
            else cg.subtreeControl.delete(m[2]!);
          }
          return { ok: true };
        } },
      { name: 'cgroup.events', onRoot: false, read: (cg) => `populated ${[...cg.walk()].some((c) => c.procs.size > 0) ? 1 : 0}\nfrozen 0\n` },
    ];
  }

  read(path: string, file: string): Result<string> {
    const cg = this.lookup(path);
    if (!cg) return fail(simError('ENOENT', `no cgroup ${path}`));
    const f = this.files(cg).find((x) => x.name === file);
    if (!f) return fail(simError('ENOENT', `${path === '/' ? '' : path}/${file}: no such file`));
    return ok(f.read(cg));
  }

  write(path: string, file: string, value: string): Result<void> {
    const cg = this.lookup(path);
    if (!cg) return fail(simError('ENOENT', `no cgroup ${path}`));
    const f = this.files(cg).find((x) => x.name === file);
    if (!f) return fail(simError('ENOENT', `${path === '/' ? '' : path}/${file}: no such file`));
    if (!f.write) return fail(simError('EACCES', `${file} is read-only`));
    const r = f.write(cg, value);
    return r.ok ? ok(undefined) : fail(simError(r.errno, r.message, r.offset !== undefined ? { column: r.offset + 1 } : {}));
  }
}

/**
 * Where the kubelet's systemd cgroup driver puts a pod and its containers
 * (pkg/kubelet/cm/cgroup_manager_linux.go, qos_container_manager_linux.go,
 * v1.34): Guaranteed pods sit directly under kubepods.slice, the other two
 * classes under their own slice; dashes in the pod UID become underscores;
 * containerd names a container's scope cri-containerd-<id>.scope.
 */
export function kubepodsPath(qos: 'Guaranteed' | 'Burstable' | 'BestEffort', podUid: string, containerId?: string): string {
  const uid = podUid.replace(/-/g, '_');
  const pod = qos === 'Guaranteed'
    ? `/kubepods.slice/kubepods-pod${uid}.slice`
    : `/kubepods.slice/kubepods-${qos.toLowerCase()}.slice/kubepods-${qos.toLowerCase()}-pod${uid}.slice`;
  return containerId ? `${pod}/cri-containerd-${containerId}.scope` : pod;
}
