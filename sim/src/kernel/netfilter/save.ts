/**
 * Printing a Ruleset in iptables-save format.
 * Upstream: iptables 1.8 `iptables/nft-ipv4.c` (`nft_ipv4_save_rule`: -s, -d,
 * then -i, -o, -p via `save_rule_details`, then each `-m name` with its
 * options in load order, then `-j`/`-g` target), `libxtables/xtables.c`
 * (`xtables_save_string`: quote unless only [A-Za-z0-9_-]) and the `save`
 * functions of each extension (`libxt_statistic.c` prints `--probability
 * %.11f` of probability/2^31; `libxt_mark.c` prints `/mask` only when it is
 * not 0xffffffff; `libxt_MARK.c` always prints `--set-xmark v/m`;
 * `libipt_REJECT.c` always prints `--reject-with`). The legacy and nft
 * variants print the same format.
 */
import { formatCidr, formatIpv4 } from '../net/ipv4.ts';
import { ADDRTYPES, CT_STATES } from './matchParse.ts';
import type { Chain, Inverted, Match, PortRange, Rule, Ruleset, Table, Target } from './types.ts';

export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
const inv = (i: { invert: boolean }) => (i.invert ? ' !' : '');
const ports = (r: PortRange) => (r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`);

export function saveMatch(m: Match): string {
  switch (m.name) {
    case 'tcp':
    case 'udp': {
      let s = '';
      if (m.sport) s += `${inv(m.sport)} --sport ${ports(m.sport.value)}`;
      if (m.dport) s += `${inv(m.dport)} --dport ${ports(m.dport.value)}`;
      return s;
    }
    case 'icmp':
      return '';
    case 'comment':
      return ` --comment ${saveString(m.comment)}`;
    case 'statistic':
      if (m.mode === 'random') return ` --mode random${inv(m)} --probability ${(m.probability / 0x80000000).toFixed(11)}`;
      return ` --mode nth${inv(m)} --every ${m.every}${m.packet ? ` --packet ${m.packet}` : ''}`;
    case 'mark':
      return `${inv(m)} --mark ${hex(m.mark)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`;
    case 'addrtype': {
      const types = (t: Inverted<string[]>) => ADDRTYPES.filter((a) => t.value.includes(a)).join(',');
      let s = '';
      if (m.srcType) s += `${inv(m.srcType)} --src-type ${types(m.srcType)}`;
      if (m.dstType) s += `${inv(m.dstType)} --dst-type ${types(m.dstType)}`;
      return s;
    }
    case 'conntrack':
      return m.ctstate ? `${inv(m.ctstate)} --ctstate ${CT_STATES.filter((c) => m.ctstate!.value.includes(c)).join(',')}` : '';
    case 'multiport':
      return `${inv(m)} --${m.flag} ${m.ports.map(ports).join(',')}`;
    case 'recent':
      return m.args.map((a) => ` ${a}`).join('');
  }
}

export function saveTarget(t: Target, goto: boolean): string {
  const flag = goto ? '-g' : '-j';
  switch (t.kind) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return `${flag} ${t.kind}`;
    case 'chain':
      return `${flag} ${t.chain}`;
    case 'REJECT':
      return `-j REJECT --reject-with ${t.rejectWith}`;
    case 'DNAT':
      return `-j DNAT --to-destination ${formatIpv4(t.ip)}${t.port !== undefined ? `:${t.port}` : ''}`;
    case 'SNAT':
      return `-j SNAT --to-source ${formatIpv4(t.ip)}${t.port !== undefined ? `:${t.port}` : ''}`;
    case 'MASQUERADE':
      return `-j MASQUERADE${t.toPorts ? ` --to-ports ${t.toPorts.from === t.toPorts.to ? t.toPorts.from : `${t.toPorts.from}-${t.toPorts.to}`}` : ''}${t.random ? ' --random' : ''}${t.randomFully ? ' --random-fully' : ''}`;
    case 'MARK':
      return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'LOG':
      return `-j LOG${t.prefix ? ` --log-prefix ${saveString(t.prefix)}` : ''}${t.level !== 4 ? ` --log-level ${t.level}` : ''}`;
  }
}

/** The rule's text after `-A CHAIN` (also used to label trace steps). */
export function saveRuleSpec(r: Rule): string {
  const parts: string[] = [];
  const neg = (i: { invert: boolean }) => (i.invert ? '! ' : '');
  if (r.src) parts.push(`${neg(r.src)}-s ${formatCidr(r.src.value)}`);
  if (r.dst) parts.push(`${neg(r.dst)}-d ${formatCidr(r.dst.value)}`);
  if (r.inIface) parts.push(`${neg(r.inIface)}-i ${r.inIface.value}`);
  if (r.outIface) parts.push(`${neg(r.outIface)}-o ${r.outIface.value}`);
  if (r.proto) parts.push(`${neg(r.proto)}-p ${r.proto.value}`);
  for (const m of r.matches) parts.push(`-m ${m.name}${saveMatch(m)}`);
  if (r.target) parts.push(saveTarget(r.target, r.goto));
  return parts.join(' ');
}

export function saveRule(chain: string, r: Rule): string {
  const spec = saveRuleSpec(r);
  return spec ? `-A ${chain} ${spec}` : `-A ${chain}`;
}

function chainLine(c: Chain): string {
  return `:${c.name} ${c.builtin ? c.policy : '-'} [0:0]`;
}

export function saveTable(t: Table): string[] {
  const chains = [...t.chains.values()];
  // libiptc keeps user chains sorted by name; built-in chains come first.
  const ordered = [...chains.filter((c) => c.builtin), ...chains.filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
  const out = [`*${t.name}`, ...ordered.map(chainLine)];
  for (const c of ordered) for (const r of c.rules) out.push(saveRule(c.name, r));
  out.push('COMMIT');
  return out;
}

/** The whole ruleset, tables in the order they were created. */
export function formatIptablesSave(rs: Ruleset): string {
  const out: string[] = ['# Generated by iptables-save v1.8.11 (simulated)'];
  for (const t of rs.tables.values()) out.push(...saveTable(t));
  out.push('# Completed');
  return `${out.join('\n')}\n`;
}
