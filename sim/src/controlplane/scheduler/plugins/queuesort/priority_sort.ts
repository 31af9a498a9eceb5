/**
 * PrioritySort, after pkg/scheduler/framework/plugins/queuesort/priority_sort.go
 * (Kubernetes v1.34): activeQ pops the highest spec.priority first, and among
 * equal priorities the pod that entered the queue earliest.
 */
import type { QueueSortPlugin, QueuedPodInfoLike } from '../../framework/interface.ts';
import { PrioritySort } from '../names.ts';

export function newPrioritySort() {
  const plugin = {
    name: PrioritySort,
    less(a: QueuedPodInfoLike, b: QueuedPodInfoLike): boolean {
      const p1 = a.pod.priority;
      const p2 = b.pod.priority;
      return p1 > p2 || (p1 === p2 && a.timestampTicks < b.timestampTicks);
    },
  };
  return plugin satisfies QueueSortPlugin;
}
