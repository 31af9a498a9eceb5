/**
 * The explorer's second input: one shell command per line, run in the merged
 * view (the container's root filesystem):
 *   echo TEXT > PATH · echo TEXT >> PATH · cat PATH · ls [PATH] · touch PATH
 *   mkdir [-p] PATH · rm [-r] [-f] PATH · rmdir PATH · mv FROM TO
 *   chmod MODE PATH · chown UID[:GID] PATH
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { errAt, parseUint } from '../netfilter/cursor.ts';
import { tokenize, type Token } from '../netfilter/tokenize.ts';
import type { ShellCommand } from './shell.ts';

export const OPS_MAX = 200;

export interface ParsedOp {
  line: number;
  /** The command as written. */
  text: string;
  command: ShellCommand;
}

function pathArg(t: Token | undefined, after: Token, usage: string): Result<string> {
  if (!t) return fail(errAt('MISSING_ARGUMENT', `missing operand: ${usage}`, { line: after.endLine, column: after.endColumn }));
  if (!t.text.startsWith('/')) return fail(errAt('BAD_VALUE', `use an absolute path (got "${t.text}")`, t));
  return ok(t.text);
}

export function parseOps(text: string): Result<ParsedOp[]> {
  const lines = tokenize(text);
  if (!lines.ok) return lines;
  const out: ParsedOp[] = [];
  const src = text.split('\n');
  for (const { tokens, line } of lines.value) {
    const [c, ...args] = tokens;
    const cmd = c!;
    if (out.length >= OPS_MAX) return fail(errAt('LIMIT_EXCEEDED', `at most ${OPS_MAX} commands`, cmd));
    const flags = new Set<string>();
    const rest: Token[] = [];
    for (const a of args) {
      if (/^-[a-zA-Z]+$/.test(a.text) && cmd.text !== 'echo') for (const f of a.text.slice(1)) flags.add(f);
      else rest.push(a);
    }
    const allow = (ok: string) => {
      for (const f of flags) if (!ok.includes(f)) return errAt('UNKNOWN_OPTION', `${cmd.text}: unknown option -${f}`, args.find((a) => a.text.startsWith('-') && a.text.includes(f))!);
      return undefined;
    };
    let command: ShellCommand;
    const last = rest[rest.length - 1] ?? cmd;
    switch (cmd.text) {
      case 'echo': {
        const redir = rest.findIndex((t) => t.text === '>' || t.text === '>>');
        if (redir < 0) return fail(errAt('SYNTAX', 'echo needs a redirection: echo TEXT > /path (or >>)', cmd));
        const p = pathArg(rest[redir + 1], rest[redir]!, 'echo TEXT > /path');
        if (!p.ok) return p;
        if (rest.length > redir + 2) return fail(errAt('SYNTAX', `unexpected "${rest[redir + 2]!.text}"`, rest[redir + 2]!));
        command = { cmd: 'echo', text: rest.slice(0, redir).map((t) => t.text).join(' '), path: p.value, append: rest[redir]!.text === '>>' };
        break;
      }
      case 'cat': case 'touch': case 'rmdir': case 'ls': {
        const e = allow('');
        if (e) return fail(e);
        if (cmd.text === 'ls' && !rest[0]) {
          command = { cmd: 'ls', path: '/' };
          break;
        }
        const p = pathArg(rest[0], cmd, `${cmd.text} /path`);
        if (!p.ok) return p;
        command = { cmd: cmd.text as 'cat', path: p.value };
        break;
      }
      case 'mkdir': {
        const e = allow('p');
        if (e) return fail(e);
        const p = pathArg(rest[0], last, 'mkdir [-p] /path');
        if (!p.ok) return p;
        command = { cmd: 'mkdir', path: p.value, parents: flags.has('p') };
        break;
      }
      case 'rm': {
        const e = allow('rRf');
        if (e) return fail(e);
        const p = pathArg(rest[0], last, 'rm [-r] [-f] /path');
        if (!p.ok) return p;
        command = { cmd: 'rm', path: p.value, recursive: flags.has('r') || flags.has('R'), force: flags.has('f') };
        break;
      }
      case 'mv': {
        const e = allow('');
        if (e) return fail(e);
        const a = pathArg(rest[0], cmd, 'mv /from /to');
        if (!a.ok) return a;
        const b = pathArg(rest[1], rest[0]!, 'mv /from /to');
        if (!b.ok) return b;
        command = { cmd: 'mv', from: a.value, to: b.value };
        break;
      }
      case 'chmod': {
        const m = rest[0];
        if (!m || !/^[0-7]{3,4}$/.test(m.text)) return fail(errAt('BAD_VALUE', 'chmod needs an octal mode, e.g. chmod 0600 /path', m ?? cmd));
        const p = pathArg(rest[1], m, 'chmod MODE /path');
        if (!p.ok) return p;
        command = { cmd: 'chmod', mode: parseInt(m.text, 8), path: p.value };
        break;
      }
      case 'chown': {
        const o = rest[0];
        const [u, g] = (o?.text ?? '').split(':');
        const uid = parseUint(u ?? '', 0xfffffffe);
        const gid = g === undefined ? undefined : parseUint(g, 0xfffffffe);
        if (!o || uid === undefined || (g !== undefined && gid === undefined)) return fail(errAt('BAD_VALUE', 'chown needs UID[:GID] as numbers, e.g. chown 1000:1000 /path', o ?? cmd));
        const p = pathArg(rest[1], o, 'chown UID[:GID] /path');
        if (!p.ok) return p;
        command = gid === undefined ? { cmd: 'chown', uid, path: p.value } : { cmd: 'chown', uid, gid, path: p.value };
        break;
      }
      default:
        return fail(errAt('UNKNOWN_COMMAND', `unknown command "${cmd.text}" (echo, cat, ls, touch, mkdir, rm, rmdir, mv, chmod, chown)`, cmd));
    }
    out.push({ line, text: (src[line - 1] ?? '').trim(), command });
  }
  return ok(out);
}
