/**
 * The framework runtime: instantiates a profile's plugins and runs each
 * extension point, after pkg/scheduler/framework/runtime/framework.go
 * (Kubernetes v1.34): NewFramework, expandMultiPointPlugins, getScoreWeights,
 * RunPreFilterPlugins, RunFilterPlugins(WithNominatedPods), RunPostFilterPlugins,
 * RunPreScorePlugins, RunScorePlugins, Reserve/Permit/PreBind/Bind/PostBind.
 *
 * Semantics kept: plugins run in profile order; Filter stops at the first
 * non-success status (that status is the node's); a plugin whose
 * PreFilter/PreScore returned Skip is not run at Filter/Score; a plugin
 * enabled for a specific extension point overrides its MultiPoint entry and
 * runs first; a Score weight of 0 means 1.
 */
import type { KubeSchedulerProfile } from '../apis/types.ts';
import type { PluginFactory } from '../plugins/registry.ts';
import { registry } from '../plugins/registry.ts';
import type { Binding } from '../plugins/defaultbinder/default_binder.ts';
import {
  CycleState,
  EXTENSION_POINTS,
  implementsPoint,
  newStatus,
  type BindPlugin,
  type ExtensionPoint,
  type FilterPlugin,
  type Handle,
  type MaybeStatus,
  type PermitPlugin,
  type Plugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreBindPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
  type Status,
} from './interface.ts';
import type { Snapshot } from './snapshot.ts';
import type { NodeInfo, PodInfo } from './types.ts';

export interface FrameworkOptions {
  /** Out-of-tree plugins (e.g. a test Permit plugin), looked up before the in-tree registry. */
  outOfTreeRegistry?: ReadonlyMap<string, PluginFactory>;
  /** Where DefaultBinder's bindings go. */
  onBind?: (b: Binding) => null;
  /** Uniform integer in [0, maxExclusive) — tie-breaks and preemption offsets. */
  randomInt: (maxExclusive: number) => number;
  /** Pods nominated to a node (after preemption), for RunFilterPluginsWithNominatedPods; undefined when none. */
  nominatedPodsForNode?: (nodeName: string) => readonly PodInfo[] | undefined;
  hasNominatedPods?: () => boolean;
}

/** A configuration error while building the framework (unknown plugin, double registration). */
export class FrameworkError extends Error {
  override name = 'FrameworkError';
}

export class Framework implements Handle {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly preEnqueuePlugins: PreEnqueuePlugin[] = [];
  readonly queueSortPlugins: QueueSortPlugin[] = [];
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: ScorePlugin[] = [];
  readonly reservePlugins: ReservePlugin[] = [];
  readonly permitPlugins: PermitPlugin[] = [];
  readonly preBindPlugins: PreBindPlugin[] = [];
  readonly bindPlugins: BindPlugin[] = [];
  readonly postBindPlugins: PostBindPlugin[] = [];
  /** Score plugin name → weight (≥ 1). */
  readonly scorePluginWeight = new Map<string, number>();
  readonly pluginsMap = new Map<string, Plugin>();
  snapshot!: Snapshot;
  readonly #opts: FrameworkOptions;

  constructor(profile: KubeSchedulerProfile, snapshot: Snapshot, opts: FrameworkOptions) {
    this.profileName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    this.snapshot = snapshot;
    this.#opts = opts;
    const needed = new Set<string>();
    for (const set of Object.values(profile.plugins)) for (const p of set.enabled) needed.add(p.name);
    for (const name of needed) {
      const factory = opts.outOfTreeRegistry?.get(name) ?? registry.get(name);
      if (!factory) throw new FrameworkError(`plugin "${name}" does not exist`);
      this.pluginsMap.set(name, factory({ handle: this, args: profile.pluginConfig.get(name), onBind: opts.onBind ?? (() => null) }));
    }
    for (const point of EXTENSION_POINTS) this.#buildPoint(profile, point);
    // getScoreWeights: Score-specific entries first, then MultiPoint; first one wins.
    for (const e of [...profile.plugins.score.enabled, ...profile.plugins.multiPoint.enabled]) {
      const pl = this.pluginsMap.get(e.name);
      if (!pl || !implementsPoint(pl, 'score') || this.scorePluginWeight.has(e.name)) continue;
      this.scorePluginWeight.set(e.name, e.weight ? e.weight : 1);
    }
  }

  /** upstream updatePluginList + expandMultiPointPlugins for one extension point. */
  #buildPoint(profile: KubeSchedulerProfile, point: ExtensionPoint): void {
    const set = profile.plugins[point];
    const enabled: string[] = [];
    for (const p of set.enabled) {
      const pl = this.pluginsMap.get(p.name)!;
      if (!implementsPoint(pl, point)) throw new FrameworkError(`plugin "${p.name}" does not extend ${point} plugin`);
      if (enabled.includes(p.name)) throw new FrameworkError(`plugin "${p.name}" already registered as "${point}"`);
      enabled.push(p.name);
    }
    const disabled = new Set(set.disabled.map((p) => p.name));
    let order = enabled;
    if (!disabled.has('*')) {
      const override: string[] = [];
      const multi: string[] = [];
      for (const ep of profile.plugins.multiPoint.enabled) {
        const pl = this.pluginsMap.get(ep.name)!;
        if (!implementsPoint(pl, point) || disabled.has(ep.name)) continue;
        if (enabled.includes(ep.name)) {
          if (!override.includes(ep.name)) override.push(ep.name);
          continue;
        }
        if (multi.includes(ep.name)) throw new FrameworkError(`plugin "${ep.name}" already registered as "${point}"`);
        multi.push(ep.name);
      }
      order = [...new Set([...override, ...multi, ...enabled])];
    }
    const list = this.#listFor(point);
    for (const name of order) list.push(this.pluginsMap.get(name)!);
  }

  #listFor(point: ExtensionPoint): Plugin[] {
    switch (point) {
      case 'preEnqueue': return this.preEnqueuePlugins;
      case 'queueSort': return this.queueSortPlugins;
      case 'preFilter': return this.preFilterPlugins;
      case 'filter': return this.filterPlugins;
      case 'postFilter': return this.postFilterPlugins;
      case 'preScore': return this.preScorePlugins;
      case 'score': return this.scorePlugins;
      case 'reserve': return this.reservePlugins;
      case 'permit': return this.permitPlugins;
      case 'preBind': return this.preBindPlugins;
      case 'bind': return this.bindPlugins;
      case 'postBind': return this.postBindPlugins;
    }
  }

  // --- Handle ---
  get allNodes(): readonly NodeInfo[] {
    return this.snapshot.nodes;
  }
  get nodesWithAffinityPods(): readonly NodeInfo[] {
    return this.snapshot.nodesWithAffinityPods;
  }
  get nodesWithRequiredAntiAffinityPods(): readonly NodeInfo[] {
    return this.snapshot.nodesWithRequiredAntiAffinityPods;
  }
  imageNumNodes(image: string): number {
    return this.snapshot.imageNumNodes.get(image) ?? 0;
  }
  imageMaxSize(image: string): number {
    return this.snapshot.imageMaxSize.get(image) ?? 0;
  }
  randomInt(maxExclusive: number): number {
    return this.#opts.randomInt(maxExclusive);
  }

  hasFilterPlugins(): boolean {
    return this.filterPlugins.length > 0;
  }
  hasScorePlugins(): boolean {
    return this.scorePlugins.length > 0;
  }
  /** Whether any pod is nominated anywhere (then Filter must consider nominated pods). */
  hasNominatedPods(): boolean {
    return this.#opts.hasNominatedPods?.() ?? false;
  }

  /** Runs PreEnqueue plugins; the first rejection keeps the pod out of activeQ. */
  runPreEnqueuePlugins(pod: PodInfo): MaybeStatus {
    for (const pl of this.preEnqueuePlugins) {
      const s = pl.preEnqueue(pod);
      if (s !== null) return { ...s, plugin: pl.name };
    }
    return null;
  }

  /**
   * Runs PreFilter plugins. Skip marks the plugin's Filter as skipped; a
   * rejection stops the cycle for every node (upstream returns it with the
   * plugin name).
   */
  runPreFilterPlugins(state: CycleState, pod: PodInfo): MaybeStatus {
    const nodes = this.snapshot.nodes;
    for (const pl of this.preFilterPlugins) {
      const s = pl.preFilter(state, pod, nodes);
      if (s === null) continue;
      if (s.code === 'Skip') {
        state.skipFilterPlugins.add(pl.name);
        continue;
      }
      return { ...s, plugin: pl.name };
    }
    state.activeFilterPlugins = this.filterPlugins.filter((pl) => !state.skipFilterPlugins.has(pl.name));
    return null;
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo): void {
    for (const pl of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(pl.name)) continue;
      pl.removePod?.(state, pod, other, node);
    }
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo): void {
    for (const pl of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(pl.name)) continue;
      pl.addPod?.(state, pod, other, node);
    }
  }

  /** RunFilterPlugins: the first non-success status, tagged with its plugin. */
  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const plugins = state.activeFilterPlugins ?? this.filterPlugins.filter((pl) => !state.skipFilterPlugins.has(pl.name));
    for (let i = 0; i < plugins.length; i++) {
      const pl = plugins[i]!;
      const s = pl.filter(state, pod, node);
      if (s !== null) {
        s.plugin = pl.name;
        return s;
      }
    }
    return null;
  }

  /**
   * upstream RunFilterPluginsWithNominatedPods: if pods of equal or higher
   * priority are nominated to this node, the pod must fit both with them
   * (so it doesn't steal their room) and without them.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const nominated = this.#opts.nominatedPodsForNode?.(node.name);
    if (nominated === undefined || nominated.length === 0) return this.runFilterPlugins(state, pod, node);
    const relevant = nominated.filter((p) => p.key !== pod.key && p.priority >= pod.priority);
    if (relevant.length === 0) return this.runFilterPlugins(state, pod, node);
    const withNominated = node.clone();
    for (const p of relevant) {
      withNominated.addPod(p);
      this.runPreFilterExtensionAddPod(state, pod, p, withNominated);
    }
    const s = this.runFilterPlugins(state, pod, withNominated);
    for (const p of relevant) this.runPreFilterExtensionRemovePod(state, pod, p, withNominated);
    if (s !== null) return s;
    return this.runFilterPlugins(state, pod, node);
  }

  /** Every Filter plugin's own status on one node (not stopping at the first failure) — for explaining a cycle. */
  runEachFilterPlugin(state: CycleState, pod: PodInfo, node: NodeInfo): { plugin: string; status: MaybeStatus; skipped: boolean }[] {
    return this.filterPlugins.map((pl) => {
      if (state.skipFilterPlugins.has(pl.name)) return { plugin: pl.name, status: null, skipped: true };
      const s = pl.filter(state, pod, node);
      if (s) s.plugin = pl.name;
      return { plugin: pl.name, status: s, skipped: false };
    });
  }

  runPostFilterPlugins(state: CycleState, pod: PodInfo, nodeToStatus: ReadonlyMap<string, Status>): PostFilterResult | null {
    let last: PostFilterResult | null = null;
    const messages: string[] = [];
    for (const pl of this.postFilterPlugins) {
      const r = pl.postFilter(state, pod, nodeToStatus);
      if (r.status.code === 'Success') return r;
      if (r.message) messages.push(r.message);
      last = r;
    }
    if (last && messages.length > 0) last = { ...last, message: messages.join(' ') };
    return last;
  }

  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): MaybeStatus {
    for (const pl of this.preScorePlugins) {
      const s = pl.preScore(state, pod, nodes);
      if (s === null) continue;
      if (s.code === 'Skip') {
        state.skipScorePlugins.add(pl.name);
        continue;
      }
      return { ...s, plugin: pl.name };
    }
    return null;
  }

  /**
   * RunScorePlugins: per plugin, score every node, normalize, multiply by
   * the weight. Returns per plugin the normalized scores (null when skipped)
   * and per node the weighted total.
   */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { perPlugin: (number[] | null)[]; totals: number[] } {
    // The score lists are reused from cycle to cycle (valid until the next call).
    const totals = this.#buffer(this.scorePlugins.length, nodes.length);
    const perPlugin: (number[] | null)[] = [];
    for (let p = 0; p < this.scorePlugins.length; p++) {
      const pl = this.scorePlugins[p]!;
      if (state.skipScorePlugins.has(pl.name)) {
        perPlugin.push(null);
        continue;
      }
      const scores = this.#buffer(p, nodes.length);
      if (pl.scoreAll) pl.scoreAll(state, pod, nodes, scores);
      else for (let i = 0; i < nodes.length; i++) scores[i] = pl.score(state, pod, nodes[i]!);
      pl.normalizeScore?.(state, pod, nodes, scores);
      const w = this.scorePluginWeight.get(pl.name) ?? 1;
      for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]! * w;
      perPlugin.push(scores);
    }
    return { perPlugin, totals };
  }

  readonly #buffers: number[][] = [];
  #buffer(i: number, n: number): number[] {
    let b = this.#buffers[i];
    if (!b) this.#buffers[i] = b = [];
    if (b.length !== n) b.length = n;
    return b.fill(0);
  }

  runReservePluginsReserve(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    for (const pl of this.reservePlugins) {
      const s = pl.reserve(state, pod, nodeName);
      if (s !== null) return { ...s, plugin: pl.name };
    }
    return null;
  }

  /** Unreserve runs in reverse order, as upstream. */
  runReservePluginsUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i]!.unreserve(state, pod, nodeName);
  }

  /** Success, a rejection, or Wait with the longest timeout any plugin asked for. */
  runPermitPlugins(state: CycleState, pod: PodInfo, nodeName: string): { status: MaybeStatus; waitTicks: number; waitingOn: string[] } {
    let waitTicks = 0;
    const waitingOn: string[] = [];
    for (const pl of this.permitPlugins) {
      const { status, timeoutTicks } = pl.permit(state, pod, nodeName);
      if (status === null) continue;
      if (status.code === 'Wait') {
        waitingOn.push(pl.name);
        waitTicks = Math.max(waitTicks, timeoutTicks ?? 0);
        continue;
      }
      return { status: { ...status, plugin: pl.name }, waitTicks: 0, waitingOn: [] };
    }
    return { status: waitingOn.length ? newStatus('Wait') : null, waitTicks, waitingOn };
  }

  runPreBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    for (const pl of this.preBindPlugins) {
      const s = pl.preBind(state, pod, nodeName);
      if (s !== null) return { ...s, plugin: pl.name };
    }
    return null;
  }

  /** The first Bind plugin that doesn't Skip decides. */
  runBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    for (const pl of this.bindPlugins) {
      const s = pl.bind(state, pod, nodeName);
      if (s !== null && s.code === 'Skip') continue;
      return s === null ? null : { ...s, plugin: pl.name };
    }
    return newStatus('Skip');
  }

  runPostBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const pl of this.postBindPlugins) pl.postBind(state, pod, nodeName);
  }
}
