import { Prng } from '../../src/core/prng.ts';
import { parseCidr, parseIpv4 } from '../../src/kernel/net/ipv4.ts';
import type { Packet } from '../../src/kernel/net/packet.ts';
import type { HostConfig } from '../../src/kernel/net/routing.ts';
import { parseIptables } from '../../src/kernel/netfilter/restore.ts';
import { NetfilterHost } from '../../src/kernel/netfilter/trace.ts';

export const ip = (s: string) => parseIpv4(s)!;

export function host(): HostConfig {
  return {
    addresses: [{ dev: 'eth0', ip: ip('10.0.0.11') }, { dev: 'cni0', ip: ip('10.244.1.1') }],
    routes: [{ dst: parseCidr('10.244.1.0/24')!, dev: 'cni0' }, { dst: parseCidr('10.244.0.0/16')!, dev: 'eth0' }, { dst: parseCidr('0.0.0.0/0')!, dev: 'eth0' }],
    ipForward: true,
    listeners: [],
  };
}

export function pkt(src: string, dst: string, extra: Partial<Packet> = {}): Packet {
  const [s, sp] = src.split(':');
  const [d, dp] = dst.split(':');
  return { proto: 'tcp', src: ip(s!), sport: Number(sp ?? 40000), dst: ip(d!), dport: Number(dp ?? 80), inIface: 'eth0', mark: 0, ...extra };
}

export function nfFor(rules: string, seed = 1): NetfilterHost {
  const r = parseIptables(rules);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return new NetfilterHost(r.value, host(), new Prng(seed));
}
