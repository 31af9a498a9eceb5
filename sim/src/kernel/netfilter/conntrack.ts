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

const PROTO_INDEX: Record<Proto, number> = { tcp: 0, udp: 1, icmp: 2 };

/** src·2¹⁶ + sport: an exact 48-bit integer, so the hash table uses number keys (no string per packet). */
const bucketKey = (t: Tuple) => t.src * 65536 + t.sport;
const sameRest = (a: Tuple, b: Tuple) => a.dst === b.dst && a.dport === b.dport && a.proto === b.proto;

interface Hit {
  entry: ConntrackEntry;
  dir: Direction;
  tuple: Tuple;
}

/**
 * The conntrack table (`conntrack -L`): confirmed entries indexed by both
 * tuples, like the kernel's nf_conntrack_hash (one hash over the whole tuple,
 * chained buckets). Here the bucket key is source address and port and the
 * rest of the tuple is compared inside the bucket.
 */
export class ConntrackTable {
  #byTuple = new Map<number, Hit[]>();
  #entries: ConntrackEntry[] = [];
  #nextId = 1;

  #find(t: Tuple): Hit | undefined {
    const bucket = this.#byTuple.get(bucketKey(t));
    if (!bucket) return undefined;
    for (const h of bucket) if (sameRest(h.tuple, t) && PROTO_INDEX[h.tuple.proto] === PROTO_INDEX[t.proto]) return h;
    return undefined;
  }

  #add(h: Hit): void {
    const k = bucketKey(h.tuple);
    const bucket = this.#byTuple.get(k);
    if (bucket) bucket.push(h);
    else this.#byTuple.set(k, [h]);
  }

  /** Finds the entry for this packet, or creates an unconfirmed one. */
  lookupOrCreate(p: Packet): { entry: ConntrackEntry; dir: Direction; created: boolean } {
    const orig = tupleOf(p);
    const hit = this.#find(orig);
    if (hit) return { entry: hit.entry, dir: hit.dir, created: false };
    const entry: ConntrackEntry = { id: this.#nextId++, orig, reply: invert(orig), dstManipDone: false, srcManipDone: false, dnat: false, snat: false, seenReply: false, confirmed: false };
    return { entry, dir: 'original', created: true };
  }

  /** __nf_conntrack_confirm: the entry becomes visible to later packets. */
  confirm(e: ConntrackEntry): void {
    if (e.confirmed) return;
    e.confirmed = true;
    this.#entries.push(e);
    this.#add({ entry: e, dir: 'original', tuple: e.orig });
    this.#add({ entry: e, dir: 'reply', tuple: e.reply });
  }

  get entries(): readonly ConntrackEntry[] {
    return this.#entries;
  }
}
