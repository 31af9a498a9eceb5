/**
 * Connection tracking: remembers each flow and the NAT decided for it.
 * Upstream: Linux `net/netfilter/nf_conntrack_core.c` (`nf_conntrack_in`
 * looks the tuple up in both directions; a new entry stays unconfirmed until
 * `__nf_conntrack_confirm` at the last hook, so a dropped first packet leaves
 * nothing behind), `net/netfilter/nf_nat_core.c` (`nf_nat_inet_fn`: the nat
 * table is consulted only while the manip type is not yet initialised, i.e.
 * for the first packet; later packets reuse the binding via `nf_nat_packet`;
 * a connection without a NAT rule gets a null binding), and
 * `include/uapi/linux/netfilter/nf_conntrack_common.h` (ctinfo: a packet is
 * NEW until the flow has seen a reply, then ESTABLISHED).
 */
import { endpoint, type Packet, type Proto } from '../net/packet.ts';
import type { Ipv4 } from '../net/ipv4.ts';

export interface Tuple {
  proto: Proto;
  src: Ipv4;
  sport: number;
  dst: Ipv4;
  dport: number;
}

export interface ConntrackEntry {
  id: number;
  orig: Tuple;
  /** What a reply looks like on the wire: changes when NAT is bound. */
  reply: Tuple;
  /** IPS_DST_NAT_DONE / IPS_SRC_NAT_DONE: the manip has been decided (maybe as a null binding). */
  dstManipDone: boolean;
  srcManipDone: boolean;
  /** IPS_DST_NAT / IPS_SRC_NAT: the binding actually changes addresses. */
  dnat: boolean;
  snat: boolean;
  /** IPS_SEEN_REPLY. */
  seenReply: boolean;
  confirmed: boolean;
}

export type Direction = 'original' | 'reply';

export function tupleOf(p: Packet): Tuple {
  return { proto: p.proto, src: p.src, sport: p.sport, dst: p.dst, dport: p.dport };
}

export function invert(t: Tuple): Tuple {
  return { proto: t.proto, src: t.dst, sport: t.dport, dst: t.src, dport: t.sport };
}

export function tupleKey(t: Tuple): string {
  return `${t.proto} ${t.src}:${t.sport} ${t.dst}:${t.dport}`;
}

export function formatTuple(t: Tuple): string {
  return `${t.proto} src=${endpoint(t.src, t.sport, t.proto)} dst=${endpoint(t.dst, t.dport, t.proto)}`;
}

/** The conntrack table (`conntrack -L`): confirmed entries indexed by both tuples. */
export class ConntrackTable {
  #byTuple = new Map<string, { entry: ConntrackEntry; dir: Direction }>();
  #entries: ConntrackEntry[] = [];
  #nextId = 1;

  /** Finds the entry for this packet, or creates an unconfirmed one. */
  lookupOrCreate(p: Packet): { entry: ConntrackEntry; dir: Direction; created: boolean } {
    const hit = this.#byTuple.get(tupleKey(tupleOf(p)));
    if (hit) return { ...hit, created: false };
    const orig = tupleOf(p);
    const entry: ConntrackEntry = { id: this.#nextId++, orig, reply: invert(orig), dstManipDone: false, srcManipDone: false, dnat: false, snat: false, seenReply: false, confirmed: false };
    return { entry, dir: 'original', created: true };
  }

  /** __nf_conntrack_confirm: the entry becomes visible to later packets. */
  confirm(e: ConntrackEntry): void {
    if (e.confirmed) return;
    e.confirmed = true;
    this.#entries.push(e);
    this.#byTuple.set(tupleKey(e.orig), { entry: e, dir: 'original' });
    this.#byTuple.set(tupleKey(e.reply), { entry: e, dir: 'reply' });
  }

  get entries(): readonly ConntrackEntry[] {
    return this.#entries;
  }
}
