/**
 * Checks done when a table is committed to the kernel.
 * Upstream: kernel `net/ipv4/netfilter/ip_tables.c` (`mark_source_chains`:
 * walks every jump from each hook's base chain and fails with ELOOP,
 * "Too many levels of symbolic links", on a loop; `check_target` →
 * `xt_check_target` in `net/netfilter/x_tables.c`: "%s target: used from
 * hooks %s, but only usable from %s"). The jump-depth limit of 64 is this
 * simulator's stated bound (the kernel sizes its jump stack from the ruleset).
 */
import type { SimError } from '../../core/result.ts';
import { errAt } from './cursor.ts';
import { isBuiltinChain, type Hook } from './tables.ts';
import { TARGET_PLACES, type ExtTargetKind } from './targetParse.ts';
import type { Table } from './types.ts';

export const JUMP_DEPTH_MAX = 64;

export function validateTable(t: Table): SimError | undefined {
  // 1. Every jump names an existing user chain.
  for (const c of t.chains.values()) {
    for (const r of c.rules) {
      if (r.target?.kind !== 'chain') continue;
      const at = r.targetPos ?? r.pos;
      const name = r.target.chain;
      if (isBuiltinChain(t.name, name)) return errAt('INVALID_RULE', `cannot jump to built-in chain ${name}`, at);
      if (!t.chains.has(name)) return errAt('UNKNOWN_CHAIN', `Couldn't load target "${name}": no such chain in table ${t.name} (declare it with ":${name} - [0:0]" or -N ${name})`, at);
    }
  }
  // 2. No loops, bounded depth, and targets only on hooks that allow them.
  const hooksOf = new Map<string, Set<Hook>>();
  for (const c of t.chains.values()) {
    if (!c.builtin) continue;
    const hook = c.name as Hook;
    // Depth-first walk with grey/black marks: a grey chain reached again is a loop;
    // `height` memoises how deep the jumps below a finished chain go, so shared
    // chains (KUBE-MARK-MASQ) are walked once per hook.
    const grey = new Set<string>();
    const height = new Map<string, number>();
    const visit = (name: string, depth: number): number | SimError => {
      let hooks = hooksOf.get(name);
      if (!hooks) hooksOf.set(name, (hooks = new Set()));
      hooks.add(hook);
      grey.add(name);
      let h = 0;
      for (const r of t.chains.get(name)!.rules) {
        if (r.target?.kind !== 'chain') continue;
        const at = r.targetPos ?? r.pos;
        const next = r.target.chain;
        if (grey.has(next)) return errAt('LOOP', `Too many levels of symbolic links (ELOOP): jumping to ${next} from ${name} makes a loop`, at);
        const sub = height.get(next) ?? visit(next, depth + 1);
        if (typeof sub !== 'number') return sub;
        if (depth + 1 + sub > JUMP_DEPTH_MAX) return errAt('LIMIT_EXCEEDED', `chain jumps nest deeper than ${JUMP_DEPTH_MAX}`, at);
        h = Math.max(h, sub + 1);
      }
      grey.delete(name);
      height.set(name, h);
      return h;
    };
    const e = visit(c.name, 0);
    if (typeof e !== 'number') return e;
  }
  for (const [name, hooks] of hooksOf) {
    for (const r of t.chains.get(name)!.rules) {
      const place = r.target ? TARGET_PLACES[r.target.kind as ExtTargetKind] : undefined;
      if (!place?.hooks) continue;
      const bad = [...hooks].filter((h) => !place.hooks!.includes(h));
      if (bad.length) return errAt('TARGET_NOT_ALLOWED', `${r.target!.kind} target: used from hooks ${bad.join('/')}, but only usable from ${place.hooks.join('/')}`, r.targetPos ?? r.pos);
    }
  }
  return undefined;
}
