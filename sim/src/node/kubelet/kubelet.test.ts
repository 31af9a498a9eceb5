/**
 * kubelet model tests. Expected values come from upstream (kubernetes master,
 * the v1.35 development line, same values in release-1.34):
 * pkg/kubelet/kubelet.go (crash-loop back-off 10 s doubling to 300 s,
 * HasExpiredFunc 600 s), client-go util/flowcontrol/backoff.go,
 * pkg/apis/core/v1/defaults.go SetDefaults_Probe, pkg/probe/http/http.go
 * (200 ≤ code < 400), pkg/kubelet/prober/worker.go, pkg/kubelet/eviction/
 * defaults_linux.go and cm/node_container_manager_linux.go.
 */
import { describe, expect, it } from 'vitest';
import {
  CrashLoopBackoff, PROBE_DEFAULTS, probeWithDefaults, REDUCED_INITIAL_CRASH_LOOP_BACKOFF_S, REDUCED_MAX_CRASH_LOOP_BACKOFF_S,
} from './defaults.ts';
import { computeAllocatable } from './nodestatus/allocatable.ts';
import { runProbe, ProbeWorker } from './prober/worker.ts';
import { parseBehaviour, emptyBehaviour } from './behaviour.ts';
import { admitPod } from './lifecycle/admit.ts';
import { runKubeletPod, DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR, type KubeletPodView } from './widget/run-kubelet-pod.ts';
import type { Node, Pod } from '../../api/objects.ts';

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

describe('crash-loop back-off (flowcontrol.Backoff as kubelet.go configures it)', () => {
  it.each([
    [1, 10], [2, 20], [3, 40], [4, 80], [5, 160], [6, 300], [7, 300], [8, 300],
  ])('Next #%i → %i s', (n, want) => {
    const b = new CrashLoopBackoff();
    let got = 0;
    for (let i = 0; i < n; i++) got = b.next('k', i * 10, i * 10);
    expect(got).toBe(want);
  });

  it('the reduced curve of ReduceDefaultCrashLoopBackOffDecay: 1 s doubling to 60 s', () => {
    const b = new CrashLoopBackoff(REDUCED_INITIAL_CRASH_LOOP_BACKOFF_S, REDUCED_MAX_CRASH_LOOP_BACKOFF_S);
    const seq = Array.from({ length: 8 }, (_, i) => b.next('k', i, i));
    expect(seq).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it.each([
    // [event (finishedAt), now, in back-off?]
    [100, 105, true], [100, 119, true], [100, 120, false], [100, 200, false],
  ])('after Next at 100 then Next at 100 (20 s): finished %i, now %i → %s', (eventTime, now, want) => {
    const b = new CrashLoopBackoff();
    b.next('k', 90, 90);
    b.next('k', 100, 100);
    expect(b.isInBackOffSince('k', eventTime, now)).toBe(want);
  });

  it('an entry is forgotten when the event comes more than 600 s after its last update', () => {
    const b = new CrashLoopBackoff();
    for (let i = 0; i < 6; i++) b.next('k', i, i);
    expect(b.get('k')).toBe(300);
    expect(b.isInBackOffSince('k', 606, 607)).toBe(false); // 606 − 5 > 600
    expect(b.next('k', 606, 607)).toBe(10);
    const c = new CrashLoopBackoff();
    for (let i = 0; i < 6; i++) c.next('k', i, i);
    expect(c.next('k', 605, 605)).toBe(300); // exactly 600 s: not expired
  });
});

describe('probe defaults (SetDefaults_Probe)', () => {
  it('an empty probe gets 0 / 1 / 10 / 1 / 3', () => {
    expect(PROBE_DEFAULTS).toEqual({ initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(probeWithDefaults({ periodSeconds: 5 })).toEqual({ ...PROBE_DEFAULTS, periodSeconds: 5 });
  });
});

describe('probe outcomes (pkg/probe)', () => {
  const c = { name: 'app', ports: [{ name: 'http', containerPort: 8080 }] };
  const spec = PROBE_DEFAULTS;
  const withCode = (code: number) => {
    const b = parseBehaviour(`at 0s: /h returns ${code}`, 'app');
    if (!b.ok) throw new Error('bad script');
    return runProbe({ httpGet: { path: '/h', port: 'http' } }, spec, c, '10.0.0.1', b.value, 5, 0).result;
  };
  it.each([[200, 'Success'], [204, 'Success'], [301, 'Success'], [399, 'Success'], [400, 'Failure'], [404, 'Failure'], [500, 'Failure'], [503, 'Failure'], [199, 'Failure']])('HTTP %i → %s', (code, want) => {
    expect(withCode(code)).toBe(want);
  });
  it('an answer slower than timeoutSeconds is a failure', () => {
    const b = parseBehaviour('at 0s: /h takes 2s', 'app');
    if (!b.ok) throw new Error('bad script');
    expect(runProbe({ httpGet: { path: '/h', port: 8080 } }, spec, c, 'ip', b.value, 5, 0).result).toBe('Failure');
    expect(runProbe({ httpGet: { path: '/h', port: 8080 } }, { ...spec, timeoutSeconds: 3 }, c, 'ip', b.value, 5, 0).result).toBe('Success');
  });
  it('tcpSocket: connection refused before the program listens and after the port closes', () => {
    const b = parseBehaviour('starts in 5s\nat 50s: port 8080 closed', 'app');
    if (!b.ok) throw new Error('bad script');
    expect(runProbe({ tcpSocket: { port: 8080 } }, spec, c, 'ip', b.value, 3, 0).result).toBe('Failure');
    expect(runProbe({ tcpSocket: { port: 8080 } }, spec, c, 'ip', b.value, 6, 0).result).toBe('Success');
    expect(runProbe({ tcpSocket: { port: 8080 } }, spec, c, 'ip', b.value, 50, 0).result).toBe('Failure');
  });
  it('exec: exit 0 succeeds, anything else fails', () => {
    const b = parseBehaviour('at 20s: exec cat /tmp/healthy exits 1', 'app');
    if (!b.ok) throw new Error('bad script');
    const p = { exec: { command: ['cat', '/tmp/healthy'] } };
    expect(runProbe(p, spec, c, 'ip', b.value, 10, 0).result).toBe('Success');
    expect(runProbe(p, spec, c, 'ip', b.value, 20, 0).result).toBe('Failure');
  });
});

describe('probe worker (prober/worker.go)', () => {
  const c = { name: 'app' };
  const broken = parseBehaviour('at 0s: /h returns 500', 'app');
  if (!broken.ok) throw new Error('bad script');
  const view = (startedAt = 0, started = true) => ({ id: 'c1', running: true, startedAt, started, terminated: false });

  it('liveness flips to Failure only after failureThreshold consecutive failures, then holds', () => {
    const w = new ProbeWorker('liveness', c, { httpGet: { path: '/h', port: 80 } }, 0);
    const kinds = [0, 10, 20, 30].map((t) => w.doProbe(view(), 'ip', broken.value, t));
    expect(kinds.map((k) => k.result)).toEqual(['Success', 'Success', 'Failure', 'Failure']);
    expect(kinds[2]!.kind).toBe('changed');
    expect(kinds[3]!.kind).toBe('skipped'); // on hold until the container is replaced
    const next = w.doProbe({ ...view(40), id: 'c2' }, 'ip', emptyBehaviour(), 40);
    expect(next.result).toBe('Success');
  });

  it('readiness starts as Failure and needs successThreshold successes', () => {
    const w = new ProbeWorker('readiness', c, { httpGet: { path: '/h', port: 80 }, successThreshold: 2 }, 0);
    const r = [0, 10, 20].map((t) => w.doProbe(view(), 'ip', emptyBehaviour(), t).result);
    expect(r).toEqual(['Failure', 'Success', 'Success']);
  });

  it('initialDelaySeconds and the startup gate skip probes', () => {
    const w = new ProbeWorker('liveness', c, { httpGet: { path: '/h', port: 80 }, initialDelaySeconds: 15 }, 0);
    expect(w.doProbe(view(), 'ip', broken.value, 10).kind).toBe('skipped');
    expect(w.doProbe(view(0, false), 'ip', broken.value, 20).reason).toBe('waiting for the startup probe');
    expect(w.doProbe(view(), 'ip', broken.value, 30).kind).toBe('probed');
  });
});

describe('allocatable (GetNodeAllocatableReservation)', () => {
  it.each([
    // capacity, kubeReserved, systemReserved, evictionHard → allocatable cpu m, memory bytes
    ['4', '8Gi', { cpu: '100m', memory: '256Mi' }, { cpu: '100m', memory: '256Mi' }, undefined, 3800, 8 * Gi - 512 * Mi - 100 * Mi],
    ['2', '4Gi', undefined, undefined, undefined, 2000, 4 * Gi - 100 * Mi],
    ['2', '4Gi', undefined, undefined, { 'memory.available': '10%' }, 2000, 4 * Gi - Math.floor(0.1 * 4 * Gi)],
    ['1', '256Mi', { memory: '200Mi' }, { memory: '200Mi' }, undefined, 1000, 0],
  ])('cpu %s memory %s', (cpu, memory, kubeReserved, systemReserved, evictionHard, wantCpu, wantMem) => {
    const r = computeAllocatable({ capacity: { cpu, memory }, ...(kubeReserved ? { kubeReserved } : {}), ...(systemReserved ? { systemReserved } : {}), ...(evictionHard ? { evictionHard } : {}) });
    expect(r.allocatable.milliCPU).toBe(wantCpu);
    expect(r.allocatable.memory).toBe(wantMem);
    expect(r.allocatable.pods).toBe(110);
  });
  it('nodefs.available 10% comes off ephemeral-storage', () => {
    const r = computeAllocatable({ capacity: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '100Gi' } });
    expect(r.allocatable.ephemeralStorage).toBe(100 * Gi - 10 * Gi);
  });
});

describe('admission (lifecycle/predicate.go)', () => {
  const node: Node = { metadata: { name: 'n1', labels: { disk: 'ssd' } }, status: { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } } };
  const pod = (cpu: string, extra: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }], ...extra } });
  it('rejects what does not fit allocatable, counting pods already admitted', () => {
    expect(admitPod(node, [], pod('600m')).admit).toBe(true);
    const r = admitPod(node, [pod('600m')], pod('600m'));
    expect(r).toMatchObject({ admit: false, reason: 'OutOfcpu' });
  });
  it('rejects a nodeSelector the node does not match', () => {
    expect(admitPod(node, [], pod('1m', { nodeSelector: { disk: 'hdd' } }))).toMatchObject({ admit: false, reason: 'NodeAffinity' });
    expect(admitPod(node, [], pod('1m', { nodeSelector: { disk: 'ssd' } })).admit).toBe(true);
  });
});

function run(pod: string, behaviour: string, seed = 1): KubeletPodView {
  const r = runKubeletPod({ pod, behaviour }, { seed });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const crashPod = (policy: string) => DEFAULT_KUBELET_POD.replace('restartPolicy: Always', `restartPolicy: ${policy}`);

describe('runKubeletPod', () => {
  it('default: registers the node, starts the pod through CRI with a CNI-assigned IP, and liveness restarts follow the back-off', () => {
    const v = run(DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR);
    expect(v.events[0]!.text).toContain('POST /api/v1/nodes node-1 → 201');
    const methods = v.events.filter((e) => e.kind === 'cri').map((e) => e.tag);
    expect(methods.slice(0, 4)).toEqual(['RunPodSandbox', 'PullImage', 'CreateContainer', 'StartContainer']);
    expect(v.pod.podIP).toMatch(/^10\.244\.1\.\d+$/);
    expect(v.events.find((e) => e.kind === 'cni')!.text).toContain(v.pod.podIP);
    expect(v.restarts.length).toBeGreaterThan(3);
    expect(v.restarts.every((r) => r.cause === 'liveness')).toBe(true);
    const nexts = v.events.filter((e) => e.tag?.startsWith('next:')).map((e) => Number(e.tag!.slice(5)));
    expect(nexts).toEqual(nexts.map((_, i) => Math.min(10 * 2 ** i, 300)));
    // Ready is False whenever the container is not running.
    for (const s of v.samples) if (s.states[0] !== 'r') expect(s.ready, `t=${s.t}`).toBe(false);
    // The Service endpoint follows Ready.
    for (const s of v.samples) expect(s.endpoint).toBe(s.ready ? 'ready' : 'notready');
    expect(v.summary.readyFlips.length).toBeGreaterThan(4);
  });

  it('property: a crashing program restarts after 0, then ≥ 10, 20, 40 … 300 s, each within one pod-worker retry (≤ 15 s) of its back-off', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const v = run(DEFAULT_KUBELET_POD, 'after 5s: exit 1\nrun 1200s', seed);
      const rs = v.restarts;
      expect(rs.length, `seed ${seed}`).toBeGreaterThan(6);
      rs.forEach((r, i) => {
        const b = i === 0 ? 0 : Math.min(10 * 2 ** (i - 1), 300);
        expect(r.cause).toBe('exit');
        expect(r.waitedS, `seed ${seed} restart ${i + 1}`).toBeGreaterThanOrEqual(b);
        expect(r.waitedS, `seed ${seed} restart ${i + 1}`).toBeLessThanOrEqual(b + 15);
      });
      expect(v.final.restartCounts[0], `seed ${seed}`).toBe(rs.length);
    }
  }, 60_000);

  it('the back-off resets when the next crash comes more than 600 s after the last restart', () => {
    const v = run(DEFAULT_KUBELET_POD, 'at 20s: exit 1\nat 40s: exit 1\nat 800s: exit 1\nrun 900s');
    expect(v.restarts.map((r) => r.waitedS)[0]).toBe(0);
    expect(v.restarts[1]!.waitedS).toBeGreaterThanOrEqual(10);
    expect(v.restarts[2]!.finishedAt).toBe(800);
    expect(v.restarts[2]!.waitedS).toBe(0);
    const nexts = v.events.filter((e) => e.tag?.startsWith('next:')).map((e) => e.tag);
    expect(nexts).toEqual(['next:10', 'next:20', 'next:10']);
  });

  it('restartPolicy decides: Never → Failed, OnFailure + exit 0 → Succeeded, OnFailure + exit 1 → restarted', () => {
    expect(run(crashPod('Never'), 'after 30s: exit 1\nrun 120s')).toMatchObject({ restarts: [], final: { phase: 'Failed', ready: false } });
    expect(run(crashPod('OnFailure'), 'after 30s: exit 0\nrun 120s')).toMatchObject({ restarts: [], final: { phase: 'Succeeded' } });
    expect(run(crashPod('OnFailure'), 'after 30s: exit 1\nrun 120s').restarts.length).toBeGreaterThan(0);
  });

  it('the alpha ReduceDefaultCrashLoopBackOffDecay gate shortens the waits to 1 s … 60 s', () => {
    const cfg = `${DEFAULT_KUBELET_POD}---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nfeatureGates:\n  ReduceDefaultCrashLoopBackOffDecay: true\n`;
    const v = run(cfg, 'after 5s: exit 1\nrun 600s');
    const nexts = v.events.filter((e) => e.tag?.startsWith('next:')).map((e) => Number(e.tag!.slice(5)));
    expect(nexts.slice(0, 8)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('a missing configMap keeps the pod in ContainerCreating without a sandbox', () => {
    const pod = DEFAULT_KUBELET_POD.replace('      emptyDir: {}', '      emptyDir: {}\n    - name: conf\n      configMap: { name: missing }');
    const v = run(pod, 'run 60s');
    expect(v.events.some((e) => e.kind === 'volume' && e.ok === false && e.text.includes('configmap "missing" not found'))).toBe(true);
    expect(v.events.some((e) => e.kind === 'cri')).toBe(false);
    expect(v.final).toMatchObject({ phase: 'Pending', waiting: ['ContainerCreating'] });
  });

  it('admission rejects a pod that asks for more than allocatable', () => {
    const v = run(DEFAULT_KUBELET_POD.replace('cpu: 250m', 'cpu: "4"'), 'run 30s');
    expect(v.pod.rejected?.reason).toBe('OutOfcpu');
    expect(v.final.phase).toBe('Failed');
  });

  it('is deterministic for a seed', () => {
    expect(JSON.stringify(run(DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR, 7))).toBe(JSON.stringify(run(DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR, 7)));
  });

  it('locates errors: YAML syntax, probe fields, behaviour lines', () => {
    const bad = runKubeletPod({ pod: 'apiVersion: v1\nkind: Pod\nmetadata: [\n', behaviour: '' }, { seed: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]!.line).toBeGreaterThan(0);
    const probe = runKubeletPod({ pod: DEFAULT_KUBELET_POD.replace('periodSeconds: 5', 'periodSeconds: 0'), behaviour: '' }, { seed: 1 });
    expect(probe.ok).toBe(false);
    if (!probe.ok) expect(probe.errors[0]).toMatchObject({ path: 'spec.containers[0].readinessProbe.periodSeconds', line: DEFAULT_KUBELET_POD.split('\n').findIndex((l) => l.includes('periodSeconds: 5')) + 1 });
    const beh = runKubeletPod({ pod: DEFAULT_KUBELET_POD, behaviour: 'run 60s\nat 10s: /healthz explodes' }, { seed: 1 });
    expect(beh.ok).toBe(false);
    if (!beh.ok) expect(beh.errors[0]).toMatchObject({ line: 2, column: 9 });
  });
});

describe('memory-pressure eviction order (eviction/helpers.go rankMemoryPressure)', () => {
  it('usage above requests first, then lower priority, then larger overshoot', async () => {
    const { rankMemoryPressure } = await import('./eviction/rank.ts');
    const pods = [
      { name: 'guaranteed', priority: 0, memoryRequestBytes: 512 * Mi, memoryUsageBytes: 500 * Mi },
      { name: 'besteffort', priority: 0, memoryRequestBytes: 0, memoryUsageBytes: 50 * Mi },
      { name: 'burstable-big', priority: 0, memoryRequestBytes: 100 * Mi, memoryUsageBytes: 400 * Mi },
      { name: 'critical-over', priority: 1000, memoryRequestBytes: 0, memoryUsageBytes: 900 * Mi },
    ];
    expect(rankMemoryPressure(pods).map((p) => p.name)).toEqual(['burstable-big', 'besteffort', 'critical-over', 'guaranteed']);
  });
});
