/**
 * The OverlayFS explorer's first input: layer contents and the mount command.
 *
 *   layer base                       # a directory tree (an image layer)
 *   dir  /etc mode=0755
 *   file /etc/motd "Welcome"         # mode=0644 uid=0 gid=0 by default
 *   file /bin/sh mode=0755 "ELF…"
 *   symlink /bin/bash sh
 *   whiteout /etc/old                # a 0/0 character device (as image layers carry them)
 *   opaque /var/log                  # a directory with trusted.overlay.opaque="y"
 *   layer upper
 *   layer work
 *   mount -t overlay overlay -o lowerdir=app:base,upperdir=upper,workdir=work /merged
 *
 * Parent directories are created implicitly (0755, root). Without upperdir
 * the overlay is read-only (writes fail with EROFS). Options follow
 * `Documentation/filesystems/overlayfs.rst` and `fs/overlayfs/params.c`.
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { errAt, parseUint } from '../netfilter/cursor.ts';
import { tokenize, type Token } from '../netfilter/tokenize.ts';
import { Filesystem } from '../vfs/filesystem.ts';
import type { FileKind, InodeAttrs } from '../vfs/inode.ts';
import { splitPath, joinPath } from '../vfs/path.ts';
import { OVL_XATTR_OPAQUE } from './lookup.ts';
import { OverlayFs } from './overlay.ts';

export const LAYERS_MAX = 16;
export const LAYER_ENTRIES_MAX = 1000;

export interface MountInfo {
  lowerdir: string[];
  upperdir?: string;
  workdir?: string;
  redirectDir: boolean;
  target: string;
}

export interface LayersSetup {
  layers: Map<string, Filesystem>;
  overlay: OverlayFs;
  mount: MountInfo;
}

function attrsOf(tokens: Token[]): Result<{ attrs: InodeAttrs; rest: Token[] }> {
  const attrs: InodeAttrs = {};
  const rest: Token[] = [];
  for (const t of tokens) {
    const m = /^(mode|uid|gid)=(.*)$/.exec(t.text);
    if (!m) {
      rest.push(t);
      continue;
    }
    const v = m[1] === 'mode' ? (/^[0-7]{1,4}$/.test(m[2]!) ? parseInt(m[2]!, 8) : undefined) : parseUint(m[2]!, 0xfffffffe);
    if (v === undefined) return fail(errAt('BAD_VALUE', `bad ${m[1]} "${m[2]}"${m[1] === 'mode' ? ' (octal, e.g. 0644)' : ''}`, t));
    attrs[m[1] as 'mode' | 'uid' | 'gid'] = v;
  }
  return ok({ attrs, rest });
}

function ensureParents(fs: Filesystem, path: string): void {
  const parts = splitPath(path);
  for (let i = 1; i < parts.length; i++) {
    const p = joinPath(parts.slice(0, i));
    if (!fs.lookup(p).ok) fs.mkdir(p);
  }
}

export function parseLayers(text: string): Result<LayersSetup> {
  const lines = tokenize(text);
  if (!lines.ok) return lines;
  const layers = new Map<string, Filesystem>();
  const counts = new Map<string, number>();
  let current: Filesystem | undefined;
  let mountTok: Token | undefined;
  let mount: MountInfo | undefined;
  const optTok = new Map<string, Token>();
  for (const { tokens } of lines.value) {
    const [kw, ...args] = tokens;
    const k = kw!;
    if (k.text === 'layer') {
      const name = args[0];
      if (!name) return fail(errAt('MISSING_ARGUMENT', 'usage: layer NAME', { line: k.endLine, column: k.endColumn }));
      if (!/^[A-Za-z0-9._-]+$/.test(name.text)) return fail(errAt('BAD_VALUE', `layer name "${name.text}" may use letters, digits, . _ -`, name));
      if (layers.has(name.text)) return fail(errAt('BAD_VALUE', `layer ${name.text} is declared twice`, name));
      if (layers.size >= LAYERS_MAX) return fail(errAt('LIMIT_EXCEEDED', `at most ${LAYERS_MAX} layers`, name));
      current = new Filesystem(name.text);
      layers.set(name.text, current);
      continue;
    }
    if (k.text === 'mount') {
      if (mount) return fail(errAt('BAD_VALUE', 'only one mount line', k));
      mountTok = k;
      const m = parseMount(args, k);
      if (!m.ok) return m;
      mount = m.value.info;
      for (const [o, t] of m.value.tokens) optTok.set(o, t);
      continue;
    }
    const kinds: Record<string, FileKind | 'whiteout' | 'opaque'> = { dir: 'dir', file: 'file', symlink: 'symlink', whiteout: 'whiteout', opaque: 'opaque' };
    const kind = kinds[k.text];
    if (!kind) return fail(errAt('SYNTAX', `unknown line "${k.text}" (layer, dir, file, symlink, whiteout, opaque, mount)`, k));
    if (!current) return fail(errAt('SYNTAX', `"${k.text}" before any "layer NAME" line`, k));
    const a = attrsOf(args);
    if (!a.ok) return a;
    const [pathTok, ...more] = a.value.rest;
    if (!pathTok) return fail(errAt('MISSING_ARGUMENT', `usage: ${k.text} /PATH${kind === 'file' ? ' [mode=0644] "content"' : kind === 'symlink' ? ' TARGET' : ''}`, { line: k.endLine, column: k.endColumn }));
    if (!pathTok.text.startsWith('/') || splitPath(pathTok.text).length === 0) return fail(errAt('BAD_VALUE', `"${pathTok.text}" must be an absolute path below /`, pathTok));
    if ((kind !== 'file' && kind !== 'symlink' && more.length) || more.length > 1) return fail(errAt('SYNTAX', `unexpected "${more[kind === 'file' || kind === 'symlink' ? 1 : 0]!.text}" (quote content with spaces)`, more[kind === 'file' || kind === 'symlink' ? 1 : 0]!));
    const n = (counts.get(current.name) ?? 0) + 1;
    counts.set(current.name, n);
    if (n > LAYER_ENTRIES_MAX) return fail(errAt('LIMIT_EXCEEDED', `at most ${LAYER_ENTRIES_MAX} entries per layer`, k));
    const path = joinPath(splitPath(pathTok.text));
    ensureParents(current, path);
    const existing = current.lookup(path);
    if (existing.ok && !(kind === 'dir' || kind === 'opaque') ) return fail(errAt('BAD_VALUE', `${path} is already in layer ${current.name}`, pathTok));
    if (existing.ok && existing.value.kind !== 'dir') return fail(errAt('BAD_VALUE', `${path} is already a ${existing.value.kind} in layer ${current.name}`, pathTok));
    const parent = current.parent(path);
    if (!parent.ok) return fail(errAt('BAD_VALUE', `${parent.errors[0]!.message}`, pathTok));
    if (kind === 'whiteout') current.create(path, 'chardev', { rdev: [0, 0], mode: 0 });
    else if (kind === 'dir' || kind === 'opaque') {
      let inode = existing.ok ? existing.value : undefined;
      if (!inode) {
        const d = current.mkdir(path, a.value.attrs);
        if (!d.ok) return fail(errAt('BAD_VALUE', d.errors[0]!.message, pathTok));
        inode = d.value;
      }
      Object.assign(inode, a.value.attrs);
      if (kind === 'opaque') inode.xattrs.set(OVL_XATTR_OPAQUE, 'y');
    } else {
      if (kind === 'symlink' && !more[0]) return fail(errAt('MISSING_ARGUMENT', 'usage: symlink /PATH TARGET', { line: pathTok.endLine, column: pathTok.endColumn }));
      current.create(path, kind, { ...a.value.attrs, data: more[0]?.text ?? '', ...(kind === 'symlink' && a.value.attrs.mode === undefined ? { mode: 0o777 } : {}) });
    }
  }
  if (!mount || !mountTok) return fail(errAt('MISSING_ARGUMENT', 'no "mount -t overlay overlay -o lowerdir=…" line', { line: 1, column: 1 }));
  const at = (o: string) => optTok.get(o) ?? mountTok!;
  const byName = (name: string, o: string): Result<Filesystem> => {
    const fs = layers.get(name);
    return fs ? ok(fs) : fail(errAt('UNKNOWN_LAYER', `${o}: no layer named "${name}" (declare it with "layer ${name}")`, at(o)));
  };
  const lowers: Filesystem[] = [];
  for (const l of mount.lowerdir) {
    const fs = byName(l, 'lowerdir');
    if (!fs.ok) return fs;
    if (lowers.includes(fs.value)) return fail(errAt('BAD_VALUE', `lowerdir lists ${l} twice`, at('lowerdir')));
    lowers.push(fs.value);
  }
  let upper: Filesystem | undefined;
  let work: Filesystem | undefined;
  if (mount.upperdir !== undefined) {
    const u = byName(mount.upperdir, 'upperdir');
    if (!u.ok) return u;
    upper = u.value;
    if (mount.workdir === undefined) return fail(errAt('MISSING_ARGUMENT', "missing 'workdir' (required with upperdir)", at('upperdir')));
    const w = byName(mount.workdir, 'workdir');
    if (!w.ok) return w;
    work = w.value;
    if (work === upper) return fail(errAt('BAD_VALUE', 'workdir and upperdir must be separate subtrees', at('workdir')));
    if (lowers.includes(upper) || lowers.includes(work)) return fail(errAt('BAD_VALUE', 'overlapping layers: upperdir/workdir is also a lowerdir', at('upperdir')));
    if (work.root.children!.size) return fail(errAt('BAD_VALUE', 'workdir must be an empty directory', at('workdir')));
  } else if (mount.workdir !== undefined) return fail(errAt('MISSING_ARGUMENT', "missing 'upperdir' (workdir given without it)", at('workdir')));
  const overlay = new OverlayFs({ lowers, ...(upper ? { upper } : {}), ...(work ? { work } : {}), redirectDir: mount.redirectDir });
  return ok({ layers, overlay, mount });
}

function parseMount(args: Token[], k: Token): Result<{ info: MountInfo; tokens: Map<string, Token> }> {
  const tokens = new Map<string, Token>();
  let type: string | undefined;
  let options: Token | undefined;
  const positional: Token[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!;
    if (t.text === '-t' || t.text === '-o') {
      const v = args[i + 1];
      if (!v) return fail(errAt('MISSING_ARGUMENT', `${t.text} needs a value`, { line: t.endLine, column: t.endColumn }));
      if (t.text === '-t') type = v.text;
      else options = v;
      i++;
    } else positional.push(t);
  }
  if (type !== 'overlay') return fail(errAt('BAD_VALUE', 'expected "mount -t overlay overlay -o lowerdir=…,upperdir=…,workdir=… /merged"', k));
  if (!options) return fail(errAt('MISSING_ARGUMENT', 'missing "-o lowerdir=…"', k));
  const info: MountInfo = { lowerdir: [], redirectDir: false, target: positional[1]?.text ?? '/merged' };
  for (const opt of options.text.split(',')) {
    const [key, value] = opt.split('=');
    tokens.set(key!, options);
    if (key === 'lowerdir' && value) info.lowerdir = value.split(':');
    else if (key === 'upperdir' && value) info.upperdir = value;
    else if (key === 'workdir' && value) info.workdir = value;
    else if (key === 'redirect_dir' && value && ['on', 'off', 'follow', 'nofollow'].includes(value)) info.redirectDir = value === 'on';
    else if (key === 'ro' || key === 'rw') continue;
    else return fail(errAt('BAD_VALUE', `unknown or incomplete overlay option "${opt}" (lowerdir=, upperdir=, workdir=, redirect_dir=on|off)`, options));
  }
  if (!info.lowerdir.length || info.lowerdir.some((l) => l === '')) return fail(errAt('MISSING_ARGUMENT', 'lowerdir= needs at least one layer (colon-separated, leftmost on top)', options));
  return ok({ info, tokens });
}
