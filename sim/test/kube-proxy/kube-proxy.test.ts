// Vectors from kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go and
// pkg/proxy/nftables/proxier_test.go (v1.34; the ns1–ns5 literals are unchanged
// on master as of 2025) and NIST FIPS 180-4 examples.
import { describe, expect, it } from 'vitest';
import {
  sha256Hex, computeProbability, servicePortChainName, servicePortEndpointChainName, nftServicePortChainNameBase, nftServicePortEndpointChainNameBase,
  iptablesSaveProbability, base32StdEncode, utf8Bytes, runKubeProxy, DEFAULT_KUBE_PROXY_YAML, parseServicesAndEndpoints, buildNatTable, renderIptablesRestore,
  loadKubeProxyRules, kubeProxyNetfilterHost, parseIpv4, formatIpv4, parseIptables, formatIptablesSave,
} from '../../src/index.ts';

describe('sha256 (NIST vectors)', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('sha256(%j)', (input, hex) => {
    expect(sha256Hex(input)).toBe(hex);
    expect(sha256Hex(utf8Bytes(input))).toBe(hex);
  });
  it('hashes a million "a" (multi-block) and UTF-8 text', () => {
    expect(sha256Hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
    expect(sha256Hex('日本')).toBe(sha256Hex(Uint8Array.from([0xe6, 0x97, 0xa5, 0xe6, 0x9c, 0xac])));
  });
});

describe('base32 StdEncoding (RFC 4648 vectors)', () => {
  it.each([['', ''], ['f', 'MY======'], ['fo', 'MZXQ===='], ['foo', 'MZXW6==='], ['foob', 'MZXW6YQ='], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI======']])('%j', (a, b) => {
    expect(base32StdEncode(utf8Bytes(a))).toBe(b);
  });
});

describe('chain names (upstream proxier_test.go literals)', () => {
  it.each([
    ['ns1/svc1:p80', 'tcp', 'KUBE-SVC-XPGD46QRK7WJZT7O', '10.180.0.1:80', 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
    ['ns2/svc2:p80', 'tcp', 'KUBE-SVC-GNZBNJ2PO5MGZ6GT', '10.180.0.2:80', 'KUBE-SEP-RS4RBKLTHTF2IUXJ'],
    ['ns3/svc3:p80', 'tcp', 'KUBE-SVC-X27LE4BHSL4DOUIK', '10.180.0.3:80', 'KUBE-SEP-OYPFS5VJICHGATKP'],
    ['ns5/svc5:p80', 'tcp', 'KUBE-SVC-NUKIZ6OKUXPJNT4C', '10.180.0.3:80', 'KUBE-SEP-I77PXRDZVX7PMWMN'],
    ['ns4/svc4:p80', 'tcp', 'KUBE-SVC-4SW47YFZTEDKD3PK', '10.180.0.4:80', 'KUBE-SEP-UKSFD7AGPMPPLUHC'],
    ['ns4/svc4:p80', 'tcp', 'KUBE-SVC-4SW47YFZTEDKD3PK', '10.180.0.5:80', 'KUBE-SEP-C6EBXVWJJZMIWKLZ'],
  ])('%s/%s', (spn, proto, svc, ep, sep) => {
    expect(servicePortChainName(spn, proto)).toBe(svc);
    expect(servicePortEndpointChainName(spn, proto, ep)).toBe(sep);
  });
  it('matches the well-known kubernetes and kube-dns chains', () => {
    expect(servicePortChainName('default/kubernetes:https', 'tcp')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(servicePortChainName('kube-system/kube-dns:dns', 'udp')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU');
  });
  it('names nftables chains as upstream', () => {
    expect(nftServicePortChainNameBase('ns1', 'svc1', 'tcp', 'p80')).toBe('ULMVA6XW-ns1/svc1/tcp/p80');
    expect(nftServicePortEndpointChainNameBase('ns1', 'svc1', 'tcp', 'p80', '10.180.0.1:80')).toBe('5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
  });
});

describe('computeProbability (%0.10f of 1/n, Go rounding)', () => {
  it.each([
    [1, '1.0000000000'], [2, '0.5000000000'], [3, '0.3333333333'], [4, '0.2500000000'], [5, '0.2000000000'], [6, '0.1666666667'],
    [7, '0.1428571429'], [9, '0.1111111111'], [2048, '0.0004882812'], [0, '+Inf'],
  ])('n=%i', (n, s) => expect(computeProbability(n)).toBe(s));
  it('reads back from the kernel as iptables-save prints it', () => {
    expect(iptablesSaveProbability('0.3333333333')).toBe('0.33333333349');
    expect(iptablesSaveProbability('0.5000000000')).toBe('0.50000000000');
    expect(iptablesSaveProbability('0.2500000000')).toBe('0.25000000000');
  });
  it('gives every endpoint 1/n overall (product of the ladder)', () => {
    for (let n = 1; n <= 50; n++) {
      let remaining = 1;
      for (let i = 0; i < n; i++) {
        const p = i < n - 1 ? Number(computeProbability(n - i)) : 1;
        expect(Math.abs(remaining * p - 1 / n)).toBeLessThan(1e-9);
        remaining *= 1 - p;
      }
    }
  });
});

const NS1 = `kind: Service
metadata: { name: svc1, namespace: ns1 }
spec:
  clusterIP: 172.30.0.41
  ports: [{ name: p80, port: 80, protocol: TCP }]
---
kind: EndpointSlice
metadata: { name: svc1-x, namespace: ns1, labels: { kubernetes.io/service-name: svc1 } }
ports: [{ name: p80, port: 80 }]
endpoints: [{ addresses: ["10.180.0.1"] }]
`;

describe('iptables rules (upstream syncProxyRules shape)', () => {
  it('writes the same restore lines as upstream proxier_test for one endpoint', () => {
    const sp = parseServicesAndEndpoints(NS1);
    expect(sp.ok).toBe(true);
    if (!sp.ok) return;
    const text = renderIptablesRestore(buildNatTable(sp.value, { clusterCIDR: '10.0.0.0/8' }));
    for (const line of [
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ]) expect(text).toContain(line);
  });

  it('renders the default example in iptables-save form with the probability ladder', () => {
    const r = runKubeProxy(DEFAULT_KUBE_PROXY_YAML, { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const svc = servicePortChainName('default/nginx:http', 'tcp');
    expect(r.value.rules).toContain('\n*nat\n');
    expect(r.value.rules).toContain(':KUBE-SERVICES - [0:0]');
    expect(r.value.rules).toContain(`-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/nginx:http cluster IP" -m tcp --dport 80 -j ${svc}`);
    expect(r.value.rules).toContain('\nCOMMIT\n');
    expect(r.value.iptablesRestore).toContain(`--probability ${computeProbability(3)} -j ${servicePortEndpointChainName('default/nginx:http', 'tcp', '10.244.1.5:8080')}`);
    expect(r.value.iptablesRestore).toContain(`--probability ${computeProbability(2)} -j ${servicePortEndpointChainName('default/nginx:http', 'tcp', '10.244.2.7:8080')}`);
    expect(r.value.rules).toContain('--probability 0.33333333349');
    expect(r.value.servicePorts[0]!.endpoints.map((e) => e.probability)).toEqual(['0.3333333333', '0.5000000000', null]);
  });

  it('adds -m recent affinity rules for ClientIP and keeps a client on one endpoint', () => {
    const text = DEFAULT_KUBE_PROXY_YAML.replace('  type: ClusterIP\n', '  type: ClusterIP\n  sessionAffinity: ClientIP\n');
    const r = runKubeProxy(text, { seed: 4, clients: 1, connections: 500 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.iptablesRestore).toMatch(/-m recent --name KUBE-SEP-\w+ --rcheck --seconds 10800 --reap -j KUBE-SEP-/);
    expect(r.value.iptablesRestore).toMatch(/-m recent --name KUBE-SEP-\w+ --set -m tcp -p tcp -j DNAT/);
    expect(r.value.distribution.counts.filter((c) => c.count > 0)).toHaveLength(1);
  });

  it('routes NodePort traffic through KUBE-NODEPORTS → KUBE-EXT → KUBE-SVC with masquerade (executed by NetfilterHost)', () => {
    const text = DEFAULT_KUBE_PROXY_YAML.replace('type: ClusterIP', 'type: NodePort').replace('      protocol: TCP\n---', '      protocol: TCP\n      nodePort: 30080\n---');
    const sp = parseServicesAndEndpoints(text);
    expect(sp.ok).toBe(true);
    if (!sp.ok) return;
    const loaded = loadKubeProxyRules(sp.value);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const nf = kubeProxyNetfilterHost(loaded.value.ruleset, 1);
    const ext = nf.send({ proto: 'tcp', src: parseIpv4('203.0.113.9')!, sport: 40000, dst: parseIpv4('192.168.0.10')!, dport: 30080, inIface: 'eth0', mark: 0 });
    expect(formatIpv4(ext.packetOut.dst)).toMatch(/^10\.244\.\d\.\d$/);
    expect(ext.packetOut.dport).toBe(8080);
    // MASQUERADE: the source became the node's own address on the way out.
    expect(formatIpv4(ext.packetOut.src)).toBe('192.168.0.10');
    const matched = ext.steps.flatMap((s) => (s.kind === 'rule' && s.matched ? [s.rule] : []));
    expect(matched.some((l) => l.startsWith('-A KUBE-NODEPORTS'))).toBe(true);
    expect(matched.some((l) => l.startsWith('-A KUBE-EXT-'))).toBe(true);
    // A pod inside the cluster CIDR keeps its source address.
    const pod = nf.send({ proto: 'tcp', src: parseIpv4('10.244.1.9')!, sport: 40001, dst: parseIpv4('10.96.0.10')!, dport: 80, inIface: 'cni0', mark: 0 });
    expect(formatIpv4(pod.packetOut.src)).toBe('10.244.1.9');
    // Another port of the ClusterIP matches no rule: no DNAT.
    const miss = nf.send({ proto: 'tcp', src: parseIpv4('10.244.1.9')!, sport: 40002, dst: parseIpv4('10.96.0.10')!, dport: 81, inIface: 'cni0', mark: 0 });
    expect(formatIpv4(miss.packetOut.dst)).toBe('10.96.0.10');
  });

  it('reports located errors', () => {
    const r = runKubeProxy(DEFAULT_KUBE_PROXY_YAML.replace('clusterIP: 10.96.0.10', 'clusterIP: banana'), { seed: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.errors[0]!.path, r.errors[0]!.line]).toEqual(['spec.clusterIP', 8]);
    const bad = runKubeProxy('kind: [', { seed: 1 });
    expect(!bad.ok && bad.errors[0]!.code).toBe('YAML_SYNTAX');
  });
});

describe('distribution of 10,000 connections (property, many seeds)', () => {
  it('is uniform-ish for iptables, nftables and IPVS rr/lc with 2..8 endpoints', () => {
    for (let seed = 1; seed <= 14; seed++) {
      const n = 2 + (seed % 7);
      const eps = Array.from({ length: n }, (_, i) => `  - addresses: ["10.244.${i}.${10 + i}"]`).join('\n');
      const text = DEFAULT_KUBE_PROXY_YAML.replace(/endpoints:[\s\S]*$/, `endpoints:\n${eps}\n`);
      for (const mode of ['iptables', 'nftables', 'ipvs'] as const) {
        const r = runKubeProxy(text, { seed, mode, ipvsScheduler: seed % 2 ? 'rr' : 'lc' });
        expect(r.ok, `seed ${seed}`).toBe(true);
        if (!r.ok) continue;
        // χ² with n−1 ≤ 7 degrees of freedom: 99.9th percentile < 24.4.
        expect(r.value.distribution.chiSquare, `seed ${seed} mode ${mode} n ${n}`).toBeLessThan(24.4);
        for (const c of r.value.distribution.counts) expect(Math.abs(c.share - 1 / n), `seed ${seed} ${mode}`).toBeLessThan(0.03);
      }
    }
  }, 60_000);
  it('IPVS sh keeps each client on one real server', () => {
    const r = runKubeProxy(DEFAULT_KUBE_PROXY_YAML, { seed: 3, mode: 'ipvs', ipvsScheduler: 'sh', clients: 1 });
    expect(r.ok && r.value.distribution.counts.filter((c) => c.count > 0).length).toBe(1);
  });
  it('IPVS/nftables comparison runs the same connections under every data plane', () => {
    const r = runKubeProxy(DEFAULT_KUBE_PROXY_YAML, { seed: 2, compare: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.comparison!.map((c) => c.label)).toEqual(['iptables', 'IPVS rr', 'IPVS lc', 'IPVS sh', 'nftables']);
    expect(r.value.comparison![0]!.distribution).toEqual(r.value.distribution);
    // rr hands out servers in turn: 10,000 over 3 is 3334/3333/3333.
    expect(r.value.comparison![1]!.distribution.counts.map((c) => c.count)).toEqual([3334, 3333, 3333]);
    for (const c of r.value.comparison!) expect(c.distribution.counts.reduce((s, x) => s + x.count, 0) + c.distribution.unmatched).toBe(10_000);
  });
  it('is deterministic per seed', () => {
    expect(runKubeProxy(DEFAULT_KUBE_PROXY_YAML, { seed: 11 })).toEqual(runKubeProxy(DEFAULT_KUBE_PROXY_YAML, { seed: 11 }));
  });
});

// The integration the chapters promise: kube-proxy writes rules, the Layer 1
// netfilter model (sim/src/kernel/netfilter) executes them.
describe('kube-proxy rules executed by the netfilter model', () => {
  const load = (yaml = DEFAULT_KUBE_PROXY_YAML) => {
    const sp = parseServicesAndEndpoints(yaml);
    if (!sp.ok) throw new Error(JSON.stringify(sp.errors));
    const loaded = loadKubeProxyRules(sp.value);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    return { ports: sp.value, ...loaded.value };
  };

  it('DNATs a SYN to the ClusterIP to one endpoint, and conntrack undoes it for the reply', () => {
    const { ports, ruleset } = load();
    const nf = kubeProxyNetfilterHost(ruleset, 7);
    const syn = { proto: 'tcp' as const, src: parseIpv4('10.244.1.20')!, sport: 45000, dst: parseIpv4('10.96.0.10')!, dport: 80, inIface: 'cni0', mark: 0 };
    const t = nf.send(syn);
    const to = `${formatIpv4(t.packetOut.dst)}:${t.packetOut.dport}`;
    expect(ports[0]!.endpoints.map((e) => e.endpoint)).toContain(to);
    expect(t.outcome).toBe('forwarded');
    const sep = ports[0]!.endpoints.find((e) => e.endpoint === to)!.chainName;
    expect(t.steps.some((s) => s.kind === 'jump' && s.table === 'nat' && s.chain === ports[0]!.chainName && s.to === sep)).toBe(true);
    expect(t.steps.some((s) => s.kind === 'nat' && s.manip === 'DNAT' && s.by === 'rule')).toBe(true);
    // The second packet of the flow reuses the binding without reading the nat table.
    const again = nf.send(syn);
    expect(`${formatIpv4(again.packetOut.dst)}:${again.packetOut.dport}`).toBe(to);
    expect(again.steps.some((s) => s.kind === 'rule' && s.table === 'nat')).toBe(false);
    // The endpoint's reply comes back from the ClusterIP.
    const reply = nf.send({ proto: 'tcp', src: t.packetOut.dst, sport: t.packetOut.dport, dst: syn.src, dport: syn.sport, inIface: 'eth0', mark: 0 });
    expect(formatIpv4(reply.packetOut.src)).toBe('10.96.0.10');
    expect(reply.packetOut.sport).toBe(80);
  });

  it('per-endpoint counts from netfilter execution match the probability ladder (fixed seeds, stated tolerance)', () => {
    // 4 endpoints → rules with --probability 0.25, 0.3333333333, 0.5, then the rest.
    const eps = ['10.244.1.5', '10.244.2.7', '10.244.3.9', '10.244.4.11'].map((a) => `  - addresses: ["${a}"]`).join('\n');
    const yaml = DEFAULT_KUBE_PROXY_YAML.replace(/endpoints:[\s\S]*$/, `endpoints:\n${eps}\n`);
    const N = 10_000;
    for (const seed of [1, 2, 3]) {
      const r = runKubeProxy(yaml, { seed, connections: N });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const counts = r.value.distribution.counts.map((c) => c.count);
      expect(counts.reduce((a, b) => a + b, 0), `seed ${seed}`).toBe(N);
      // Conditional probability of rule i = matched_i / reached_i ≈ computeProbability(n − i).
      // Tolerance 0.03: the binomial σ is at most sqrt(0.25/2500) = 0.01 for the last rung (≥ 2,500 reach it), so 3σ.
      let reached = N;
      counts.forEach((c, i) => {
        const want = i < counts.length - 1 ? Number(computeProbability(counts.length - i)) : 1;
        expect(Math.abs(c / reached - want), `seed ${seed} rule ${i + 1}: ${c}/${reached}`).toBeLessThan(0.03);
        reached -= c;
      });
      // Overall every endpoint gets 1/4 ± 0.02 (σ = 0.0043 at N = 10,000: > 4σ).
      for (const c of r.value.distribution.counts) expect(Math.abs(c.share - 0.25), `seed ${seed} ${c.endpoint}`).toBeLessThan(0.02);
    }
  });

  it('NetfilterHost rule counters agree with the connection counts', () => {
    const { ports, ruleset } = load();
    const nf = kubeProxyNetfilterHost(ruleset, 5);
    const perDst = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const t = nf.send({ proto: 'tcp', src: parseIpv4('10.244.1.20')!, sport: 1024 + i, dst: parseIpv4('10.96.0.10')!, dport: 80, inIface: 'cni0', mark: 0 }, { record: false });
      const k = `${formatIpv4(t.packetOut.dst)}:${t.packetOut.dport}`;
      perDst.set(k, (perDst.get(k) ?? 0) + 1);
    }
    const nat = ruleset.tables.get('nat')!;
    for (const ep of ports[0]!.endpoints) {
      const dnatRule = nat.chains.get(ep.chainName)!.rules.at(-1)!;
      expect(nf.counters.get(dnatRule) ?? 0).toBe(perDst.get(ep.endpoint) ?? 0);
    }
  });

  it('iptables-restore --noflush keeps the host\'s own rules and chains', () => {
    const host = parseIptables('*nat\n:POSTROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A POSTROUTING -s 172.17.0.0/16 -j MASQUERADE\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
    expect(host.ok).toBe(true);
    if (!host.ok) return;
    const sp = parseServicesAndEndpoints(DEFAULT_KUBE_PROXY_YAML);
    if (!sp.ok) return;
    const loaded = loadKubeProxyRules(sp.value, { base: host.value });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const save = formatIptablesSave(loaded.value.ruleset);
    expect(save).toContain(':DOCKER - [0:0]');
    expect(save).toContain('-A POSTROUTING -s 172.17.0.0/16 -j MASQUERADE');
    expect(save).toContain('-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT');
    expect(save).toContain('-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
  });

  it('writes the two-endpoint ladder of upstream proxier_test (ns4/svc4)', () => {
    const yaml = `kind: Service
metadata: { name: svc4, namespace: ns4 }
spec:
  clusterIP: 172.30.0.44
  ports: [{ name: p80, port: 80, protocol: TCP }]
---
kind: EndpointSlice
metadata: { name: svc4-x, namespace: ns4, labels: { kubernetes.io/service-name: svc4 } }
ports: [{ name: p80, port: 80 }]
endpoints: [{ addresses: ["10.180.0.5"] }, { addresses: ["10.180.0.4"] }]
`;
    const sp = parseServicesAndEndpoints(yaml);
    expect(sp.ok).toBe(true);
    if (!sp.ok) return;
    const text = renderIptablesRestore(buildNatTable(sp.value, { clusterCIDR: '10.0.0.0/8' }));
    for (const line of [
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ',
    ]) expect(text).toContain(line);
  });
});
