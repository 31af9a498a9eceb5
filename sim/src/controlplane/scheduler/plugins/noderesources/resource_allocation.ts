/**
 * Building the (requested, allocatable) vectors a resource scorer sees, after
 * pkg/scheduler/framework/plugins/noderesources/resource_allocation.go
 * (Kubernetes v1.34).
 *
 * NodeResourcesFit scoring uses the *non-zero* requests for cpu and memory
 * (a container without a request counts 100m / 200Mi) so that request-less
 * pods still spread; BalancedAllocation (useRequested) uses the real
 * requests. An extended resource the pod does not request, or that the node
 * does not have, is left out (both entries 0).
 */
import type { NodeInfo, PodInfo } from '../../framework/types.ts';

/** A resource and its weight in the scoring strategy (upstream config.ResourceSpec). */
export interface ResourceSpec {
  name: string;
  weight: number;
}

export const defaultResources: readonly ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** The pod's request of one resource, as the scorer counts it. */
export function podRequestFor(pod: PodInfo, resource: string, useRequested: boolean): number {
  switch (resource) {
    case 'cpu': return useRequested ? pod.requests.milliCPU : pod.nonZeroMilliCPU;
    case 'memory': return useRequested ? pod.requests.memory : pod.nonZeroMemory;
    case 'ephemeral-storage': return pod.requests.ephemeralStorage;
    default: return pod.requests.scalar?.get(resource) ?? 0;
  }
}

/**
 * Fills out[0][i] (requested incl. the pod) and out[1][i] (allocatable) for
 * each resource. `podReqs[i]` is podRequestFor(pod, resources[i].name).
 */
export function fillVectors(
  node: NodeInfo,
  resources: readonly ResourceSpec[],
  podReqs: readonly number[],
  useRequested: boolean,
  requested: number[],
  allocatable: number[],
): void {
  for (let i = 0; i < resources.length; i++) {
    const name = resources[i]!.name;
    const podReq = podReqs[i]!;
    let alloc = 0;
    let req = 0;
    switch (name) {
      case 'cpu':
        alloc = node.allocatable.milliCPU;
        req = (useRequested ? node.requested.milliCPU : node.nonZeroMilliCPU) + podReq;
        break;
      case 'memory':
        alloc = node.allocatable.memory;
        req = (useRequested ? node.requested.memory : node.nonZeroMemory) + podReq;
        break;
      case 'ephemeral-storage':
        alloc = node.allocatable.ephemeralStorage;
        req = node.requested.ephemeralStorage + podReq;
        break;
      default: {
        // An extended resource the pod doesn't request is bypassed.
        const a = podReq === 0 ? undefined : node.allocatable.scalar?.get(name);
        if (a !== undefined) {
          alloc = a;
          req = (node.requested.scalar?.get(name) ?? 0) + podReq;
        }
      }
    }
    if (alloc === 0) {
      requested[i] = 0;
      allocatable[i] = 0;
    } else {
      requested[i] = req;
      allocatable[i] = alloc;
    }
  }
}
