/**
 * The simulated network between Raft members: the fault injector (STYLE habit
 * 5), kept apart from the Raft model. Every message gets a delay in ticks
 * drawn from [delayTicks[0], delayTicks[1]] and may be dropped or duplicated,
 * all decided by the network's own seeded Prng, so a run is a function of the
 * seed. Partitions cut links: a message whose sender and receiver are in
 * different groups at delivery time is lost.
 *
 * Not an upstream file: etcd's rafthttp is a real transport. The scheduling
 * mirrors raft's own test harness (raft_test.go `network` with drop/cut/isolate).
 */
import type { Prng } from '../../../core/prng.ts';
import type { Message } from './types.ts';

export interface NetworkOptions {
  /** Probability in [0, 1] that a message is lost. */
  dropRate: number;
  /** Probability in [0, 1] that a message is delivered twice. */
  duplicateRate: number;
  /** Inclusive range of per-message delay in ticks; 0 delivers within the same tick. */
  delayTicks: readonly [number, number];
}

export const DEFAULT_NETWORK_OPTIONS: NetworkOptions = { dropRate: 0, duplicateRate: 0, delayTicks: [1, 2] };

export class SimNetwork {
  #options: NetworkOptions;
  readonly #prng: Prng;
  /** Messages bucketed by delivery tick; within a bucket, in send order. */
  readonly #buckets = new Map<number, Message[]>();
  #inFlight = 0;
  /** group[id] = partition group of member id; all 0 when healed. */
  #group: number[];
  sent = 0;
  dropped = 0;
  duplicated = 0;

  constructor(memberCount: number, prng: Prng, options: NetworkOptions) {
    this.#prng = prng;
    this.#options = options;
    this.#group = new Array<number>(memberCount + 1).fill(0);
  }

  get options(): NetworkOptions {
    return this.#options;
  }

  setOptions(options: NetworkOptions): void {
    this.#options = options;
  }

  /** Messages scheduled but not yet delivered (or dropped at delivery). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Schedules `m` sent at `nowTicks`. Returns how many copies were scheduled:
   * 0 if the network dropped it, 2 if it was duplicated.
   */
  send(m: Message, nowTicks: number): number {
    this.sent++;
    const o = this.#options;
    if (o.dropRate > 0 && this.#prng.chance(o.dropRate)) {
      this.dropped++;
      return 0;
    }
    this.#schedule(m, nowTicks);
    if (o.duplicateRate > 0 && this.#prng.chance(o.duplicateRate)) {
      this.duplicated++;
      this.#schedule(m, nowTicks);
      return 2;
    }
    return 1;
  }

  #schedule(m: Message, nowTicks: number): void {
    const [lo, hi] = this.#options.delayTicks;
    const at = nowTicks + (hi > lo ? this.#prng.intBetween(lo, hi + 1) : lo);
    let bucket = this.#buckets.get(at);
    if (bucket === undefined) {
      bucket = [];
      this.#buckets.set(at, bucket);
    }
    bucket.push(m);
    this.#inFlight++;
  }

  /**
   * Hands every message due at `nowTicks` to `deliver`, in send order; after
   * each round calls `flush` (the receivers handle their Ready, which may send
   * zero-delay messages due this same tick — delivered in the next round).
   * Returns the count delivered.
   */
  deliverDue(nowTicks: number, deliver: (m: Message) => void, flush: () => void): number {
    const bucket = this.#buckets.get(nowTicks);
    if (bucket === undefined) return 0;
    let i = 0;
    for (;;) {
      for (; i < bucket.length; i++) {
        this.#inFlight--;
        deliver(bucket[i]!);
      }
      flush();
      if (i >= bucket.length) break;
    }
    this.#buckets.delete(nowTicks);
    return i;
  }

  /** Whether a message from `a` reaches `b` under the current partition. */
  connected(a: number, b: number): boolean {
    return this.#group[a] === this.#group[b];
  }

  /** Cuts the network into groups; members listed nowhere form one more group together. */
  partition(groups: readonly (readonly number[])[]): void {
    this.#group.fill(groups.length + 1);
    groups.forEach((g, i) => {
      for (const id of g) this.#group[id] = i + 1;
    });
  }

  heal(): void {
    this.#group.fill(0);
  }

  /** Current groups (for display): each a sorted list of member ids. */
  groups(): number[][] {
    const byGroup = new Map<number, number[]>();
    for (let id = 1; id < this.#group.length; id++) {
      const g = this.#group[id]!;
      if (!byGroup.has(g)) byGroup.set(g, []);
      byGroup.get(g)!.push(id);
    }
    return [...byGroup.keys()].sort((a, b) => a - b).map((k) => byGroup.get(k)!);
  }
}
