/**
 * PodInfo and NodeInfo: the scheduler's pre-digested views of Pods and Nodes,
 * after pkg/scheduler/framework/types.go (Kubernetes v1.34: PodInfo,
 * AffinityTerm, NodeInfo with Requested / NonZeroRequested / Allocatable,
 * PodsWithAffinity, PodsWithRequiredAntiAffinity, UsedPorts, ImageStates).
 *
 * Every quantity is parsed exactly once, when the PodInfo/NodeInfo is built,
 * so the per-node hot path of a scheduling cycle only compares numbers.
 * Invariant: NodeInfo.requested equals the sum of podRequests() of its pods
 * (and nonZeroRequested the sum with non-zero defaults) — addPod/removePod
 * keep it.
 */
import type { Node, Pod, PodAffinityTerm, Taint, Toleration } from '../../../api/objects.ts';
import { compileLabelSelector, RequiredNodeAffinity, PreferredSchedulingTerms, selectorMatches, type Selector } from './labels.ts';
import { emptyResource, podRequests, resourceFromList, type Resource } from './resources.ts';

/** Without a `pods` entry in allocatable we assume the kubelet default maxPods. */
export const DEFAULT_MAX_PODS = 110;

/** upstream framework.AffinityTerm, with the weight of a preferred term. */
export interface AffinityTerm {
  namespaces: ReadonlySet<string>;
  namespaceSelector: Selector;
  selector: Selector;
  topologyKey: string;
  weight: number;
}

/** The labels the sim gives a namespace: only the automatic `kubernetes.io/metadata.name`. */
export function namespaceLabels(ns: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': ns };
}

export function affinityTermMatches(t: AffinityTerm, pod: PodInfo): boolean {
  if (t.namespaces.has(pod.namespace) || selectorMatches(t.namespaceSelector, namespaceLabels(pod.namespace))) {
    return selectorMatches(t.selector, pod.labels);
  }
  return false;
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface PodInfo {
  readonly pod: Pod;
  readonly name: string;
  readonly namespace: string;
  /** namespace/name: the identity used by queues and caches. */
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly priority: number;
  readonly nodeName: string;
  readonly schedulerName: string;
  readonly terminating: boolean;
  readonly preemptionPolicy: 'PreemptLowerPriority' | 'Never';
  /** Requests for Filter (NodeResourcesFit). */
  readonly requests: Resource;
  /** Requests with DefaultMilliCPURequest/DefaultMemoryRequest for containers that omit them (scoring). */
  readonly nonZeroMilliCPU: number;
  readonly nonZeroMemory: number;
  readonly tolerations: readonly Toleration[];
  readonly hostPorts: readonly HostPort[];
  /** Normalized image names of init containers then containers. */
  readonly images: readonly string[];
  readonly requiredNodeAffinity: RequiredNodeAffinity;
  readonly preferredNodeAffinity: PreferredSchedulingTerms;
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly AffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly AffinityTerm[];
  /** `Kind/name` of the controlling owner, used as the selector of system default spreading. */
  readonly controllerKey: string | null;
  readonly schedulingGates: readonly string[];
}

/** upstream imagelocality normalizedImageName: add ":latest" when the name has no tag. */
export function normalizedImageName(name: string): string {
  if (name.lastIndexOf(':') <= name.lastIndexOf('/')) return `${name}:latest`;
  return name;
}

function compileTerm(t: PodAffinityTerm, podNamespace: string, weight: number): AffinityTerm {
  const namespaces = new Set(t.namespaces ?? []);
  if (namespaces.size === 0 && t.namespaceSelector === undefined) namespaces.add(podNamespace);
  return {
    namespaces,
    namespaceSelector: compileLabelSelector(t.namespaceSelector),
    selector: compileLabelSelector(t.labelSelector),
    topologyKey: t.topologyKey,
    weight,
  };
}

/** Builds the scheduler's view of a pod. Throws QuantityError on a malformed quantity. */
export function newPodInfo(pod: Pod): PodInfo {
  const spec = pod.spec ?? {};
  const namespace = pod.metadata?.namespace || 'default';
  const name = pod.metadata?.name ?? pod.metadata?.generateName ?? '';
  const nonZero = podRequests(pod, true);
  const aff = spec.affinity;
  const hostPorts: HostPort[] = [];
  for (const c of spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort && p.hostPort > 0) hostPorts.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  const images = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c) => c.image).map((c) => normalizedImageName(c.image!));
  const owner = (pod.metadata?.ownerReferences ?? []).find((o) => o.controller);
  const extra = spec as { preemptionPolicy?: string; schedulingGates?: { name: string }[] };
  return {
    pod,
    name,
    namespace,
    key: `${namespace}/${name}`,
    labels: pod.metadata?.labels ?? {},
    priority: spec.priority ?? 0,
    nodeName: spec.nodeName ?? '',
    schedulerName: spec.schedulerName || 'default-scheduler',
    terminating: pod.metadata?.deletionTimestamp !== undefined,
    preemptionPolicy: extra.preemptionPolicy === 'Never' ? 'Never' : 'PreemptLowerPriority',
    requests: podRequests(pod, false),
    nonZeroMilliCPU: nonZero.milliCPU,
    nonZeroMemory: nonZero.memory,
    tolerations: spec.tolerations ?? [],
    hostPorts,
    images,
    requiredNodeAffinity: new RequiredNodeAffinity(spec.nodeSelector, aff?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms),
    preferredNodeAffinity: new PreferredSchedulingTerms(aff?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
    requiredAffinityTerms: (aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, namespace, 1)),
    requiredAntiAffinityTerms: (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, namespace, 1)),
    preferredAffinityTerms: (aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t.podAffinityTerm, namespace, t.weight)),
    preferredAntiAffinityTerms: (aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t.podAffinityTerm, namespace, t.weight)),
    controllerKey: owner ? `${owner.kind ?? ''}/${owner.name ?? ''}` : null,
    schedulingGates: (extra.schedulingGates ?? []).map((g) => g.name),
  };
}

/** A pod with (anti-)affinity terms of any kind (upstream PodsWithAffinity). */
function hasAffinity(p: PodInfo): boolean {
  return p.requiredAffinityTerms.length + p.requiredAntiAffinityTerms.length + p.preferredAffinityTerms.length + p.preferredAntiAffinityTerms.length > 0;
}

/** The scheduler's aggregated view of one node and the pods on it (upstream framework.NodeInfo). */
export class NodeInfo {
  readonly node: Node;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
  readonly allocatable: Resource;
  /** Normalized image name → size in bytes. */
  readonly imageSizes: ReadonlyMap<string, number>;
  requested: Resource = emptyResource();
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts: HostPort[] = [];
  /** Bumped on every change (upstream Generation); lets snapshots detect staleness. */
  generation = 0;
  /**
   * Aggregates kept in step with `requested`/`pods` so the fused Filter
   * shortcut (fused_filter.ts) reads one object: allocatable − requested for
   * cpu and memory, pod slots left, and "not cordoned and untainted".
   */
  freeMilliCPU = 0;
  freeMemory = 0;
  freePodSlots = 0;
  plain = false;

  /** Throws QuantityError on a malformed allocatable quantity. */
  constructor(node: Node) {
    this.node = node;
    this.name = node.metadata?.name ?? '';
    this.labels = node.metadata?.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
    const list = node.status?.allocatable ?? node.status?.capacity;
    this.allocatable = resourceFromList(list);
    if (!list || list.pods === undefined) this.allocatable.allowedPodNumber = DEFAULT_MAX_PODS;
    const sizes = new Map<string, number>();
    for (const img of node.status?.images ?? []) {
      for (const n of img.names ?? []) sizes.set(normalizedImageName(n), img.sizeBytes ?? 0);
    }
    this.imageSizes = sizes;
    this.plain = !this.unschedulable && this.taints.length === 0;
    this.refreshFree();
  }

  private refreshFree(): void {
    this.freeMilliCPU = this.allocatable.milliCPU - this.requested.milliCPU;
    this.freeMemory = this.allocatable.memory - this.requested.memory;
    this.freePodSlots = this.allocatable.allowedPodNumber - this.pods.length;
  }

  addPod(p: PodInfo): void {
    this.pods.push(p);
    if (hasAffinity(p)) this.podsWithAffinity.push(p);
    if (p.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.push(p);
    this.account(p, 1);
    for (const hp of p.hostPorts) this.usedPorts.push(hp);
    this.generation++;
  }

  /** Removes the pod with this key; returns whether it was there. */
  removePod(key: string): boolean {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return false;
    const p = this.pods[i]!;
    this.pods.splice(i, 1);
    this.podsWithAffinity = this.podsWithAffinity.filter((x) => x.key !== key);
    this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((x) => x.key !== key);
    this.account(p, -1);
    for (const hp of p.hostPorts) {
      const j = this.usedPorts.findIndex((u) => u.ip === hp.ip && u.protocol === hp.protocol && u.port === hp.port);
      if (j >= 0) this.usedPorts.splice(j, 1);
    }
    this.generation++;
    return true;
  }

  private account(p: PodInfo, sign: 1 | -1): void {
    const r = this.requested;
    r.milliCPU += sign * p.requests.milliCPU;
    r.memory += sign * p.requests.memory;
    r.ephemeralStorage += sign * p.requests.ephemeralStorage;
    if (p.requests.scalar) {
      if (!r.scalar) r.scalar = new Map();
      for (const [k, v] of p.requests.scalar) r.scalar.set(k, (r.scalar.get(k) ?? 0) + sign * v);
    }
    this.nonZeroMilliCPU += sign * p.nonZeroMilliCPU;
    this.nonZeroMemory += sign * p.nonZeroMemory;
    this.refreshFree();
  }

  /** A copy whose pod list can change without touching this one (preemption's dry run). */
  clone(): NodeInfo {
    const c = Object.create(NodeInfo.prototype) as NodeInfo;
    Object.assign(c, this);
    c.requested = { ...this.requested, scalar: this.requested.scalar ? new Map(this.requested.scalar) : null };
    c.pods = [...this.pods];
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.usedPorts = [...this.usedPorts];
    return c;
  }
}
