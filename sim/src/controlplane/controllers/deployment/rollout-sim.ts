/**
 * A deterministic, tick-driven rollout: the Deployment controller, the
 * ReplicaSet controller and a toy kubelet (pods become Running, then Ready,
 * after seeded random delays; some new pods may never become Ready) advancing
 * one virtual second per tick. Backs the rolling-update widget and the
 * property tests (a rollout never exceeds desired+maxSurge pods nor drops
 * below desired−maxUnavailable available pods).
 */
import { Prng } from '../../../core/prng.ts';
import { maxSurgeOf, maxUnavailableOf } from '../fenceposts.ts';
import { calculateReplicaSetStatus, manageReplicas } from '../replicaset.ts';
import type { SimDeployment, SimPod, SimReplicaSet } from '../types.ts';
import { emptyDeploymentStatus } from '../types.ts';
import { syncDeployment, type ControllerEvent, type DeploymentStore, type NameSource } from './controller.ts';
import { rolloutUndo } from './rollback.ts';
import { REVISION_ANNOTATION, getCondition, revisionOf } from './util.ts';
import { sha256Hex } from '../../../core/sha256.ts';

export const TICK_MS = 1000;

export interface RolloutSimOptions {
  seed: number;
  /** A new pod becomes Ready after a uniform delay in [min, max] seconds. Default [2, 8]. */
  podReadySeconds?: [number, number];
  /** Probability that a new pod crash-loops and never becomes Ready. Default 0. */
  newPodFailureRate?: number;
  /** A deleted pod lingers (terminating) for [min, max] seconds. Default [1, 3]. */
  terminationSeconds?: [number, number];
  nodes?: number;
}

/** What happens at a given second: `kubectl set image`, `kubectl scale`, `kubectl rollout undo`. */
export type RolloutAction =
  | { atSeconds: number; kind: 'setImage'; image: string }
  | { atSeconds: number; kind: 'scale'; replicas: number }
  | { atSeconds: number; kind: 'undo'; toRevision?: number };

export interface RolloutPoint {
  timeSeconds: number;
  /** Σ spec.replicas of the old ReplicaSets / of the new one. */
  oldReplicas: number;
  newReplicas: number;
  /** Active (not terminating) pods of old / new sets. */
  oldPods: number;
  newPods: number;
  totalPods: number;
  terminatingPods: number;
  readyPods: number;
  availablePods: number;
  /** Bounds the controller keeps: desired + maxSurge and desired − maxUnavailable. */
  maxTotalPods: number;
  minAvailablePods: number;
  desiredReplicas: number;
  progressing: string;
}

interface PodPlan {
  runningAtMs: number;
  readyAtMs: number | null;
  goneAtMs: number | null;
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class RolloutSimulation {
  readonly store: DeploymentStore;
  readonly events: ControllerEvent[] = [];
  nowMs = 0;
  #prng: Prng;
  #plans = new Map<string, PodPlan>();
  #uid = 0;
  #opts: Required<Omit<RolloutSimOptions, 'seed'>>;
  #names: NameSource;

  /** Starts from `deployment` fully rolled out at revision 1 with `initialImage`; `deployment.template` is what to roll to. */
  constructor(deployment: SimDeployment, initialImage: string, options: RolloutSimOptions) {
    this.#prng = new Prng(options.seed);
    this.#opts = {
      podReadySeconds: options.podReadySeconds ?? [2, 8],
      newPodFailureRate: options.newPodFailureRate ?? 0,
      terminationSeconds: options.terminationSeconds ?? [1, 3],
      nodes: options.nodes ?? 3,
    };
    this.#names = {
      templateHash: (image) => {
        const hex = sha256Hex(image);
        let s = '';
        for (let i = 0; i < 10; i++) s += SAFE_ALPHABET[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % SAFE_ALPHABET.length];
        return s;
      },
      uid: () => `uid-${++this.#uid}`,
    };
    const d: SimDeployment = { ...deployment, annotations: { ...deployment.annotations }, status: emptyDeploymentStatus() };
    const hash = this.#names.templateHash(initialImage);
    const rs: SimReplicaSet = {
      name: `${d.name}-${hash}`, uid: this.#names.uid(), creationMs: -3_600_000, replicas: d.replicas,
      template: { image: initialImage }, templateHash: hash,
      annotations: { [REVISION_ANNOTATION]: '1', 'deployment.kubernetes.io/desired-replicas': String(d.replicas), 'deployment.kubernetes.io/max-replicas': String(d.replicas + maxSurgeOf(d)) },
      status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
    };
    d.annotations[REVISION_ANNOTATION] = '1';
    this.store = { deployment: d, replicaSets: [rs], pods: [] };
    for (let i = 0; i < d.replicas; i++) {
      const pod = this.#newPod(rs, -3_600_000);
      pod.phase = 'Running';
      pod.ready = true;
      pod.readySinceMs = -3_590_000;
      this.store.pods.push(pod);
      this.#plans.set(pod.name, { runningAtMs: -3_600_000, readyAtMs: -3_590_000, goneAtMs: null });
    }
    this.#refreshStatuses();
    // Steady state before the change: revision 1 complete.
    const steady = { ...d, template: { image: initialImage } };
    this.store.deployment = steady;
    syncDeployment(this.store, this.nowMs, this.#names);
    this.store.deployment = { ...steady, template: { ...deployment.template }, generation: steady.generation + 1 };
  }

  #newPod(rs: SimReplicaSet, nowMs: number): SimPod {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += SAFE_ALPHABET[this.#prng.intBetween(0, SAFE_ALPHABET.length)];
    return {
      name: `${rs.name}-${suffix}`, uid: this.#names.uid(), owner: rs.name,
      nodeName: `node-${this.#prng.intBetween(1, this.#opts.nodes + 1)}`,
      phase: 'Pending', ready: false, readySinceMs: null, creationMs: nowMs, restartCount: 0,
    };
  }

  #refreshStatuses(): void {
    const d = this.store.deployment;
    for (const rs of this.store.replicaSets) {
      rs.status = calculateReplicaSetStatus(this.store.pods.filter((p) => p.owner === rs.name), d.minReadySeconds, this.nowMs);
    }
  }

  #advancePods(): void {
    const now = this.nowMs;
    this.store.pods = this.store.pods.filter((p) => {
      const plan = this.#plans.get(p.name)!;
      return plan.goneAtMs === null || plan.goneAtMs > now;
    });
    for (const p of this.store.pods) {
      const plan = this.#plans.get(p.name)!;
      if (p.deletionMs != null) continue;
      if (p.phase === 'Pending' && plan.runningAtMs <= now) p.phase = 'Running';
      if (!p.ready && plan.readyAtMs !== null && plan.readyAtMs <= now) {
        p.ready = true;
        p.readySinceMs = plan.readyAtMs;
      }
      // A crash-looping container restarts (CrashLoopBackOff, 10 s initial backoff doubling; here every 10 s).
      if (plan.readyAtMs === null && p.phase === 'Running' && (now - plan.runningAtMs) % 10_000 === 0 && now > plan.runningAtMs) p.restartCount++;
    }
  }

  #syncReplicaSets(): void {
    const now = this.nowMs;
    const [readyMin, readyMax] = this.#opts.podReadySeconds;
    const [termMin, termMax] = this.#opts.terminationSeconds;
    for (const rs of this.store.replicaSets) {
      const owned = this.store.pods.filter((p) => p.owner === rs.name);
      const action = manageReplicas(rs, owned, this.store.pods, now);
      if (action.kind === 'create') {
        for (let i = 0; i < action.count; i++) {
          const pod = this.#newPod(rs, now);
          const readyDelayMs = this.#prng.intBetween(readyMin * 1000, readyMax * 1000 + 1);
          const imageBroken = rs.template.image.includes('does-not-exist');
          const fails = imageBroken || this.#prng.chance(this.#opts.newPodFailureRate);
          this.#plans.set(pod.name, {
            runningAtMs: imageBroken ? Number.MAX_SAFE_INTEGER : now + Math.floor(readyDelayMs / 2),
            readyAtMs: fails ? null : now + readyDelayMs,
            goneAtMs: null,
          });
          this.store.pods.push(pod);
        }
      } else if (action.kind === 'delete') {
        const doomed = new Set(action.pods);
        for (const p of owned) {
          if (!doomed.has(p.name)) continue;
          p.deletionMs = now;
          p.ready = false;
          this.#plans.get(p.name)!.goneAtMs = now + this.#prng.intBetween(termMin * 1000, termMax * 1000 + 1);
        }
      }
    }
    this.#refreshStatuses();
  }

  /** Apply a scripted user action (kubectl) now. */
  apply(action: RolloutAction): ControllerEvent[] {
    const d = this.store.deployment;
    const out: ControllerEvent[] = [];
    if (action.kind === 'setImage') {
      d.template = { image: action.image };
      d.generation++;
      out.push({ timeMs: this.nowMs, reason: 'kubectl', message: `set image → ${action.image}` });
    } else if (action.kind === 'scale') {
      d.replicas = action.replicas;
      d.generation++;
      out.push({ timeMs: this.nowMs, reason: 'kubectl', message: `scale --replicas=${action.replicas}` });
    } else {
      const r = rolloutUndo(this.store, action.toRevision ?? 0);
      out.push({ timeMs: this.nowMs, reason: 'kubectl', message: r.ok ? `rollout undo: ${r.value.message} (to revision ${r.value.toRevision})` : `rollout undo: ${r.errors[0]!.message}` });
    }
    this.events.push(...out);
    return out;
  }

  /** One virtual second: pods progress, the Deployment controller syncs, then the ReplicaSet controller. */
  step(): RolloutPoint {
    this.#advancePods();
    this.#refreshStatuses();
    this.events.push(...syncDeployment(this.store, this.nowMs, this.#names));
    this.#syncReplicaSets();
    const point = this.observe();
    this.nowMs += TICK_MS;
    return point;
  }

  /** Counts at the current instant (used by the timeline and the invariant checker). */
  observe(): RolloutPoint {
    const d = this.store.deployment;
    const newRS = [...this.store.replicaSets].find((rs) => rs.template.image === d.template.image);
    const active = this.store.pods.filter((p) => p.deletionMs == null);
    const isNew = (p: SimPod) => newRS !== undefined && p.owner === newRS.name;
    const minReadyMs = d.minReadySeconds * 1000;
    return {
      timeSeconds: this.nowMs / 1000,
      oldReplicas: this.store.replicaSets.filter((rs) => rs !== newRS).reduce((s, rs) => s + rs.replicas, 0),
      newReplicas: newRS?.replicas ?? 0,
      oldPods: active.filter((p) => !isNew(p)).length,
      newPods: active.filter(isNew).length,
      totalPods: active.length,
      terminatingPods: this.store.pods.length - active.length,
      readyPods: active.filter((p) => p.ready).length,
      availablePods: active.filter((p) => p.ready && (minReadyMs === 0 || (p.readySinceMs !== null && p.readySinceMs + minReadyMs < this.nowMs))).length,
      maxTotalPods: d.replicas + maxSurgeOf(d),
      minAvailablePods: d.replicas - maxUnavailableOf(d),
      desiredReplicas: d.replicas,
      progressing: getCondition(d.status, 'Progressing')?.reason ?? '',
    };
  }

  /** Rollout finished: Progressing=True NewReplicaSetAvailable and no old pods left. */
  get complete(): boolean {
    const p = this.observe();
    return p.progressing === 'NewReplicaSetAvailable' && p.oldPods === 0 && p.terminatingPods === 0;
  }

  revisions(): { name: string; revision: number; image: string; replicas: number; history?: string }[] {
    return this.store.replicaSets
      .map((rs) => ({ name: rs.name, revision: revisionOf(rs), image: rs.template.image, replicas: rs.replicas, ...(rs.annotations['deployment.kubernetes.io/revision-history'] ? { history: rs.annotations['deployment.kubernetes.io/revision-history'] } : {}) }))
      .sort((a, b) => a.revision - b.revision);
  }
}
