/**
 * The apiserver's resource defaulting for a Pod, which runs before anyone
 * computes a QoS class. Follows kubernetes/kubernetes
 * pkg/apis/core/v1/defaults.go (v1.34): SetDefaults_Pod copies each
 * container's (and init container's) limits into its requests for every
 * resource that has a limit but no request; defaultPodRequests does the same
 * for pod-level resources (only when pod-level limits are set): a missing
 * pod-level request becomes the containers' aggregated request if any
 * container requests that resource, else the pod-level limit.
 *
 * Returns a defaulted copy plus the list of field paths that were filled in,
 * so the widget can say "requests.memory was defaulted from limits.memory".
 */
import type { Container, Pod, ResourceList } from '../../../api/objects.ts';
import { aggregateContainerMemoryRequests } from './helpers.ts';
import { add, toRational, ZERO } from './quantity-math.ts';

export interface DefaultedPod {
  pod: Pod;
  /** Field paths that were set by defaulting, e.g. `spec.containers[0].resources.requests.memory`. */
  defaulted: string[];
}

function defaultContainer(c: Container, path: string, out: string[]): Container {
  const limits = c.resources?.limits;
  if (!limits) return c;
  const requests: ResourceList = { ...(c.resources?.requests ?? {}) };
  for (const [k, v] of Object.entries(limits)) {
    if (!(k in requests)) {
      requests[k] = v;
      out.push(`${path}.resources.requests.${k}`);
    }
  }
  return { ...c, resources: { ...c.resources, requests } };
}

/** AggregateContainerRequests for cpu, as a millicore quantity string (memory uses aggregateContainerMemoryRequests). */
function aggregateCpuMilli(pod: Pod): string | undefined {
  let total = ZERO;
  let any = false;
  const visit = (c: Container) => {
    const q = c.resources?.requests?.cpu;
    if (q === undefined) return;
    any = true;
    total = add(total, toRational(q));
  };
  (pod.spec?.containers ?? []).forEach(visit);
  // Sidecars add to the total; each init step (own + sidecars started so far) competes by max.
  let initMax = ZERO;
  let restartable = ZERO;
  for (const c of pod.spec?.initContainers ?? []) {
    const q = c.resources?.requests?.cpu;
    const own = q === undefined ? ZERO : toRational(q);
    if (q !== undefined) any = true;
    if (c.restartPolicy === 'Always') {
      total = add(total, own);
      restartable = add(restartable, own);
      if (restartable.num * initMax.den > initMax.num * restartable.den) initMax = restartable;
    } else {
      const step = add(own, restartable);
      if (step.num * initMax.den > initMax.num * step.den) initMax = step;
    }
  }
  if (!any) return undefined;
  const best = initMax.num * total.den > total.num * initMax.den ? initMax : total;
  // ceil to whole millicores
  const milli = (best.num * 1000n + best.den - 1n) / best.den;
  return `${milli}m`;
}

/** SetDefaults_Pod's resource part plus defaultPodRequests. Does not mutate `pod`. */
export function setDefaultsPodResources(pod: Pod): DefaultedPod {
  const defaulted: string[] = [];
  const spec = pod.spec ?? {};
  const containers = (spec.containers ?? []).map((c, i) => defaultContainer(c, `spec.containers[${i}]`, defaulted));
  const initContainers = spec.initContainers?.map((c, i) => defaultContainer(c, `spec.initContainers[${i}]`, defaulted));
  let resources = spec.resources;
  const next: Pod = { ...pod, spec: { ...spec, containers, ...(initContainers ? { initContainers } : {}) } };
  if (resources?.limits && Object.keys(resources.limits).length > 0) {
    const requests: ResourceList = { ...(resources.requests ?? {}) };
    const anyContainerRequests = (name: string) =>
      [...containers, ...(initContainers ?? [])].some((c) => c.resources?.requests?.[name] !== undefined);
    for (const name of ['cpu', 'memory']) {
      if (name in requests) continue;
      if (anyContainerRequests(name)) {
        requests[name] = name === 'memory' ? String(aggregateContainerMemoryRequests(next)) : aggregateCpuMilli(next)!;
        defaulted.push(`spec.resources.requests.${name}`);
      } else if (resources.limits[name] !== undefined) {
        requests[name] = resources.limits[name]!;
        defaulted.push(`spec.resources.requests.${name}`);
      }
    }
    resources = { ...resources, requests };
    next.spec = { ...next.spec, resources };
  }
  return { pod: next, defaulted };
}
