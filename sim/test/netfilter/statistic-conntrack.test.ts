/**
 * `-m statistic` (kernel `net/netfilter/xt_statistic.c`, iptables
 * `extensions/libxt_statistic.c`, iptables 1.8) and conntrack/NAT reuse
 * (kernel `net/netfilter/nf_nat_core.c` `nf_nat_inet_fn`, `nf_conntrack_core.c`).
 */
import { describe, expect, it } from 'vitest';
import { runPacketTrace, DEFAULT_PACKET_RULES, DEFAULT_PACKET_INPUT } from '../../src/index.ts';
import { ip, nfFor, pkt } from './helpers.ts';

const SVC = (p1: string, p2: string) => `*nat
:PREROUTING ACCEPT [0:0]
:SVC - [0:0]
-A PREROUTING -d 10.96.0.10/32 -p tcp -j SVC
-A SVC -p tcp ${p1} -j DNAT --to-destination 10.244.1.5:8080
-A SVC -p tcp ${p2} -j DNAT --to-destination 10.244.2.6:8080
-A SVC -p tcp -j DNAT --to-destination 10.244.3.7:8080
COMMIT
`;

function spread(rules: string, n: number, seed: number): Map<number, number> {
  const nf = nfFor(rules, seed);
  const out = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const t = nf.send(pkt(`192.168.1.50:${1024 + i}`, '10.96.0.10:80'), { record: false });
    out.set(t.packetOut.dst, (out.get(t.packetOut.dst) ?? 0) + 1);
  }
  return out;
}

describe('-m statistic --mode random', () => {
  it('kube-proxy\'s 1/3, 1/2, rest spreads new connections evenly (±2% over 30,000, several seeds)', () => {
    // Binomial σ for p = 1/3, n = 20,000 is 0.0033: ±2% is 6σ.
    for (const seed of [1, 2, 42]) {
      const d = spread(SVC('-m statistic --mode random --probability 0.33333333349', '-m statistic --mode random --probability 0.50000000000'), 20000, seed);
      for (const b of ['10.244.1.5', '10.244.2.6', '10.244.3.7']) {
        const f = (d.get(ip(b)) ?? 0) / 20000;
        expect(Math.abs(f - 1 / 3), `seed ${seed}, backend ${b}: ${f}`).toBeLessThan(0.02);
      }
    }
  }, 60_000);

  it('probability 0 never matches, 1 always matches (0x80000000 > any 31-bit draw)', () => {
    const d = spread(SVC('-m statistic --mode random --probability 0', '-m statistic --mode random --probability 1'), 500, 7);
    expect(d.get(ip('10.244.1.5'))).toBeUndefined();
    expect(d.get(ip('10.244.2.6'))).toBe(500);
  });

  it('is deterministic for a seed', () => {
    const rules = SVC('-m statistic --mode random --probability 0.33333333349', '-m statistic --mode random --probability 0.50000000000');
    expect([...spread(rules, 200, 9)]).toEqual([...spread(rules, 200, 9)]);
  });
});

describe('-m statistic --mode nth', () => {
  it('--every 3 --packet 0 matches packets 0, 3, 6… (nft equivalent: numgen inc mod 3 == 0)', () => {
    const nf = nfFor(SVC('-m statistic --mode nth --every 3 --packet 0', '-m statistic --mode nth --every 2 --packet 0'));
    const got = Array.from({ length: 6 }, (_, i) => nf.send(pkt(`1.1.1.1:${2000 + i}`, '10.96.0.10:80'), { record: false }).packetOut.dst);
    // packets 0 and 3 take rule 1; the rest alternate on rule 2's own counter (0, 2 of those reaching it).
    expect(got).toEqual(['10.244.1.5', '10.244.2.6', '10.244.3.7', '10.244.1.5', '10.244.2.6', '10.244.3.7'].map(ip));
  });

  it('--packet P shifts the phase: --every 3 --packet 2 first matches the third packet', () => {
    const nf = nfFor(SVC('-m statistic --mode nth --every 3 --packet 2', '-m statistic --mode nth --every 1000 --packet 999'));
    const got = Array.from({ length: 3 }, (_, i) => nf.send(pkt(`1.1.1.1:${3000 + i}`, '10.96.0.10:80'), { record: false }).packetOut.dst);
    expect(got).toEqual(['10.244.3.7', '10.244.3.7', '10.244.1.5'].map(ip));
  });
});

describe('conntrack: NAT is decided on the first packet of a connection only', () => {
  const RANDOM = SVC('-m statistic --mode random --probability 0.33333333349', '-m statistic --mode random --probability 0.50000000000');

  it('every later packet of a flow goes to the same backend without consulting the nat table', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const nf = nfFor(RANDOM, seed);
      const first = nf.send(pkt('192.168.1.50:51234', '10.96.0.10:80'));
      for (let i = 0; i < 10; i++) {
        const again = nf.send(pkt('192.168.1.50:51234', '10.96.0.10:80'));
        expect(again.packetOut.dst, `seed ${seed}`).toBe(first.packetOut.dst);
        expect(again.steps.some((s) => s.kind === 'rule' && s.table === 'nat')).toBe(false);
        expect(again.conntrackId).toBe(first.conntrackId);
      }
      expect(nf.conntrack.entries).toHaveLength(1);
    }
  });

  it('the reply matches the reply tuple and is un-NATed; ctstate turns ESTABLISHED after a reply', () => {
    const nf = nfFor(`${RANDOM}*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m conntrack --ctstate DNAT,ESTABLISHED -j LOG --log-prefix "seen: "\nCOMMIT\n`);
    const first = nf.send(pkt('192.168.1.50:51234', '10.96.0.10:80'));
    const reply = nf.send({ proto: 'tcp', src: first.packetOut.dst, sport: 8080, dst: ip('192.168.1.50'), dport: 51234, inIface: 'cni0', mark: 0 });
    expect(reply.direction).toBe('reply');
    expect(reply.packetOut).toMatchObject({ src: ip('10.96.0.10'), sport: 80 });
    const after = nf.send(pkt('192.168.1.50:51234', '10.96.0.10:80'));
    expect(after.steps.find((s) => s.kind === 'conntrack')).toMatchObject({ states: ['ESTABLISHED', 'DNAT'] });
  });

  it('a first packet dropped before confirmation leaves no conntrack entry', () => {
    const nf = nfFor(`${RANDOM}*filter\n:FORWARD DROP [0:0]\nCOMMIT\n`);
    nf.send(pkt('192.168.1.50:51234', '10.96.0.10:80'));
    expect(nf.conntrack.entries).toHaveLength(0);
  });
});

describe('runPacketTrace (the widget)', () => {
  it('tells the default story: DNAT+MASQUERADE, reuse by conntrack, un-NAT on the reply', () => {
    const r = runPacketTrace(DEFAULT_PACKET_RULES, DEFAULT_PACKET_INPUT, { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b, c] = r.value.packets;
    expect(a!.outcome).toBe('forwarded');
    expect(a!.steps.some((s) => s.kind === 'nat' && s.manip === 'DNAT' && s.by === 'rule')).toBe(true);
    expect(a!.steps.some((s) => s.kind === 'nat' && s.text.startsWith('MASQUERADE'))).toBe(true);
    expect(b!.packetOut).toBe(a!.packetOut);
    expect(c!.direction).toBe('reply');
    expect(c!.packetOut).toContain('10.96.0.10:80 → 192.168.1.50:51234');
    expect(r.value.conntrack).toHaveLength(1);
    expect(r.value.counters.find((x) => x.chain === 'KUBE-SERVICES')!.packets).toBe(1);
  });

  it('the distribution mode spreads 100,000 new connections over the three Pods', () => {
    const r = runPacketTrace(DEFAULT_PACKET_RULES, DEFAULT_PACKET_INPUT, { seed: 5, distributionPackets: 100_000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.value.distribution!;
    expect(d.byDestination.map((x) => x.destination).sort()).toEqual(['10.244.1.5:8080', '10.244.2.6:8080', '10.244.3.7:8080']);
    for (const x of d.byDestination) expect(Math.abs(x.fraction - 1 / 3)).toBeLessThan(0.01);
    expect(runPacketTrace(DEFAULT_PACKET_RULES, DEFAULT_PACKET_INPUT, { seed: 5, distributionPackets: 100_001 }).ok).toBe(false);
  }, 60_000);

  it('a blocked source is dropped by filter FORWARD after the DNAT', () => {
    const r = runPacketTrace(DEFAULT_PACKET_RULES, 'address eth0 10.0.0.11\nroute default eth0\npacket tcp 203.0.113.9:4000 -> 10.96.0.10:80 in eth0\n', { seed: 1 });
    expect(r.ok && r.value.packets[0]!.outcome).toBe('dropped');
    expect(r.ok && r.value.packets[0]!.outcomeText).toContain('filter table in FORWARD');
  });

  it('locates errors in either text', () => {
    const bad = runPacketTrace(DEFAULT_PACKET_RULES, 'packet tcp 1.2.3.4 -> 10.96.0.10:80', { seed: 1 });
    expect(!bad.ok && bad.errors[0]).toMatchObject({ code: 'BAD_PORT', line: 1, column: 12 });
    const badRules = runPacketTrace('iptables -A INPUT -j NOWHERE', DEFAULT_PACKET_INPUT, { seed: 1 });
    expect(!badRules.ok && badRules.errors[0]).toMatchObject({ code: 'UNKNOWN_CHAIN', line: 1, column: 22 });
  });
});
