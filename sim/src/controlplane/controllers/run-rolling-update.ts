/**
 * Widget runner: a Deployment manifest → the timeline of its rolling update.
 *
 * Input: one YAML document, `kind: Deployment` (apps/v1). Read fields:
 * spec.replicas (default 1, limit 200), spec.strategy.type (RollingUpdate |
 * Recreate), spec.strategy.rollingUpdate.maxSurge / maxUnavailable (int or
 * "N%", default "25%"), spec.minReadySeconds, spec.progressDeadlineSeconds
 * (default 600), spec.revisionHistoryLimit (default 10),
 * spec.template.spec.containers[0].image (the version rolled out to). The
 * version rolled out *from* is the annotation `book.k8s.io/previous-image`, or
 * else the image tag with its last number decremented (nginx:1.27 → nginx:1.26).
 * An image containing "does-not-exist" never starts (ImagePullBackOff), which
 * shows progressDeadlineSeconds → Progressing=False ProgressDeadlineExceeded.
 *
 * Output: per-second points (≤ 500, downsampled) with old/new ReplicaSet
 * replicas, pods, available pods and the bounds desired+surge and
 * desired−unavailable; the controller's events; the revision history.
 */
import { fail, ok, type Result, type SimError } from '../../core/result.ts';
import { parseYaml } from '../../api/yaml.ts';
import { resolveFenceposts } from './fenceposts.ts';
import { emptyDeploymentStatus, type SimDeployment } from './types.ts';
import { RolloutSimulation, type RolloutAction, type RolloutPoint } from './deployment/rollout-sim.ts';
import { checkRolloutPoint, type RolloutViolation } from './deployment/invariants.ts';

export const ROLLING_UPDATE_MAX_REPLICAS = 200;
export const ROLLING_UPDATE_MAX_SECONDS = 3600;
const MAX_POINTS = 500;

export const DEFAULT_ROLLING_UPDATE_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    book.k8s.io/previous-image: nginx:1.26
spec:
  replicas: 10
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%        # 10 × 25% = 2.5 → rounded up: 3 extra pods allowed
      maxUnavailable: 25%  # 10 × 25% = 2.5 → rounded down: 2 pods may be unavailable
  minReadySeconds: 0
  progressDeadlineSeconds: 600
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
`;

export interface RollingUpdateOptions {
  seed: number;
  /** Delay from pod creation to Ready, uniform in [min, max] seconds. Default [2, 8]. */
  podReadySeconds?: [number, number];
  /** Probability that a new pod never becomes Ready. Default 0. */
  newPodFailureRate?: number;
  /** Stop after this many simulated seconds (default 900, limit 3600). */
  maxSeconds?: number;
  /** kubectl actions during the run (set image, scale, rollout undo). */
  actions?: RolloutAction[];
}

export interface RollingUpdateView {
  name: string;
  strategy: 'RollingUpdate' | 'Recreate';
  desiredReplicas: number;
  maxSurge: number;
  maxUnavailable: number;
  /** desired + maxSurge and desired − maxUnavailable (RollingUpdate; Recreate has 0 surge). */
  maxTotalPods: number;
  minAvailablePods: number;
  fromImage: string;
  toImage: string;
  timeline: RolloutPoint[];
  events: { timeSeconds: number; reason: string; message: string }[];
  revisions: { name: string; revision: number; image: string; replicas: number; history?: string }[];
  completedAtSeconds: number | null;
  progressDeadlineExceededAtSeconds: number | null;
  /** Bound violations seen (expected empty for RollingUpdate without injected failures of available pods). */
  violations: RolloutViolation[];
}

function previousImage(image: string): string {
  const m = /^(.*:)(.*?)(\d+)(\D*)$/.exec(image);
  if (m && Number(m[3]) > 0) return `${m[1]}${m[2]}${Number(m[3]) - 1}${m[4]}`;
  return image.includes(':') ? image.replace(/:[^:/]*$/, ':previous') : `${image}:previous`;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the Deployment manifest into the controller's view, with located errors. */
export function parseDeploymentYaml(text: string): Result<{ deployment: SimDeployment; fromImage: string }> {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const y = parsed.value;
  const doc = y.docs[0];
  const errors: SimError[] = [];
  if (!isObj(doc)) return fail(y.errorAt('', 'FIELD_REQUIRED', 'expected a Deployment manifest'));
  if (doc.kind !== 'Deployment') errors.push(y.errorAt('kind', 'FIELD_INVALID', `kind must be Deployment, got ${JSON.stringify(doc.kind)}`));
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const spec = isObj(doc.spec) ? doc.spec : {};
  const name = typeof meta.name === 'string' && meta.name ? meta.name : 'deployment';
  const replicas = spec.replicas ?? 1;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) errors.push(y.errorAt('spec.replicas', 'FIELD_INVALID', 'spec.replicas must be a non-negative integer'));
  else if (replicas > ROLLING_UPDATE_MAX_REPLICAS) errors.push(y.errorAt('spec.replicas', 'LIMIT_EXCEEDED', `spec.replicas ${replicas} exceeds this widget's limit of ${ROLLING_UPDATE_MAX_REPLICAS}`));
  const strategy = isObj(spec.strategy) ? spec.strategy : {};
  const type = strategy.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate' && type !== 'Recreate') errors.push(y.errorAt('spec.strategy.type', 'FIELD_INVALID', `spec.strategy.type must be RollingUpdate or Recreate, got ${JSON.stringify(type)}`));
  // apps/v1 validation (pkg/apis/apps/validation ValidateDeploymentStrategy): Recreate takes no rollingUpdate block.
  if (type === 'Recreate' && strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
    errors.push(y.errorAt('spec.strategy.rollingUpdate', 'FIELD_FORBIDDEN', "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"));
  }
  const ru = isObj(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const maxSurge = ru.maxSurge as number | string | undefined;
  const maxUnavailable = ru.maxUnavailable as number | string | undefined;
  for (const [field, v] of [['maxSurge', maxSurge], ['maxUnavailable', maxUnavailable]] as const) {
    if (v !== undefined && typeof v !== 'number' && typeof v !== 'string') errors.push(y.errorAt(`spec.strategy.rollingUpdate.${field}`, 'FIELD_INVALID', `${field} must be an integer or a percentage like "25%"`));
  }
  if (type === 'RollingUpdate' && typeof replicas === 'number') {
    const f = resolveFenceposts(maxSurge, maxUnavailable, replicas);
    if (f.error) errors.push(y.errorAt(f.error.path ?? 'spec.strategy.rollingUpdate', f.error.code, f.error.message));
    // apps/v1 validation: both may not be 0.
    if (maxSurge !== undefined && maxUnavailable !== undefined && !f.error && (maxSurge === 0 || maxSurge === '0%') && (maxUnavailable === 0 || maxUnavailable === '0%')) {
      errors.push(y.errorAt('spec.strategy.rollingUpdate.maxUnavailable', 'FIELD_INVALID', 'may not be 0 when maxSurge is 0'));
    }
  }
  const numberField = (path: string, v: unknown, dflt: number | null): number | null => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      errors.push(y.errorAt(path, 'FIELD_INVALID', `${path} must be a non-negative integer`));
      return dflt;
    }
    return v;
  };
  const minReadySeconds = numberField('spec.minReadySeconds', spec.minReadySeconds, 0)!;
  const progressDeadlineSeconds = numberField('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 600);
  const revisionHistoryLimit = numberField('spec.revisionHistoryLimit', spec.revisionHistoryLimit, 10)!;
  const template = isObj(spec.template) ? spec.template : {};
  const podSpec = isObj(template.spec) ? template.spec : {};
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const image = isObj(containers[0]) ? containers[0].image : undefined;
  if (typeof image !== 'string' || !image) errors.push(y.errorAt('spec.template.spec.containers[0].image', 'FIELD_REQUIRED', 'spec.template.spec.containers[0].image is required'));
  if (errors.length) return fail(errors);
  const annotations = isObj(meta.annotations) ? (meta.annotations as Record<string, string>) : {};
  const fromImage = typeof annotations['book.k8s.io/previous-image'] === 'string' ? annotations['book.k8s.io/previous-image'] : previousImage(image as string);
  const deployment: SimDeployment = {
    name, generation: 1, replicas: replicas as number,
    strategy: { type: type as 'RollingUpdate' | 'Recreate', ...(maxSurge !== undefined ? { maxSurge } : {}), ...(maxUnavailable !== undefined ? { maxUnavailable } : {}) },
    template: { image: image as string }, minReadySeconds, revisionHistoryLimit, progressDeadlineSeconds, paused: false,
    annotations: {}, status: emptyDeploymentStatus(),
  };
  return ok({ deployment, fromImage });
}

function downsample<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!);
  return out;
}

/** Runs the rollout of `deploymentYaml` (see the file comment for the input format). */
export function runRollingUpdate(deploymentYaml: string, options: RollingUpdateOptions): Result<RollingUpdateView> {
  const parsed = parseDeploymentYaml(deploymentYaml);
  if (!parsed.ok) return parsed;
  const { deployment, fromImage } = parsed.value;
  const maxSeconds = Math.min(options.maxSeconds ?? 900, ROLLING_UPDATE_MAX_SECONDS);
  const sim = new RolloutSimulation(deployment, fromImage, {
    seed: options.seed,
    ...(options.podReadySeconds ? { podReadySeconds: options.podReadySeconds } : {}),
    ...(options.newPodFailureRate !== undefined ? { newPodFailureRate: options.newPodFailureRate } : {}),
  });
  const actions = [...(options.actions ?? [])].sort((a, b) => a.atSeconds - b.atSeconds);
  const timeline: RolloutPoint[] = [];
  const violations: RolloutViolation[] = [];
  let completedAt: number | null = null;
  let deadlineAt: number | null = null;
  let stopAt = maxSeconds;
  for (let t = 0; t <= stopAt; t++) {
    while (actions.length && actions[0]!.atSeconds <= t) {
      sim.apply(actions.shift()!);
      completedAt = null;
    }
    const point = sim.step();
    timeline.push(point);
    if (deployment.strategy.type === 'RollingUpdate' && !(options.actions?.length)) violations.push(...checkRolloutPoint(point));
    if (completedAt === null && sim.complete) completedAt = point.timeSeconds;
    if (deadlineAt === null && point.progressing === 'ProgressDeadlineExceeded') deadlineAt = point.timeSeconds;
    const settledAt = completedAt ?? deadlineAt;
    if (settledAt !== null && !actions.length) stopAt = Math.min(stopAt, settledAt + 5);
  }
  const d = sim.store.deployment;
  const first = timeline[0]!;
  return ok({
    name: d.name,
    strategy: d.strategy.type,
    desiredReplicas: d.replicas,
    maxSurge: first.maxTotalPods - first.desiredReplicas,
    maxUnavailable: first.desiredReplicas - first.minAvailablePods,
    maxTotalPods: first.maxTotalPods,
    minAvailablePods: first.minAvailablePods,
    fromImage,
    toImage: deployment.template.image,
    timeline: downsample(timeline, MAX_POINTS),
    events: sim.events.slice(0, 200).map((e) => ({ timeSeconds: e.timeMs / 1000, reason: e.reason, message: e.message })),
    revisions: sim.revisions(),
    completedAtSeconds: completedAt,
    progressDeadlineExceededAtSeconds: deadlineAt,
    violations: violations.slice(0, 50),
  });
}
