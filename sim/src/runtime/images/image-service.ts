/**
 * containerd's image pull and unpack, as the CRI `PullImage` drives it:
 *  1. resolve the reference to a descriptor (HEAD /v2/<name>/manifests/<tag>);
 *  2. fetch the index, pick the manifest for this node's platform;
 *  3. fetch the manifest, then its config and layers — any blob already in
 *     the content store is skipped ("exists"): this is why two images built
 *     on the same base download that base only once;
 *  4. unpack: for each layer compute the chain ID; if a committed snapshot
 *     with that name exists, skip it; else Prepare(`extract-<unique> <chainID>`,
 *     parent chain ID), apply the uncompressed tar (checking its digest against
 *     the config's diff_id), Commit(chainID);
 *  5. record the image (name → index descriptor); CRI's image id is the config digest.
 * Upstream: containerd v2.1 client/pull.go, core/remotes/handlers.go
 * (FetchHandler, skip on content exists), core/images/handlers.go
 * (ChildrenHandler, LimitManifests/platform filter), core/unpack/unpacker.go
 * (chain IDs, "extract-%s %s" keys), core/diff/apply (diff_id check),
 * internal/cri/server/images/image_pull.go.
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';
import type { Prng } from '../../core/prng.ts';
import { ContentStore } from './content-store.ts';
import { chainIds, digestOf } from './digest.ts';
import { gunzipStored } from './gzip.ts';
import { parseReference } from './reference.ts';
import { decodeJson, defaultRegistry, type Registry } from './registry.ts';
import { readTar } from './tar.ts';
import { MediaTypeImageIndex, type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest, type Platform } from './media-types.ts';
import { OverlaySnapshotter } from '../snapshotter/overlay.ts';

export interface BlobReport {
  kind: 'index' | 'manifest' | 'config' | 'layer';
  digest: string;
  mediaType: string;
  size: number;
  /** `downloaded` from the registry, or `exists` already in the content store. */
  status: 'downloaded' | 'exists';
}

export interface LayerReport {
  digest: string;
  diffId: string;
  chainId: string;
  size: number;
  download: 'downloaded' | 'exists';
  /** `unpacked` into a new snapshot, or `exists` (a snapshot with this chain ID was already committed). */
  unpack: 'unpacked' | 'exists';
  snapshotId: number;
}

export interface PullReport {
  ref: string;
  platform: string;
  indexDigest?: string;
  manifestDigest: string;
  /** The image id as `crictl images` shows it: the config digest. */
  configDigest: string;
  blobs: BlobReport[];
  layers: LayerReport[];
  downloadedBytes: number;
  reusedBytes: number;
  /** Chain ID of the top layer: the parent of every container snapshot of this image. */
  topChainId: string;
}

export interface ImageRecord {
  name: string;
  target: Descriptor;
  manifestDigest: string;
  configDigest: string;
  config: ImageConfig;
  chainIds: string[];
  sizeBytes: number;
}

export class ImageService {
  readonly content = new ContentStore();
  readonly images = new Map<string, ImageRecord>();

  readonly snapshotter: OverlaySnapshotter;
  readonly platform: Platform;
  readonly registry: Registry;

  constructor(snapshotter: OverlaySnapshotter, platform: Platform = { architecture: 'amd64', os: 'linux' }, registry: Registry = defaultRegistry()) {
    this.snapshotter = snapshotter;
    this.platform = platform;
    this.registry = registry;
  }

  #fetch(desc: Descriptor, kind: BlobReport['kind'], blobs: BlobReport[]): Result<Uint8Array> {
    const have = this.content.get(desc.digest);
    if (have) {
      blobs.push({ kind, digest: desc.digest, mediaType: desc.mediaType, size: desc.size, status: 'exists' });
      return ok(have);
    }
    const bytes = this.registry.fetch(desc.digest);
    if (!bytes) return fail(simError('NOT_FOUND', `failed to fetch ${desc.digest}: blob unknown to registry`));
    const c = this.content.commit(desc, bytes);
    if (!c.ok) return c;
    blobs.push({ kind, digest: desc.digest, mediaType: desc.mediaType, size: desc.size, status: 'downloaded' });
    return ok(bytes);
  }

  pull(refText: string, prng: Prng): Result<PullReport> {
    const ref = parseReference(refText);
    if (!ref.ok) return ref;
    const repo = `${ref.value.domain}/${ref.value.path}`;
    const root = this.registry.resolve(repo, ref.value.digest ?? ref.value.tag!);
    if (!root) return fail(simError('NOT_FOUND', `failed to resolve reference "${ref.value.full}": ${ref.value.full}: not found`));
    const blobs: BlobReport[] = [];
    let manifestDesc = root;
    let indexDigest: string | undefined;
    if (root.mediaType === MediaTypeImageIndex) {
      const idx = this.#fetch(root, 'index', blobs);
      if (!idx.ok) return idx;
      indexDigest = root.digest;
      const index = decodeJson<ImageIndex>(idx.value);
      const match = index.manifests.find((m) => m.platform?.os === this.platform.os && m.platform.architecture === this.platform.architecture);
      if (!match) return fail(simError('NOT_FOUND', `no match for platform in manifest: not found (${this.platform.os}/${this.platform.architecture})`));
      manifestDesc = match;
    }
    const mb = this.#fetch(manifestDesc, 'manifest', blobs);
    if (!mb.ok) return mb;
    const manifest = decodeJson<ImageManifest>(mb.value);
    const cb = this.#fetch(manifest.config, 'config', blobs);
    if (!cb.ok) return cb;
    const config = decodeJson<ImageConfig>(cb.value);
    const layerBytes: Uint8Array[] = [];
    for (const l of manifest.layers) {
      const lb = this.#fetch(l, 'layer', blobs);
      if (!lb.ok) return lb;
      layerBytes.push(lb.value);
    }
    // Unpack into snapshots named by chain ID.
    const diffIds = config.rootfs.diff_ids;
    const chains = chainIds(diffIds);
    const layers: LayerReport[] = [];
    for (let i = 0; i < manifest.layers.length; i++) {
      const l = manifest.layers[i]!;
      const chainId = chains[i]!;
      const download = blobs.find((b) => b.digest === l.digest && b.kind === 'layer')!.status;
      const existing = this.snapshotter.stat(chainId);
      if (existing) {
        layers.push({ digest: l.digest, diffId: diffIds[i]!, chainId, size: l.size, download, unpack: 'exists', snapshotId: existing.id });
        continue;
      }
      const tar = gunzipStored(layerBytes[i]!);
      if (!tar) return fail(simError('FAILED_PRECONDITION', `layer ${l.digest}: not a gzip stream`));
      if (digestOf(tar) !== diffIds[i]) return fail(simError('FAILED_PRECONDITION', `wrong diff id calculated on extraction "${digestOf(tar)}", expected "${diffIds[i]}"`));
      const key = `extract-${prng.nextUint32().toString(16).padStart(8, '0')} ${chainId}`;
      const prep = this.snapshotter.prepare(key, i === 0 ? undefined : chains[i - 1]);
      if (!prep.ok) return prep;
      for (const e of readTar(tar)) {
        const path = '/' + e.path;
        const base = path.split('/').pop()!;
        if (base === '.wh..wh..opq') this.snapshotter.write(key, path.slice(0, -'/.wh..wh..opq'.length), { type: 'opaque-dir', size: 0 });
        else if (base.startsWith('.wh.')) this.snapshotter.write(key, path.replace(/\.wh\.([^/]+)$/, '$1'), { type: 'whiteout', size: 0 });
        else this.snapshotter.write(key, path, { type: e.type, size: e.content?.length ?? 0, linkTarget: e.linkTarget });
      }
      const committed = this.snapshotter.commit(chainId, key, { 'containerd.io/snapshot.ref': chainId });
      if (!committed.ok) return committed;
      layers.push({ digest: l.digest, diffId: diffIds[i]!, chainId, size: l.size, download, unpack: 'unpacked', snapshotId: committed.value.id });
    }
    const name = ref.value.full;
    const sizeBytes = manifest.layers.reduce((n, l) => n + l.size, 0) + manifest.config.size;
    this.images.set(name, { name, target: root, manifestDigest: manifestDesc.digest, configDigest: manifest.config.digest, config, chainIds: chains, sizeBytes });
    const downloadedBytes = blobs.filter((b) => b.status === 'downloaded').reduce((n, b) => n + b.size, 0);
    const reusedBytes = blobs.filter((b) => b.status === 'exists').reduce((n, b) => n + b.size, 0);
    return ok({
      ref: name, platform: `${this.platform.os}/${this.platform.architecture}`, indexDigest, manifestDigest: manifestDesc.digest, configDigest: manifest.config.digest,
      blobs, layers, downloadedBytes, reusedBytes, topChainId: chains[chains.length - 1]!,
    });
  }

  /** Finds a pulled image by any accepted spelling (`nginx:1.27`, full name). */
  find(refText: string): ImageRecord | undefined {
    const ref = parseReference(refText);
    if (!ref.ok) return undefined;
    return this.images.get(ref.value.full);
  }
}
