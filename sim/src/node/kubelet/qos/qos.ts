/**
 * A pod's QoS class. Follows kubernetes/kubernetes
 * pkg/apis/core/v1/helper/qos/qos.go (v1.34; unit table qos_test.go
 * TestComputePodQOS), with the PodLevelResources feature gate on (beta and
 * enabled by default since v1.34):
 *
 *  - GetPodQOS returns status.qosClass when it is set (the kubelet and the
 *    apiserver persist the class once computed), else ComputePodQOS.
 *  - Only cpu and memory count (supportedQoSComputeResources); hugepages,
 *    ephemeral-storage and extended resources are ignored, and so are zero
 *    quantities (`quantity.Cmp(zero) == 1`).
 *  - If `spec.resources` (pod-level) is set, only it is read; otherwise
 *    requests and limits are summed over spec.containers AND
 *    spec.initContainers (ephemeral containers never count).
 *  - BestEffort: no positive cpu/memory request or limit anywhere.
 *    Guaranteed: every container (or the pod level) has positive cpu AND
 *    memory limits, and the summed requests equal the summed limits.
 *    Burstable: everything else.
 *
 * This function does NOT default requests from limits: that happens earlier,
 * in the apiserver (SetDefaults_Pod, see defaults.ts). A container with only
 * `limits: {cpu: 1, memory: 1Gi}` is Burstable here but Guaranteed once
 * created, because the apiserver copies the limits into the requests first.
 * Backs Layer 1 "OOM killer and QoS classes".
 */
import type { Container, Pod, ResourceList } from '../../../api/objects.ts';
import { add, cmp, toRational, ZERO, type Rational } from './quantity-math.ts';

export type PodQOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** supportedQoSComputeResources in qos.go. */
export const QOS_COMPUTE_RESOURCES = ['cpu', 'memory'] as const;

function isSupported(name: string): boolean {
  return name === 'cpu' || name === 'memory';
}

/** Adds every positive cpu/memory quantity of `list` into `into`; returns the names found. */
function accumulate(into: Map<string, Rational>, list: ResourceList | undefined): Set<string> {
  const found = new Set<string>();
  for (const [name, q] of Object.entries(list ?? {})) {
    if (!isSupported(name)) continue;
    const v = toRational(q);
    if (cmp(v, ZERO) !== 1) continue;
    found.add(name);
    into.set(name, add(into.get(name) ?? ZERO, v));
  }
  return found;
}

/** ComputePodQOS: evaluates the pod's resources, ignoring status.qosClass. Throws QuantityError on a malformed quantity. */
export function computePodQOS(pod: Pod): PodQOSClass {
  const requests = new Map<string, Rational>();
  const limits = new Map<string, Rational>();
  let isGuaranteed = true;
  const spec = pod.spec ?? {};
  if (spec.resources) {
    // collectPodLevelResources
    accumulate(requests, spec.resources.requests);
    if (spec.resources.limits && Object.keys(spec.resources.limits).length > 0) {
      const found = accumulate(limits, spec.resources.limits);
      if (!(found.has('cpu') && found.has('memory'))) isGuaranteed = false;
    }
  } else {
    // collectContainerLevelResources: containers then init containers.
    const all: Container[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
    for (const c of all) {
      accumulate(requests, c.resources?.requests);
      const found = accumulate(limits, c.resources?.limits);
      if (!(found.has('cpu') && found.has('memory'))) isGuaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (isGuaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || cmp(lim, req) !== 0) {
        isGuaranteed = false;
        break;
      }
    }
  }
  if (isGuaranteed && requests.size === limits.size) return 'Guaranteed';
  return 'Burstable';
}

/**
 * GetPodQOS: `status.qosClass` if present, else computePodQOS(pod).
 * `pod` is a Pod as parsed from YAML; quantities are strings or numbers.
 */
export function getPodQOS(pod: Pod): PodQOSClass {
  const persisted = pod.status?.qosClass;
  if (persisted === 'Guaranteed' || persisted === 'Burstable' || persisted === 'BestEffort') return persisted;
  return computePodQOS(pod);
}
