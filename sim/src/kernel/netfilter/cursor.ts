/**
 * Walks the words of one command line. `need()` returns the next word or a
 * located MISSING_ARGUMENT error pointing just after the option that wanted it.
 */
import { simError, type SimError } from '../../core/result.ts';
import type { Token } from './tokenize.ts';

export class ArgCursor {
  #tokens: Token[];
  #i: number;

  constructor(tokens: Token[], start = 0) {
    this.#tokens = tokens;
    this.#i = start;
  }

  get done(): boolean {
    return this.#i >= this.#tokens.length;
  }

  peek(): Token | undefined {
    return this.#tokens[this.#i];
  }

  next(): Token | undefined {
    return this.#tokens[this.#i++];
  }

  need(after: Token, what: string): Token | SimError {
    const t = this.#tokens[this.#i];
    if (!t || (t.text.startsWith('-') && t.text.length > 1 && !/^-\d/.test(t.text)) || t.text === '!') {
      return simError('MISSING_ARGUMENT', `option "${after.text}" requires an argument (${what})`, { line: after.endLine, column: after.endColumn });
    }
    this.#i++;
    return t;
  }
}

export function isError(x: unknown): x is SimError {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x;
}

export function errAt(code: string, message: string, t: { line: number; column: number }): SimError {
  return simError(code, message, { line: t.line, column: t.column });
}

/** strtoul(…, 0)-style unsigned integer: `0x…` hex, leading `0` octal, else decimal. */
export function parseUint(text: string, max: number): number | undefined {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) v = parseInt(text.slice(1), 8);
  else if (/^\d+$/.test(text)) v = Number(text);
  else return undefined;
  return Number.isSafeInteger(v) && v <= max ? v : undefined;
}
