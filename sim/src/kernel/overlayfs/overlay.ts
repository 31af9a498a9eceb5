/**
 * An OverlayFS mount: lowerdir (read-only layers, leftmost on top), upperdir
 * (writable), workdir (scratch space on the upper filesystem), merged view.
 * Upstream: Linux `fs/overlayfs/` (v6.12+): `copy_up.c` (`ovl_copy_up`:
 * parents first, then the object with its owner, mode and xattrs, data for
 * files; built in workdir and renamed into place), `dir.c`
 * (`ovl_create_over_whiteout`: a directory created where the upper layer has
 * a whiteout is made opaque; `ovl_remove_and_whiteout` when a lower object
 * is still visible, `ovl_check_empty_dir` for rmdir; `ovl_rename`: EXDEV for
 * a lower or merged directory unless redirect_dir=on, which copies the
 * directory up (not its contents) and sets trusted.overlay.redirect),
 * `readdir.c` (upper names first, then lower, whiteouts hide names), and
 * `Documentation/filesystems/overlayfs.rst`.
 */
import { ok, type Result } from '../../core/result.ts';
import { errno, type Filesystem } from '../vfs/filesystem.ts';
import type { Inode } from '../vfs/inode.ts';
import { joinPath, splitPath } from '../vfs/path.ts';
import { isOpaque, isWhiteout, kindOf, lookupChild, lowerPositive, OVL_XATTR_OPAQUE, OVL_XATTR_REDIRECT, rootEntry, type LayerRoots, type OvlEntry } from './lookup.ts';

export type OvlEventKind = 'copy-up' | 'whiteout' | 'opaque' | 'redirect' | 'create' | 'remove' | 'modify' | 'exdev';

export interface OvlEvent {
  kind: OvlEventKind;
  path: string;
  /** Which layer the event touched or came from (layer name). */
  layer: string;
  text: string;
}

export interface OverlayOptions {
  lowers: Filesystem[];
  upper?: Filesystem;
  work?: Filesystem;
  /** redirect_dir=on: renaming a lower/merged directory copies it up and records a redirect. */
  redirectDir?: boolean;
}

export interface MergedNode {
  path: string;
  inode: Inode;
  /** Name of the layer the visible object comes from. */
  layer: string;
}

export class OverlayFs {
  readonly lowers: Filesystem[];
  readonly upper: Filesystem | undefined;
  readonly work: Filesystem | undefined;
  readonly redirectDir: boolean;
  /** Events of the operation in progress (cleared by `takeEvents`). */
  #events: OvlEvent[] = [];
  #tmp = 0;

  constructor(o: OverlayOptions) {
    this.lowers = o.lowers;
    this.upper = o.upper;
    this.work = o.work;
    this.redirectDir = !!o.redirectDir;
    // ovl_workdir_create: the mount makes workdir/work for its own use.
    if (this.work && !this.work.root.children!.has('work')) this.work.mkdir('/work', { mode: 0 });
  }

  get readOnly(): boolean {
    return !this.upper;
  }

  takeEvents(): OvlEvent[] {
    const e = this.#events;
    this.#events = [];
    return e;
  }

  #event(kind: OvlEventKind, path: string, layer: string, text: string): void {
    this.#events.push({ kind, path, layer, text });
  }

  #roots(): LayerRoots {
    const r: LayerRoots = { lowers: this.lowers.map((l) => l.root) };
    if (this.upper) r.upper = this.upper.root;
    return r;
  }

  layerName(e: OvlEntry): string {
    return e.upper ? this.upper!.name : this.lowers[e.lowers[0]!.layer]!.name;
  }

  /** Resolves a path in the merged view. */
  resolve(path: string): Result<OvlEntry> {
    const roots = this.#roots();
    let cur = rootEntry(roots);
    for (const name of splitPath(path)) {
      if (kindOf(cur).kind !== 'dir') return errno('ENOTDIR', `a component of ${path} is not a directory`, path);
      const c = lookupChild(roots, cur, name, this.redirectDir);
      if (!c.entry) return errno('ENOENT', `no such file or directory: ${path}`, path);
      cur = c.entry;
    }
    return ok(cur);
  }

  #child(path: string): Result<{ parent: OvlEntry; parentPath: string; name: string; child?: OvlEntry; upperWhiteout: boolean }> {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) return errno('EBUSY', 'the overlay root cannot be replaced or removed', path);
    const parentPath = joinPath(parts);
    const parent = this.resolve(parentPath);
    if (!parent.ok) return parent;
    if (kindOf(parent.value).kind !== 'dir') return errno('ENOTDIR', `${parentPath} is not a directory`, path);
    const c = lookupChild(this.#roots(), parent.value, name, this.redirectDir);
    const out: { parent: OvlEntry; parentPath: string; name: string; child?: OvlEntry; upperWhiteout: boolean } = { parent: parent.value, parentPath, name, upperWhiteout: c.upperWhiteout };
    if (c.entry) out.child = c.entry;
    return ok(out);
  }

  #needUpper(path: string): Result<Filesystem> {
    if (!this.upper) return errno('EROFS', 'the overlay has no upperdir: every layer is a read-only lowerdir', path);
    return ok(this.upper);
  }

  /** ovl_copy_up: makes `path` (and its parents) exist in the upper layer. */
  copyUp(path: string): Result<Inode> {
    const up = this.#needUpper(path);
    if (!up.ok) return up;
    const parts = splitPath(path);
    let upperDir = up.value.root;
    for (let i = 0; i < parts.length; i++) {
      const sub = joinPath(parts.slice(0, i + 1));
      const existing = upperDir.children!.get(parts[i]!);
      if (existing && !isWhiteout(existing)) {
        upperDir = existing;
        continue;
      }
      const e = this.resolve(sub);
      if (!e.ok) return e;
      const lower = e.value.lowers[0]!;
      const src = lower.inode;
      const copy = up.value.newInode(src.kind, { mode: src.mode, uid: src.uid, gid: src.gid, data: src.kind === 'dir' ? '' : src.data, ...(src.rdev ? { rdev: src.rdev } : {}) });
      for (const [k, v] of src.xattrs) if (!k.startsWith('trusted.overlay.')) copy.xattrs.set(k, v);
      const tmp = `#${++this.#tmp}`;
      const linked = up.value.link(sub, copy);
      if (!linked.ok) return linked;
      this.#event('copy-up', sub, this.lowers[lower.layer]!.name, `copy-up ${sub} from lower layer ${this.lowers[lower.layer]!.name}: ${src.kind === 'dir' ? 'directory only (not its contents)' : 'data'}, owner ${src.uid}:${src.gid}, mode ${src.mode.toString(8).padStart(4, '0')} — built as workdir/work/${tmp}, then renamed into upperdir`);
      upperDir = copy;
    }
    return ok(upperDir);
  }

  /** `echo data > path` (append: `>>`). */
  writeFile(path: string, data: string, append: boolean): Result<Inode> {
    const up = this.#needUpper(path);
    if (!up.ok) return up;
    const c = this.#child(path);
    if (!c.ok) return c;
    const { child } = c.value;
    if (child) {
      if (kindOf(child).kind === 'dir') return errno('EISDIR', `${path} is a directory`, path);
      const target = child.upper ?? null;
      const inode = target ?? (() => {
        const r = this.copyUp(path);
        return r.ok ? r.value : r;
      })();
      if ('errors' in inode) return inode;
      inode.data = append ? inode.data + data : data;
      this.#event('modify', path, up.value.name, `write to ${path} in upperdir${target ? '' : ' (after copy-up)'}`);
      return ok(inode);
    }
    const pu = this.copyUp(c.value.parentPath);
    if (!pu.ok) return pu;
    const created = this.#createUpper(path, up.value.newInode('file', { data }), c.value.upperWhiteout);
    return created;
  }

  /** Links a new object in upper, replacing a whiteout if there is one. */
  #createUpper(path: string, inode: Inode, overWhiteout: boolean): Result<Inode> {
    const up = this.upper!;
    const r = up.link(path, inode);
    if (!r.ok) return r;
    this.#event('create', path, up.name, `create ${path} in upperdir${overWhiteout ? ' over its whiteout (the whiteout is replaced)' : ''}`);
    return r;
  }

  touch(path: string): Result<Inode> {
    const c = this.#child(path);
    if (!c.ok) return c;
    if (c.value.child) {
      if (!this.upper) return errno('EROFS', 'read-only overlay', path);
      // Updating timestamps is a metadata change: it needs copy-up.
      return c.value.child.upper ? ok(c.value.child.upper) : this.copyUp(path);
    }
    return this.writeFile(path, '', true);
  }

  mkdir(path: string, mode = 0o755): Result<Inode> {
    const up = this.#needUpper(path);
    if (!up.ok) return up;
    const c = this.#child(path);
    if (!c.ok) return c;
    if (c.value.child) return errno('EEXIST', `${path} exists`, path);
    const pu = this.copyUp(c.value.parentPath);
    if (!pu.ok) return pu;
    const dir = up.value.newInode('dir', { mode });
    if (c.value.upperWhiteout) {
      dir.xattrs.set(OVL_XATTR_OPAQUE, 'y');
      this.#event('opaque', path, up.value.name, `mkdir over a whiteout: ${path} is created opaque (trusted.overlay.opaque="y"), so the old lower directory's contents stay hidden`);
    }
    return this.#createUpper(path, dir, c.value.upperWhiteout);
  }

  /** unlink(2) or rmdir(2) in the merged view. */
  remove(path: string, dir: boolean): Result<true> {
    const up = this.#needUpper(path);
    if (!up.ok) return up;
    const c = this.#child(path);
    if (!c.ok) return c;
    const { child, parent, name, parentPath } = c.value;
    if (!child) return errno('ENOENT', `no such file or directory: ${path}`, path);
    const isDir = kindOf(child).kind === 'dir';
    if (dir && !isDir) return errno('ENOTDIR', `${path} is not a directory`, path);
    if (!dir && isDir) return errno('EISDIR', `${path} is a directory`, path);
    if (dir) {
      const list = this.readdir(path);
      if (!list.ok) return list;
      if (list.value.length) return errno('ENOTEMPTY', `${path} is not empty in the merged view`, path);
    }
    const needWhiteout = lowerPositive(parent, name) || child.lowers.length > 0;
    const pu = this.copyUp(parentPath);
    if (!pu.ok) return pu;
    if (child.upper) {
      const r = up.value.remove(path);
      if (!r.ok) return r;
      if (!needWhiteout) this.#event('remove', path, up.value.name, `${path} existed only in upperdir: removed there`);
    }
    if (needWhiteout) {
      const wh = up.value.newInode('chardev', { rdev: [0, 0], mode: 0 });
      const r = up.value.link(path, wh);
      if (!r.ok) return r;
      this.#event('whiteout', path, up.value.name, `${path} still exists in a lower layer: a whiteout (character device 0/0) is created in upperdir to hide it`);
    }
    return ok(true);
  }

  /** rename(2): EXDEV for lower/merged directories unless redirect_dir=on. */
  rename(from: string, to: string): Result<true> {
    const up = this.#needUpper(from);
    if (!up.ok) return up;
    const s = this.#child(from);
    if (!s.ok) return s;
    const src = s.value.child;
    if (!src) return errno('ENOENT', `no such file or directory: ${from}`, from);
    const a = splitPath(from);
    const b = splitPath(to);
    if (a.length === b.length && a.every((x, i) => x === b[i])) return ok(true);
    const isDir = kindOf(src).kind === 'dir';
    if (isDir && b.length > a.length && a.every((x, i) => x === b[i])) return errno('EINVAL', `cannot move ${from} into itself`, to);
    const d = this.#child(to);
    if (!d.ok) return d;
    const dst = d.value.child;
    if (dst) {
      const dstDir = kindOf(dst).kind === 'dir';
      if (isDir && !dstDir) return errno('ENOTDIR', `${to} is not a directory`, to);
      if (!isDir && dstDir) return errno('EISDIR', `${to} is a directory`, to);
      if (dstDir) {
        const l = this.readdir(to);
        if (!l.ok) return l;
        if (l.value.length) return errno('ENOTEMPTY', `${to} is not empty`, to);
      }
    }
    const lowerOrMerged = src.lowers.length > 0 || (src.upper?.xattrs.has(OVL_XATTR_REDIRECT) ?? false);
    if (isDir && lowerOrMerged && !this.redirectDir) {
      this.#event('exdev', from, this.layerName(src), `rename ${from} → ${to}: ${from} is a ${src.upper ? 'merged' : 'lower'} directory and redirect_dir is off, so rename(2) fails with EXDEV (mv then copies and deletes)`);
      return errno('EXDEV', `cannot rename the lower/merged directory ${from} (redirect_dir=off)`, from);
    }
    const srcWhiteout = lowerPositive(s.value.parent, s.value.name) || src.lowers.length > 0;
    const cu = this.copyUp(from);
    if (!cu.ok) return cu;
    const inode = cu.value;
    if (isDir && lowerOrMerged) {
      const redirect = inode.xattrs.get(OVL_XATTR_REDIRECT) ?? from;
      inode.xattrs.set(OVL_XATTR_REDIRECT, redirect);
      this.#event('redirect', to, up.value.name, `redirect_dir=on: ${from} is copied up without its contents and gets trusted.overlay.redirect="${redirect}", so lookups of ${to} still find the lower contents`);
    } else if (isDir && d.value.parent.lowers.length > 0 && !isOpaque(inode)) {
      inode.xattrs.set(OVL_XATTR_OPAQUE, 'y');
      this.#event('opaque', to, up.value.name, `an upper-only directory moved into a merged directory is made opaque`);
    }
    const dpu = this.copyUp(d.value.parentPath);
    if (!dpu.ok) return dpu;
    const r1 = up.value.remove(from);
    if (!r1.ok) return r1;
    if (dst?.upper) up.value.remove(to);
    const r2 = up.value.link(to, inode);
    if (!r2.ok) return r2;
    this.#event('create', to, up.value.name, `rename ${from} → ${to} inside upperdir`);
    if (srcWhiteout) {
      up.value.link(from, up.value.newInode('chardev', { rdev: [0, 0], mode: 0 }));
      this.#event('whiteout', from, up.value.name, `${from} is still in a lower layer: whiteout left at the old name`);
    }
    return ok(true);
  }

  /** chmod/chown: metadata changes copy the object up first. */
  setattr(path: string, attrs: { mode?: number; uid?: number; gid?: number }): Result<Inode> {
    const c = this.resolve(path);
    if (!c.ok) return c;
    const inode = c.value.upper ?? (() => {
      const r = this.copyUp(path);
      return r.ok ? r.value : r;
    })();
    if ('errors' in inode) return inode;
    if (attrs.mode !== undefined) inode.mode = attrs.mode;
    if (attrs.uid !== undefined) inode.uid = attrs.uid;
    if (attrs.gid !== undefined) inode.gid = attrs.gid;
    return ok(inode);
  }

  /** readdir: upper names first, then each lower; whiteouts hide names, opaque stops. */
  readdir(path: string): Result<{ name: string; entry: OvlEntry }[]> {
    const e = this.resolve(path);
    if (!e.ok) return e;
    if (kindOf(e.value).kind !== 'dir') return errno('ENOTDIR', `${path} is not a directory`, path);
    const names = new Set<string>();
    const dirs = [...(e.value.upper ? [e.value.upper] : []), ...e.value.lowers.map((l) => l.inode)];
    for (const d of dirs) for (const n of d.children!.keys()) names.add(n);
    const roots = this.#roots();
    const out: { name: string; entry: OvlEntry }[] = [];
    for (const name of [...names].sort()) {
      const c = lookupChild(roots, e.value, name, this.redirectDir);
      if (c.entry) out.push({ name, entry: c.entry });
    }
    return ok(out);
  }

  /** The whole merged tree, parents before children. */
  merged(): MergedNode[] {
    const out: MergedNode[] = [];
    const visit = (path: string) => {
      const list = this.readdir(path);
      if (!list.ok) return;
      for (const { name, entry } of list.value) {
        const p = path === '/' ? `/${name}` : `${path}/${name}`;
        const inode = kindOf(entry);
        out.push({ path: p, inode, layer: this.layerName(entry) });
        if (inode.kind === 'dir') visit(p);
      }
    };
    visit('/');
    return out;
  }
}
