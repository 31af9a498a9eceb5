/**
 * Filter plugins through runSchedulingCycle, with cases ported from upstream
 * (Kubernetes v1.34): noderesources/fit_test.go TestEnoughRequests,
 * tainttoleration/taint_toleration_test.go TestTaintTolerationFilter,
 * nodeaffinity/node_affinity_test.go TestNodeAffinity, nodename, nodeports
 * and nodeunschedulable tests, and the FitError message of
 * framework/types_test.go.
 */
import { describe, expect, it } from 'vitest';
import { runSchedulingCycle, type Node, type Pod } from '../../src/index.ts';
import { makeNode, makePod } from './helpers.ts';

/** Node allocatable as in fit_test.go makeAllocatableResources(10, 20, 32, 5, 20, 5). */
const fitNode = () => makeNode('machine1', { cpu: '10m', memory: '20', pods: '32', 'example.com/aaa': '5', 'ephemeral-storage': '20' });

function filterOf(pod: Pod, nodes: Node[], existing: Pod[], plugin: string) {
  const r = runSchedulingCycle({ nodes, pods: existing, pod, plugins: [plugin] });
  return r.nodes.map((n) => n.filters[plugin]);
}

describe('NodeResourcesFit Filter (fit_test.go TestEnoughRequests)', () => {
  const cases: { name: string; pod: Pod; used: Record<string, string>; code: string; reasons: string[] }[] = [
    { name: 'no resources requested always fits', pod: makePod('p'), used: { cpu: '10m', memory: '20' }, code: 'Success', reasons: [] },
    { name: 'too many resources fails', pod: makePod('p', [{ cpu: '1m', memory: '1' }]), used: { cpu: '10m', memory: '20' }, code: 'Unschedulable', reasons: ['Insufficient cpu', 'Insufficient memory'] },
    {
      name: 'too many resources fails due to init container cpu',
      pod: makePod('p', [{ cpu: '1m', memory: '1' }], { spec: { initContainers: [{ name: 'i', resources: { requests: { cpu: '3m', memory: '1' } } }] } }),
      used: { cpu: '8m', memory: '19' },
      code: 'Unschedulable',
      reasons: ['Insufficient cpu'],
    },
    {
      name: 'too many resources fails due to highest init container memory',
      pod: makePod('p', [{ cpu: '1m', memory: '1' }], { spec: { initContainers: [{ name: 'i', resources: { requests: { cpu: '1m', memory: '3' } } }, { name: 'j', resources: { requests: { cpu: '1m', memory: '2' } } }] } }),
      used: { cpu: '9m', memory: '19' },
      code: 'Unschedulable',
      reasons: ['Insufficient memory'],
    },
    {
      name: "init container fits because it's the max, not sum, of containers and init containers",
      pod: makePod('p', [{ cpu: '1m', memory: '1' }], { spec: { initContainers: [{ name: 'i', resources: { requests: { cpu: '1m', memory: '1' } } }, { name: 'j', resources: { requests: { cpu: '1m', memory: '1' } } }] } }),
      used: { cpu: '9m', memory: '19' },
      code: 'Success',
      reasons: [],
    },
    { name: 'both resources fit', pod: makePod('p', [{ cpu: '1m', memory: '1' }]), used: { cpu: '5m', memory: '5' }, code: 'Success', reasons: [] },
    { name: 'one resource memory fits', pod: makePod('p', [{ cpu: '2m', memory: '1' }]), used: { cpu: '9m', memory: '5' }, code: 'Unschedulable', reasons: ['Insufficient cpu'] },
    { name: 'one resource cpu fits', pod: makePod('p', [{ cpu: '1m', memory: '2' }]), used: { cpu: '5m', memory: '19' }, code: 'Unschedulable', reasons: ['Insufficient memory'] },
    { name: 'equal edge case', pod: makePod('p', [{ cpu: '5m', memory: '1' }]), used: { cpu: '5m', memory: '19' }, code: 'Success', reasons: [] },
    { name: 'extended resource fits', pod: makePod('p', [{ 'example.com/aaa': '1' }]), used: {}, code: 'Success', reasons: [] },
    // v1.34 (kubernetes#131345): more than the whole allocatable → preemption can't help.
    { name: 'extended resource capacity enforced', pod: makePod('p', [{ cpu: '1m', memory: '1', 'example.com/aaa': '10' }]), used: {}, code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient example.com/aaa'] },
    { name: 'extended resource allocatable enforced', pod: makePod('p', [{ cpu: '1m', memory: '1', 'example.com/aaa': '1' }]), used: { 'example.com/aaa': '5' }, code: 'Unschedulable', reasons: ['Insufficient example.com/aaa'] },
    { name: 'cpu request larger than the node', pod: makePod('p', [{ cpu: '11m' }]), used: {}, code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] },
    { name: 'ephemeral storage', pod: makePod('p', [{ 'ephemeral-storage': '15' }]), used: { 'ephemeral-storage': '10' }, code: 'Unschedulable', reasons: ['Insufficient ephemeral-storage'] },
    { name: 'requests default to limits (apiserver defaulting)', pod: { ...makePod('p'), spec: { containers: [{ name: 'c', resources: { limits: { cpu: '6m' } } }] } }, used: { cpu: '5m' }, code: 'Unschedulable', reasons: ['Insufficient cpu'] },
    { name: 'pod overhead is added', pod: { ...makePod('p', [{ cpu: '4m' }]), spec: { ...makePod('p', [{ cpu: '4m' }]).spec, overhead: { cpu: '2m' } } }, used: { cpu: '5m' }, code: 'Unschedulable', reasons: ['Insufficient cpu'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const existing = Object.keys(c.used).length ? [makePod('existing', [c.used], { node: 'machine1' })] : [];
      expect(filterOf(c.pod, [fitNode()], existing, 'NodeResourcesFit')[0]).toEqual({ code: c.code, reasons: c.reasons });
    });
  }
  it('Too many pods (fit_test.go TestPodFitsResources "even without specified resources, predicate fails when there\'s no space for additional pod")', () => {
    const node = makeNode('machine1', { cpu: '10m', memory: '20', pods: '1' });
    expect(filterOf(makePod('p'), [node], [makePod('e', [], { node: 'machine1' })], 'NodeResourcesFit')[0]).toEqual({ code: 'Unschedulable', reasons: ['Too many pods'] });
  });
});

const taint = (key: string, value: string, effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute') => ({ key, value, effect });

describe('TaintToleration Filter (taint_toleration_test.go TestTaintTolerationFilter)', () => {
  const cases: { name: string; tolerations: Pod['spec'] extends infer S ? any : never; taints: any[]; ok: boolean; reason?: string }[] = [
    { name: "A pod having no tolerations can't be scheduled onto a node with nonempty taints", tolerations: [], taints: [taint('dedicated', 'user1', 'NoSchedule')], ok: false, reason: 'node(s) had untolerated taint {dedicated: user1}' },
    { name: 'A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule', tolerations: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], taints: [taint('dedicated', 'user1', 'NoSchedule')], ok: true },
    { name: "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule", tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }], taints: [taint('dedicated', 'user1', 'NoSchedule')], ok: false, reason: 'node(s) had untolerated taint {dedicated: user1}' },
    { name: 'A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node', tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }], taints: [taint('foo', 'bar', 'NoSchedule')], ok: true },
    {
      name: 'A pod has multiple tolerations, node has multiple taints, all the taints are tolerated',
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }, { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
      taints: [taint('dedicated', 'user2', 'NoSchedule'), taint('foo', 'bar', 'NoSchedule')],
      ok: true,
    },
    { name: "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node", tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }], taints: [taint('foo', 'bar', 'NoSchedule')], ok: false, reason: 'node(s) had untolerated taint {foo: bar}' },
    { name: 'The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node', tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar' }], taints: [taint('foo', 'bar', 'NoSchedule')], ok: true },
    { name: "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node", tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }], taints: [taint('dedicated', 'user1', 'PreferNoSchedule')], ok: true },
    { name: 'The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node', tolerations: [], taints: [taint('dedicated', 'user1', 'PreferNoSchedule')], ok: true },
    { name: 'NoExecute taints are enforced by Filter too', tolerations: [], taints: [taint('node.kubernetes.io/not-ready', '', 'NoExecute')], ok: false, reason: 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }' },
    { name: 'An empty key with operator Exists tolerates everything', tolerations: [{ operator: 'Exists' }], taints: [taint('a', 'b', 'NoSchedule'), taint('c', 'd', 'NoExecute')], ok: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = filterOf(makePod('p', [], { tolerations: c.tolerations }), [makeNode('n', {}, { taints: c.taints })], [], 'TaintToleration')[0];
      expect(got).toEqual(c.ok ? { code: 'Success', reasons: [] } : { code: 'UnschedulableAndUnresolvable', reasons: [c.reason] });
    });
  }
});

describe('NodeAffinity Filter (node_affinity_test.go TestNodeAffinity)', () => {
  const bad = { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] };
  const good = { code: 'Success', reasons: [] };
  const affinity = (terms: any[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
  const cases: { name: string; spec: any; labels: Record<string, string>; want: unknown; nodeName?: string }[] = [
    { name: 'missing labels', spec: { nodeSelector: { foo: 'bar' } }, labels: {}, want: bad },
    { name: 'same labels', spec: { nodeSelector: { foo: 'bar' } }, labels: { foo: 'bar' }, want: good },
    { name: 'node labels are superset', spec: { nodeSelector: { foo: 'bar' } }, labels: { foo: 'bar', baz: 'blah' }, want: good },
    { name: 'node labels are subset', spec: { nodeSelector: { foo: 'bar', baz: 'blah' } }, labels: { foo: 'bar' }, want: bad },
    { name: 'Pod with matchExpressions using In operator that matches the existing node', spec: { affinity: affinity([{ matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar', 'value2'] }] }]) }, labels: { foo: 'bar' }, want: good },
    { name: 'Pod with matchExpressions using Gt operator that matches the existing node', spec: { affinity: affinity([{ matchExpressions: [{ key: 'kernel-version', operator: 'Gt', values: ['0204'] }] }]) }, labels: { 'kernel-version': '0206' }, want: good },
    { name: 'Pod with matchExpressions using NotIn operator that matches the existing node', spec: { affinity: affinity([{ matchExpressions: [{ key: 'mem-type', operator: 'NotIn', values: ['DDR', 'DDR2'] }] }]) }, labels: { 'mem-type': 'DDR3' }, want: good },
    { name: 'Pod with matchExpressions using Exists operator that matches the existing node', spec: { affinity: affinity([{ matchExpressions: [{ key: 'GPU', operator: 'Exists' }] }]) }, labels: { GPU: 'NVIDIA-GRID-K1' }, want: good },
    { name: "Pod with affinity that don't match node's labels won't schedule onto the node", spec: { affinity: affinity([{ matchExpressions: [{ key: 'foo', operator: 'In', values: ['value1', 'value2'] }] }]) }, labels: { foo: 'bar' }, want: bad },
    { name: 'Pod with empty MatchExpressions is not a valid value will match no objects and won\'t schedule onto the node', spec: { affinity: affinity([{ matchExpressions: [] }]) }, labels: { foo: 'bar' }, want: bad },
    { name: 'Gt with a non-integer label value does not match', spec: { affinity: affinity([{ matchExpressions: [{ key: 'kernel-version', operator: 'Gt', values: ['0204'] }] }]) }, labels: { 'kernel-version': 'abc' }, want: bad },
    { name: 'Pod with multiple NodeSelectorTerms ORed in affinity, matches the node\'s labels and will schedule onto the node', spec: { affinity: affinity([{ matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }] }, { matchExpressions: [{ key: 'diffkey', operator: 'In', values: ['wrong'] }] }]) }, labels: { foo: 'bar' }, want: good },
    { name: 'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied', spec: { nodeSelector: { foo: 'bar' }, affinity: affinity([{ matchExpressions: [{ key: 'foo', operator: 'Exists' }] }]) }, labels: { foo: 'bar' }, want: good },
    { name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node", spec: { nodeSelector: { foo: 'bar' }, affinity: affinity([{ matchExpressions: [{ key: 'foo', operator: 'Exists' }] }]) }, labels: { foo: 'barrrrrr' }, want: bad },
    { name: 'Pod with matchFields using In operator that matches the existing node', spec: { affinity: affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node1'] }] }]) }, labels: {}, nodeName: 'node1', want: good },
    { name: 'Pod with matchFields using In operator that does not match the existing node', spec: { affinity: affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node1'] }] }]) }, labels: {}, nodeName: 'node2', want: bad },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod('p', [], { spec: c.spec });
      expect(filterOf(pod, [makeNode(c.nodeName ?? 'n', {}, { labels: c.labels })], [], 'NodeAffinity')[0]).toEqual(c.want);
    });
  }
});

describe('NodeName, NodeUnschedulable, NodePorts filters', () => {
  it('NodeName: the pod fits only the node it names', () => {
    const got = filterOf(makePod('p', [], { spec: { nodeName: 'n2' } as any }), [makeNode('n1'), makeNode('n2')], [], 'NodeName');
    expect(got).toEqual([{ code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match the requested node name"] }, { code: 'Success', reasons: [] }]);
  });
  it('NodeUnschedulable: a cordoned node rejects pods unless they tolerate node.kubernetes.io/unschedulable', () => {
    const node = makeNode('n', {}, { unschedulable: true });
    expect(filterOf(makePod('p'), [node], [], 'NodeUnschedulable')[0]).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
    const tolerant = makePod('p', [], { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(filterOf(tolerant, [node], [], 'NodeUnschedulable')[0]).toEqual({ code: 'Success', reasons: [] });
  });
  const portPod = (name: string, hostPort: number, protocol: 'TCP' | 'UDP' = 'TCP', hostIP?: string, node?: string) =>
    makePod(name, [], { node, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, protocol, hostIP }] }] } });
  it.each([
    ['same port, same protocol, wildcard IPs conflict', portPod('p', 8080), portPod('e', 8080, 'TCP', undefined, 'n'), false],
    ['same port, different protocol', portPod('p', 8080, 'UDP'), portPod('e', 8080, 'TCP', undefined, 'n'), true],
    ['different IPs do not conflict', portPod('p', 8080, 'TCP', '127.0.0.1'), portPod('e', 8080, 'TCP', '127.0.0.2', 'n'), true],
    ['a specific IP conflicts with 0.0.0.0', portPod('p', 8080, 'TCP', '127.0.0.1'), portPod('e', 8080, 'TCP', '0.0.0.0', 'n'), false],
    ['different ports', portPod('p', 8081), portPod('e', 8080, 'TCP', undefined, 'n'), true],
  ])('NodePorts (node_ports_test.go): %s', (_n, pod, existing, fits) => {
    const got = filterOf(pod, [makeNode('n')], [existing], 'NodePorts')[0];
    expect(got).toEqual(fits ? { code: 'Success', reasons: [] } : { code: 'Unschedulable', reasons: ["node(s) didn't have free ports for the requested pod ports"] });
  });
});

describe('FitError message (framework/types.go FitError.Error)', () => {
  it('counts the first failing plugin per node, sorted as strings', () => {
    const nodes = [
      makeNode('small', { cpu: '1', memory: '1Gi' }),
      makeNode('t1', { cpu: '8', memory: '8Gi' }, { taints: [taint('key', 'value', 'NoSchedule')] }),
      makeNode('t2', { cpu: '8', memory: '8Gi' }, { taints: [taint('key', 'value', 'NoSchedule')] }),
    ];
    const r = runSchedulingCycle({ nodes, pod: makePod('p', [{ cpu: '2', memory: '1Gi' }]), plugins: ['TaintToleration', 'NodeResourcesFit'] });
    expect(r.selectedNode).toBeNull();
    expect(r.message).toBe('0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {key: value}.');
    expect(r.reasons).toEqual(['1 Insufficient cpu', '2 node(s) had untolerated taint {key: value}']);
  });
  it('with the default profile, the preemption verdict follows ("Preemption is not helpful" for unresolvable nodes)', () => {
    const nodes = [makeNode('a', { cpu: '1' }), makeNode('b', { cpu: '1' }, { taints: [taint('k', 'v', 'NoSchedule')] })];
    const r = runSchedulingCycle({ nodes, pod: makePod('p', [{ cpu: '2' }]) });
    expect(r.message).toBe('0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {k: v}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..');
  });
  it('a node failing two plugins reports only the first (upstream RunFilterPlugins stops there) but the table shows both', () => {
    const nodes = [makeNode('a', { cpu: '1' }, { taints: [taint('k', 'v', 'NoSchedule')] })];
    const r = runSchedulingCycle({ nodes, pod: makePod('p', [{ cpu: '2' }]), plugins: ['TaintToleration', 'NodeResourcesFit'] });
    expect(r.nodes[0]!.status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {k: v}'], plugin: 'TaintToleration' });
    expect(r.nodes[0]!.filters.NodeResourcesFit!.reasons).toEqual(['Insufficient cpu']);
    expect(r.message).toBe('0/1 nodes are available: 1 node(s) had untolerated taint {k: v}.');
  });
});
