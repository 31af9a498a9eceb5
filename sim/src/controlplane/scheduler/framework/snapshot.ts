/**
 * The node/pod view a scheduling cycle reads, after
 * pkg/scheduler/backend/cache/snapshot.go and cache.go (Kubernetes v1.34).
 *
 * Upstream keeps a cache (updated by informers and by "assumed" pods) and
 * copies it into a snapshot at the start of every cycle so that binding can
 * run concurrently. The sim is single-threaded, so one structure serves as
 * both: NodeInfos are updated in place and each cycle reads them directly.
 * Invariants: `nodes` keeps insertion order (the order round-robin sampling
 * walks); every bound or assumed pod is in exactly one NodeInfo;
 * imageNumNodes[img] = number of nodes listing img.
 */
import type { Node } from '../../../api/objects.ts';
import { NodeInfo, type PodInfo } from './types.ts';

export class Snapshot {
  readonly nodes: NodeInfo[] = [];
  readonly byName = new Map<string, NodeInfo>();
  readonly imageNumNodes = new Map<string, number>();
  /** Largest size any node reported for an image (an upper bound; never lowered). */
  readonly imageMaxSize = new Map<string, number>();
  /** Pod key → node name, for every pod placed in the snapshot. */
  readonly podNode = new Map<string, string>();
  #affinityCache: { withAffinity: NodeInfo[]; withAntiAffinity: NodeInfo[] } | null = null;

  /** Adds (or replaces, keeping its pods and position) a node. Throws QuantityError on a bad allocatable. */
  upsertNode(node: Node): NodeInfo {
    const info = new NodeInfo(node);
    const old = this.byName.get(info.name);
    if (old) {
      for (const p of old.pods) info.addPod(p);
      this.nodes[this.nodes.indexOf(old)] = info;
      this.#countImages(old, -1);
    } else {
      this.nodes.push(info);
    }
    this.byName.set(info.name, info);
    this.#countImages(info, 1);
    this.#affinityCache = null;
    return info;
  }

  removeNode(name: string): boolean {
    const old = this.byName.get(name);
    if (!old) return false;
    this.nodes.splice(this.nodes.indexOf(old), 1);
    this.byName.delete(name);
    this.#countImages(old, -1);
    for (const p of old.pods) this.podNode.delete(p.key);
    this.#affinityCache = null;
    return true;
  }

  #countImages(n: NodeInfo, delta: number): void {
    for (const [img, size] of n.imageSizes) {
      if (size > (this.imageMaxSize.get(img) ?? 0)) this.imageMaxSize.set(img, size);
      const v = (this.imageNumNodes.get(img) ?? 0) + delta;
      if (v <= 0) this.imageNumNodes.delete(img);
      else this.imageNumNodes.set(img, v);
    }
  }

  /** Places a pod on a node (bound, or assumed by the scheduler). Returns false if the node is unknown. */
  addPod(pod: PodInfo, nodeName: string): boolean {
    const n = this.byName.get(nodeName);
    if (!n) return false;
    n.addPod(pod);
    this.podNode.set(pod.key, nodeName);
    if (n.podsWithAffinity.length > 0 || n.podsWithRequiredAntiAffinity.length > 0) this.#affinityCache = null;
    return true;
  }

  removePod(key: string): boolean {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return false;
    this.podNode.delete(key);
    this.byName.get(nodeName)?.removePod(key);
    this.#affinityCache = null;
    return true;
  }

  #affinity() {
    if (!this.#affinityCache) {
      this.#affinityCache = {
        withAffinity: this.nodes.filter((n) => n.podsWithAffinity.length > 0),
        withAntiAffinity: this.nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0),
      };
    }
    return this.#affinityCache;
  }

  get nodesWithAffinityPods(): NodeInfo[] {
    return this.#affinity().withAffinity;
  }

  get nodesWithRequiredAntiAffinityPods(): NodeInfo[] {
    return this.#affinity().withAntiAffinity;
  }
}
