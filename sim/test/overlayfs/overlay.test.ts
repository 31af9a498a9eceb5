/**
 * OverlayFS behaviour, following Linux `Documentation/filesystems/overlayfs.rst`
 * (v6.12+) section by section, and `fs/overlayfs/{namei,dir,copy_up,readdir}.c`.
 */
import { describe, expect, it } from 'vitest';
import { Filesystem, OverlayFs, isOpaque, isWhiteout, runOverlay, DEFAULT_OVERLAY_LAYERS, DEFAULT_OVERLAY_OPS, OVL_XATTR_REDIRECT } from '../../src/index.ts';

function layer(name: string, files: Record<string, string>, dirs: string[] = []): Filesystem {
  const fs = new Filesystem(name);
  for (const d of dirs) mk(fs, d);
  for (const [p, data] of Object.entries(files)) {
    mk(fs, p.split('/').slice(0, -1).join('/'));
    fs.create(p, 'file', { data, uid: 7, gid: 8, mode: 0o640 });
  }
  return fs;
}
function mk(fs: Filesystem, dir: string) {
  const parts = dir.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) if (!fs.lookup(`/${parts.slice(0, i).join('/')}`).ok) fs.mkdir(`/${parts.slice(0, i).join('/')}`);
}
function mount(lowers: Filesystem[], opts: { redirectDir?: boolean; noUpper?: boolean } = {}) {
  const upper = new Filesystem('upper');
  const o = new OverlayFs({ lowers, ...(opts.noUpper ? {} : { upper, work: new Filesystem('work') }), redirectDir: !!opts.redirectDir });
  return { o, upper };
}
const names = (o: OverlayFs, p: string) => {
  const r = o.readdir(p);
  return r.ok ? r.value.map((x) => x.name) : r.errors[0]!.code;
};

describe('Directories / Multiple lower layers', () => {
  it('"lower1 will be the top": the leftmost lowerdir wins for a non-directory', () => {
    const top = layer('top', { '/etc/motd': 'top' });
    const bottom = layer('bottom', { '/etc/motd': 'bottom', '/etc/hosts': 'h' });
    const { o } = mount([top, bottom]);
    const r = o.resolve('/etc/motd');
    expect(r.ok && r.value.lowers[0]!.inode.data).toBe('top');
    expect(names(o, '/etc')).toEqual(['hosts', 'motd']);
  });

  it('"If a given name … refers to a non-directory in either, then the lower object is hidden"', () => {
    const top = layer('top', { '/x': 'file' });
    const bottom = layer('bottom', { '/x/inside': 'hidden' });
    const { o } = mount([top, bottom]);
    expect(o.resolve('/x').ok && o.resolve('/x/inside').ok).toBe(false);
    const e = o.resolve('/x/inside');
    expect(!e.ok && e.errors[0]!.code).toBe('ENOTDIR');
  });

  it('readdir merges names, upper first, "entries that already exist are not re-added"', () => {
    const { o } = mount([layer('a', { '/d/1': '', '/d/2': '' }), layer('b', { '/d/2': '', '/d/3': '' })]);
    o.writeFile('/d/0', 'new', false);
    expect(names(o, '/d')).toEqual(['0', '1', '2', '3']);
  });
});

describe('Non-directories: copy_up', () => {
  it('writing a lower file copies it up with its owner and mode, parents first; the lower is untouched', () => {
    const base = layer('base', { '/etc/motd': 'hello' });
    const { o, upper } = mount([base]);
    expect(o.writeFile('/etc/motd', 'changed', false).ok).toBe(true);
    const ev = o.takeEvents();
    expect(ev.filter((e) => e.kind === 'copy-up').map((e) => e.path)).toEqual(['/etc', '/etc/motd']);
    const up = upper.lookup('/etc/motd');
    expect(up.ok && { data: up.value.data, uid: up.value.uid, gid: up.value.gid, mode: up.value.mode }).toEqual({ data: 'changed', uid: 7, gid: 8, mode: 0o640 });
    expect(base.lookup('/etc/motd').ok && (base.lookup('/etc/motd') as { value: { data: string } }).value.data).toBe('hello');
    // Later writes go straight to the upper copy: no second copy-up.
    o.writeFile('/etc/motd', '!', true);
    expect(o.takeEvents().some((e) => e.kind === 'copy-up')).toBe(false);
  });

  it('chmod/chown (a metadata change) also copies up', () => {
    const { o, upper } = mount([layer('base', { '/bin/sh': 'elf' })]);
    o.setattr('/bin/sh', { mode: 0o700 });
    expect(upper.lookup('/bin/sh').ok).toBe(true);
  });

  it('a read-only overlay (no upperdir) refuses writes with EROFS; a read-only filesystem does too', () => {
    const { o } = mount([layer('base', { '/f': '' })], { noUpper: true });
    for (const r of [o.writeFile('/f', 'x', false), o.mkdir('/d'), o.remove('/f', false), o.rename('/f', '/g')]) expect(!r.ok && r.errors[0]!.code).toBe('EROFS');
    const ro = new Filesystem('ro', { readOnly: true });
    expect(!ro.mkdir('/x').ok).toBe(true);
  });
});

describe('whiteouts and opaque directories', () => {
  it('removing a lower file leaves "a character device with 0/0 device number" in upper', () => {
    const { o, upper } = mount([layer('base', { '/bin/sh': 'elf', '/bin/ls': 'elf' })]);
    expect(o.remove('/bin/sh', false).ok).toBe(true);
    const wh = upper.lookup('/bin/sh');
    expect(wh.ok && isWhiteout(wh.value) && wh.value.rdev).toEqual([0, 0]);
    expect(names(o, '/bin')).toEqual(['ls']);
    expect(o.resolve('/bin/sh').ok).toBe(false);
  });

  it('removing a file that exists only in upper leaves no whiteout', () => {
    const { o, upper } = mount([layer('base', {}, ['/tmp'])]);
    o.writeFile('/tmp/x', '1', false);
    o.remove('/tmp/x', false);
    expect(upper.lookup('/tmp/x').ok).toBe(false);
  });

  it('rmdir of a non-empty merged directory is ENOTEMPTY; after emptying it becomes a whiteout', () => {
    const { o, upper } = mount([layer('base', { '/var/cache/a': '' })]);
    const r = o.remove('/var/cache', true);
    expect(!r.ok && r.errors[0]!.code).toBe('ENOTEMPTY');
    o.remove('/var/cache/a', false);
    expect(o.remove('/var/cache', true).ok).toBe(true);
    const wh = upper.lookup('/var/cache');
    expect(wh.ok && isWhiteout(wh.value)).toBe(true);
  });

  it('mkdir over a whited-out directory creates an opaque directory: the old lower contents stay hidden', () => {
    const { o, upper } = mount([layer('base', { '/data/old': 'x' })]);
    o.remove('/data/old', false);
    o.remove('/data', true);
    expect(o.mkdir('/data').ok).toBe(true);
    const d = upper.lookup('/data');
    expect(d.ok && isOpaque(d.value)).toBe(true);
    expect(names(o, '/data')).toEqual([]);
    expect(o.takeEvents().some((e) => e.kind === 'opaque')).toBe(true);
  });

  it('an opaque directory in a lower layer hides the same directory below it', () => {
    const mid = layer('mid', { '/opt/new': '' });
    mid.lookup('/opt').ok && (mid.lookup('/opt') as { value: { xattrs: Map<string, string> } }).value.xattrs.set('trusted.overlay.opaque', 'y');
    const { o } = mount([mid, layer('base', { '/opt/old': '' })]);
    expect(names(o, '/opt')).toEqual(['new']);
  });

  it('a whiteout in a lower layer (as image layers carry them) hides the name in layers below', () => {
    const top = new Filesystem('top');
    top.create('/gone', 'chardev', { rdev: [0, 0] });
    const { o } = mount([top, layer('base', { '/gone': 'x', '/kept': 'y' })]);
    expect(names(o, '/')).toEqual(['kept']);
  });
});

describe('renaming directories', () => {
  it('"return EXDEV error … This is the default behavior" for a lower directory', () => {
    const { o } = mount([layer('base', { '/app/a': '1' })]);
    const r = o.rename('/app', '/srv');
    expect(!r.ok && r.errors[0]!.code).toBe('EXDEV');
  });

  it('a directory created in upper renames normally; files rename with copy-up + whiteout', () => {
    const { o, upper } = mount([layer('base', { '/etc/a': '1' })]);
    o.mkdir('/new');
    expect(o.rename('/new', '/newer').ok).toBe(true);
    expect(o.rename('/etc/a', '/etc/b').ok).toBe(true);
    expect(names(o, '/etc')).toEqual(['b']);
    const wh = upper.lookup('/etc/a');
    expect(wh.ok && isWhiteout(wh.value)).toBe(true);
  });

  it('with redirect_dir=on the directory is copied up without contents and gets trusted.overlay.redirect', () => {
    const { o, upper } = mount([layer('base', { '/app/a': '1', '/app/b': '2' })], { redirectDir: true });
    expect(o.rename('/app', '/srv').ok).toBe(true);
    const d = upper.lookup('/srv');
    expect(d.ok && d.value.xattrs.get(OVL_XATTR_REDIRECT)).toBe('/app');
    expect(d.ok && d.value.children!.size).toBe(0);
    expect(names(o, '/srv')).toEqual(['a', 'b']);
    expect(o.resolve('/app').ok).toBe(false);
  });
});

describe('runOverlay (the widget)', () => {
  it('tells the default story with copy-up, whiteout, opaque and EXDEV events', () => {
    const r = runOverlay(DEFAULT_OVERLAY_LAYERS, DEFAULT_OVERLAY_OPS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const kinds = r.value.steps.map((s) => [...new Set(s.events.map((e) => e.kind))]);
    expect(r.value.steps[0]!.output).toBe('Welcome to app');
    expect(kinds[1]).toContain('copy-up');
    expect(kinds[2]).toContain('whiteout');
    expect(kinds[5]).toContain('opaque');
    expect(kinds[6]).toContain('exdev');
    const last = r.value.steps.at(-1)!.after;
    expect(last.merged.find((m) => m.path === '/etc/motd')).toMatchObject({ data: 'hi\n', from: 'upper' });
    expect(last.merged.some((m) => m.path === '/bin/sh')).toBe(false);
    expect(last.layers.find((l) => l.name === 'base')!.entries.some((e) => e.path === '/bin/sh')).toBe(true);
    expect(last.layers.find((l) => l.role === 'work')!.entries.map((e) => e.path)).toEqual(['/work']);
  });

  it('reports errors of commands as step results, and input mistakes with line/column', () => {
    const r = runOverlay(DEFAULT_OVERLAY_LAYERS, 'rm /etc\nrmdir /nope\n');
    expect(r.ok && r.value.steps.map((s) => s.error?.code)).toEqual(['EISDIR', 'ENOENT']);
    const bad = runOverlay(DEFAULT_OVERLAY_LAYERS, 'echo hi > /x\nfrobnicate /x\n');
    expect(!bad.ok && bad.errors[0]).toMatchObject({ code: 'UNKNOWN_COMMAND', line: 2, column: 1 });
    const badMount = runOverlay('layer a\nmount -t overlay overlay -o lowerdir=a:zz,upperdir=u,workdir=w /m\n', 'ls /');
    expect(!badMount.ok && badMount.errors[0]).toMatchObject({ code: 'UNKNOWN_LAYER', line: 2, column: 29 });
    const noWork = runOverlay('layer a\nlayer u\nmount -t overlay overlay -o lowerdir=a,upperdir=u /m\n', 'ls /');
    expect(!noWork.ok && noWork.errors[0]!.code).toBe('MISSING_ARGUMENT');
    const badEntry = runOverlay('layer a\nfile etc/x "y"\nmount -t overlay overlay -o lowerdir=a /m\n', 'ls /');
    expect(!badEntry.ok && badEntry.errors[0]).toMatchObject({ code: 'BAD_VALUE', line: 2, column: 6 });
  });

  it('an overlay without upperdir is read-only: writes fail with EROFS', () => {
    const r = runOverlay('layer a\nfile /f "x"\nmount -t overlay overlay -o lowerdir=a /m\n', 'echo y > /f\ncat /f\n');
    expect(r.ok && r.value.mount.readOnly).toBe(true);
    expect(r.ok && r.value.steps.map((s) => s.error?.code ?? s.output)).toEqual(['EROFS', 'x']);
  });
});
