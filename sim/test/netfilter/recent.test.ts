/**
 * `-m recent` as kernel `net/netfilter/xt_recent.c` (Linux v6.12) evaluates it
 * (`recent_mt`): --set records the source and matches; --rcheck/--update match
 * when the address was seen within --seconds (and --hitcount times); --reap
 * drops stale entries; `!` inverts. kube-proxy's ClientIP affinity is built
 * from --rcheck --seconds N --reap in KUBE-SVC and --set in KUBE-SEP.
 */
import { describe, expect, it } from 'vitest';
import { parseIptables } from '../../src/index.ts';
import { ip, nfFor, pkt } from './helpers.ts';

const STICKY = `*nat
:PREROUTING ACCEPT [0:0]
:SVC - [0:0]
:SEP-A - [0:0]
:SEP-B - [0:0]
-A PREROUTING -d 10.96.0.10/32 -p tcp -j SVC
-A SVC -m recent --name SEP-A --rcheck --seconds 10 --reap -j SEP-A
-A SVC -m recent --name SEP-B --rcheck --seconds 10 --reap -j SEP-B
-A SVC -m statistic --mode random --probability 0.5 -j SEP-A
-A SVC -j SEP-B
-A SEP-A -p tcp -m recent --name SEP-A --set -j DNAT --to-destination 10.244.1.5:8080
-A SEP-B -p tcp -m recent --name SEP-B --set -j DNAT --to-destination 10.244.2.6:8080
COMMIT
`;

describe('-m recent', () => {
  it('keeps a client on the endpoint it first reached while within --seconds', () => {
    for (const seed of [1, 2, 3, 4]) {
      const nf = nfFor(STICKY, seed);
      const first = nf.send(pkt('192.168.1.50:1000', '10.96.0.10:80'), { record: false }).packetOut.dst;
      for (let i = 1; i < 50; i++) {
        nf.nowMs = i * 100; // 4.9 s in total, inside 10 s
        expect(nf.send(pkt(`192.168.1.50:${1000 + i}`, '10.96.0.10:80'), { record: false }).packetOut.dst, `seed ${seed}`).toBe(first);
      }
    }
  });

  it('forgets the client after --seconds (reap) and picks again at random', () => {
    const seen = new Set<number>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const nf = nfFor(STICKY, seed);
      nf.send(pkt('192.168.1.50:1000', '10.96.0.10:80'), { record: false });
      nf.nowMs = 11_000;
      const t = nf.send(pkt('192.168.1.50:1001', '10.96.0.10:80'));
      // Both rcheck rules fail once the stamp is older than 10 s …
      const checks = t.steps.filter((s) => s.kind === 'rule' && s.chain === 'SVC' && s.ruleNum <= 2);
      expect(checks.every((s) => s.kind === 'rule' && !s.matched)).toBe(true);
      seen.add(t.packetOut.dst);
      expect(nf.recent.get('SEP-A')!.size + nf.recent.get('SEP-B')!.size).toBe(1);
    }
    // … so over several seeds both endpoints are chosen again.
    expect(seen).toEqual(new Set([ip('10.244.1.5'), ip('10.244.2.6')]));
  });

  it('--update --hitcount counts stamps; ! inverts', () => {
    const nf = nfFor('iptables -A INPUT -p tcp --dport 22 -m recent --name ssh --update --seconds 60 --hitcount 3 -j DROP\niptables -A INPUT -p tcp --dport 22 -m recent --name ssh --set -j ACCEPT');
    const outcomes = Array.from({ length: 5 }, (_, i) => nf.send(pkt(`1.2.3.4:${2000 + i}`, '10.0.0.11:22'), { record: false }).outcome);
    // Attempts 1–3 are recorded by --set; from the 4th, 3 stamps exist and --update matches.
    expect(outcomes).toEqual(['delivered', 'delivered', 'delivered', 'dropped', 'dropped']);
    const inv = nfFor('iptables -A INPUT -m recent ! --rcheck --name x -j DROP');
    expect(inv.send(pkt('1.2.3.4:1', '10.0.0.11:22'), { record: false }).outcome).toBe('dropped');
  });

  it('rejects a rule without a command, like libxt_recent', () => {
    const r = parseIptables('iptables -A INPUT -m recent --name x -j DROP');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toContain('--set, --rcheck, --update or --remove');
  });
});
