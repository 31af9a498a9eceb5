/**
 * IPVS mode for comparison: one virtual server per ClusterIP:port (and per
 * node IP:nodePort), one real server per endpoint, masquerading forward.
 * Upstream kube-proxy: pkg/proxy/ipvs/proxier.go (v1.34; default scheduler
 * "rr"; ClientIP affinity = persistent virtual server with the timeout).
 * Schedulers as the Linux kernel implements them (net/netfilter/ipvs):
 * rr (ip_vs_rr.c: next server after the last one used), lc (ip_vs_lc.c: least
 * overhead = activeconns·256 + inactconns, first in list on ties), sh
 * (ip_vs_sh.c: 256-bucket table filled round-robin with the servers,
 * bucket = hash_32(source address, 8) with the golden-ratio multiplier).
 */
import type { ServicePortInfo } from './model.ts';
import { parseIpv4 } from '../../kernel/net/ipv4.ts';

export type IpvsScheduler = 'rr' | 'lc' | 'sh';

export interface RealServer {
  address: string;
  activeConns: number;
  inactConns: number;
}

export interface VirtualServer {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  address: string;
  scheduler: IpvsScheduler;
  persistentSeconds?: number;
  realServers: RealServer[];
  /** Index of the last server rr handed out. */
  rrLast: number;
  /** ip_vs_sh bucket table (indices into realServers). */
  shTable: number[];
}

const IP_VS_SH_TAB_BITS = 8;
const GOLDEN_RATIO_32 = 0x61c88647;

/** Linux hash_32(val, bits). */
export function hash32(val: number, bits: number): number {
  return (Math.imul(val >>> 0, GOLDEN_RATIO_32) >>> 0) >>> (32 - bits);
}

export function buildVirtualServers(servicePorts: readonly ServicePortInfo[], scheduler: IpvsScheduler, nodeIPs: readonly string[]): VirtualServer[] {
  const out: VirtualServer[] = [];
  for (const sp of servicePorts) {
    const addrs = [`${sp.clusterIP}:${sp.port}`, ...(sp.nodePort ? nodeIPs.map((ip) => `${ip}:${sp.nodePort}`) : [])];
    for (const address of addrs) {
      const realServers = sp.endpoints.map((e) => ({ address: e.endpoint, activeConns: 0, inactConns: 0 }));
      const n = realServers.length;
      out.push({
        protocol: sp.protocol.toUpperCase() as VirtualServer['protocol'], address, scheduler, realServers, rrLast: -1,
        shTable: n ? Array.from({ length: 1 << IP_VS_SH_TAB_BITS }, (_, i) => i % n) : [],
        ...(sp.sessionAffinity === 'ClientIP' ? { persistentSeconds: sp.stickyMaxAgeSeconds } : {}),
      });
    }
  }
  return out;
}

/** Picks a real server for a new connection from `srcIP`, as the kernel scheduler would. */
export function ipvsSchedule(vs: VirtualServer, srcIP: string): number {
  const n = vs.realServers.length;
  if (!n) return -1;
  if (vs.scheduler === 'rr') {
    vs.rrLast = (vs.rrLast + 1) % n;
    return vs.rrLast;
  }
  if (vs.scheduler === 'lc') {
    let best = 0;
    let bestOverhead = Infinity;
    vs.realServers.forEach((rs, i) => {
      const overhead = rs.activeConns * 256 + rs.inactConns;
      if (overhead < bestOverhead) {
        best = i;
        bestOverhead = overhead;
      }
    });
    return best;
  }
  return vs.shTable[hash32(parseIpv4(srcIP) ?? 0, IP_VS_SH_TAB_BITS)]!;
}

/** `ipvsadm -Ln` listing. */
export function renderIpvsadm(servers: readonly VirtualServer[]): string {
  const lines = ['IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn'];
  for (const vs of servers) {
    lines.push(`${vs.protocol.padEnd(4)} ${vs.address} ${vs.scheduler}${vs.persistentSeconds ? ` persistent ${vs.persistentSeconds}` : ''}`);
    for (const rs of vs.realServers) {
      lines.push(`  -> ${rs.address.padEnd(28)} Masq    1      ${String(rs.activeConns).padEnd(10)} ${rs.inactConns}`);
    }
  }
  return lines.join('\n') + '\n';
}
