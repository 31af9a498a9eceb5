/**
 * Parsing the options of each match extension, following the option tables
 * of iptables 1.8 `extensions/libxt_{tcp,udp,comment,statistic,mark,addrtype,
 * conntrack,multiport,recent}.c` (names, arguments, which ones take `!`).
 */
import type { SimError } from '../../core/result.ts';
import { ArgCursor, errAt, isError, parseUint } from './cursor.ts';
import type { Token } from './tokenize.ts';
import type { CtState, Match, MatchName, PortRange, Rule } from './types.ts';

export const MATCH_NAMES: readonly MatchName[] = ['tcp', 'udp', 'icmp', 'comment', 'statistic', 'mark', 'addrtype', 'conntrack', 'multiport', 'recent'];

/** Long options each extension owns. */
export const MATCH_OPTIONS: Record<MatchName, readonly string[]> = {
  tcp: ['sport', 'source-port', 'dport', 'destination-port', 'syn', 'tcp-flags', 'tcp-option'],
  udp: ['sport', 'source-port', 'dport', 'destination-port'],
  icmp: ['icmp-type'],
  comment: ['comment'],
  statistic: ['mode', 'probability', 'every', 'packet'],
  mark: ['mark'],
  addrtype: ['src-type', 'dst-type', 'limit-iface-in', 'limit-iface-out'],
  conntrack: ['ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctstatus', 'ctexpire', 'ctdir'],
  multiport: ['sports', 'source-ports', 'dports', 'destination-ports', 'ports'],
  recent: ['set', 'rcheck', 'update', 'remove', 'seconds', 'reap', 'hitcount', 'rttl', 'name', 'mask', 'rsource', 'rdest'],
};

/** Options of real extensions that the simulator knows but does not model. */
const UNSUPPORTED = new Set(['syn', 'tcp-flags', 'tcp-option', 'icmp-type', 'limit-iface-in', 'limit-iface-out', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctstatus', 'ctexpire', 'ctdir']);
const RECENT_WITH_ARG = new Set(['seconds', 'hitcount', 'name', 'mask']);

export const ADDRTYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'] as const;
/** The order libxt_conntrack prints states in (`print_state`). */
export const CT_STATES: readonly CtState[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

export function newMatch(name: MatchName): Match {
  switch (name) {
    case 'tcp':
    case 'udp':
      return { name };
    case 'icmp':
      return { name };
    case 'comment':
      return { name, comment: '' };
    case 'statistic':
      return { name, mode: 'random', invert: false, probability: -1 };
    case 'mark':
      return { name, invert: false, mark: 0, mask: 0xffffffff };
    case 'addrtype':
      return { name };
    case 'conntrack':
      return { name };
    case 'multiport':
      return { name, flag: 'dports', invert: false, ports: [] };
    case 'recent':
      return { name, args: [], list: 'DEFAULT', seconds: 0, hitcount: 0, reap: false, rdest: false, invert: false };
  }
}

/** `80`, `1000:2000`, `:1023`, `1024:` (xtables_parse_port + tcp's range syntax). */
export function parsePortRange(text: string): PortRange | undefined {
  const parts = text.split(':');
  if (parts.length > 2) return undefined;
  const p = (s: string, dflt: number) => (s === '' ? dflt : parseUint(s, 65535));
  const from = p(parts[0]!, 0);
  const to = parts.length === 2 ? p(parts[1]!, 65535) : from;
  if (from === undefined || to === undefined || (parts.length === 1 && parts[0] === '')) return undefined;
  return from <= to ? { from, to } : { from: to, to: from };
}

/** `0x4000/0x4000` → value and mask (mask defaults to 0xffffffff). */
export function parseMarkMask(text: string): { value: number; mask: number } | undefined {
  const [v, m] = text.split('/');
  const value = parseUint(v ?? '', 0xffffffff);
  const mask = m === undefined ? 0xffffffff : parseUint(m, 0xffffffff);
  if (value === undefined || mask === undefined || text.split('/').length > 2) return undefined;
  return { value, mask };
}

/**
 * Applies one `--option` to match `m`. Returns an error, or undefined when
 * consumed. The caller only calls this for options in MATCH_OPTIONS[m.name].
 */
export function parseMatchOption(m: Match, opt: string, invert: boolean, optTok: Token, cur: ArgCursor): SimError | undefined {
  if (UNSUPPORTED.has(opt)) return errAt('UNSUPPORTED_OPTION', `"--${opt}" of the ${m.name} match is real iptables but is not simulated`, optTok);
  const noInvert = () => (invert ? errAt('INVALID_RULE', `"--${opt}" cannot be inverted with "!"`, optTok) : undefined);
  const arg = (what: string) => cur.need(optTok, what);
  switch (m.name) {
    case 'tcp':
    case 'udp': {
      const a = arg('port or port:port');
      if (isError(a)) return a;
      const r = parsePortRange(a.text);
      if (!r) return errAt('BAD_PORT', `invalid port/service "${a.text}"`, a);
      if (opt === 'sport' || opt === 'source-port') m.sport = { value: r, invert };
      else m.dport = { value: r, invert };
      return undefined;
    }
    case 'comment': {
      const e = noInvert();
      if (e) return e;
      const a = arg('text');
      if (isError(a)) return a;
      if (a.text.length > 255) return errAt('BAD_VALUE', 'comment may not exceed 255 characters (XT_MAX_COMMENT_LEN 256)', a);
      m.comment = a.text;
      return undefined;
    }
    case 'statistic': {
      const a = arg(opt === 'mode' ? 'random|nth' : 'number');
      if (isError(a)) return a;
      if (invert) m.invert = true;
      if (opt === 'mode') {
        if (invert) return errAt('INVALID_RULE', '"--mode" cannot be inverted; put "!" before --probability or --every', optTok);
        if (a.text === 'random') Object.assign(m, { mode: 'random', probability: m.mode === 'random' ? m.probability : -1 });
        else if (a.text === 'nth') Object.assign(m, { mode: 'nth', every: 0, packet: 0 });
        else return errAt('BAD_VALUE', `Bad mode "${a.text}"`, a);
        return undefined;
      }
      if (opt === 'probability') {
        const p = Number(a.text);
        if (!/^[0-9.eE+-]+$/.test(a.text) || !Number.isFinite(p) || p < 0 || p > 1) return errAt('BAD_VALUE', `--probability "${a.text}" must be a number in [0, 1]`, a);
        if (m.mode !== 'random') return errAt('INVALID_RULE', '--probability needs --mode random', optTok);
        m.probability = Math.round(0x80000000 * p);
        return undefined;
      }
      if (m.mode !== 'nth') return errAt('INVALID_RULE', `--${opt} needs --mode nth`, optTok);
      const n = parseUint(a.text, 0xffffffff);
      if (n === undefined || (opt === 'every' && n < 1)) return errAt('BAD_VALUE', `--${opt} "${a.text}" is not a valid number`, a);
      if (opt === 'every') m.every = n;
      else {
        if (invert) return errAt('INVALID_RULE', '"--packet" cannot be inverted', optTok);
        m.packet = n;
      }
      return undefined;
    }
    case 'mark': {
      const a = arg('value[/mask]');
      if (isError(a)) return a;
      const mm = parseMarkMask(a.text);
      if (!mm) return errAt('BAD_VALUE', `bad mark value "${a.text}"`, a);
      Object.assign(m, { invert, mark: mm.value, mask: mm.mask });
      return undefined;
    }
    case 'addrtype': {
      const a = arg('type[,type...]');
      if (isError(a)) return a;
      const types = a.text.split(',');
      for (const t of types) if (!(ADDRTYPES as readonly string[]).includes(t)) return errAt('BAD_VALUE', `unknown address type "${t}" (one of ${ADDRTYPES.join(', ')})`, a);
      if (opt === 'src-type') m.srcType = { value: types, invert };
      else m.dstType = { value: types, invert };
      return undefined;
    }
    case 'conntrack': {
      const a = arg('state[,state...]');
      if (isError(a)) return a;
      const states = a.text.split(',');
      for (const s of states) if (!(CT_STATES as readonly string[]).includes(s)) return errAt('BAD_VALUE', `bad ctstate "${s}" (one of ${CT_STATES.join(', ')})`, a);
      m.ctstate = { value: states as CtState[], invert };
      return undefined;
    }
    case 'multiport': {
      const a = arg('port[,port:port...]');
      if (isError(a)) return a;
      const ports: PortRange[] = [];
      let slots = 0;
      for (const p of a.text.split(',')) {
        const r = parsePortRange(p);
        if (!r) return errAt('BAD_PORT', `invalid port/service "${p}"`, a);
        slots += r.from === r.to ? 1 : 2;
        ports.push(r);
      }
      if (slots > 15) return errAt('LIMIT_EXCEEDED', 'too many ports specified (XT_MULTI_PORTS is 15; a range counts as 2)', a);
      const flag = opt.startsWith('s') ? 'sports' : opt.startsWith('d') ? 'dports' : 'ports';
      Object.assign(m, { flag, invert, ports });
      return undefined;
    }
    case 'recent': {
      m.args.push(`${invert ? '! ' : ''}--${opt}`);
      let value: Token | undefined;
      if (RECENT_WITH_ARG.has(opt)) {
        const a = arg('value');
        if (isError(a)) return a;
        m.args.push(a.text);
        value = a;
      }
      // libxt_recent.c recent_parse: one command, a list name, and counts.
      if (opt === 'set' || opt === 'rcheck' || opt === 'update' || opt === 'remove') {
        if (m.cmd) return errAt('INVALID_RULE', 'recent: only one of --set, --rcheck, --update or --remove may be given', optTok);
        m.cmd = opt;
        m.invert = invert;
      } else if (opt === 'name') m.list = value!.text;
      else if (opt === 'seconds' || opt === 'hitcount') {
        const n = parseUint(value!.text, 0xffffffff);
        if (n === undefined) return errAt('BAD_VALUE', `--${opt} "${value!.text}" is not a valid number`, value!);
        m[opt] = n;
      } else if (opt === 'reap') m.reap = true;
      else if (opt === 'rdest') m.rdest = true;
      else if (opt === 'rsource') m.rdest = false;
      return undefined;
    }
    case 'icmp':
      return errAt('UNSUPPORTED_OPTION', `--${opt} is not simulated`, optTok);
  }
}

/** Whole-rule checks (the x6_fcheck hooks and the kernel's protocol check). */
export function finalCheckMatch(m: Match, rule: Rule, at: Token | { line: number; column: number }): SimError | undefined {
  const proto = rule.proto && !rule.proto.invert ? rule.proto.value : undefined;
  switch (m.name) {
    case 'tcp':
    case 'udp':
    case 'icmp':
      if (proto !== m.name) return errAt('INVALID_RULE', `${m.name} match: only valid for protocol ${m.name} (add "-p ${m.name}")`, at);
      return undefined;
    case 'multiport':
      if (proto !== 'tcp' && proto !== 'udp') return errAt('INVALID_RULE', 'multiport needs "-p tcp" or "-p udp"', at);
      if (m.ports.length === 0) return errAt('MISSING_ARGUMENT', 'multiport needs --sports, --dports or --ports', at);
      return undefined;
    case 'statistic':
      if (m.mode === 'random' && m.probability < 0) return errAt('MISSING_ARGUMENT', '--probability must be specified when using random mode', at);
      if (m.mode === 'nth') {
        if (m.every < 1) return errAt('MISSING_ARGUMENT', '--every must be specified when using nth mode', at);
        if (m.packet > m.every - 1) return errAt('BAD_VALUE', 'the --packet p must be 0 <= p <= n-1', at);
      }
      return undefined;
    case 'comment':
      if (m.comment === '') return errAt('MISSING_ARGUMENT', 'comment match needs --comment', at);
      return undefined;
    case 'conntrack':
      if (!m.ctstate) return errAt('MISSING_ARGUMENT', 'conntrack match needs --ctstate (the only conntrack option simulated)', at);
      return undefined;
    case 'addrtype':
      if (!m.srcType && !m.dstType) return errAt('MISSING_ARGUMENT', 'addrtype needs --src-type or --dst-type', at);
      return undefined;
    case 'recent':
      if (!m.cmd) return errAt('MISSING_ARGUMENT', 'recent: you must specify one of --set, --rcheck, --update or --remove', at);
      if (m.reap && !m.seconds) return errAt('INVALID_RULE', 'recent: --reap needs --seconds', at);
      return undefined;
    default:
      return undefined;
  }
}
