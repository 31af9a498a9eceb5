/**
 * Content addressing: a digest names the exact bytes of a blob; a chain ID
 * names a stack of layers (what a snapshot of those layers holds).
 * Upstream: opencontainers/image-spec v1.1.1 `descriptor.md#digests`,
 * `config.md#layer-chainid` — ChainID(L₀) = DiffID(L₀);
 * ChainID(L₀…Lₙ) = Digest(ChainID(L₀…Lₙ₋₁) + " " + DiffID(Lₙ)).
 */
import { sha256Hex, utf8Bytes } from '../../core/sha256.ts';

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

export function digestOf(bytes: Uint8Array | string): string {
  return `sha256:${sha256Hex(typeof bytes === 'string' ? utf8Bytes(bytes) : bytes)}`;
}

/** Chain IDs for each prefix of `diffIds` (index i names layers 0..i). */
export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) out.push(out.length === 0 ? d : digestOf(`${out[out.length - 1]} ${d}`));
  return out;
}

/** `sha256:4f1c…` → `4f1c2d3e5a6b` (the 12-character form `crictl images` prints). */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
