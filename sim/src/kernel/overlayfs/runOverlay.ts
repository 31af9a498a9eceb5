/**
 * Widget runner: the OverlayFS explorer (chapter: Layer 1, file systems /
 * OverlayFS; Layer 2, container images). Shows every layer and the merged
 * view after each command, with copy-up, whiteout, opaque and redirect
 * events marked.
 */
import { ok, type Result } from '../../core/result.ts';
import type { Filesystem } from '../vfs/filesystem.ts';
import { formatMode, type FileKind } from '../vfs/inode.ts';
import { isOpaque, isWhiteout, OVL_XATTR_REDIRECT } from './lookup.ts';
import { parseOps } from './opsText.ts';
import type { OverlayFs, OvlEvent } from './overlay.ts';
import { parseLayers, type MountInfo } from './layersText.ts';
import { runShell } from './shell.ts';
import { overlayShellFs } from './shellFs.ts';

export interface LayerEntryView {
  path: string;
  kind: FileKind | 'whiteout';
  /** `ls -l` style, e.g. `-rw-r--r--`; whiteouts show `c---------`. */
  mode: string;
  uid: number;
  gid: number;
  data?: string;
  opaque?: boolean;
  redirect?: string;
}

export interface LayerView {
  name: string;
  role: 'lower' | 'upper' | 'work' | 'unused';
  /** For lowers: 0 = top (leftmost in lowerdir=). */
  lowerIndex?: number;
  entries: LayerEntryView[];
}

export interface MergedEntryView {
  path: string;
  kind: FileKind;
  mode: string;
  uid: number;
  gid: number;
  data?: string;
  /** The layer the visible object comes from. */
  from: string;
}

export interface OverlaySnapshot {
  layers: LayerView[];
  merged: MergedEntryView[];
}

export interface OverlayStepView {
  line: number;
  command: string;
  ok: boolean;
  error?: { code: string; message: string };
  output?: string;
  events: OvlEvent[];
  after: OverlaySnapshot;
}

export interface OverlayView {
  mount: MountInfo & { readOnly: boolean };
  initial: OverlaySnapshot;
  steps: OverlayStepView[];
}

export const DEFAULT_OVERLAY_LAYERS = `# コンテナイメージの 2 つのレイヤー（下が base、上が app）
layer base
dir  /bin
file /bin/sh mode=0755 "ELF shell"
file /etc/motd "Welcome to base"
file /etc/os-release "ID=debian"
file /var/cache/apt/pkgcache.bin "apt cache"
file /var/cache/apt/srcpkgcache.bin "apt source cache"
layer app
file /app/server.js uid=1000 gid=1000 "console.log('hi')"
file /etc/motd "Welcome to app"
# コンテナごとの書き込み層と作業用ディレクトリ
layer upper
layer work
# lowerdir は左が上：app が base の上に重なる
mount -t overlay overlay -o lowerdir=app:base,upperdir=upper,workdir=work /merged
`;

export const DEFAULT_OVERLAY_OPS = `cat /etc/motd
echo hi > /etc/motd
rm /bin/sh
mkdir /data
rm -r /var/cache
mkdir /var/cache
mv /app /srv
`;

export const DEFAULT_OVERLAY_LAYERS_EN = DEFAULT_OVERLAY_LAYERS
  .replace('# コンテナイメージの 2 つのレイヤー（下が base、上が app）', '# Two layers of a container image (base below, app above)')
  .replace('# コンテナごとの書き込み層と作業用ディレクトリ', '# The per-container writable layer and its work directory')
  .replace('# lowerdir は左が上：app が base の上に重なる', '# lowerdir lists the top layer first: app lies over base');

function layerView(fs: Filesystem, role: LayerView['role'], lowerIndex?: number): LayerView {
  const entries = fs.walk().map(({ path, inode }): LayerEntryView => {
    const wh = isWhiteout(inode);
    const e: LayerEntryView = { path, kind: wh ? 'whiteout' : inode.kind, mode: formatMode(inode.kind, inode.mode), uid: inode.uid, gid: inode.gid };
    if (inode.kind === 'file' || inode.kind === 'symlink') e.data = inode.data;
    if (isOpaque(inode)) e.opaque = true;
    const r = inode.xattrs.get(OVL_XATTR_REDIRECT);
    if (r !== undefined) e.redirect = r;
    return e;
  });
  return lowerIndex === undefined ? { name: fs.name, role, entries } : { name: fs.name, role, lowerIndex, entries };
}

function snapshot(layers: Map<string, Filesystem>, o: OverlayFs): OverlaySnapshot {
  const views: LayerView[] = [];
  o.lowers.forEach((l, i) => views.push(layerView(l, 'lower', i)));
  if (o.upper) views.push(layerView(o.upper, 'upper'));
  if (o.work) views.push(layerView(o.work, 'work'));
  for (const fs of layers.values()) if (!o.lowers.includes(fs) && fs !== o.upper && fs !== o.work) views.push(layerView(fs, 'unused'));
  const merged = o.merged().map(({ path, inode, layer }): MergedEntryView => {
    const m: MergedEntryView = { path, kind: inode.kind, mode: formatMode(inode.kind, inode.mode), uid: inode.uid, gid: inode.gid, from: layer };
    if (inode.kind === 'file' || inode.kind === 'symlink') m.data = inode.data;
    return m;
  });
  return { layers: views, merged };
}

/** Runs `opsText` in the overlay described by `layersText`. */
export function runOverlay(layersText: string, opsText: string): Result<OverlayView> {
  const setup = parseLayers(layersText);
  if (!setup.ok) return setup;
  const ops = parseOps(opsText);
  if (!ops.ok) return { ok: false, errors: ops.errors.map((e) => ({ ...e, path: 'ops' })) };
  const { layers, overlay, mount } = setup.value;
  const fs = overlayShellFs(overlay);
  const initial = snapshot(layers, overlay);
  overlay.takeEvents();
  const steps: OverlayStepView[] = ops.value.map((op) => {
    const r = runShell(fs, op.command);
    const step: OverlayStepView = { line: op.line, command: op.text, ok: r.ok, events: overlay.takeEvents(), after: snapshot(layers, overlay) };
    if (r.error) step.error = r.error;
    if (r.output !== undefined) step.output = r.output;
    return step;
  });
  return ok({ mount: { ...mount, readOnly: overlay.readOnly }, initial, steps });
}
