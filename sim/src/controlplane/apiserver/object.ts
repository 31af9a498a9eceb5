/**
 * The loose object shape the apiserver moves around, plus small helpers for
 * copying and diffing (the widget shows what each stage changed as a field
 * diff).
 */
import type { ObjectMeta } from '../../api/objects.ts';

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta & { finalizers?: string[]; deletionGracePeriodSeconds?: number; namespace?: string };
  [field: string]: unknown;
}

export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** One changed field: `op` add/replace/remove at a field path like `spec.containers[0].imagePullPolicy`. */
export interface FieldChange {
  op: 'add' | 'replace' | 'remove';
  path: string;
  from?: unknown;
  to?: unknown;
}

function join(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Leaf-level differences between two JSON values. Arrays are compared by
 * index; a subtree that appears or disappears whole is one change.
 */
export function diffFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before === undefined) return [{ op: 'add', path, to: clone(after) }];
  if (after === undefined) return [{ op: 'remove', path, from: clone(before) }];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffFields(before[k], after[k], join(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    const out: FieldChange[] = [];
    for (let i = 0; i < n; i++) out.push(...diffFields(before[i], after[i], join(path, i)));
    return out;
  }
  return [{ op: 'replace', path, from: clone(before), to: clone(after) }];
}

/** RFC 7386 JSON merge patch (what `kubectl patch --type merge` sends). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export const isObject = isPlainObject;
