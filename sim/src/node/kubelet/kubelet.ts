/**
 * The kubelet: one node agent, driven one second (tick) at a time.
 *
 * What it does, in the order upstream does it (kubernetes master / v1.34,
 * pkg/kubelet):
 *  - registers its Node with capacity and allocatable (kubelet_node_status.go
 *    registerWithAPIServer; nodestatus/setters.go; allocatable.ts here);
 *  - watches the pods bound to it through an informer with the field selector
 *    spec.nodeName=<node> (config/apiserver.go NewSourceApiserver);
 *  - admits each new pod (lifecycle/predicate.go, admit.ts here) or rejects
 *    it as Failed;
 *  - pod workers (pod_workers.go) sync a pod on every change, PLEG event and
 *    probe failure; after an error (e.g. crash-loop back-off) the pod is
 *    requeued after backOffPeriod 10 s + up to 50 % jitter, else after 1 min
 *    + up to 50 %;
 *  - SyncPod (kuberuntime/kuberuntime_manager.go computePodActions, SyncPod):
 *    volumes first (volumemanager WaitForAttachAndMount), then the sandbox
 *    (RunPodSandbox; containerd's CRI plugin runs CNI ADD, which assigns the
 *    pod IP), then per container EnsureImageExists → CreateContainer →
 *    StartContainer; a running container whose liveness or startup probe
 *    failed is killed and, unless restartPolicy is Never, started again;
 *    an exited container is restarted per restartPolicy, subject to the
 *    crash-loop back-off (doBackOff: measured from the newest exited
 *    instance's finishedAt);
 *  - PLEG (pleg/generic.go) relists containers every second and turns
 *    state changes into pod syncs;
 *  - probe workers (prober/worker.go, prober/worker.ts here);
 *  - the status manager (status/status_manager.go) writes the pod status
 *    (phase, conditions, containerStatuses) back through the apiserver's
 *    pods/status subresource whenever it changed (kubelet_pods.go
 *    generateAPIPodStatus, getPhase; status/generate.go for conditions).
 * Simplifications, stated: no init containers, no ephemeral containers, no
 * in-place resize, no image-pull back-off curve (an unknown image is retried
 * on the pod worker's 10 s back-off), a container always exits at once on
 * SIGTERM (exit 0), pod deletion is handled by stopping everything at once.
 */
import type { Container, Node, Pod } from '../../api/objects.ts';
import type { Clock } from '../../core/clock.ts';
import type { Prng } from '../../core/prng.ts';
import type { ApiServer } from '../../controlplane/apiserver/apiserver.ts';
import type { KObject } from '../../controlplane/apiserver/object.ts';
import { formatTimestamp } from '../../controlplane/apiserver/strategy.ts';
import { Informer } from '../../controlplane/informers/informer.ts';
import { metaNamespaceKey } from '../../controlplane/informers/indexer.ts';
import type { Containerd } from '../../runtime/cri/containerd.ts';
import type { ContainerConfig } from '../../runtime/cri/types.ts';
import { planPod } from '../../runtime/widgets/pod-to-cri.ts';
import { dueExit, emptyBehaviour, type Behaviour } from './behaviour.ts';
import {
  CrashLoopBackoff, DEFAULT_TERMINATION_GRACE_S, INITIAL_CRASH_LOOP_BACKOFF_S, MAX_CRASH_LOOP_BACKOFF_S,
  POD_WORKER_BACKOFF_S, POD_WORKER_JITTER, POD_WORKER_RESYNC_S,
} from './defaults.ts';
import { admitPod } from './lifecycle/admit.ts';
import { computeAllocatable, toResourceList, type AllocatableBreakdown, type NodeResourceConfig } from './nodestatus/allocatable.ts';
import { ProbeWorker, type ProbeType } from './prober/worker.ts';

export interface KubeletOptions {
  nodeName: string;
  api: ApiServer;
  runtime: Containerd;
  clock: Clock;
  prng: Prng;
  resources: NodeResourceConfig;
  labels?: Record<string, string>;
  nodeIP?: string;
  podCIDR?: string;
  /** The scripted program of each pod (default: a healthy program that never exits). */
  behaviourFor?: (pod: Pod) => Behaviour;
  /** Crash-loop back-off curve (default 10 s → 300 s; the alpha ReduceDefaultCrashLoopBackOffDecay gate makes it 1 s → 60 s). */
  backoff?: { initialS: number; maxS: number };
}

export type KubeletEventKind = 'node' | 'watch' | 'admit' | 'volume' | 'cri' | 'cni' | 'probe' | 'kill' | 'backoff' | 'pleg' | 'exit' | 'status' | 'sync';

export interface KubeletEvent {
  t: number;
  kind: KubeletEventKind;
  pod: string;
  container?: string;
  text: string;
  /** For probe events: the probe type and result; for cri: the method. */
  tag?: string;
  ok?: boolean;
}

export interface ContainerInstance {
  id: string;
  name: string;
  attempt: number;
  image: string;
  startedAt: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  running: boolean;
}

interface Waiting { reason: string; message?: string }

export interface PodRecord {
  key: string;
  uid: string;
  pod: Pod;
  admitted: boolean;
  rejected?: { reason: string; message: string };
  volumesReady: boolean;
  sandboxId?: string;
  podIP?: string;
  instances: Map<string, ContainerInstance[]>;
  waiting: Map<string, Waiting>;
  workers: ProbeWorker[];
  behaviour: Behaviour;
  nextSyncAt: number;
  syncNow: boolean;
  lastStatus: string;
  terminated: boolean;
  /** PLEG's last view: container id → running. */
  pleg: Map<string, boolean>;
  /** generateContainerConfig results, computed once with the sandbox config. */
  configs?: ContainerConfig[];
  /** The status last written to the apiserver. */
  written?: Record<string, unknown>;
  seenEvents?: number;
}

const MAX_EVENTS = 4000;

export class Kubelet {
  readonly nodeName: string;
  readonly api: ApiServer;
  readonly runtime: Containerd;
  readonly clock: Clock;
  readonly prng: Prng;
  readonly resources: AllocatableBreakdown;
  readonly backoff: CrashLoopBackoff;
  readonly pods = new Map<string, PodRecord>();
  readonly events: KubeletEvent[] = [];
  informer?: Informer;
  node?: Node;
  readonly #opts: KubeletOptions;
  #startedAt = 0;

  constructor(opts: KubeletOptions) {
    this.#opts = opts;
    this.nodeName = opts.nodeName;
    this.api = opts.api;
    this.runtime = opts.runtime;
    this.clock = opts.clock;
    this.prng = opts.prng;
    this.resources = computeAllocatable(opts.resources);
    this.backoff = new CrashLoopBackoff(opts.backoff?.initialS ?? INITIAL_CRASH_LOOP_BACKOFF_S, opts.backoff?.maxS ?? MAX_CRASH_LOOP_BACKOFF_S);
  }

  get now(): number {
    return this.clock.nowTicks;
  }

  #eventCount = 0;

  #event(e: Omit<KubeletEvent, 't'>): void {
    this.#eventCount++;
    if (this.events.length < MAX_EVENTS) this.events.push({ t: this.now, ...e });
  }

  /** Registers the Node and starts the pod informer. Returns false when registration failed. */
  start(): boolean {
    this.#startedAt = this.now;
    const r = this.resources;
    const node: Node = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: this.nodeName, labels: { 'kubernetes.io/hostname': this.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...(this.#opts.labels ?? {}) } },
      spec: this.#opts.podCIDR ? { podCIDR: this.#opts.podCIDR } : {},
      status: {
        capacity: toResourceList(r.capacity),
        allocatable: toResourceList(r.allocatable),
        conditions: [
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
          { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
          { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID' },
          { type: 'Ready', status: 'True', reason: 'KubeletReady' },
        ],
        addresses: [{ type: 'InternalIP', address: this.#opts.nodeIP ?? '192.168.0.10' }, { type: 'Hostname', address: this.nodeName }],
      },
    };
    const res = this.api.handle({ verb: 'create', resource: 'nodes', body: node as KObject });
    const ok = res.code === 201 || res.code === 409;
    this.node = (res.object as Node | undefined) ?? node;
    this.#event({ kind: 'node', pod: '', text: `POST /api/v1/nodes ${this.nodeName} → ${res.code}: capacity cpu ${node.status!.capacity!.cpu}, memory ${node.status!.capacity!.memory}; allocatable cpu ${node.status!.allocatable!.cpu}, memory ${node.status!.allocatable!.memory}, pods ${node.status!.allocatable!.pods}`, ok });
    this.informer = new Informer(this.api, { resource: 'pods', fieldSelector: `spec.nodeName=${this.nodeName}` });
    this.informer.on({
      onAdd: (obj) => this.#podSeen(obj as Pod, 'ADDED'),
      onUpdate: (_o, obj) => this.#podSeen(obj as Pod, 'MODIFIED'),
      onDelete: (obj) => this.#podGone(('obj' in obj && 'key' in obj ? obj.obj : obj) as Pod),
    });
    const list = this.informer.run(this.now);
    this.#event({ kind: 'watch', pod: '', text: `LIST+WATCH pods?fieldSelector=spec.nodeName=${this.nodeName} → ${list.code}, ${list.items?.length ?? 0} pod(s)` });
    return ok;
  }

  #podSeen(pod: Pod, type: string): void {
    const key = metaNamespaceKey(pod as KObject);
    let rec = this.pods.get(key);
    if (rec && rec.uid !== (pod.metadata?.uid ?? '')) {
      this.#terminate(rec, 'replaced by a new pod with the same name');
      rec = undefined;
    }
    if (!rec) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      this.#event({ kind: 'watch', pod: key, text: `watch ${type} pod ${key} (spec.nodeName=${this.nodeName}) → HandlePodAdditions` });
      rec = this.#newRecord(key, pod);
      this.pods.set(key, rec);
      const admitted = [...this.pods.values()].filter((p) => p.admitted && !p.terminated).map((p) => p.pod);
      const verdict = admitPod(this.node ?? {}, admitted, pod);
      if (!verdict.admit) {
        rec.rejected = { reason: verdict.reason!, message: verdict.message! };
        rec.terminated = true;
        this.#event({ kind: 'admit', pod: key, text: `rejected: ${verdict.reason}: ${verdict.message}`, ok: false });
        this.#writeStatus(rec);
        return;
      }
      rec.admitted = true;
      this.#event({ kind: 'admit', pod: key, text: 'admitted: resources fit allocatable, node affinity/selector and NoExecute taints pass', ok: true });
      this.#addProbeWorkers(rec);
      return;
    }
    rec.pod = pod;
    if (pod.metadata?.deletionTimestamp && !rec.terminated) {
      this.#event({ kind: 'watch', pod: key, text: 'watch MODIFIED: deletionTimestamp set → terminate the pod' });
      rec.syncNow = true;
    }
  }

  #podGone(pod: Pod): void {
    const key = metaNamespaceKey(pod as KObject);
    const rec = this.pods.get(key);
    if (!rec) return;
    if (!rec.terminated) this.#terminate(rec, 'deleted from the API');
    this.pods.delete(key);
  }

  #newRecord(key: string, pod: Pod): PodRecord {
    return {
      key, uid: pod.metadata?.uid ?? '', pod, admitted: false, volumesReady: false, instances: new Map(), waiting: new Map(), workers: [],
      behaviour: this.#opts.behaviourFor?.(pod) ?? emptyBehaviour(), nextSyncAt: this.now, syncNow: true, lastStatus: '', terminated: false, pleg: new Map(),
    };
  }

  /** probeManager.AddPod: one worker per probe; first tick delayed randomly when the kubelet started less than a period ago. */
  #addProbeWorkers(rec: PodRecord): void {
    for (const c of rec.pod.spec?.containers ?? []) {
      const add = (type: ProbeType, p: Container['livenessProbe']) => {
        if (!p) return;
        const w = new ProbeWorker(type, c, p, this.now);
        const period = w.spec.periodSeconds;
        if (period > this.now - this.#startedAt) w.nextAt = this.now + Math.floor(this.prng.nextFloat() * period);
        rec.workers.push(w);
      };
      add('startup', c.startupProbe);
      add('liveness', c.livenessProbe);
      add('readiness', c.readinessProbe);
    }
  }

  // ---------------------------------------------------------------- one tick

  /** One second of kubelet work at the current clock time. */
  tick(): void {
    this.informer?.sync(this.now);
    for (const rec of this.pods.values()) {
      if (!rec.admitted || rec.terminated) continue;
      this.#programExits(rec);
      this.#plegRelist(rec);
      this.#probe(rec);
      if (rec.syncNow || this.now >= rec.nextSyncAt) this.#syncPod(rec);
      // The status manager only writes when something changed; nothing changes without an event.
      if (this.#eventCount !== rec.seenEvents) {
        rec.seenEvents = this.#eventCount;
        this.#writeStatus(rec);
      }
    }
  }

  /**
   * The earliest tick at which this kubelet has something to do (a probe, a
   * requeued pod sync, a scripted exit), so a driver may skip idle seconds.
   * Upstream's loops would wake every second and find nothing to do.
   */
  nextWakeAt(): number {
    let next = Infinity;
    for (const rec of this.pods.values()) {
      if (!rec.admitted || rec.terminated) continue;
      if (rec.syncNow) return this.now + 1;
      next = Math.min(next, rec.nextSyncAt);
      for (const w of rec.workers) next = Math.min(next, w.nextAt);
      for (const list of rec.instances.values()) {
        const inst = list[list.length - 1];
        if (!inst?.running) continue;
        for (const r of rec.behaviour.rules) {
          if (r.container !== inst.name || r.effect.kind !== 'exit') continue;
          const due = r.clock === 'at' ? r.atS : inst.startedAt + r.atS;
          if (due >= this.now + 1) next = Math.min(next, due);
        }
      }
    }
    return Math.max(this.now + 1, next);
  }

  /** The scripted programs that exit by themselves now (the shim reaps them). */
  #programExits(rec: PodRecord): void {
    for (const list of rec.instances.values()) {
      const inst = list[list.length - 1];
      if (!inst?.running) continue;
      const code = dueExit(rec.behaviour, inst.name, this.now, inst.startedAt);
      if (code === undefined) continue;
      if (this.runtime.exitProcess(inst.id, code)) this.#event({ kind: 'exit', pod: rec.key, container: inst.name, text: `process exited with status ${code}; the shim reaps it and publishes /tasks/exit` });
    }
  }

  /** Generic PLEG relist (every second): compare container states with the last relist. */
  #plegRelist(rec: PodRecord): void {
    for (const list of rec.instances.values()) {
      for (const inst of list) {
        const c = this.runtime.container(inst.id);
        const running = c?.state === 'CONTAINER_RUNNING';
        if (inst.running && !running) {
          inst.running = false;
          inst.finishedAt = c?.finishedAt ?? this.now;
          inst.exitCode = c?.exitCode ?? 137;
          inst.reason = inst.exitCode === 0 ? 'Completed' : 'Error';
        }
        const before = rec.pleg.get(inst.id);
        if (before === true && !running) {
          this.#event({ kind: 'pleg', pod: rec.key, container: inst.name, text: `PLEG relist: ContainerDied ${inst.id.slice(0, 13)} (exit code ${inst.exitCode}) → sync pod` });
          rec.syncNow = true;
        }
        rec.pleg.set(inst.id, running);
      }
    }
  }

  #current(rec: PodRecord, name: string): ContainerInstance | undefined {
    const list = rec.instances.get(name);
    return list?.[list.length - 1];
  }

  #started(rec: PodRecord, c: Container, inst: ContainerInstance | undefined): boolean {
    if (!inst?.running) return false;
    const w = rec.workers.find((x) => x.type === 'startup' && x.container.name === c.name);
    if (!w) return true;
    return w.containerId === inst.id && w.result === 'Success';
  }

  #probe(rec: PodRecord): void {
    for (const w of rec.workers) {
      if (this.now < w.nextAt) continue;
      const inst = this.#current(rec, w.container.name ?? '');
      const view = inst ? { id: inst.id, running: inst.running, startedAt: inst.startedAt, started: this.#started(rec, w.container, inst), terminated: !inst.running } : undefined;
      const step = w.doProbe(view, rec.podIP ?? '', rec.behaviour, this.now);
      if (step.kind === 'skipped') continue;
      if (step.outcome) {
        this.#event({ kind: 'probe', pod: rec.key, container: w.container.name, tag: `${w.type}:${step.outcome.result}`, ok: step.outcome.result === 'Success', text: `${w.type} probe: ${step.outcome.result} (${step.outcome.output})${step.kind === 'changed' ? ` → result now ${step.result}` : ''}` });
      }
      if (step.kind === 'changed' && step.result === 'Failure' && w.type !== 'readiness') {
        this.#event({ kind: 'probe', pod: rec.key, container: w.container.name, tag: `${w.type}:changed`, text: `${w.type} result Failure after ${w.spec.failureThreshold} consecutive failures → sync pod` });
        rec.syncNow = true;
      }
    }
  }

  // ---------------------------------------------------------------- SyncPod

  #requeue(rec: PodRecord, failed: boolean): void {
    const base = failed ? POD_WORKER_BACKOFF_S : POD_WORKER_RESYNC_S;
    rec.nextSyncAt = this.now + Math.max(1, Math.ceil(base + this.prng.nextFloat() * POD_WORKER_JITTER * base));
    rec.syncNow = false;
  }

  #lastCall(): { method: string; text: string; ok: boolean; cni?: string } {
    const c = this.runtime.calls[this.runtime.calls.length - 1]!;
    const cni = c.below.find((b) => b.layer === 'cni')?.text;
    return { method: c.method, text: `${c.method}(${c.request}) → ${c.response}`, ok: c.ok, ...(cni ? { cni } : {}) };
  }

  #cri(rec: PodRecord, container?: string): boolean {
    const c = this.#lastCall();
    this.#event({ kind: 'cri', pod: rec.key, ...(container ? { container } : {}), tag: c.method, ok: c.ok, text: c.text });
    if (c.cni) this.#event({ kind: 'cni', pod: rec.key, text: c.cni });
    return c.ok;
  }

  #setupVolumes(rec: PodRecord): boolean {
    const ns = rec.pod.metadata?.namespace ?? 'default';
    const dir = `/var/lib/kubelet/pods/${rec.uid}/volumes`;
    for (const v of rec.pod.spec?.volumes ?? []) {
      const vv = v as { name?: string; emptyDir?: { medium?: string }; configMap?: { name?: string }; secret?: { secretName?: string }; projected?: object };
      if (vv.emptyDir) {
        const tmpfs = vv.emptyDir.medium === 'Memory';
        this.#event({ kind: 'volume', pod: rec.key, ok: true, text: `emptyDir "${vv.name}": mkdir ${dir}/kubernetes.io~empty-dir/${vv.name}${tmpfs ? ' and mount tmpfs on it (medium: Memory, counted against the pod\'s memory)' : ' on the node\'s disk'}` });
      } else if (vv.configMap || vv.secret) {
        const isCm = !!vv.configMap;
        const obj = isCm ? vv.configMap!.name : vv.secret!.secretName;
        const res = this.api.handle({ verb: 'get', resource: isCm ? 'configmaps' : 'secrets', namespace: ns, name: obj ?? '' });
        if (res.code !== 200) {
          this.#event({ kind: 'volume', pod: rec.key, ok: false, text: `MountVolume.SetUp failed for volume "${vv.name}": ${isCm ? 'configmap' : 'secret'} "${obj}" not found (GET → ${res.code}); the pod stays ContainerCreating and is retried` });
          return false;
        }
        const keys = Object.keys(((res.object as { data?: Record<string, string> }).data) ?? {});
        this.#event({ kind: 'volume', pod: rec.key, ok: true, text: `${isCm ? 'configMap' : 'secret'} "${vv.name}": GET ${isCm ? 'configmaps' : 'secrets'}/${obj} → 200; ${isCm ? '' : 'mount tmpfs, '}write ${keys.length} key(s) [${keys.join(', ')}] into ${dir}/kubernetes.io~${isCm ? 'configmap' : 'secret'}/${vv.name} (atomic ..data symlink swap)` });
      } else if (vv.projected) {
        this.#event({ kind: 'volume', pod: rec.key, ok: true, text: `projected "${vv.name}": ServiceAccount token (TokenRequest), ca.crt, namespace written to tmpfs ${dir}/kubernetes.io~projected/${vv.name}` });
      }
    }
    return true;
  }

  #restartPolicy(rec: PodRecord): 'Always' | 'OnFailure' | 'Never' {
    return rec.pod.spec?.restartPolicy ?? 'Always';
  }

  #syncPod(rec: PodRecord): void {
    if (rec.pod.metadata?.deletionTimestamp) {
      this.#terminate(rec, 'deletionTimestamp set');
      this.api.handle({ verb: 'delete', resource: 'pods', namespace: rec.pod.metadata.namespace ?? 'default', name: rec.pod.metadata.name ?? '', gracePeriodSeconds: 0 });
      this.#event({ kind: 'status', pod: rec.key, text: 'all containers stopped → DELETE pods/' + (rec.pod.metadata.name ?? '') + ' gracePeriodSeconds=0 (status manager)' });
      return;
    }
    let failed = false;
    // 1. volumes
    if (!rec.volumesReady) {
      rec.volumesReady = this.#setupVolumes(rec);
      if (!rec.volumesReady) {
        for (const c of rec.pod.spec?.containers ?? []) rec.waiting.set(c.name ?? '', { reason: 'ContainerCreating' });
        this.#requeue(rec, true);
        return;
      }
    }
    // 2. sandbox
    if (!rec.sandboxId) {
      const plan = planPod(JSON.stringify(rec.pod), rec.uid);
      if (!plan.ok) {
        this.#event({ kind: 'sync', pod: rec.key, ok: false, text: `cannot build the sandbox config: ${plan.errors.map((e) => e.message).join('; ')}` });
        this.#requeue(rec, true);
        return;
      }
      const sb = this.runtime.RunPodSandbox(plan.value.sandbox);
      this.#cri(rec);
      if (!sb.ok) {
        this.#requeue(rec, true);
        return;
      }
      rec.sandboxId = sb.value;
      rec.configs = plan.value.containers;
      rec.podIP = this.runtime.sandbox(sb.value)?.ip;
    }
    const configs = rec.configs ?? [];
    // 3. containers (computePodActions, then kill, then start)
    const policy = this.#restartPolicy(rec);
    const containers = rec.pod.spec?.containers ?? [];
    // The pod status as seen at the start of this sync (doBackOff looks at it).
    const lastExited = new Map<string, ContainerInstance>();
    for (const [name, list] of rec.instances) {
      for (let i = list.length - 1; i >= 0; i--) if (!list[i]!.running) { lastExited.set(name, list[i]!); break; }
    }
    containers.forEach((c, idx) => {
      const name = c.name ?? '';
      const inst = this.#current(rec, name);
      let start = false;
      if (!inst) start = true;
      else if (inst.running) {
        const failedProbe = rec.workers.find((w) => w.container.name === c.name && (w.type === 'liveness' || w.type === 'startup') && w.containerId === inst.id && w.result === 'Failure');
        if (!failedProbe) return;
        const restart = policy !== 'Never';
        const grace = rec.pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_S;
        this.#event({ kind: 'kill', pod: rec.key, container: name, text: `Killing: Container ${name} failed ${failedProbe.type} probe${restart ? ', will be restarted' : ''} (grace period ${grace}s)` });
        this.runtime.StopContainer(inst.id, grace);
        this.#cri(rec, name);
        const st = this.runtime.container(inst.id);
        inst.running = false;
        inst.finishedAt = st?.finishedAt ?? this.now;
        inst.exitCode = st?.exitCode ?? 0;
        inst.reason = inst.exitCode === 0 ? 'Completed' : 'Error';
        rec.pleg.set(inst.id, false);
        start = restart;
      } else {
        start = policy === 'Always' || (policy === 'OnFailure' && (inst.exitCode ?? 0) !== 0);
      }
      if (!start) {
        rec.waiting.delete(name);
        return;
      }
      // doBackOff
      const dead = lastExited.get(name);
      const key = `${rec.pod.metadata?.name}_${rec.pod.metadata?.namespace ?? 'default'}_${rec.uid}_${name}`;
      if (dead) {
        if (this.backoff.isInBackOffSince(key, dead.finishedAt!, this.now)) {
          const b = this.backoff.get(key);
          const msg = `back-off ${formatDuration(b)} restarting failed container=${name} pod=${rec.key}`;
          rec.waiting.set(name, { reason: 'CrashLoopBackOff', message: msg });
          this.#event({ kind: 'backoff', pod: rec.key, container: name, tag: String(b), text: `${msg}: finished at ${dead.finishedAt}s, may start at ${dead.finishedAt! + b}s` });
          failed = true;
          return;
        }
        const next = this.backoff.next(key, dead.finishedAt!, this.now);
        this.#event({ kind: 'backoff', pod: rec.key, container: name, tag: `next:${next}`, text: `not in back-off → restart now; the next crash will wait ${formatDuration(next)}` });
      }
      if (!this.#startContainer(rec, c, configs[idx], name)) failed = true;
    });
    this.#requeue(rec, failed);
  }

  #startContainer(rec: PodRecord, c: Container, config: ContainerConfig | undefined, name: string): boolean {
    if (!config || !rec.sandboxId) return false;
    const image = c.image ?? '';
    const list = rec.instances.get(name) ?? [];
    const attempt = list.length;
    // EnsureImageExists (images/image_manager.go): ImageStatus, pull only if missing (IfNotPresent).
    if (this.runtime.images.find(image) && c.imagePullPolicy !== 'Always') {
      this.#event({ kind: 'cri', pod: rec.key, container: name, tag: 'ImageStatus', ok: true, text: `ImageStatus(image: ${image}) → present: Container image "${image}" already present on machine` });
    } else {
      const pulled = this.runtime.PullImage(image);
      this.#cri(rec, name);
      if (!pulled.ok) {
        rec.waiting.set(name, { reason: 'ErrImagePull', message: this.#lastCall().text });
        return false;
      }
    }
    // Garbage-collect dead instances older than the newest one (minDeadContainerInPod = 1).
    const dead = list.filter((i) => !i.running);
    for (const old of dead.slice(0, -1)) {
      if (this.runtime.container(old.id)) {
        this.runtime.RemoveContainer(old.id);
        this.#cri(rec, name);
      }
    }
    const cfg = { ...config, metadata: { name, attempt }, logPath: `${name}/${attempt}.log` };
    const created = this.runtime.CreateContainer(rec.sandboxId, cfg);
    this.#cri(rec, name);
    if (!created.ok) {
      rec.waiting.set(name, { reason: 'CreateContainerError', message: this.#lastCall().text });
      return false;
    }
    const started = this.runtime.StartContainer(created.value);
    this.#cri(rec, name);
    if (!started.ok) {
      rec.waiting.set(name, { reason: 'RunContainerError', message: this.#lastCall().text });
      return false;
    }
    const st = this.runtime.container(created.value)!;
    list.push({ id: created.value, name, attempt, image, startedAt: st.startedAt, running: true });
    rec.instances.set(name, list);
    rec.pleg.set(created.value, true);
    rec.waiting.delete(name);
    return true;
  }

  #terminate(rec: PodRecord, why: string): void {
    rec.terminated = true;
    const grace = rec.pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_S;
    for (const list of rec.instances.values()) {
      for (const inst of list) {
        if (!inst.running) continue;
        this.runtime.StopContainer(inst.id, grace);
        this.#cri(rec, inst.name);
        inst.running = false;
        inst.finishedAt = this.now;
        inst.exitCode = 0;
        inst.reason = 'Completed';
      }
    }
    if (rec.sandboxId) {
      this.runtime.StopPodSandbox(rec.sandboxId);
      this.#cri(rec);
      this.runtime.RemovePodSandbox(rec.sandboxId);
      this.#cri(rec);
    }
    this.#event({ kind: 'sync', pod: rec.key, text: `pod terminated (${why})` });
  }

  // ---------------------------------------------------------------- status

  /** The ready flag of each container (prober_manager UpdatePodStatus). */
  containerReady(rec: PodRecord, c: Container): boolean {
    const inst = this.#current(rec, c.name ?? '');
    if (!inst?.running || !this.#started(rec, c, inst)) return false;
    const w = rec.workers.find((x) => x.type === 'readiness' && x.container.name === c.name);
    if (!w) return true;
    return w.containerId === inst.id && w.result === 'Success';
  }

  /** generateAPIPodStatus: phase, conditions, containerStatuses. */
  podStatus(rec: PodRecord): Record<string, unknown> {
    if (rec.rejected) return { phase: 'Failed', reason: rec.rejected.reason, message: rec.rejected.message };
    const ts = (s: number) => formatTimestamp(s);
    const containers = rec.pod.spec?.containers ?? [];
    const statuses = containers.map((c) => {
      const name = c.name ?? '';
      const list = rec.instances.get(name) ?? [];
      const inst = list[list.length - 1];
      const prev = inst && !inst.running ? inst : list[list.length - 2];
      const waiting = rec.waiting.get(name);
      const term = (i: ContainerInstance) => ({ terminated: { exitCode: i.exitCode ?? 0, reason: i.reason ?? 'Error', startedAt: ts(i.startedAt), finishedAt: ts(i.finishedAt ?? 0), containerID: `containerd://${i.id}` } });
      let state: Record<string, unknown>;
      let lastState: Record<string, unknown> = {};
      if (inst?.running) {
        state = { running: { startedAt: ts(inst.startedAt) } };
        if (prev && prev !== inst) lastState = term(prev);
      } else if (waiting || !inst) {
        state = { waiting: waiting ?? { reason: 'ContainerCreating' } };
        if (inst) lastState = term(inst);
      } else {
        state = term(inst);
        if (list.length > 1) lastState = term(list[list.length - 2]!);
      }
      return {
        name, image: c.image, state, lastState, ready: this.containerReady(rec, c), started: this.#started(rec, c, inst),
        restartCount: Math.max(0, list.length - 1), ...(inst ? { containerID: `containerd://${inst.id}` } : {}),
      };
    });
    // getPhase (kubelet_pods.go)
    let waiting = 0, running = 0, stopped = 0, succeeded = 0;
    for (const s of statuses) {
      const st = s.state as { running?: unknown; waiting?: unknown; terminated?: { exitCode: number } };
      if (st.running) running++;
      else if (st.terminated) { stopped++; if (st.terminated.exitCode === 0) succeeded++; }
      else if (st.waiting) { if ((s.lastState as { terminated?: { exitCode: number } }).terminated) { stopped++; if ((s.lastState as { terminated: { exitCode: number } }).terminated.exitCode === 0) succeeded++; } else waiting++; }
    }
    const policy = this.#restartPolicy(rec);
    let phase: string;
    if (waiting > 0) phase = 'Pending';
    else if (running > 0) phase = 'Running';
    else if (stopped > 0) phase = policy === 'Always' ? 'Running' : stopped === succeeded ? 'Succeeded' : policy === 'Never' ? 'Failed' : 'Running';
    else phase = 'Pending';
    const allReady = containers.length > 0 && statuses.every((s) => s.ready);
    const cond = (type: string, ok: boolean, reason?: string) => ({ type, status: ok ? 'True' : 'False', ...(reason && !ok ? { reason } : {}) });
    const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
    return {
      phase,
      conditions: [
        cond('PodReadyToStartContainers', !!rec.sandboxId),
        cond('Initialized', true),
        cond('Ready', allReady, 'ContainersNotReady'),
        cond('ContainersReady', allReady, 'ContainersNotReady'),
        cond('PodScheduled', true),
      ].map((c) => (c.status === 'False' && (c.type === 'Ready' || c.type === 'ContainersReady') ? { ...c, message: `containers with unready status: [${notReady.join(' ')}]` } : c)),
      hostIP: this.#opts.nodeIP ?? '192.168.0.10',
      ...(rec.podIP ? { podIP: rec.podIP, podIPs: [{ ip: rec.podIP }] } : {}),
      containerStatuses: statuses,
    };
  }

  #writeStatus(rec: PodRecord): void {
    const status = this.podStatus(rec);
    const json = JSON.stringify(status);
    if (json === rec.lastStatus) return;
    const ns = rec.pod.metadata?.namespace ?? 'default';
    const name = rec.pod.metadata?.name ?? '';
    const res = this.api.handle({ verb: 'patch', resource: 'pods', subresource: 'status', namespace: ns, name, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, status } as KObject });
    if (res.code !== 200) {
      this.#event({ kind: 'status', pod: rec.key, ok: false, text: `PATCH pods/${name}/status → ${res.code} ${res.message}` });
      return;
    }
    const prevReady = rec.lastStatus ? (JSON.parse(rec.lastStatus) as { conditions?: { type: string; status: string }[] }).conditions?.find((c) => c.type === 'Ready')?.status : undefined;
    rec.lastStatus = json;
    rec.written = status;
    const ready = (status.conditions as { type: string; status: string }[] | undefined)?.find((c) => c.type === 'Ready')?.status;
    const restarts = ((status.containerStatuses as { restartCount: number }[] | undefined) ?? []).map((c) => c.restartCount).join('/');
    this.#event({ kind: 'status', pod: rec.key, tag: ready === 'True' ? 'ready' : 'notready', ok: true, text: `PATCH pods/${name}/status → 200 (rv ${res.resourceVersion}): phase ${status.phase}${ready ? `, Ready=${ready}` : ''}${prevReady && prevReady !== ready ? ` (was ${prevReady})` : ''}, restarts ${restarts || 0}` });
  }
}

export function formatDuration(s: number): string {
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m}m${s % 60}s` : `${m}m0s`;
}
