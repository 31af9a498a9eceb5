/**
 * field.ErrorList as k8s.io/apimachinery/pkg/util/validation/field/errors.go
 * (v1.34) prints it: `<field>: <type>[: <value>][: <detail>]`, e.g.
 * `spec.containers[0].image: Required value`,
 * `spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"`.
 */
export type FieldErrorType =
  | 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate'
  | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany';

export interface FieldError {
  type: FieldErrorType;
  /** The field path, `spec.containers[0].image`. */
  field: string;
  /** What ErrorBody() returns: the text after `<field>: `. */
  body: string;
}

/** Go's %#v-ish rendering of a bad value, as field.Invalid prints it. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((x) => typeof x === 'string')) {
    const entries = Object.entries(v as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

export const required = (field: string, detail = ''): FieldError =>
  ({ type: 'FieldValueRequired', field, body: detail ? `Required value: ${detail}` : 'Required value' });

export const invalid = (field: string, value: unknown, detail: string): FieldError =>
  ({ type: 'FieldValueInvalid', field, body: `Invalid value: ${goValue(value)}${detail ? `: ${detail}` : ''}` });

export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported', field,
  body: `Unsupported value: ${goValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

export const duplicate = (field: string, value: unknown): FieldError =>
  ({ type: 'FieldValueDuplicate', field, body: `Duplicate value: ${goValue(value)}` });

export const forbidden = (field: string, detail: string): FieldError =>
  ({ type: 'FieldValueForbidden', field, body: `Forbidden: ${detail}` });

export const tooLong = (field: string, maxLength: number): FieldError =>
  ({ type: 'FieldValueTooLong', field, body: `Too long: may not be more than ${maxLength} bytes` });

export const errorString = (e: FieldError): string => `${e.field}: ${e.body}`;

/** utilerrors.NewAggregate(...).Error(): one error bare, several as `[a, b]`. */
export function errorListMessage(errs: FieldError[]): string {
  if (errs.length === 1) return errorString(errs[0]!);
  return `[${errs.map(errorString).join(', ')}]`;
}
