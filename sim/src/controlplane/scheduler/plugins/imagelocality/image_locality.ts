/**
 * ImageLocality, after pkg/scheduler/framework/plugins/imagelocality/image_locality.go
 * (Kubernetes v1.34): favour nodes that already have the pod's images.
 * Each present image contributes size × (nodes having it / all nodes) — the
 * spread factor keeps every pod from piling onto the one node with the
 * image. The sum is clamped to [23 MiB, 1000 MiB × containers] and scaled to
 * 0–100. Default weight 1.
 */
import type { CycleState, Handle, ScorePlugin } from '../../framework/interface.ts';
import { MaxNodeScore } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { ImageLocality } from '../names.ts';

const mb = 1024 * 1024;
export const minThreshold = 23 * mb;
export const maxContainerThreshold = 1000 * mb;

/** upstream calculatePriority. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = maxContainerThreshold * numContainers;
  if (sumScores < minThreshold) sumScores = minThreshold;
  else if (sumScores > maxThreshold) sumScores = maxThreshold;
  return Math.trunc((MaxNodeScore * (sumScores - minThreshold)) / (maxThreshold - minThreshold));
}

export function newImageLocality(handle: Handle) {
  // Per cycle: each image's spread (nodes having it / all nodes), computed on the first Score call.
  let memoState: CycleState | null = null;
  let spreads: number[] = [];
  let numContainers = 0;
  /** True when even the best node's images sum below minThreshold: every node scores 0. */
  let allZero = false;
  const plugin = {
    name: ImageLocality,
    scoreAll(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: number[]): void {
      for (let i = 0; i < nodes.length; i++) {
        out[i] = plugin.score(state, pod, nodes[i]!);
        if (allZero) return; // out is pre-filled with 0
      }
    },
    score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
      if (state !== memoState) {
        memoState = state;
        numContainers = (pod.pod.spec?.initContainers?.length ?? 0) + (pod.pod.spec?.containers?.length ?? 0);
        const total = handle.allNodes.length;
        spreads = pod.images.map((img) => handle.imageNumNodes(img) / total);
        let bound = 0;
        pod.images.forEach((img, i) => (bound += handle.imageMaxSize(img) * spreads[i]!));
        allZero = bound < minThreshold;
      }
      if (numContainers === 0 || allZero) return 0;
      let sum = 0;
      if (node.imageSizes.size > 0) {
        for (let i = 0; i < pod.images.length; i++) {
          const size = node.imageSizes.get(pod.images[i]!);
          if (size !== undefined) sum += Math.trunc(size * spreads[i]!);
        }
      }
      return calculatePriority(sum, numContainers);
    },
  };
  return plugin satisfies ScorePlugin;
}
