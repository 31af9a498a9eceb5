/**
 * Walking one table's chains for one packet at one hook: `ipt_do_table`.
 * Upstream: kernel `net/ipv4/netfilter/ip_tables.c` (v6.x): rules are tried
 * in order; a matching rule's target decides: ACCEPT/DROP end the table,
 * a user chain pushes a return point on the jump stack (`-g` does not),
 * RETURN or falling off a user chain pops it, falling off (or RETURN in) a
 * built-in chain applies its policy. Non-terminating targets (MARK, LOG)
 * continue with the next rule; DNAT/SNAT/MASQUERADE return NF_ACCEPT after
 * binding the NAT (`xt_nat.c`, `nf_nat_masquerade.c`); REJECT drops and
 * answers with an ICMP error or TCP RST (`ipt_REJECT.c`).
 */
import { formatIpv4 } from '../net/ipv4.ts';
import { describePacket } from '../net/packet.ts';
import type { MatchContext } from './matchEval.ts';
import { whyNotMatched } from './matchEval.ts';
import { saveRuleSpec } from './save.ts';
import type { Hook, TableName } from './tables.ts';
import type { TraceStep } from './traceTypes.ts';
import type { Chain, Rule, Table, Target } from './types.ts';

export type NatTarget = Extract<Target, { kind: 'DNAT' | 'SNAT' | 'MASQUERADE' }>;

export interface TableVerdict {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  /** Set when a NAT target fired (nat table only). */
  nat?: NatTarget;
  rejectWith?: string;
}

export interface EvalOptions {
  emit?: (s: TraceStep) => void;
  /** Packet counters per rule (what `iptables -L -v` / `iptables-save -c` show). */
  counters?: Map<Rule, number>;
}

export function doTable(table: Table, hook: Hook, ctx: MatchContext, opts: EvalOptions = {}): TableVerdict {
  const emit = opts.emit;
  const t: TableName = table.name;
  const base = table.chains.get(hook)!;
  const stack: { chain: Chain; idx: number }[] = [];
  let chain = base;
  let idx = 0;
  const policy = (): TableVerdict => {
    const pol = base.policy ?? 'ACCEPT';
    emit?.({ kind: 'policy', table: t, chain: base.name, policy: pol, text: `${t}:${base.name}:policy:${base.rules.length + 1} → ${pol}` });
    return { verdict: pol };
  };
  const done = (v: TableVerdict, r: Rule): TableVerdict => {
    emit?.({ kind: 'verdict', table: t, chain: chain.name, verdict: v.verdict, text: `${t}:${chain.name}: ${saveRuleSpec(r)} → ${v.verdict}` });
    return v;
  };
  for (;;) {
    if (idx >= chain.rules.length) {
      if (chain.builtin) return policy();
      const back = stack.pop();
      emit?.({ kind: 'return', table: t, chain: chain.name, text: `${t}:${chain.name}:return:${chain.rules.length + 1} (end of chain) → back to ${back?.chain.name ?? base.name}` });
      if (!back) return policy();
      chain = back.chain;
      idx = back.idx + 1;
      continue;
    }
    const r = chain.rules[idx]!;
    const why = whyNotMatched(r, ctx);
    if (emit) emit({ kind: 'rule', table: t, chain: chain.name, ruleNum: idx + 1, rule: `-A ${chain.name} ${saveRuleSpec(r)}`, matched: why === undefined, text: `${t}:${chain.name}:rule:${idx + 1} ${why === undefined ? 'matched' : `no match (${why})`}` });
    if (why !== undefined) {
      idx++;
      continue;
    }
    opts.counters?.set(r, (opts.counters.get(r) ?? 0) + 1);
    const tg = r.target;
    if (!tg) {
      idx++;
      continue;
    }
    switch (tg.kind) {
      case 'ACCEPT':
      case 'DROP':
        return done({ verdict: tg.kind }, r);
      case 'REJECT':
        return done({ verdict: 'REJECT', rejectWith: tg.rejectWith }, r);
      case 'DNAT':
      case 'SNAT':
      case 'MASQUERADE':
        return done({ verdict: 'ACCEPT', nat: tg }, r);
      case 'RETURN': {
        const back = stack.pop();
        emit?.({ kind: 'return', table: t, chain: chain.name, text: `${t}:${chain.name}:rule:${idx + 1} RETURN → ${back ? back.chain.name : `policy of ${base.name}`}` });
        if (!back) return policy();
        chain = back.chain;
        idx = back.idx + 1;
        continue;
      }
      case 'chain': {
        const next = table.chains.get(tg.chain)!;
        emit?.({ kind: 'jump', table: t, chain: chain.name, to: next.name, goto: r.goto, text: `${t}:${chain.name} ${r.goto ? 'goto' : 'jump'} → ${next.name}` });
        if (!r.goto) stack.push({ chain, idx });
        chain = next;
        idx = 0;
        continue;
      }
      case 'MARK': {
        const before = ctx.pkt.mark;
        ctx.pkt.mark = ((before & ~tg.mask) ^ tg.value) >>> 0;
        emit?.({ kind: 'mark', text: `MARK: skb->mark 0x${before.toString(16)} → 0x${ctx.pkt.mark.toString(16)}` });
        idx++;
        continue;
      }
      case 'LOG':
        emit?.({ kind: 'log', text: `LOG (kernel log, level ${tg.level}): ${tg.prefix}IN=${ctx.pkt.inIface ?? ''} OUT=${ctx.pkt.outIface ?? ''} SRC=${formatIpv4(ctx.pkt.src)} DST=${formatIpv4(ctx.pkt.dst)} — ${describePacket(ctx.pkt)}` });
        idx++;
        continue;
    }
  }
}
