/**
 * Table from kubernetes/kubernetes pkg/kubelet/qos/policy_test.go
 * (TestGetContainerOOMScoreAdjust, current main; rows needing the alpha
 * DRANodeAllocatableResources gate are left out) and the gate-off column of
 * TestGetContainerOOMScoreAdjustTieBreak (the legacy formula).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod, ResourceList } from '../../src/api/objects.ts';
import { getContainerOOMScoreAdjust, GUARANTEED_OOM_SCORE_ADJ, BURSTABLE_OOM_SCORE_ADJ_MIN, KUBELET_OOM_SCORE_ADJ } from '../../src/node/kubelet/qos/policy.ts';
import { Prng } from '../../src/core/prng.ts';

const standardMemoryAmount = 8000000000;
const mem = (n: number | string) => String(n);
const c = (name: string, requests?: ResourceList, limits?: ResourceList, sidecar = false): Container => ({
  name,
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
  ...(sidecar ? { restartPolicy: 'Always' as const } : {}),
});
const podOf = (containers: Container[], initContainers?: Container[], extra: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  spec: { containers, ...(initContainers ? { initContainers } : {}), ...extra },
});

const defMemReq = mem(standardMemoryAmount / 8);
const defMemLim = mem(1000 + standardMemoryAmount / 8);
const defPodMemReq = mem(standardMemoryAmount / 4);
const defPodMemLim = mem(1000 + standardMemoryAmount / 4);
const sampleContainer = c('main-1', { memory: defMemReq }, { memory: defMemLim });
const sampleInit = c('init-container', { memory: defMemReq }, { memory: defMemLim });
const sidecar = c('sidecar-container', { memory: defMemReq }, { memory: defMemLim }, true);
const smallSidecar = c('sidecar-small-container', { memory: mem(standardMemoryAmount / 20) }, { memory: defMemLim }, true);
const bigSidecar = c('sidecar-big-container', { memory: mem(standardMemoryAmount / 2) }, { memory: defMemLim }, true);
const podRes = (memReq: string, memLim: string) => ({ requests: { cpu: '5m', memory: memReq }, limits: { cpu: '5m', memory: memLim } });
const g5 = (name: string, m: string) => c(name, { cpu: '5m', memory: m }, { cpu: '5m', memory: m });

type Row = [string, Pod, number, Record<string, [number, number]>];
const rows: Row[] = [
  ['cpu-limit', podOf([c('cpu-limit', undefined, { cpu: '10' })]), 4000000000, { 'cpu-limit': [999, 999] }],
  ['memory-limit-cpu-request', podOf([c('memory-limit-cpu-request', { cpu: '0' }, { memory: '10G' })]), 8000000000, { 'memory-limit-cpu-request': [999, 999] }],
  ['zero-memory-limit', podOf([c('zero-memory-limit', undefined, { memory: '0' })]), 7230457451, { 'zero-memory-limit': [1000, 1000] }],
  ['no-request-limit', podOf([c('no-request-limit')]), 4000000000, { 'no-request-limit': [1000, 1000] }],
  ['equal-request-limit-cpu-memory', podOf([c('equal-request-limit-cpu-memory', { memory: '10G', cpu: '5m' }, { cpu: '5m', memory: '10G' })]), 123456789, { 'equal-request-limit-cpu-memory': [-997, -997] }],
  ['cpu-unlimited-memory-limited-with-requests', podOf([c('cpu-unlimited-memory-limited-with-requests', { memory: mem(standardMemoryAmount / 2), cpu: '5m' }, { memory: '10G' })]), standardMemoryAmount, { 'cpu-unlimited-memory-limited-with-requests': [495, 505] }],
  ['request-no-limit', podOf([c('request-no-limit', { memory: mem(standardMemoryAmount - 1), cpu: '5m' })]), standardMemoryAmount, { 'request-no-limit': [3, 3] }],
  ['cluster-critical', podOf([c('cluster-critical')], undefined, { priorityClassName: 'system-cluster-critical', priority: 2000000000 }), 4000000000, { 'cluster-critical': [1000, 1000] }],
  ['node-critical', podOf([c('node-critical')], undefined, { priorityClassName: 'system-node-critical', priority: 2000001000 }), 4000000000, { 'node-critical': [-997, -997] }],
  ['burstable-unique-container-pod', podOf([c('burstable-unique-container', { memory: defMemReq }, { memory: defMemLim })]), standardMemoryAmount, { 'burstable-unique-container': [875, 880] }],
  ['burstable-mixed-unique-main-container-pod', podOf([sampleContainer], [sampleInit]), standardMemoryAmount, { 'init-container': [875, 880], 'main-1': [875, 880] }],
  ['burstable-mixed-multi-container-small-sidecar-pod', podOf([sampleContainer], [sampleInit, smallSidecar]), standardMemoryAmount, { 'init-container': [875, 880], 'sidecar-small-container': [875, 875], 'main-1': [875, 875] }],
  ['burstable-mixed-multi-container-sample-request-pod', podOf([sampleContainer], [sampleInit, sidecar]), standardMemoryAmount, { 'init-container': [875, 880], 'sidecar-container': [875, 875], 'main-1': [875, 875] }],
  ['burstable-mixed-multi-container-big-sidecar-container-pod', podOf([sampleContainer], [sampleInit, bigSidecar]), standardMemoryAmount, { 'init-container': [875, 880], 'sidecar-big-container': [500, 500], 'main-1': [875, 875] }],
  ['guaranteed-pod-resources-no-container-resources', podOf([c('no-request-limit-1'), c('no-request-limit-2')], undefined, { resources: podRes(defPodMemReq, defPodMemReq) }), 4000000000, { 'no-request-limit-1': [-997, -997], 'no-request-limit-2': [-997, -997] }],
  ['guaranteed-pod-resources-equal-container-resources', podOf([g5('guaranteed-container-1', defMemReq), g5('guaranteed-container-2', defMemReq)], undefined, { resources: podRes(defPodMemReq, defPodMemReq) }), 4000000000, { 'guaranteed-container-1': [-997, -997], 'guaranteed-container-2': [-997, -997] }],
  ['guaranteed-pod-resources-unequal-container-requests', podOf([c('burstable-container', { cpu: '3m', memory: defMemReq }, { cpu: '5m', memory: defMemLim }), c('best-effort-container')], undefined, { resources: podRes(defPodMemReq, defPodMemReq) }), 4000000000, { 'burstable-container': [-997, -997], 'best-effort-container': [-997, -997] }],
  ['burstable-pod-resources-no-container-resources', podOf([c('no-request-limit-1'), c('no-request-limit-2')], undefined, { resources: podRes(defPodMemReq, defPodMemLim) }), 4000000000, { 'no-request-limit-1': [750, 750], 'no-request-limit-2': [750, 750] }],
  ['burstable-pod-resources-equal-container-requests', podOf([g5('guaranteed-container-1', defMemReq), g5('guaranteed-container-2', defMemReq)], undefined, { resources: podRes(defPodMemReq, defPodMemLim) }), 4000000000, { 'guaranteed-container-1': [750, 750], 'guaranteed-container-2': [750, 750] }],
  ['burstable-pod-resources-unequal-container-requests', podOf([c('burstable-container', { cpu: '3m', memory: defMemReq }, { cpu: '5m', memory: defMemReq }), c('best-effort-container')], undefined, { resources: podRes(defPodMemReq, defPodMemLim) }), 4000000000, { 'burstable-container': [625, 625], 'best-effort-container': [875, 875] }],
  ['burstable-pod-resources-no-container-resources-with-sidecar', podOf([c('no-request-limit')], [c('no-request-limit-sidecar', undefined, undefined, true)], { resources: podRes(defPodMemReq, defPodMemLim) }), 4000000000, { 'no-request-limit': [750, 750], 'no-request-limit-sidecar': [750, 750] }],
  ['burstable-pod-resources-equal-container-requests-with-sidecar', podOf([c('burstable-container', { cpu: '5m', memory: defMemReq }, { cpu: '5m', memory: defMemLim })], [c('burstable-sidecar', { cpu: '5m', memory: defMemReq }, { cpu: '5m', memory: defMemLim }, true)], { resources: podRes(defPodMemReq, defPodMemLim) }), 4000000000, { 'burstable-container': [750, 750], 'burstable-sidecar': [750, 750] }],
  ['burstable-pod-resources-unequal-container-requests-with-sidecar', podOf([c('burstable-container-1', { cpu: '5m', memory: '1000000000' }, { cpu: '5m', memory: defPodMemLim }), c('burstable-container-2', { cpu: '5m', memory: '500000000' }, { cpu: '5m', memory: defPodMemLim })], [c('burstable-sidecar', { cpu: '5m', memory: '200000000' }, { cpu: '5m', memory: defPodMemLim }, true)], { resources: podRes('2000000000', defPodMemLim) }), 4000000000, { 'burstable-container-1': [725, 725], 'burstable-container-2': [850, 850], 'burstable-sidecar': [850, 850] }],
  ['burstable-pod-with-dra-disabled', podOf([c('c1', { memory: '500Mi' })]), 4000000000, { c1: [869, 869] }],
];

describe('getContainerOOMScoreAdjust (policy_test.go TestGetContainerOOMScoreAdjust)', () => {
  for (const [name, pod, capacity, want] of rows) {
    it(name, () => {
      const all = [...(pod.spec!.initContainers ?? []), ...pod.spec!.containers!];
      for (const container of all) {
        const [lo, hi] = want[container.name!]!;
        const adj = getContainerOOMScoreAdjust(pod, container, capacity);
        expect(adj, container.name).toBeGreaterThanOrEqual(lo);
        expect(adj, container.name).toBeLessThanOrEqual(hi);
      }
    });
  }
});

describe('legacy column of TestGetContainerOOMScoreAdjustTieBreak (gate off)', () => {
  const Mi = 1 << 20;
  const Gi = 2 ** 30;
  const Ti = 2 ** 40;
  const tb = (name: string, req: number, lim: number): Container => ({ name, resources: { requests: { memory: String(req) }, ...(lim > 0 ? { limits: { memory: String(lim) } } : {}) } });
  const cases: [string, number, Pod, number, Container?][] = [
    ['16Gi node, 500Mi unlimited', 16 * Gi, podOf([tb('c', 500 * Mi, 0)]), 970],
    ['16Gi node, 500Mi request equals limit', 16 * Gi, podOf([tb('c', 500 * Mi, 500 * Mi)]), 970],
    ['1Ti node, 50Mi unlimited', Ti, podOf([tb('c', 50 * Mi, 0)]), 999],
    ['1Ti node, 4Gi unlimited', Ti, podOf([tb('c', 4 * Gi, 0)]), 997],
    ['1Ti node, 16Gi unlimited', Ti, podOf([tb('c', 16 * Gi, 0)]), 985],
    ['4Ti node, 64Gi unlimited', 4 * Ti, podOf([tb('c', 64 * Gi, 0)]), 985],
  ];
  const sidecarC = { ...tb('sidecar', 50 * Mi, 0), restartPolicy: 'Always' as const };
  const sidecarPod = podOf([tb('small-bounded', 50 * Mi, 50 * Mi), tb('large-unbounded', 16 * Gi, 0)], [sidecarC]);
  cases.push(['1Ti node, sidecar capped at the smallest regular request', Ti, sidecarPod, 999, sidecarC]);
  const podLevel = (limit: string): Pod => podOf([{ name: 'c', resources: { requests: { cpu: '100m' } } }], undefined, { resources: { requests: { memory: '2Gi' }, limits: { memory: limit } } });
  cases.push(['1Ti node, pod-level limit above the share', Ti, podLevel('4Gi'), 999]);
  cases.push(['1Ti node, pod-level limit equal to the share', Ti, podLevel('2Gi'), 999]);
  for (const [name, cap, pod, want, container] of cases) {
    it(name, () => expect(getContainerOOMScoreAdjust(pod, container ?? pod.spec!.containers![0]!, cap)).toBe(want));
  }
});

describe('oom_score_adj properties', () => {
  it('every Burstable container lands in [3, 999]; Guaranteed -997; BestEffort 1000 (200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const prng = new Prng(seed);
      const capacity = prng.intBetween(1, 64) * 2 ** 30;
      const req = prng.intBetween(0, 80) * 2 ** 30 / 8;
      const lim = prng.chance(0.5) ? req + prng.intBetween(1, 8) * 2 ** 27 : 0;
      const pod = podOf([{ name: 'a', resources: { requests: { cpu: '100m', ...(req ? { memory: String(req) } : {}) }, ...(lim ? { limits: { memory: String(lim) } } : {}) } }]);
      const adj = getContainerOOMScoreAdjust(pod, pod.spec!.containers![0]!, capacity);
      const ok = adj >= BURSTABLE_OOM_SCORE_ADJ_MIN && adj <= 999;
      if (!ok) throw new Error(`seed ${seed}: adj ${adj} outside [3, 999]`);
      const expected = Math.min(999, Math.max(3, 1000 - Math.floor((1000 * req) / capacity)));
      if (adj !== expected) throw new Error(`seed ${seed}: adj ${adj}, expected ${expected}`);
    }
  });
  it('a static pod needs system-node-critical too; kubelet itself runs at -999', () => {
    const p: Pod = { metadata: { annotations: { 'kubernetes.io/config.source': 'file' } }, spec: { containers: [{ name: 'etcd' }] } };
    expect(getContainerOOMScoreAdjust(p, p.spec!.containers![0]!, 8e9)).toBe(1000);
    p.spec!.priorityClassName = 'system-node-critical';
    expect(getContainerOOMScoreAdjust(p, p.spec!.containers![0]!, 8e9)).toBe(GUARANTEED_OOM_SCORE_ADJ);
    expect(KUBELET_OOM_SCORE_ADJ).toBe(-999);
  });
});
