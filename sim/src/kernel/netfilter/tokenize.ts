/**
 * Splits rule text into logical lines of shell-like words, remembering the
 * line and column (1-based) where every word starts so that errors point at
 * the exact token. Handles what rule files contain: single and double
 * quotes (`--comment "default/nginx:http"`), backslash escapes, a trailing
 * `\` joining the next line (as in shell scripts), and `#` comments.
 * Upstream: iptables 1.8 `iptables/xshared.c` (`add_param_to_argv`, which
 * tokenises iptables-restore lines with the same quoting rules).
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';

export interface Token {
  text: string;
  line: number;
  column: number;
  /** Column just after the token's last character (on the token's last line). */
  endLine: number;
  endColumn: number;
}

export interface LogicalLine {
  tokens: Token[];
  /** Line where the logical line starts. */
  line: number;
}

export function tokenize(text: string): Result<LogicalLine[]> {
  const lines: LogicalLine[] = [];
  let tokens: Token[] = [];
  let startLine = 1;
  let line = 1;
  let col = 1;
  let i = 0;
  let word: string | undefined;
  let wl = 0;
  let wc = 0;
  const endWord = () => {
    if (word !== undefined) tokens.push({ text: word, line: wl, column: wc, endLine: line, endColumn: col });
    word = undefined;
  };
  const endLine = () => {
    endWord();
    if (tokens.length) lines.push({ tokens, line: startLine });
    tokens = [];
  };
  const begin = () => {
    if (word === undefined) {
      word = '';
      wl = line;
      wc = col;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      endLine();
      i++;
      line++;
      col = 1;
      startLine = line;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      col++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      endWord();
      i += text[i + 1] === '\r' ? 3 : 2;
      line++;
      col = 1;
      continue;
    }
    if (c === '#' && word === undefined) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      begin();
      const qLine = line;
      const qCol = col;
      i++;
      col++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\n') return fail(simError('SYNTAX', `unterminated ${c} quote`, { line: qLine, column: qCol }));
        if (c === '"' && text[i] === '\\' && i + 1 < text.length && text[i + 1] !== '\n') {
          word += text[i + 1]!;
          i += 2;
          col += 2;
          continue;
        }
        word += text[i]!;
        i++;
        col++;
      }
      if (i >= text.length) return fail(simError('SYNTAX', `unterminated ${c} quote`, { line: qLine, column: qCol }));
      i++;
      col++;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      begin();
      word += text[i + 1]!;
      i += 2;
      col += 2;
      continue;
    }
    begin();
    word += c;
    i++;
    col++;
  }
  endLine();
  return ok(lines);
}
