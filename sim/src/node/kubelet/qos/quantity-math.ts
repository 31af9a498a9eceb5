/**
 * Exact arithmetic on resource quantities for the QoS helpers, matching what
 * upstream does with resource.Quantity: Cmp/Add are exact
 * (k8s.io/apimachinery/pkg/api/resource/quantity.go, v1.34), Value() rounds up
 * to an integer. Quantities arrive as the YAML gave them: strings ("100Mi")
 * or numbers (`cpu: 1`).
 *
 * Invariant: a Rational always has den > 0.
 */
import { ceilScaled, parseExactQuantity, QuantityError, type ExactQuantity } from '../../../api/quantity.ts';
import type { Quantity, ResourceList } from '../../../api/objects.ts';
import type { Result } from '../../../core/result.ts';

export interface Rational {
  num: bigint;
  den: bigint;
}

export const ZERO: Rational = { num: 0n, den: 1n };

/** The quantity text as upstream would see it (`cpu: 1` in YAML is the number 1). */
export function quantityText(q: Quantity): string {
  return typeof q === 'number' ? String(q) : q;
}

/** Parses with a Result (for located errors in widget input). */
export function parseQuantityExact(q: Quantity, path?: string): Result<ExactQuantity> {
  return parseExactQuantity(quantityText(q), path);
}

function exactOrThrow(q: Quantity): ExactQuantity {
  const r = parseQuantityExact(q);
  if (!r.ok) throw new QuantityError(r.errors[0]!);
  return r.value;
}

export function toRational(q: Quantity): Rational {
  const e = exactOrThrow(q);
  let num = e.digits;
  let den = 1n;
  if (e.pow10 >= 0) num *= 10n ** BigInt(e.pow10);
  else den *= 10n ** BigInt(-e.pow10);
  if (e.pow2 >= 0) num *= 2n ** BigInt(e.pow2);
  else den *= 2n ** BigInt(-e.pow2);
  return { num: e.negative ? -num : num, den };
}

/** -1, 0 or 1, like Quantity.Cmp. */
export function cmp(a: Rational, b: Rational): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function add(a: Rational, b: Rational): Rational {
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

/** Quantity.Value(): the integer value rounded up (bytes for memory). */
export function valueOf(q: Quantity | undefined): bigint {
  if (q === undefined) return 0n;
  return ceilScaled(exactOrThrow(q), 0);
}

/** `list.Memory().Value()` — 0 when absent. */
export function memoryValue(list: ResourceList | undefined): bigint {
  return valueOf(list?.memory);
}
