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
  const key = `Score${ImageLocality}`;
  const plugin = {
    name: ImageLocality,
    score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
      const numContainers = (pod.pod.spec?.initContainers?.length ?? 0) + (pod.pod.spec?.containers?.length ?? 0);
      if (numContainers === 0) return 0;
      let spreads = state.read<number[]>(key);
      if (!spreads) {
        const total = handle.allNodes.length;
        spreads = pod.images.map((img) => handle.imageNumNodes(img) / total);
        state.write(key, spreads);
      }
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
