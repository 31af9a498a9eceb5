/**
 * DefaultBinder, after pkg/scheduler/framework/plugins/defaultbinder/default_binder.go
 * (Kubernetes v1.34): POSTs a Binding (pods/<name>/binding, target Node) to
 * the apiserver. Here the binding is recorded through `onBind`, which the
 * Scheduler wires to its binding log (and a world may wire to the apiserver).
 */
import type { BindPlugin, CycleState, MaybeStatus } from '../../framework/interface.ts';
import type { PodInfo } from '../../framework/types.ts';
import { DefaultBinder } from '../names.ts';

export interface Binding {
  namespace: string;
  podName: string;
  nodeName: string;
}

export function newDefaultBinder(onBind: (b: Binding) => MaybeStatus = () => null) {
  const plugin = {
    name: DefaultBinder,
    bind(_state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
      return onBind({ namespace: pod.namespace, podName: pod.name, nodeName });
    },
  };
  return plugin satisfies BindPlugin;
}
