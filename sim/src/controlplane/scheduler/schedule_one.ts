/**
 * One scheduling attempt's algorithm, after pkg/scheduler/schedule_one.go
 * (Kubernetes v1.34): schedulePod → findNodesThatFitPod (PreFilter, the
 * nominated node first, then findNodesThatPassFilters with node sampling
 * and a round-robin start index) → prioritizeNodes (PreScore, Score,
 * NormalizeScore, weights) → selectHost (reservoir sampling among the
 * top-scored nodes). Backs the chapter "kube-scheduler: one scheduling cycle".
 *
 * Upstream filters nodes with 16 goroutines and may overshoot the sample a
 * little; the sim walks nodes sequentially from nextStartNodeIndex and stops
 * exactly when numNodesToFind nodes passed, which is the behaviour the
 * parallel code approximates.
 */
import { CycleState, type MaybeStatus, type Status } from './framework/interface.ts';
import { fitErrorMessage, reasonHistogram, type Diagnosis } from './framework/fit_error.ts';
import type { Framework } from './framework/runtime.ts';
import type { NodeInfo, PodInfo } from './framework/types.ts';
import { canFuseFilters, passesFusedFilters } from './framework/fused_filter.ts';

/** Below this many nodes every node is evaluated; it is also the floor of the sample. */
export const minFeasibleNodesToFind = 100;
/** The adaptive percentage never drops below this. */
export const minFeasibleNodesPercentageToFind = 5;

/**
 * How many feasible nodes to find before the scheduler stops filtering
 * (upstream numFeasibleNodesToFind). Clusters under 100 nodes: all of them.
 * A percentage of 0 or undefined means adaptive: 50% − 1% per 125 nodes,
 * floored at 5%; the result is never below 100. Go int32 arithmetic.
 */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number | undefined, numAllNodes: number): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let percentage = percentageOfNodesToScore ?? 0;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < minFeasibleNodesPercentageToFind) percentage = minFeasibleNodesPercentageToFind;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  if (numNodes < minFeasibleNodesToFind) return minFeasibleNodesToFind;
  return numNodes;
}

/** Per-node detail kept when a cycle is run in explain mode (the widget's table). */
export interface NodeExplanation {
  evaluated: boolean;
  /** Each Filter plugin's own status (null = Success); `skipped` when its PreFilter returned Skip. */
  filters: { plugin: string; status: MaybeStatus; skipped: boolean }[];
}

export interface ScheduleOutcome {
  /** The chosen node, or null when no node fits (then `diagnosis` explains why). */
  suggestedHost: string | null;
  evaluatedNodes: number;
  feasibleNodes: NodeInfo[];
  numNodesToFind: number;
  diagnosis: Diagnosis & { nodeToStatus: Map<string, Status> };
  /** Per plugin (in fwk.scorePlugins order) normalized scores parallel to feasibleNodes; null if skipped or not scored. */
  pluginScores: (number[] | null)[] | null;
  totals: number[] | null;
  /** Number of nodes that shared the top score (the tie the reservoir sampling broke). */
  tiedAtTop: number;
  explanations: Map<string, NodeExplanation> | null;
  state: CycleState;
}

export interface ScheduleOptions {
  /** Run every Filter plugin on every evaluated node and keep the details. */
  explain?: boolean;
  /** Global percentageOfNodesToScore (the profile's own value wins). */
  globalPercentageOfNodesToScore?: number;
  /** Turn off the benchmark shortcuts (fused filters): the tests compare both paths. */
  noFastPaths?: boolean;
}

/** Round-robin position carried from one cycle to the next (upstream sched.nextStartNodeIndex). */
export interface StartIndex {
  nextStartNodeIndex: number;
}

export function schedulePod(fwk: Framework, pod: PodInfo, start: StartIndex, opts: ScheduleOptions = {}): ScheduleOutcome {
  const state = new CycleState();
  const allNodes = fwk.snapshot.nodes;
  const explanations = opts.explain ? new Map<string, NodeExplanation>() : null;
  const nodeToStatus = new Map<string, Status>();
  const outcome: ScheduleOutcome = {
    suggestedHost: null,
    evaluatedNodes: 0,
    feasibleNodes: [],
    numNodesToFind: 0,
    diagnosis: { nodeToStatus },
    pluginScores: null,
    totals: null,
    tiedAtTop: 0,
    explanations,
    state,
  };
  if (allNodes.length === 0) {
    outcome.diagnosis.preFilterMsg = 'no nodes available to schedule pods';
    return outcome;
  }

  // PreFilter.
  const pre = fwk.runPreFilterPlugins(state, pod);
  if (pre !== null) {
    outcome.diagnosis.absentNodesStatus = pre;
    outcome.diagnosis.preFilterMsg = pre.reasons.join(', ');
    if (explanations) for (const n of allNodes) explanations.set(n.name, { evaluated: true, filters: [{ plugin: pre.plugin ?? '', status: pre, skipped: false }] });
    return outcome;
  }

  // The nominated node (set by an earlier preemption) is tried first.
  const nominated = pod.pod.status?.nominatedNodeName;
  if (nominated) {
    const n = fwk.snapshot.byName.get(nominated);
    if (n && fwk.runFilterPluginsWithNominatedPods(state, pod, n) === null) {
      outcome.feasibleNodes = [n];
      outcome.suggestedHost = n.name;
      outcome.evaluatedNodes = 1;
      return outcome;
    }
  }

  let numNodesToFind = numFeasibleNodesToFind(fwk.percentageOfNodesToScore ?? opts.globalPercentageOfNodesToScore, allNodes.length);
  if (!fwk.hasScorePlugins()) numNodesToFind = 1;
  outcome.numNodesToFind = numNodesToFind;
  const feasible = findNodesThatPassFilters(fwk, state, pod, allNodes, start.nextStartNodeIndex, numNodesToFind, nodeToStatus, explanations, opts);
  const processed = feasible.length + nodeToStatus.size;
  start.nextStartNodeIndex = (start.nextStartNodeIndex + processed) % allNodes.length;
  outcome.feasibleNodes = feasible;
  outcome.evaluatedNodes = processed;
  if (explanations) for (const n of allNodes) if (!explanations.has(n.name)) explanations.set(n.name, { evaluated: false, filters: [] });

  if (feasible.length === 0) return outcome;
  if (feasible.length === 1) {
    // Upstream skips scoring when only one node is left.
    outcome.suggestedHost = feasible[0]!.name;
    return outcome;
  }
  const pre2 = fwk.runPreScorePlugins(state, pod, feasible);
  if (pre2 !== null) {
    // A PreScore error aborts the cycle; the pod is retried.
    outcome.diagnosis.preFilterMsg = `running PreScore plugin ${pre2.plugin}: ${pre2.reasons.join(', ')}`;
    outcome.feasibleNodes = [];
    return outcome;
  }
  const { perPlugin, totals } = fwk.runScorePlugins(state, pod, feasible);
  outcome.pluginScores = perPlugin;
  outcome.totals = totals;
  const { index, tied } = selectHost(totals, (n) => fwk.randomInt(n));
  outcome.suggestedHost = feasible[index]!.name;
  outcome.tiedAtTop = tied;
  return outcome;
}

/**
 * Walks nodes round-robin from `startIndex` and stops after `numNodesToFind`
 * have passed every Filter plugin. Failures go to `nodeToStatus`.
 */
export function findNodesThatPassFilters(
  fwk: Framework,
  state: CycleState,
  pod: PodInfo,
  nodes: readonly NodeInfo[],
  startIndex: number,
  numNodesToFind: number,
  nodeToStatus: Map<string, Status>,
  explanations: Map<string, NodeExplanation> | null,
  opts: { noFastPaths?: boolean } = {},
): NodeInfo[] {
  const n = nodes.length;
  const feasible: NodeInfo[] = [];
  if (!fwk.hasFilterPlugins()) {
    for (let i = 0; i < numNodesToFind && i < n; i++) feasible.push(nodes[(startIndex + i) % n]!);
    return feasible;
  }
  // Hot path (no nominated pods, not explaining): call the active Filter plugins directly.
  const direct = explanations === null && !fwk.hasNominatedPods() ? state.activeFilterPlugins : null;
  const fused = direct !== null && !opts.noFastPaths && canFuseFilters(direct, pod);
  let idx = startIndex % n;
  for (let i = 0; i < n; i++) {
    const node = nodes[idx]!;
    if (++idx === n) idx = 0;
    if (fused && passesFusedFilters(pod, node)) {
      feasible.push(node);
      if (feasible.length >= numNodesToFind) break;
      continue;
    }
    let status: MaybeStatus = null;
    if (direct !== null) {
      for (let j = 0; j < direct.length; j++) {
        status = direct[j]!.filter(state, pod, node);
        if (status !== null) {
          status.plugin = direct[j]!.name;
          break;
        }
      }
    } else status = fwk.runFilterPluginsWithNominatedPods(state, pod, node);
    if (explanations) explanations.set(node.name, { evaluated: true, filters: fwk.runEachFilterPlugin(state, pod, node) });
    if (status === null) {
      feasible.push(node);
      if (feasible.length >= numNodesToFind) break;
    } else {
      nodeToStatus.set(node.name, status);
    }
  }
  return feasible;
}

/**
 * upstream selectHost: the highest total wins; among k nodes sharing it,
 * reservoir sampling keeps the j-th with probability 1/j, so each has
 * chance 1/k. `randomInt(j)` must be uniform on [0, j).
 */
export function selectHost(totals: readonly number[], randomInt: (n: number) => number): { index: number; tied: number } {
  let best = -Infinity;
  let selected = -1;
  let cnt = 0;
  for (let i = 0; i < totals.length; i++) {
    const t = totals[i]!;
    if (t > best) {
      best = t;
      selected = i;
      cnt = 1;
    } else if (t === best) {
      cnt++;
      if (randomInt(cnt) === 0) selected = i;
    }
  }
  return { index: selected, tied: cnt };
}

/** The FitError message for an outcome without a host. */
export function outcomeMessage(numAllNodes: number, o: ScheduleOutcome): string {
  return fitErrorMessage(numAllNodes, o.diagnosis);
}

export { reasonHistogram };
