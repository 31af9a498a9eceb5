/**
 * oom_score_adj for a container's processes. Follows kubernetes/kubernetes
 * pkg/kubelet/qos/policy.go and helpers.go (v1.34+; unit table policy_test.go
 * TestGetContainerOOMScoreAdjust), feature gates at their defaults:
 * PodLevelResources on; DRANodeAllocatableResources and
 * KubeletOOMScoreAdjTieBreak (alpha, off) not modelled.
 *
 *  node-critical pod (system-node-critical and critical)  → -997
 *  Guaranteed                                            → -997
 *  BestEffort                                            → 1000
 *  Burstable  1000 − (1000 × memoryRequest) / memoryCapacity (integer division),
 *             request += the pod-level request left over per container,
 *             a sidecar is capped at the score of the smallest regular container,
 *             then clamped to [1000 + (−997), 999] = [3, 999].
 *
 * The seed document's −998 and lower bound 2 are from older releases:
 * guaranteedOOMScoreAdj changed from −998 to −997 (with PodInfraOOMAdj
 * removed, dockershim gone), so Burstable's floor is now 3. The kubelet and
 * kube-proxy run at −999; -1000 (OOM_SCORE_ADJ_MIN) would make a process
 * unkillable and is never used for pods.
 * Backs Layer 1 "OOM killer and QoS classes".
 */
import type { Container, Pod } from '../../../api/objects.ts';
import { getPodQOS } from './qos.ts';
import { isNodeCriticalPod, isPodLevelRequestsSet, isSidecarContainer, minRegularContainerMemory, remainingPodMemReqPerContainer } from './helpers.ts';
import { memoryValue } from './quantity-math.ts';

/** KubeletOOMScoreAdj. */
export const KUBELET_OOM_SCORE_ADJ = -999;
/** KubeProxyOOMScoreAdj. */
export const KUBE_PROXY_OOM_SCORE_ADJ = -999;
/** guaranteedOOMScoreAdj (was −998 before the dockershim-era PodInfraOOMAdj was dropped). */
export const GUARANTEED_OOM_SCORE_ADJ = -997;
/** besteffortOOMScoreAdj. */
export const BESTEFFORT_OOM_SCORE_ADJ = 1000;
/** The lowest a Burstable container can get: 1000 + guaranteedOOMScoreAdj. */
export const BURSTABLE_OOM_SCORE_ADJ_MIN = 1000 + GUARANTEED_OOM_SCORE_ADJ;
/** The highest a Burstable container can get: besteffortOOMScoreAdj − 1. */
export const BURSTABLE_OOM_SCORE_ADJ_MAX = BESTEFFORT_OOM_SCORE_ADJ - 1;

/**
 * GetContainerOOMScoreAdjust(pod, container, memoryCapacity). `container` is
 * one of the pod's containers or init containers; `memoryCapacityBytes` is the
 * node's memory capacity (> 0). Throws QuantityError on malformed quantities.
 */
export function getContainerOOMScoreAdjust(pod: Pod, container: Container, memoryCapacityBytes: number | bigint): number {
  if (isNodeCriticalPod(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = getPodQOS(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;

  const capacity = BigInt(memoryCapacityBytes);
  if (capacity <= 0n) throw new RangeError(`memoryCapacityBytes must be positive, got ${memoryCapacityBytes}`);
  const containerMemReq = memoryValue(container.resources?.requests);
  const podLevel = isPodLevelRequestsSet(pod);
  const remainingReqPerContainer = podLevel ? remainingPodMemReqPerContainer(pod) : 0n;
  let oomScoreAdjust = 1000n - (1000n * (containerMemReq + remainingReqPerContainer)) / capacity;

  if (isSidecarContainer(pod, container)) {
    let minMemoryRequest = minRegularContainerMemory(pod);
    if (podLevel) minMemoryRequest += remainingReqPerContainer;
    const minMemoryOomScoreAdjust = 1000n - (1000n * minMemoryRequest) / capacity;
    if (oomScoreAdjust > minMemoryOomScoreAdjust) oomScoreAdjust = minMemoryOomScoreAdjust;
  }

  const adj = Number(oomScoreAdjust);
  if (adj < BURSTABLE_OOM_SCORE_ADJ_MIN) return BURSTABLE_OOM_SCORE_ADJ_MIN;
  if (adj === BESTEFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}
