/**
 * Test wrappers in the spirit of upstream pkg/scheduler/testing/wrappers.go
 * (st.MakeNode / st.MakePod), producing the sim's plain Kubernetes objects.
 */
import type { Node, Pod, Taint, Toleration, ResourceList } from '../../src/index.ts';

export function makeNode(name: string, allocatable: ResourceList = {}, opts: { labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean; images?: { names: string[]; sizeBytes: number }[] } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) } },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: { allocatable: { pods: '32', ...allocatable }, images: opts.images },
  };
}

/** A pod with one container per request map (like st.MakePod().Req(...).Req(...)). */
export function makePod(name: string, reqs: ResourceList[] = [], opts: Partial<{ node: string; labels: Record<string, string>; tolerations: Toleration[]; priority: number; namespace: string; spec: Pod['spec'] }> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.namespace ?? 'default', labels: opts.labels ?? {} },
    spec: {
      ...(opts.spec ?? {}),
      nodeName: opts.node ?? opts.spec?.nodeName,
      priority: opts.priority,
      tolerations: opts.tolerations,
      containers: [...(opts.spec?.containers ?? []), ...reqs.map((r, i) => ({ name: `c${i}`, image: 'pause', resources: { requests: r } }))],
    },
  };
}
