// Vectors from kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go and
// pkg/proxy/nftables/proxier_test.go (v1.34) and NIST FIPS 180-4 examples.
import { describe, expect, it } from 'vitest';
import {
  sha256Hex, computeProbability, servicePortChainName, servicePortEndpointChainName, nftServicePortChainNameBase, nftServicePortEndpointChainNameBase,
  iptablesSaveProbability, base32StdEncode, utf8Bytes, runKubeProxy, DEFAULT_KUBE_PROXY_YAML, Prng, parseServicesAndEndpoints, buildNatTable, evaluateNat, renderIptablesRestore,
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
    expect(r.value.rules.startsWith('*nat\n')).toBe(true);
    expect(r.value.rules).toContain(':KUBE-SERVICES - [0:0]');
    expect(r.value.rules).toContain(`-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/nginx:http cluster IP" -m tcp --dport 80 -j ${svc}`);
    expect(r.value.rules.trimEnd().endsWith('COMMIT')).toBe(true);
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

  it('routes NodePort traffic through KUBE-NODEPORTS → KUBE-EXT → KUBE-SVC with masquerade', () => {
    const text = DEFAULT_KUBE_PROXY_YAML.replace('type: ClusterIP', 'type: NodePort').replace('      protocol: TCP\n---', '      protocol: TCP\n      nodePort: 30080\n---');
    const sp = parseServicesAndEndpoints(text);
    expect(sp.ok).toBe(true);
    if (!sp.ok) return;
    const table = buildNatTable(sp.value);
    const v = evaluateNat(table, { srcIP: '203.0.113.9', dstIP: '192.168.0.10', dstPort: 30080, protocol: 'tcp' }, 'PREROUTING', new Prng(1), { recent: new Map(), nowMs: 0 }, new Set(['192.168.0.10']));
    expect(v.dnatTo).toMatch(/^10\.244\.\d\.\d:8080$/);
    expect(v.masquerade).toBe(true);
    expect(v.trace.some((l) => l.startsWith('-A KUBE-NODEPORTS'))).toBe(true);
    const inCluster = evaluateNat(table, { srcIP: '10.244.9.9', dstIP: '10.96.0.10', dstPort: 80, protocol: 'tcp' }, 'PREROUTING', new Prng(1), { recent: new Map(), nowMs: 0 });
    expect(inCluster.masquerade).toBe(false);
    expect(evaluateNat(table, { srcIP: '10.244.9.9', dstIP: '10.96.0.10', dstPort: 81, protocol: 'tcp' }, 'PREROUTING', new Prng(1), { recent: new Map(), nowMs: 0 }).dnatTo).toBeUndefined();
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
  it('is deterministic per seed', () => {
    expect(runKubeProxy(DEFAULT_KUBE_PROXY_YAML, { seed: 11 })).toEqual(runKubeProxy(DEFAULT_KUBE_PROXY_YAML, { seed: 11 }));
  });
});
