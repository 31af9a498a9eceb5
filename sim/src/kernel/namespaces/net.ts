/**
 * Network devices inside network namespaces: loopback, veth pairs, bridges,
 * addresses, and which namespace a device lives in. Follows Linux v6.12
 * drivers/net/veth.c, net/bridge/, net/core/dev.c (dev_change_net_namespace:
 * a moved device keeps its ifindex if free in the target, loses its
 * addresses and goes down) and iproute2's `ip link` / `ip addr` output shape.
 *
 * Invariants: a veth's `peer` points back at it; a device's `master` is a
 * bridge in the same namespace; ifindex is unique within a namespace.
 * Backs Layer 1 "Namespaces" (net) and "veth + bridge".
 */
import type { NetNamespace } from './types.ts';

export type DeviceType = 'loopback' | 'ethernet' | 'veth' | 'bridge';

export interface NetDevice {
  ifindex: number;
  name: string;
  type: DeviceType;
  up: boolean;
  mac: string;
  /** "10.244.1.5/24" */
  addresses: string[];
  peer: NetDevice | null;
  /** Name of the bridge this device is a port of (same namespace). */
  master: string | null;
  /** The namespace the device is in now. */
  netnsInum: number;
}

export function findDevice(ns: NetNamespace, name: string): NetDevice | undefined {
  return ns.devices.find((d) => d.name === name);
}

export function allocIfindex(ns: NetNamespace, wanted?: number): number {
  if (wanted !== undefined && !ns.devices.some((d) => d.ifindex === wanted)) return wanted;
  while (ns.devices.some((d) => d.ifindex === ns.nextIfindex)) ns.nextIfindex++;
  return ns.nextIfindex++;
}

/** Parses "a.b.c.d/len" → [address as uint32, prefix length] or null. */
export function parseCidr(text: string): [number, number] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return null;
  const len = m[5] === undefined ? 32 : Number(m[5]);
  if (len > 32) return null;
  return [((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0, len];
}

export function sameSubnet(a: number, b: number, len: number): boolean {
  if (len === 0) return true;
  const mask = len === 32 ? 0xffffffff : (~((1 << (32 - len)) - 1)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function flags(d: NetDevice, ns: NetNamespace): string {
  const f: string[] = [];
  if (d.type === 'loopback') f.push('LOOPBACK');
  else f.push('BROADCAST', 'MULTICAST');
  if (d.up) f.push('UP');
  // A veth has carrier when its peer is up; a bridge when one of its ports does.
  const lower = d.up && (d.type === 'veth' ? (d.peer?.up ?? false) : d.type === 'bridge' ? ns.devices.some((p) => p.master === d.name && p.up && (p.type !== 'veth' || (p.peer?.up ?? false))) : true);
  if (lower) f.push('LOWER_UP');
  else if (d.up) f.unshift('NO-CARRIER');
  return f.join(',');
}

/** Lines like `ip addr` prints for one namespace. */
export function formatIpAddr(ns: NetNamespace): string[] {
  const out: string[] = [];
  for (const d of [...ns.devices].sort((a, b) => a.ifindex - b.ifindex)) {
    let name = d.name;
    if (d.type === 'veth' && d.peer) name += d.peer.netnsInum === d.netnsInum ? `@${d.peer.name}` : `@if${d.peer.ifindex}`;
    const state = d.type === 'loopback' ? (d.up ? 'UNKNOWN' : 'DOWN') : d.up ? (flags(d, ns).includes('LOWER_UP') ? 'UP' : 'LOWERLAYERDOWN') : 'DOWN';
    out.push(`${d.ifindex}: ${name}: <${flags(d, ns)}> mtu ${d.type === 'loopback' ? 65536 : 1500}${d.master ? ` master ${d.master}` : ''} state ${state}`);
    out.push(`    link/${d.type === 'loopback' ? 'loopback' : 'ether'} ${d.mac}`);
    for (const a of d.addresses) out.push(`    inet ${a} scope ${d.type === 'loopback' ? 'host' : 'global'} ${d.name}`);
  }
  return out;
}
