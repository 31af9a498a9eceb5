/**
 * Widget runner: pull images into one node's content store and see what is
 * downloaded and what is reused. Backs Layer 2 "Images" (イメージ).
 *
 * Input, one command per line (`#` starts a comment):
 *   platform linux/arm64     the node's platform (default linux/amd64; only at the top)
 *   pull <reference>         e.g. `pull nginx:1.27`, `pull redis:7`, `pull registry.k8s.io/pause:3.10.1`
 * Available: docker.io/library/{debian:bookworm-slim, nginx:1.27, redis:7},
 * registry.k8s.io/pause:3.10.1 — each for linux/amd64 and linux/arm64.
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { Prng } from '../../core/prng.ts';
import { ImageService, type BlobReport, type LayerReport } from '../images/image-service.ts';
import { OverlaySnapshotter, mountCommand } from '../snapshotter/overlay.ts';

export const DEFAULT_IMAGE_PULL = `# 同じ Debian ベースの上に作られた 2 つのイメージを順に pull する
pull nginx:1.27
pull redis:7
# もう一度 pull しても何もダウンロードされない
pull nginx:1.27
`;

export const IMAGE_PULL_LIMITS = { lines: 50, pulls: 12 } as const;

export interface ImagePullStep {
  line: number;
  ref: string;
  platform: string;
  indexDigest?: string;
  manifestDigest: string;
  imageId: string;
  blobs: BlobReport[];
  layers: LayerReport[];
  downloadedBytes: number;
  reusedBytes: number;
  /** The overlay mount a container of this image would get (snapshot `Prepare` on the top chain ID). */
  containerMount: string;
}

export interface ImagePullView {
  pulls: ImagePullStep[];
  totals: { downloadedBytes: number; reusedBytes: number; contentStoreBytes: number; blobs: number; snapshots: number };
}

export function runImagePull(text: string, options: { seed: number }): Result<ImagePullView> {
  const lines = text.split('\n');
  if (lines.length > IMAGE_PULL_LIMITS.lines) return fail(simError('LIMIT_EXCEEDED', `at most ${IMAGE_PULL_LIMITS.lines} lines`, { line: IMAGE_PULL_LIMITS.lines + 1, column: 1 }));
  const errors: SimError[] = [];
  let platform = { os: 'linux', architecture: 'amd64' };
  const pulls: { line: number; ref: string; col: number }[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const col = raw.indexOf(line) + 1;
    const [cmd, arg, extra] = line.split(/\s+/);
    if (cmd === 'platform') {
      const m = /^linux\/(amd64|arm64)$/.exec(arg ?? '');
      if (!m || extra) errors.push(simError('PLATFORM_INVALID', 'platform must be linux/amd64 or linux/arm64', { line: i + 1, column: col }));
      else if (pulls.length) errors.push(simError('PLATFORM_INVALID', 'platform must come before the first pull', { line: i + 1, column: col }));
      else platform = { os: 'linux', architecture: m[1]! };
    } else if (cmd === 'pull') {
      if (!arg || extra) errors.push(simError('SYNTAX', 'usage: pull <image reference>', { line: i + 1, column: col }));
      else pulls.push({ line: i + 1, ref: arg, col: col + raw.slice(col - 1).indexOf(arg) });
    } else errors.push(simError('SYNTAX', `unknown command "${cmd}" (expected pull or platform)`, { line: i + 1, column: col }));
  });
  if (pulls.length > IMAGE_PULL_LIMITS.pulls) errors.push(simError('LIMIT_EXCEEDED', `at most ${IMAGE_PULL_LIMITS.pulls} pulls`, { line: pulls[IMAGE_PULL_LIMITS.pulls]!.line, column: 1 }));
  if (errors.length) return fail(errors);
  const snap = new OverlaySnapshotter();
  const svc = new ImageService(snap, platform);
  const prng = new Prng(options.seed);
  const out: ImagePullStep[] = [];
  for (const p of pulls) {
    const r = svc.pull(p.ref, prng);
    if (!r.ok) return fail(r.errors.map((e) => ({ ...e, line: p.line, column: p.col })));
    const v = r.value;
    const preview = snap.prepare(`preview-${out.length}`, v.topChainId);
    const mount = preview.ok ? mountCommand(preview.value[0]!, '/run/containerd/io.containerd.runtime.v2.task/k8s.io/<id>/rootfs') : '';
    snap.remove(`preview-${out.length}`);
    out.push({
      line: p.line, ref: v.ref, platform: v.platform, indexDigest: v.indexDigest, manifestDigest: v.manifestDigest, imageId: v.configDigest,
      blobs: v.blobs, layers: v.layers, downloadedBytes: v.downloadedBytes, reusedBytes: v.reusedBytes, containerMount: mount,
    });
  }
  return ok({
    pulls: out,
    totals: {
      downloadedBytes: out.reduce((n, p) => n + p.downloadedBytes, 0),
      reusedBytes: out.reduce((n, p) => n + p.reusedBytes, 0),
      contentStoreBytes: svc.content.totalBytes(),
      blobs: svc.content.digests().length,
      snapshots: snap.walk().length,
    },
  });
}
