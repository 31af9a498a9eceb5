/**
 * Widget runner for Layer 3 "kubelet": one node, one Pod, a scripted program.
 *
 * Input: (1) YAML with a Pod (probes, restartPolicy), optionally a Service
 * that selects it and a KubeletConfiguration (kubeReserved, systemReserved,
 * evictionHard, featureGates.ReduceDefaultCrashLoopBackOffDecay); (2) a
 * behaviour script (behaviour.ts). The run: an apiserver, a node with a
 * containerd (Layer 2), the kubelet registering the node, the Pod created
 * with spec.nodeName already set (as if the scheduler had bound it), then
 * `run` seconds of kubelet ticks. Output: the event timeline (watch,
 * admission, volumes, CRI calls, CNI, probes, kills, back-off, status
 * writes), one sample per second, the restarts with the back-off each
 * waited, and the node's allocatable arithmetic.
 */
import { parseYaml } from '../../../api/yaml.ts';
import type { Pod, Probe } from '../../../api/objects.ts';
import { Clock } from '../../../core/clock.ts';
import { Prng } from '../../../core/prng.ts';
import { fail, ok, simError, type Result, type SimError } from '../../../core/result.ts';
import { ApiServer } from '../../../controlplane/apiserver/apiserver.ts';
import type { KObject } from '../../../controlplane/apiserver/object.ts';
import { LinuxKernel } from '../../../runtime/kernel-adapter.ts';
import { Containerd } from '../../../runtime/cri/containerd.ts';
import { parseBehaviour } from '../behaviour.ts';
import {
  INITIAL_CRASH_LOOP_BACKOFF_S, MAX_CRASH_LOOP_BACKOFF_S, REDUCED_INITIAL_CRASH_LOOP_BACKOFF_S, REDUCED_MAX_CRASH_LOOP_BACKOFF_S, probeWithDefaults,
} from '../defaults.ts';
import { Kubelet, type KubeletEvent } from '../kubelet.ts';
import type { AllocatableBreakdown } from '../nodestatus/allocatable.ts';

export const KUBELET_POD_MAX_CONTAINERS = 4;
export const KUBELET_POD_NODE = 'node-1';
export const KUBELET_POD_NODE_CAPACITY = { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi', pods: 110 };

export const DEFAULT_KUBELET_POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
  labels:
    app: web
spec:
  restartPolicy: Always
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 8080
      resources:
        requests: { cpu: 250m, memory: 128Mi }
        limits: { memory: 256Mi }
      startupProbe:
        tcpSocket: { port: 8080 }
        periodSeconds: 2
        failureThreshold: 15
      livenessProbe:
        httpGet: { path: /healthz, port: 8080 }
      readinessProbe:
        httpGet: { path: /ready, port: 8080 }
        periodSeconds: 5
  volumes:
    - name: cache
      emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
`;

export const DEFAULT_KUBELET_BEHAVIOUR = `# What the program in the container does (see the text for every form).
starts in 6s                 # nothing answers for 6 s after each start
at 90s: /ready returns 503   # a dependency goes away: not ready...
at 120s: /ready returns 200  # ...and comes back
at 200s: /healthz returns 500  # from 200 s on, /healthz is broken for good
run 900s
`;

/** The state from second `t` until the next sample's `t` (samples are taken only when the kubelet had work). */
export interface KubeletPodSample {
  t: number;
  phase: string;
  ready: boolean;
  /** Per container: r running, w waiting, t terminated, - nothing yet. */
  states: string[];
  restarts: number[];
  endpoint: 'ready' | 'notready' | 'none';
}

export interface KubeletPodRestart {
  container: string;
  restartCount: number;
  /** When the previous instance finished and when this one started (seconds). */
  finishedAt: number;
  startedAt: number;
  waitedS: number;
  /** Why the previous instance ended. */
  cause: 'liveness' | 'startup' | 'exit';
  exitCode: number;
}

export interface KubeletPodView {
  node: { name: string; breakdown: AllocatableBreakdown; evictionHard: Record<string, string> };
  pod: { name: string; uid: string; podIP: string; containers: string[]; restartPolicy: string; rejected?: { reason: string; message: string } };
  probes: { container: string; type: string; handler: string; periodSeconds: number; timeoutSeconds: number; failureThreshold: number; successThreshold: number; initialDelaySeconds: number }[];
  service?: { name: string; selector: Record<string, string> };
  backoff: { initialS: number; maxS: number; reduced: boolean };
  events: KubeletEvent[];
  samples: KubeletPodSample[];
  restarts: KubeletPodRestart[];
  final: { phase: string; ready: boolean; restartCounts: number[]; waiting: string[]; endpoint: 'ready' | 'notready' | 'none' };
  /** Summary numbers the prose uses. */
  summary: {
    runS: number;
    firstReadyAt: number | null;
    readyFlips: { t: number; ready: boolean }[];
    firstLivenessFailureAt: number | null;
    criCalls: number;
    statusWrites: number;
  };
}

function validateProbe(y: { errorAt(path: string, code: string, msg: string): SimError }, path: string, p: Probe, type: string, errors: SimError[]): void {
  const handlers = ['httpGet', 'tcpSocket', 'exec', 'grpc'].filter((h) => (p as Record<string, unknown>)[h] !== undefined);
  if (handlers.length !== 1) errors.push(y.errorAt(path, 'FIELD_INVALID', `${type} must specify exactly one handler (httpGet, tcpSocket, exec or grpc), found ${handlers.length}`));
  const nums: [keyof Probe, number][] = [['initialDelaySeconds', 0], ['timeoutSeconds', 1], ['periodSeconds', 1], ['successThreshold', 1], ['failureThreshold', 1]];
  for (const [k, min] of nums) {
    const v = p[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) errors.push(y.errorAt(`${path}.${k}`, 'FIELD_INVALID', `${k} must be an integer ≥ ${min}`));
    else if (v > 3600) errors.push(y.errorAt(`${path}.${k}`, 'LIMIT_EXCEEDED', `${k}: this widget allows at most 3600`));
  }
  if (type !== 'readinessProbe' && p.successThreshold !== undefined && p.successThreshold !== 1) errors.push(y.errorAt(`${path}.successThreshold`, 'FIELD_INVALID', `successThreshold must be 1 for ${type} (validation.go validateProbe)`));
  if (p.httpGet && p.httpGet.port === undefined) errors.push(y.errorAt(`${path}.httpGet`, 'FIELD_REQUIRED', 'httpGet.port is required'));
  if (p.tcpSocket && p.tcpSocket.port === undefined) errors.push(y.errorAt(`${path}.tcpSocket`, 'FIELD_REQUIRED', 'tcpSocket.port is required'));
  if (p.exec && !(p.exec.command?.length)) errors.push(y.errorAt(`${path}.exec`, 'FIELD_REQUIRED', 'exec.command is required'));
}

function selectorMatches(sel: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const keys = Object.keys(sel);
  return keys.length > 0 && keys.every((k) => labels?.[k] === String(sel[k]));
}

export function runKubeletPod(texts: { pod: string; behaviour: string }, options: { seed: number }): Result<KubeletPodView> {
  const parsed = parseYaml(texts.pod);
  if (!parsed.ok) return fail(parsed.errors.map((e) => ({ ...e, file: 'pod' })) as SimError[]);
  const y = parsed.value;
  const errors: SimError[] = [];
  const podIdx = y.docs.findIndex((d) => (d as { kind?: string } | null)?.kind === 'Pod');
  if (podIdx < 0) return fail(simError('FIELD_REQUIRED', 'expected a document with kind: Pod', { line: 1, column: 1 }));
  const at = (path: string, code: string, msg: string) => y.errorAt(path, code, msg, podIdx);
  const pod = JSON.parse(JSON.stringify(y.docs[podIdx])) as Pod;
  const name = pod.metadata?.name;
  if (!name) errors.push(at('metadata', 'FIELD_REQUIRED', 'metadata.name is required'));
  const containers = pod.spec?.containers ?? [];
  if (!Array.isArray(containers) || containers.length === 0) errors.push(at('spec', 'FIELD_REQUIRED', 'spec.containers must list at least one container'));
  if (containers.length > KUBELET_POD_MAX_CONTAINERS) errors.push(at('spec.containers', 'LIMIT_EXCEEDED', `this widget runs at most ${KUBELET_POD_MAX_CONTAINERS} containers`));
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(policy)) errors.push(at('spec.restartPolicy', 'FIELD_INVALID', `restartPolicy must be Always, OnFailure or Never, got ${JSON.stringify(policy)}`));
  const probes: KubeletPodView['probes'] = [];
  containers.forEach((c, i) => {
    if (!c.name) errors.push(at(`spec.containers[${i}]`, 'FIELD_REQUIRED', 'container name is required'));
    if (!c.image) errors.push(at(`spec.containers[${i}]`, 'FIELD_REQUIRED', 'image is required'));
    for (const type of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
      const p = c[type];
      if (!p) continue;
      if (typeof p !== 'object') {
        errors.push(at(`spec.containers[${i}].${type}`, 'FIELD_INVALID', `${type} must be an object`));
        continue;
      }
      validateProbe({ errorAt: at }, `spec.containers[${i}].${type}`, p, type, errors);
      const d = probeWithDefaults(p);
      const handler = p.httpGet ? `GET ${p.httpGet.path ?? '/'} :${p.httpGet.port}` : p.tcpSocket ? `TCP :${p.tcpSocket.port}` : p.exec ? `exec ${(p.exec.command ?? []).join(' ')}` : p.grpc ? `gRPC :${p.grpc.port}` : '?';
      probes.push({ container: c.name ?? '', type: type.replace('Probe', ''), handler, ...d });
    }
  });
  // Optional KubeletConfiguration and Service documents.
  let kubeReserved: Record<string, string> = { cpu: '100m', memory: '256Mi' };
  let systemReserved: Record<string, string> = { cpu: '100m', memory: '256Mi' };
  let evictionHard: Record<string, string> = { 'memory.available': '100Mi', 'nodefs.available': '10%' };
  let reduced = false;
  let service: KubeletPodView['service'];
  y.docs.forEach((d, i) => {
    const doc = d as { kind?: string; metadata?: { name?: string }; spec?: { selector?: Record<string, string> }; kubeReserved?: Record<string, string>; systemReserved?: Record<string, string>; evictionHard?: Record<string, string>; featureGates?: Record<string, boolean> } | null;
    if (!doc || i === podIdx) return;
    if (doc.kind === 'Service') service = { name: doc.metadata?.name ?? 'service', selector: Object.fromEntries(Object.entries(doc.spec?.selector ?? {}).map(([k, v]) => [k, String(v)])) };
    else if (doc.kind === 'KubeletConfiguration') {
      if (doc.kubeReserved) kubeReserved = doc.kubeReserved;
      if (doc.systemReserved) systemReserved = doc.systemReserved;
      if (doc.evictionHard) evictionHard = doc.evictionHard;
      reduced = doc.featureGates?.ReduceDefaultCrashLoopBackOffDecay === true;
    } else errors.push(y.errorAt('kind', 'FIELD_INVALID', `kind ${JSON.stringify(doc.kind)}: this widget reads a Pod, a Service and a KubeletConfiguration`, i));
  });
  if (errors.length) return fail(errors);
  const behaviour = parseBehaviour(texts.behaviour, containers[0]!.name!);
  if (!behaviour.ok) return fail(behaviour.errors.map((e) => ({ ...e, file: 'behaviour' })) as SimError[]);
  const known = new Set(containers.map((c) => c.name));
  for (const r of behaviour.value.rules) {
    if (!known.has(r.container)) return fail({ code: 'FIELD_INVALID', message: `the Pod has no container named "${r.container}"`, line: r.line, column: 1, file: 'behaviour' } as SimError);
  }

  const prng = new Prng(options.seed);
  const clock = new Clock();
  const api = new ApiServer({ seed: prng.nextUint32(), nowSeconds: () => clock.nowTicks });
  const kernel = new LinuxKernel({ hostname: KUBELET_POD_NODE, firstFreeHostPid: 1200 });
  const runtime = new Containerd(kernel, clock, prng.fork());
  const backoff = reduced ? { initialS: REDUCED_INITIAL_CRASH_LOOP_BACKOFF_S, maxS: REDUCED_MAX_CRASH_LOOP_BACKOFF_S } : { initialS: INITIAL_CRASH_LOOP_BACKOFF_S, maxS: MAX_CRASH_LOOP_BACKOFF_S };
  let kubelet: Kubelet;
  try {
    kubelet = new Kubelet({
      nodeName: KUBELET_POD_NODE, api, runtime, clock, prng: prng.fork(),
      resources: { capacity: KUBELET_POD_NODE_CAPACITY, kubeReserved, systemReserved, evictionHard },
      behaviourFor: () => behaviour.value, backoff,
    });
  } catch (e) {
    return fail(y.errorAt('kind', 'QUANTITY_INVALID', `KubeletConfiguration: ${(e as Error).message}`));
  }
  kubelet.start();
  clock.advance(1);
  pod.spec = { ...pod.spec, nodeName: pod.spec?.nodeName ?? KUBELET_POD_NODE };
  const created = api.handle({ verb: 'create', resource: 'pods', namespace: pod.metadata?.namespace ?? 'default', body: pod as KObject });
  if (created.code !== 201) return fail(y.errorAt('metadata', 'API_REJECTED', `the apiserver rejected the Pod: ${created.code} ${created.message}`, podIdx));
  const uid = created.object?.metadata?.uid ?? '';
  const names = containers.map((c) => c.name!);
  const key = `${pod.metadata?.namespace ?? 'default'}/${name}`;
  const samples: KubeletPodSample[] = [];
  const runS = behaviour.value.runS;
  const endpointOf = (ready: boolean): KubeletPodSample['endpoint'] => (service && selectorMatches(service.selector, pod.metadata?.labels) ? (ready ? 'ready' : 'notready') : 'none');
  while (clock.nowTicks <= runS) {
    kubelet.tick();
    const rec = kubelet.pods.get(key);
    // What the apiserver holds is what the kubelet last wrote (rec.written); reading it back each second would only cost time.
    const stored = rec?.written ? ({ status: rec.written } as Pod) : undefined;
    const cs = ((stored?.status as { containerStatuses?: { state: Record<string, unknown>; restartCount: number }[] } | undefined)?.containerStatuses) ?? [];
    const ready = stored?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    samples.push({
      t: clock.nowTicks, phase: stored?.status?.phase ?? 'Pending', ready,
      states: names.map((_, i) => { const s = cs[i]?.state; return s ? (s.running ? 'r' : s.waiting ? 'w' : 't') : '-'; }),
      restarts: names.map((_, i) => cs[i]?.restartCount ?? 0),
      endpoint: endpointOf(ready),
    });
    if (rec?.terminated && rec.rejected) break;
    // Skip the seconds in which nothing is due (no probe, sync or scripted exit); samples are kept per processed second.
    const wake = Math.min(kubelet.nextWakeAt(), runS + 1);
    clock.advance(Math.max(1, wake - clock.nowTicks));
  }
  const rec = kubelet.pods.get(key);
  const restarts: KubeletPodRestart[] = [];
  for (const n of names) {
    const list = rec?.instances.get(n) ?? [];
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const kill = kubelet.events.find((e) => e.kind === 'kill' && e.container === n && e.t === prev.finishedAt);
      restarts.push({
        container: n, restartCount: i, finishedAt: prev.finishedAt ?? 0, startedAt: list[i]!.startedAt, waitedS: list[i]!.startedAt - (prev.finishedAt ?? 0),
        cause: kill ? (kill.text.includes('startup') ? 'startup' : 'liveness') : 'exit', exitCode: prev.exitCode ?? 0,
      });
    }
  }
  const last = samples[samples.length - 1]!;
  const flips: { t: number; ready: boolean }[] = [];
  samples.forEach((s, i) => { if (i > 0 && s.ready !== samples[i - 1]!.ready) flips.push({ t: s.t, ready: s.ready }); });
  if (last.t < runS) samples.push({ ...last, t: runS });
  const firstLive = kubelet.events.find((e) => e.tag === 'liveness:changed');
  const finalStatus = rec ? kubelet.podStatus(rec) : {};
  const waiting = ((finalStatus.containerStatuses as { state: { waiting?: { reason: string } } }[] | undefined) ?? []).map((c) => c.state.waiting?.reason ?? '');
  return ok({
    node: { name: KUBELET_POD_NODE, breakdown: kubelet.resources, evictionHard },
    pod: { name: name!, uid, podIP: rec?.podIP ?? '', containers: names, restartPolicy: policy, ...(rec?.rejected ? { rejected: rec.rejected } : {}) },
    probes,
    ...(service ? { service } : {}),
    backoff: { ...backoff, reduced },
    events: kubelet.events,
    samples,
    restarts,
    final: { phase: last.phase, ready: last.ready, restartCounts: last.restarts, waiting, endpoint: last.endpoint },
    summary: {
      runS,
      firstReadyAt: samples.find((s) => s.ready)?.t ?? null,
      readyFlips: flips,
      firstLivenessFailureAt: firstLive ? firstLive.t : null,
      criCalls: kubelet.events.filter((e) => e.kind === 'cri').length,
      statusWrites: kubelet.events.filter((e) => e.kind === 'status').length,
    },
  });
}
