/**
 * Node capacity and allocatable, as the kubelet reports them when it
 * registers (kubernetes master / v1.34):
 *   allocatable[r] = capacity[r] − kubeReserved[r] − systemReserved[r] − hardEviction[r]
 * floored at 0 (pkg/kubelet/cm/node_container_manager_linux.go
 * GetNodeAllocatableReservation + hardEvictionReservation;
 * pkg/kubelet/nodestatus/setters.go MachineInfo). The hard eviction
 * thresholds that reserve something are memory.available → memory and
 * nodefs.available → ephemeral-storage; a percentage is of capacity. CPU has
 * no eviction signal, so only the reservations come off it. `pods` is
 * maxPods (default 110) and nothing is reserved from it.
 */
import { cpuToMilli, quantityToBytes } from '../../../api/quantity.ts';
import { DEFAULT_EVICTION_HARD, DEFAULT_MAX_PODS } from '../defaults.ts';

export interface NodeResources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
}

export interface NodeResourceConfig {
  capacity: { cpu: string; memory: string; 'ephemeral-storage'?: string; pods?: number };
  kubeReserved?: Record<string, string>;
  systemReserved?: Record<string, string>;
  /** e.g. {'memory.available': '100Mi'}; absent → DefaultEvictionHard. */
  evictionHard?: Record<string, string>;
}

export interface AllocatableBreakdown {
  capacity: NodeResources;
  kubeReserved: NodeResources;
  systemReserved: NodeResources;
  evictionHard: NodeResources;
  allocatable: NodeResources;
}

const zero = (): NodeResources => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0 });

function reserved(list: Record<string, string> | undefined): NodeResources {
  const r = zero();
  if (!list) return r;
  if (list.cpu) r.milliCPU = cpuToMilli(list.cpu);
  if (list.memory) r.memory = quantityToBytes(list.memory);
  if (list['ephemeral-storage']) r.ephemeralStorage = quantityToBytes(list['ephemeral-storage']);
  return r;
}

/** A threshold value: a quantity, or a percentage of `capacity`. */
export function thresholdBytes(value: string, capacity: number): number {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  if (pct) return Math.floor((capacity * Number(pct[1])) / 100);
  return quantityToBytes(value);
}

export function computeAllocatable(cfg: NodeResourceConfig): AllocatableBreakdown {
  const capacity: NodeResources = {
    milliCPU: cpuToMilli(cfg.capacity.cpu),
    memory: quantityToBytes(cfg.capacity.memory),
    ephemeralStorage: cfg.capacity['ephemeral-storage'] ? quantityToBytes(cfg.capacity['ephemeral-storage']) : 0,
    pods: cfg.capacity.pods ?? DEFAULT_MAX_PODS,
  };
  const kube = reserved(cfg.kubeReserved);
  const sys = reserved(cfg.systemReserved);
  const ev = zero();
  const hard = cfg.evictionHard ?? DEFAULT_EVICTION_HARD;
  if (hard['memory.available']) ev.memory = thresholdBytes(hard['memory.available'], capacity.memory);
  if (hard['nodefs.available'] && capacity.ephemeralStorage) ev.ephemeralStorage = thresholdBytes(hard['nodefs.available'], capacity.ephemeralStorage);
  const sub = (k: keyof NodeResources) => Math.max(0, capacity[k] - kube[k] - sys[k] - ev[k]);
  return {
    capacity, kubeReserved: kube, systemReserved: sys, evictionHard: ev,
    allocatable: { milliCPU: sub('milliCPU'), memory: sub('memory'), ephemeralStorage: sub('ephemeralStorage'), pods: capacity.pods },
  };
}

/** As a ResourceList the Node object carries (`4`, `7934Mi`-style plain integers: bytes as "<n>", cpu as "<n>m"). */
export function toResourceList(r: NodeResources): Record<string, string> {
  const out: Record<string, string> = { cpu: r.milliCPU % 1000 === 0 ? String(r.milliCPU / 1000) : `${r.milliCPU}m`, memory: r.memory % 1024 === 0 ? `${r.memory / 1024}Ki` : String(r.memory), pods: String(r.pods) };
  if (r.ephemeralStorage) out['ephemeral-storage'] = r.ephemeralStorage % 1024 === 0 ? `${r.ephemeralStorage / 1024}Ki` : String(r.ephemeralStorage);
  return out;
}
