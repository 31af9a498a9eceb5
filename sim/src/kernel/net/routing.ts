/**
 * The host a packet passes through: its addresses, its routing table
 * (longest-prefix match, like `ip route get`) and `net.ipv4.ip_forward`.
 * Upstream: Linux `net/ipv4/route.c` (`ip_route_input_slow`: a destination
 * that is one of our addresses becomes RTN_LOCAL and goes to ip_local_deliver,
 * anything else is forwarded if ip_forward=1) and `net/ipv4/fib_trie.c`.
 */
import { cidrContains, type Cidr, type Ipv4 } from './ipv4.ts';

export interface InterfaceAddress {
  dev: string;
  ip: Ipv4;
}

export interface Route {
  dst: Cidr;
  dev: string;
  via?: Ipv4;
}

export interface Listener {
  proto: 'tcp' | 'udp';
  port: number;
}

export interface HostConfig {
  addresses: InterfaceAddress[];
  routes: Route[];
  /** `net.ipv4.ip_forward`; Kubernetes nodes run with 1. */
  ipForward: boolean;
  /** Sockets in LISTEN (tcp) or bound (udp). Empty means "accept every port". */
  listeners: Listener[];
}

export type RouteDecision =
  | { kind: 'local'; dev: string }
  | { kind: 'forward'; route: Route }
  | { kind: 'unreachable' };

export function isLocalAddress(host: HostConfig, ip: Ipv4): boolean {
  return host.addresses.some((a) => a.ip === ip) || ip >>> 24 === 127;
}

/** Longest-prefix match over `host.routes`; ties go to the first route listed. */
export function lookupRoute(host: HostConfig, dst: Ipv4): Route | undefined {
  let best: Route | undefined;
  for (const r of host.routes) {
    if (cidrContains(r.dst, dst) && (!best || r.dst.prefixLen > best.dst.prefixLen)) best = r;
  }
  return best;
}

/** The routing decision for a received packet (ip_route_input). */
export function routeInput(host: HostConfig, dst: Ipv4): RouteDecision {
  const local = host.addresses.find((a) => a.ip === dst);
  if (local || dst >>> 24 === 127) return { kind: 'local', dev: local?.dev ?? 'lo' };
  const route = lookupRoute(host, dst);
  return route ? { kind: 'forward', route } : { kind: 'unreachable' };
}

/** The source address MASQUERADE picks: the first address on the out device. */
export function primaryAddress(host: HostConfig, dev: string): Ipv4 | undefined {
  return host.addresses.find((a) => a.dev === dev)?.ip;
}
