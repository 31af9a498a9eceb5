/**
 * The few shell commands the OverlayFS explorer runs (`echo hi > /etc/motd`,
 * `rm -r /var/cache`, `mv a b`, …), written once against a small
 * filesystem interface so the same script can run on the overlay and on a
 * plain filesystem (the property test compares the two).
 * `mv` behaves like coreutils mv(1): rename(2) first; on EXDEV it copies the
 * tree (keeping owner and mode) and removes the source.
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';
import type { FileKind } from '../vfs/inode.ts';
import { joinPath, splitPath } from '../vfs/path.ts';

export interface Stat {
  kind: FileKind;
  mode: number;
  uid: number;
  gid: number;
  data: string;
}

export interface ShellFs {
  stat(path: string): Result<Stat>;
  readdir(path: string): Result<string[]>;
  writeFile(path: string, data: string, append: boolean): Result<unknown>;
  touch(path: string): Result<unknown>;
  mkdir(path: string, mode: number): Result<unknown>;
  unlink(path: string): Result<unknown>;
  rmdir(path: string): Result<unknown>;
  rename(from: string, to: string): Result<unknown>;
  setattr(path: string, attrs: { mode?: number; uid?: number; gid?: number }): Result<unknown>;
}

export type ShellCommand =
  | { cmd: 'echo'; text: string; path: string; append: boolean }
  | { cmd: 'cat' | 'ls' | 'touch' | 'rmdir'; path: string }
  | { cmd: 'mkdir'; path: string; parents: boolean }
  | { cmd: 'rm'; path: string; recursive: boolean; force: boolean }
  | { cmd: 'mv'; from: string; to: string }
  | { cmd: 'chmod'; mode: number; path: string }
  | { cmd: 'chown'; uid: number; gid?: number; path: string };

export interface ShellResult {
  ok: boolean;
  error?: { code: string; message: string };
  output?: string;
}

const done = (r: Result<unknown>, output?: string): ShellResult =>
  r.ok ? (output === undefined ? { ok: true } : { ok: true, output }) : { ok: false, error: { code: r.errors[0]!.code, message: r.errors[0]!.message } };

function removeTree(fs: ShellFs, path: string): Result<unknown> {
  const st = fs.stat(path);
  if (!st.ok) return st;
  if (st.value.kind !== 'dir') return fs.unlink(path);
  const names = fs.readdir(path);
  if (!names.ok) return names;
  for (const n of names.value) {
    const r = removeTree(fs, joinPath([...splitPath(path), n]));
    if (!r.ok) return r;
  }
  return fs.rmdir(path);
}

function copyTree(fs: ShellFs, from: string, to: string): Result<unknown> {
  const st = fs.stat(from);
  if (!st.ok) return st;
  const s = st.value;
  if (s.kind === 'dir') {
    // rename(2) already checked the target: it is absent or an empty directory (reused, like cp -r).
    const existing = fs.stat(to);
    const m = existing.ok && existing.value.kind === 'dir' ? existing : fs.mkdir(to, s.mode);
    if (!m.ok) return m;
    const names = fs.readdir(from);
    if (!names.ok) return names;
    for (const n of names.value) {
      const r = copyTree(fs, joinPath([...splitPath(from), n]), joinPath([...splitPath(to), n]));
      if (!r.ok) return r;
    }
  } else {
    const w = fs.writeFile(to, s.data, false);
    if (!w.ok) return w;
  }
  return fs.setattr(to, { mode: s.mode, uid: s.uid, gid: s.gid });
}

export function runShell(fs: ShellFs, c: ShellCommand): ShellResult {
  switch (c.cmd) {
    case 'echo':
      return done(fs.writeFile(c.path, `${c.text}\n`, c.append));
    case 'cat': {
      const st = fs.stat(c.path);
      if (st.ok && st.value.kind === 'dir') return { ok: false, error: { code: 'EISDIR', message: `EISDIR: ${c.path} is a directory` } };
      return done(st, st.ok ? st.value.data : undefined);
    }
    case 'ls': {
      const st = fs.stat(c.path);
      if (st.ok && st.value.kind !== 'dir') return done(st, splitPath(c.path).pop() ?? '/');
      const r = fs.readdir(c.path);
      return done(r, r.ok ? r.value.join('\n') : undefined);
    }
    case 'touch':
      return done(fs.touch(c.path));
    case 'rmdir':
      return done(fs.rmdir(c.path));
    case 'mkdir': {
      if (!c.parents) return done(fs.mkdir(c.path, 0o755));
      const parts = splitPath(c.path);
      for (let i = 1; i <= parts.length; i++) {
        const p = joinPath(parts.slice(0, i));
        const st = fs.stat(p);
        if (st.ok) {
          if (st.value.kind !== 'dir') return { ok: false, error: { code: 'ENOTDIR', message: `ENOTDIR: ${p} is not a directory` } };
          continue;
        }
        const m = fs.mkdir(p, 0o755);
        if (!m.ok) return done(m);
      }
      return { ok: true };
    }
    case 'rm': {
      const st = fs.stat(c.path);
      if (!st.ok) return c.force && st.errors[0]!.code === 'ENOENT' ? { ok: true } : done(st);
      if (st.value.kind === 'dir' && !c.recursive) return { ok: false, error: { code: 'EISDIR', message: `EISDIR: rm: cannot remove ${c.path}: Is a directory (use rm -r)` } };
      return done(c.recursive ? removeTree(fs, c.path) : fs.unlink(c.path));
    }
    case 'mv': {
      let to = c.to;
      const dst = fs.stat(to);
      const name = splitPath(c.from).pop();
      if (dst.ok && dst.value.kind === 'dir' && name !== undefined) to = joinPath([...splitPath(to), name]);
      const r = fs.rename(c.from, to);
      if (r.ok || r.errors[0]!.code !== 'EXDEV') return done(r);
      const cp = copyTree(fs, c.from, to);
      if (!cp.ok) return done(cp);
      return done(removeTree(fs, c.from), `rename(2) returned EXDEV: mv copied ${c.from} to ${to} and removed the original`);
    }
    case 'chmod':
      return done(fs.setattr(c.path, { mode: c.mode }));
    case 'chown':
      return done(fs.setattr(c.path, c.gid === undefined ? { uid: c.uid } : { uid: c.uid, gid: c.gid }));
  }
}

export function shellError(code: string, message: string, line: number, column: number): Result<never> {
  return fail(simError(code, message, { line, column }));
}

export { ok };
