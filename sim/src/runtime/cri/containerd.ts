/**
 * containerd with its CRI plugin: the RuntimeService and ImageService calls
 * the kubelet makes for a pod, each recorded with a request/response summary
 * and what happened below it (images, snapshots, CNI, shim, runc, kernel).
 *
 * State that survives a containerd restart (as on a real node): the content
 * store and snapshots (/var/lib/containerd), the metadata of sandboxes and
 * containers (meta.db), runc's state (/run/containerd/runc), and above all the
 * shims and the container processes, which are not containerd's children.
 * What is lost: containerd's in-memory CRI stores and its ttrpc connections;
 * `restart()` rebuilds them the way containerd's CRI `recover()` does — list
 * the metadata, reconnect to each shim through `bootstrap.json`, ask the task
 * state, and replay exits the shim kept while nobody listened.
 * Upstream: containerd v2.1 internal/cri/server/sandbox_run.go, podsandbox/
 * (controller Start/Stop, sandbox_run_linux.go), container_create.go,
 * container_start.go, container_stop.go (StopSignal, then SIGKILL after the
 * timeout), container_remove.go, sandbox_stop.go, sandbox_remove.go,
 * container_status.go, container_list.go, restart.go and podsandbox/recover.go;
 * images/image_pull.go; pkg/netns (/var/run/netns/cni-<uuid>).
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';
import type { Clock } from '../../core/clock.ts';
import type { Prng } from '../../core/prng.ts';
import type { KernelPort, MountEntry, NsKind } from '../kernel-port.ts';
import { ImageService, type ImageRecord, type PullReport } from '../images/image-service.ts';
import { shortDigest } from '../images/digest.ts';
import type { Platform } from '../images/media-types.ts';
import { OverlaySnapshotter, type Mount } from '../snapshotter/overlay.ts';
import { Runc } from '../runc/runc.ts';
import type { RuncStep } from '../runc/steps.ts';
import type { CgroupDriver } from '../runc/cgroups-path.ts';
import { parseLocatedJson } from '../oci/json-located.ts';
import { validateSpec } from '../oci/validate.ts';
import type { RuntimeSpec } from '../oci/spec.ts';
import { Shim } from '../shim/shim.ts';
import { containerSpec, sandboxSpec, SANDBOX_IMAGE } from './container-spec.ts';
import type { ContainerConfig, ContainerState, ContainerStatus, CriCall, CriEffect, PodSandboxConfig, PodSandboxState } from './types.ts';

/** A kernel that can also create a pinned namespace (CNI's netns helper) and wire it up as the bridge CNI plugin does. */
export interface CriKernel extends KernelPort {
  createPinnedNamespace(kind: NsKind, path: string): string;
  /** CNI ADD (bridge): veth pair, host end on cni0, `eth0` with `cidr` in the pinned namespace; returns the host end's name. */
  cniAdd(netnsPath: string, cidr: string, gateway: string): string;
  /** CNI DEL + netns removal; false when nothing was there (StopPodSandbox is idempotent). */
  cniDel(netnsPath: string): boolean;
}

export interface ContainerdOptions {
  platform: Platform;
  cgroupDriver: CgroupDriver;
  /** First three octets of the node's pod CIDR (a /24) the bridge CNI plugin hands out; default `10.244.1`. */
  podSubnet?: string;
}

interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  state: PodSandboxState;
  pid: number;
  netnsPath: string;
  ip: string;
  createdAt: number;
}

interface ContainerRecord {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  image: ImageRecord;
  spec: RuntimeSpec;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  pid: number;
}

const STOP_SIGNALS = new Set(['SIGTERM', 'SIGQUIT', 'SIGKILL']);

/** The node's own address: a hostNetwork pod's IP. */
export const NODE_IP = '10.0.0.11';

export class Containerd {
  pid: number;
  readonly snapshotter = new OverlaySnapshotter();
  readonly images: ImageService;
  readonly runc: Runc;
  /** Shims by group id (the sandbox id): processes that outlive containerd. */
  readonly shims = new Map<string, Shim>();
  /** meta.db: persisted across restarts. */
  readonly sandboxes = new Map<string, SandboxRecord>();
  readonly containers = new Map<string, ContainerRecord>();
  readonly calls: CriCall[] = [];
  running = true;
  #nextIp = 5;
  #below: CriEffect[] = [];

  readonly kernel: CriKernel;
  readonly clock: Clock;
  readonly prng: Prng;
  readonly options: ContainerdOptions;

  constructor(kernel: CriKernel, clock: Clock, prng: Prng, options: ContainerdOptions = { platform: { os: 'linux', architecture: 'amd64' }, cgroupDriver: 'systemd' }) {
    this.kernel = kernel;
    this.clock = clock;
    this.prng = prng;
    this.options = options;
    this.images = new ImageService(this.snapshotter, options.platform);
    this.runc = new Runc(kernel, { cgroupDriver: options.cgroupDriver, stateRoot: '/run/containerd/runc/k8s.io' });
    this.pid = this.#spawnDaemon();
  }

  #spawnDaemon(): number {
    const k = this.kernel;
    k.cgroupMkdir('/system.slice/containerd.service');
    const pid = k.clone(k.initPid, { comm: 'containerd' });
    k.execve(pid, ['/usr/bin/containerd']);
    k.cgroupWrite('/system.slice/containerd.service', 'cgroup.procs', String(pid));
    return pid;
  }

  #id(): string {
    let s = '';
    for (let i = 0; i < 8; i++) s += this.prng.nextUint32().toString(16).padStart(8, '0');
    return s;
  }

  #note(layer: CriEffect['layer'], text: string): void {
    this.#below.push({ layer, text });
  }

  #noteRunc(steps: RuncStep[]): void {
    for (const s of steps) this.#note(s.actor === 'kernel' ? 'kernel' : 'runc', `${s.actor} (pid ${s.pid}) ${s.call}: ${s.detail}`);
  }

  #record<T>(method: string, request: string, run: () => Result<T>, respond: (v: T) => string): Result<T> {
    this.#below = [];
    const r: Result<T> = this.running ? run() : fail(simError('UNAVAILABLE', 'connection error: dial unix /run/containerd/containerd.sock: connect: connection refused'));
    this.calls.push({
      seq: this.calls.length + 1, method, tick: this.clock.nowTicks, request,
      response: r.ok ? respond(r.value) : r.errors.map((e) => e.message).join('; '), ok: r.ok, below: this.#below,
    });
    return r;
  }

  // ---------------- ImageService ----------------

  PullImage(image: string): Result<PullReport> {
    return this.#record('PullImage', `image: ${image}`, () => this.#pull(image), (r) => `image_ref: ${r.configDigest}`);
  }

  #pull(image: string): Result<PullReport> {
    const r = this.images.pull(image, this.prng);
    if (!r.ok) return r;
    for (const b of r.value.blobs) this.#note('images', `${b.kind} ${shortDigest(b.digest)} ${b.size} B ${b.status === 'exists' ? 'already in the content store' : 'downloaded'}`);
    for (const l of r.value.layers) this.#note('snapshotter', `layer ${shortDigest(l.digest)} → snapshot ${l.snapshotId} (chain ${shortDigest(l.chainId)}) ${l.unpack === 'exists' ? 'already unpacked' : 'unpacked: Prepare, apply tar, Commit'}`);
    this.clock.advance(1 + Math.ceil(r.value.downloadedBytes / 10000));
    return r;
  }

  #ensureImage(image: string): Result<ImageRecord> {
    const have = this.images.find(image);
    if (have) return ok(have);
    const pulled = this.#pull(image);
    if (!pulled.ok) return pulled;
    return ok(this.images.find(image)!);
  }

  // ---------------- RuntimeService: sandboxes ----------------

  RunPodSandbox(config: PodSandboxConfig): Result<string> {
    const m = config.metadata;
    return this.#record('RunPodSandbox', `metadata: ${m.namespace}/${m.name} uid=${m.uid}, cgroup_parent: ${config.linux.cgroupParent}, pid: ${config.linux.securityContext.namespaceOptions.pid}`, () => this.#runPodSandbox(config), (id) => `pod_sandbox_id: ${id}`);
  }

  #runPodSandbox(config: PodSandboxConfig): Result<string> {
    const k = this.kernel;
    const id = this.#id();
    const m = config.metadata;
    this.#note('containerd', `reserve sandbox name ${m.name}_${m.namespace}_${m.uid}_${m.attempt} → id ${id.slice(0, 13)}`);
    const img = this.#ensureImage(SANDBOX_IMAGE);
    if (!img.ok) return img;
    this.#note('images', `sandbox image ${SANDBOX_IMAGE} (${shortDigest(img.value.configDigest)}) present`);
    // hostNetwork: true (network NODE): no network namespace, no CNI; the pod
    // uses the node's network and UTS namespaces (containerd sandbox_run_linux.go).
    const hostNetwork = config.linux.securityContext.namespaceOptions.network === 'NODE';
    let netnsPath = '';
    let ip = NODE_IP;
    if (hostNetwork) {
      this.#note('containerd', `hostNetwork: no network namespace and no CNI ADD; the pod shares the node's network and UTS namespaces (pod IP = node IP ${NODE_IP})`);
    } else {
      netnsPath = `/var/run/netns/cni-${this.#id().slice(0, 8)}-${this.#id().slice(0, 4)}`;
      const netnsId = k.createPinnedNamespace('net', netnsPath);
      this.#note('kernel', `new network namespace ${netnsId}, bind-mounted at ${netnsPath} (so it outlives any process)`);
      const subnet = this.options.podSubnet ?? '10.244.1';
      ip = `${subnet}.${this.#nextIp++}`;
      const hostVeth = k.cniAdd(netnsPath, `${ip}/24`, `${subnet}.1`);
      this.#note('cni', `CNI ADD (bridge): veth pair ${hostVeth} (port of cni0, ${subnet}.1/24) ↔ eth0 ${ip}/24 inside ${netnsPath}`);
    }
    const spec = sandboxSpec(id, config, img.value.config, netnsPath);
    const shim = new Shim(k, this.runc, this.pid, id);
    this.shims.set(id, shim);
    for (const l of shim.log) this.#note('shim', l.text);
    const started = this.#createAndStart(shim, id, img.value, spec);
    if (!started.ok) return started;
    this.sandboxes.set(id, { id, config, state: 'SANDBOX_READY', pid: started.value, netnsPath, ip, createdAt: this.clock.nowTicks });
    this.#note('containerd', `sandbox ${id.slice(0, 13)} ready: pause pid ${started.value} holds the pod's ${config.linux.securityContext.namespaceOptions.pid === 'POD' ? 'pid, ' : ''}ipc, uts namespaces and sits in its network namespace`);
    return ok(id);
  }

  /** Snapshot + Task.Create + Task.Start for one container (sandbox or app). Returns the host pid. */
  #createAndStart(shim: Shim, id: string, image: ImageRecord, spec: RuntimeSpec): Result<number> {
    const prepared = this.#prepareSnapshot(id, image);
    if (!prepared.ok) return prepared;
    const created = this.#createTask(shim, id, prepared.value, spec);
    if (!created.ok) return created;
    const started = shim.start(id);
    if (!started.ok) return started;
    this.#noteRunc(started.value);
    return ok(created.value);
  }

  #prepareSnapshot(id: string, image: ImageRecord): Result<Mount[]> {
    const parent = image.chainIds[image.chainIds.length - 1]!;
    const existing = this.snapshotter.stat(id);
    const mounts = existing ? this.snapshotter.mounts(id) : this.snapshotter.prepare(id, parent, { 'containerd.io/snapshot.ref': id });
    if (!mounts.ok) return mounts;
    const snap = this.snapshotter.stat(id)!;
    this.#note('snapshotter', `Prepare(key=${id.slice(0, 13)}, parent=${shortDigest(parent)}) → snapshot ${snap.id}: ${mounts.value.map((mm) => `${mm.type} ${mm.options.join(',')}`).join('; ')}`);
    return mounts;
  }

  #createTask(shim: Shim, id: string, mounts: Mount[], spec: RuntimeSpec): Result<number> {
    const bundle = shim.bundleOf(id);
    const configJson = JSON.stringify(spec, null, 2);
    const doc = parseLocatedJson(configJson);
    if (!doc.ok) return doc;
    const rootMounts: MountEntry[] = mounts.map((mm) => ({ target: `${bundle}/rootfs`, fstype: mm.type, source: mm.source, options: mm.options }));
    const validated = validateSpec(doc.value, { bundle, cgroupDriver: this.options.cgroupDriver, rootExists: (p) => p === `${bundle}/rootfs` });
    this.#note('shim', `write ${bundle}/config.json; mount ${rootMounts[0]?.fstype ?? '-'} at ${bundle}/rootfs`);
    const created = shim.create(id, rootMounts, validated, doc.value.errorAt);
    if (!created.ok) return created;
    this.#noteRunc(created.value.steps);
    return ok(created.value.task.pid);
  }

  StopPodSandbox(sandboxId: string): Result<void> {
    return this.#record('StopPodSandbox', `pod_sandbox_id: ${sandboxId}`, () => this.#stopPodSandbox(sandboxId), () => '{}');
  }

  #stopPodSandbox(sandboxId: string): Result<void> {
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) return fail(simError('NOT_FOUND', `an error occurred when try to find sandbox ${sandboxId}: not found`));
    for (const c of this.containers.values()) {
      if (c.sandboxId === sandboxId && c.state === 'CONTAINER_RUNNING') this.#stopContainer(c, 0);
    }
    const shim = this.shims.get(sandboxId);
    if (sb.state === 'SANDBOX_READY' && shim) {
      shim.kill(sandboxId, 'SIGKILL', this.clock.nowTicks);
      this.#note('shim', `kill pause (pid ${sb.pid}) SIGKILL; the shim reaps it`);
    }
    if (sb.netnsPath && this.kernel.cniDel(sb.netnsPath)) {
      this.#note('cni', `CNI DEL: release ${sb.ip}, remove the veth pair`);
      this.#note('kernel', `umount and remove ${sb.netnsPath}: the network namespace goes away with its last reference`);
    }
    sb.state = 'SANDBOX_NOTREADY';
    return ok(undefined);
  }

  RemovePodSandbox(sandboxId: string): Result<void> {
    return this.#record('RemovePodSandbox', `pod_sandbox_id: ${sandboxId}`, () => this.#removePodSandbox(sandboxId), () => '{}');
  }

  #removePodSandbox(sandboxId: string): Result<void> {
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) return ok(undefined); // idempotent, as upstream
    if (sb.state === 'SANDBOX_READY') return fail(simError('FAILED_PRECONDITION', `sandbox container "${sandboxId}" is not fully stopped`));
    for (const c of [...this.containers.values()]) if (c.sandboxId === sandboxId) this.#removeContainer(c);
    const shim = this.shims.get(sandboxId);
    if (shim) {
      shim.delete(sandboxId);
      this.snapshotter.remove(sandboxId);
      this.#note('snapshotter', `Remove(${sandboxId.slice(0, 13)})`);
      if (shim.shutdownIfEmpty()) this.#note('shim', `last task deleted: shim pid ${shim.pid} exits`);
      this.shims.delete(sandboxId);
    }
    this.sandboxes.delete(sandboxId);
    return ok(undefined);
  }

  // ---------------- RuntimeService: containers ----------------

  CreateContainer(sandboxId: string, config: ContainerConfig): Result<string> {
    return this.#record('CreateContainer', `pod_sandbox_id: ${sandboxId.slice(0, 13)}, name: ${config.metadata.name}, image: ${config.image.image}`, () => this.#createContainer(sandboxId, config), (id) => `container_id: ${id}`);
  }

  #createContainer(sandboxId: string, config: ContainerConfig): Result<string> {
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) return fail(simError('NOT_FOUND', `failed to find sandbox id "${sandboxId}": not found`));
    if (sb.state !== 'SANDBOX_READY') return fail(simError('FAILED_PRECONDITION', `sandbox ${sandboxId} is not ready`));
    const image = this.images.find(config.image.image);
    if (!image) return fail(simError('NOT_FOUND', `failed to resolve image "${config.image.image}": not found (PullImage first)`));
    const id = this.#id();
    const m = sb.config.metadata;
    this.#note('containerd', `reserve name ${config.metadata.name}_${m.name}_${m.namespace}_${m.uid}_${config.metadata.attempt} → id ${id.slice(0, 13)}`);
    const prepared = this.#prepareSnapshot(id, image);
    if (!prepared.ok) return prepared;
    const spec = containerSpec(id, config, image.config, sandboxId, sb.config, sb.pid);
    const ns = spec.linux!.namespaces!.map((n) => (n.path ? `${n.type}→${n.path}` : `${n.type}(new)`)).join(', ');
    this.#note('containerd', `OCI spec: namespaces ${ns}; cgroupsPath ${spec.linux!.cgroupsPath}; args ${JSON.stringify(spec.process!.args)}`);
    this.containers.set(id, { id, sandboxId, config, image, spec, state: 'CONTAINER_CREATED', createdAt: this.clock.nowTicks, startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', pid: 0 });
    return ok(id);
  }

  StartContainer(containerId: string): Result<void> {
    return this.#record('StartContainer', `container_id: ${containerId.slice(0, 13)}`, () => this.#startContainer(containerId), () => '{}');
  }

  #startContainer(containerId: string): Result<void> {
    const c = this.containers.get(containerId);
    if (!c) return fail(simError('NOT_FOUND', `failed to find container "${containerId}": not found`));
    if (c.state !== 'CONTAINER_CREATED') return fail(simError('FAILED_PRECONDITION', `container is in ${c.state} state`));
    const shim = this.shims.get(c.sandboxId);
    if (!shim) return fail(simError('FAILED_PRECONDITION', 'sandbox shim is gone'));
    this.#note('shim', `Task.Create via the pod's shim (pid ${shim.pid}, grouped by io.kubernetes.cri.sandbox-id)`);
    const mounts = this.snapshotter.mounts(containerId);
    if (!mounts.ok) return mounts;
    const created = this.#createTask(shim, containerId, mounts.value, c.spec);
    if (!created.ok) return created;
    const started = shim.start(containerId);
    if (!started.ok) return started;
    this.#noteRunc(started.value);
    c.state = 'CONTAINER_RUNNING';
    c.pid = created.value;
    c.startedAt = this.clock.nowTicks;
    return ok(undefined);
  }

  StopContainer(containerId: string, timeoutSeconds: number): Result<void> {
    return this.#record('StopContainer', `container_id: ${containerId.slice(0, 13)}, timeout: ${timeoutSeconds}`, () => {
      const c = this.containers.get(containerId);
      if (!c) return fail(simError('NOT_FOUND', `an error occurred when try to find container "${containerId}": not found`));
      this.#stopContainer(c, timeoutSeconds);
      return ok(undefined);
    }, () => '{}');
  }

  #stopContainer(c: ContainerRecord, timeoutSeconds: number): void {
    if (c.state !== 'CONTAINER_RUNNING') return;
    const shim = this.shims.get(c.sandboxId)!;
    const stopSignal = c.image.config.config.StopSignal ?? 'SIGTERM';
    const signal = (STOP_SIGNALS.has(stopSignal) ? stopSignal : 'SIGTERM') as 'SIGTERM' | 'SIGQUIT';
    if (timeoutSeconds > 0) {
      shim.kill(c.id, signal, this.clock.nowTicks, 0);
      this.#note('shim', `Task.Kill ${signal} (the image's StopSignal) → pid ${c.pid} exits 0; the shim reaps it and keeps the status`);
    } else {
      shim.kill(c.id, 'SIGKILL', this.clock.nowTicks);
      this.#note('shim', `Task.Kill SIGKILL (timeout 0) → pid ${c.pid} exit status 137`);
    }
    this.#syncFromTask(c);
  }

  #syncFromTask(c: ContainerRecord): void {
    const t = this.shims.get(c.sandboxId)?.tasks.get(c.id);
    if (!t) return;
    if (t.status === 'stopped') {
      c.state = 'CONTAINER_EXITED';
      c.exitCode = t.exitStatus ?? 0;
      c.finishedAt = t.exitedAtTick ?? this.clock.nowTicks;
      c.reason = c.exitCode === 0 ? 'Completed' : 'Error';
      c.pid = 0;
    } else if (t.status === 'running') {
      c.state = 'CONTAINER_RUNNING';
      c.pid = t.pid;
    }
  }

  RemoveContainer(containerId: string): Result<void> {
    return this.#record('RemoveContainer', `container_id: ${containerId.slice(0, 13)}`, () => {
      const c = this.containers.get(containerId);
      if (!c) return ok(undefined);
      this.#removeContainer(c);
      return ok(undefined);
    }, () => '{}');
  }

  #removeContainer(c: ContainerRecord): void {
    if (c.state === 'CONTAINER_RUNNING') this.#stopContainer(c, 0);
    const shim = this.shims.get(c.sandboxId);
    if (shim?.tasks.has(c.id)) {
      shim.delete(c.id);
      this.#note('runc', `runc delete ${c.id.slice(0, 13)}: rmdir the container cgroup`);
    }
    this.snapshotter.remove(c.id);
    this.#note('snapshotter', `Remove(${c.id.slice(0, 13)}): the container's upper dir (its writes) is gone`);
    this.containers.delete(c.id);
  }

  ContainerStatus(containerId: string): Result<ContainerStatus> {
    return this.#record('ContainerStatus', `container_id: ${containerId.slice(0, 13)}`, () => {
      const c = this.containers.get(containerId);
      if (!c) return fail(simError('NOT_FOUND', `an error occurred when try to find container "${containerId}": not found`));
      return ok(this.#status(c));
    }, (s) => `state: ${s.state}, pid: ${s.pid}, exit_code: ${s.exitCode}`);
  }

  #status(c: ContainerRecord): ContainerStatus {
    return {
      id: c.id, metadata: { ...c.config.metadata }, state: c.state, createdAt: c.createdAt, startedAt: c.startedAt, finishedAt: c.finishedAt,
      exitCode: c.exitCode, image: c.image.name, imageRef: c.image.configDigest, reason: c.reason, logPath: c.config.logPath, podSandboxId: c.sandboxId, pid: c.pid,
    };
  }

  ListContainers(filter: { podSandboxId?: string; state?: ContainerState } = {}): Result<ContainerStatus[]> {
    const req = [filter.podSandboxId ? `pod_sandbox_id: ${filter.podSandboxId.slice(0, 13)}` : '', filter.state ? `state: ${filter.state}` : ''].filter(Boolean).join(', ') || 'filter: {}';
    return this.#record('ListContainers', req, () => ok(
      [...this.containers.values()]
        .filter((c) => (!filter.podSandboxId || c.sandboxId === filter.podSandboxId) && (!filter.state || c.state === filter.state))
        .map((c) => this.#status(c)),
    ), (list) => `${list.length} container(s): ${list.map((s) => `${s.metadata.name}=${s.state.replace('CONTAINER_', '')}`).join(', ')}`);
  }

  /**
   * The container's program exits by itself: the shim reaps it and publishes
   * /tasks/exit; containerd's event monitor records the exit in the container
   * status (internal/cri/server/events.go handleContainerExit).
   */
  exitProcess(containerId: string, status: number): boolean {
    const c = this.containers.get(containerId);
    if (!c || c.state !== 'CONTAINER_RUNNING') return false;
    const r = this.shims.get(c.sandboxId)?.processExited(containerId, status, this.clock.nowTicks);
    if (!r?.ok) return false;
    this.#syncFromTask(c);
    return true;
  }

  sandbox(id: string): SandboxRecord | undefined {
    return this.sandboxes.get(id);
  }

  container(id: string): ContainerRecord | undefined {
    return this.containers.get(id);
  }

  /**
   * The /tasks/exit event from a shim while containerd is connected: the CRI
   * plugin's event monitor marks the container exited (internal/cri/server/events.go
   * handleContainerExit). While containerd is down the event waits in the shim.
   */
  handleTaskExit(containerId: string): boolean {
    const c = this.containers.get(containerId);
    if (!this.running || !c) return false;
    this.#syncFromTask(c);
    return true;
  }

  // ---------------- restart ----------------

  /** systemctl stop containerd (KillMode=process): only the daemon exits; shims and containers stay. */
  stop(): string[] {
    const notes: string[] = [];
    this.kernel.exit(this.pid, 0);
    this.kernel.reap(this.pid);
    this.running = false;
    for (const s of this.shims.values()) s.connected = false;
    // In-memory CRI state is lost; records below are kept only as meta.db content.
    for (const c of this.containers.values()) {
      c.state = 'CONTAINER_UNKNOWN';
      c.pid = 0;
    }
    notes.push(`containerd (pid ${this.pid}) exits; KillMode=process: systemd does not touch the shims`);
    for (const s of this.shims.values()) notes.push(`shim pid ${s.pid} keeps running (parent pid ${this.kernel.process(s.pid)?.ppid}), holding ${s.tasks.size} task(s)`);
    return notes;
  }

  /** systemctl start containerd: a new daemon recovers sandboxes and containers from meta.db and the shims. */
  start(): string[] {
    const notes: string[] = [];
    this.pid = this.#spawnDaemon();
    this.running = true;
    notes.push(`containerd starts as pid ${this.pid}; loads meta.db (${this.sandboxes.size} sandbox(es), ${this.containers.size} container(s)), content store and snapshots from /var/lib/containerd`);
    for (const [id, s] of this.shims) {
      notes.push(`read ${s.bundleOf(id)}/bootstrap.json → reconnect ${s.address.slice(0, 44)}… (shim pid ${s.pid})`);
      s.connected = true;
      for (const e of s.pendingExits.splice(0)) notes.push(`shim replays /tasks/exit for ${e.id.slice(0, 13)}: pid ${e.pid} exited with status ${e.exitStatus} while containerd was down`);
    }
    for (const c of this.containers.values()) {
      this.#syncFromTask(c);
      const t = this.shims.get(c.sandboxId)?.tasks.get(c.id);
      if (t) notes.push(`recover ${c.config.metadata.name}: Task.State → ${t.status}${t.status === 'running' ? ` (pid ${t.pid})` : `, exit status ${t.exitStatus}`} → ${c.state}`);
      else if (c.state === 'CONTAINER_UNKNOWN') c.state = 'CONTAINER_CREATED';
    }
    return notes;
  }

  errors(): SimError[] {
    return this.calls.filter((c) => !c.ok).map((c) => simError('CRI_ERROR', `${c.method}: ${c.response}`));
  }
}
