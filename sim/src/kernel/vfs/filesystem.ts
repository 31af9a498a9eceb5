/**
 * A small in-memory filesystem (one superblock): path lookup, create, write,
 * unlink, rmdir, rename, xattrs. Errors are errno values (Result codes
 * ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EROFS, EINVAL, ENAMETOOLONG).
 * Upstream semantics: POSIX/Linux man-pages rename(2) (a directory may
 * replace only an empty directory; moving a directory into itself is
 * EINVAL), rmdir(2), unlink(2) (EISDIR on Linux), mkdir(2). Symlinks are
 * stored but not followed.
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';
import { DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, type FileKind, type Inode, type InodeAttrs } from './inode.ts';
import { joinPath, NAME_MAX, PATH_MAX, splitPath } from './path.ts';

export const FS_INODES_MAX = 20_000;

export function errno<T = never>(code: string, message: string, path: string): Result<T> {
  return fail(simError(code, `${code}: ${message}`, { path }));
}

export class Filesystem {
  readonly name: string;
  readonly readOnly: boolean;
  readonly root: Inode;
  #nextIno = 2;
  #inodes = 1;

  constructor(name: string, opts: { readOnly?: boolean } = {}) {
    this.name = name;
    this.readOnly = !!opts.readOnly;
    this.root = { ino: 1, kind: 'dir', mode: DEFAULT_DIR_MODE, uid: 0, gid: 0, data: '', xattrs: new Map(), children: new Map() };
  }

  newInode(kind: FileKind, attrs: InodeAttrs = {}): Inode {
    const inode: Inode = {
      ino: this.#nextIno++,
      kind,
      mode: attrs.mode ?? (kind === 'dir' ? DEFAULT_DIR_MODE : kind === 'chardev' ? 0 : DEFAULT_FILE_MODE),
      uid: attrs.uid ?? 0,
      gid: attrs.gid ?? 0,
      data: attrs.data ?? '',
      xattrs: new Map(),
    };
    if (attrs.rdev) inode.rdev = attrs.rdev;
    if (kind === 'dir') inode.children = new Map();
    return inode;
  }

  lookup(path: string): Result<Inode> {
    if (path.length > PATH_MAX) return errno('ENAMETOOLONG', 'path too long', path);
    let cur = this.root;
    for (const name of splitPath(path)) {
      if (cur.kind !== 'dir') return errno('ENOTDIR', `a component of ${path} is not a directory`, path);
      const next = cur.children!.get(name);
      if (!next) return errno('ENOENT', `no such file or directory: ${path}`, path);
      cur = next;
    }
    return ok(cur);
  }

  /** The directory that holds `path`, and the last name. */
  parent(path: string): Result<{ dir: Inode; name: string }> {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) return errno('EBUSY', 'the root cannot be replaced or removed', path);
    if (name.length > NAME_MAX) return errno('ENAMETOOLONG', 'name too long', path);
    const dir = this.lookup(joinPath(parts));
    if (!dir.ok) return dir;
    if (dir.value.kind !== 'dir') return errno('ENOTDIR', `${joinPath(parts)} is not a directory`, path);
    return ok({ dir: dir.value, name });
  }

  #writable(path: string): Result<true> {
    return this.readOnly ? errno('EROFS', `${this.name} is a read-only filesystem`, path) : ok(true);
  }

  #count(n: number, path: string): Result<true> {
    if (this.#inodes + n > FS_INODES_MAX) return errno('ENOSPC', `more than ${FS_INODES_MAX} inodes`, path);
    this.#inodes += n;
    return ok(true);
  }

  /** Links a new inode at `path` (which must not exist). */
  create(path: string, kind: FileKind, attrs: InodeAttrs = {}): Result<Inode> {
    const w = this.#writable(path);
    if (!w.ok) return w;
    const p = this.parent(path);
    if (!p.ok) return p;
    if (p.value.dir.children!.has(p.value.name)) return errno('EEXIST', `${path} exists`, path);
    const c = this.#count(1, path);
    if (!c.ok) return c;
    const inode = this.newInode(kind, attrs);
    p.value.dir.children!.set(p.value.name, inode);
    return ok(inode);
  }

  /** Links an existing inode tree at `path`, replacing what is there (used by overlay copy-up and rename). */
  link(path: string, inode: Inode): Result<Inode> {
    const w = this.#writable(path);
    if (!w.ok) return w;
    const p = this.parent(path);
    if (!p.ok) return p;
    const old = p.value.dir.children!.get(p.value.name);
    const c = this.#count(countInodes(inode) - (old ? countInodes(old) : 0), path);
    if (!c.ok) return c;
    p.value.dir.children!.set(p.value.name, inode);
    return ok(inode);
  }

  /** Removes the dentry at `path` whatever it is (the caller checked the rules). */
  remove(path: string): Result<Inode> {
    const w = this.#writable(path);
    if (!w.ok) return w;
    const p = this.parent(path);
    if (!p.ok) return p;
    const inode = p.value.dir.children!.get(p.value.name);
    if (!inode) return errno('ENOENT', `no such file or directory: ${path}`, path);
    p.value.dir.children!.delete(p.value.name);
    this.#inodes -= countInodes(inode);
    return ok(inode);
  }

  writeFile(path: string, data: string, append: boolean): Result<Inode> {
    const w = this.#writable(path);
    if (!w.ok) return w;
    const found = this.lookup(path);
    if (found.ok) {
      if (found.value.kind === 'dir') return errno('EISDIR', `${path} is a directory`, path);
      found.value.data = append ? found.value.data + data : data;
      return found;
    }
    if (found.errors[0]!.code !== 'ENOENT') return found;
    return this.create(path, 'file', { data });
  }

  unlink(path: string): Result<Inode> {
    const f = this.lookup(path);
    if (!f.ok) return f;
    if (f.value.kind === 'dir') return errno('EISDIR', `${path} is a directory (use rmdir)`, path);
    return this.remove(path);
  }

  rmdir(path: string): Result<Inode> {
    const f = this.lookup(path);
    if (!f.ok) return f;
    if (f.value.kind !== 'dir') return errno('ENOTDIR', `${path} is not a directory`, path);
    if (f.value.children!.size) return errno('ENOTEMPTY', `${path} is not empty`, path);
    return this.remove(path);
  }

  mkdir(path: string, attrs: InodeAttrs = {}): Result<Inode> {
    return this.create(path, 'dir', attrs);
  }

  rename(from: string, to: string): Result<Inode> {
    const w = this.#writable(from);
    if (!w.ok) return w;
    const src = this.lookup(from);
    if (!src.ok) return src;
    const a = splitPath(from);
    const b = splitPath(to);
    if (a.length === b.length && a.every((x, i) => x === b[i])) return ok(src.value);
    if (src.value.kind === 'dir' && b.length > a.length && a.every((x, i) => x === b[i])) return errno('EINVAL', `cannot move ${from} into itself`, to);
    const dst = this.lookup(to);
    if (dst.ok) {
      if (src.value.kind === 'dir' && dst.value.kind !== 'dir') return errno('ENOTDIR', `${to} is not a directory`, to);
      if (src.value.kind !== 'dir' && dst.value.kind === 'dir') return errno('EISDIR', `${to} is a directory`, to);
      if (dst.value.kind === 'dir' && dst.value.children!.size) return errno('ENOTEMPTY', `${to} is not empty`, to);
    } else if (dst.errors[0]!.code !== 'ENOENT') return dst;
    const p = this.parent(to);
    if (!p.ok) return p;
    this.remove(from);
    return this.link(to, src.value);
  }

  /** Every path below the root, parents before children, names sorted. */
  walk(): { path: string; inode: Inode }[] {
    const out: { path: string; inode: Inode }[] = [];
    const visit = (dir: Inode, prefix: string[]) => {
      for (const name of [...dir.children!.keys()].sort()) {
        const inode = dir.children!.get(name)!;
        const parts = [...prefix, name];
        out.push({ path: joinPath(parts), inode });
        if (inode.kind === 'dir') visit(inode, parts);
      }
    };
    visit(this.root, []);
    return out;
  }
}

export function countInodes(inode: Inode): number {
  let n = 1;
  if (inode.children) for (const c of inode.children.values()) n += countInodes(c);
  return n;
}
