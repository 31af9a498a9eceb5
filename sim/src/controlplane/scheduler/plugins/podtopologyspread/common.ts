/**
 * Spread constraints as the plugin evaluates them, after
 * pkg/scheduler/framework/plugins/podtopologyspread/common.go and plugin.go
 * (Kubernetes v1.34).
 *
 * Defaults kept from upstream: minDomains 1, nodeAffinityPolicy Honor,
 * nodeTaintsPolicy Ignore; matchLabelKeys add `key in (pod's value)` to the
 * selector. System default constraints (used when a pod has none) are
 * hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway, with the
 * selector upstream derives from the Services/ReplicaSets/StatefulSets that
 * own the pod. The sim has no such listers here, so the default selector is
 * "pods with the same controlling owner" — the pods a ReplicaSet selects.
 */
import type { TopologySpreadConstraint } from '../../../../api/objects.ts';
import { compileLabelSelector, selectorIsEmpty, selectorMatches, withRequirements, type Requirement, type Selector } from '../../framework/labels.ts';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint } from '../../framework/taints.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';

export const LabelHostname = 'kubernetes.io/hostname';
export const LabelTopologyZone = 'topology.kubernetes.io/zone';

export const systemDefaultConstraints: TopologySpreadConstraint[] = [
  { topologyKey: LabelHostname, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LabelTopologyZone, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

export interface PodTopologySpreadArgs {
  defaultingType: 'System' | 'List';
  defaultConstraints: TopologySpreadConstraint[];
}

export const defaultPodTopologySpreadArgs = (): PodTopologySpreadArgs => ({ defaultingType: 'System', defaultConstraints: [] });

/** Which pods a constraint counts. */
export type PodMatcher = { kind: 'labels'; selector: Selector } | { kind: 'controller'; controllerKey: string };

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  matcher: PodMatcher;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

export function matcherMatches(m: PodMatcher, pod: PodInfo): boolean {
  return m.kind === 'labels' ? selectorMatches(m.selector, pod.labels) : pod.controllerKey === m.controllerKey;
}

/** upstream countPodsMatchSelector: same namespace, not terminating; an empty selector counts nothing. */
export function countPodsMatch(pods: readonly PodInfo[], m: PodMatcher, namespace: string): number {
  if (m.kind === 'labels' && selectorIsEmpty(m.selector)) return 0;
  let n = 0;
  for (const p of pods) {
    if (p.terminating || p.namespace !== namespace) continue;
    if (matcherMatches(m, p)) n++;
  }
  return n;
}

export function nodeLabelsMatchSpreadConstraints(labels: Readonly<Record<string, string>>, cs: readonly SpreadConstraint[]): boolean {
  for (const c of cs) if (!Object.prototype.hasOwnProperty.call(labels, c.topologyKey)) return false;
  return true;
}

/** upstream matchNodeInclusionPolicies. */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: PodInfo, node: NodeInfo): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !pod.requiredNodeAffinity.match(node.name, node.labels)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && node.taints.length > 0 && findMatchingUntoleratedTaint(node.taints, pod.tolerations, isDoNotScheduleTaint)) return false;
  return true;
}

function compile(cs: readonly TopologySpreadConstraint[], podLabels: Readonly<Record<string, string>>, action: string): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of cs) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = compileLabelSelector(c.labelSelector);
    const extra: Requirement[] = [];
    for (const k of c.matchLabelKeys ?? []) {
      if (Object.prototype.hasOwnProperty.call(podLabels, k)) extra.push({ key: k, operator: 'In', values: new Set([podLabels[k]!]) });
    }
    selector = withRequirements(selector, extra);
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      matcher: { kind: 'labels', selector },
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/** The constraints of one kind (DoNotSchedule for Filter, ScheduleAnyway for Score) that apply to `pod`. */
export function constraintsFor(pod: PodInfo, args: PodTopologySpreadArgs, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  const own = pod.pod.spec?.topologySpreadConstraints ?? [];
  if (own.length > 0) return compile(own, pod.labels, action);
  const defaults = args.defaultingType === 'System' ? systemDefaultConstraints : args.defaultConstraints;
  const cs = compile(defaults, pod.labels, action);
  if (cs.length === 0 || pod.controllerKey === null) return [];
  for (const c of cs) c.matcher = { kind: 'controller', controllerKey: pod.controllerKey };
  return cs;
}
