/**
 * The nat-table rules kube-proxy's iptables mode writes: the iptables-restore
 * input it generates (the format of upstream's proxier_test.go expectations).
 * Parsing, executing and printing them back as `iptables-save` does (addresses
 * as /32, -s/-d/-p first, probabilities as the kernel stores them, MARK as
 * --set-xmark) is the Layer 1 netfilter model's job (see netfilter.ts).
 * Upstream: pkg/proxy/iptables/proxier.go (v1.34) `syncProxyRules`,
 * `writeServiceToEndpointRules`; masquerade mark bit 14 (0x4000); the
 * "local detector" is the cluster CIDR (`! -s <clusterCIDR>` → KUBE-MARK-MASQ).
 * Only what ClusterIP/NodePort Services with Cluster traffic policy need is
 * generated (no LoadBalancer, externalIPs or Local policy chains).
 */
import type { ServicePortInfo } from './model.ts';
import { computeProbability } from './probability.ts';
import { serviceExternalChainName } from './chain-names.ts';

export const MASQUERADE_MARK = '0x4000';

export interface IptRule {
  chain: string;
  /** The arguments exactly as kube-proxy writes them (after `-A chain`). */
  restoreArgs: string[];
}

export interface NatTable {
  /** Chains in the order kube-proxy declares them (built-ins first). */
  chains: string[];
  rules: IptRule[];
}

export interface IptablesOptions {
  /** The cluster CIDR used by the local-traffic detector (default 10.244.0.0/16). */
  clusterCIDR?: string;
}

const BUILTIN = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'];

/** One `-A chain …` line as kube-proxy's argument list (parsed later by the netfilter model, not here). */
function rule(chain: string, ...args: string[]): IptRule {
  return { chain, restoreArgs: args };
}

/** Generates the nat table for the given service ports (upstream syncProxyRules, Cluster policy only). */
export function buildNatTable(servicePorts: readonly ServicePortInfo[], options: IptablesOptions = {}): NatTable {
  const clusterCIDR = options.clusterCIDR ?? '10.244.0.0/16';
  const chains = [...BUILTIN, 'KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'];
  const rules: IptRule[] = [
    // Jump rules kube-proxy ensures in the built-in chains (iptablesJumpChains).
    rule('PREROUTING', '-m', 'comment', '--comment', '"kubernetes service portals"', '-j', 'KUBE-SERVICES'),
    rule('OUTPUT', '-m', 'comment', '--comment', '"kubernetes service portals"', '-j', 'KUBE-SERVICES'),
    rule('POSTROUTING', '-m', 'comment', '--comment', '"kubernetes postrouting rules"', '-j', 'KUBE-POSTROUTING'),
    rule('KUBE-POSTROUTING', '-m', 'mark', '!', '--mark', `${MASQUERADE_MARK}/${MASQUERADE_MARK}`, '-j', 'RETURN'),
    rule('KUBE-POSTROUTING', '-j', 'MARK', '--xor-mark', MASQUERADE_MARK),
    rule('KUBE-POSTROUTING', '-m', 'comment', '--comment', '"kubernetes service traffic requiring SNAT"', '-j', 'MASQUERADE', '--random-fully'),
    rule('KUBE-MARK-MASQ', '-j', 'MARK', '--or-mark', MASQUERADE_MARK),
  ];
  const svcRules: IptRule[] = [];
  for (const sp of servicePorts) {
    const p = sp.protocol;
    const name = sp.servicePortName;
    if (!sp.endpoints.length) continue; // no endpoints: only a filter-table REJECT (not modelled here)
    rules.push(rule('KUBE-SERVICES', '-m', 'comment', '--comment', `"${name} cluster IP"`, '-m', p, '-p', p, '-d', sp.clusterIP, '--dport', String(sp.port), '-j', sp.chainName));
    if (sp.nodePort) {
      const ext = serviceExternalChainName(name, p);
      rules.push(rule('KUBE-NODEPORTS', '-m', 'comment', '--comment', name, '-m', p, '-p', p, '--dport', String(sp.nodePort), '-j', ext));
      chains.push(ext);
      svcRules.push(rule(ext, '-m', 'comment', '--comment', `"masquerade traffic for ${name} external destinations"`, '-j', 'KUBE-MARK-MASQ'));
      svcRules.push(rule(ext, '-j', sp.chainName));
    }
    chains.push(sp.chainName);
    svcRules.push(rule(sp.chainName, '-m', 'comment', '--comment', `"${name} cluster IP"`, '-m', p, '-p', p, '-d', sp.clusterIP, '--dport', String(sp.port), '!', '-s', clusterCIDR, '-j', 'KUBE-MARK-MASQ'));
    // writeServiceToEndpointRules: affinity checks first, then the probability ladder.
    if (sp.sessionAffinity === 'ClientIP') {
      for (const ep of sp.endpoints) {
        svcRules.push(rule(sp.chainName, '-m', 'comment', '--comment', `"${name} -> ${ep.endpoint}"`, '-m', 'recent', '--name', ep.chainName, '--rcheck', '--seconds', String(sp.stickyMaxAgeSeconds), '--reap', '-j', ep.chainName));
      }
    }
    const n = sp.endpoints.length;
    sp.endpoints.forEach((ep, i) => {
      const args = ['-m', 'comment', '--comment', `"${name} -> ${ep.endpoint}"`];
      if (i < n - 1) args.push('-m', 'statistic', '--mode', 'random', '--probability', computeProbability(n - i));
      svcRules.push(rule(sp.chainName, ...args, '-j', ep.chainName));
    });
    for (const ep of sp.endpoints) {
      chains.push(ep.chainName);
      svcRules.push(rule(ep.chainName, '-m', 'comment', '--comment', name, '-s', ep.ip, '-j', 'KUBE-MARK-MASQ'));
      const affinity = sp.sessionAffinity === 'ClientIP' ? ['-m', 'recent', '--name', ep.chainName, '--set'] : [];
      svcRules.push(rule(ep.chainName, '-m', 'comment', '--comment', name, ...affinity, '-m', p, '-p', p, '-j', 'DNAT', '--to-destination', ep.endpoint));
    }
  }
  rules.push(...svcRules);
  rules.push(rule('KUBE-SERVICES', '-m', 'comment', '--comment', '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'KUBE-NODEPORTS'));
  return { chains, rules };
}

/** The iptables-restore input (kube-proxy's own text; upstream test format). */
export function renderIptablesRestore(table: NatTable): string {
  const lines = ['*nat'];
  for (const c of table.chains) lines.push(BUILTIN.includes(c) ? `:${c} ACCEPT [0:0]` : `:${c} - [0:0]`);
  for (const r of table.rules) lines.push(['-A', r.chain, ...r.restoreArgs].join(' '));
  lines.push('COMMIT');
  return lines.join('\n') + '\n';
}
