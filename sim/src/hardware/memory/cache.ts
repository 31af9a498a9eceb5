/**
 * A set-associative cache with LRU replacement — used both for the data
 * caches (keys are cache-line numbers) and for the TLBs (keys are page
 * numbers). Invariants: `sets` is a power of two; a key lives in set
 * `key & (sets - 1)`; at most `ways` keys per set.
 */
import { invariant } from '../../core/invariant.ts';

export class SetAssocCache {
  readonly sets: number;
  readonly ways: number;
  readonly #mask: number;
  readonly #tags: Int32Array;
  readonly #stamp: Uint32Array;
  #clock = 0;
  hits = 0;
  misses = 0;

  constructor(entries: number, ways: number) {
    invariant(entries % ways === 0, `${entries} entries do not divide into ${ways} ways`);
    this.sets = entries / ways;
    invariant((this.sets & (this.sets - 1)) === 0, `set count ${this.sets} must be a power of two`);
    this.ways = ways;
    this.#mask = this.sets - 1;
    this.#tags = new Int32Array(entries).fill(-1);
    this.#stamp = new Uint32Array(entries);
  }

  /**
   * Looks `key` up (a non-negative integer below 2^31); on a miss inserts it,
   * evicting the least recently used way. Returns whether it hit.
   */
  access(key: number): boolean {
    const base = (key & this.#mask) * this.ways;
    const end = base + this.ways;
    const tags = this.#tags;
    const stamp = this.#stamp;
    const now = ++this.#clock;
    let victim = base;
    let oldest = stamp[base]!;
    for (let i = base; i < end; i++) {
      if (tags[i] === key) {
        stamp[i] = now;
        this.hits++;
        return true;
      }
      if (stamp[i]! < oldest) {
        oldest = stamp[i]!;
        victim = i;
      }
    }
    tags[victim] = key;
    stamp[victim] = now;
    this.misses++;
    return false;
  }

  /** Empties every set and zeroes the counters, so one allocation serves several runs. */
  clear(): void {
    this.#tags.fill(-1);
    this.#stamp.fill(0);
    this.#clock = 0;
    this.resetCounters();
  }

  resetCounters(): void {
    this.hits = 0;
    this.misses = 0;
  }
}
