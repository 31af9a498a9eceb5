/**
 * What the kubelet writes into a container's memory cgroup besides
 * memory.max (= limits.memory, or "max" without a limit), after
 * kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go
 * (generateLinuxContainerResources, MemoryQoS) and KEP-2570:
 *
 *  - memory.high, only with a memoryThrottlingFactor set, only when the
 *    container's request differs from its limit (or both are 0):
 *      floor((request + factor × (limit or node allocatable − request)) / page) × page
 *    and only if that is above the request.
 *  - memory.min / memory.low with memoryReservationPolicy TieredReservation:
 *    Guaranteed pods get memory.min = request (hard), Burstable pods
 *    memory.low = request (soft), BestEffort nothing.
 *
 * History (stated in the chapter): the MemoryQoS gate was alpha from v1.22;
 * v1.27 changed the memory.high formula to the one above (factor default
 * 0.9); v1.36 split reservation out into memoryReservationPolicy (default
 * None); v1.37 made the gate beta and on by default, but memoryThrottlingFactor
 * now defaults to null, so nothing is written until a factor is configured.
 * Backs Layer 1 "cgroup v2 memory" (Kubernetes mapping).
 */
import type { PodQOSClass } from '../qos/qos.ts';

export const CGROUP_PAGE_SIZE = 4096;

export interface MemoryQoSConfig {
  /** memoryThrottlingFactor in (0, 1]; null = unset (the v1.37 default): no memory.high. */
  throttlingFactor: number | null;
  reservationPolicy: 'None' | 'TieredReservation';
}

export interface MemoryQoSFiles {
  /** memory.max in bytes; null = "max". */
  maxBytes: number | null;
  highBytes: number | null;
  minBytes: number | null;
  lowBytes: number | null;
}

/**
 * The memory files for one container: `requestBytes`/`limitBytes` from its
 * resources (limit null = none), `allocatableBytes` the node's allocatable
 * memory, `qos` the pod's class.
 */
export function containerMemoryFiles(qos: PodQOSClass, requestBytes: number, limitBytes: number | null, allocatableBytes: number, config: MemoryQoSConfig): MemoryQoSFiles {
  let highBytes: number | null = null;
  const limit = limitBytes ?? 0;
  if (config.throttlingFactor !== null && (requestBytes !== limit || (requestBytes === 0 && limit === 0))) {
    const base = limit !== 0 ? limit : allocatableBytes;
    const high = Math.floor((requestBytes + (base - requestBytes) * config.throttlingFactor) / CGROUP_PAGE_SIZE) * CGROUP_PAGE_SIZE;
    if (high !== 0 && high > requestBytes) highBytes = high;
  }
  const tiered = config.reservationPolicy === 'TieredReservation' && requestBytes > 0;
  return {
    maxBytes: limitBytes,
    highBytes,
    minBytes: tiered && qos === 'Guaranteed' ? requestBytes : null,
    lowBytes: tiered && qos === 'Burstable' ? requestBytes : null,
  };
}
