/**
 * SchedulingGates, after pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go
 * (Kubernetes v1.34): a pod with spec.schedulingGates stays out of activeQ
 * (UnschedulableAndUnresolvable "waiting for scheduling gates: [...]").
 */
import type { MaybeStatus, PreEnqueuePlugin } from '../../framework/interface.ts';
import { newStatus } from '../../framework/interface.ts';
import type { PodInfo } from '../../framework/types.ts';
import { SchedulingGates } from '../names.ts';

export function newSchedulingGates() {
  const plugin = {
    name: SchedulingGates,
    preEnqueue(pod: PodInfo): MaybeStatus {
      if (pod.schedulingGates.length === 0) return null;
      return newStatus('UnschedulableAndUnresolvable', `waiting for scheduling gates: [${pod.schedulingGates.join(' ')}]`);
    },
  };
  return plugin satisfies PreEnqueuePlugin;
}
