// Cases follow k8s.io/apimachinery/pkg/api/resource/quantity_test.go (v1.34):
// TestQuantityParse's table for accepted forms, and MilliValue/Value rounding up.
import { describe, expect, it } from 'vitest';
import { parseQuantity, cpuToMilli, quantityToBytes, parseExactQuantity, QuantityError } from '../src/index.ts';

describe('parseQuantity', () => {
  it.each([
    ['0', 0], ['100m', 0.1], ['1', 1], ['1.5', 1.5], ['.5', 0.5], ['5.', 5], ['+2', 2], ['-2', -2],
    ['1k', 1000], ['1M', 1e6], ['1G', 1e9], ['1Ki', 1024], ['1Mi', 1048576], ['1Gi', 1073741824],
    ['512Mi', 536870912], ['1e3', 1000], ['1E3', 1000], ['1e-3', 0.001], ['1n', 1e-9], ['1u', 1e-6],
  ])('%s → %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it.each([['', 1], ['abc', 1], ['1x', 2], ['10Mb', 3], ['1.2.3', 4], ['-', 2], ['1 Gi', 2]])(
    'rejects %j with the column of the fault',
    (text, column) => {
      const r = parseExactQuantity(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]!.column).toBe(column);
      expect(() => parseQuantity(text)).toThrow(QuantityError);
    },
  );

  it('refuses absurd sizes with a stated limit', () => {
    const r = parseExactQuantity('100Ei');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe('LIMIT_EXCEEDED');
    const e = parseExactQuantity('1e999999999');
    expect(e.ok).toBe(false);
  });
});

describe('cpuToMilli and quantityToBytes round up like MilliValue() and Value()', () => {
  it.each([['100m', 100], ['0.1', 100], ['1', 1000], ['2.5', 2500], ['1.5m', 2], ['0.0001', 1], ['250m', 250]])(
    'cpu %s → %d m',
    (text, milli) => expect(cpuToMilli(text)).toBe(milli),
  );
  it.each([['1Gi', 1073741824], ['1.5', 2], ['100m', 1], ['128974848', 128974848], ['129e6', 129000000], ['123Mi', 128974848]])(
    'memory %s → %d bytes',
    (text, bytes) => expect(quantityToBytes(text)).toBe(bytes),
  );
});
