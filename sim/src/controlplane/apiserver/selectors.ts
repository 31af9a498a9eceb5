/**
 * Field and label selectors as LIST/WATCH accept them. Follows
 * k8s.io/apimachinery/pkg/fields/selector.go (`a=b`, `a==b`, `a!=b`, comma =
 * AND) and pkg/labels/selector.go (`k=v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k`, `!k`), v1.34. Field paths are dotted
 * (`spec.nodeName`, `metadata.namespace`, `status.phase`).
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';
import type { KObject } from './object.ts';

export type Selector = (obj: KObject) => boolean;

const everything: Selector = () => true;

function fieldValue(obj: KObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

export function parseFieldSelector(text: string | undefined): Result<Selector> {
  if (!text || !text.trim()) return ok(everything);
  const terms: Selector[] = [];
  for (const raw of text.split(',')) {
    const m = /^\s*([A-Za-z0-9_.]+)\s*(!=|==|=)\s*(.*?)\s*$/.exec(raw);
    if (!m) return fail(simError('FIELD_SELECTOR', `invalid selector: '${text}'; can't understand '${raw}'`));
    const [, path, op, value] = m as unknown as [string, string, string, string];
    terms.push(op === '!=' ? (o) => fieldValue(o, path) !== value : (o) => fieldValue(o, path) === value);
  }
  return ok((o) => terms.every((t) => t(o)));
}

export function parseLabelSelector(text: string | undefined): Result<Selector> {
  if (!text || !text.trim()) return ok(everything);
  const terms: Selector[] = [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  parts.push(cur);
  const labels = (o: KObject) => o.metadata?.labels ?? {};
  for (const raw of parts) {
    const s = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(s))) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = list.split(',').map((v) => v.trim()).filter(Boolean);
      terms.push(op === 'in' ? (o) => values.includes(labels(o)[key] ?? '\0') : (o) => !values.includes(labels(o)[key] ?? '\0'));
    } else if ((m = /^([A-Za-z0-9_./-]+)\s*(!=|==|=)\s*([A-Za-z0-9_.-]*)$/.exec(s))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      terms.push(op === '!=' ? (o) => labels(o)[key] !== value : (o) => labels(o)[key] === value);
    } else if ((m = /^!([A-Za-z0-9_./-]+)$/.exec(s))) {
      const key = m[1]!;
      terms.push((o) => !(key in labels(o)));
    } else if ((m = /^([A-Za-z0-9_./-]+)$/.exec(s))) {
      const key = m[1]!;
      terms.push((o) => key in labels(o));
    } else {
      return fail(simError('LABEL_SELECTOR', `unable to parse requirement: ${JSON.stringify(s)}`));
    }
  }
  return ok((o) => terms.every((t) => t(o)));
}
