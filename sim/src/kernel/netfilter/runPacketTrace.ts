/**
 * Widget runner: the iptables packet tracer (chapter: Layer 1, Linux network
 * stack / netfilter, and Layer 4 kube-proxy iptables mode).
 * Input 1: rules as `iptables …` command lines and/or an iptables-save file.
 * Input 2: the host and packets (see packetText.ts).
 * Output: per packet, every stage, hook, table, chain and rule visited with
 * match/no-match, NAT and conntrack events, and the packet as it leaves;
 * optionally the distribution of N new connections over destinations.
 */
import { Prng } from '../../core/prng.ts';
import { fail, ok, simError, type Result } from '../../core/result.ts';
import { describePacket, endpoint, type Packet } from '../net/packet.ts';
import { formatTuple, invert } from './conntrack.ts';
import { parsePacketScript, type PacketScript } from './packetText.ts';
import { parseIptables } from './restore.ts';
import { formatIptablesSave, saveRuleSpec } from './save.ts';
import { NetfilterHost, type Outcome, type PacketTrace } from './trace.ts';
import type { TraceStep } from './traceTypes.ts';
import type { Ruleset } from './types.ts';

export const DISTRIBUTION_PACKETS_MAX = 100_000;

export interface PacketTraceOptions {
  seed: number;
  /** Also send this many new connections shaped like the first packet (0 = off, ≤ 100,000). */
  distributionPackets?: number;
}

export interface TracedPacket {
  /** Line of the `packet`/`reply` in the packet text. */
  line: number;
  packetIn: string;
  packetOut: string;
  outcome: Outcome;
  outcomeText: string;
  direction: 'original' | 'reply';
  conntrackId: number;
  steps: TraceStep[];
}

export interface PacketTraceView {
  /** The loaded rules, normalised to iptables-save format. */
  rulesSave: string;
  packets: TracedPacket[];
  /** `conntrack -L` after the trace. */
  conntrack: { id: number; original: string; reply: string; nat: string[] }[];
  /** `iptables -L -v`: how many traced packets each rule matched. */
  counters: { table: string; chain: string; ruleNum: number; rule: string; packets: number }[];
  distribution?: {
    packets: number;
    /** Where new connections ended up (after NAT), most frequent first. */
    byDestination: { destination: string; count: number; fraction: number }[];
    byOutcome: Partial<Record<Outcome, number>>;
  };
}

export const DEFAULT_PACKET_RULES = `# kube-proxy（iptables モード）が書き込むルールを小さくしたもの（iptables-save 形式）。
# Service "web": ClusterIP 10.96.0.10:80 → 3 つの Pod の 8080 番ポート。
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-A - [0:0]
:KUBE-SEP-B - [0:0]
:KUBE-SEP-C - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-WEB - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-WEB
# クラスタ外から来た接続には印を付け、出口で送信元を書き換える（MASQUERADE）
-A KUBE-SVC-WEB ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ
# 1/3 → A、残りの 1/2 → B、残り全部 → C：どの Pod も 1/3 ずつ
-A KUBE-SVC-WEB -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-A
-A KUBE-SVC-WEB -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-B
-A KUBE-SVC-WEB -j KUBE-SEP-C
-A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 10.244.1.5:8080
-A KUBE-SEP-B -p tcp -m tcp -j DNAT --to-destination 10.244.2.6:8080
-A KUBE-SEP-C -p tcp -m tcp -j DNAT --to-destination 10.244.3.7:8080
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate INVALID -j DROP
# このネットワークからの転送は捨てる（送信元を 203.0.113.9 にして試そう）
-A FORWARD -s 203.0.113.0/24 -m comment --comment "blocked network" -j DROP
COMMIT
`;

export const DEFAULT_PACKET_INPUT = `# このノード（node-1）のアドレスと経路
address eth0 10.0.0.11
address cni0 10.244.1.1
route 10.244.1.0/24 cni0
route 10.244.0.0/16 eth0 via 10.0.0.12
route default eth0 via 10.0.0.1
# クラスタ外のクライアントが Service の ClusterIP に接続する
packet tcp 192.168.1.50:51234 -> 10.96.0.10:80 in eth0
# 同じ接続の 2 つ目のパケット：nat テーブルは見ずに conntrack の DNAT を再利用する
packet tcp 192.168.1.50:51234 -> 10.96.0.10:80 in eth0
# Pod からの応答：conntrack が NAT を元に戻す
reply
`;

export const DEFAULT_PACKET_RULES_EN = DEFAULT_PACKET_RULES
  .replace('# kube-proxy（iptables モード）が書き込むルールを小さくしたもの（iptables-save 形式）。', '# A small version of what kube-proxy (iptables mode) writes, in iptables-save format.')
  .replace('# Service "web": ClusterIP 10.96.0.10:80 → 3 つの Pod の 8080 番ポート。', '# Service "web": ClusterIP 10.96.0.10:80 → port 8080 of three Pods.')
  .replace('# クラスタ外から来た接続には印を付け、出口で送信元を書き換える（MASQUERADE）', '# Mark connections from outside the cluster; their source is rewritten on the way out (MASQUERADE)')
  .replace('# 1/3 → A、残りの 1/2 → B、残り全部 → C：どの Pod も 1/3 ずつ', '# 1/3 → A, half of the rest → B, the rest → C: each Pod gets 1/3')
  .replace('# このネットワークからの転送は捨てる（送信元を 203.0.113.9 にして試そう）', '# Drop forwarded traffic from this network (try source 203.0.113.9)');

export const DEFAULT_PACKET_INPUT_EN = DEFAULT_PACKET_INPUT
  .replace('# このノード（node-1）のアドレスと経路', '# This node (node-1): addresses and routes')
  .replace('# クラスタ外のクライアントが Service の ClusterIP に接続する', '# A client outside the cluster connects to the Service ClusterIP')
  .replace('# 同じ接続の 2 つ目のパケット：nat テーブルは見ずに conntrack の DNAT を再利用する', '# Second packet of the same connection: no nat table, conntrack reuses the DNAT')
  .replace('# Pod からの応答：conntrack が NAT を元に戻す', '# The Pod answers: conntrack undoes the NAT');

function traced(line: number, t: PacketTrace): TracedPacket {
  return { line, packetIn: t.packetIn, packetOut: `${describePacket(t.packetOut)}${t.packetOut.outIface ? ` out ${t.packetOut.outIface}` : ''}`, outcome: t.outcome, outcomeText: t.outcomeText, direction: t.direction, conntrackId: t.conntrackId, steps: t.steps };
}

/** Traces the packets of `packetText` through `rulesText` (see packetText.ts for the format). */
export function runPacketTrace(rulesText: string, packetText: string, options: PacketTraceOptions): Result<PacketTraceView> {
  const rules = parseIptables(rulesText);
  if (!rules.ok) return rules;
  const script = parsePacketScript(packetText);
  if (!script.ok) return fail(script.errors.map((e) => ({ ...e, path: 'packets' })));
  const n = options.distributionPackets ?? 0;
  if (!Number.isSafeInteger(n) || n < 0 || n > DISTRIBUTION_PACKETS_MAX) return fail(simError('LIMIT_EXCEEDED', `distributionPackets must be an integer in [0, ${DISTRIBUTION_PACKETS_MAX}]`, { path: 'distributionPackets' }));

  const nf = new NetfilterHost(rules.value, script.value.host, new Prng(options.seed));
  const packets: TracedPacket[] = [];
  let last: PacketTrace | undefined;
  for (const spec of script.value.packets) {
    let pkt: Packet;
    if (spec.kind === 'packet') pkt = spec.packet;
    else {
      const prev = last!;
      const back = invert({ proto: prev.packetOut.proto, src: prev.packetOut.src, sport: prev.packetOut.sport, dst: prev.packetOut.dst, dport: prev.packetOut.dport });
      const inIface = spec.inIface ?? (prev.outcome === 'delivered' || prev.outcome === 'no-socket' ? undefined : prev.packetOut.outIface);
      pkt = { ...back, mark: 0 };
      if (inIface) pkt.inIface = inIface;
    }
    last = nf.send(pkt);
    packets.push(traced(spec.line, last));
  }

  const view: PacketTraceView = {
    rulesSave: formatIptablesSave(rules.value),
    packets,
    conntrack: nf.conntrack.entries.map((e) => ({ id: e.id, original: formatTuple(e.orig), reply: formatTuple(e.reply), nat: [...(e.dnat ? ['DNAT'] : []), ...(e.snat ? ['SNAT'] : [])] })),
    counters: [],
  };
  for (const t of rules.value.tables.values()) {
    for (const c of t.chains.values()) {
      c.rules.forEach((r, i) => view.counters.push({ table: t.name, chain: c.name, ruleNum: i + 1, rule: `-A ${c.name} ${saveRuleSpec(r)}`, packets: nf.counters.get(r) ?? 0 }));
    }
  }
  if (n > 0) view.distribution = distribution(rules.value, script.value, options.seed, n);
  return ok(view);
}

/** N new connections shaped like the first packet line, each with a fresh source port. */
function distribution(rs: Ruleset, script: PacketScript, seed: number, n: number): NonNullable<PacketTraceView['distribution']> {
  const first = script.packets.find((p) => p.kind === 'packet');
  const template = first && first.kind === 'packet' ? first.packet : undefined;
  const nf = new NetfilterHost(rs, script.host, new Prng(seed));
  const counts = new Map<string, number>();
  const byOutcome: Partial<Record<Outcome, number>> = {};
  for (let i = 0; i < n && template; i++) {
    const portSpan = 65535 - 1024 + 1;
    const pkt: Packet = { ...template, sport: template.proto === 'icmp' ? 0 : 1024 + (i % portSpan), src: (template.src + Math.floor(i / portSpan)) >>> 0 };
    const t = nf.send(pkt, { record: false });
    byOutcome[t.outcome] = (byOutcome[t.outcome] ?? 0) + 1;
    if (t.outcome === 'dropped' || t.outcome === 'rejected' || t.outcome === 'unroutable') continue;
    const key = endpoint(t.packetOut.dst, t.packetOut.dport, t.packetOut.proto);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const byDestination = [...counts].map(([destination, count]) => ({ destination, count, fraction: count / n })).sort((a, b) => b.count - a.count || (a.destination < b.destination ? -1 : 1));
  return { packets: n, byDestination, byOutcome };
}
