/**
 * The scheduling queue's three parts, after
 * pkg/scheduler/backend/queue/scheduling_queue.go, active_queue.go,
 * backoff_queue.go and unschedulable_pods.go (Kubernetes v1.34):
 *
 *  - activeQ: pods ready to be tried, ordered by the QueueSort plugin
 *    (PrioritySort: priority, then time of entry);
 *  - backoffQ: pods waiting out their backoff, ordered by expiry;
 *  - unschedulablePods: pods the last attempt found unschedulable; they leave
 *    only when a cluster event might help (a node added/updated, a pod
 *    deleted) or after podMaxInUnschedulablePodsDuration (5 min).
 *
 * Queueing hints are simplified: every such event moves every unschedulable
 * pod (to backoffQ while still backing off, else to activeQ). As in v1.33+
 * (SchedulerPopFromBackoffQ, beta, on by default) an idle activeQ pops from
 * backoffQ instead of leaving the scheduler idle. Gated pods (PreEnqueue
 * rejected them) wait in unschedulablePods until their gates are removed.
 */
import type { MaybeStatus, QueuedPodInfoLike } from '../framework/interface.ts';
import type { PodInfo } from '../framework/types.ts';
import { calculateBackoffDurationTicks, DefaultPodInitialBackoffTicks, DefaultPodMaxBackoffTicks, DefaultPodMaxInUnschedulablePodsDurationTicks } from './backoff.ts';
import { Heap } from './heap.ts';

/** upstream framework.QueuedPodInfo. */
export interface QueuedPodInfo extends QueuedPodInfoLike {
  pod: PodInfo;
  /** When the pod was last added to the queue (ticks). */
  timestampTicks: number;
  /** When the pod was first added (ticks), for the end-to-end latency. */
  initialAttemptTicks: number;
  /** Times the pod was popped for a scheduling attempt. */
  attempts: number;
  /** Attempts that ended Unschedulable; drives the backoff. */
  unschedulableCount: number;
  /** Attempts in a row that ended in an error (bind failure); drives the error backoff. */
  consecutiveErrorsCount: number;
  /** Plugins that rejected the pod last time. */
  unschedulablePlugins: Set<string>;
  /** Rejected by a PreEnqueue plugin (scheduling gates). */
  gated: boolean;
  /** Why the last attempt failed, for the view. */
  lastMessage: string | null;
  /** Arrival order; breaks ties QueueSort leaves open so runs are deterministic. */
  seq: number;
}

export interface SchedulingQueueOptions {
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  now: () => number;
  preEnqueue: (pod: PodInfo) => MaybeStatus;
  podInitialBackoffTicks?: number;
  podMaxBackoffTicks?: number;
  podMaxInUnschedulablePodsDurationTicks?: number;
  popFromBackoffQ?: boolean;
}

export class SchedulingQueue {
  readonly activeQ: Heap<QueuedPodInfo>;
  readonly backoffQ: Heap<QueuedPodInfo>;
  readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done (being scheduled or bound). */
  readonly inFlight = new Map<string, QueuedPodInfo>();
  readonly #o: Required<SchedulingQueueOptions>;
  /** Incremented by every pop (upstream schedulingCycle). */
  schedulingCycle = 0;
  /** The schedulingCycle at the last move request (cluster event). */
  moveRequestCycle = -1;
  #seq = 0;

  constructor(o: SchedulingQueueOptions) {
    this.#o = {
      podInitialBackoffTicks: DefaultPodInitialBackoffTicks,
      podMaxBackoffTicks: DefaultPodMaxBackoffTicks,
      podMaxInUnschedulablePodsDurationTicks: DefaultPodMaxInUnschedulablePodsDurationTicks,
      popFromBackoffQ: true,
      ...o,
    };
    const key = (q: QueuedPodInfo) => q.pod.key;
    const less = this.#o.less;
    this.activeQ = new Heap(key, (a, b) => less(a, b) || (!less(b, a) && a.seq < b.seq));
    this.backoffQ = new Heap(key, (a, b) => {
      const ea = this.backoffExpirationTicks(a);
      const eb = this.backoffExpirationTicks(b);
      return ea < eb || (ea === eb && (less(a, b) || (!less(b, a) && a.seq < b.seq)));
    });
  }

  /** When the pod's backoff ends (upstream getBackoffTime): timestamp + duration for its failure count. */
  backoffExpirationTicks(q: QueuedPodInfo): number {
    const count = q.consecutiveErrorsCount > 0 ? q.consecutiveErrorsCount : q.unschedulableCount;
    return q.timestampTicks + calculateBackoffDurationTicks(count, this.#o.podInitialBackoffTicks, this.#o.podMaxBackoffTicks);
  }

  isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpirationTicks(q) > this.#o.now();
  }

  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulablePods.has(key) || this.inFlight.has(key);
  }

  /** A new pending pod (upstream Add): PreEnqueue, then activeQ — or unschedulablePods if gated. */
  add(pod: PodInfo): void {
    const now = this.#o.now();
    const q: QueuedPodInfo = {
      pod,
      timestampTicks: now,
      initialAttemptTicks: now,
      attempts: 0,
      unschedulableCount: 0,
      consecutiveErrorsCount: 0,
      unschedulablePlugins: new Set(),
      gated: false,
      lastMessage: null,
      seq: this.#seq++,
    };
    this.#moveToActiveQ(q);
  }

  #moveToActiveQ(q: QueuedPodInfo): void {
    const s = this.#o.preEnqueue(q.pod);
    if (s !== null) {
      q.gated = true;
      q.lastMessage = s.reasons.join(', ');
      this.unschedulablePods.set(q.pod.key, q);
      return;
    }
    q.gated = false;
    this.unschedulablePods.delete(q.pod.key);
    this.backoffQ.delete(q.pod.key);
    this.activeQ.push(q);
  }

  /** The next pod to try: activeQ's head, else (PopFromBackoffQ) backoffQ's head. */
  pop(): QueuedPodInfo | undefined {
    let q = this.activeQ.pop();
    if (!q && this.#o.popFromBackoffQ) q = this.backoffQ.pop();
    if (!q) return undefined;
    q.attempts++;
    this.schedulingCycle++;
    this.inFlight.set(q.pod.key, q);
    return q;
  }

  /** Scheduling succeeded (or the pod was deleted): forget it. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * upstream AddUnschedulableIfNotPresent after an Unschedulable attempt:
   * into unschedulablePods, unless a move request arrived during this
   * attempt, in which case straight to backoffQ.
   */
  addUnschedulable(q: QueuedPodInfo, podSchedulingCycle: number, plugins: Iterable<string>, message: string): void {
    this.inFlight.delete(q.pod.key);
    q.timestampTicks = this.#o.now();
    q.unschedulableCount++;
    q.consecutiveErrorsCount = 0;
    q.unschedulablePlugins = new Set(plugins);
    q.lastMessage = message;
    if (this.moveRequestCycle >= podSchedulingCycle) this.backoffQ.push(q);
    else this.unschedulablePods.set(q.pod.key, q);
  }

  /** After an error (e.g. a failed Bind): retry with the error backoff. */
  addAfterError(q: QueuedPodInfo, message: string): void {
    this.inFlight.delete(q.pod.key);
    q.timestampTicks = this.#o.now();
    q.consecutiveErrorsCount++;
    q.lastMessage = message;
    this.backoffQ.push(q);
  }

  /** flushBackoffQCompleted: every pod whose backoff ended moves to activeQ. */
  flushBackoffQCompleted(): string[] {
    const moved: string[] = [];
    for (;;) {
      const q = this.backoffQ.peek();
      if (!q || this.isBackingOff(q)) break;
      this.backoffQ.pop();
      this.#moveToActiveQ(q);
      moved.push(q.pod.key);
    }
    return moved;
  }

  /** flushUnschedulablePodsLeftover: pods stuck longer than podMaxInUnschedulablePodsDuration are retried. */
  flushUnschedulablePodsLeftover(): string[] {
    const now = this.#o.now();
    const stale = [...this.unschedulablePods.values()].filter((q) => !q.gated && now - q.timestampTicks > this.#o.podMaxInUnschedulablePodsDurationTicks);
    for (const q of stale) this.#requeue(q);
    return stale.map((q) => q.pod.key);
  }

  /** A cluster event that may make pods schedulable (upstream MoveAllToActiveOrBackoffQueue). */
  moveAllToActiveOrBackoffQueue(): string[] {
    this.moveRequestCycle = this.schedulingCycle;
    const moved: string[] = [];
    for (const q of [...this.unschedulablePods.values()]) {
      if (q.gated) continue;
      this.#requeue(q);
      moved.push(q.pod.key);
    }
    return moved;
  }

  #requeue(q: QueuedPodInfo): void {
    this.unschedulablePods.delete(q.pod.key);
    if (this.isBackingOff(q)) this.backoffQ.push(q);
    else this.#moveToActiveQ(q);
  }

  /** A pending pod changed (e.g. its scheduling gates were removed). */
  update(pod: PodInfo): void {
    const key = pod.key;
    for (const h of [this.activeQ, this.backoffQ]) {
      const q = h.get(key);
      if (q) {
        q.pod = pod;
        h.push(q);
        return;
      }
    }
    const q = this.unschedulablePods.get(key);
    if (q) {
      q.pod = pod;
      if (q.gated) this.#moveToActiveQ(q);
      return;
    }
    const f = this.inFlight.get(key);
    if (f) f.pod = pod;
    else this.add(pod);
  }

  delete(key: string): boolean {
    const a = this.activeQ.delete(key) ?? this.backoffQ.delete(key);
    const b = this.unschedulablePods.delete(key);
    const c = this.inFlight.delete(key);
    return a !== undefined || b || c;
  }

  pendingCount(): number {
    return this.activeQ.length + this.backoffQ.length + this.unschedulablePods.size;
  }
}
