/**
 * containerd's overlayfs snapshotter: snapshots are directories
 * `<root>/snapshots/<id>/fs` (+ `work` for active ones), ids from a counter;
 * a committed snapshot is named (for image layers: by chain ID), an active one
 * by a key. Mounts are returned, not performed — the caller (the unpacker, or
 * the shim for a container's rootfs) mounts them.
 *
 * `mounts()` reproduces upstream exactly:
 *  - no parents: a bind mount of the snapshot's own fs (`rw`/`ro`, `rbind`);
 *  - a view with one parent: a read-only bind of the parent's fs;
 *  - otherwise overlay with options in this order:
 *    `workdir=…`, `upperdir=…` (active only), `lowerdir=<parent>:<grandparent>:…`
 *    (nearest parent first), then the snapshotter-wide options — `index=off`
 *    when the kernel has /sys/module/overlay/parameters/index, and `userxattr`
 *    only when needed (rootless / user namespaces; not on a normal node).
 * Upstream: containerd v2.1 plugins/snapshots/overlay/overlay.go (NewSnapshotter,
 * createSnapshot, mounts, upperPath, workPath), core/snapshots/storage/bolt.go
 * (CreateSnapshot, CommitActive, Remove).
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';

export const OVERLAY_ROOT = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs';

export interface Mount {
  type: 'bind' | 'overlay';
  source: string;
  options: string[];
}

export type SnapshotKind = 'active' | 'committed' | 'view';

export interface FileNode {
  type: 'file' | 'dir' | 'symlink' | 'whiteout' | 'opaque-dir';
  size: number;
  linkTarget?: string;
}

export interface Snapshot {
  id: number;
  /** Key (active/view) or name (committed). */
  name: string;
  kind: SnapshotKind;
  parent?: string;
  labels: Record<string, string>;
  /** Contents of this snapshot's own `fs` directory (the upper dir), by absolute path. */
  files: Map<string, FileNode>;
}

export interface SnapshotterOptions {
  /** The kernel exposes overlay's `index` parameter (true on any current kernel). */
  supportsIndex: boolean;
  /** Rootless / user-namespaced snapshotter: adds `userxattr`. */
  userxattr: boolean;
}

export class OverlaySnapshotter {
  #byName = new Map<string, Snapshot>();
  #nextId = 1;
  readonly options: string[];

  readonly root: string;

  constructor(root: string = OVERLAY_ROOT, opts: SnapshotterOptions = { supportsIndex: true, userxattr: false }) {
    this.root = root;
    this.options = [];
    if (opts.userxattr) this.options.push('userxattr');
    if (opts.supportsIndex) this.options.push('index=off');
  }

  upperPath(id: number): string {
    return `${this.root}/snapshots/${id}/fs`;
  }

  workPath(id: number): string {
    return `${this.root}/snapshots/${id}/work`;
  }

  stat(key: string): Snapshot | undefined {
    return this.#byName.get(key);
  }

  /** Committed ancestors, nearest first (storage.Snapshot.ParentIDs). */
  parentIds(s: Snapshot): number[] {
    const ids: number[] = [];
    for (let p = s.parent ? this.#byName.get(s.parent) : undefined; p; p = p.parent ? this.#byName.get(p.parent) : undefined) ids.push(p.id);
    return ids;
  }

  prepare(key: string, parent?: string, labels: Record<string, string> = {}): Result<Mount[]> {
    return this.#create('active', key, parent, labels);
  }

  view(key: string, parent?: string, labels: Record<string, string> = {}): Result<Mount[]> {
    return this.#create('view', key, parent, labels);
  }

  #create(kind: SnapshotKind, key: string, parent: string | undefined, labels: Record<string, string>): Result<Mount[]> {
    if (this.#byName.has(key)) return fail(simError('ALREADY_EXISTS', `snapshot ${key}: already exists`));
    if (parent !== undefined) {
      const p = this.#byName.get(parent);
      if (!p) return fail(simError('NOT_FOUND', `parent snapshot ${parent} does not exist: not found`));
      if (p.kind !== 'committed') return fail(simError('INVALID_ARGUMENT', `parent ${parent} is not committed snapshot: invalid argument`));
    }
    const s: Snapshot = { id: this.#nextId++, name: key, kind, parent, labels: { ...labels }, files: new Map() };
    this.#byName.set(key, s);
    return ok(this.mountsOf(s));
  }

  mounts(key: string): Result<Mount[]> {
    const s = this.#byName.get(key);
    if (!s) return fail(simError('NOT_FOUND', `failed to get active mount: snapshot ${key} does not exist`));
    return ok(this.mountsOf(s));
  }

  mountsOf(s: Snapshot): Mount[] {
    const parents = this.parentIds(s);
    if (parents.length === 0) {
      return [{ type: 'bind', source: this.upperPath(s.id), options: [s.kind === 'view' ? 'ro' : 'rw', 'rbind'] }];
    }
    const options: string[] = [];
    if (s.kind === 'active') options.push(`workdir=${this.workPath(s.id)}`, `upperdir=${this.upperPath(s.id)}`);
    else if (parents.length === 1) return [{ type: 'bind', source: this.upperPath(parents[0]!), options: ['ro', 'rbind'] }];
    options.push(`lowerdir=${parents.map((id) => this.upperPath(id)).join(':')}`);
    options.push(...this.options);
    return [{ type: 'overlay', source: 'overlay', options }];
  }

  /** Writes into an active snapshot's upper dir (what applying a layer diff or a container write does). */
  write(key: string, path: string, node: FileNode): Result<void> {
    const s = this.#byName.get(key);
    if (!s) return fail(simError('NOT_FOUND', `snapshot ${key} does not exist`));
    if (s.kind !== 'active') return fail(simError('FAILED_PRECONDITION', `snapshot ${key} is read-only (${s.kind})`));
    s.files.set(path, node);
    return ok(undefined);
  }

  commit(name: string, key: string, labels: Record<string, string> = {}): Result<Snapshot> {
    const s = this.#byName.get(key);
    if (!s) return fail(simError('NOT_FOUND', `failed to commit snapshot ${key}: not found`));
    if (s.kind !== 'active') return fail(simError('FAILED_PRECONDITION', `failed to commit snapshot ${key}: requested snapshot ${key} not active`));
    if (this.#byName.has(name)) return fail(simError('ALREADY_EXISTS', `failed to commit snapshot ${key}: snapshot ${name}: already exists`));
    this.#byName.delete(key);
    // Committing keeps the id (and so the directory): the upper dir becomes a lower dir for children.
    const committed: Snapshot = { ...s, name, kind: 'committed', labels: { ...s.labels, ...labels } };
    this.#byName.set(name, committed);
    return ok(committed);
  }

  remove(key: string): Result<void> {
    const s = this.#byName.get(key);
    if (!s) return fail(simError('NOT_FOUND', `failed to remove snapshot ${key}: not found`));
    for (const other of this.#byName.values()) {
      if (other.parent === key) return fail(simError('FAILED_PRECONDITION', `failed to remove snapshot ${key}: cannot remove snapshot with child`));
    }
    this.#byName.delete(key);
    return ok(undefined);
  }

  walk(): Snapshot[] {
    return [...this.#byName.values()].sort((a, b) => a.id - b.id);
  }

  /**
   * The merged view of a snapshot chain as OverlayFS would present it:
   * lower layers from the oldest up, whiteouts hiding what is below them.
   */
  merged(key: string): Map<string, FileNode> {
    const s = this.#byName.get(key);
    const chain: Snapshot[] = [];
    for (let p = s; p; p = p.parent ? this.#byName.get(p.parent) : undefined) chain.unshift(p);
    const view = new Map<string, FileNode>();
    for (const layer of chain) {
      for (const [path, node] of layer.files) {
        if (node.type === 'whiteout') {
          for (const k of [...view.keys()]) if (k === path || k.startsWith(path + '/')) view.delete(k);
        } else if (node.type === 'opaque-dir') {
          for (const k of [...view.keys()]) if (k.startsWith(path + '/')) view.delete(k);
          view.set(path, { type: 'dir', size: 0 });
        } else view.set(path, node);
      }
    }
    return view;
  }
}

/** `mount -t overlay overlay -o <options> <target>` as one shell line. */
export function mountCommand(m: Mount, target: string): string {
  return m.type === 'overlay' ? `mount -t overlay overlay -o ${m.options.join(',')} ${target}` : `mount --bind${m.options.includes('ro') ? ' -o ro' : ''} ${m.source} ${target}`;
}
