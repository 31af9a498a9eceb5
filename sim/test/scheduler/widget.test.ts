/**
 * runSchedulerWidget: the DEFAULT story, what changes when the student edits
 * the profile, and located errors.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULER_NODES_YAML as NODES, DEFAULT_SCHEDULER_POD_YAML as POD, DEFAULT_SCHEDULER_PROFILE_YAML as PROFILE, runSchedulerWidget } from '../../src/index.ts';

describe('runSchedulerWidget', () => {
  it('default story: node-c too small, node-gpu tainted, node-b beats SSD node-a on spread and free room', () => {
    const r = runSchedulerWidget({ nodesYaml: NODES, podYaml: POD, profileYaml: PROFILE }, { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value;
    expect(v.selectedNode).toBe('node-b');
    const row = (n: string) => v.rows.find((x) => x.node === n)!;
    expect(row('node-c').verdict).toBe('filtered');
    expect(row('node-c').why).toBe('filtered out by NodeResourcesFit: Insufficient cpu');
    expect(row('node-gpu').why).toBe('filtered out by TaintToleration: node(s) had untolerated taint {nvidia.com/gpu: true}');
    expect(row('node-a').verdict).toBe('lower-score');
    expect(row('node-a').scores!.find((s) => s.plugin === 'NodeAffinity')!.score).toBe(100);
    expect(row('node-b').scores!.find((s) => s.plugin === 'PodTopologySpread')!.score).toBe(100);
    expect(row('node-a').total!).toBeLessThan(row('node-b').total!);
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });
  it('switching to MostAllocated packs the pod onto busy node-a', () => {
    const r = runSchedulerWidget({ nodesYaml: NODES, podYaml: POD, profileYaml: PROFILE.replace('LeastAllocated', 'MostAllocated') });
    expect(r.ok && r.value.selectedNode).toBe('node-a');
  });
  it('a pod too big for every node stays Pending with upstream\'s message', () => {
    const r = runSchedulerWidget({ nodesYaml: NODES, podYaml: POD.replace('cpu: 1500m', 'cpu: "64"'), profileYaml: '' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.selectedNode).toBeNull();
    expect(r.value.message).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: true}, 3 Insufficient cpu. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..',
    );
  });
  it('errors are located: a bad quantity in the nodes, an unknown plugin in the profile', () => {
    const r = runSchedulerWidget({ nodesYaml: NODES.replace('allocatable: {cpu: "1"', 'allocatable: {cpu: "1x"'), podYaml: POD, profileYaml: PROFILE.replace('name: NodeAffinity', 'name: NodeAfinity') });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const q = r.errors.find((e) => e.path === 'status.allocatable.cpu')!;
    expect(q.line).toBe(32);
    expect(q.message.startsWith('nodes: ')).toBe(true);
    expect(r.errors.some((e) => e.path === 'profiles[0].plugins.score.enabled[1].name' && e.line === 11 && e.message.startsWith('profile: '))).toBe(true);
  });
  it('a YAML syntax error in the pod carries line and column', () => {
    const r = runSchedulerWidget({ nodesYaml: NODES, podYaml: 'kind: Pod\nmetadata: {name: [\n', profileYaml: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.line).toBeGreaterThan(0);
  });
});
