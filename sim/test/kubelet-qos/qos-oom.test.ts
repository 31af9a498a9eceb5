/**
 * runQosOom: QoS class (qos.go), oom_score_adj (policy.go), oom_score
 * (mm/oom_kill.c oom_badness + fs/proc/base.c) and the node OOM kill order.
 */
import { describe, expect, it } from 'vitest';
import { runQosOom, DEFAULT_QOS_OOM } from '../../src/node/kubelet/qos/qos-oom.ts';

const Gi = 2 ** 30;

describe('runQosOom', () => {
  it('default story: the over-request Burstable app dies before the BestEffort job; the Guaranteed db is last among pods', () => {
    const r = runQosOom(DEFAULT_QOS_OOM, { memoryCapacityBytes: 4 * Gi, seed: 1 });
    if (!r.ok) throw new Error(r.errors[0]!.message);
    const v = r.value;
    expect(v.pods.map((p) => [p.name, p.qosClass])).toEqual([['db', 'Guaranteed'], ['web', 'Burstable'], ['batch', 'BestEffort']]);
    const adj = Object.fromEntries(v.processes.map((p) => [p.comm, p.oomScoreAdj]));
    expect(adj).toMatchObject({ postgres: -997, app: 938, 'log-shipper': 938, job: 1000, kubelet: -999, containerd: -999 });
    expect(v.killOrder.map((k) => k.comm)).toEqual(['app', 'job', 'log-shipper', 'postgres', 'kubelet', 'containerd']);
    // oom_score = (1000 + badness·1000/totalpages)·2/3; app: 800Mi rss + 400 pgtable pages + 938·1048 = 1188224 pages
    const app = v.processes.find((p) => p.comm === 'app')!;
    expect(app.badnessPages).toBe(204800 + 400 + 938 * 1048);
    expect(app.oomScore).toBe(Math.trunc(((1000 + Math.trunc((app.badnessPages! * 1000) / v.totalPages)) * 2) / 3));
    expect(v.processes.find((p) => p.hostPid === 1)!.oomScore).toBe(0);
    expect(v.pods[0]!.cgroupPath).toMatch(/^\/kubepods\.slice\/kubepods-pod[0-9a-f_]+\.slice$/);
  });
  it('limits-only containers are defaulted by the apiserver and become Guaranteed', () => {
    const r = runQosOom('kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources:\n      limits: {cpu: 500m, memory: 512Mi}\n');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    expect(r.value.pods[0]!.qosClass).toBe('Guaranteed');
    expect(r.value.pods[0]!.defaulted).toEqual(['spec.containers[0].resources.requests.cpu', 'spec.containers[0].resources.requests.memory']);
    expect(r.value.processes.find((p) => p.comm === 'a')!.oomScoreAdj).toBe(-997);
  });
  it('a container using more than its limit is killed by its own cgroup, not by the node', () => {
    const r = runQosOom('kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources:\n      requests: {memory: 100Mi}\n      limits: {memory: 200Mi}\n    usage: 300Mi\n');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    expect(r.value.cgroupOomKills.map((k) => k.container)).toEqual(['a']);
    expect(r.value.killOrder.some((k) => k.comm === 'a')).toBe(false);
  });
  it('a bigger node shifts Burstable scores: oom_score_adj depends on memory capacity', () => {
    const pod = 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources:\n      requests: {memory: 1Gi}\n';
    const small = runQosOom(pod, { memoryCapacityBytes: 4 * Gi });
    const big = runQosOom(pod, { memoryCapacityBytes: 64 * Gi });
    if (!small.ok || !big.ok) throw new Error('run failed');
    expect(small.value.processes.find((p) => p.comm === 'a')!.oomScoreAdj).toBe(750);
    expect(big.value.processes.find((p) => p.comm === 'a')!.oomScoreAdj).toBe(985);
  });
  it('bad quantities are located by field path and line', () => {
    const r = runQosOom('kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    resources:\n      requests: {memory: 1Gb}\n    usage: lots\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.path, e.line])).toEqual([['spec.containers[0].resources.requests.memory', 7], ['spec.containers[0].usage', 8]]);
  });
  it('rejects a non-Pod document and absurd capacities', () => {
    const r = runQosOom('kind: Deployment\nmetadata: {name: d}\nspec:\n  containers: [{name: a}]\n');
    expect(!r.ok && r.errors[0]!.path).toBe('kind');
    expect(runQosOom(DEFAULT_QOS_OOM, { memoryCapacityBytes: 10 }).ok).toBe(false);
  });
});
