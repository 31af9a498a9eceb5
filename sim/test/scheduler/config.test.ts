/**
 * KubeSchedulerConfiguration parsing, after pkg/scheduler/apis/config/v1
 * defaults, validation and default_plugins_test.go mergePlugins cases
 * (Kubernetes v1.34).
 */
import { describe, expect, it } from 'vitest';
import { parseSchedulerConfiguration, runSchedulingCycle } from '../../src/index.ts';
import { makeNode, makePod } from './helpers.ts';

const head = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n';

describe('parseSchedulerConfiguration', () => {
  it('empty text is the default configuration (adaptive sampling, backoff 1s/10s, one default profile)', () => {
    const r = parseSchedulerConfiguration('');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.percentageOfNodesToScore).toBe(0);
    expect(r.value.podInitialBackoffSeconds).toBe(1);
    expect(r.value.podMaxBackoffSeconds).toBe(10);
    expect(r.value.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler']);
  });
  it('disabling a score plugin and re-weighting another (mergePlugins keeps default order)', () => {
    const r = parseSchedulerConfiguration(`${head}profiles:
- plugins:
    score:
      disabled:
      - name: ImageLocality
      enabled:
      - name: NodeResourcesFit
        weight: 5
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const res = runSchedulingCycle({ nodes: [makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '4' })], pod: makePod('p', [{ cpu: '1' }]), profile: r.value.profiles[0] });
    const w = Object.fromEntries(res.scorePlugins.map((s) => [s.name, s.weight]));
    expect(w.NodeResourcesFit).toBe(5);
    expect('ImageLocality' in w).toBe(false);
    // A plugin enabled for the specific extension point runs first (override part of expandMultiPointPlugins).
    expect(res.scorePlugins[0]!.name).toBe('NodeResourcesFit');
  });
  it('disabled "*" turns off every default plugin of that extension point', () => {
    const r = parseSchedulerConfiguration(`${head}profiles:
- plugins:
    score:
      disabled: [{name: "*"}]
`);
    expect(r.ok && runSchedulingCycle({ nodes: [makeNode('a')], pod: makePod('p'), profile: r.value.profiles[0] }).scorePlugins).toEqual([]);
  });
  it('MostAllocated scoring strategy bin-packs', () => {
    const r = parseSchedulerConfiguration(`${head}profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const nodes = [makeNode('empty', { cpu: '4', memory: '8Gi' }), makeNode('busy', { cpu: '4', memory: '8Gi' })];
    const pods = [makePod('x', [{ cpu: '2', memory: '4Gi' }], { node: 'busy' })];
    expect(runSchedulingCycle({ nodes, pods, pod: makePod('p', [{ cpu: '1', memory: '1Gi' }]), profile: r.value.profiles[0] }).selectedNode).toBe('busy');
    expect(runSchedulingCycle({ nodes, pods, pod: makePod('p', [{ cpu: '1', memory: '1Gi' }]) }).selectedNode).toBe('empty');
  });
  it('RequestedToCapacityRatio needs a sorted shape', () => {
    const r = parseSchedulerConfiguration(`${head}profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: RequestedToCapacityRatio
        requestedToCapacityRatio:
          shape:
          - {utilization: 50, score: 5}
          - {utilization: 10, score: 10}
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.path).toBe('profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].utilization');
    expect(r.errors[0]!.line).toBe(12);
    expect(r.errors[0]!.message).toContain('sorted in increasing order');
  });
  it.each([
    ['percentageOfNodesToScore: 101\n', 'percentageOfNodesToScore', 3, 'not in valid range [0-100]'],
    ['profiles:\n- plugins:\n    score:\n      enabled:\n      - name: NoSuchPlugin\n', 'profiles[0].plugins.score.enabled[0].name', 7, 'does not exist'],
    ['profiles:\n- plugins:\n    filtr: {}\n', 'profiles[0].plugins.filtr', 5, 'unknown field'],
    [
      'profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n        resources:\n        - {name: cpu, weight: 101}\n',
      'profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight',
      9,
      'should be in range [1, 100]',
    ],
    ['profiles:\n- plugins:\n    queueSort:\n      disabled: [{name: "*"}]\n', 'profiles[0].plugins', 5, 'one queue sort plugin required'],
  ])('located error for %j', (body, path, line, text) => {
    const r = parseSchedulerConfiguration(head + body);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.path).toBe(path);
    expect(r.errors[0]!.line).toBe(line);
    expect(r.errors[0]!.message).toContain(text);
  });
  it('YAML syntax errors keep their line and column', () => {
    const r = parseSchedulerConfiguration(`${head}profiles: [\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.line).toBeGreaterThan(0);
  });
});
