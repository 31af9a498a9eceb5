/**
 * Virtual time in integer ticks. The sim never reads wall-clock time: every
 * component is handed a Clock and advances only when the world ticks it.
 * What one tick means is decided by the model that owns the clock (the CFS
 * model uses 1 tick = 1 µs; Raft counts election/heartbeat ticks).
 */
import { invariant } from './invariant.ts';

export class Clock {
  #now = 0;

  /** Current virtual time in ticks (a non-negative integer). */
  get nowTicks(): number {
    return this.#now;
  }

  /** Advances time by `ticks` (a non-negative integer) and returns the new time. */
  advance(ticks: number): number {
    invariant(Number.isSafeInteger(ticks) && ticks >= 0, `clock advance must be a non-negative integer, got ${ticks}`);
    this.#now += ticks;
    return this.#now;
  }
}
