/**
 * A host's netfilter: walks a packet through the hooks in kernel order,
 * running each registered table (by priority), conntrack and NAT, and the
 * routing decision between them. One `NetfilterHost` keeps its conntrack
 * table, nth counters and rule counters across packets, so later packets of
 * a flow reuse the NAT chosen for the first one.
 * Upstream (Linux v6.12+): `net/ipv4/ip_input.c`, `ip_forward.c`,
 * `ip_output.c` (hook order), `net/netfilter/nf_conntrack_proto.c`
 * (`ipv4_conntrack_in` at -200, `ipv4_confirm` at INT_MAX),
 * `net/netfilter/nf_nat_core.c` (`nf_nat_inet_fn`, `nf_nat_packet`),
 * `net/netfilter/nf_nat_masquerade.c` (source = the out device's address),
 * `net/ipv4/netfilter/nf_reject_ipv4.c`.
 */
import type { Prng } from '../../core/prng.ts';
import { formatIpv4 } from '../net/ipv4.ts';
import { describePacket, endpoint, type Packet } from '../net/packet.ts';
import { deliverStages, LOOPBACK_STAGES, rxStages, txLocalStages, txStages, type PathStage } from '../net/path.ts';
import { isLocalAddress, lookupRoute, primaryAddress, routeInput, type HostConfig } from '../net/routing.ts';
import { ConntrackTable, formatTuple, type ConntrackEntry, type Direction } from './conntrack.ts';
import { doTable, type EvalOptions, type NatTarget } from './evaluate.ts';
import type { MatchContext, RecentTables } from './matchEval.ts';
import { hookEntries, NF_INET_HOOK_NAME, type Hook } from './tables.ts';
import type { TraceStep } from './traceTypes.ts';
import type { CtState, Match, Rule, Ruleset } from './types.ts';

export type Outcome = 'delivered' | 'forwarded' | 'sent' | 'dropped' | 'rejected' | 'unroutable' | 'no-socket';

export interface PacketTrace {
  /** The packet as it entered (or was generated). */
  packetIn: string;
  /** The packet as it leaves: after DNAT/SNAT. */
  packetOut: Packet;
  outcome: Outcome;
  outcomeText: string;
  direction: Direction;
  conntrackId: number;
  steps: TraceStep[];
}

export interface SendOptions {
  /** Record steps (off for the N-packet distribution runs). */
  record?: boolean;
}

export class NetfilterHost {
  readonly ruleset: Ruleset;
  readonly host: HostConfig;
  readonly conntrack = new ConntrackTable();
  /** Packets matched per rule. */
  readonly counters = new Map<Rule, number>();
  /** xt_recent lists (`/proc/net/xt_recent/<name>`). */
  readonly recent: RecentTables = new Map();
  /** The host clock in ms, advanced by the caller (xt_recent --seconds reads it). */
  nowMs = 0;
  #prng: Prng;
  #nth = new Map<Match, number>();

  constructor(ruleset: Ruleset, host: HostConfig, prng: Prng) {
    this.ruleset = ruleset;
    this.host = host;
    this.#prng = prng;
  }

  /** A packet arriving on `pkt.inIface`, or generated locally when it has none. */
  send(input: Packet, opts: SendOptions = {}): PacketTrace {
    const pkt: Packet = { ...input };
    const steps: TraceStep[] = [];
    const emit = opts.record === false ? undefined : (s: TraceStep) => steps.push(s);
    const packetIn = !emit ? '' : `${describePacket(pkt)}${pkt.inIface ? ` in ${pkt.inIface}` : ' (generated locally)'}`;
    const ct = this.conntrack.lookupOrCreate(pkt);
    const run = new Walk(this, pkt, ct.entry, ct.dir, ct.created, emit, this.#prng, this.#nth);
    const end = pkt.inIface ? run.receive() : run.localOut();
    return { packetIn, packetOut: pkt, outcome: end.outcome, outcomeText: emit ? end.text() : '', direction: ct.dir, conntrackId: ct.entry.id, steps };
  }
}

interface End {
  outcome: Outcome;
  /** Built only when the trace is recorded (distribution runs skip it). */
  text: () => string;
}

/** One packet's journey (internal). */
class Walk {
  #ctx: MatchContext;
  #evalOpts: EvalOptions;
  nf: NetfilterHost;
  pkt: Packet;
  ct: ConntrackEntry;
  dir: Direction;
  created: boolean;
  emit: ((s: TraceStep) => void) | undefined;

  constructor(nf: NetfilterHost, pkt: Packet, ct: ConntrackEntry, dir: Direction, created: boolean, emit: ((s: TraceStep) => void) | undefined, prng: Prng, nth: Map<Match, number>) {
    this.nf = nf;
    this.pkt = pkt;
    this.ct = ct;
    this.dir = dir;
    this.created = created;
    this.emit = emit;
    this.#ctx = { pkt, host: nf.host, ctStates: [], prng, nthCount: nth, recent: nf.recent, nowMs: nf.nowMs };
    this.#evalOpts = emit ? { emit, counters: nf.counters } : { counters: nf.counters };
  }

  /** The path's named steps; built only when recording (the distribution runs send 10,000+ packets). */
  stages(list: () => PathStage[]): void {
    if (!this.emit) return;
    for (const s of list()) this.emit({ kind: 'stage', fn: s.fn, text: s.text });
  }

  ctStates(): CtState[] {
    const s: CtState[] = [this.dir === 'reply' || this.ct.seenReply ? 'ESTABLISHED' : 'NEW'];
    if (this.ct.snat) s.push('SNAT');
    if (this.ct.dnat) s.push('DNAT');
    return s;
  }

  /** NF_HOOK: every registered function on this hook, lowest priority first. */
  hook(hook: Hook): End | undefined {
    this.emit?.({ kind: 'hook', hook, text: `${NF_INET_HOOK_NAME[hook]} (${hook})` });
    for (const e of hookEntries(hook)) {
      if (e.kind === 'conntrack') {
        if (this.dir === 'reply') this.ct.seenReply = true;
        this.#ctx.ctStates = this.ctStates();
        this.emit?.({ kind: 'conntrack', states: [...this.#ctx.ctStates], created: this.created && !this.ct.confirmed, text: `conntrack (priority ${e.priority}): ${this.created && !this.ct.confirmed ? 'new entry' : `entry #${this.ct.id}, ${this.dir} direction`} — ctstate ${this.#ctx.ctStates.join(',')}; ${formatTuple(this.ct.orig)}` });
        continue;
      }
      if (e.kind === 'confirm') {
        if (!this.ct.confirmed) {
          this.nf.conntrack.confirm(this.ct);
          this.emit?.({ kind: 'conntrack', states: this.ctStates(), created: true, text: `conntrack confirm (priority INT_MAX): entry #${this.ct.id} saved; replies will look like ${formatTuple(this.ct.reply)}` });
        }
        continue;
      }
      const table = this.nf.ruleset.tables.get(e.table!);
      if (!table) continue;
      this.#ctx.ctStates = this.ctStates();
      this.emit?.({ kind: 'table', hook, table: table.name, priority: e.priority, text: `${table.name} table, ${hook} chain (priority ${e.priority})` });
      if (table.name === 'nat') {
        const end = this.nat(hook, () => doTable(table, hook, this.#ctx, this.#evalOpts));
        if (end) return end;
        continue;
      }
      const v = doTable(table, hook, this.#ctx, this.#evalOpts);
      if (v.verdict === 'DROP') return { outcome: 'dropped', text: () => `dropped by the ${table.name} table in ${hook}` };
      if (v.verdict === 'REJECT') return { outcome: 'rejected', text: () => `rejected by the ${table.name} table in ${hook}: the sender gets ${v.rejectWith === 'tcp-reset' ? 'a TCP RST' : `ICMP ${v.rejectWith}`}` };
    }
    return undefined;
  }

  /** nf_nat_inet_fn for the nat table on this hook. */
  nat(hook: Hook, runTable: () => ReturnType<typeof doTable>): End | undefined {
    const dstManip = hook === 'PREROUTING' || hook === 'OUTPUT';
    const done = dstManip ? this.ct.dstManipDone : this.ct.srcManipDone;
    if (this.dir === 'reply' || done) {
      this.emit?.({ kind: 'nat', manip: dstManip ? 'DNAT' : 'SNAT', by: 'conntrack', text: `nat ${hook} rules not consulted: the ${dstManip ? 'destination' : 'source'} NAT of this connection was decided by its first packet` });
      this.applyBinding(dstManip);
      return undefined;
    }
    const v = runTable();
    if (v.verdict === 'DROP') return { outcome: 'dropped', text: () => `dropped by the nat table in ${hook}` };
    if (dstManip) this.ct.dstManipDone = true;
    else this.ct.srcManipDone = true;
    if (v.nat) return this.bind(v.nat);
    this.emit?.({ kind: 'nat', manip: dstManip ? 'DNAT' : 'SNAT', by: 'rule', text: `no ${dstManip ? 'DNAT' : 'SNAT'} rule matched: null binding (addresses unchanged for the whole connection)` });
    return undefined;
  }

  bind(t: NatTarget): End | undefined {
    const p = this.pkt;
    if (t.kind === 'DNAT') {
      const before = this.emit ? endpoint(p.dst, p.dport, p.proto) : '';
      p.dst = t.ip;
      if (t.port !== undefined) p.dport = t.port;
      this.ct.reply = { ...this.ct.reply, src: p.dst, sport: p.dport };
      this.ct.dnat = true;
      this.emit?.({ kind: 'nat', manip: 'DNAT', by: 'rule', text: `DNAT: destination ${before} → ${endpoint(p.dst, p.dport, p.proto)} (remembered in conntrack)` });
      return undefined;
    }
    let ip = t.kind === 'SNAT' ? t.ip : primaryAddress(this.nf.host, p.outIface ?? '');
    if (ip === undefined) return { outcome: 'dropped', text: () => `MASQUERADE: ${p.outIface} has no address, packet dropped` };
    const before = this.emit ? endpoint(p.src, p.sport, p.proto) : '';
    let port = p.sport;
    if (t.kind === 'SNAT' && t.port !== undefined) port = t.port;
    if (t.kind === 'MASQUERADE' && t.toPorts) port = t.toPorts.from;
    if (t.kind === 'MASQUERADE' && t.randomFully && p.proto !== 'icmp') port = this.#ctx.prng.intBetween(1024, 65536);
    p.src = ip;
    p.sport = port;
    this.ct.reply = { ...this.ct.reply, dst: ip, dport: port };
    this.ct.snat = true;
    this.emit?.({ kind: 'nat', manip: 'SNAT', by: 'rule', text: `${t.kind}: source ${before} → ${endpoint(p.src, p.sport, p.proto)}${t.kind === 'MASQUERADE' ? ` (the address of ${p.outIface})` : ''}` });
    return undefined;
  }

  /** nf_nat_packet: rewrite from the stored binding. */
  applyBinding(dstManip: boolean): void {
    const p = this.pkt;
    const c = this.ct;
    const from = !this.emit ? '' : dstManip ? endpoint(p.dst, p.dport, p.proto) : endpoint(p.src, p.sport, p.proto);
    if (this.dir === 'original' && dstManip && c.dnat) [p.dst, p.dport] = [c.reply.src, c.reply.sport];
    else if (this.dir === 'original' && !dstManip && c.snat) [p.src, p.sport] = [c.reply.dst, c.reply.dport];
    else if (this.dir === 'reply' && dstManip && c.snat) [p.dst, p.dport] = [c.orig.src, c.orig.sport];
    else if (this.dir === 'reply' && !dstManip && c.dnat) [p.src, p.sport] = [c.orig.dst, c.orig.dport];
    else return;
    if (!this.emit) return;
    const to = dstManip ? endpoint(p.dst, p.dport, p.proto) : endpoint(p.src, p.sport, p.proto);
    if (from !== to) this.emit?.({ kind: 'nat', manip: dstManip ? 'DNAT' : 'SNAT', by: 'conntrack', text: `${dstManip ? 'destination' : 'source'} ${from} → ${to} from conntrack entry #${c.id}${this.dir === 'reply' ? ' (reply: undoing the NAT)' : ''}` });
  }

  receive(): End {
    this.stages(() => rxStages(this.pkt.inIface!));
    return this.afterIpRcv();
  }

  afterIpRcv(): End {
    const pre = this.hook('PREROUTING');
    if (pre) return pre;
    const p = this.pkt;
    const d = routeInput(this.nf.host, p.dst);
    if (d.kind === 'local') {
      this.emit?.({ kind: 'route', text: `routing decision (ip_route_input): ${formatIpv4(p.dst)} is a local address → ip_local_deliver` });
      const inp = this.hook('INPUT');
      if (inp) return inp;
      return this.deliver();
    }
    if (d.kind === 'unreachable') {
      this.emit?.({ kind: 'route', text: `routing decision: no route to ${formatIpv4(p.dst)}` });
      return { outcome: 'unroutable', text: () => `no route to ${formatIpv4(p.dst)}: dropped, ICMP net unreachable to the sender` };
    }
    if (!this.nf.host.ipForward) {
      this.emit?.({ kind: 'route', text: 'routing decision: not local, but net.ipv4.ip_forward = 0' });
      return { outcome: 'dropped', text: () => 'not for this host and ip_forward is off: dropped' };
    }
    p.outIface = d.route.dev;
    this.emit?.({ kind: 'route', text: `routing decision (ip_route_input): ${formatIpv4(p.dst)} via ${d.route.dev} → ip_forward` });
    const fwd = this.hook('FORWARD');
    if (fwd) return fwd;
    return this.output('forwarded');
  }

  deliver(): End {
    const p = this.pkt;
    this.stages(() => deliverStages(p.proto, p.dport));
    const ls = this.nf.host.listeners;
    if (p.proto !== 'icmp' && ls.length && !ls.some((l) => l.proto === p.proto && l.port === p.dport)) {
      return { outcome: 'no-socket', text: () => `no socket listens on ${p.proto} port ${p.dport}: ${p.proto === 'tcp' ? 'tcp_v4_send_reset answers with RST' : 'ICMP port unreachable'}` };
    }
    return { outcome: 'delivered', text: () => `delivered to the local socket for ${endpoint(p.dst, p.dport, p.proto)}` };
  }

  localOut(): End {
    const p = this.pkt;
    this.stages(() => txLocalStages(p.proto));
    const dev = this.routeOut();
    if (!dev) return { outcome: 'unroutable', text: () => `connect()/send() fails with ENETUNREACH: no route to ${formatIpv4(p.dst)}` };
    const dstBefore = p.dst;
    const out = this.hook('OUTPUT');
    if (out) return out;
    if (p.dst !== dstBefore) {
      const again = this.routeOut();
      if (!again) return { outcome: 'unroutable', text: () => `after DNAT there is no route to ${formatIpv4(p.dst)}` };
      this.emit?.({ kind: 'route', text: `the destination changed in OUTPUT: ip_route_me_harder re-routes via ${again}` });
    }
    return this.output('sent');
  }

  routeOut(): string | undefined {
    const p = this.pkt;
    if (isLocalAddress(this.nf.host, p.dst)) p.outIface = 'lo';
    else p.outIface = lookupRoute(this.nf.host, p.dst)?.dev;
    if (p.outIface) this.emit?.({ kind: 'route', text: `routing (ip_route_output): ${formatIpv4(p.dst)} via ${p.outIface}` });
    return p.outIface;
  }

  /** ip_output: POSTROUTING, then the wire (or lo back into the receive path). */
  output(kind: 'forwarded' | 'sent'): End {
    const post = this.hook('POSTROUTING');
    if (post) return post;
    const p = this.pkt;
    if (p.outIface === 'lo') {
      this.stages(() => LOOPBACK_STAGES);
      p.inIface = 'lo';
      p.outIface = undefined;
      this.created = false;
      return this.afterIpRcv();
    }
    this.stages(() => txStages(p.outIface!));
    return { outcome: kind, text: () => `${kind === 'sent' ? 'sent' : 'forwarded'} out of ${p.outIface}: ${describePacket(p)}` };
  }
}
