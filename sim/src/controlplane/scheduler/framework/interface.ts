/**
 * The scheduling framework's extension points, status codes and plugin
 * interfaces, after staging/src/k8s.io/kube-scheduler/framework/interface.go
 * and pkg/scheduler/framework/interface.go (Kubernetes v1.34).
 *
 * A plugin is a plain object that implements one or more of these
 * interfaces; each plugin folder checks itself with `satisfies`. Success is
 * `null` (upstream's nil *Status) so the hot Filter path allocates nothing.
 * Backs the chapter "kube-scheduler: the scheduling framework".
 */
import type { NodeInfo, PodInfo } from './types.ts';

/** Scores a Score plugin may return after NormalizeScore: [MinNodeScore, MaxNodeScore]. */
export const MaxNodeScore = 100;
export const MinNodeScore = 0;
/** Scores in RequestedToCapacityRatio shapes are given on [0, MaxCustomPriorityScore]. */
export const MaxCustomPriorityScore = 10;

/** Upstream's Code values, spelled as Code.String() prints them. */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

/** A non-success outcome of a plugin: code, reasons shown to users, and the plugin that produced it. */
export interface Status {
  code: Code;
  reasons: string[];
  plugin?: string;
}

/** `null` stands for Success, as a nil *Status does upstream. */
export type MaybeStatus = Status | null;

export function newStatus(code: Code, ...reasons: string[]): Status {
  return { code, reasons };
}

/** Unschedulable or UnschedulableAndUnresolvable: the pod was rejected, not the scheduler broken. */
export function isRejected(s: MaybeStatus): boolean {
  return s !== null && (s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable');
}

/**
 * Per-cycle scratch space shared by the plugins of one scheduling attempt
 * (upstream CycleState). Plugins write what PreFilter/PreScore computed and
 * read it in Filter/Score. `skipFilter`/`skipScore` record plugins that
 * returned Skip, exactly as upstream's SkipFilterPlugins/SkipScorePlugins.
 */
export class CycleState {
  readonly #data = new Map<string, unknown>();
  readonly skipFilterPlugins = new Set<string>();
  readonly skipScorePlugins = new Set<string>();
  /** The Filter plugins to run this cycle (profile order minus skipped), set by RunPreFilterPlugins. */
  activeFilterPlugins: FilterPlugin[] | null = null;

  write(key: string, value: unknown): void {
    this.#data.set(key, value);
  }

  read<T>(key: string): T | undefined {
    return this.#data.get(key) as T | undefined;
  }
}

/** Everything a plugin may consult beyond the pod and node it is given (upstream framework.Handle). */
export interface Handle {
  /** All nodes of the snapshot, in snapshot order. */
  readonly allNodes: readonly NodeInfo[];
  /** Nodes hosting at least one pod with (anti-)affinity terms. */
  readonly nodesWithAffinityPods: readonly NodeInfo[];
  /** Nodes hosting at least one pod with required anti-affinity. */
  readonly nodesWithRequiredAntiAffinityPods: readonly NodeInfo[];
  /** Image name → how many nodes have it (upstream ImageStateSummary.NumNodes). */
  imageNumNodes(image: string): number;
  /** An upper bound of the image's size on any node (0 if no node has it). */
  imageMaxSize(image: string): number;
  /** Re-runs all Filter plugins of the profile for `pod` on `node` (used by preemption). */
  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
  /** Re-runs all PreFilter plugins (preemption needs a fresh state). */
  runPreFilterPlugins(state: CycleState, pod: PodInfo): MaybeStatus;
  /** PreFilterExtensions: tell every PreFilter plugin that `other` left / joined `node`. */
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo): void;
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo): void;
  /** A seeded random source for tie-breaking and candidate offsets. */
  randomInt(maxExclusive: number): number;
}

export interface Plugin {
  readonly name: string;
}

/** PreEnqueue: may keep a pod out of activeQ (SchedulingGates). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: PodInfo): MaybeStatus;
}

/** QueueSort: strict weak ordering of pods in activeQ. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfoLike, b: QueuedPodInfoLike): boolean;
}

/** Just what QueueSort needs of a queued pod. */
export interface QueuedPodInfoLike {
  pod: PodInfo;
  /** When the pod was (re)added to the queue, in ticks. */
  timestampTicks: number;
}

export interface PreFilterPlugin extends Plugin {
  /** May return Skip (then Filter is not called for this pod) or reject the pod for every node. */
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): MaybeStatus;
  /** For preemption's dry run: keep PreFilter state consistent when a pod is removed from / added back to a node. */
  removePod?(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, node: NodeInfo): void;
  addPod?(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, node: NodeInfo): void;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
}

/** PostFilter runs only when no node passed Filter; DefaultPreemption is the default one. */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, nodeToStatus: ReadonlyMap<string, Status>): PostFilterResult;
}

export interface PostFilterResult {
  status: Status;
  nominatedNodeName?: string;
  victims?: string[];
  message?: string;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): MaybeStatus;
}

export interface ScorePlugin extends Plugin {
  /** Raw score for one feasible node; NormalizeScore (if any) maps the list to [0, MaxNodeScore]. */
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /**
   * Optional batch form: out[i] = score(state, pod, nodes[i]) for every i.
   * Same results, one call per cycle instead of one per node (the sim's
   * stand-in for upstream scoring nodes in parallel).
   */
  scoreAll?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: number[]): void;
  /** Rewrites `scores` (parallel to `nodes`) in place. */
  normalizeScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], scores: number[]): void;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** Permit: Success, Unschedulable (reject) or Wait with a timeout in ticks. */
export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: PodInfo, nodeName: string): { status: MaybeStatus; timeoutTicks?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
}

/** Bind returns Skip to let the next Bind plugin act. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** The extension points in the order a scheduling + binding cycle visits them. */
export const EXTENSION_POINTS = [
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** Which extension point a plugin object implements, judged by its methods (upstream uses type assertions). */
export function implementsPoint(p: Plugin, point: ExtensionPoint): boolean {
  const o = p as unknown as Record<string, unknown>;
  switch (point) {
    case 'preEnqueue': return typeof o.preEnqueue === 'function';
    case 'queueSort': return typeof o.less === 'function';
    case 'preFilter': return typeof o.preFilter === 'function';
    case 'filter': return typeof o.filter === 'function';
    case 'postFilter': return typeof o.postFilter === 'function';
    case 'preScore': return typeof o.preScore === 'function';
    case 'score': return typeof o.score === 'function';
    case 'reserve': return typeof o.reserve === 'function';
    case 'permit': return typeof o.permit === 'function';
    case 'preBind': return typeof o.preBind === 'function';
    case 'bind': return typeof o.bind === 'function';
    case 'postBind': return typeof o.postBind === 'function';
  }
}
