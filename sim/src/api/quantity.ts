/**
 * Kubernetes resource quantities ("100m", "1.5", "512Mi", "1e3").
 * Grammar and rounding follow k8s.io/apimachinery/pkg/api/resource/quantity.go
 * (Kubernetes v1.34): <signedNumber><suffix>, suffix one of the binary SI
 * (Ki Mi Gi Ti Pi Ei), decimal SI (n u m "" k M G T P E) or a decimal exponent
 * (e/E followed by an integer). Value() and MilliValue() round up, as upstream's
 * ScaledValue does. Backs Layer 1 "cgroup v2" (requests → cpu.weight).
 *
 * Arithmetic is exact: the number is held as a BigInt numerator over a power of
 * ten and a power of two, so "0.1" → 100 millicores exactly.
 */
import { simError, type SimError, type Result, ok, fail } from '../core/result.ts';

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Beyond this many base units a quantity is refused as absurd (upstream's int64 range). */
export const QUANTITY_MAX = 2n ** 63n - 1n;
const MAX_TEXT_LENGTH = 64;

/** An exact quantity: sign × digits × 10^pow10 × 2^pow2. */
export interface ExactQuantity {
  negative: boolean;
  digits: bigint;
  pow10: number;
  pow2: number;
}

export class QuantityError extends Error implements SimError {
  override name = 'QuantityError';
  readonly code: string;
  readonly column: number;
  readonly path?: string;
  constructor(e: SimError) {
    super(e.message);
    this.code = e.code;
    this.column = e.column ?? 1;
    if (e.path) this.path = e.path;
  }
}

const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?/;

/** Parses a quantity string exactly; errors carry the 1-based column and the field path if given. */
export function parseExactQuantity(text: string, path?: string): Result<ExactQuantity> {
  const at = (column: number) => (path ? { column, path } : { column });
  if (typeof text !== 'string') return fail(simError('QUANTITY_FORMAT', `quantity must be a string, got ${typeof text}`, at(1)));
  if (text.length === 0) return fail(simError('QUANTITY_FORMAT', 'quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\' (empty string)', at(1)));
  if (text.length > MAX_TEXT_LENGTH) return fail(simError('LIMIT_EXCEEDED', `quantity longer than ${MAX_TEXT_LENGTH} characters`, at(1)));
  const m = NUMBER_RE.exec(text)!;
  const [whole, sign = '', intPart = '', fracPart] = m;
  if (intPart.length === 0 && (fracPart === undefined || fracPart.length === 0)) {
    return fail(simError('QUANTITY_FORMAT', `"${text}" does not start with a number`, at(sign.length + 1)));
  }
  const suffix = text.slice(whole.length);
  const suffixColumn = whole.length + 1;
  let pow10 = 0;
  let pow2 = 0;
  if (suffix in BINARY) pow2 = BINARY[suffix]!;
  else if (suffix in DECIMAL) pow10 = DECIMAL[suffix]!;
  else if (/^[eE][+-]?\d+$/.test(suffix)) {
    const exp = Number(suffix.slice(1));
    if (Math.abs(exp) > 40) return fail(simError('LIMIT_EXCEEDED', `exponent ${exp} is outside the supported range -40..40`, at(suffixColumn)));
    pow10 = exp;
  } else {
    return fail(simError('QUANTITY_SUFFIX', `unknown unit suffix "${suffix}" (use one of Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or e<exponent>)`, at(suffixColumn)));
  }
  const frac = fracPart ?? '';
  const digits = BigInt((intPart + frac).replace(/^0+(?=\d)/, '') || '0');
  const q: ExactQuantity = { negative: sign === '-' && digits !== 0n, digits, pow10: pow10 - frac.length, pow2 };
  if (ceilScaled(q, 0) > QUANTITY_MAX) return fail(simError('LIMIT_EXCEEDED', `quantity "${text}" is larger than ${QUANTITY_MAX} base units`, at(1)));
  return ok(q);
}

/** ceil(|q| × 10^scale10) with the sign reapplied — upstream's ScaledValue rounding (always up, away from zero for positives). */
export function ceilScaled(q: ExactQuantity, scale10: number): bigint {
  let num = q.digits;
  let den = 1n;
  const p10 = q.pow10 + scale10;
  if (p10 >= 0) num *= 10n ** BigInt(p10);
  else den *= 10n ** BigInt(-p10);
  if (q.pow2 >= 0) num *= 2n ** BigInt(q.pow2);
  else den *= 2n ** BigInt(-q.pow2);
  const quotient = num / den;
  const rounded = num % den === 0n ? quotient : quotient + 1n;
  return q.negative ? -rounded : rounded;
}

function toNumber(q: ExactQuantity): number {
  const v = Number(q.digits) * 10 ** q.pow10 * 2 ** q.pow2;
  return q.negative ? -v : v;
}

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new QuantityError(r.errors[0]!);
  return r.value;
}

/**
 * The quantity in base units as a JS number ("100m" → 0.1, "1Gi" → 1073741824).
 * Throws a QuantityError (with `code` and `column`) on malformed input; use
 * parseExactQuantity for a Result.
 */
export function parseQuantity(text: string): number {
  return toNumber(unwrap(parseExactQuantity(text)));
}

/** CPU quantity → millicores, rounded up like Quantity.MilliValue() ("0.1" → 100, "1" → 1000, "1.5m" → 2). */
export function cpuToMilli(text: string): number {
  return Number(ceilScaled(unwrap(parseExactQuantity(text)), 3));
}

/** Memory (or any integral) quantity → base units rounded up like Quantity.Value() ("1Gi" → 1073741824, "1.5" → 2). */
export function quantityToBytes(text: string): number {
  return Number(ceilScaled(unwrap(parseExactQuantity(text)), 0));
}
