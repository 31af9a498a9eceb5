/**
 * runSchedulingCycle: one scheduling cycle on a given cluster, explained
 * node by node — the table the kube-scheduler chapter's widget shows. It runs
 * pkg/scheduler/schedule_one.go's algorithm (see schedule_one.ts) with a
 * profile built from the default plugins (Kubernetes v1.34 weights) and, when
 * no node fits, the PostFilter plugins (DefaultPreemption), without changing
 * its inputs.
 *
 * For the table every Filter plugin is run on every evaluated node, although
 * upstream stops at the first failing plugin; `status` is upstream's verdict
 * (the first failure) and the FitError message counts only that one.
 */
import type { Node, Pod } from '../../api/objects.ts';
import { Prng } from '../../core/prng.ts';
import { defaultProfile, restrictedProfile, type KubeSchedulerProfile } from './apis/types.ts';
import type { Code } from './framework/interface.ts';
import { Framework } from './framework/runtime.ts';
import { Snapshot } from './framework/snapshot.ts';
import { newPodInfo } from './framework/types.ts';
import { numFeasibleNodesToFind, outcomeMessage, reasonHistogram, schedulePod } from './schedule_one.ts';

export interface SchedulingCycleInput {
  nodes: readonly Node[];
  /** Pods already on nodes (spec.nodeName set); others are ignored. */
  pods?: readonly Pod[];
  /** The pending pod to place. */
  pod: Pod;
  /** Restrict the default profile to these plugins (default weights). */
  plugins?: readonly string[];
  /** A full profile instead (from parseSchedulerConfiguration); wins over `plugins`. */
  profile?: KubeSchedulerProfile;
  /** Global percentageOfNodesToScore (0/undefined = adaptive). */
  percentageOfNodesToScore?: number;
  /** Seed for the tie-break among equally scored nodes and the preemption offset. */
  seed?: number;
  /** Round-robin start (upstream nextStartNodeIndex); 0 by default. */
  nextStartNodeIndex?: number;
}

export interface PluginStatusView {
  code: Code;
  reasons: string[];
  /** The plugin's PreFilter returned Skip, so upstream never ran its Filter (shown as Success). */
  skipped?: boolean;
}

export interface NodeCycleResult {
  name: string;
  /** False when sampling stopped before reaching this node. */
  evaluated: boolean;
  feasible: boolean;
  /** Each Filter plugin's own result. */
  filters: Record<string, PluginStatusView>;
  /** Upstream's verdict for the node: the first failing Filter plugin, or Success. */
  status: PluginStatusView & { plugin: string | null };
  /** Each Score plugin's normalized score, 0–100, before its weight (0 for a skipped plugin). Null if not scored. */
  scores: Record<string, number> | null;
  /** score × weight per plugin. */
  weightedScores: Record<string, number> | null;
  totalScore: number | null;
  /** Why this node was not chosen (null for the chosen node). */
  lostBecause: string | null;
}

export interface SchedulingCycleResult {
  selectedNode: string | null;
  /** upstream FitError.Error() when no node fits, e.g. "0/3 nodes are available: 1 Insufficient cpu, …". */
  message: string | null;
  /** The "<count> <reason>" entries of that message. */
  reasons: string[];
  nodes: NodeCycleResult[];
  filterPlugins: string[];
  scorePlugins: { name: string; weight: number; skipped: boolean }[];
  numNodesToFind: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  /** How many nodes shared the winning total (a seeded reservoir sample picked one). */
  tiedAtTop: number;
  /** DefaultPreemption's decision when no node fitted (victims as namespace/name). */
  preemption: { nominatedNodeName: string | null; victims: string[]; message: string | null } | null;
  nextStartNodeIndex: number;
}

/** Runs one scheduling cycle. Throws QuantityError on a malformed quantity and FrameworkError on an unknown plugin. */
export function runSchedulingCycle(input: SchedulingCycleInput): SchedulingCycleResult {
  const prng = new Prng(input.seed ?? 1);
  const snapshot = new Snapshot();
  for (const n of input.nodes) snapshot.upsertNode(n);
  for (const p of input.pods ?? []) {
    const nodeName = p.spec?.nodeName;
    if (nodeName) snapshot.addPod(newPodInfo(p), nodeName);
  }
  const profile = input.profile ?? (input.plugins ? restrictedProfile(input.plugins) : defaultProfile());
  const fwk = new Framework(profile, snapshot, { randomInt: (n) => prng.intBetween(0, n) });
  const pod = newPodInfo(input.pod);
  const start = { nextStartNodeIndex: input.nextStartNodeIndex ?? 0 };
  const o = schedulePod(fwk, pod, start, { explain: true, globalPercentageOfNodesToScore: input.percentageOfNodesToScore });

  let preemption: SchedulingCycleResult['preemption'] = null;
  if (o.suggestedHost === null && o.diagnosis.nodeToStatus.size + (o.diagnosis.absentNodesStatus ? 1 : 0) > 0) {
    const r = fwk.runPostFilterPlugins(o.state, pod, o.diagnosis.nodeToStatus);
    if (r) {
      preemption = { nominatedNodeName: r.nominatedNodeName ?? null, victims: r.victims ?? [], message: r.message ?? null };
      if (r.message) o.diagnosis.postFilterMsg = r.message;
    }
  }

  const scorePlugins = fwk.scorePlugins.map((pl, i) => ({
    name: pl.name,
    weight: fwk.scorePluginWeight.get(pl.name) ?? 1,
    skipped: o.pluginScores !== null && o.pluginScores[i] === null,
  }));
  const feasibleIndex = new Map(o.feasibleNodes.map((n, i) => [n.name, i]));

  const nodes: NodeCycleResult[] = snapshot.nodes.map((n) => {
    const ex = o.explanations?.get(n.name);
    const filters: Record<string, PluginStatusView> = {};
    for (const f of ex?.filters ?? []) {
      filters[f.plugin] = f.status ? { code: f.status.code, reasons: [...f.status.reasons] } : { code: 'Success', reasons: [], ...(f.skipped ? { skipped: true } : {}) };
    }
    const failed = o.diagnosis.nodeToStatus.get(n.name) ?? (o.diagnosis.preFilterMsg ? o.diagnosis.absentNodesStatus : undefined);
    const status = failed ? { code: failed.code, reasons: [...failed.reasons], plugin: failed.plugin ?? null } : { code: 'Success' as Code, reasons: [], plugin: null };
    const fi = feasibleIndex.get(n.name);
    let scores: Record<string, number> | null = null;
    let weightedScores: Record<string, number> | null = null;
    let totalScore: number | null = null;
    if (fi !== undefined && o.pluginScores && o.totals) {
      scores = {};
      weightedScores = {};
      o.pluginScores.forEach((list, i) => {
        const sp = scorePlugins[i]!;
        scores![sp.name] = list ? list[fi]! : 0;
        weightedScores![sp.name] = (list ? list[fi]! : 0) * sp.weight;
      });
      totalScore = o.totals[fi]!;
    }
    return {
      name: n.name,
      evaluated: ex?.evaluated ?? false,
      feasible: fi !== undefined,
      filters,
      status,
      scores,
      weightedScores,
      totalScore,
      lostBecause: null,
    };
  });

  const winner = nodes.find((n) => n.name === o.suggestedHost) ?? null;
  for (const n of nodes) n.lostBecause = explainLoss(n, winner, o.numNodesToFind, o.tiedAtTop);

  const message = o.suggestedHost === null ? outcomeMessage(snapshot.nodes.length, o) : null;
  return {
    selectedNode: o.suggestedHost,
    message,
    reasons: o.suggestedHost === null && !o.diagnosis.preFilterMsg ? reasonHistogram(snapshot.nodes.length, o.diagnosis) : [],
    nodes,
    filterPlugins: fwk.filterPlugins.map((p) => p.name),
    scorePlugins,
    numNodesToFind: o.numNodesToFind || numFeasibleNodesToFind(profile.percentageOfNodesToScore ?? input.percentageOfNodesToScore, snapshot.nodes.length),
    evaluatedNodes: o.evaluatedNodes,
    feasibleNodes: o.feasibleNodes.length,
    tiedAtTop: o.tiedAtTop,
    preemption,
    nextStartNodeIndex: start.nextStartNodeIndex,
  };
}

function explainLoss(n: NodeCycleResult, winner: NodeCycleResult | null, numNodesToFind: number, tied: number): string | null {
  if (winner && n.name === winner.name) return null;
  if (!n.evaluated) return `not evaluated: the scheduler stopped after finding ${numNodesToFind} feasible node(s) (percentageOfNodesToScore)`;
  if (!n.feasible) return `filtered out by ${n.status.plugin ?? 'PreFilter'}: ${n.status.reasons.join(', ')}`;
  if (!winner) return null;
  if (n.totalScore === null || winner.totalScore === null) return `not scored: ${winner.name} was the only feasible node`;
  if (n.totalScore === winner.totalScore) return `tied with ${winner.name} at ${n.totalScore} (${tied} nodes tied); the seeded random tie-break picked ${winner.name}`;
  const deficits = Object.keys(n.weightedScores ?? {})
    .map((p) => ({ p, d: (n.weightedScores![p] ?? 0) - (winner.weightedScores![p] ?? 0) }))
    .filter((x) => x.d < 0)
    .sort((a, b) => a.d - b.d)
    .map((x) => `${x.p} ${x.d}`);
  return `lower total score ${n.totalScore} < ${winner.totalScore} (${winner.name})${deficits.length ? `: ${deficits.join(', ')}` : ''}`;
}
