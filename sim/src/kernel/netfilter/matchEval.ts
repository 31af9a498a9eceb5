/**
 * Does a rule match a packet? The `ipt_ip` part (addresses, interfaces,
 * protocol, each with `!`) and every match extension, in rule order; the
 * first that fails is reported so the trace can say why.
 * Upstream: kernel `net/ipv4/netfilter/ip_tables.c` (`ip_packet_match`,
 * interface names ending in `+` match by prefix), `net/netfilter/xt_tcpudp.c`,
 * `xt_statistic.c` (random: `(prandom_u32() & 0x7FFFFFFF) < probability`;
 * nth: counter starts at every-1-packet and matches when it wraps to 0),
 * `xt_mark.c` (`(mark & mask) == value`), `xt_addrtype.c`,
 * `xt_conntrack.c` (state bits incl. the virtual SNAT/DNAT states),
 * `xt_multiport.c`, `xt_recent.c` (`recent_mt`: per-list entries keyed by
 * the source (or --rdest destination) address, each with up to
 * ip_pkt_list_tot = 20 time stamps).
 */
import type { Prng } from '../../core/prng.ts';
import { cidrContains, type Ipv4 } from '../net/ipv4.ts';
import type { Packet } from '../net/packet.ts';
import { isLocalAddress, lookupRoute, type HostConfig } from '../net/routing.ts';
import type { CtState, Inverted, Match, PortRange, Rule } from './types.ts';

export interface MatchContext {
  pkt: Packet;
  host: HostConfig;
  /** Conntrack states this packet has (e.g. ['NEW'] or ['ESTABLISHED', 'DNAT']). */
  ctStates: readonly CtState[];
  prng: Prng;
  /** Per-rule `--mode nth` counters (the kernel's xt_statistic_priv). */
  nthCount: Map<Match, number>;
  /** xt_recent lists: list name → address → time stamps (ms), oldest first. */
  recent: RecentTables;
  /** The host's clock for xt_recent (ms; the sim's integer time, never Date.now). */
  nowMs: number;
}

export type RecentTables = Map<string, Map<Ipv4, number[]>>;

/** xt_recent's default `ip_pkt_list_tot` module parameter. */
export const RECENT_PKT_LIST_TOT = 20;

/** recent_mt (net/netfilter/xt_recent.c, Linux v6.12), with time in ms instead of jiffies. */
function recentMatches(m: Extract<Match, { name: 'recent' }>, ctx: MatchContext): boolean {
  const addr = m.rdest ? ctx.pkt.dst : ctx.pkt.src;
  let list = ctx.recent.get(m.list);
  if (!list) ctx.recent.set(m.list, (list = new Map()));
  let ret = m.invert;
  const stamps = list.get(addr);
  if (!stamps) {
    if (m.cmd !== 'set') return ret;
    list.set(addr, [ctx.nowMs]);
    return !ret;
  }
  if (m.cmd === 'set') ret = !ret;
  else if (m.cmd === 'remove') {
    list.delete(addr);
    return !ret;
  } else {
    const oldest = ctx.nowMs - m.seconds * 1000;
    let hits = 0;
    for (const t of stamps) {
      if (m.seconds && oldest > t) continue;
      if (!m.hitcount || ++hits >= m.hitcount) {
        ret = !ret;
        break;
      }
    }
    // recent_entry_reap: drop the entry when even its newest stamp is too old.
    if (m.reap && oldest > stamps[stamps.length - 1]! && !(m.cmd === 'update' && ret)) {
      list.delete(addr);
      return ret;
    }
  }
  if (m.cmd === 'set' || (m.cmd === 'update' && ret)) {
    stamps.push(ctx.nowMs);
    if (stamps.length > RECENT_PKT_LIST_TOT) stamps.shift();
  }
  return ret;
}

const inRange = (r: PortRange, port: number) => port >= r.from && port <= r.to;
const xor = (b: boolean, inv: boolean) => b !== inv;

export function ifaceMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

export function addrType(host: HostConfig, ip: Ipv4): string {
  if (isLocalAddress(host, ip)) return 'LOCAL';
  if (ip >>> 28 === 14) return 'MULTICAST';
  if (ip === 0xffffffff) return 'BROADCAST';
  return lookupRoute(host, ip) ? 'UNICAST' : 'UNREACHABLE';
}

function typeMatches(t: Inverted<string[]> | undefined, actual: string): boolean {
  return !t || xor(t.value.includes(actual), t.invert);
}

export function evalMatch(m: Match, ctx: MatchContext): boolean {
  const p = ctx.pkt;
  switch (m.name) {
    case 'tcp':
    case 'udp':
      return (!m.sport || xor(inRange(m.sport.value, p.sport), m.sport.invert)) && (!m.dport || xor(inRange(m.dport.value, p.dport), m.dport.invert));
    case 'icmp':
    case 'comment':
      return true;
    case 'recent':
      return recentMatches(m, ctx);
    case 'statistic': {
      if (m.mode === 'random') return xor((ctx.prng.nextUint32() & 0x7fffffff) < m.probability, m.invert);
      const last = m.every - 1;
      const oval = ctx.nthCount.get(m) ?? last - m.packet;
      const nval = oval === last ? 0 : oval + 1;
      ctx.nthCount.set(m, nval);
      return xor(nval === 0, m.invert);
    }
    case 'mark':
      return xor(((p.mark & m.mask) >>> 0) === m.mark, m.invert);
    case 'addrtype':
      return typeMatches(m.srcType, addrType(ctx.host, p.src)) && typeMatches(m.dstType, addrType(ctx.host, p.dst));
    case 'conntrack':
      return !m.ctstate || xor(ctx.ctStates.some((s) => m.ctstate!.value.includes(s)), m.ctstate.invert);
    case 'multiport': {
      const hit = m.ports.some((r) => (m.flag !== 'dports' && inRange(r, p.sport)) || (m.flag !== 'sports' && inRange(r, p.dport)));
      return xor(hit, m.invert);
    }
  }
}

/** undefined if the rule matches, else a short reason naming the first failing part. */
export function whyNotMatched(r: Rule, ctx: MatchContext): string | undefined {
  const p = ctx.pkt;
  if (r.src && !xor(cidrContains(r.src.value, p.src), r.src.invert)) return 'source address (-s)';
  if (r.dst && !xor(cidrContains(r.dst.value, p.dst), r.dst.invert)) return 'destination address (-d)';
  if (r.inIface && !xor(ifaceMatches(r.inIface.value, p.inIface), r.inIface.invert)) return 'in-interface (-i)';
  if (r.outIface && !xor(ifaceMatches(r.outIface.value, p.outIface), r.outIface.invert)) return 'out-interface (-o)';
  if (r.proto && !xor(r.proto.value === p.proto, r.proto.invert)) return 'protocol (-p)';
  for (const m of r.matches) if (!evalMatch(m, ctx)) return `-m ${m.name}`;
  return undefined;
}
