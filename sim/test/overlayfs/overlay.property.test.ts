/**
 * Property (overlayfs.rst, "Permission model": an overlay should behave like
 * `cp -a /lower /upper; mount --bind /upper /merged`, only copying lazily):
 * after any sequence of operations, the merged view equals the result of the
 * same operations on a plain copy of the merged lower tree. Many seeds; the
 * failing seed and step are printed.
 */
import { describe, expect, it } from 'vitest';
import { Filesystem, OverlayFs, Prng, overlayShellFs, plainShellFs, runShell } from '../../src/index.ts';
import type { ShellCommand, ShellFs } from '../../src/index.ts';

const NAMES = ['a', 'b', 'c'];

function randomPath(p: Prng, depthMax = 3): string {
  const depth = p.intBetween(1, depthMax + 1);
  return '/' + Array.from({ length: depth }, () => NAMES[p.intBetween(0, NAMES.length)]!).join('/');
}

function randomLayer(p: Prng, name: string, allowOvlMarks: boolean): Filesystem {
  const fs = new Filesystem(name);
  for (let i = 0; i < 8; i++) {
    const path = randomPath(p);
    const parts = path.split('/').filter(Boolean);
    let ok = true;
    for (let j = 1; j < parts.length && ok; j++) {
      const sub = '/' + parts.slice(0, j).join('/');
      const f = fs.lookup(sub);
      if (!f.ok) fs.mkdir(sub, { mode: p.chance(0.3) ? 0o700 : 0o755, uid: p.intBetween(0, 3) });
      else if (f.value.kind !== 'dir') ok = false;
    }
    if (!ok || fs.lookup(path).ok) continue;
    const r = p.nextFloat();
    if (r < 0.5) fs.create(path, 'file', { data: `${name}:${i}`, mode: 0o644, uid: p.intBetween(0, 3) });
    else if (r < 0.8 || !allowOvlMarks) fs.mkdir(path);
    else if (r < 0.9) fs.create(path, 'chardev', { rdev: [0, 0] });
    else fs.mkdir(path).ok && fs.lookup(path).ok && (fs.lookup(path) as { value: { xattrs: Map<string, string> } }).value.xattrs.set('trusted.overlay.opaque', 'y');
  }
  return fs;
}

function randomOp(p: Prng): ShellCommand {
  const path = randomPath(p);
  switch (p.intBetween(0, 11)) {
    case 0: return { cmd: 'echo', text: `v${p.intBetween(0, 100)}`, path, append: false };
    case 1: return { cmd: 'echo', text: 'more', path, append: true };
    case 2: return { cmd: 'rm', path, recursive: false, force: false };
    case 3: return { cmd: 'rm', path, recursive: true, force: true };
    case 4: return { cmd: 'rmdir', path };
    case 5: return { cmd: 'mkdir', path, parents: false };
    case 6: return { cmd: 'mkdir', path, parents: true };
    case 7: return { cmd: 'mv', from: path, to: randomPath(p) };
    case 8: return { cmd: 'chmod', mode: p.chance(0.5) ? 0o600 : 0o751, path };
    case 9: return { cmd: 'chown', uid: p.intBetween(0, 5), gid: p.intBetween(0, 5), path };
    default: return { cmd: 'touch', path };
  }
}

function tree(fs: ShellFs): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    const names = fs.readdir(dir);
    if (!names.ok) return;
    for (const n of names.value) {
      const path = dir === '/' ? `/${n}` : `${dir}/${n}`;
      const st = fs.stat(path);
      if (!st.ok) continue;
      const s = st.value;
      out.push(`${path} ${s.kind} ${s.mode.toString(8)} ${s.uid}:${s.gid}${s.kind === 'dir' ? '' : ` ${JSON.stringify(s.data)}`}`);
      if (s.kind === 'dir') visit(path);
    }
  };
  visit('/');
  return out;
}

/** A plain filesystem holding a copy of the overlay's current merged view. */
function plainCopy(o: OverlayFs): Filesystem {
  const fs = new Filesystem('plain');
  for (const { path, inode } of o.merged()) fs.create(path, inode.kind, { mode: inode.mode, uid: inode.uid, gid: inode.gid, data: inode.data });
  return fs;
}

describe('OverlayFS ≡ plain copy of the merged lower tree', () => {
  it('holds for 300 random layer stacks × 40 random operations (redirect_dir off and on)', () => {
    const seen = new Map<string, number>();
    let succeeded = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const p = new Prng(seed);
      const nLowers = p.intBetween(1, 4);
      const lowers = Array.from({ length: nLowers }, (_, i) => randomLayer(p, `l${i}`, i < nLowers - 1 || p.chance(0.5)));
      const o = new OverlayFs({ lowers, upper: new Filesystem('upper'), work: new Filesystem('work'), redirectDir: seed % 2 === 0 });
      const plain = plainShellFs(plainCopy(o));
      const ovl = overlayShellFs(o);
      expect(tree(ovl), `seed ${seed}: initial view`).toEqual(tree(plain));
      const lowerBefore = lowers.map((l) => JSON.stringify(l.walk().map((e) => [e.path, e.inode.kind, e.inode.data, e.inode.mode])));
      for (let step = 0; step < 40; step++) {
        const op = randomOp(p);
        const a = runShell(ovl, op);
        const b = runShell(plain, op);
        const where = `seed ${seed}, step ${step}: ${JSON.stringify(op)}`;
        expect(a.ok, `${where} → overlay ${JSON.stringify(a.error)} vs plain ${JSON.stringify(b.error)}`).toBe(b.ok);
        if (!a.ok) expect(a.error!.code, where).toBe(b.error!.code);
        else succeeded++;
        expect(tree(ovl), where).toEqual(tree(plain));
      }
      for (const e of o.takeEvents()) seen.set(e.kind, (seen.get(e.kind) ?? 0) + 1);
      // Lower layers are never modified.
      expect(lowers.map((l) => JSON.stringify(l.walk().map((e) => [e.path, e.inode.kind, e.inode.data, e.inode.mode]))), `seed ${seed}: lower changed`).toEqual(lowerBefore);
    }
    // The random scripts really exercise the interesting paths.
    expect(succeeded).toBeGreaterThan(300 * 40 * 0.3);
    for (const k of ['copy-up', 'whiteout', 'opaque', 'redirect', 'exdev']) expect(seen.get(k) ?? 0, `event ${k}`).toBeGreaterThan(20);
  }, 120_000);
});
