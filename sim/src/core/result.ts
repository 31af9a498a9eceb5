/**
 * Expected outcomes are values (STYLE habit 4, after eemeli/yaml's
 * `errors.ts` and the scheduler's `Status`). A SimError locates what went
 * wrong: `line`/`column` (1-based) for text input, `path` for a field of a
 * manifest (`spec.containers[0].resources.limits.cpu`).
 */
export interface SimError {
  /** Stable machine-readable code, e.g. `YAML_SYNTAX`, `FIELD_INVALID`, `LIMIT_EXCEEDED`. */
  code: string;
  message: string;
  line?: number;
  column?: number;
  path?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: SimError[] };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: SimError | SimError[]): Result<T> {
  return { ok: false, errors: Array.isArray(error) ? error : [error] };
}

export function simError(code: string, message: string, where: Omit<SimError, 'code' | 'message'> = {}): SimError {
  return { code, message, ...where };
}

/** "line 3, column 7: …" — how errors are shown to a reader. */
export function formatError(e: SimError): string {
  const at: string[] = [];
  if (e.line !== undefined) at.push(`line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''}`);
  if (e.path) at.push(e.path);
  return at.length ? `${at.join(' · ')}: ${e.message}` : e.message;
}
