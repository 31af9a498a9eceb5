/**
 * kubelet defaults and timing constants the model uses, with where each lives
 * upstream. Read from kubernetes master (v1.35 development line; the values
 * are the same in release-1.34):
 *  - pkg/kubelet/kubelet.go: initialCrashLoopBackOff = 10s, MaxCrashLoopBackOff
 *    = v1beta1.MaxContainerBackOff = 300s, crashLoopBackOff.HasExpiredFunc
 *    "eventTime − lastUpdate > 600s" (the reset after 10 minutes),
 *    reducedInitialCrashLoopBackOff = 1s / reducedMaxCrashLoopBackOff = 60s
 *    behind the alpha gate ReduceDefaultCrashLoopBackOffDecay (since v1.33,
 *    off by default), genericPlegRelistPeriod = 1s, backOffPeriod = 10s;
 *  - pkg/kubelet/pod_workers.go: workerResyncIntervalJitterFactor and
 *    workerBackOffPeriodJitterFactor = 0.5, resync interval 1 min;
 *  - pkg/apis/core/v1/defaults.go SetDefaults_Probe: timeoutSeconds 1,
 *    periodSeconds 10, successThreshold 1, failureThreshold 3
 *    (initialDelaySeconds unset = 0);
 *  - pkg/kubelet/eviction/defaults_linux.go DefaultEvictionHard:
 *    memory.available<100Mi, nodefs.available<10%, nodefs.inodesFree<5%,
 *    imagefs.available<15%, imagefs.inodesFree<5%;
 *  - pkg/kubelet/apis/config/v1beta1/defaults.go: maxPods 110,
 *    terminationGracePeriodSeconds default 30 (pkg/apis/core/v1/defaults.go).
 * One tick of the kubelet model is one second.
 */
import type { Probe } from '../../api/objects.ts';

export const TICKS_PER_SECOND = 1;

export const INITIAL_CRASH_LOOP_BACKOFF_S = 10;
export const MAX_CRASH_LOOP_BACKOFF_S = 300;
/** HasExpiredFunc in NewMainKubelet: a backoff entry older than this is forgotten. */
export const CRASH_LOOP_BACKOFF_RESET_S = 600;
/** Alpha ReduceDefaultCrashLoopBackOffDecay (v1.33+, default off). */
export const REDUCED_INITIAL_CRASH_LOOP_BACKOFF_S = 1;
export const REDUCED_MAX_CRASH_LOOP_BACKOFF_S = 60;

export const PLEG_RELIST_PERIOD_S = 1;
export const POD_WORKER_BACKOFF_S = 10;
export const POD_WORKER_RESYNC_S = 60;
export const POD_WORKER_JITTER = 0.5;

export const DEFAULT_MAX_PODS = 110;
export const DEFAULT_TERMINATION_GRACE_S = 30;

export interface ProbeDefaults {
  initialDelaySeconds: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

export const PROBE_DEFAULTS: ProbeDefaults = { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };

export function probeWithDefaults(p: Probe): ProbeDefaults {
  return {
    initialDelaySeconds: p.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds,
    timeoutSeconds: p.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds,
    periodSeconds: p.periodSeconds ?? PROBE_DEFAULTS.periodSeconds,
    successThreshold: p.successThreshold ?? PROBE_DEFAULTS.successThreshold,
    failureThreshold: p.failureThreshold ?? PROBE_DEFAULTS.failureThreshold,
  };
}

/** DefaultEvictionHard (eviction/defaults_linux.go). Percentages are of capacity. */
export const DEFAULT_EVICTION_HARD: Record<string, string> = {
  'memory.available': '100Mi',
  'nodefs.available': '10%',
  'nodefs.inodesFree': '5%',
  'imagefs.available': '15%',
  'imagefs.inodesFree': '5%',
};

/**
 * util/flowcontrol Backoff as the kubelet configures it: no jitter, doubling
 * per Next() up to max, an entry forgotten when the event comes more than
 * `resetS` after its last update (client-go util/flowcontrol/backoff.go Next,
 * IsInBackOffSince; kubelet.go HasExpiredFunc). Keys are per container
 * (kuberuntime GetBackoffKey: pod name_namespace_uid_container_hash).
 */
export class CrashLoopBackoff {
  readonly initialS: number;
  readonly maxS: number;
  readonly resetS: number;
  readonly #entries = new Map<string, { backoffS: number; lastUpdate: number }>();

  constructor(initialS = INITIAL_CRASH_LOOP_BACKOFF_S, maxS = MAX_CRASH_LOOP_BACKOFF_S, resetS = CRASH_LOOP_BACKOFF_RESET_S) {
    this.initialS = initialS;
    this.maxS = maxS;
    this.resetS = resetS;
  }

  #expired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > this.resetS;
  }

  /** Current delay for the key (0 when none). */
  get(key: string): number {
    return this.#entries.get(key)?.backoffS ?? 0;
  }

  /** Next(id, eventTime): first time (or after expiry) → initial; else double, capped. lastUpdate = now. */
  next(key: string, eventTime: number, now: number): number {
    const e = this.#entries.get(key);
    let backoffS: number;
    if (!e || this.#expired(eventTime, e.lastUpdate)) backoffS = this.initialS;
    else backoffS = Math.min(e.backoffS * 2, this.maxS);
    this.#entries.set(key, { backoffS, lastUpdate: now });
    return backoffS;
  }

  /** IsInBackOffSince(id, eventTime): now − eventTime < backoff, unless the entry expired. */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.#entries.get(key);
    if (!e) return false;
    if (this.#expired(eventTime, e.lastUpdate)) return false;
    return now - eventTime < e.backoffS;
  }
}
