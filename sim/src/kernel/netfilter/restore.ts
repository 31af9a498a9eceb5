/**
 * Loading rule text: `iptables …` command lines and/or iptables-save files
 * (`*nat`, `:CHAIN POLICY [0:0]`, `-A …`, `COMMIT`), into a Ruleset.
 * Upstream: iptables 1.8 `iptables/iptables-restore.c` + `xtables-restore.c`
 * (a `*table` section is replaced as a whole unless --noflush; with
 * --noflush a `:CHAIN` line creates or flushes that chain, which is how
 * kube-proxy's `iptables-restore --noflush` rewrites only its own chains;
 * "COMMIT expected"; "-t cannot be used in iptables-restore").
 * Jump targets are resolved when the table is committed (end of its section,
 * or end of input for command lines).
 */
import { fail, ok, type Result, type SimError } from '../../core/result.ts';
import { errAt } from './cursor.ts';
import { applyCommand, cloneRuleset, emptyRuleset, newTable, ruleCount, tableOf } from './ruleset.ts';
import { parseCommand, validChainName } from './parseCommand.ts';
import { isBuiltinChain, TABLE_NAMES, type TableName } from './tables.ts';
import { tokenize, type Token } from './tokenize.ts';
import type { Ruleset } from './types.ts';
import { validateTable } from './validate.ts';

export const RULES_MAX = 5000;
export const RULES_TEXT_MAX_BYTES = 1_000_000;

export interface RestoreOptions {
  /** Start from these tables instead of an empty ruleset (not modified). */
  base?: Ruleset;
  /** `iptables-restore --noflush`: keep what a `*table` section does not mention. */
  noflush?: boolean;
}

const COMMAND_WORDS = new Set(['iptables', 'iptables-legacy', 'iptables-nft', 'sudo']);

export function parseIptables(text: string, opts: RestoreOptions = {}): Result<Ruleset> {
  if (text.length > RULES_TEXT_MAX_BYTES) return fail(errAt('LIMIT_EXCEEDED', `rules text is larger than ${RULES_TEXT_MAX_BYTES} bytes`, { line: 1, column: 1 }));
  const lines = tokenize(text);
  if (!lines.ok) return lines;
  const rs = opts.base ? cloneRuleset(opts.base) : emptyRuleset();
  let section: { table: TableName; tok: Token } | undefined;
  const touchedByCommands = new Set<TableName>();
  const errors: SimError[] = [];
  let rules = ruleCount(rs);

  for (const { tokens } of lines.value) {
    const first = tokens[0]!;
    const word = first.text;
    if (word.startsWith('*')) {
      if (section) return fail(errAt('COMMIT_EXPECTED', `COMMIT expected before a new table (table ${section.table} opened at line ${section.tok.line} is still open)`, first));
      const name = word.slice(1);
      if (!(TABLE_NAMES as readonly string[]).includes(name)) return fail(errAt('UNKNOWN_TABLE', `unknown table "${name}" (one of ${TABLE_NAMES.join(', ')})`, first));
      if (tokens.length > 1) return fail(errAt('SYNTAX', `unexpected "${tokens[1]!.text}" after ${word}`, tokens[1]!));
      section = { table: name as TableName, tok: first };
      if (!opts.noflush) {
        rules -= ruleCount({ tables: new Map(rs.tables.has(section.table) ? [[section.table, rs.tables.get(section.table)!]] : []) });
        rs.tables.set(section.table, newTable(section.table));
      } else tableOf(rs, section.table);
      continue;
    }
    if (word.startsWith(':')) {
      if (!section) return fail(errAt('SYNTAX', `chain declaration "${word}" outside a *table section`, first));
      const e = declareChain(rs, section.table, tokens, !!opts.noflush);
      if (e.err) return fail(e.err);
      rules -= e.flushed;
      continue;
    }
    if (word === 'COMMIT') {
      if (!section) return fail(errAt('SYNTAX', 'COMMIT without a *table section', first));
      if (tokens.length > 1) return fail(errAt('SYNTAX', `unexpected "${tokens[1]!.text}" after COMMIT`, tokens[1]!));
      const e = validateTable(rs.tables.get(section.table)!);
      if (e) return fail(e);
      section = undefined;
      continue;
    }
    let start = 0;
    while (start < tokens.length && COMMAND_WORDS.has(tokens[start]!.text)) start++;
    const isCommandLine = start > 0;
    if (isCommandLine && section) return fail(errAt('SYNTAX', `an "${word}" command line inside the *${section.table} section (missing COMMIT?)`, first));
    if (!isCommandLine && !word.startsWith('-')) return fail(errAt('SYNTAX', `unknown line "${word}": expected iptables …, *table, :CHAIN, -A …, or COMMIT`, first));
    const args = tokens.slice(start);
    if (args.length === 0) return fail(errAt('INVALID_RULE', 'no command specified', first));
    const cmd = parseCommand(args, section ? { table: section.table, allowTableOption: false } : { table: 'filter', allowTableOption: true });
    if (!cmd.ok) return cmd;
    if (!section) touchedByCommands.add(cmd.value.table);
    if (cmd.value.op === 'append' || cmd.value.op === 'insert') {
      rules++;
      if (rules > RULES_MAX) return fail(errAt('LIMIT_EXCEEDED', `more than ${RULES_MAX} rules`, first));
    }
    if (cmd.value.op === 'flush') {
      const t = rs.tables.get(cmd.value.table);
      if (t) for (const c of t.chains.values()) if (cmd.value.chain === undefined || c.name === cmd.value.chain) rules -= c.rules.length;
    }
    const e = applyCommand(rs, cmd.value);
    if (e) return fail(e);
  }
  if (section) return fail(errAt('COMMIT_EXPECTED', `COMMIT expected: table ${section.table} opened here is never committed`, section.tok));
  for (const name of touchedByCommands) {
    const e = validateTable(rs.tables.get(name)!);
    if (e) errors.push(e);
  }
  return errors.length ? fail(errors) : ok(rs);
}

function declareChain(rs: Ruleset, table: TableName, tokens: Token[], noflush: boolean): { err?: SimError; flushed: number } {
  const first = tokens[0]!;
  const name = first.text.slice(1);
  if (!validChainName(name)) return { err: errAt('BAD_VALUE', `invalid chain name "${name}"`, first), flushed: 0 };
  const policyTok = tokens[1];
  if (!policyTok) return { err: errAt('MISSING_ARGUMENT', `chain ${name} needs a policy ("ACCEPT", "DROP", or "-" for a user chain)`, { line: first.endLine, column: first.endColumn }), flushed: 0 };
  const counters = tokens[2];
  if (counters && !/^\[\d+:\d+\]$/.test(counters.text)) return { err: errAt('SYNTAX', `bad counters "${counters.text}" (expected [packets:bytes])`, counters), flushed: 0 };
  if (tokens[3]) return { err: errAt('SYNTAX', `unexpected "${tokens[3].text}"`, tokens[3]), flushed: 0 };
  const t = tableOf(rs, table);
  const builtin = isBuiltinChain(table, name);
  if (builtin) {
    if (policyTok.text !== 'ACCEPT' && policyTok.text !== 'DROP') return { err: errAt('BAD_VALUE', `built-in chain ${name} needs policy ACCEPT or DROP, not "${policyTok.text}"`, policyTok), flushed: 0 };
    const c = t.chains.get(name)!;
    // iptables-restore.c: a built-in chain line only sets the policy; only
    // user-defined chains are flushed under --noflush.
    c.policy = policyTok.text;
    return { flushed: 0 };
  }
  if (policyTok.text !== '-') return { err: errAt('BAD_VALUE', `user-defined chain ${name} cannot have a policy: write "-"`, policyTok), flushed: 0 };
  const existing = t.chains.get(name);
  if (existing) {
    if (!noflush) return { err: errAt('CHAIN_EXISTS', `chain ${name} declared twice`, first), flushed: 0 };
    const flushed = existing.rules.length;
    existing.rules = [];
    return { flushed };
  }
  t.chains.set(name, { name, builtin: false, rules: [] });
  return { flushed: 0 };
}
