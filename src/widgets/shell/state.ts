/**
 * What a runnable snippet remembers and shares: the text of each of its files
 * and the sim seed. Pure functions, tested in state.test.ts.
 *
 *  - localStorage key: `k8sbook:v1:<page path>:<widget id>` → JSON SnippetState.
 *  - permalink fragment: `#sim=<widget id>~<payload>`, payload = base64url of
 *    raw-deflated JSON {v:1, f:{fileId: text}, s: seed}. Decoding is bounded
 *    (compressed ≤ 32 KiB, inflated ≤ 256 KiB) and only ever yields strings
 *    for known file ids and an integer seed: nothing in a link is executed.
 */
import { deflateSync, Inflate, strToU8, strFromU8 } from 'fflate';

export interface SnippetState {
  files: Record<string, string>;
  seed: number;
}

export const PERMALINK_PREFIX = '#sim=';
export const MAX_LINK_COMPRESSED = 32 * 1024;
export const MAX_LINK_INFLATED = 256 * 1024;

export function storageKey(pagePath: string, widgetId: string): string {
  const page = pagePath.replace(/\/+$/, '') || '/';
  return `k8sbook:v1:${page}:${widgetId}`;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]!);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export function encodePermalink(widgetId: string, state: SnippetState): string {
  const json = JSON.stringify({ v: 1, f: state.files, s: state.seed });
  return `${PERMALINK_PREFIX}${encodeURIComponent(widgetId)}~${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

function inflateBounded(data: Uint8Array, limit: number): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooBig = false;
  const inf = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limit) tooBig = true;
    else chunks.push(chunk);
  });
  try {
    inf.push(data, true);
  } catch {
    return null;
  }
  if (tooBig) return null;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export type DecodedLink = { widgetId: string; state: SnippetState } | { widgetId: string; error: string } | null;

/**
 * Reads a permalink fragment. Returns null when the hash is not a permalink,
 * `{error}` when it is one but cannot be read, else the state restricted to
 * `knownFiles` (unknown ids are dropped, missing ones are left to defaults).
 */
export function decodePermalink(hash: string, knownFiles?: readonly string[]): DecodedLink {
  if (!hash.startsWith(PERMALINK_PREFIX)) return null;
  const rest = hash.slice(PERMALINK_PREFIX.length);
  const sep = rest.indexOf('~');
  if (sep < 0) return null;
  let widgetId: string;
  try {
    widgetId = decodeURIComponent(rest.slice(0, sep));
  } catch {
    return null;
  }
  const payload = rest.slice(sep + 1);
  if (payload.length > (MAX_LINK_COMPRESSED * 4) / 3 + 4) return { widgetId, error: 'link too long' };
  const bytes = fromBase64Url(payload);
  if (!bytes) return { widgetId, error: 'not base64url' };
  const raw = inflateBounded(bytes, MAX_LINK_INFLATED);
  if (!raw) return { widgetId, error: 'cannot inflate' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(strFromU8(raw));
  } catch {
    return { widgetId, error: 'not JSON' };
  }
  if (!parsed || typeof parsed !== 'object') return { widgetId, error: 'bad shape' };
  const { v, f, s } = parsed as { v?: unknown; f?: unknown; s?: unknown };
  if (v !== 1 || !f || typeof f !== 'object') return { widgetId, error: 'bad shape' };
  const files: Record<string, string> = {};
  for (const [k, text] of Object.entries(f as Record<string, unknown>)) {
    if (typeof text !== 'string') continue;
    if (knownFiles && !knownFiles.includes(k)) continue;
    files[k] = text;
  }
  const seed = typeof s === 'number' && Number.isSafeInteger(s) ? s : 1;
  return { widgetId, state: { files, seed } };
}

/** Parses what localStorage holds; anything malformed is ignored (null). */
export function parseStored(raw: string | null, knownFiles: readonly string[]): SnippetState | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { files?: unknown; seed?: unknown };
    if (!v || typeof v !== 'object' || !v.files || typeof v.files !== 'object') return null;
    const files: Record<string, string> = {};
    for (const k of knownFiles) {
      const t = (v.files as Record<string, unknown>)[k];
      if (typeof t === 'string') files[k] = t;
    }
    const seed = typeof v.seed === 'number' && Number.isSafeInteger(v.seed) ? v.seed : 1;
    return { files, seed };
  } catch {
    return null;
  }
}

export function sameState(a: SnippetState, b: SnippetState): boolean {
  if (a.seed !== b.seed) return false;
  const keys = new Set([...Object.keys(a.files), ...Object.keys(b.files)]);
  for (const k of keys) if (a.files[k] !== b.files[k]) return false;
  return true;
}
