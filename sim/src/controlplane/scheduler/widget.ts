/**
 * The kube-scheduler widget's runner: the student edits Nodes (and Pods
 * already running on them), a pending Pod and a KubeSchedulerConfiguration;
 * the result is the per-node, per-plugin table of one scheduling cycle, the
 * chosen node and why each other node lost. Backs the chapter section
 * "kube-scheduler: Filter と Score".
 *
 * Input format
 *  - nodesYaml: `---`-separated documents; `kind: Node` documents are nodes
 *    (metadata.name required, status.allocatable or status.capacity), and
 *    `kind: Pod` documents are pods already bound to a node (spec.nodeName).
 *  - podYaml: one `kind: Pod` document, the pod to schedule.
 *  - profileYaml: a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1);
 *    empty means the default profile. The first profile is used.
 * Errors carry line/column and the field path; each message starts with
 * "nodes: ", "pod: " or "profile: " — the editor the line number refers to.
 */
import type { Node, Pod } from '../../api/objects.ts';
import { parseExactQuantity } from '../../api/quantity.ts';
import { parseYaml, type LocatedYaml } from '../../api/yaml.ts';
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { parseSchedulerConfiguration } from './apis/parse.ts';
import { runSchedulingCycle, type SchedulingCycleResult } from './cycle.ts';

/** Refuse clusters bigger than this in the widget (a stated limit, answered fast). */
export const WIDGET_MAX_NODES = 200;
export const WIDGET_MAX_PODS = 2000;

export interface SchedulerWidgetInput {
  nodesYaml: string;
  podYaml: string;
  profileYaml: string;
}

export interface SchedulingRow {
  node: string;
  verdict: 'selected' | 'filtered' | 'lower-score' | 'tie-lost' | 'not-evaluated' | 'not-scored';
  evaluated: boolean;
  feasible: boolean;
  filters: { plugin: string; code: string; reasons: string[]; skipped: boolean }[];
  scores: { plugin: string; score: number; weight: number; weighted: number; skipped: boolean }[] | null;
  total: number | null;
  why: string | null;
}

export interface SchedulingView {
  pod: string;
  selectedNode: string | null;
  /** One sentence for the caption. */
  summary: string;
  /** upstream's FailedScheduling message when no node fits. */
  message: string | null;
  filterPlugins: string[];
  scorePlugins: { name: string; weight: number; skipped: boolean }[];
  rows: SchedulingRow[];
  numNodesToFind: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  preemption: SchedulingCycleResult['preemption'];
}

export const DEFAULT_SCHEDULER_NODES_YAML = `# 4 つのノード: 空いている node-b、SSD 付きだが混んでいる node-a、
# 小さすぎる node-c、GPU 専用の taint が付いた node-gpu。
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    kubernetes.io/hostname: node-a
    topology.kubernetes.io/zone: zone-a
    disktype: ssd
status:
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
  labels:
    kubernetes.io/hostname: node-b
    topology.kubernetes.io/zone: zone-b
status:
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
---
apiVersion: v1
kind: Node
metadata:
  name: node-c
  labels:
    kubernetes.io/hostname: node-c
    topology.kubernetes.io/zone: zone-b
status:
  allocatable: {cpu: "1", memory: 2Gi, pods: "110"}
---
apiVersion: v1
kind: Node
metadata:
  name: node-gpu
  labels:
    kubernetes.io/hostname: node-gpu
    topology.kubernetes.io/zone: zone-c
spec:
  taints:
  - {key: nvidia.com/gpu, value: "true", effect: NoSchedule}
status:
  allocatable: {cpu: "16", memory: 64Gi, pods: "110"}
---
# すでに node-a で動いている Pod
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec:
  nodeName: node-a
  containers:
  - name: web
    image: nginx:1.27
    resources: {requests: {cpu: "1", memory: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: cache-1, labels: {app: cache}}
spec:
  nodeName: node-a
  containers:
  - name: redis
    image: redis:7
    resources: {requests: {cpu: 500m, memory: 2Gi}}
`;

export const DEFAULT_SCHEDULER_POD_YAML = `# スケジュール待ちの Pod: SSD を「できれば」希望し、
# web Pod をゾーンに散らしたい。
apiVersion: v1
kind: Pod
metadata:
  name: web-2
  labels: {app: web}
spec:
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 50
        preference:
          matchExpressions:
          - {key: disktype, operator: In, values: [ssd]}
  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector: {matchLabels: {app: web}}
  containers:
  - name: web
    image: nginx:1.27
    resources: {requests: {cpu: 1500m, memory: 1Gi}}
`;

export const DEFAULT_SCHEDULER_PROFILE_YAML = `# 既定プロファイルと同じ設定を明示したもの。
# type を MostAllocated にすると「詰め込み」になる。
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  plugins:
    score:
      enabled:
      - {name: TaintToleration, weight: 3}
      - {name: NodeAffinity, weight: 2}
      - {name: PodTopologySpread, weight: 2}
      - {name: NodeResourcesFit, weight: 1}
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: LeastAllocated
        resources:
        - {name: cpu, weight: 1}
        - {name: memory, weight: 1}
`;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkQuantities(y: LocatedYaml, doc: number, list: unknown, path: string, errors: SimError[]): void {
  if (list === undefined || list === null) return;
  if (!isObj(list)) {
    errors.push(y.errorAt(path, 'FIELD_INVALID', `${path}: must be a mapping of resource name to quantity`, doc));
    return;
  }
  for (const [name, q] of Object.entries(list)) {
    const p = `${path}.${name}`;
    if (typeof q !== 'string' && typeof q !== 'number') {
      errors.push(y.errorAt(p, 'QUANTITY_FORMAT', `${p}: quantity must be a string or number`, doc));
      continue;
    }
    const r = parseExactQuantity(String(q), p);
    if (!r.ok) errors.push(y.errorAt(p, r.errors[0]!.code, `${p}: ${r.errors[0]!.message}`, doc));
    else if (r.value.negative) errors.push(y.errorAt(p, 'FIELD_INVALID', `${p}: must be greater than or equal to 0`, doc));
  }
}

function checkPod(y: LocatedYaml, doc: number, pod: Obj, errors: SimError[]): void {
  const meta = isObj(pod.metadata) ? pod.metadata : {};
  if (typeof meta.name !== 'string' || meta.name === '') errors.push(y.errorAt('metadata.name', 'FIELD_REQUIRED', 'metadata.name: Required value', doc));
  const spec = isObj(pod.spec) ? pod.spec : {};
  for (const kind of ['containers', 'initContainers'] as const) {
    const cs = spec[kind];
    if (cs === undefined) continue;
    if (!Array.isArray(cs)) {
      errors.push(y.errorAt(`spec.${kind}`, 'FIELD_INVALID', `spec.${kind}: must be a list`, doc));
      continue;
    }
    cs.forEach((c, i) => {
      const res = isObj(c) && isObj(c.resources) ? c.resources : {};
      checkQuantities(y, doc, res.requests, `spec.${kind}[${i}].resources.requests`, errors);
      checkQuantities(y, doc, res.limits, `spec.${kind}[${i}].resources.limits`, errors);
    });
  }
  if (isObj(spec.overhead)) checkQuantities(y, doc, spec.overhead, 'spec.overhead', errors);
}

function docsOf(text: string, what: string): Result<LocatedYaml> {
  const r = parseYaml(text);
  if (!r.ok) return fail(r.errors.map((e) => ({ ...e, message: `${what}: ${e.message}` })));
  return r;
}

/** Runs one explained scheduling cycle for the widget. */
export function runSchedulerWidget(input: SchedulerWidgetInput, options: { seed?: number } = {}): Result<SchedulingView> {
  const errors: SimError[] = [];
  const ny = docsOf(input.nodesYaml, 'nodes');
  if (!ny.ok) return ny;
  const nodes: Node[] = [];
  const pods: Pod[] = [];
  const names = new Set<string>();
  ny.value.docs.forEach((d, i) => {
    if (!isObj(d)) return errors.push(ny.value.errorAt('', 'FIELD_INVALID', 'each document must be a Node or a Pod', i));
    if (d.kind === 'Pod') {
      checkPod(ny.value, i, d, errors);
      const spec = isObj(d.spec) ? d.spec : {};
      if (typeof spec.nodeName !== 'string' || !spec.nodeName) errors.push(ny.value.errorAt('spec.nodeName', 'FIELD_REQUIRED', 'spec.nodeName: a pod listed with the nodes must already be bound to one', i));
      pods.push(d as Pod);
      return;
    }
    if (d.kind !== 'Node') return errors.push(ny.value.errorAt('kind', 'FIELD_INVALID', `kind: Unsupported value: "${String(d.kind ?? '')}": supported values: "Node", "Pod"`, i));
    const meta = isObj(d.metadata) ? d.metadata : {};
    if (typeof meta.name !== 'string' || meta.name === '') return errors.push(ny.value.errorAt('metadata.name', 'FIELD_REQUIRED', 'metadata.name: Required value', i));
    if (names.has(meta.name)) return errors.push(ny.value.errorAt('metadata.name', 'FIELD_DUPLICATE', `metadata.name: Duplicate value: "${meta.name}"`, i));
    names.add(meta.name);
    const status = isObj(d.status) ? d.status : {};
    checkQuantities(ny.value, i, status.allocatable, 'status.allocatable', errors);
    checkQuantities(ny.value, i, status.capacity, 'status.capacity', errors);
    nodes.push(d as Node);
  });
  if (nodes.length > WIDGET_MAX_NODES) errors.push(simError('LIMIT_EXCEEDED', `${nodes.length} nodes; the widget handles at most ${WIDGET_MAX_NODES}`, { line: 1, column: 1 }));
  if (pods.length > WIDGET_MAX_PODS) errors.push(simError('LIMIT_EXCEEDED', `${pods.length} pods; the widget handles at most ${WIDGET_MAX_PODS}`, { line: 1, column: 1 }));
  pods.forEach((p, i) => {
    if (p.spec?.nodeName && !names.has(p.spec.nodeName)) {
      const doc = ny.value.docs.indexOf(p);
      errors.push(ny.value.errorAt('spec.nodeName', 'FIELD_INVALID', `spec.nodeName: no node named "${p.spec.nodeName}"`, doc >= 0 ? doc : i));
    }
  });

  // Each message names the editor it belongs to (line numbers are per text).
  const tag = (from: number, what: string) => {
    for (let i = from; i < errors.length; i++) if (!errors[i]!.message.startsWith(`${what}: `)) errors[i] = { ...errors[i]!, message: `${what}: ${errors[i]!.message}` };
  };
  tag(0, 'nodes');
  const podErrorsFrom = errors.length;
  const py = docsOf(input.podYaml, 'pod');
  if (!py.ok) return fail([...errors, ...py.errors]);
  const podDoc = py.value.docs[0];
  if (py.value.docs.length !== 1 || !isObj(podDoc) || podDoc.kind !== 'Pod') {
    errors.push(py.value.errorAt('kind', 'FIELD_INVALID', 'the pod to schedule must be exactly one document with kind: Pod'));
  } else {
    checkPod(py.value, 0, podDoc, errors);
  }

  tag(podErrorsFrom, 'pod');
  const cfg = parseSchedulerConfiguration(input.profileYaml);
  if (!cfg.ok) errors.push(...cfg.errors.map((e) => ({ ...e, message: `profile: ${e.message}` })));
  if (errors.length) return fail(errors);
  const pod = podDoc as Pod;
  if (!cfg.ok) return fail(errors);
  const profile = cfg.value.profiles[0]!;

  const r = runSchedulingCycle({ nodes, pods, pod: { ...pod, spec: { ...(pod.spec ?? {}), nodeName: pod.spec?.nodeName } }, profile, percentageOfNodesToScore: cfg.value.percentageOfNodesToScore, seed: options.seed ?? 1 });
  const podName = `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
  const rows: SchedulingRow[] = r.nodes.map((n) => {
    const verdict: SchedulingRow['verdict'] =
      n.name === r.selectedNode ? 'selected'
      : !n.evaluated ? 'not-evaluated'
      : !n.feasible ? 'filtered'
      : n.totalScore === null ? 'not-scored'
      : n.totalScore === r.nodes.find((x) => x.name === r.selectedNode)?.totalScore ? 'tie-lost'
      : 'lower-score';
    return {
      node: n.name,
      verdict,
      evaluated: n.evaluated,
      feasible: n.feasible,
      filters: r.filterPlugins.map((p) => ({ plugin: p, code: n.filters[p]?.code ?? 'Success', reasons: n.filters[p]?.reasons ?? [], skipped: n.filters[p]?.skipped ?? false })),
      scores: n.scores
        ? r.scorePlugins.map((sp) => ({ plugin: sp.name, score: n.scores![sp.name] ?? 0, weight: sp.weight, weighted: n.weightedScores![sp.name] ?? 0, skipped: sp.skipped }))
        : null,
      total: n.totalScore,
      why: n.lostBecause,
    };
  });
  const summary = r.selectedNode
    ? `${podName} → ${r.selectedNode} (${r.feasibleNodes} of ${r.nodes.length} nodes passed Filter${r.tiedAtTop > 1 ? `; ${r.tiedAtTop} tied at the top score` : ''})`
    : `${podName} stays Pending: ${r.message}`;
  return ok({
    pod: podName,
    selectedNode: r.selectedNode,
    summary,
    message: r.message,
    filterPlugins: r.filterPlugins,
    scorePlugins: r.scorePlugins,
    rows,
    numNodesToFind: r.numNodesToFind,
    evaluatedNodes: r.evaluatedNodes,
    feasibleNodes: r.feasibleNodes,
    preemption: r.preemption,
  });
}
