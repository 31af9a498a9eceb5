/**
 * A parsed ruleset: what `iptables-restore` loads and `iptables-save` prints.
 * Upstream: `include/uapi/linux/netfilter_ipv4/ip_tables.h` (`struct ipt_ip`:
 * src/dst with mask, iniface/outiface, proto, invflags) and the match/target
 * structs of the extensions named below (`xt_tcpudp.h`, `xt_statistic.h`,
 * `xt_mark.h`, `xt_addrtype.h`, `xt_conntrack.h`, `xt_multiport.h`,
 * `nf_nat.h`, `ipt_REJECT.h`, `xt_LOG.h`).
 */
import type { Cidr, Ipv4 } from '../net/ipv4.ts';
import type { Proto } from '../net/packet.ts';
import type { Hook, TableName } from './tables.ts';

export interface SourcePos {
  line: number;
  column: number;
}

export type { Proto };

export interface Inverted<T> {
  value: T;
  invert: boolean;
}

/** Inclusive port range; a single port has from === to. */
export interface PortRange {
  from: number;
  to: number;
}

export type CtState = 'INVALID' | 'NEW' | 'RELATED' | 'ESTABLISHED' | 'UNTRACKED' | 'SNAT' | 'DNAT';

export type Match =
  | { name: 'tcp' | 'udp'; sport?: Inverted<PortRange>; dport?: Inverted<PortRange> }
  | { name: 'icmp' }
  | { name: 'comment'; comment: string }
  | { name: 'statistic'; mode: 'random'; invert: boolean; /** round(p · 2^31), as libxt_statistic stores it */ probability: number }
  | { name: 'statistic'; mode: 'nth'; invert: boolean; every: number; packet: number }
  | { name: 'mark'; invert: boolean; mark: number; mask: number }
  | { name: 'addrtype'; srcType?: Inverted<string[]>; dstType?: Inverted<string[]> }
  | { name: 'conntrack'; ctstate?: Inverted<CtState[]> }
  | { name: 'multiport'; flag: 'sports' | 'dports' | 'ports'; invert: boolean; ports: PortRange[] }
  /**
   * xt_recent: `args` keeps the options as written (iptables-save prints them
   * back); the rest is what the kernel evaluates (`struct xt_recent_mtinfo`).
   */
  | { name: 'recent'; args: string[]; cmd?: 'set' | 'rcheck' | 'update' | 'remove'; list: string; seconds: number; hitcount: number; reap: boolean; rdest: boolean; invert: boolean };

export type MatchName = Match['name'];

export type Target =
  | { kind: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'chain'; chain: string }
  | { kind: 'REJECT'; rejectWith: string }
  | { kind: 'DNAT'; ip: Ipv4; port?: number }
  | { kind: 'SNAT'; ip: Ipv4; port?: number }
  | { kind: 'MASQUERADE'; toPorts?: PortRange; random: boolean; randomFully: boolean }
  | { kind: 'MARK'; value: number; mask: number }
  | { kind: 'LOG'; prefix: string; level: number };

export interface Rule {
  src?: Inverted<Cidr>;
  dst?: Inverted<Cidr>;
  inIface?: Inverted<string>;
  outIface?: Inverted<string>;
  proto?: Inverted<Proto>;
  /** In the order the rule loaded them (iptables-save keeps that order). */
  matches: Match[];
  target?: Target;
  /** `-g`: jump without remembering where to return. */
  goto: boolean;
  /** Where the rule was written (line of `-A`/`-I`, column of its first token). */
  pos: SourcePos;
  /** Where its `-j`/`-g` argument was written (for unknown-chain errors). */
  targetPos?: SourcePos;
}

export interface Chain {
  name: string;
  builtin: boolean;
  /** Only built-in chains have a policy. */
  policy?: 'ACCEPT' | 'DROP';
  rules: Rule[];
}

export interface Table {
  name: TableName;
  /** Built-in chains first (in BUILTIN_CHAINS order), then user chains in creation order. */
  chains: Map<string, Chain>;
}

export interface Ruleset {
  tables: Map<TableName, Table>;
}

export type { Hook, TableName };
