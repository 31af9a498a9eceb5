/**
 * Shared input helpers for the Layer 0 widgets: byte sizes written the way
 * storage tools write them (`64MiB`, `128k`, `4KiB`, like fio's `bs=`), and a
 * small reader for YAML fields that records located errors instead of
 * throwing (STYLE habit 4). Every number read is checked against a stated
 * range so absurd inputs fail fast with the field's line and column.
 */
import { simError, type SimError } from '../core/result.ts';
import type { LocatedYaml } from '../api/yaml.ts';

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kb: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4,
};

/**
 * Parses `4k`, `128KiB`, `64MiB`, `1g`, `4096` into bytes. Like fio, the
 * suffixes are binary (k = 1024) whether or not an `i` is written.
 * Returns undefined for malformed text or a non-integer byte count.
 */
export function parseSizeBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = SIZE_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Number(m[1]) * unit;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** `65536` → `64KiB`, `1536` → `1.5KiB`: the short binary form used in tables. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)}${units[i]}`;
}

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads typed fields out of a parsed YAML document, collecting errors that
 * carry the field path and its line/column. Callers read everything, then
 * check `errors.length` once.
 */
export class FieldReader {
  readonly errors: SimError[] = [];
  readonly #y: LocatedYaml;
  constructor(y: LocatedYaml) {
    this.#y = y;
  }

  error(path: string, message: string, code = 'FIELD_INVALID'): void {
    this.errors.push(this.#y.errorAt(path, code, message));
  }

  /** Flags keys of `obj` that are not in `known` (typos should not pass silently). */
  known(obj: Obj, path: string, known: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!known.includes(k)) this.error(path ? `${path}.${k}` : k, `unknown field "${k}" (known: ${known.join(', ')})`, 'FIELD_UNKNOWN');
    }
  }

  int(obj: Obj, key: string, path: string, min: number, max: number, fallback: number): number {
    const v = obj[key];
    const at = path ? `${path}.${key}` : key;
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.error(at, `${key} must be an integer, got ${JSON.stringify(v)}`);
      return fallback;
    }
    if (v < min || v > max) {
      this.error(at, `${key} must be between ${min} and ${max} (the simulator's limit), got ${v}`, 'LIMIT_EXCEEDED');
      return fallback;
    }
    return v;
  }

  /** A number that may be written as `30%` (→ 0.3) or a fraction `0.3`. */
  fraction(obj: Obj, key: string, path: string, fallback: number): number {
    const v = obj[key];
    const at = path ? `${path}.${key}` : key;
    if (v === undefined || v === null) return fallback;
    let f: number | undefined;
    if (typeof v === 'number') f = v;
    else if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v.trim())) f = Number(v.trim().slice(0, -1)) / 100;
    if (f === undefined || !(f >= 0 && f <= 1)) {
      this.error(at, `${key} must be a fraction 0..1 or a percentage like "30%", got ${JSON.stringify(v)}`);
      return fallback;
    }
    return f;
  }

  bool(obj: Obj, key: string, path: string, fallback: boolean): boolean {
    const v = obj[key];
    if (v === undefined || v === null) return fallback;
    if (v === true || v === 'on') return true;
    if (v === false || v === 'off') return false;
    this.error(path ? `${path}.${key}` : key, `${key} must be true/false (or on/off), got ${JSON.stringify(v)}`);
    return fallback;
  }

  oneOf<T extends string>(obj: Obj, key: string, path: string, options: readonly T[], fallback: T): T {
    const v = obj[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    this.error(path ? `${path}.${key}` : key, `${key} must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
    return fallback;
  }

  size(obj: Obj, key: string, path: string, minBytes: number, maxBytes: number, fallback: number): number {
    const v = obj[key];
    const at = path ? `${path}.${key}` : key;
    if (v === undefined || v === null) return fallback;
    const bytes = typeof v === 'number' ? v : typeof v === 'string' ? parseSizeBytes(v) : undefined;
    if (bytes === undefined || !Number.isSafeInteger(bytes)) {
      this.error(at, `${key} must be a size like 4KiB, 64MiB or 1GiB, got ${JSON.stringify(v)}`);
      return fallback;
    }
    if (bytes < minBytes || bytes > maxBytes) {
      this.error(at, `${key} must be between ${formatBytes(minBytes)} and ${formatBytes(maxBytes)} (the simulator's limit), got ${formatBytes(bytes)}`, 'LIMIT_EXCEEDED');
      return fallback;
    }
    return bytes;
  }
}

/** A top-level error for a document that is not a mapping. */
export function notAMapping(what: string): SimError {
  return simError('FIELD_INVALID', `${what} must be a YAML mapping (key: value lines)`, { line: 1, column: 1 });
}

/**
 * Parses a CPU list as Linux writes it in `cpuset.cpus` and
 * `/sys/devices/system/cpu/online` ("0-3,6,8-9"); see
 * Documentation/admin-guide/cgroup-v2.rst "cpuset.cpus". Returns the sorted
 * CPU numbers or an error message.
 */
export function parseCpuList(text: string, cpuCount: number): number[] | string {
  const out = new Set<number>();
  const trimmed = text.trim();
  if (trimmed === '') return 'empty CPU list';
  for (const part of trimmed.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return `"${part.trim()}" is not a CPU number or range like 0-3`;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) return `range ${lo}-${hi} runs backwards`;
    if (hi >= cpuCount) return `CPU ${hi} does not exist (this machine has CPUs 0-${cpuCount - 1})`;
    for (let c = lo; c <= hi; c++) out.add(c);
  }
  return [...out].sort((a, b) => a - b);
}
