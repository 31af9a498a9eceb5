/**
 * A small JSON parser (RFC 8259) that remembers where every value is, so a
 * `config.json` error can point at a line and column. `JSON.parse` is not
 * enough: its error messages and positions differ between V8, SpiderMonkey and
 * JavaScriptCore, and it forgets positions of valid values.
 *
 * Paths use the same syntax as `api/yaml.ts`: `linux.namespaces[2].type`.
 * Invariant: every value reachable in `value` has an entry in the position map
 * under its path (the root under ''). Lines and columns are 1-based; columns
 * count UTF-16 code units, as editors such as CodeMirror do.
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';

/** Refuse inputs larger than this before parsing (a stated limit, answered fast). */
export const JSON_MAX_CHARS = 256 * 1024;
/** Refuse nesting deeper than this (Go's encoding/json allows 10000; a config.json needs < 10). */
export const JSON_MAX_DEPTH = 64;

export interface Pos {
  line: number;
  column: number;
}

export interface LocatedJson {
  value: unknown;
  /** Position of the value at `path`, or of its nearest existing ancestor. */
  locate(path: string): Pos;
  /** Position of the key of the member at `path` (falls back to `locate`). */
  locateKey(path: string): Pos;
  /** A SimError located at `path`. */
  errorAt(path: string, code: string, message: string): SimError;
}

class JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
  constructor(offset: number, message: string) {
    this.offset = offset;
    this.message = message;
  }
}

export function parseLocatedJson(text: string): Result<LocatedJson> {
  if (text.length > JSON_MAX_CHARS) {
    return fail(simError('LIMIT_EXCEEDED', `input is ${text.length} characters; the limit is ${JSON_MAX_CHARS}`, { line: 1, column: 1 }));
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const posOf = (offset: number): Pos => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };

  const valuePos = new Map<string, number>();
  const keyPos = new Map<string, number>();
  let i = 0;

  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const describe = (at: number) => (at >= text.length ? 'end of input' : `'${text[at]}'`);
  const expect = (ch: string, what: string) => {
    if (text[i] !== ch) throw new JsonSyntaxError(i, `expected ${what}, found ${describe(i)}`);
    i++;
  };

  const parseString = (): string => {
    const start = i;
    expect('"', "'\"'");
    let out = '';
    for (;;) {
      if (i >= text.length) throw new JsonSyntaxError(start, 'unterminated string');
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else throw new JsonSyntaxError(i, `invalid escape '\\${e ?? ''}' in string`);
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw new JsonSyntaxError(i, 'control character in string (newlines must be written \\n)');
      out += c;
      i++;
    }
  };

  const parseNumber = (): number => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') throw new JsonSyntaxError(i, `unexpected ${describe(i)}`);
    i += m[0].length;
    return Number(m[0]);
  };

  const parseValue = (path: string, depth: number): unknown => {
    if (depth > JSON_MAX_DEPTH) throw new JsonSyntaxError(i, `nesting deeper than ${JSON_MAX_DEPTH}`);
    ws();
    valuePos.set(path, i);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const keyAt = i;
        if (text[i] !== '"') throw new JsonSyntaxError(i, `expected a member name in double quotes, found ${describe(i)}`);
        const key = parseString();
        const childPath = path === '' ? key : `${path}.${key}`;
        keyPos.set(childPath, keyAt);
        ws();
        expect(':', "':' after member name");
        obj[key] = parseValue(childPath, depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') throw new JsonSyntaxError(i, "trailing comma before '}'");
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        throw new JsonSyntaxError(i, `expected ',' or '}' after member, found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(`${path}[${arr.length}]`, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') throw new JsonSyntaxError(i, "trailing comma before ']'");
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        throw new JsonSyntaxError(i, `expected ',' or ']' after array element, found ${describe(i)}`);
      }
    }
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    if (c === "'") throw new JsonSyntaxError(i, 'strings must use double quotes');
    throw new JsonSyntaxError(i, `unexpected ${describe(i)}`);
  };

  let value: unknown;
  try {
    value = parseValue('', 0);
    ws();
    if (i < text.length) throw new JsonSyntaxError(i, `unexpected ${describe(i)} after the end of the document`);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return fail(simError('JSON_SYNTAX', e.message, posOf(e.offset)));
    throw e;
  }

  const nearest = (map: Map<string, number>, path: string): Pos => {
    let p = path;
    for (;;) {
      const at = map.get(p) ?? valuePos.get(p);
      if (at !== undefined) return posOf(at);
      if (p === '') return { line: 1, column: 1 };
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut <= 0 ? '' : p.slice(0, cut);
    }
  };
  const locate = (path: string) => nearest(valuePos, path);
  return ok({
    value,
    locate,
    locateKey: (path) => nearest(keyPos, path),
    errorAt: (path, code, message) => simError(code, message, { path, ...locate(path) }),
  });
}
