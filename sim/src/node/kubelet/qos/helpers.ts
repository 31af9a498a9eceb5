/**
 * Helpers the OOM-score policy needs, each after its upstream home (v1.34+):
 *  - isNodeCriticalPod, isCriticalPod: pkg/kubelet/types/pod_update.go
 *  - aggregateContainerRequests (memory only here):
 *    staging/src/k8s.io/component-helpers/resource/helpers.go
 *  - isPodLevelRequestsSet: same file
 *  - minRegularContainerMemory, remainingPodMemReqPerContainer:
 *    pkg/kubelet/qos/helpers.go
 * Byte values are BigInt so `1000 * request` never loses precision (upstream
 * uses int64).
 */
import type { Container, Pod } from '../../../api/objects.ts';
import { memoryValue } from './quantity-math.ts';

/** scheduling.SystemCriticalPriority (2 * HighestUserDefinablePriority). */
export const SYSTEM_CRITICAL_PRIORITY = 2000000000;
export const SYSTEM_NODE_CRITICAL = 'system-node-critical';
export const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';
/** kubetypes.ConfigSourceAnnotationKey / ConfigMirrorAnnotationKey / ApiserverSource. */
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
export const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
export const APISERVER_SOURCE = 'api';

export function isStaticPod(pod: Pod): boolean {
  const source = pod.metadata?.annotations?.[CONFIG_SOURCE_ANNOTATION];
  return source !== undefined && source !== APISERVER_SOURCE;
}

export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
}

/** Static, mirror, or priority ≥ SystemCriticalPriority. */
export function isCriticalPod(pod: Pod): boolean {
  if (isStaticPod(pod) || isMirrorPod(pod)) return true;
  const p = pod.spec?.priority;
  return typeof p === 'number' && p >= SYSTEM_CRITICAL_PRIORITY;
}

/** Critical AND priorityClassName system-node-critical (system-cluster-critical is not enough). */
export function isNodeCriticalPod(pod: Pod): boolean {
  return isCriticalPod(pod) && pod.spec?.priorityClassName === SYSTEM_NODE_CRITICAL;
}

/** A restartable init container (restartPolicy: Always) — a sidecar. */
export function isRestartableInitContainer(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** isSidecarContainer in policy.go: restartPolicy Always AND listed (by name) among the init containers. */
export function isSidecarContainer(pod: Pod, container: Container): boolean {
  if (container.restartPolicy !== 'Always') return false;
  return (pod.spec?.initContainers ?? []).some((ic) => ic.name === container.name);
}

/** IsPodLevelRequestsSet: spec.resources.requests has a supported (cpu/memory) entry. */
export function isPodLevelRequestsSet(pod: Pod): boolean {
  const reqs = pod.spec?.resources?.requests;
  if (!reqs) return false;
  return Object.keys(reqs).some((k) => k === 'cpu' || k === 'memory');
}

/**
 * AggregateContainerRequests for memory: the sum over regular containers and
 * sidecars, or the largest single init-container step if that is bigger
 * (each plain init container runs alongside the sidecars started before it).
 */
export function aggregateContainerMemoryRequests(pod: Pod): bigint {
  let reqs = 0n;
  for (const c of pod.spec?.containers ?? []) reqs += memoryValue(c.resources?.requests);
  let restartable = 0n;
  let initMax = 0n;
  for (const c of pod.spec?.initContainers ?? []) {
    const own = memoryValue(c.resources?.requests);
    let step: bigint;
    if (isRestartableInitContainer(c)) {
      reqs += own;
      restartable += own;
      step = restartable;
    } else {
      step = own + restartable;
    }
    if (step > initMax) initMax = step;
  }
  return reqs > initMax ? reqs : initMax;
}

/** Smallest memory request among spec.containers (not init containers). Upstream indexes [0] unguarded; 0 here for a pod without containers. */
export function minRegularContainerMemory(pod: Pod): bigint {
  const cs = pod.spec?.containers ?? [];
  if (cs.length === 0) return 0n;
  let min = memoryValue(cs[0]!.resources?.requests);
  for (const c of cs.slice(1)) {
    const v = memoryValue(c.resources?.requests);
    if (v < min) min = v;
  }
  return min;
}

/**
 * (pod-level memory request − aggregated container requests) / number of
 * containers (regular + init), truncated like Go's int64 division; 0 when the
 * pod-level memory request is zero or absent.
 */
export function remainingPodMemReqPerContainer(pod: Pod): bigint {
  const podMem = memoryValue(pod.spec?.resources?.requests);
  if (podMem === 0n) return 0n;
  const n = BigInt((pod.spec?.containers?.length ?? 0) + (pod.spec?.initContainers?.length ?? 0));
  if (n === 0n) return 0n;
  return (podMem - aggregateContainerMemoryRequests(pod)) / n;
}
