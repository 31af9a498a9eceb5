/**
 * Quantity arithmetic for admission (sums, comparisons, printing), in
 * milli-units as BigInt so sums stay exact. Printing follows
 * resource.Quantity.String() for the common cases: whole numbers bare,
 * fractions of a core as `500m`, byte counts with the largest exact binary
 * suffix (`256Mi`).
 */
import { ceilScaled, parseExactQuantity } from '../../../api/quantity.ts';

/** Milli-units of a quantity (`"500m"` → 500n, `"1Gi"` → 1073741824000n); undefined when unparsable. */
export function milli(q: unknown): bigint | undefined {
  if (q === undefined || q === null) return undefined;
  const r = parseExactQuantity(String(q));
  return r.ok ? ceilScaled(r.value, 3) : undefined;
}

const BINARY: [string, bigint][] = [['Ei', 1n << 60n], ['Pi', 1n << 50n], ['Ti', 1n << 40n], ['Gi', 1n << 30n], ['Mi', 1n << 20n], ['Ki', 1n << 10n]];

/** Prints milli-units as a quantity; `binary` picks Ki/Mi/Gi for byte-like resources. */
export function formatMilli(m: bigint, binary: boolean): string {
  if (m % 1000n !== 0n) return `${m}m`;
  const whole = m / 1000n;
  if (binary && whole !== 0n) {
    for (const [suffix, size] of BINARY) if (whole % size === 0n) return `${whole / size}${suffix}`;
  }
  return `${whole}`;
}

export const isByteResource = (name: string): boolean => /memory|storage/.test(name);
