/**
 * The cgroup v2 memory interface files: parsing what is written, formatting
 * what is read. Follows Linux v6.12 mm/memcontrol.c (memory_max_write,
 * memory_high_write, memory_events_show, memory_stat_format) and
 * Documentation/admin-guide/cgroup-v2.rst ("Memory Interface Files"):
 *  - memory.max / memory.high / memory.low / memory.swap.max take bytes
 *    (with an optional K/M/G/T suffix, memparse) or "max"; the value is
 *    rounded DOWN to whole 4 KiB pages and read back in bytes;
 *  - memory.events counts are hierarchical (a child's events show in every
 *    ancestor), memory.events.local only this cgroup's.
 */
import { PAGE_SIZE } from '../oom/badness.ts';

export type MemEvent = 'low' | 'high' | 'max' | 'oom' | 'oom_kill' | 'oom_group_kill';
export const MEM_EVENTS: readonly MemEvent[] = ['low', 'high', 'max', 'oom', 'oom_kill', 'oom_group_kill'];

/** PAGE_COUNTER_MAX stands for "max"; Infinity in the sim. */
export const UNLIMITED = Number.POSITIVE_INFINITY;

const SUFFIX: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };

export type ParsedPages = { ok: true; pages: number } | { ok: false; message: string; offset: number };

/** page_counter_memparse: "max" or memparse(bytes) / PAGE_SIZE (floor). */
export function parseMemoryLimit(value: string, file = 'memory.max'): ParsedPages {
  const v = value.trim();
  if (v === 'max') return { ok: true, pages: UNLIMITED };
  const m = /^(\d+)([kKmMgGtTpPeE]?)$/.exec(v);
  if (!m) return { ok: false, message: `${file} takes a byte count (optionally with K, M, G, T) or "max", got "${v}" (EINVAL)`, offset: Math.max(0, value.indexOf(v)) };
  const bytes = Number(m[1]) * SUFFIX[m[2]!.toLowerCase()]!;
  if (!Number.isFinite(bytes) || bytes > 2 ** 62) return { ok: false, message: `${v} is beyond PAGE_COUNTER_MAX (ERANGE)`, offset: 0 };
  return { ok: true, pages: Math.floor(bytes / PAGE_SIZE) };
}

export function formatLimit(pages: number): string {
  return pages === UNLIMITED ? 'max' : String(pages * PAGE_SIZE);
}

export function formatEvents(ev: Record<MemEvent, number>): string {
  return MEM_EVENTS.map((e) => `${e} ${ev[e]}\n`).join('');
}

export function emptyEvents(): Record<MemEvent, number> {
  return { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 };
}
