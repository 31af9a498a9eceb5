/**
 * A pod's effective resource requests, after
 * staging/src/k8s.io/component-helpers/resource/helpers.go `PodRequests`
 * (Kubernetes v1.34) and the non-zero defaults of
 * pkg/scheduler/util/pod_resources.go (DefaultMilliCPURequest = 100,
 * DefaultMemoryRequest = 200 MiB) that scoring uses for containers which
 * request nothing.
 *
 * Rules, as upstream: regular containers add up; init containers run one at a
 * time so the pod needs the max of (each init container + the restartable
 * "sidecar" init containers started before it); sidecars also add to the
 * running sum; pod-level `spec.resources.requests` (cpu, memory) override the
 * container sum; `spec.overhead` is added last. Like the apiserver's
 * defaulting, a container with a limit but no request requests its limit.
 * Quantities are parsed once here (cpu → millicores, others → base units,
 * both rounded up like Quantity.MilliValue/Value).
 */
import type { Container, Pod, Quantity, ResourceList } from '../../../api/objects.ts';
import { cpuToMilli, quantityToBytes } from '../../../api/quantity.ts';

/** upstream pkg/scheduler/util: the CPU a container without a cpu request is assumed to use for scoring. */
export const DefaultMilliCPURequest = 100;
/** upstream pkg/scheduler/util: 200 MiB, the memory assumed for a container without a memory request. */
export const DefaultMemoryRequest = 200 * 1024 * 1024;

/** A resource vector (upstream framework.Resource). Scalar resources are extended resources like `nvidia.com/gpu`. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  scalar: Map<string, number> | null;
}

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: null };
}

export function quantityValue(name: string, q: Quantity): number {
  const text = typeof q === 'number' ? String(q) : q;
  return name === 'cpu' ? cpuToMilli(text) : quantityToBytes(text);
}

/** A ResourceList (`{cpu: "500m", memory: "1Gi"}`) as numbers; `pods` fills allowedPodNumber. */
export function resourceFromList(list: ResourceList | undefined): Resource {
  const r = emptyResource();
  if (!list) return r;
  for (const [name, q] of Object.entries(list)) addQuantity(r, name, quantityValue(name, q));
  return r;
}

function addQuantity(r: Resource, name: string, v: number): void {
  switch (name) {
    case 'cpu': r.milliCPU += v; break;
    case 'memory': r.memory += v; break;
    case 'ephemeral-storage': r.ephemeralStorage += v; break;
    case 'pods': r.allowedPodNumber += v; break;
    default:
      if (!r.scalar) r.scalar = new Map();
      r.scalar.set(name, (r.scalar.get(name) ?? 0) + v);
  }
}

function addResource(into: Resource, r: Resource): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  if (r.scalar) for (const [k, v] of r.scalar) addQuantity(into, k, v);
}

function maxResource(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  if (r.scalar) {
    if (!into.scalar) into.scalar = new Map();
    for (const [k, v] of r.scalar) into.scalar.set(k, Math.max(into.scalar.get(k) ?? 0, v));
  }
}

function cloneResource(r: Resource): Resource {
  return { ...r, scalar: r.scalar ? new Map(r.scalar) : null };
}

/** One container's requests, with requests defaulted from limits and (optionally) the non-zero defaults for missing cpu/memory. */
function containerRequests(c: Container, nonZero: boolean): Resource {
  const list: ResourceList = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
  const r = resourceFromList(list);
  if (nonZero) {
    if (!('cpu' in list)) r.milliCPU = DefaultMilliCPURequest;
    if (!('memory' in list)) r.memory = DefaultMemoryRequest;
  }
  return r;
}

/**
 * The pod's requests (upstream resourcehelper.PodRequests). With `nonZero`,
 * containers that omit cpu or memory count DefaultMilliCPURequest /
 * DefaultMemoryRequest (upstream's NonMissingContainerRequests), which is what
 * LeastAllocated/MostAllocated scoring and NodeInfo.NonZeroRequested use.
 * Throws QuantityError on a malformed quantity (callers validate user input first).
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const spec = pod.spec ?? {};
  const reqs = emptyResource();
  for (const c of spec.containers ?? []) addResource(reqs, containerRequests(c, nonZero));
  const restartable = emptyResource();
  const initMax = emptyResource();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addResource(reqs, r);
      addResource(restartable, r);
      maxResource(initMax, restartable);
    } else {
      const tmp = cloneResource(r);
      addResource(tmp, restartable);
      maxResource(initMax, tmp);
    }
  }
  maxResource(reqs, initMax);
  const podLevel = spec.resources?.requests;
  if (podLevel) {
    if (podLevel.cpu !== undefined) reqs.milliCPU = quantityValue('cpu', podLevel.cpu);
    if (podLevel.memory !== undefined) reqs.memory = quantityValue('memory', podLevel.memory);
  }
  if (spec.overhead) addResource(reqs, resourceFromList(spec.overhead));
  return reqs;
}
