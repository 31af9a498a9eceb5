/**
 * Score plugins (normalized 0–100, before weight) through runSchedulingCycle,
 * after upstream (Kubernetes v1.34): tainttoleration/taint_toleration_test.go
 * TestTaintTolerationScore, nodeaffinity/node_affinity_test.go
 * TestNodeAffinityPriority, podtopologyspread/scoring_test.go and
 * interpodaffinity/scoring_test.go (values recomputed with upstream's
 * formulas where the scenario is the sim's own), plus default weights from
 * apis/config/v1/default_plugins.go.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLUGINS, runSchedulingCycle, type Node, type Pod } from '../../src/index.ts';
import { makeNode, makePod } from './helpers.ts';

function scoresOf(pod: Pod, nodes: Node[], existing: Pod[], plugin: string): Record<string, number> {
  const r = runSchedulingCycle({ nodes, pods: existing, pod, plugins: ['NodeResourcesFit', plugin] });
  return Object.fromEntries(r.nodes.map((n) => [n.name, n.scores?.[plugin] ?? -1]));
}

describe('default weights (default_plugins.go)', () => {
  it('TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit 1, BalancedAllocation 1, ImageLocality 1', () => {
    const w = Object.fromEntries(DEFAULT_PLUGINS.filter((p) => p.weight).map((p) => [p.name, p.weight]));
    expect(w).toEqual({ TaintToleration: 3, NodeAffinity: 2, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesFit: 1, NodeResourcesBalancedAllocation: 1, ImageLocality: 1 });
    const r = runSchedulingCycle({ nodes: [makeNode('a'), makeNode('b')], pod: makePod('p', [{ cpu: '1' }]) });
    expect(r.scorePlugins.map((s) => `${s.name}=${s.weight}`)).toEqual([
      'TaintToleration=3', 'NodeAffinity=2', 'NodeResourcesFit=1', 'PodTopologySpread=2', 'InterPodAffinity=2', 'NodeResourcesBalancedAllocation=1', 'ImageLocality=1',
    ]);
  });
  it('the total is the weighted sum of normalized scores', () => {
    const r = runSchedulingCycle({ nodes: [makeNode('a', { cpu: '4', memory: '8Gi' }), makeNode('b', { cpu: '2', memory: '8Gi' })], pod: makePod('p', [{ cpu: '1', memory: '1Gi' }]) });
    for (const n of r.nodes) {
      const sum = r.scorePlugins.reduce((s, p) => s + n.scores![p.name]! * p.weight, 0);
      expect(n.totalScore).toBe(sum);
    }
    expect(r.selectedNode).toBe('a');
  });
});

const pns = (key: string, value: string) => ({ key, value, effect: 'PreferNoSchedule' as const });

describe('TaintToleration Score (taint_toleration_test.go TestTaintTolerationScore)', () => {
  it('node with taints tolerated by the pod, gets a higher score than those node with intolerable taints', () => {
    const pod = makePod('p', [], { tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }] });
    expect(scoresOf(pod, [makeNode('nodeA', {}, { taints: [pns('foo', 'bar')] }), makeNode('nodeB', {}, { taints: [pns('foo', 'blah')] })], [], 'TaintToleration')).toEqual({ nodeA: 100, nodeB: 0 });
  });
  it('the more intolerable taints a node has, the lower score it gets', () => {
    const pod = makePod('p', [], { tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }] });
    const nodes = [makeNode('nodeA'), makeNode('nodeB', {}, { taints: [pns('cpu-type', 'arm64')] }), makeNode('nodeC', {}, { taints: [pns('cpu-type', 'arm64'), pns('disk-type', 'ssd')] })];
    expect(scoresOf(pod, nodes, [], 'TaintToleration')).toEqual({ nodeA: 100, nodeB: 50, nodeC: 0 });
  });
  it('only taints and tolerations that have effect PreferNoSchedule are checked', () => {
    const pod = makePod('p', [], { tolerations: [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }, { key: 'disk-type', operator: 'Equal', value: 'ssd' }] });
    const nodes = [
      makeNode('nodeA'),
      makeNode('nodeB', {}, { taints: [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }] }),
      makeNode('nodeC', {}, { taints: [pns('cpu-type', 'arm64'), pns('disk-type', 'ssd')] }),
    ];
    expect(scoresOf(pod, nodes, [], 'TaintToleration')).toEqual({ nodeA: 100, nodeB: 100, nodeC: 0 });
  });
  it('Default behaviour No taints and tolerations, lands on node with no taints', () => {
    expect(scoresOf(makePod('p'), [makeNode('nodeA'), makeNode('nodeB', {}, { taints: [pns('cpu-type', 'arm64')] })], [], 'TaintToleration')).toEqual({ nodeA: 100, nodeB: 0 });
  });
});

describe('NodeAffinity Score (node_affinity_test.go TestNodeAffinityPriority)', () => {
  const pref = (weight: number, exprs: [string, string][]) => ({ weight, preference: { matchExpressions: exprs.map(([key, v]) => ({ key, operator: 'In' as const, values: [v] })) } });
  const affinity2 = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(2, [['foo', 'bar']]), pref(4, [['key', 'value']]), pref(5, [['foo', 'bar'], ['key', 'value'], ['az', 'az1']])] } };
  const nodes = [makeNode('node1', {}, { labels: { foo: 'bar' } }), makeNode('node2', {}, { labels: { key: 'value' } }), makeNode('node3', {}, { labels: { az: 'az1' } })];
  it('all nodes are same priority as NodeAffinity is nil', () => {
    expect(scoresOf(makePod('p'), nodes, [], 'NodeAffinity')).toEqual({ node1: 0, node2: 0, node3: 0 });
  });
  it('only node1 matches the preferred affinity', () => {
    const pod = makePod('p', [], { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(2, [['foo', 'bar']])] } } } });
    expect(scoresOf(pod, nodes, [], 'NodeAffinity')).toEqual({ node1: 100, node2: 0, node3: 0 });
  });
  it('all nodes matches the preferred affinity, but with different weights', () => {
    const all = [makeNode('node1', {}, { labels: { foo: 'bar' } }), makeNode('node5', {}, { labels: { foo: 'bar', key: 'value', az: 'az1' } }), makeNode('node2', {}, { labels: { key: 'value' } })];
    expect(scoresOf(makePod('p', [], { spec: { affinity: affinity2 } }), all, [], 'NodeAffinity')).toEqual({ node1: 18, node5: 100, node2: 36 });
  });
});

const zoneNode = (name: string, zone: string) => makeNode(name, { cpu: '8', memory: '8Gi' }, { labels: { 'topology.kubernetes.io/zone': zone } });
const fooPod = (name: string, node: string) => makePod(name, [], { node, labels: { foo: '' } });

describe('PodTopologySpread', () => {
  const soft = (key: string, maxSkew = 1) => ({ maxSkew, topologyKey: key, whenUnsatisfiable: 'ScheduleAnyway' as const, labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' as const }] } });
  const hard = (key: string, maxSkew = 1, minDomains?: number) => ({ ...soft(key, maxSkew), whenUnsatisfiable: 'DoNotSchedule' as const, ...(minDomains ? { minDomains } : {}) });
  it('Score: one hostname constraint, 6/5/3/0 matching pods (log(4+2) weighting, reversed normalization)', () => {
    const nodes = ['a', 'b', 'c', 'd'].map((n) => makeNode(`node-${n}`, { cpu: '8' }));
    const existing = [...Array(6)].map((_, i) => fooPod(`a${i}`, 'node-a')).concat([...Array(5)].map((_, i) => fooPod(`b${i}`, 'node-b')), [...Array(3)].map((_, i) => fooPod(`c${i}`, 'node-c')));
    const pod = makePod('p', [], { labels: { foo: '' }, spec: { topologySpreadConstraints: [soft('kubernetes.io/hostname')] } });
    // raw = round(cnt·ln 6): 11, 9, 5, 0 → 100·(11 + 0 − raw)/11
    expect(scoresOf(pod, nodes, existing, 'PodTopologySpread')).toEqual({ 'node-a': 0, 'node-b': 18, 'node-c': 54, 'node-d': 100 });
  });
  it('Score: nodes missing the topology key of a pod-level constraint are ignored (score 0)', () => {
    const nodes = [zoneNode('x', 'z1'), makeNode('nolabel', { cpu: '8', memory: '8Gi' })];
    const pod = makePod('p', [], { labels: { foo: '' }, spec: { topologySpreadConstraints: [soft('topology.kubernetes.io/zone')] } });
    expect(scoresOf(pod, nodes, [], 'PodTopologySpread')).toEqual({ x: 100, nolabel: 0 });
  });
  it('Filter: zones 3/1 with maxSkew 1 — only the emptier zone passes; a node without the key is unresolvable', () => {
    const nodes = [zoneNode('a1', 'z1'), zoneNode('a2', 'z1'), zoneNode('b1', 'z2'), makeNode('nozone', { cpu: '8', memory: '8Gi' })];
    const existing = [fooPod('p1', 'a1'), fooPod('p2', 'a1'), fooPod('p3', 'a2'), fooPod('p4', 'b1')];
    const pod = makePod('p', [], { labels: { foo: '' }, spec: { topologySpreadConstraints: [hard('topology.kubernetes.io/zone')] } });
    const r = runSchedulingCycle({ nodes, pods: existing, pod, plugins: ['PodTopologySpread', 'NodeResourcesFit'] });
    const f = Object.fromEntries(r.nodes.map((n) => [n.name, n.filters.PodTopologySpread]));
    expect(f.a1).toEqual({ code: 'Unschedulable', reasons: ["node(s) didn't match pod topology spread constraints"] });
    expect(f.b1).toEqual({ code: 'Success', reasons: [] });
    expect(f.nozone).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"] });
    expect(r.selectedNode).toBe('b1');
  });
  it('Filter: minDomains larger than the number of domains makes the global minimum 0', () => {
    const nodes = [zoneNode('a1', 'z1'), zoneNode('b1', 'z2')];
    const existing = [fooPod('p1', 'a1'), fooPod('p2', 'b1')];
    const pod = makePod('p', [], { labels: { foo: '' }, spec: { topologySpreadConstraints: [hard('topology.kubernetes.io/zone', 1, 3)] } });
    const r = runSchedulingCycle({ nodes, pods: existing, pod, plugins: ['PodTopologySpread', 'NodeResourcesFit'] });
    expect(r.selectedNode).toBeNull();
    expect(r.message).toBe("0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints.");
  });
  it('system default spreading uses the pod\'s controller (hostname maxSkew 3, zone maxSkew 5)', () => {
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u1', controller: true }];
    const owned = (name: string, node?: string) => ({ ...makePod(name, [{ cpu: '100m' }], { node }), metadata: { name, namespace: 'default', ownerReferences: owner } });
    const nodes = [zoneNode('a', 'z1'), zoneNode('b', 'z2')];
    const r = runSchedulingCycle({ nodes, pods: [owned('w1', 'a'), owned('w2', 'a'), owned('w3', 'a')], pod: owned('w4'), plugins: ['PodTopologySpread', 'NodeResourcesFit'] });
    expect(r.nodes.find((n) => n.name === 'b')!.scores!.PodTopologySpread).toBe(100);
    expect(r.nodes.find((n) => n.name === 'a')!.scores!.PodTopologySpread).toBeLessThan(100);
    const lone = runSchedulingCycle({ nodes, pods: [], pod: makePod('solo', [{ cpu: '100m' }]), plugins: ['PodTopologySpread', 'NodeResourcesFit'] });
    expect(lone.scorePlugins.find((s) => s.name === 'PodTopologySpread')!.skipped).toBe(true);
  });
});

describe('InterPodAffinity', () => {
  const term = (key: string, value: string, topologyKey: string) => ({ labelSelector: { matchLabels: { [key]: value } }, topologyKey });
  const nodes = () => [zoneNode('a', 'z1'), zoneNode('b', 'z1'), zoneNode('c', 'z2')];
  it('required affinity: only the zone hosting a matching pod passes (UnschedulableAndUnresolvable elsewhere)', () => {
    const pod = makePod('p', [], { spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('app', 'db', 'topology.kubernetes.io/zone')] } } } });
    const r = runSchedulingCycle({ nodes: nodes(), pods: [makePod('db', [], { node: 'a', labels: { app: 'db' } })], pod, plugins: ['InterPodAffinity', 'NodeResourcesFit'] });
    const f = Object.fromEntries(r.nodes.map((n) => [n.name, n.filters.InterPodAffinity!.code]));
    expect(f).toEqual({ a: 'Success', b: 'Success', c: 'UnschedulableAndUnresolvable' });
    expect(r.nodes[2]!.filters.InterPodAffinity!.reasons).toEqual(["node(s) didn't match pod affinity rules"]);
  });
  it('required anti-affinity by hostname keeps replicas apart', () => {
    const pod = makePod('web-2', [], { labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('app', 'web', 'kubernetes.io/hostname')] } } } });
    const r = runSchedulingCycle({ nodes: nodes(), pods: [makePod('web-1', [], { node: 'a', labels: { app: 'web' } })], pod, plugins: ['InterPodAffinity', 'NodeResourcesFit'] });
    expect(r.nodes[0]!.filters.InterPodAffinity).toEqual({ code: 'Unschedulable', reasons: ["node(s) didn't match pod anti-affinity rules"] });
    expect(r.nodes[1]!.feasible).toBe(true);
  });
  it("an existing pod's anti-affinity repels the incoming pod", () => {
    const guard = makePod('guard', [], { node: 'a', spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('app', 'web', 'topology.kubernetes.io/zone')] } } } as any });
    const r = runSchedulingCycle({ nodes: nodes(), pods: [guard], pod: makePod('web', [], { labels: { app: 'web' } }), plugins: ['InterPodAffinity', 'NodeResourcesFit'] });
    expect(r.nodes.map((n) => n.filters.InterPodAffinity!.code)).toEqual(['Unschedulable', 'Unschedulable', 'Success']);
    expect(r.nodes[0]!.filters.InterPodAffinity!.reasons).toEqual(["node(s) didn't satisfy existing pods anti-affinity rules"]);
  });
  it('the first pod of a self-affine group may go anywhere', () => {
    const pod = makePod('first', [], { labels: { app: 'cache' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('app', 'cache', 'topology.kubernetes.io/zone')] } } } });
    const r = runSchedulingCycle({ nodes: nodes(), pods: [], pod, plugins: ['InterPodAffinity', 'NodeResourcesFit'] });
    expect(r.nodes.every((n) => n.feasible)).toBe(true);
  });
  it('preferred affinity scores the matching zone 100 and the others 0', () => {
    const pod = makePod('p', [], { spec: { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term('app', 'db', 'topology.kubernetes.io/zone') }] } } } });
    expect(scoresOf(pod, nodes(), [makePod('db', [], { node: 'c', labels: { app: 'db' } })], 'InterPodAffinity')).toEqual({ a: 0, b: 0, c: 100 });
  });
});

describe('ImageLocality (image_locality.go formula)', () => {
  it('scales the spread-weighted image size between 23 MiB and 1000 MiB × containers', () => {
    const mb = 1024 * 1024;
    const nodes = [
      makeNode('node1', { cpu: '4' }, { images: [{ names: ['gcr.io/40:latest'], sizeBytes: 40 * mb }] }),
      makeNode('node2', { cpu: '4' }, { images: [{ names: ['gcr.io/300:latest'], sizeBytes: 300 * mb }] }),
    ];
    const pod = makePod('p', [], { spec: { containers: [{ name: 'a', image: 'gcr.io/40' }, { name: 'b', image: 'gcr.io/300' }] } });
    // node1: 40 MiB × 1/2 < 23 MiB → 0; node2: 100·(150 − 23)/(2000 − 23) = 6
    expect(scoresOf(pod, nodes, [], 'ImageLocality')).toEqual({ node1: 0, node2: 6 });
  });
});
