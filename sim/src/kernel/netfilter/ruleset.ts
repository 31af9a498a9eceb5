/**
 * Creating and editing a Ruleset the way iptables commands do.
 * Upstream: iptables 1.8 `libiptc/libiptc.c` (`iptc_create_chain`,
 * `iptc_insert_entry`, `iptc_append_entry`, `iptc_flush_entries`,
 * `iptc_delete_chain`, `iptc_set_policy`) and the error strings of
 * `iptc_strerror` ("Chain already exists", "No chain/target/match by that name",
 * "Bad built-in chain name", "Directory not empty").
 */
import type { SimError } from '../../core/result.ts';
import { errAt } from './cursor.ts';
import type { Command } from './parseCommand.ts';
import { BUILTIN_CHAINS, isBuiltinChain, type TableName } from './tables.ts';
import type { Chain, Rule, Ruleset, Table } from './types.ts';

export function emptyRuleset(): Ruleset {
  return { tables: new Map() };
}

export function newTable(name: TableName): Table {
  const chains = new Map<string, Chain>();
  for (const hook of BUILTIN_CHAINS[name]) chains.set(hook, { name: hook, builtin: true, policy: 'ACCEPT', rules: [] });
  return { name, chains };
}

/** The table, created with its built-in chains (policy ACCEPT) on first use, like loading iptable_<name>. */
export function tableOf(rs: Ruleset, name: TableName): Table {
  let t = rs.tables.get(name);
  if (!t) {
    t = newTable(name);
    rs.tables.set(name, t);
  }
  return t;
}

export function cloneRuleset(rs: Ruleset): Ruleset {
  const out = emptyRuleset();
  for (const [name, t] of rs.tables) {
    const chains = new Map<string, Chain>();
    for (const [cn, c] of t.chains) chains.set(cn, { ...c, rules: [...c.rules] });
    out.tables.set(name, { name, chains });
  }
  return out;
}

export function ruleCount(rs: Ruleset): number {
  let n = 0;
  for (const t of rs.tables.values()) for (const c of t.chains.values()) n += c.rules.length;
  return n;
}

/** Applies one parsed command; errors are located at the chain token. */
export function applyCommand(rs: Ruleset, cmd: Command): SimError | undefined {
  const t = tableOf(rs, cmd.table);
  const at = cmd.chainTok ?? { line: 1, column: 1 };
  switch (cmd.op) {
    case 'new-chain':
      if (t.chains.has(cmd.chain)) return errAt('CHAIN_EXISTS', `iptables: Chain already exists (${cmd.table} ${cmd.chain})`, at);
      t.chains.set(cmd.chain, { name: cmd.chain, builtin: false, rules: [] });
      return undefined;
    case 'policy': {
      const c = t.chains.get(cmd.chain);
      if (!c || !c.builtin) return errAt('UNKNOWN_CHAIN', `iptables: Bad built-in chain name (${cmd.chain} is not a built-in chain of table ${cmd.table})`, at);
      c.policy = cmd.policy;
      return undefined;
    }
    case 'append':
    case 'insert': {
      const c = t.chains.get(cmd.chain);
      if (!c) return errAt('UNKNOWN_CHAIN', `iptables: No chain/target/match by that name (chain ${cmd.chain} does not exist in table ${cmd.table}; create it with -N or ":${cmd.chain} - [0:0]")`, at);
      if (cmd.op === 'append') c.rules.push(cmd.rule);
      else {
        const idx = (cmd.ruleNum ?? 1) - 1;
        if (idx > c.rules.length) return errAt('BAD_VALUE', `iptables: Index of insertion too big (chain ${cmd.chain} has ${c.rules.length} rules)`, at);
        c.rules.splice(idx, 0, cmd.rule);
      }
      return undefined;
    }
    case 'flush':
      if (cmd.chain === undefined) for (const c of t.chains.values()) c.rules = [];
      else {
        const c = t.chains.get(cmd.chain);
        if (!c) return errAt('UNKNOWN_CHAIN', `iptables: No chain/target/match by that name (${cmd.chain})`, at);
        c.rules = [];
      }
      return undefined;
    case 'delete-chain': {
      const names = cmd.chain === undefined ? [...t.chains.values()].filter((c) => !c.builtin).map((c) => c.name) : [cmd.chain];
      for (const name of names) {
        const c = t.chains.get(name);
        if (!c) return errAt('UNKNOWN_CHAIN', `iptables: No chain/target/match by that name (${name})`, at);
        if (isBuiltinChain(cmd.table, name)) return errAt('INVALID_RULE', `Can't delete built-in chain ${name}`, at);
        if (c.rules.length) return errAt('INVALID_RULE', `iptables: Directory not empty (chain ${name} still has rules; flush it first)`, at);
        t.chains.delete(name);
      }
      return undefined;
    }
  }
}

export type { Rule };
