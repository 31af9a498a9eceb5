/**
 * nftables mode for comparison, in the `add …` form upstream's tests use.
 * Upstream: pkg/proxy/nftables/proxier.go (v1.34; GA since v1.33): table
 * `ip kube-proxy`, a `service-ips` verdict map keyed by
 * `ip . protocol . port`, per-service chains `service-HASH-ns/name/proto/port`
 * that load-balance with `numgen random mod N vmap { … }` (one lookup instead
 * of N probability rules), per-endpoint chains `endpoint-HASH-…__ip/port`
 * that DNAT, and dynamic `affinity-…` sets for ClientIP affinity.
 */
import type { ServicePortInfo } from './model.ts';
import { nftServicePortChainNameBase, nftServicePortEndpointChainNameBase } from './chain-names.ts';
import { MASQUERADE_MARK } from './iptables.ts';

export function renderNftables(servicePorts: readonly ServicePortInfo[], clusterCIDR = '10.244.0.0/16'): string {
  const t = 'ip kube-proxy';
  const lines = [
    `add table ${t} { comment "rules for kube-proxy" ; }`,
    `add chain ${t} mark-for-masquerade`,
    `add rule ${t} mark-for-masquerade mark set mark or ${MASQUERADE_MARK}`,
    `add chain ${t} masquerading`,
    `add rule ${t} masquerading mark and ${MASQUERADE_MARK} == 0 return`,
    `add rule ${t} masquerading mark set mark xor ${MASQUERADE_MARK}`,
    `add rule ${t} masquerading masquerade fully-random`,
    `add chain ${t} services`,
    `add rule ${t} services ip daddr . meta l4proto . th dport vmap @service-ips`,
    `add rule ${t} services fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports`,
    `add map ${t} service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }`,
    `add map ${t} service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }`,
  ];
  for (const sp of servicePorts) {
    if (!sp.endpoints.length) continue;
    const svcChain = 'service-' + nftServicePortChainNameBase(sp.namespace, sp.name, sp.protocol, sp.portName);
    const epChains = sp.endpoints.map((e) => nftServicePortEndpointChainNameBase(sp.namespace, sp.name, sp.protocol, sp.portName, e.endpoint));
    lines.push(`add chain ${t} ${svcChain}`);
    lines.push(`add rule ${t} ${svcChain} ip daddr ${sp.clusterIP} ${sp.protocol} dport ${sp.port} ip saddr != ${clusterCIDR} jump mark-for-masquerade`);
    if (sp.sessionAffinity === 'ClientIP') {
      for (const base of epChains) lines.push(`add rule ${t} ${svcChain} ip saddr @affinity-${base} goto endpoint-${base}`);
    }
    lines.push(`add rule ${t} ${svcChain} numgen random mod ${epChains.length} vmap { ${epChains.map((b, i) => `${i} : goto endpoint-${b}`).join(' , ')} }`);
    sp.endpoints.forEach((ep, i) => {
      const base = epChains[i]!;
      if (sp.sessionAffinity === 'ClientIP') lines.push(`add set ${t} affinity-${base} { type ipv4_addr ; flags dynamic,timeout ; timeout ${sp.stickyMaxAgeSeconds}s ; }`);
      lines.push(`add chain ${t} endpoint-${base}`);
      lines.push(`add rule ${t} endpoint-${base} ip saddr ${ep.ip} jump mark-for-masquerade`);
      if (sp.sessionAffinity === 'ClientIP') lines.push(`add rule ${t} endpoint-${base} update @affinity-${base} { ip saddr }`);
      lines.push(`add rule ${t} endpoint-${base} meta l4proto ${sp.protocol} dnat to ${ep.endpoint}`);
    });
    lines.push(`add element ${t} service-ips { ${sp.clusterIP} . ${sp.protocol} . ${sp.port} : goto ${svcChain} }`);
    if (sp.nodePort) lines.push(`add element ${t} service-nodeports { ${sp.protocol} . ${sp.nodePort} : goto ${svcChain} }`);
  }
  return lines.join('\n') + '\n';
}
