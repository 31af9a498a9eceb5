/**
 * User-namespace id maps: /proc/<pid>/uid_map and gid_map, and translation of
 * kernel ids (kuid, the id in the initial namespace) to what a namespace sees.
 * Follows Linux v6.12 kernel/user_namespace.c (map_write, map_id_range_down,
 * from_kuid_munged) and user_namespaces(7):
 *  - each line is "ID-inside-ns ID-outside-ns length", the outside ids being
 *    ids of the parent user namespace;
 *  - at most UID_GID_MAP_MAX_EXTENTS (340) lines; ranges may not overlap on
 *    either side; the file can be written only once (EPERM afterwards);
 *  - an id with no mapping shows as the overflow id 65534 ("nobody").
 * Backs Layer 1 "Namespaces" (user).
 */
import type { UserNamespace } from './types.ts';

export interface IdExtent {
  /** First id inside the namespace. */
  first: number;
  /** First id in the parent namespace. */
  lowerFirst: number;
  count: number;
}

export const UID_GID_MAP_MAX_EXTENTS = 340;
/** /proc/sys/kernel/overflowuid default. */
export const OVERFLOW_ID = 65534;
const U32 = 2 ** 32;

export type MapParse = { ok: true; extents: IdExtent[] } | { ok: false; message: string; line: number };

/** Parses the text written to uid_map/gid_map (validation only; permission is checked by the caller). */
export function parseIdMap(text: string): MapParse {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return { ok: false, message: 'empty map (EINVAL)', line: 1 };
  if (lines.length > UID_GID_MAP_MAX_EXTENTS) return { ok: false, message: `more than ${UID_GID_MAP_MAX_EXTENTS} lines (EINVAL)`, line: UID_GID_MAP_MAX_EXTENTS + 1 };
  const extents: IdExtent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const parts = lines[i]!.split(/\s+/);
    if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) return { ok: false, message: `"${lines[i]}" is not "inside outside count" (EINVAL)`, line: i + 1 };
    const [first, lowerFirst, count] = parts.map(Number) as [number, number, number];
    if (count === 0 || first + count > U32 || lowerFirst + count > U32 || first >= U32 - 1 || lowerFirst >= U32 - 1) {
      return { ok: false, message: `extent "${lines[i]}" is empty or wraps past 4294967295 (EINVAL)`, line: i + 1 };
    }
    for (const e of extents) {
      const overlap = (a: number, b: number, n: number, m: number) => a < b + m && b < a + n;
      if (overlap(first, e.first, count, e.count) || overlap(lowerFirst, e.lowerFirst, count, e.count)) {
        return { ok: false, message: `extent "${lines[i]}" overlaps an earlier line (EINVAL)`, line: i + 1 };
      }
    }
    extents.push({ first, lowerFirst, count });
  }
  return { ok: true, extents };
}

function mapUp(extents: IdExtent[] | null, id: number): number | null {
  for (const e of extents ?? []) if (id >= e.first && id < e.first + e.count) return e.lowerFirst + (id - e.first);
  return null;
}

function mapDown(extents: IdExtent[] | null, lowerId: number): number | null {
  for (const e of extents ?? []) if (lowerId >= e.lowerFirst && lowerId < e.lowerFirst + e.count) return e.first + (lowerId - e.lowerFirst);
  return null;
}

/** make_kuid: an id as seen in `ns` → the kernel id, or null if unmapped (INVALID_UID). */
export function makeKid(ns: UserNamespace, id: number, which: 'uid' | 'gid'): number | null {
  let cur: UserNamespace | null = ns;
  let v: number | null = id;
  while (cur && cur.parent && v !== null) {
    v = mapUp(which === 'uid' ? cur.uidMap : cur.gidMap, v);
    cur = cur.parent;
  }
  return v;
}

/** from_kuid_munged: the kernel id as `ns` sees it, 65534 when it has no mapping there. */
export function fromKid(ns: UserNamespace, kid: number, which: 'uid' | 'gid'): number {
  const chain: UserNamespace[] = [];
  for (let cur: UserNamespace | null = ns; cur && cur.parent; cur = cur.parent) chain.unshift(cur);
  let v: number | null = kid;
  for (const n of chain) {
    v = mapDown(which === 'uid' ? n.uidMap : n.gidMap, v);
    if (v === null) return OVERFLOW_ID;
  }
  return v;
}

/** Is `ancestor` equal to `ns` or one of its ancestors? */
export function isSameOrAncestor(ancestor: UserNamespace, ns: UserNamespace): boolean {
  for (let cur: UserNamespace | null = ns; cur; cur = cur.parent) if (cur === ancestor) return true;
  return false;
}

export function formatIdMap(extents: IdExtent[] | null): string {
  return (extents ?? []).map((e) => `${String(e.first).padStart(10)} ${String(e.lowerFirst).padStart(10)} ${String(e.count).padStart(10)}`).join('\n');
}
