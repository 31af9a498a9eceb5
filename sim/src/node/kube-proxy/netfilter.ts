/**
 * Hands kube-proxy's rules to the Layer 1 netfilter model, the way the real
 * proxier does: it writes iptables-restore input and runs
 * `iptables-restore --noflush` (pkg/proxy/iptables/proxier.go v1.34,
 * `syncProxyRules` → `iptables.RestoreAll(…, NoFlushTables, …)`), so chains it
 * does not mention (the host's own rules) survive. The packets are then
 * executed by `NetfilterHost` (sim/src/kernel/netfilter) — kube-proxy has no
 * evaluator of its own.
 */
import { ok, type Result } from '../../core/result.ts';
import { Prng } from '../../core/prng.ts';
import { parseCidr, parseIpv4 } from '../../kernel/net/ipv4.ts';
import type { HostConfig } from '../../kernel/net/routing.ts';
import { parseIptables } from '../../kernel/netfilter/restore.ts';
import { NetfilterHost } from '../../kernel/netfilter/trace.ts';
import type { Ruleset } from '../../kernel/netfilter/types.ts';
import { buildNatTable, renderIptablesRestore, type IptablesOptions } from './iptables.ts';
import type { ServicePortInfo } from './model.ts';

/** The node the widget's kube-proxy runs on: node-1, pod CIDR 10.244.1.0/24. */
export const KUBE_PROXY_NODE_IP = '192.168.0.10';
export const KUBE_PROXY_CLUSTER_CIDR = '10.244.0.0/16';

export function kubeProxyNodeHost(): HostConfig {
  const ip = (s: string) => parseIpv4(s)!;
  return {
    addresses: [{ dev: 'eth0', ip: ip(KUBE_PROXY_NODE_IP) }, { dev: 'cni0', ip: ip('10.244.1.1') }],
    routes: [
      { dst: parseCidr('10.244.1.0/24')!, dev: 'cni0' },
      { dst: parseCidr(KUBE_PROXY_CLUSTER_CIDR)!, dev: 'eth0' },
      { dst: parseCidr('0.0.0.0/0')!, dev: 'eth0', via: ip('192.168.0.1') },
    ],
    ipForward: true,
    listeners: [],
  };
}

export interface LoadedRules {
  /** What kube-proxy fed to iptables-restore --noflush. */
  restoreText: string;
  ruleset: Ruleset;
}

/** syncProxyRules + iptables-restore --noflush on top of `base` (the host's existing tables). */
export function loadKubeProxyRules(ports: readonly ServicePortInfo[], options: IptablesOptions & { base?: Ruleset } = {}): Result<LoadedRules> {
  const restoreText = renderIptablesRestore(buildNatTable(ports, options));
  const loaded = parseIptables(restoreText, { noflush: true, ...(options.base ? { base: options.base } : {}) });
  if (!loaded.ok) return loaded;
  return ok({ restoreText, ruleset: loaded.value });
}

/** A node whose netfilter runs kube-proxy's rules. */
export function kubeProxyNetfilterHost(ruleset: Ruleset, seed: number): NetfilterHost {
  return new NetfilterHost(ruleset, kubeProxyNodeHost(), new Prng(seed));
}
