/**
 * The kube-scheduler loop, driven by integer ticks (1 tick = 1 ms), after
 * pkg/scheduler/scheduler.go and schedule_one.go (Kubernetes v1.34):
 * ScheduleOne pops a pod, runs the scheduling cycle (schedule_one.ts), on
 * success *assumes* the pod onto its node in the cache — so the very next pod
 * already sees it — then Reserve and Permit; the binding cycle runs
 * WaitOnPermit, PreBind, Bind (DefaultBinder records a Binding) and PostBind.
 * Any failure after assume runs Unreserve and forgets the assumed pod. When
 * no node fits, PostFilter (DefaultPreemption) may nominate a node and evict
 * victims; the pod goes back to the queue (see queue/scheduling_queue.ts).
 *
 * Upstream runs the binding cycle in a goroutine; here it runs right after
 * the scheduling cycle in the same tick, unless Permit made the pod wait.
 * Events are recorded as a transcript (`events`) a widget or test can replay.
 */
import type { Node, Pod } from '../../api/objects.ts';
import { Clock } from '../../core/clock.ts';
import { Prng } from '../../core/prng.ts';
import { defaultConfiguration, type KubeSchedulerConfiguration } from './apis/types.ts';
import type { CycleState } from './framework/interface.ts';
import { Framework } from './framework/runtime.ts';
import { Snapshot } from './framework/snapshot.ts';
import { newPodInfo, type PodInfo } from './framework/types.ts';
import type { Binding } from './plugins/defaultbinder/default_binder.ts';
import type { PluginFactory } from './plugins/registry.ts';
import { BackoffFlushPeriodTicks, UnschedulableFlushPeriodTicks } from './queue/backoff.ts';
import { SchedulingQueue, type QueuedPodInfo } from './queue/scheduling_queue.ts';
import { outcomeMessage, schedulePod } from './schedule_one.ts';

export type SchedulerEventType = 'Scheduled' | 'FailedScheduling' | 'Preempted' | 'Nominated' | 'WaitingOnPermit' | 'PermitRejected' | 'BindFailed' | 'Gated';

export interface SchedulerEvent {
  tick: number;
  type: SchedulerEventType;
  /** namespace/name */
  pod: string;
  node?: string;
  message: string;
}

export interface RecordedBinding extends Binding {
  tick: number;
}

export interface SchedulerOptions {
  config?: KubeSchedulerConfiguration;
  seed?: number;
  clock?: Clock;
  outOfTreeRegistry?: ReadonlyMap<string, PluginFactory>;
  popFromBackoffQ?: boolean;
  /** Keep the event transcript (off in benchmarks). Default true. */
  recordEvents?: boolean;
  /** Disable the benchmark shortcuts (same placements; used by the equivalence test). */
  noFastPaths?: boolean;
}

interface WaitingPod {
  q: QueuedPodInfo;
  state: CycleState;
  node: string;
  fwk: Framework;
  deadlineTicks: number;
  pendingPlugins: Set<string>;
}

export class Scheduler {
  readonly clock: Clock;
  readonly snapshot = new Snapshot();
  readonly queue: SchedulingQueue;
  readonly frameworks = new Map<string, Framework>();
  readonly config: KubeSchedulerConfiguration;
  readonly events: SchedulerEvent[] = [];
  readonly bindings: RecordedBinding[] = [];
  /** Keys of pods assumed but not yet bound. */
  readonly assumed = new Set<string>();
  /** Bound pods as objects with spec.nodeName set. */
  readonly boundPods = new Map<string, Pod>();
  readonly waitingPods = new Map<string, WaitingPod>();
  readonly #nominated = new Map<string, PodInfo[]>();
  readonly #prng: Prng;
  readonly #start = { nextStartNodeIndex: 0 };
  readonly #record: boolean;
  readonly #noFastPaths: boolean;

  constructor(opts: SchedulerOptions = {}) {
    this.clock = opts.clock ?? new Clock();
    this.config = opts.config ?? defaultConfiguration();
    this.#prng = new Prng(opts.seed ?? 1);
    this.#record = opts.recordEvents ?? true;
    this.#noFastPaths = opts.noFastPaths ?? false;
    for (const prof of this.config.profiles) {
      const fwk = new Framework(prof, this.snapshot, {
        // floor(u·n) with a 32-bit u: uniform to within n/2^32, and cheap enough for every tie.
        randomInt: (n) => (n <= 1 ? 0 : Math.floor(this.#prng.nextFloat() * n)),
        outOfTreeRegistry: opts.outOfTreeRegistry,
        onBind: (b) => {
          this.bindings.push({ ...b, tick: this.clock.nowTicks });
          return null;
        },
        nominatedPodsForNode: (n) => (this.#nominated.size === 0 ? undefined : this.#nominated.get(n)),
        hasNominatedPods: () => this.#nominated.size > 0,
      });
      this.frameworks.set(prof.schedulerName, fwk);
    }
    const first = this.frameworks.values().next().value as Framework;
    const sort = first.queueSortPlugins[0];
    this.queue = new SchedulingQueue({
      less: sort ? (a, b) => sort.less(a, b) : (a, b) => a.timestampTicks < b.timestampTicks,
      now: () => this.clock.nowTicks,
      preEnqueue: (pod) => this.frameworks.get(pod.schedulerName)?.runPreEnqueuePlugins(pod) ?? null,
      podInitialBackoffTicks: this.config.podInitialBackoffSeconds * 1000,
      podMaxBackoffTicks: this.config.podMaxBackoffSeconds * 1000,
      popFromBackoffQ: opts.popFromBackoffQ ?? true,
    });
  }

  #event(type: SchedulerEventType, pod: string, message: string, node?: string): void {
    if (!this.#record) return;
    this.events.push({ tick: this.clock.nowTicks, type, pod, message, ...(node ? { node } : {}) });
  }

  // --- informer-side inputs ---

  /** A node was added or changed: pods waiting as unschedulable may now fit. */
  upsertNode(node: Node): void {
    this.snapshot.upsertNode(node);
    this.queue.moveAllToActiveOrBackoffQueue();
  }

  removeNode(name: string): void {
    this.snapshot.removeNode(name);
  }

  /** A pod appeared: bound ones go to the cache, pending ones (for one of our profiles) to the queue. */
  addPod(pod: Pod): void {
    const info = newPodInfo(pod);
    if (info.nodeName) {
      this.snapshot.addPod(info, info.nodeName);
      this.boundPods.set(info.key, pod);
      return;
    }
    if (!this.frameworks.has(info.schedulerName)) return;
    this.queue.add(info);
  }

  /** A pending pod changed (e.g. spec.schedulingGates emptied). */
  updatePendingPod(pod: Pod): void {
    this.queue.update(newPodInfo(pod));
  }

  /** A pod was deleted: a bound one frees room, so unschedulable pods are retried. */
  deletePod(key: string): void {
    if (this.queue.delete(key)) return;
    if (this.snapshot.removePod(key)) {
      this.boundPods.delete(key);
      this.assumed.delete(key);
      this.queue.moveAllToActiveOrBackoffQueue();
    }
  }

  // --- the loop ---

  /** Advances `ticks` ticks; each tick runs the periodic flushes and then schedules every pod it can pop. */
  tick(ticks = 1): void {
    for (let i = 0; i < ticks; i++) {
      const now = this.clock.advance(1);
      if (now % BackoffFlushPeriodTicks === 0) this.queue.flushBackoffQCompleted();
      if (now % UnschedulableFlushPeriodTicks === 0) this.queue.flushUnschedulablePodsLeftover();
      if (this.waitingPods.size > 0) this.#expireWaitingPods();
      if (this.queue.activeQ.length > 0 || this.queue.backoffQ.length > 0) this.runUntilIdle();
    }
  }

  /** Runs ScheduleOne until the queue has nothing to pop (each pod at most once). Returns the number of attempts. */
  runUntilIdle(): number {
    const tried = new Set<string>();
    let n = 0;
    for (;;) {
      const next = this.queue.activeQ.peek() ?? this.queue.backoffQ.peek();
      if (!next || tried.has(next.pod.key)) break;
      tried.add(next.pod.key);
      if (!this.scheduleOne()) break;
      n++;
    }
    return n;
  }

  /** upstream ScheduleOne. Returns false when there was nothing to schedule. */
  scheduleOne(): boolean {
    const q = this.queue.pop();
    if (!q) return false;
    const podCycle = this.queue.schedulingCycle;
    const pod = q.pod;
    const fwk = this.frameworks.get(pod.schedulerName)!;
    const o = schedulePod(fwk, pod, this.#start, { globalPercentageOfNodesToScore: this.config.percentageOfNodesToScore, noFastPaths: this.#noFastPaths });
    if (o.suggestedHost === null) {
      this.#handleFitError(q, fwk, o, podCycle);
      return true;
    }
    const host = o.suggestedHost;
    // assume: the cache counts the pod on `host` before it is bound.
    this.snapshot.addPod(pod, host);
    this.assumed.add(pod.key);
    this.#removeNominated(pod);
    const reserve = fwk.runReservePluginsReserve(o.state, pod, host);
    if (reserve !== null) {
      this.#undo(fwk, o.state, pod, host);
      this.queue.addUnschedulable(q, podCycle, [reserve.plugin ?? ''], reserve.reasons.join(', '));
      this.#event('FailedScheduling', pod.key, `running Reserve plugin "${reserve.plugin}": ${reserve.reasons.join(', ')}`);
      return true;
    }
    const permit = fwk.runPermitPlugins(o.state, pod, host);
    if (permit.status !== null && permit.status.code !== 'Wait') {
      this.#undo(fwk, o.state, pod, host);
      this.queue.addUnschedulable(q, podCycle, [permit.status.plugin ?? ''], permit.status.reasons.join(', '));
      this.#event('PermitRejected', pod.key, `rejected by Permit plugin "${permit.status.plugin}": ${permit.status.reasons.join(', ')}`, host);
      return true;
    }
    if (permit.status?.code === 'Wait') {
      this.waitingPods.set(pod.key, { q, state: o.state, node: host, fwk, deadlineTicks: this.clock.nowTicks + permit.waitTicks, pendingPlugins: new Set(permit.waitingOn) });
      this.#event('WaitingOnPermit', pod.key, `waiting on Permit plugin(s) ${permit.waitingOn.join(', ')} for up to ${permit.waitTicks} ticks`, host);
      return true;
    }
    this.#bindingCycle(q, fwk, o.state, host);
    return true;
  }

  #handleFitError(q: QueuedPodInfo, fwk: Framework, o: ReturnType<typeof schedulePod>, podCycle: number): void {
    const pod = q.pod;
    const post = fwk.runPostFilterPlugins(o.state, pod, o.diagnosis.nodeToStatus);
    if (post?.message) o.diagnosis.postFilterMsg = post.message;
    const message = outcomeMessage(this.snapshot.nodes.length, o);
    const plugins = new Set<string>();
    for (const s of o.diagnosis.nodeToStatus.values()) if (s.plugin) plugins.add(s.plugin);
    if (o.diagnosis.absentNodesStatus?.plugin) plugins.add(o.diagnosis.absentNodesStatus.plugin);
    this.#event('FailedScheduling', pod.key, message);
    if (post?.nominatedNodeName) {
      // Nominate, then evict the victims (upstream prepareCandidate deletes them via the API).
      const copy: Pod = { ...pod.pod, status: { ...(pod.pod.status ?? {}), nominatedNodeName: post.nominatedNodeName } };
      const nominatedInfo = newPodInfo(copy);
      q.pod = nominatedInfo;
      const list = this.#nominated.get(post.nominatedNodeName) ?? [];
      list.push(nominatedInfo);
      this.#nominated.set(post.nominatedNodeName, list);
      this.#event('Nominated', pod.key, `nominated to ${post.nominatedNodeName}`, post.nominatedNodeName);
      this.queue.addUnschedulable(q, podCycle, plugins, message);
      for (const victim of post.victims ?? []) {
        this.#event('Preempted', victim, `Preempted by pod ${pod.key} on node ${post.nominatedNodeName}`, post.nominatedNodeName);
        this.deletePod(victim);
      }
      return;
    }
    this.queue.addUnschedulable(q, podCycle, plugins, message);
  }

  #undo(fwk: Framework, state: CycleState, pod: PodInfo, host: string): void {
    fwk.runReservePluginsUnreserve(state, pod, host);
    this.snapshot.removePod(pod.key);
    this.assumed.delete(pod.key);
  }

  #bindingCycle(q: QueuedPodInfo, fwk: Framework, state: CycleState, host: string): void {
    const pod = q.pod;
    const pre = fwk.runPreBindPlugins(state, pod, host);
    const bind = pre ?? fwk.runBindPlugins(state, pod, host);
    if (bind !== null) {
      this.#undo(fwk, state, pod, host);
      const msg = `running ${pre ? 'PreBind' : 'Bind'} plugin "${bind.plugin ?? ''}": ${bind.reasons.join(', ')}`;
      this.queue.addAfterError(q, msg);
      this.queue.moveAllToActiveOrBackoffQueue();
      this.#event('BindFailed', pod.key, msg, host);
      return;
    }
    fwk.runPostBindPlugins(state, pod, host);
    this.assumed.delete(pod.key);
    this.queue.done(pod.key);
    this.boundPods.set(pod.key, { ...pod.pod, spec: { ...(pod.pod.spec ?? {}), nodeName: host } });
    this.#event('Scheduled', pod.key, `Successfully assigned ${pod.key} to ${host}`, host);
  }

  #removeNominated(pod: PodInfo): void {
    const n = pod.pod.status?.nominatedNodeName;
    if (!n) return;
    const list = this.#nominated.get(n)?.filter((p) => p.key !== pod.key);
    if (list && list.length > 0) this.#nominated.set(n, list);
    else this.#nominated.delete(n);
  }

  // --- Permit's waiting pods (upstream framework.WaitingPod) ---

  /** A Permit plugin allows a waiting pod; when none is pending any more, binding proceeds. */
  allowWaitingPod(key: string, plugin: string): boolean {
    const w = this.waitingPods.get(key);
    if (!w) return false;
    w.pendingPlugins.delete(plugin);
    if (w.pendingPlugins.size === 0) {
      this.waitingPods.delete(key);
      this.#bindingCycle(w.q, w.fwk, w.state, w.node);
    }
    return true;
  }

  rejectWaitingPod(key: string, plugin: string, message = 'rejected'): boolean {
    const w = this.waitingPods.get(key);
    if (!w) return false;
    this.waitingPods.delete(key);
    this.#undo(w.fwk, w.state, w.q.pod, w.node);
    this.queue.addUnschedulable(w.q, this.queue.schedulingCycle, [plugin], message);
    this.queue.moveAllToActiveOrBackoffQueue();
    this.#event('PermitRejected', key, `rejected by Permit plugin "${plugin}": ${message}`, w.node);
    return true;
  }

  #expireWaitingPods(): void {
    for (const [key, w] of [...this.waitingPods]) {
      if (this.clock.nowTicks >= w.deadlineTicks) this.rejectWaitingPod(key, [...w.pendingPlugins][0] ?? '', 'rejected due to timeout after waiting at permit');
    }
  }

  /** A JSON-friendly picture of the queues and the placements. */
  view(): SchedulerView {
    const now = this.clock.nowTicks;
    return {
      tick: now,
      activeQ: this.queue.activeQ.sorted().map((q) => q.pod.key),
      backoffQ: this.queue.backoffQ.sorted().map((q) => ({ pod: q.pod.key, backoffExpiresAtTick: this.queue.backoffExpirationTicks(q), attempts: q.attempts })),
      unschedulable: [...this.queue.unschedulablePods.values()].map((q) => ({ pod: q.pod.key, gated: q.gated, message: q.lastMessage ?? '' })),
      waitingOnPermit: [...this.waitingPods.keys()],
      nodes: this.snapshot.nodes.map((n) => ({
        name: n.name,
        pods: n.pods.map((p) => p.key),
        assumed: n.pods.filter((p) => this.assumed.has(p.key)).map((p) => p.key),
        requestedMilliCPU: n.requested.milliCPU,
        allocatableMilliCPU: n.allocatable.milliCPU,
        requestedMemoryBytes: n.requested.memory,
        allocatableMemoryBytes: n.allocatable.memory,
      })),
    };
  }
}

export interface SchedulerView {
  tick: number;
  activeQ: string[];
  backoffQ: { pod: string; backoffExpiresAtTick: number; attempts: number }[];
  unschedulable: { pod: string; gated: boolean; message: string }[];
  waitingOnPermit: string[];
  nodes: {
    name: string;
    pods: string[];
    assumed: string[];
    requestedMilliCPU: number;
    allocatableMilliCPU: number;
    requestedMemoryBytes: number;
    allocatableMemoryBytes: number;
  }[];
}
