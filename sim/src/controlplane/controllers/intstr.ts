/**
 * IntOrString scaling as k8s.io/apimachinery/pkg/util/intstr/intstr.go
 * (v1.34) `GetScaledValueFromIntOrPercent`: an int is used as is; a string must
 * be "<int>%" (strconv.Atoi on the part before '%'); the percentage of `total`
 * is rounded up (ceil) or down (floor) in float64. A string without '%' is an
 * error ("invalid type: string is not a percentage").
 */
import { simError, type SimError } from '../../core/result.ts';

export type IntOrString = number | string;

export type ScaledValue = { ok: true; value: number } | { ok: false; error: SimError };

/** Go strconv.Atoi: optional sign, decimal digits, fits in int64. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const big = BigInt(s);
  if (big > 9223372036854775807n || big < -9223372036854775808n) return undefined;
  return Number(big);
}

export function getScaledValueFromIntOrPercent(value: IntOrString, total: number, roundUp: boolean): ScaledValue {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { ok: false, error: simError('FIELD_INVALID', `invalid value for IntOrString: ${value} is not an integer`) };
    return { ok: true, value };
  }
  if (!value.endsWith('%')) {
    return { ok: false, error: simError('FIELD_INVALID', `invalid value for IntOrString: invalid type: string is not a percentage`) };
  }
  const v = atoi(value.slice(0, -1));
  if (v === undefined) {
    return { ok: false, error: simError('FIELD_INVALID', `invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing "${value.slice(0, -1)}": invalid syntax`) };
  }
  const scaled = (v * total) / 100;
  return { ok: true, value: roundUp ? Math.ceil(scaled) : Math.floor(scaled) };
}
