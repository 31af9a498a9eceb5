/**
 * Target extensions: names, options and where the kernel allows them.
 * Upstream: iptables 1.8 `extensions/libxt_{DNAT,SNAT,MASQUERADE,MARK,LOG}.c`,
 * `libipt_REJECT.c`; kernel `net/netfilter/xt_nat.c` (DNAT: table nat, hooks
 * PRE_ROUTING|LOCAL_OUT; SNAT: POST_ROUTING|LOCAL_IN), `xt_MASQUERADE.c`
 * (nat, POST_ROUTING), `net/ipv4/netfilter/ipt_REJECT.c` (filter; LOCAL_IN|
 * FORWARD|LOCAL_OUT), `xt_mark.c` (MARK revision 2: any table), `xt_LOG.c`.
 */
import type { SimError } from '../../core/result.ts';
import { parseIpv4 } from '../net/ipv4.ts';
import { ArgCursor, errAt, isError, parseUint } from './cursor.ts';
import { parseMarkMask, parsePortRange } from './matchParse.ts';
import type { Hook, TableName } from './tables.ts';
import type { Token } from './tokenize.ts';
import type { Target } from './types.ts';

export type ExtTargetKind = 'ACCEPT' | 'DROP' | 'RETURN' | 'REJECT' | 'DNAT' | 'SNAT' | 'MASQUERADE' | 'MARK' | 'LOG';
export const TARGET_NAMES: readonly ExtTargetKind[] = ['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'MARK', 'LOG'];

export const TARGET_OPTIONS: Partial<Record<ExtTargetKind, readonly string[]>> = {
  REJECT: ['reject-with'],
  DNAT: ['to-destination', 'random', 'persistent'],
  SNAT: ['to-source', 'random', 'random-fully', 'persistent'],
  MASQUERADE: ['to-ports', 'random', 'random-fully'],
  MARK: ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'],
  LOG: ['log-prefix', 'log-level', 'log-tcp-sequence', 'log-tcp-options', 'log-ip-options', 'log-uid'],
};

/** Where each target may be used: [table, hooks] (undefined = anywhere). */
export const TARGET_PLACES: Partial<Record<ExtTargetKind, { table?: TableName; hooks?: readonly Hook[] }>> = {
  DNAT: { table: 'nat', hooks: ['PREROUTING', 'OUTPUT'] },
  SNAT: { table: 'nat', hooks: ['POSTROUTING', 'INPUT'] },
  MASQUERADE: { table: 'nat', hooks: ['POSTROUTING'] },
  REJECT: { table: 'filter', hooks: ['INPUT', 'FORWARD', 'OUTPUT'] },
};

const REJECT_WITH = ['icmp-net-unreachable', 'icmp-host-unreachable', 'icmp-port-unreachable', 'icmp-proto-unreachable', 'icmp-net-prohibited', 'icmp-host-prohibited', 'icmp-admin-prohibited', 'tcp-reset'];
const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];

export function newTarget(name: string): Target {
  switch (name as ExtTargetKind) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return { kind: name as 'ACCEPT' | 'DROP' | 'RETURN' };
    case 'REJECT':
      return { kind: 'REJECT', rejectWith: 'icmp-port-unreachable' };
    case 'DNAT':
      return { kind: 'DNAT', ip: -1 };
    case 'SNAT':
      return { kind: 'SNAT', ip: -1 };
    case 'MASQUERADE':
      return { kind: 'MASQUERADE', random: false, randomFully: false };
    case 'MARK':
      return { kind: 'MARK', value: -1, mask: 0xffffffff };
    case 'LOG':
      return { kind: 'LOG', prefix: '', level: 4 };
    default:
      return { kind: 'chain', chain: name };
  }
}

/** `10.244.1.5` or `10.244.1.5:8080` (a single address; ranges are not simulated). */
function parseNatAddr(text: string): { ip: number; port?: number } | undefined {
  const [ipText, portText, ...rest] = text.split(':');
  if (rest.length) return undefined;
  const ip = parseIpv4(ipText ?? '');
  if (ip === undefined) return undefined;
  if (portText === undefined) return { ip };
  const port = parseUint(portText, 65535);
  return port === undefined || port === 0 ? undefined : { ip, port };
}

export function parseTargetOption(t: Target, opt: string, invert: boolean, optTok: Token, cur: ArgCursor): SimError | undefined {
  if (invert) return errAt('INVALID_RULE', `target option "--${opt}" cannot be inverted`, optTok);
  const arg = (what: string) => cur.need(optTok, what);
  switch (t.kind) {
    case 'REJECT': {
      const a = arg('type');
      if (isError(a)) return a;
      const v = a.text === 'tcp-rst' ? 'tcp-reset' : a.text;
      if (!REJECT_WITH.includes(v)) return errAt('BAD_VALUE', `unknown reject type "${a.text}"`, a);
      t.rejectWith = v;
      return undefined;
    }
    case 'DNAT':
    case 'SNAT': {
      if (opt === 'random' || opt === 'persistent' || opt === 'random-fully') return undefined;
      const a = arg('ip[:port]');
      if (isError(a)) return a;
      const r = parseNatAddr(a.text);
      if (!r) return errAt('BAD_ADDRESS', `bad IP address "${a.text}" (expected ip or ip:port; ranges are not simulated)`, a);
      t.ip = r.ip;
      if (r.port !== undefined) t.port = r.port;
      return undefined;
    }
    case 'MASQUERADE': {
      if (opt === 'random') t.random = true;
      else if (opt === 'random-fully') t.randomFully = true;
      else {
        const a = arg('port[-port]');
        if (isError(a)) return a;
        const r = parsePortRange(a.text.replace('-', ':'));
        if (!r) return errAt('BAD_PORT', `invalid port "${a.text}"`, a);
        t.toPorts = r;
      }
      return undefined;
    }
    case 'MARK': {
      const a = arg('value[/mask]');
      if (isError(a)) return a;
      const mm = parseMarkMask(a.text);
      if (!mm) return errAt('BAD_VALUE', `bad MARK value "${a.text}"`, a);
      if (t.value >= 0) return errAt('INVALID_RULE', 'MARK target: only one --set-xmark/--set-mark/--and-mark/--or-mark/--xor-mark allowed', optTok);
      // libxt_MARK mark_tg_parse: everything becomes (value, mask) for xt_mark_tginfo2.
      if (opt === 'set-xmark') Object.assign(t, { value: mm.value, mask: mm.mask });
      else if (opt === 'set-mark') Object.assign(t, { value: mm.value, mask: (mm.mask | mm.value) >>> 0 });
      else if (opt === 'and-mark') Object.assign(t, { value: 0, mask: ~mm.value >>> 0 });
      else if (opt === 'or-mark') Object.assign(t, { value: mm.value, mask: mm.value });
      else Object.assign(t, { value: mm.value, mask: 0 });
      return undefined;
    }
    case 'LOG': {
      if (opt === 'log-prefix') {
        const a = arg('prefix');
        if (isError(a)) return a;
        if (a.text.length > 29) return errAt('BAD_VALUE', 'Maximum prefix length 29 for --log-prefix', a);
        t.prefix = a.text;
      } else if (opt === 'log-level') {
        const a = arg('level');
        if (isError(a)) return a;
        const n = LOG_LEVELS.indexOf(a.text) >= 0 ? LOG_LEVELS.indexOf(a.text) : parseUint(a.text, 7);
        if (n === undefined) return errAt('BAD_VALUE', `log level "${a.text}" unknown`, a);
        t.level = n;
      }
      return undefined;
    }
    default:
      return errAt('UNKNOWN_OPTION', `unknown option "--${opt}"`, optTok);
  }
}

export function finalCheckTarget(t: Target, protoTcpUdp: boolean, at: { line: number; column: number }): SimError | undefined {
  if ((t.kind === 'DNAT' || t.kind === 'SNAT') && t.ip < 0) return errAt('MISSING_ARGUMENT', `${t.kind} target needs --to-${t.kind === 'DNAT' ? 'destination' : 'source'}`, at);
  if ((t.kind === 'DNAT' || t.kind === 'SNAT') && t.port !== undefined && !protoTcpUdp) return errAt('INVALID_RULE', 'Need TCP, UDP, SCTP or DCCP with port specification', at);
  if (t.kind === 'MASQUERADE' && t.toPorts && !protoTcpUdp) return errAt('INVALID_RULE', 'Need TCP, UDP, SCTP or DCCP with port specification', at);
  if (t.kind === 'MARK' && t.value < 0) return errAt('MISSING_ARGUMENT', 'MARK target: one of --set-xmark/--set-mark/--and-mark/--or-mark/--xor-mark is required', at);
  return undefined;
}
