import { describe, expect, it } from 'vitest';
import { Clock, Prng, InvariantError } from '../src/index.ts';

describe('Prng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    const sb = Array.from({ length: 8 }, () => b.nextUint32());
    const sc = Array.from({ length: 8 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('stays inside intBetween bounds and covers them', () => {
    const p = new Prng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = p.intBetween(10, 20);
      expect(x).toBeGreaterThanOrEqual(10);
      expect(x).toBeLessThan(20);
      seen.add(x);
    }
    expect(seen.size).toBe(10);
  });

  it('is roughly uniform', () => {
    const p = new Prng(1);
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) sum += p.nextFloat();
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
  });
});

describe('Clock', () => {
  it('advances only by non-negative integers', () => {
    const c = new Clock();
    expect(c.advance(5)).toBe(5);
    expect(() => c.advance(1.5)).toThrow(InvariantError);
    expect(() => c.advance(-1)).toThrow(InvariantError);
    expect(c.nowTicks).toBe(5);
  });
});
