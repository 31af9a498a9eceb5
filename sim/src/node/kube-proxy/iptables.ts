/**
 * The nat-table rules kube-proxy's iptables mode writes, as structured data,
 * rendered two ways: the iptables-restore input kube-proxy generates (the
 * format of upstream's proxier_test.go expectations) and what `iptables-save`
 * prints back from the kernel (addresses as /32, -s/-d/-p first, probabilities
 * as the kernel stores them, MARK targets as --set-xmark).
 * Upstream: pkg/proxy/iptables/proxier.go (v1.34) `syncProxyRules`,
 * `writeServiceToEndpointRules`; masquerade mark bit 14 (0x4000); the
 * "local detector" is the cluster CIDR (`! -s <clusterCIDR>` → KUBE-MARK-MASQ).
 * Only what ClusterIP/NodePort Services with Cluster traffic policy need is
 * generated (no LoadBalancer, externalIPs or Local policy chains).
 */
import type { ServicePortInfo } from './model.ts';
import { computeProbability, iptablesSaveProbability } from './probability.ts';
import { serviceExternalChainName } from './chain-names.ts';

export const MASQUERADE_MARK = '0x4000';

export type Match =
  | { kind: 'comment'; text: string; quoted: boolean }
  | { kind: 'proto'; name: string; dport?: number }
  | { kind: 'addrtype'; dstType?: 'LOCAL'; srcType?: 'LOCAL' }
  | { kind: 'mark'; value: string; mask: string; negate: boolean }
  | { kind: 'recent'; mode: 'rcheck' | 'set'; name: string; seconds?: number; reap?: boolean }
  | { kind: 'statistic'; probability: string };

export type Target =
  | { kind: 'jump'; chain: string }
  | { kind: 'RETURN' }
  | { kind: 'DNAT'; toDestination: string }
  | { kind: 'MARK'; op: 'or' | 'xor'; value: string }
  | { kind: 'MASQUERADE'; randomFully: boolean };

export interface IptRule {
  chain: string;
  matches: Match[];
  src?: { cidr: string; negate: boolean };
  dst?: { cidr: string; negate: boolean };
  protocol?: string;
  target: Target;
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

/** Builds a rule from kube-proxy's argument list, parsing it into structured form. */
function rule(chain: string, ...args: string[]): IptRule {
  const r: IptRule = { chain, matches: [], target: { kind: 'RETURN' }, restoreArgs: args };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const negate = a === '!';
    const key = negate ? args[++i]! : a;
    const next = () => args[++i]!;
    switch (key) {
      case '-m': {
        const mod = next();
        if (mod === 'comment') {
          next(); // --comment
          const raw = next();
          const quoted = raw.startsWith('"');
          r.matches.push({ kind: 'comment', text: quoted ? raw.slice(1, -1) : raw, quoted });
        } else if (mod === 'tcp' || mod === 'udp' || mod === 'sctp') r.matches.push({ kind: 'proto', name: mod });
        else if (mod === 'addrtype') {
          const opt = next();
          r.matches.push(opt === '--dst-type' ? { kind: 'addrtype', dstType: next() as 'LOCAL' } : { kind: 'addrtype', srcType: next() as 'LOCAL' });
        } else if (mod === 'mark') {
          const neg = args[i + 1] === '!';
          if (neg) i++;
          next(); // --mark
          const [value, mask] = next().split('/') as [string, string];
          r.matches.push({ kind: 'mark', value, mask, negate: neg });
        } else if (mod === 'recent') {
          const m: Extract<Match, { kind: 'recent' }> = { kind: 'recent', mode: 'set', name: '' };
          while (args[i + 1]?.startsWith('--')) {
            const o = next();
            if (o === '--name') m.name = next();
            else if (o === '--set') m.mode = 'set';
            else if (o === '--rcheck') m.mode = 'rcheck';
            else if (o === '--seconds') m.seconds = Number(next());
            else if (o === '--reap') m.reap = true;
          }
          r.matches.push(m);
        } else if (mod === 'statistic') {
          next(); next(); // --mode random
          next(); // --probability
          r.matches.push({ kind: 'statistic', probability: next() });
        }
        break;
      }
      case '-p': r.protocol = next(); break;
      case '-d': r.dst = { cidr: next(), negate }; break;
      case '-s': r.src = { cidr: next(), negate }; break;
      case '--dport': {
        const m = [...r.matches].reverse().find((x) => x.kind === 'proto');
        if (m && m.kind === 'proto') m.dport = Number(next());
        break;
      }
      case '-j': {
        const t = next();
        if (t === 'DNAT') { next(); r.target = { kind: 'DNAT', toDestination: next() }; }
        else if (t === 'MARK') { const op = next() === '--or-mark' ? 'or' : 'xor'; r.target = { kind: 'MARK', op, value: next() }; }
        else if (t === 'MASQUERADE') r.target = { kind: 'MASQUERADE', randomFully: args[i + 1] === '--random-fully' };
        else if (t === 'RETURN') r.target = { kind: 'RETURN' };
        else r.target = { kind: 'jump', chain: t };
        i = args.length;
        break;
      }
    }
  }
  return r;
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

const SAFE_COMMENT = /^[_\-0-9a-zA-Z]+$/;
function saveString(s: string): string {
  return SAFE_COMMENT.test(s) ? s : `"${s.replace(/(["\\'])/g, '\\$1')}"`;
}
function withPrefix(cidr: string): string {
  return cidr.includes('/') ? cidr : `${cidr}/32`;
}

/** One rule as `iptables-save` prints it. */
export function renderSaveRule(r: IptRule): string {
  const parts = ['-A', r.chain];
  if (r.src) parts.push(...(r.src.negate ? ['!'] : []), '-s', withPrefix(r.src.cidr));
  if (r.dst) parts.push(...(r.dst.negate ? ['!'] : []), '-d', withPrefix(r.dst.cidr));
  if (r.protocol) parts.push('-p', r.protocol);
  for (const m of r.matches) {
    switch (m.kind) {
      case 'comment': parts.push('-m', 'comment', '--comment', saveString(m.text)); break;
      case 'proto': parts.push('-m', m.name, ...(m.dport !== undefined ? ['--dport', String(m.dport)] : [])); break;
      case 'addrtype': parts.push('-m', 'addrtype', ...(m.dstType ? ['--dst-type', m.dstType] : []), ...(m.srcType ? ['--src-type', m.srcType] : [])); break;
      case 'mark': parts.push('-m', 'mark', ...(m.negate ? ['!'] : []), '--mark', `${m.value}/${m.mask}`); break;
      case 'recent':
        parts.push('-m', 'recent', m.mode === 'set' ? '--set' : '--rcheck');
        if (m.seconds !== undefined) parts.push('--seconds', String(m.seconds));
        if (m.reap) parts.push('--reap');
        parts.push('--name', m.name, '--mask', '255.255.255.255', '--rsource');
        break;
      case 'statistic': parts.push('-m', 'statistic', '--mode', 'random', '--probability', iptablesSaveProbability(m.probability)); break;
    }
  }
  const t = r.target;
  if (t.kind === 'jump') parts.push('-j', t.chain);
  else if (t.kind === 'RETURN') parts.push('-j', 'RETURN');
  else if (t.kind === 'DNAT') parts.push('-j', 'DNAT', '--to-destination', t.toDestination);
  else if (t.kind === 'MARK') parts.push('-j', 'MARK', '--set-xmark', t.op === 'or' ? `${t.value}/${t.value}` : `${t.value}/0x0`);
  else parts.push('-j', 'MASQUERADE', ...(t.randomFully ? ['--random-fully'] : []));
  return parts.join(' ');
}

/** `iptables-save -t nat` after kube-proxy's restore: chains, then rules grouped by chain in declaration order. */
export function renderIptablesSave(table: NatTable): string {
  const lines = ['*nat'];
  for (const c of table.chains) lines.push(BUILTIN.includes(c) ? `:${c} ACCEPT [0:0]` : `:${c} - [0:0]`);
  for (const c of table.chains) for (const r of table.rules) if (r.chain === c) lines.push(renderSaveRule(r));
  lines.push('COMMIT');
  return lines.join('\n') + '\n';
}
