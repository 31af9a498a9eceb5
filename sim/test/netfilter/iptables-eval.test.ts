/**
 * Rule evaluation, following iptables(8) and iptables-extensions(8)
 * (iptables 1.8) and kernel `net/ipv4/netfilter/ip_tables.c` / `xt_*.c`.
 */
import { describe, expect, it } from 'vitest';
import { host, ip, nfFor, pkt } from './helpers.ts';

/** The filter INPUT verdict for one packet against one rule + policy DROP. */
function inputVerdict(rule: string, p = pkt('192.168.1.50:40000', '10.0.0.11:80')): string {
  const nf = nfFor(`*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rule}\nCOMMIT\n`);
  return nf.send(p).outcome;
}

describe('matches (iptables(8) PARAMETERS, iptables-extensions(8) MATCH EXTENSIONS)', () => {
  // [rule, packet, outcome]: delivered = rule accepted it; dropped = fell through to policy DROP.
  const P = (src: string, dst: string, extra = {}) => pkt(src, dst, extra);
  const table: [string, ReturnType<typeof pkt>, string][] = [
    ['-A INPUT -s 192.168.1.0/24 -j ACCEPT', P('192.168.1.50:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -s 192.168.2.0/24 -j ACCEPT', P('192.168.1.50:1', '10.0.0.11:80'), 'dropped'],
    // "[!] -s": a "!" before the option inverts the sense of the address test.
    ['-A INPUT ! -s 192.168.2.0/24 -j ACCEPT', P('192.168.1.50:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -d 10.0.0.11/32 -p tcp -m tcp --dport 80 -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -p tcp -m tcp --dport 81:90 -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'dropped'],
    ['-A INPUT -p tcp -m tcp ! --dport 81:90 -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -p udp -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'dropped'],
    ['-A INPUT ! -p udp -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    // "-i name: if the interface name ends in a "+", then any interface which begins with this name will match"
    ['-A INPUT -i eth+ -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -i cni+ -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'dropped'],
    ['-A INPUT -p tcp -m multiport --dports 22,79:81 -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -p tcp -m multiport --sports 22,443 -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'dropped'],
    ['-A INPUT -p tcp -m multiport --ports 1 -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    // mark: "(mark & mask) == value"
    ['-A INPUT -m mark --mark 0x4000/0x4000 -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80', { mark: 0x4001 }), 'delivered'],
    ['-A INPUT -m mark --mark 0x4000 -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80', { mark: 0x4001 }), 'dropped'],
    ['-A INPUT -m mark ! --mark 0x4000/0x4000 -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -m addrtype --dst-type LOCAL -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -m addrtype --src-type LOCAL -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'dropped'],
    ['-A INPUT -m conntrack --ctstate NEW -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'dropped'],
    ['-A INPUT -m comment --comment anything -j ACCEPT', P('1.1.1.1:1', '10.0.0.11:80'), 'delivered'],
    ['-A INPUT -p tcp -j REJECT --reject-with tcp-reset', P('1.1.1.1:1', '10.0.0.11:80'), 'rejected'],
    // A rule without a target only counts packets; evaluation goes on to the policy.
    ['-A INPUT -p tcp', P('1.1.1.1:1', '10.0.0.11:80'), 'dropped'],
  ];
  it.each(table)('%s', (rule, p, outcome) => {
    expect(inputVerdict(rule, p)).toBe(outcome);
  });
});

describe('targets and chain traversal (iptables(8) TARGETS)', () => {
  it('RETURN in a user chain resumes after the jump; falling off a user chain returns too', () => {
    const nf = nfFor(`*filter
:INPUT DROP [0:0]
:A - [0:0]
:B - [0:0]
-A INPUT -j A
-A INPUT -j B
-A A -p tcp -j RETURN
-A A -j DROP
-A B -p udp -j DROP
-A INPUT -j ACCEPT
COMMIT
`);
    const t = nf.send(pkt('1.1.1.1:1', '10.0.0.11:80'));
    expect(t.outcome).toBe('delivered');
    expect(t.steps.filter((s) => s.kind === 'return').map((s) => s.text)).toEqual([
      'filter:A:rule:1 RETURN → INPUT',
      'filter:B:return:2 (end of chain) → back to INPUT',
    ]);
  });

  it('-g: "return will not continue processing in this chain but instead in the chain that called us via --jump"', () => {
    const nf = nfFor(`*filter
:INPUT ACCEPT [0:0]
:OUTER - [0:0]
:MID - [0:0]
:LEAF - [0:0]
-A INPUT -j OUTER
-A INPUT -j DROP
-A OUTER -j MID
-A OUTER -j ACCEPT
-A MID -g LEAF
-A MID -j DROP
-A LEAF -j RETURN
COMMIT
`);
    const t = nf.send(pkt('1.1.1.1:1', '10.0.0.11:80'));
    // LEAF returns to OUTER (which jumped to MID), skipping MID's DROP; OUTER then ACCEPTs.
    expect(t.outcome).toBe('delivered');
    expect(t.steps.some((s) => s.kind === 'rule' && s.chain === 'MID' && s.ruleNum === 2)).toBe(false);
  });

  it('RETURN from a built-in chain applies the policy; MARK and LOG do not stop traversal', () => {
    const nf = nfFor(`*filter\n:INPUT DROP [0:0]\n-A INPUT -j LOG --log-prefix "in: "\n-A INPUT -j MARK --set-xmark 0x1/0x1\n-A INPUT -j RETURN\n-A INPUT -j ACCEPT\nCOMMIT\n`);
    const t = nf.send(pkt('1.1.1.1:1', '10.0.0.11:80'));
    expect(t.outcome).toBe('dropped');
    expect(t.packetOut.mark).toBe(1);
    expect(t.steps.some((s) => s.kind === 'log' && s.text.includes('in: '))).toBe(true);
  });

  it('tables run in priority order on each hook: raw, mangle, nat (DNAT) before filter; routing sees the DNAT', () => {
    const nf = nfFor(`*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 10.96.0.1/32 -p tcp -j DNAT --to-destination 10.244.1.5:8080\nCOMMIT\n*mangle\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n*raw\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n`);
    const t = nf.send(pkt('1.1.1.1:1', '10.96.0.1:80'));
    const order = t.steps.filter((s) => s.kind === 'table' || s.kind === 'conntrack' || s.kind === 'route' || s.kind === 'hook').map((s) => (s.kind === 'table' ? `${s.hook}:${s.table}` : s.kind === 'hook' ? s.hook : s.kind));
    expect(order).toEqual(['PREROUTING', 'PREROUTING:raw', 'conntrack', 'PREROUTING:mangle', 'PREROUTING:nat', 'route', 'FORWARD', 'FORWARD:mangle', 'FORWARD:filter', 'POSTROUTING', 'POSTROUTING:mangle', 'POSTROUTING:nat', 'conntrack']);
    expect(t.outcome).toBe('forwarded');
    expect(t.packetOut).toMatchObject({ dst: ip('10.244.1.5'), dport: 8080, outIface: 'cni0' });
  });

  it('locally generated packets take OUTPUT then POSTROUTING; SNAT rewrites the source at POSTROUTING', () => {
    const nf = nfFor(`*nat\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A OUTPUT -d 10.96.0.1/32 -p udp -j DNAT --to-destination 10.244.2.2:53\n-A POSTROUTING -o eth0 -j SNAT --to-source 10.0.0.99\nCOMMIT\n`);
    const t = nf.send({ ...pkt('10.0.0.11:5353', '10.96.0.1:53'), proto: 'udp', inIface: undefined });
    expect(t.outcome).toBe('sent');
    expect(t.packetOut).toMatchObject({ src: ip('10.0.0.99'), sport: 5353, dst: ip('10.244.2.2'), dport: 53, outIface: 'eth0' });
    expect(t.steps.filter((s) => s.kind === 'hook').map((s) => s.kind === 'hook' && s.hook)).toEqual(['OUTPUT', 'POSTROUTING']);
  });

  it('a DNAT to one of our own addresses from OUTPUT loops back through lo into INPUT', () => {
    const nf = nfFor(`*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -d 10.96.0.1/32 -p tcp -j DNAT --to-destination 10.0.0.11:6443\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n`);
    const t = nf.send({ ...pkt('10.0.0.11:5000', '10.96.0.1:443'), inIface: undefined });
    expect(t.outcome).toBe('delivered');
    expect(t.steps.filter((s) => s.kind === 'hook').map((s) => s.kind === 'hook' && s.hook)).toEqual(['OUTPUT', 'POSTROUTING', 'PREROUTING', 'INPUT']);
  });

  it('ip_forward=0, no route and no listening socket are outcomes, not errors', () => {
    const h = host();
    const nf = nfFor('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
    Object.assign(nf.host, { ...h, ipForward: false, listeners: [{ proto: 'tcp', port: 22 }] });
    expect(nf.send(pkt('1.1.1.1:1', '10.244.1.5:80')).outcome).toBe('dropped');
    expect(nf.send(pkt('1.1.1.1:1', '10.0.0.11:80')).outcome).toBe('no-socket');
    expect(nf.send(pkt('1.1.1.1:1', '10.0.0.11:22')).outcome).toBe('delivered');
    nf.host.routes.length = 0;
    expect(nf.send(pkt('1.1.1.1:1', '8.8.8.8:53')).outcome).toBe('unroutable');
  });
});
