/**
 * containerd's content store: blobs keyed by digest, written only after the
 * bytes are checked against the descriptor (size and sha256), as
 * `content.Writer.Commit(size, expected)` does ("unexpected commit digest").
 * On disk: /var/lib/containerd/io.containerd.content.v1.content/blobs/sha256/<hex>.
 * Upstream: containerd v2.1 core/content/content.go, plugins/content/local/store.go.
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';
import { digestOf } from './digest.ts';
import type { Descriptor } from './media-types.ts';

export const CONTENT_ROOT = '/var/lib/containerd/io.containerd.content.v1.content';

export class ContentStore {
  #blobs = new Map<string, Uint8Array>();

  has(digest: string): boolean {
    return this.#blobs.has(digest);
  }

  get(digest: string): Uint8Array | undefined {
    return this.#blobs.get(digest);
  }

  /** Verifies and stores; rejects bytes whose size or digest differ from the descriptor. */
  commit(desc: Descriptor, bytes: Uint8Array): Result<void> {
    if (bytes.length !== desc.size) return fail(simError('FAILED_PRECONDITION', `unexpected commit size ${bytes.length}, expected ${desc.size}`));
    const actual = digestOf(bytes);
    if (actual !== desc.digest) return fail(simError('FAILED_PRECONDITION', `unexpected commit digest ${actual}, expected ${desc.digest}`));
    this.#blobs.set(desc.digest, bytes);
    return ok(undefined);
  }

  pathOf(digest: string): string {
    return `${CONTENT_ROOT}/blobs/sha256/${digest.replace(/^sha256:/, '')}`;
  }

  digests(): string[] {
    return [...this.#blobs.keys()].sort();
  }

  totalBytes(): number {
    let n = 0;
    for (const b of this.#blobs.values()) n += b.length;
    return n;
  }
}
