/**
 * The packet as netfilter sees it: the fields of `struct iphdr` and the
 * TCP/UDP ports that the matches and NAT read, plus skb->mark.
 * Upstream: Linux `include/linux/skbuff.h` (`struct sk_buff`: dev, mark),
 * `include/uapi/linux/ip.h`.
 */
import { formatIpv4, type Ipv4 } from './ipv4.ts';

export type Proto = 'tcp' | 'udp' | 'icmp';

export interface Packet {
  proto: Proto;
  src: Ipv4;
  /** 0 for icmp. */
  sport: number;
  dst: Ipv4;
  dport: number;
  /** skb->dev on receive; undefined for locally generated packets. */
  inIface?: string;
  /** Set by the routing decision. */
  outIface?: string;
  /** skb->mark, a u32 (MARK target, `-m mark`). */
  mark: number;
}

export function endpoint(ip: Ipv4, port: number, proto: Proto): string {
  return proto === 'icmp' ? formatIpv4(ip) : `${formatIpv4(ip)}:${port}`;
}

export function describePacket(p: Packet): string {
  return `${p.proto} ${endpoint(p.src, p.sport, p.proto)} → ${endpoint(p.dst, p.dport, p.proto)}${p.mark ? ` mark 0x${p.mark.toString(16)}` : ''}`;
}
