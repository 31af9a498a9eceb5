/**
 * A simulated OCI distribution registry serving the images of `catalog.ts`:
 * for each tag an image index (linux/amd64, linux/arm64) → per-platform
 * manifest → config + gzip layers, all as exact JSON/tar+gzip bytes addressed
 * by their sha256. Built once, deterministically (no seed: digests are facts
 * about content, and the textbook prints them).
 * Upstream: opencontainers/distribution-spec v1.1 `spec.md` (GET
 * /v2/<name>/manifests/<reference>, GET /v2/<name>/blobs/<digest>);
 * image-spec v1.1.1 `image-index.md`, `manifest.md`, `config.md`.
 */
import { digestOf } from './digest.ts';
import { gzipStored } from './gzip.ts';
import { ARCHES, CATALOG, layerEntries, type Arch } from './catalog.ts';
import { writeTar } from './tar.ts';
import {
  MediaTypeImageConfig, MediaTypeImageIndex, MediaTypeImageLayerGzip, MediaTypeImageManifest,
  type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest,
} from './media-types.ts';
import { utf8Bytes } from '../../core/sha256.ts';

export class Registry {
  readonly blobs = new Map<string, Uint8Array>();
  /** repository (`docker.io/library/nginx`) → tag → index descriptor. */
  readonly tags = new Map<string, Map<string, Descriptor>>();

  put(mediaType: string, bytes: Uint8Array): Descriptor {
    const digest = digestOf(bytes);
    this.blobs.set(digest, bytes);
    return { mediaType, digest, size: bytes.length };
  }

  putJson(mediaType: string, value: unknown): Descriptor {
    return this.put(mediaType, utf8Bytes(JSON.stringify(value)));
  }

  /** GET /v2/<name>/manifests/<tag>: the descriptor the tag points at, or undefined (404 MANIFEST_UNKNOWN). */
  resolve(repository: string, tagOrDigest: string): Descriptor | undefined {
    if (tagOrDigest.startsWith('sha256:')) {
      const bytes = this.blobs.get(tagOrDigest);
      if (!bytes) return undefined;
      const mt = (JSON.parse(new TextDecoderLite().decode(bytes)) as { mediaType?: string }).mediaType ?? MediaTypeImageManifest;
      return { mediaType: mt, digest: tagOrDigest, size: bytes.length };
    }
    return this.tags.get(repository)?.get(tagOrDigest);
  }

  /** GET /v2/<name>/blobs/<digest>. */
  fetch(digest: string): Uint8Array | undefined {
    return this.blobs.get(digest);
  }
}

/** UTF-8 decoding without DOM/Node globals (TextDecoder is not in the ES lib). */
export class TextDecoderLite {
  decode(bytes: Uint8Array): string {
    let s = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b < 0x80) s += String.fromCharCode(b);
      else if (b < 0xe0) s += String.fromCharCode(((b & 0x1f) << 6) | (bytes[++i]! & 0x3f));
      else if (b < 0xf0) s += String.fromCharCode(((b & 0x0f) << 12) | ((bytes[++i]! & 0x3f) << 6) | (bytes[++i]! & 0x3f));
      else {
        const cp = ((b & 0x07) << 18) | ((bytes[++i]! & 0x3f) << 12) | ((bytes[++i]! & 0x3f) << 6) | (bytes[++i]! & 0x3f);
        s += String.fromCodePoint(cp);
      }
    }
    return s;
  }
}

export function decodeJson<T>(bytes: Uint8Array): T {
  return JSON.parse(new TextDecoderLite().decode(bytes)) as T;
}

function buildRegistry(): Registry {
  const reg = new Registry();
  for (const img of CATALOG) {
    const manifests: Descriptor[] = [];
    for (const arch of ARCHES as Arch[]) {
      const layers: Descriptor[] = [];
      const diffIds: string[] = [];
      for (const layer of img.layers) {
        const tar = writeTar(layerEntries(layer, arch));
        diffIds.push(digestOf(tar));
        layers.push(reg.put(MediaTypeImageLayerGzip, gzipStored(tar)));
      }
      const config: ImageConfig = {
        created: img.created,
        architecture: arch,
        os: 'linux',
        ...(arch === 'arm64' ? { variant: 'v8' } : {}),
        config: img.config,
        rootfs: { type: 'layers', diff_ids: diffIds },
        history: img.layers.map((l) => ({ created: img.created, created_by: l.createdBy })),
      };
      const configDesc = reg.putJson(MediaTypeImageConfig, config);
      const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaTypeImageManifest, config: configDesc, layers };
      const m = reg.putJson(MediaTypeImageManifest, manifest);
      manifests.push({ ...m, platform: { architecture: arch, os: 'linux', ...(arch === 'arm64' ? { variant: 'v8' } : {}) } });
    }
    const index: ImageIndex = { schemaVersion: 2, mediaType: MediaTypeImageIndex, manifests };
    const indexDesc = reg.putJson(MediaTypeImageIndex, index);
    const tags = new Map<string, Descriptor>();
    for (const t of img.tags) tags.set(t, indexDesc);
    reg.tags.set(img.repository, tags);
  }
  return reg;
}

let cached: Registry | undefined;

/** The shared, immutable simulated registry (built on first use, ~150 KB of blobs). */
export function defaultRegistry(): Registry {
  cached ??= buildRegistry();
  return cached;
}
