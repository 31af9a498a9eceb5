/**
 * The in-tree plugin registry and the default profile's plugin list, after
 * pkg/scheduler/framework/plugins/registry.go and
 * pkg/scheduler/apis/config/v1/default_plugins.go (Kubernetes v1.34).
 *
 * DEFAULT_PLUGINS is upstream's MultiPoint list in upstream order (the order
 * plugins run at each extension point) with upstream's default Score
 * weights: TaintToleration 3, NodeAffinity 2, PodTopologySpread 2,
 * InterPodAffinity 2, NodeResourcesFit 1, NodeResourcesBalancedAllocation 1,
 * ImageLocality 1. Volume and DRA plugins are not modelled.
 */
import type { Handle, Plugin } from '../framework/interface.ts';
import { newDefaultBinder, type Binding } from './defaultbinder/default_binder.ts';
import { newDefaultPreemption, type DefaultPreemptionArgs } from './defaultpreemption/default_preemption.ts';
import { newImageLocality } from './imagelocality/image_locality.ts';
import { newInterPodAffinity } from './interpodaffinity/inter_pod_affinity.ts';
import type { InterPodAffinityArgs } from './interpodaffinity/scoring.ts';
import * as names from './names.ts';
import { newNodeAffinity, type NodeAffinityArgs } from './nodeaffinity/node_affinity.ts';
import { newNodeName } from './nodename/node_name.ts';
import { newNodePorts } from './nodeports/node_ports.ts';
import { newBalancedAllocation, type BalancedAllocationArgs } from './noderesources/balanced_allocation.ts';
import { newFit, type NodeResourcesFitArgs } from './noderesources/fit.ts';
import { newNodeUnschedulable } from './nodeunschedulable/node_unschedulable.ts';
import type { PodTopologySpreadArgs } from './podtopologyspread/common.ts';
import { newPodTopologySpread } from './podtopologyspread/pod_topology_spread.ts';
import { newPrioritySort } from './queuesort/priority_sort.ts';
import { newSchedulingGates } from './schedulinggates/scheduling_gates.ts';
import { newTaintToleration } from './tainttoleration/taint_toleration.ts';

/** What a factory gets: the framework handle, the plugin's args (already defaulted), and the bind sink. */
export interface FactoryContext {
  handle: Handle;
  args: unknown;
  onBind: (b: Binding) => null;
}

export type PluginFactory = (ctx: FactoryContext) => Plugin;

export const registry: ReadonlyMap<string, PluginFactory> = new Map<string, PluginFactory>([
  [names.SchedulingGates, () => newSchedulingGates()],
  [names.PrioritySort, () => newPrioritySort()],
  [names.NodeUnschedulable, () => newNodeUnschedulable()],
  [names.NodeName, () => newNodeName()],
  [names.TaintToleration, () => newTaintToleration()],
  [names.NodeAffinity, (c) => newNodeAffinity(c.args as NodeAffinityArgs | undefined)],
  [names.NodePorts, () => newNodePorts()],
  [names.NodeResourcesFit, (c) => newFit(c.args as NodeResourcesFitArgs | undefined)],
  [names.PodTopologySpread, (c) => newPodTopologySpread(c.handle, c.args as PodTopologySpreadArgs | undefined)],
  [names.InterPodAffinity, (c) => newInterPodAffinity(c.handle, c.args as InterPodAffinityArgs | undefined)],
  [names.DefaultPreemption, (c) => newDefaultPreemption(c.handle, c.args as DefaultPreemptionArgs | undefined)],
  [names.NodeResourcesBalancedAllocation, (c) => newBalancedAllocation(c.args as BalancedAllocationArgs | undefined)],
  [names.ImageLocality, (c) => newImageLocality(c.handle)],
  [names.DefaultBinder, (c) => newDefaultBinder(c.onBind)],
]);

/** A plugin reference in a profile (upstream config.Plugin); weight only matters for Score. */
export interface PluginRef {
  name: string;
  weight?: number;
}

export const DEFAULT_PLUGINS: readonly PluginRef[] = [
  { name: names.SchedulingGates },
  { name: names.PrioritySort },
  { name: names.NodeUnschedulable },
  { name: names.NodeName },
  { name: names.TaintToleration, weight: 3 },
  { name: names.NodeAffinity, weight: 2 },
  { name: names.NodePorts },
  { name: names.NodeResourcesFit, weight: 1 },
  { name: names.PodTopologySpread, weight: 2 },
  { name: names.InterPodAffinity, weight: 2 },
  { name: names.DefaultPreemption },
  { name: names.NodeResourcesBalancedAllocation, weight: 1 },
  { name: names.ImageLocality, weight: 1 },
  { name: names.DefaultBinder },
];
