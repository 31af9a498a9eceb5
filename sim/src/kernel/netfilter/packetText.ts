/**
 * The packet tracer's second input: the host (addresses, routes, listening
 * sockets, ip_forward) and the packets to send, one per line:
 *
 *   address eth0 10.0.0.11            # like `ip addr add 10.0.0.11 dev eth0`
 *   route 10.244.1.0/24 cni0          # `ip route add 10.244.1.0/24 dev cni0`
 *   route default eth0 via 10.0.0.1
 *   listen tcp 8080                   # a socket in LISTEN (none listed = any port)
 *   ip_forward 1                      # net.ipv4.ip_forward (default 1)
 *   packet tcp 192.168.1.50:51234 -> 10.96.0.10:80 in eth0 [mark 0x1]
 *   packet udp 10.0.0.11:40000 -> 10.96.0.10:53          # no `in`: sent by a local process
 *   reply [in IFACE]                  # the answer to the previous packet
 *
 * Packets are traced in order on one host, so conntrack links them.
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { parseCidr, parseIpv4 } from '../net/ipv4.ts';
import type { Packet, Proto } from '../net/packet.ts';
import type { HostConfig } from '../net/routing.ts';
import { errAt, parseUint } from './cursor.ts';
import { tokenize, type Token } from './tokenize.ts';

export const PACKET_LINES_MAX = 50;

export type PacketSpec = { line: number; kind: 'packet'; packet: Packet } | { line: number; kind: 'reply'; inIface?: string };

export interface PacketScript {
  host: HostConfig;
  packets: PacketSpec[];
}

function endpointOf(tok: Token, proto: Proto): Result<{ ip: number; port: number }> {
  const [ipText, portText, ...rest] = tok.text.split(':');
  const ip = parseIpv4(ipText ?? '');
  if (ip === undefined || rest.length) return fail(errAt('BAD_ADDRESS', `bad address "${tok.text}" (expected a.b.c.d${proto === 'icmp' ? '' : ':port'})`, tok));
  if (proto === 'icmp') {
    if (portText !== undefined) return fail(errAt('BAD_ADDRESS', 'icmp has no ports', tok));
    return ok({ ip, port: 0 });
  }
  const port = portText === undefined ? undefined : parseUint(portText, 65535);
  if (port === undefined || port === 0) return fail(errAt('BAD_PORT', `"${tok.text}" needs a port 1–65535 (${proto} packets have ports)`, tok));
  return ok({ ip, port });
}

export function parsePacketScript(text: string): Result<PacketScript> {
  const lines = tokenize(text);
  if (!lines.ok) return lines;
  const host: HostConfig = { addresses: [], routes: [], ipForward: true, listeners: [] };
  const packets: PacketSpec[] = [];
  for (const { tokens, line } of lines.value) {
    const [kw, ...args] = tokens;
    const need = (n: number, usage: string) => (args.length < n ? errAt('MISSING_ARGUMENT', `usage: ${usage}`, { line: kw!.endLine, column: kw!.endColumn }) : undefined);
    switch (kw!.text) {
      case 'address': {
        const e = need(2, 'address DEV A.B.C.D');
        if (e) return fail(e);
        const ip = parseIpv4(args[1]!.text.replace(/\/\d+$/, ''));
        if (ip === undefined) return fail(errAt('BAD_ADDRESS', `bad address "${args[1]!.text}"`, args[1]!));
        host.addresses.push({ dev: args[0]!.text, ip });
        break;
      }
      case 'route': {
        const e = need(2, 'route CIDR|default DEV [via A.B.C.D]');
        if (e) return fail(e);
        const dst = args[0]!.text === 'default' ? parseCidr('0.0.0.0/0') : parseCidr(args[0]!.text);
        if (!dst) return fail(errAt('BAD_ADDRESS', `bad destination "${args[0]!.text}"`, args[0]!));
        const r: HostConfig['routes'][number] = { dst, dev: args[1]!.text };
        if (args[2]) {
          const via = args[2].text === 'via' && args[3] ? parseIpv4(args[3].text) : undefined;
          if (via === undefined) return fail(errAt('SYNTAX', 'expected "via A.B.C.D"', args[2]));
          r.via = via;
        }
        host.routes.push(r);
        break;
      }
      case 'listen': {
        const e = need(2, 'listen tcp|udp PORT');
        if (e) return fail(e);
        const proto = args[0]!.text;
        if (proto !== 'tcp' && proto !== 'udp') return fail(errAt('BAD_VALUE', 'listen needs tcp or udp', args[0]!));
        const port = parseUint(args[1]!.text, 65535);
        if (!port) return fail(errAt('BAD_PORT', `bad port "${args[1]!.text}"`, args[1]!));
        host.listeners.push({ proto, port });
        break;
      }
      case 'ip_forward': {
        const e = need(1, 'ip_forward 0|1');
        if (e) return fail(e);
        if (args[0]!.text !== '0' && args[0]!.text !== '1') return fail(errAt('BAD_VALUE', 'ip_forward is 0 or 1', args[0]!));
        host.ipForward = args[0]!.text === '1';
        break;
      }
      case 'packet': {
        const e = need(4, 'packet tcp|udp|icmp SRC[:PORT] -> DST[:PORT] [in DEV] [mark N]');
        if (e) return fail(e);
        const proto = args[0]!.text;
        if (proto !== 'tcp' && proto !== 'udp' && proto !== 'icmp') return fail(errAt('BAD_VALUE', `protocol "${proto}" is not tcp, udp or icmp`, args[0]!));
        const src = endpointOf(args[1]!, proto);
        if (!src.ok) return src;
        if (args[2]!.text !== '->') return fail(errAt('SYNTAX', 'expected "->" between source and destination', args[2]!));
        const dst = endpointOf(args[3]!, proto);
        if (!dst.ok) return dst;
        const packet: Packet = { proto, src: src.value.ip, sport: src.value.port, dst: dst.value.ip, dport: dst.value.port, mark: 0 };
        for (let i = 4; i < args.length; i += 2) {
          const k = args[i]!;
          const v = args[i + 1];
          if (!v) return fail(errAt('MISSING_ARGUMENT', `"${k.text}" needs a value`, { line: k.endLine, column: k.endColumn }));
          if (k.text === 'in') packet.inIface = v.text;
          else if (k.text === 'mark') {
            const m = parseUint(v.text, 0xffffffff);
            if (m === undefined) return fail(errAt('BAD_VALUE', `bad mark "${v.text}"`, v));
            packet.mark = m;
          } else return fail(errAt('SYNTAX', `unknown packet option "${k.text}" (in, mark)`, k));
        }
        packets.push({ line, kind: 'packet', packet });
        break;
      }
      case 'reply': {
        if (!packets.length) return fail(errAt('SYNTAX', '"reply" needs a packet line before it', kw!));
        if (args.length && (args[0]!.text !== 'in' || !args[1])) return fail(errAt('SYNTAX', 'usage: reply [in DEV]', args[0]!));
        packets.push(args[1] ? { line, kind: 'reply', inIface: args[1].text } : { line, kind: 'reply' });
        break;
      }
      default:
        return fail(errAt('SYNTAX', `unknown line "${kw!.text}" (address, route, listen, ip_forward, packet, reply)`, kw!));
    }
    if (packets.length > PACKET_LINES_MAX) return fail(errAt('LIMIT_EXCEEDED', `at most ${PACKET_LINES_MAX} packets per trace`, kw!));
  }
  if (!packets.length) return fail(errAt('MISSING_ARGUMENT', 'no "packet" line: nothing to trace', { line: 1, column: 1 }));
  return ok({ host, packets });
}
