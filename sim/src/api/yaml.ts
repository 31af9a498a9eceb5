/**
 * YAML input with located errors. Parses with eemeli/yaml (YAML 1.2, the
 * `core` schema as Kubernetes' sigs.k8s.io/yaml effectively accepts) and keeps
 * the document so a field path can be turned back into a line and column:
 * a manifest error at `spec.containers[0].image` is shown at its line.
 */
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, type Document, type Node as YamlNode } from 'yaml';
import { fail, ok, simError, type Result, type SimError } from '../core/result.ts';

/** Refuse inputs larger than this before parsing (a stated limit, answered fast). */
export const YAML_MAX_BYTES = 256 * 1024;

export interface LocatedYaml {
  /** The plain JS value of each document (`---` separated). */
  docs: unknown[];
  /** 1-based line/column of the node at a field path like `spec.containers[0].image` in document `doc`. */
  locate(path: string, doc?: number): { line: number; column: number } | undefined;
  /** A SimError at that path, located when the path exists (else at its nearest existing parent). */
  errorAt(path: string, code: string, message: string, doc?: number): SimError;
}

export function parsePath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) parts.push(Number(m[2]));
    else parts.push(m[1]!);
  }
  return parts;
}

export function parseYaml(text: string): Result<LocatedYaml> {
  if (text.length > YAML_MAX_BYTES) {
    return fail(simError('LIMIT_EXCEEDED', `input is ${text.length} characters; the limit is ${YAML_MAX_BYTES}`, { line: 1, column: 1 }));
  }
  const lineCounter = new LineCounter();
  const documents: Document.Parsed[] = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
  const errors: SimError[] = [];
  for (const d of documents) {
    for (const e of d.errors) {
      const pos = lineCounter.linePos(e.pos[0]);
      errors.push(simError('YAML_SYNTAX', firstLine(e.message), { line: pos.line, column: pos.col }));
    }
  }
  if (errors.length) return fail(errors);
  const nonEmpty = documents.filter((d) => d.contents !== null);
  const docs = nonEmpty.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);

  const locate = (path: string, doc = 0) => {
    const d = nonEmpty[doc];
    if (!d) return undefined;
    let node: unknown = d.contents;
    let best: { line: number; column: number } | undefined = posOf(node, lineCounter);
    for (const key of parsePath(path)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        best = posOf(pair.key, lineCounter) ?? best;
        node = pair.value;
        if (node) best = posOf(node, lineCounter) ?? best;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        if (!node) break;
        best = posOf(node, lineCounter) ?? best;
      } else break;
    }
    return best;
  };
  return ok({
    docs,
    locate,
    errorAt: (path, code, message, doc = 0) => simError(code, message, { path, ...(locate(path, doc) ?? {}) }),
  });
}

function posOf(node: unknown, lc: LineCounter): { line: number; column: number } | undefined {
  const range = (node as YamlNode | null)?.range;
  if (!range) return undefined;
  const p = lc.linePos(range[0]);
  return { line: p.line, column: p.col };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
