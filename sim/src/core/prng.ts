/**
 * Seeded pseudo-random numbers: the only source of randomness in the sim.
 * Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through
 * splitmix32 so that nearby integer seeds give unrelated streams. 32-bit
 * integer arithmetic only (Math.imul, >>> 0), so Node and every browser
 * produce the same sequence for the same seed.
 */
import { invariant } from './invariant.ts';

function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return [next, z];
}

export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  readonly seed: number;

  constructor(seed: number) {
    invariant(Number.isSafeInteger(seed), `seed must be an integer, got ${seed}`);
    this.seed = seed;
    let s = seed >>> 0;
    const out: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, z] = splitmix32(s);
      s = next;
      out.push(z);
    }
    [this.#a, this.#b, this.#c, this.#d] = out as [number, number, number, number];
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max) — unbiased (rejection sampling). */
  intBetween(min: number, maxExclusive: number): number {
    invariant(Number.isSafeInteger(min) && Number.isSafeInteger(maxExclusive) && maxExclusive > min, `bad range [${min}, ${maxExclusive})`);
    const span = maxExclusive - min;
    invariant(span <= 4294967296, 'range wider than 2^32');
    const limit = 4294967296 - (4294967296 % span);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return min + (x % span);
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.nextFloat() < p;
  }

  /** An independent child stream, e.g. one per simulated member. */
  fork(): Prng {
    return new Prng(this.nextUint32());
  }
}
