/**
 * The `--probability` values of kube-proxy's load-balancing rules.
 * Upstream: pkg/proxy/iptables/proxier.go (v1.34) `computeProbability(n)` =
 * fmt.Sprintf("%0.10f", 1.0/float64(n)); rule i of n endpoints (0-based) gets
 * computeProbability(n − i), the last rule none — so every endpoint is chosen
 * with probability 1/n overall.
 *
 * The kernel's xt_statistic stores the probability as a 31-bit fixed-point
 * integer (`lround(p * 0x80000000)`, iptables extensions/libxt_statistic.c) and
 * `iptables-save` prints it back with `%.11f`; that is why a real node shows
 * `0.33333333349` where kube-proxy wrote `0.3333333333`.
 */

/** Formats `x` like Go's `fmt.Sprintf("%0.<prec>f", x)`: exact decimal value, ties to even, `+Inf`/`-Inf`/`NaN`. */
export function formatGoFixed(x: number, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  // Exact value of the double as mantissa * 2^exponent.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biasedExp = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biasedExp === 0) exp = -1074;
  else {
    mantissa |= 1n << 52n;
    exp = biasedExp - 1075;
  }
  // value * 10^prec = mantissa * 2^exp * 10^prec = num / den
  let num = mantissa * 10n ** BigInt(prec);
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(prec + 1, '0');
  const intPart = digits.slice(0, digits.length - prec);
  const frac = digits.slice(digits.length - prec);
  return (negative ? '-' : '') + intPart + (prec > 0 ? '.' + frac : '');
}

/** Upstream computeProbability: `%0.10f` of 1/n (n = 0 gives "+Inf", as Go does). */
export function computeProbability(n: number): string {
  return formatGoFixed(1 / n, 10);
}

/** What the kernel keeps: round(p · 2^31) as an unsigned 32-bit integer (libxt_statistic `lround(0x80000000 * prob)`). */
export function kernelProbabilityFixed(probability: string): number {
  return Math.round(Number(probability) * 0x80000000);
}

/** How `iptables-save` prints a stored probability: `%.11f` of fixed / 2^31. */
export function iptablesSaveProbability(probability: string): string {
  return formatGoFixed(kernelProbabilityFixed(probability) / 0x80000000, 11);
}
