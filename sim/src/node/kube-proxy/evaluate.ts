/**
 * Follows a packet's first packet through the nat table the way netfilter
 * would (PREROUTING or OUTPUT, then POSTROUTING), using the structured rules
 * from iptables.ts: first match wins within a chain, jumps recurse, RETURN
 * pops, DNAT ends nat processing. `-m statistic --mode random` draws exactly as
 * xt_statistic.c: `(get_random_u32() & 0x7FFFFFFF) < probability·2^31`;
 * `-m recent` keeps per-name tables of source addresses (xt_recent.c).
 * A general netfilter engine lives in sim/src/kernel/netfilter; this one only
 * knows the matches kube-proxy emits.
 */
import type { Prng } from '../../core/prng.ts';
import type { IptRule, Match, NatTable } from './iptables.ts';
import { renderSaveRule } from './iptables.ts';
import { kernelProbabilityFixed } from './probability.ts';

export interface Packet {
  srcIP: string;
  dstIP: string;
  dstPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

export interface NatState {
  /** xt_recent tables: name → source IP → last seen (ms). */
  recent: Map<string, Map<string, number>>;
  nowMs: number;
}

export interface NatVerdict {
  /** "ip:port" after DNAT, or undefined when no rule rewrote the destination. */
  dnatTo?: string;
  /** The KUBE-SEP chain that did the DNAT. */
  endpointChain?: string;
  /** Marked 0x4000 and masqueraded in POSTROUTING. */
  masquerade: boolean;
  /** Every rule that matched, in iptables-save form. */
  trace: string[];
}

export function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/') as [string, string | undefined];
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((ipv4ToInt(base) & mask) >>> 0) === ((ipv4ToInt(ip) & mask) >>> 0);
}

interface Ctx {
  table: NatTable;
  packet: Packet;
  prng: Prng;
  state: NatState;
  localAddresses: ReadonlySet<string>;
  mark: number;
  verdict: NatVerdict;
  depth: number;
  tracing: boolean;
}

function matches(ctx: Ctx, r: IptRule): boolean {
  const p = ctx.packet;
  if (r.src && cidrContains(r.src.cidr, p.srcIP) === r.src.negate) return false;
  if (r.dst && cidrContains(r.dst.cidr, p.dstIP) === r.dst.negate) return false;
  if (r.protocol && r.protocol !== p.protocol) return false;
  for (const m of r.matches) if (!matchOne(ctx, m)) return false;
  return true;
}

function matchOne(ctx: Ctx, m: Match): boolean {
  const p = ctx.packet;
  switch (m.kind) {
    case 'comment': return true;
    case 'proto': return m.name === p.protocol && (m.dport === undefined || m.dport === p.dstPort);
    case 'addrtype': return (m.dstType === undefined || ctx.localAddresses.has(p.dstIP)) && (m.srcType === undefined || ctx.localAddresses.has(p.srcIP));
    case 'mark': return (((ctx.mark & Number(m.mask)) >>> 0) === Number(m.value)) !== m.negate;
    case 'statistic': return (ctx.prng.nextUint32() & 0x7fffffff) < kernelProbabilityFixed(m.probability);
    case 'recent': {
      let t = ctx.state.recent.get(m.name);
      if (!t) ctx.state.recent.set(m.name, (t = new Map()));
      if (m.mode === 'set') {
        t.set(p.srcIP, ctx.state.nowMs);
        return true;
      }
      const last = t.get(p.srcIP);
      if (last === undefined) return false;
      if (m.seconds !== undefined && ctx.state.nowMs - last > m.seconds * 1000) {
        if (m.reap) t.delete(p.srcIP);
        return false;
      }
      return true;
    }
  }
}

/** Runs one chain; returns 'stop' when nat processing for this hook is over (DNAT). */
function runChain(ctx: Ctx, chain: string): 'return' | 'stop' {
  if (++ctx.depth > 64) return 'stop'; // loop guard, never hit by kube-proxy's acyclic chains
  for (const r of ctx.table.rules) {
    if (r.chain !== chain || !matches(ctx, r)) continue;
    if (ctx.tracing) ctx.verdict.trace.push(renderSaveRule(r));
    const t = r.target;
    if (t.kind === 'RETURN') return 'return';
    if (t.kind === 'MARK') ctx.mark = (t.op === 'or' ? ctx.mark | Number(t.value) : ctx.mark ^ Number(t.value)) >>> 0;
    else if (t.kind === 'MASQUERADE') {
      ctx.verdict.masquerade = true;
      return 'stop';
    } else if (t.kind === 'DNAT') {
      ctx.verdict.dnatTo = t.toDestination;
      ctx.verdict.endpointChain = chain;
      return 'stop';
    } else if (runChain(ctx, t.chain) === 'stop') return 'stop';
  }
  return 'return';
}

/** The first packet of a connection through nat `hook` and then POSTROUTING (`trace` = record matched rules). */
export function evaluateNat(table: NatTable, packet: Packet, hook: 'PREROUTING' | 'OUTPUT', prng: Prng, state: NatState, localAddresses: ReadonlySet<string> = new Set(), trace = true): NatVerdict {
  const ctx: Ctx = { table, packet: { ...packet }, prng, state, localAddresses, mark: 0, verdict: { masquerade: false, trace: [] }, depth: 0, tracing: trace };
  runChain(ctx, hook);
  if (ctx.verdict.dnatTo) {
    const [ip, port] = ctx.verdict.dnatTo.split(':') as [string, string];
    ctx.packet.dstIP = ip;
    ctx.packet.dstPort = Number(port);
  }
  ctx.depth = 0;
  runChain(ctx, 'POSTROUTING');
  return ctx.verdict;
}
