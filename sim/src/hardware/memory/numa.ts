/**
 * NUMA placement (Layer 0 "Memory": NUMA). Each socket has its own memory
 * controller; a thread on node 0 reading memory attached to node 1 crosses
 * the socket interconnect (UPI / Infinity Fabric) and pays more. Linux's
 * memory policies (set_mempolicy(2), `numactl --membind/--interleave`)
 * decide where pages land; the kubelet's Topology Manager (policy
 * `single-numa-node`) exists to keep a Guaranteed pod's CPUs and memory on
 * one node.
 */
import { DRAM_LOCAL_NS, DRAM_REMOTE_NS } from './hierarchy.ts';

export type MemoryPlacement = 'local' | 'remote' | 'interleave';

/** NUMA node holding `page` for a thread on `cpuNode` (two nodes; interleave alternates per page). */
export function memoryNodeOf(page: number, cpuNode: 0 | 1, placement: MemoryPlacement): 0 | 1 {
  if (placement === 'local') return cpuNode;
  if (placement === 'remote') return cpuNode === 0 ? 1 : 0;
  return (page % 2) as 0 | 1;
}

export function dramLatencyNs(cpuNode: number, memNode: number): number {
  return cpuNode === memNode ? DRAM_LOCAL_NS : DRAM_REMOTE_NS;
}
