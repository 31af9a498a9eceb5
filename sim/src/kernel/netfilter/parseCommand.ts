/**
 * One iptables command line → a command plus (for -A/-I) a rule.
 * Upstream: iptables 1.8 `iptables/xshared.c` (`do_parse`: the option table,
 * `!` handling, `-m` loading, auto-loading the protocol match when an unknown
 * option follows `-p tcp`, "Can't use -o with PREROUTING") and
 * `iptables/iptables.c` (`do_command4`). Chain names are limited to 28
 * characters (XT_EXTENSION_MAXNAMELEN - 1).
 */
import { fail, ok, type Result, type SimError } from '../../core/result.ts';
import { parseCidr } from '../net/ipv4.ts';
import { ArgCursor, errAt, isError, parseUint } from './cursor.ts';
import { finalCheckMatch, MATCH_NAMES, MATCH_OPTIONS, newMatch, parseMatchOption } from './matchParse.ts';
import { TABLE_NAMES, type TableName } from './tables.ts';
import { finalCheckTarget, newTarget, parseTargetOption, TARGET_NAMES, TARGET_OPTIONS, TARGET_PLACES, type ExtTargetKind } from './targetParse.ts';
import type { Token } from './tokenize.ts';
import type { Match, MatchName, Proto, Rule, Target } from './types.ts';

export const CHAIN_NAME_MAX = 28;

export type Command =
  | { op: 'append' | 'insert'; table: TableName; chain: string; chainTok: Token; rule: Rule; ruleNum?: number }
  | { op: 'new-chain'; table: TableName; chain: string; chainTok: Token }
  | { op: 'policy'; table: TableName; chain: string; chainTok: Token; policy: 'ACCEPT' | 'DROP' }
  | { op: 'flush' | 'delete-chain'; table: TableName; chain?: string; chainTok?: Token };

const ALIASES: Record<string, string> = {
  '--append': '-A', '--insert': '-I', '--new-chain': '-N', '--new': '-N', '--policy': '-P', '--flush': '-F', '--delete-chain': '-X',
  '--table': '-t', '--source': '-s', '--src': '-s', '--destination': '-d', '--dst': '-d', '--protocol': '-p',
  '--in-interface': '-i', '--out-interface': '-o', '--jump': '-j', '--goto': '-g', '--match': '-m',
};

const PROTOS: Record<string, Proto> = { tcp: 'tcp', udp: 'udp', icmp: 'icmp', '6': 'tcp', '17': 'udp', '1': 'icmp' };

export function validChainName(name: string): boolean {
  return name.length > 0 && name.length <= CHAIN_NAME_MAX && !name.startsWith('-') && name !== '!' && !/\s/.test(name);
}

export interface ParseCommandOptions {
  /** Table for lines without -t (filter for command lines; the section's table in a save file). */
  table: TableName;
  /** iptables-restore refuses `-t` inside a `*table` section. */
  allowTableOption: boolean;
}

/** Parses tokens (without the leading `iptables`) of one command. */
export function parseCommand(tokens: Token[], opts: ParseCommandOptions): Result<Command> {
  const cur = new ArgCursor(tokens);
  const rule: Rule = { matches: [], goto: false, pos: { line: tokens[0]?.line ?? 1, column: tokens[0]?.column ?? 1 } };
  let table = opts.table;
  let cmd: { op: Command['op']; tok: Token; chain?: Token; ruleNum?: number; policy?: Token } | undefined;
  const loaded: Match[] = [];
  let target: Target | undefined;
  let targetTok: Token | undefined;
  let inIfaceTok: Token | undefined;
  let outIfaceTok: Token | undefined;
  let invert: Token | undefined;
  const seen = new Set<string>();
  const err = (e: SimError) => fail<Command>(e);

  while (!cur.done) {
    const tok = cur.next()!;
    if (tok.text === '!') {
      if (invert) return err(errAt('INVALID_RULE', 'multiple "!" flags not allowed', tok));
      invert = tok;
      continue;
    }
    const opt = ALIASES[tok.text] ?? tok.text;
    const inv = invert !== undefined;
    invert = undefined;
    const once = () => {
      if (seen.has(opt)) return errAt('INVALID_RULE', `multiple ${opt} flags not allowed`, tok);
      seen.add(opt);
      return undefined;
    };
    const noInv = () => (inv ? errAt('INVALID_RULE', `cannot have "!" before ${tok.text}`, tok) : undefined);
    switch (opt) {
      case '-A': case '-I': case '-N': case '-P': case '-F': case '-X': {
        const e = noInv();
        if (e) return err(e);
        if (cmd) return err(errAt('INVALID_RULE', `cannot use ${tok.text} with ${cmd.tok.text}: one command per line`, tok));
        const op = ({ '-A': 'append', '-I': 'insert', '-N': 'new-chain', '-P': 'policy', '-F': 'flush', '-X': 'delete-chain' } as const)[opt];
        cmd = { op, tok };
        const nx = cur.peek();
        if (op === 'flush' || op === 'delete-chain') {
          if (nx && !nx.text.startsWith('-') && nx.text !== '!') cmd.chain = cur.next();
          break;
        }
        const c = cur.need(tok, 'chain name');
        if (isError(c)) return err(c);
        if (!validChainName(c.text)) return err(errAt('BAD_VALUE', `invalid chain name "${c.text}" (1–${CHAIN_NAME_MAX} characters, not starting with "-")`, c));
        cmd.chain = c;
        if (op === 'insert' && cur.peek() && /^\d+$/.test(cur.peek()!.text)) {
          const n = cur.next()!;
          const v = parseUint(n.text, 5000);
          if (v === undefined || v < 1) return err(errAt('BAD_VALUE', `invalid rule number "${n.text}"`, n));
          cmd.ruleNum = v;
        }
        if (op === 'policy') {
          const p = cur.need(c, 'ACCEPT or DROP');
          if (isError(p)) return err(p);
          if (p.text !== 'ACCEPT' && p.text !== 'DROP') return err(errAt('BAD_VALUE', `bad policy "${p.text}": only ACCEPT or DROP`, p));
          cmd.policy = p;
        }
        break;
      }
      case '-t': {
        const e = noInv() ?? once();
        if (e) return err(e);
        if (!opts.allowTableOption) return err(errAt('INVALID_RULE', 'the -t option cannot be used inside an iptables-restore *table section', tok));
        const a = cur.need(tok, 'table name');
        if (isError(a)) return err(a);
        if (!(TABLE_NAMES as readonly string[]).includes(a.text)) return err(errAt('UNKNOWN_TABLE', `can't initialize iptables table "${a.text}": Table does not exist (one of ${TABLE_NAMES.join(', ')})`, a));
        table = a.text as TableName;
        break;
      }
      case '-s': case '-d': {
        const e = once();
        if (e) return err(e);
        const a = cur.need(tok, 'address[/mask]');
        if (isError(a)) return err(a);
        if (a.text.includes(',')) return err(errAt('BAD_ADDRESS', 'address lists (a,b) are not simulated: write one rule per address', a));
        const c = parseCidr(a.text);
        if (!c) return err(errAt('BAD_ADDRESS', `host/network "${a.text}" not found (expected a.b.c.d[/len])`, a));
        if (opt === '-s') rule.src = { value: c, invert: inv };
        else rule.dst = { value: c, invert: inv };
        break;
      }
      case '-p': {
        const e = once();
        if (e) return err(e);
        const a = cur.need(tok, 'protocol');
        if (isError(a)) return err(a);
        if (a.text === 'all' || a.text === '0') break;
        const p = PROTOS[a.text.toLowerCase()];
        if (!p) return err(errAt('BAD_VALUE', `unknown protocol "${a.text}" (tcp, udp, icmp or all)`, a));
        rule.proto = { value: p, invert: inv };
        break;
      }
      case '-i': case '-o': {
        const e = once();
        if (e) return err(e);
        const a = cur.need(tok, 'interface name');
        if (isError(a)) return err(a);
        if (a.text.length > 15) return err(errAt('BAD_VALUE', `interface name "${a.text}" must be shorter than IFNAMSIZ (16)`, a));
        if (opt === '-i') { rule.inIface = { value: a.text, invert: inv }; inIfaceTok = tok; }
        else { rule.outIface = { value: a.text, invert: inv }; outIfaceTok = tok; }
        break;
      }
      case '-m': {
        const e = noInv();
        if (e) return err(e);
        const a = cur.need(tok, 'match name');
        if (isError(a)) return err(a);
        if (a.text === 'state') return err(errAt('UNKNOWN_MATCH', 'the "state" match is not simulated: use "-m conntrack --ctstate"', a));
        if (!(MATCH_NAMES as readonly string[]).includes(a.text)) return err(errAt('UNKNOWN_MATCH', `Couldn't load match "${a.text}": No such file or directory`, a));
        const m = newMatch(a.text as MatchName);
        loaded.push(m);
        rule.matches.push(m);
        break;
      }
      case '-j': case '-g': {
        const e = noInv() ?? (target ? errAt('INVALID_RULE', 'multiple -j/-g flags not allowed', tok) : undefined);
        if (e) return err(e);
        const a = cur.need(tok, opt === '-j' ? 'target or chain' : 'chain');
        if (isError(a)) return err(a);
        target = newTarget(a.text);
        if (target.kind === 'chain' && !validChainName(a.text)) return err(errAt('BAD_VALUE', `invalid target or chain name "${a.text}"`, a));
        if (opt === '-g' && target.kind !== 'chain') return err(errAt('INVALID_RULE', `-g needs a user-defined chain, not the target ${a.text}`, a));
        rule.goto = opt === '-g';
        targetTok = a;
        const place = TARGET_PLACES[target.kind as ExtTargetKind];
        if (place?.table && place.table !== table) return err(errAt('TARGET_NOT_ALLOWED', `${target.kind} target: only valid in ${place.table} table, not ${table}`, a));
        break;
      }
      default: {
        if (!opt.startsWith('--')) return err(errAt('UNKNOWN_OPTION', `unknown option "${tok.text}"`, tok));
        const name = opt.slice(2);
        // Most recently loaded match first, then the target (xtables' merged option table).
        let owner: Match | undefined = [...loaded].reverse().find((m) => MATCH_OPTIONS[m.name].includes(name));
        if (!owner && target && target.kind !== 'chain' && TARGET_OPTIONS[target.kind as ExtTargetKind]?.includes(name)) {
          const e = parseTargetOption(target, name, inv, tok, cur);
          if (e) return err(e);
          break;
        }
        if (!owner && rule.proto && (rule.proto.value === 'tcp' || rule.proto.value === 'udp') && MATCH_OPTIONS[rule.proto.value].includes(name) && !loaded.some((m) => m.name === rule.proto!.value)) {
          // xshared.c: an unknown option after -p tcp loads the tcp match implicitly.
          owner = newMatch(rule.proto.value);
          loaded.push(owner);
          rule.matches.push(owner);
        }
        if (!owner) return err(errAt('UNKNOWN_OPTION', `unknown option "${tok.text}"${target ? '' : ' (did you forget "-m <match>" or "-p tcp"?)'}`, tok));
        const e = parseMatchOption(owner, name, inv, tok, cur);
        if (e) return err(e);
      }
    }
  }
  if (invert) return err(errAt('INVALID_RULE', '"!" must be followed by an option', invert));
  const first = tokens[0] ?? { line: 1, column: 1 };
  if (!cmd) return err(errAt('INVALID_RULE', 'no command specified (expected -A, -I, -N, -P, -F or -X)', first));
  const chainTok = cmd.chain;
  if (cmd.op === 'append' || cmd.op === 'insert') {
    if (!chainTok) return err(errAt('MISSING_ARGUMENT', 'chain required', cmd.tok));
    const chain = chainTok.text;
    if (inIfaceTok && (chain === 'OUTPUT' || chain === 'POSTROUTING')) return err(errAt('INVALID_RULE', `Can't use -i with ${chain}`, inIfaceTok));
    if (outIfaceTok && (chain === 'PREROUTING' || chain === 'INPUT')) return err(errAt('INVALID_RULE', `Can't use -o with ${chain}`, outIfaceTok));
    for (const m of rule.matches) {
      const e = finalCheckMatch(m, rule, first);
      if (e) return err(e);
    }
    if (target) {
      const e = finalCheckTarget(target, rule.proto?.value === 'tcp' || rule.proto?.value === 'udp', targetTok ?? first);
      if (e) return err(e);
      rule.target = target;
      if (targetTok) rule.targetPos = { line: targetTok.line, column: targetTok.column };
    }
    const c: Command = { op: cmd.op, table, chain, chainTok, rule };
    if (cmd.ruleNum !== undefined) c.ruleNum = cmd.ruleNum;
    return ok(c);
  }
  const ruleOnly = rule.src || rule.dst || rule.proto || rule.inIface || rule.outIface || rule.matches.length || target;
  if (ruleOnly) return err(errAt('INVALID_RULE', `rule options cannot be used with ${cmd.tok.text}`, first));
  if (cmd.op === 'new-chain') return ok({ op: cmd.op, table, chain: chainTok!.text, chainTok: chainTok! });
  if (cmd.op === 'policy') return ok({ op: 'policy', table, chain: chainTok!.text, chainTok: chainTok!, policy: cmd.policy!.text as 'ACCEPT' | 'DROP' });
  return ok(chainTok ? { op: cmd.op, table, chain: chainTok.text, chainTok } : { op: cmd.op, table });
}

export { TARGET_NAMES };
