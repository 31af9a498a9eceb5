/**
 * ShellFs adapters: the overlay's merged view, and a plain Filesystem (the
 * reference model in the property test).
 */
import { ok, type Result } from '../../core/result.ts';
import { errno, type Filesystem } from '../vfs/filesystem.ts';
import { kindOf } from './lookup.ts';
import type { OverlayFs } from './overlay.ts';
import type { ShellFs, Stat } from './shell.ts';

const stat = (i: { kind: Stat['kind']; mode: number; uid: number; gid: number; data: string }): Stat => ({ kind: i.kind, mode: i.mode, uid: i.uid, gid: i.gid, data: i.data });

export function overlayShellFs(o: OverlayFs): ShellFs {
  return {
    stat: (p) => {
      const e = o.resolve(p);
      return e.ok ? ok(stat(kindOf(e.value))) : e;
    },
    readdir: (p) => {
      const r = o.readdir(p);
      return r.ok ? ok(r.value.map((x) => x.name)) : r;
    },
    writeFile: (p, d, a) => o.writeFile(p, d, a),
    touch: (p) => o.touch(p),
    mkdir: (p, m) => o.mkdir(p, m),
    unlink: (p) => o.remove(p, false),
    rmdir: (p) => o.remove(p, true),
    rename: (a, b) => o.rename(a, b),
    setattr: (p, a) => o.setattr(p, a),
  };
}

export function plainShellFs(fs: Filesystem): ShellFs {
  return {
    stat: (p) => {
      const e = fs.lookup(p);
      return e.ok ? ok(stat(e.value)) : e;
    },
    readdir: (p): Result<string[]> => {
      const e = fs.lookup(p);
      if (!e.ok) return e;
      if (e.value.kind !== 'dir') return errno('ENOTDIR', `${p} is not a directory`, p);
      return ok([...e.value.children!.keys()].sort());
    },
    writeFile: (p, d, a) => fs.writeFile(p, d, a),
    touch: (p) => (fs.lookup(p).ok ? fs.lookup(p) : fs.writeFile(p, '', true)),
    mkdir: (p, m) => fs.mkdir(p, { mode: m }),
    unlink: (p) => fs.unlink(p),
    rmdir: (p) => fs.rmdir(p),
    rename: (a, b) => fs.rename(a, b),
    setattr: (p, a) => {
      const e = fs.lookup(p);
      if (!e.ok) return e;
      if (fs.readOnly) return errno('EROFS', `${fs.name} is read-only`, p);
      Object.assign(e.value, a);
      return e;
    },
  };
}
