/**
 * runQosOom: Pods in, QoS classes, oom_score_adj, the oom_score each process
 * would show, and the order a node-wide OOM killer would take them in.
 *
 * Input: one or more Pods as YAML (`---` separated). Each container may carry
 * a sim-only field `usage: 700Mi` — how much memory its process is using
 * (not a Kubernetes field: strict server-side validation would reject it).
 * Without it the container uses its memory request, or 100Mi.
 *
 * Steps, each after upstream:
 *  1. apiserver defaulting (defaults.ts): limits copied into missing requests;
 *  2. QoS class (qos.ts, GetPodQOS) and oom_score_adj per container
 *     (policy.ts, GetContainerOOMScoreAdjust) for a node with
 *     `memoryCapacityBytes` of memory;
 *  3. per process: oom_badness = rss + page tables + adj × (totalpages/1000)
 *     and /proc/<pid>/oom_score (../../../kernel/oom/badness.ts), with
 *     totalpages = RAM (no swap);
 *  4. the kill order: repeated select_bad_process (ties: the later process).
 * A container whose usage exceeds its own memory limit never gets there: its
 * cgroup's memory.max OOM-kills it first, so it is listed apart. The kubelet
 * and containerd run at -999 and systemd (pid 1) is never chosen.
 * Backs Layer 1 "OOM killer and QoS classes".
 */
import { parseYaml } from '../../../api/yaml.ts';
import { parseExactQuantity, ceilScaled } from '../../../api/quantity.ts';
import { fail, ok, simError, type Result, type SimError } from '../../../core/result.ts';
import { Prng } from '../../../core/prng.ts';
import type { Container, Pod } from '../../../api/objects.ts';
import { setDefaultsPodResources } from './defaults.ts';
import { getPodQOS, type PodQOSClass } from './qos.ts';
import { getContainerOOMScoreAdjust, KUBELET_OOM_SCORE_ADJ } from './policy.ts';
import { isRestartableInitContainer } from './helpers.ts';
import { kubepodsPath } from '../../../kernel/cgroups/hierarchy.ts';
import { oomBadness, procOomScore, PAGE_SIZE } from '../../../kernel/oom/badness.ts';
import { killOrder, type OomCandidate } from '../../../kernel/oom/select.ts';

export const QOS_OOM_LIMITS = { podsMax: 20, containersMax: 60, capacityMaxBytes: 2 ** 50, capacityMinBytes: 2 ** 26 } as const;
const DEFAULT_USAGE_BYTES = 100 * 2 ** 20;

export const DEFAULT_QOS_OOM = `# ノードのメモリは 4Gi。使用量 (usage) はこの教科書のシミュレーター専用のフィールド
apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: postgres
    image: postgres:17
    resources:
      requests: {cpu: "1", memory: 1Gi}
      limits: {cpu: "1", memory: 1Gi}
    usage: 900Mi
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests: {cpu: 250m, memory: 256Mi}
      limits: {memory: 1Gi}
    usage: 800Mi
  initContainers:
  - name: log-shipper
    image: fluent-bit:3.2
    restartPolicy: Always
    resources:
      requests: {memory: 64Mi}
    usage: 60Mi
---
apiVersion: v1
kind: Pod
metadata:
  name: batch
spec:
  containers:
  - name: job
    image: busybox:1.37
    usage: 300Mi
`;

export interface QosOomProcess {
  hostPid: number;
  comm: string;
  /** null for host daemons. */
  pod: string | null;
  container: string | null;
  kind: 'container' | 'sidecar' | 'init-completed' | 'host';
  qosClass: PodQOSClass | null;
  oomScoreAdj: number;
  usageBytes: number;
  memoryRequestBytes: number;
  memoryLimitBytes: number | null;
  /** oom_badness in pages; null when not eligible. */
  badnessPages: number | null;
  /** /proc/<pid>/oom_score (0..2000). */
  oomScore: number;
  /** usage > limits.memory: the container's own cgroup OOM-kills it first. */
  exceedsLimit: boolean;
  cgroupPath: string;
}

export interface QosOomPod {
  name: string;
  qosClass: PodQOSClass;
  /** Field paths filled in by apiserver defaulting. */
  defaulted: string[];
  cgroupPath: string;
  containers: { name: string; kind: QosOomProcess['kind']; oomScoreAdj: number; hostPid: number | null }[];
}

export interface QosOomView {
  memoryCapacityBytes: number;
  totalPages: number;
  pods: QosOomPod[];
  processes: QosOomProcess[];
  /** Node-wide OOM kill order, first victim first (host daemons and ineligible processes last or absent). */
  killOrder: { rank: number; hostPid: number; comm: string; pod: string | null; container: string | null; oomScore: number; badnessPages: number }[];
  /** Containers over their own memory limit: killed by their cgroup's OOM, whatever the node has free. */
  cgroupOomKills: { hostPid: number; pod: string; container: string; usageBytes: number; memoryLimitBytes: number }[];
  notes: string[];
}

const RESOURCE_FIELDS = ['requests', 'limits'] as const;

function validate(doc: unknown, i: number, y: { errorAt(path: string, code: string, message: string, doc?: number): SimError }): SimError[] {
  const errors: SimError[] = [];
  const pod = doc as Pod;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [y.errorAt('', 'FIELD_INVALID', 'each document must be a Pod object', i)];
  if (pod.kind !== 'Pod') errors.push(y.errorAt('kind', 'FIELD_INVALID', `kind must be Pod, got ${JSON.stringify(pod.kind)}`, i));
  if (!pod.metadata?.name) errors.push(y.errorAt('metadata', 'FIELD_REQUIRED', 'metadata.name is required', i));
  const cs = pod.spec?.containers;
  if (!Array.isArray(cs) || cs.length === 0) errors.push(y.errorAt('spec', 'FIELD_REQUIRED', 'spec.containers needs at least one container', i));
  const checkList = (path: string, list: unknown) => {
    if (list === undefined || list === null) return;
    if (typeof list !== 'object') { errors.push(y.errorAt(path, 'FIELD_INVALID', 'must be a map of resource name to quantity', i)); return; }
    for (const [name, q] of Object.entries(list as Record<string, unknown>)) {
      if (typeof q !== 'string' && typeof q !== 'number') { errors.push(y.errorAt(`${path}.${name}`, 'QUANTITY_FORMAT', 'a quantity must be a string or number', i)); continue; }
      const r = parseExactQuantity(String(q), `${path}.${name}`);
      if (!r.ok) errors.push(y.errorAt(`${path}.${name}`, r.errors[0]!.code, `${name}: ${r.errors[0]!.message}`, i));
      else if (r.value.negative) errors.push(y.errorAt(`${path}.${name}`, 'FIELD_INVALID', `${name} must not be negative`, i));
    }
  };
  const checkContainers = (key: 'containers' | 'initContainers') => {
    const list = pod.spec?.[key];
    if (list === undefined) return;
    if (!Array.isArray(list)) { errors.push(y.errorAt(`spec.${key}`, 'FIELD_INVALID', 'must be a list', i)); return; }
    list.forEach((c: Container & { usage?: unknown }, j) => {
      const base = `spec.${key}[${j}]`;
      if (!c || typeof c !== 'object') { errors.push(y.errorAt(base, 'FIELD_INVALID', 'a container must be a map', i)); return; }
      if (!c.name) errors.push(y.errorAt(base, 'FIELD_REQUIRED', 'name is required', i));
      for (const f of RESOURCE_FIELDS) checkList(`${base}.resources.${f}`, c.resources?.[f]);
      if (c.usage !== undefined) {
        const r = parseExactQuantity(String(c.usage), `${base}.usage`);
        if (!r.ok) errors.push(y.errorAt(`${base}.usage`, r.errors[0]!.code, `usage: ${r.errors[0]!.message}`, i));
      }
    });
  };
  checkContainers('containers');
  checkContainers('initContainers');
  for (const f of RESOURCE_FIELDS) checkList(`spec.resources.${f}`, pod.spec?.resources?.[f]);
  return errors;
}

const bytesOf = (q: string | number | undefined): number | null => {
  if (q === undefined) return null;
  const r = parseExactQuantity(String(q));
  return r.ok ? Number(ceilScaled(r.value, 0)) : null;
};

export function runQosOom(podYaml: string, options: { memoryCapacityBytes?: number; seed?: number } = {}): Result<QosOomView> {
  const capacity = options.memoryCapacityBytes ?? 4 * 2 ** 30;
  if (!Number.isSafeInteger(capacity) || capacity < QOS_OOM_LIMITS.capacityMinBytes || capacity > QOS_OOM_LIMITS.capacityMaxBytes) {
    return fail(simError('LIMIT_EXCEEDED', `memoryCapacityBytes must be an integer between 64Mi and 1Pi, got ${capacity}`, { path: 'memoryCapacityBytes' }));
  }
  const y = parseYaml(podYaml);
  if (!y.ok) return y;
  const docs = y.value.docs;
  if (docs.length === 0) return fail(simError('FIELD_REQUIRED', 'no Pod in the input', { line: 1, column: 1 }));
  if (docs.length > QOS_OOM_LIMITS.podsMax) return fail(simError('LIMIT_EXCEEDED', `at most ${QOS_OOM_LIMITS.podsMax} Pods`, { line: 1, column: 1 }));
  const errors = docs.flatMap((d, i) => validate(d, i, y.value));
  if (errors.length) return fail(errors);
  const total = (docs as Pod[]).reduce((n, p) => n + (p.spec?.containers?.length ?? 0) + (p.spec?.initContainers?.length ?? 0), 0);
  if (total > QOS_OOM_LIMITS.containersMax) return fail(simError('LIMIT_EXCEEDED', `at most ${QOS_OOM_LIMITS.containersMax} containers in all`, { line: 1, column: 1 }));

  const prng = new Prng(options.seed ?? 1);
  const hex = (n: number) => Array.from({ length: n }, () => prng.intBetween(0, 16).toString(16)).join('');
  const totalPages = Math.floor(capacity / PAGE_SIZE);
  const processes: QosOomProcess[] = [];
  const pods: QosOomPod[] = [];
  const notes: string[] = [];
  let nextPid = 1000 + prng.intBetween(0, 500);
  const badness = (usage: number, adj: number) => {
    const pages = Math.ceil(usage / PAGE_SIZE);
    return oomBadness({ rssPages: pages, swapPages: 0, pgtablesBytes: Math.ceil(pages / 512) * PAGE_SIZE }, adj, totalPages);
  };
  // Host daemons (systemd's unit files set these: OOMScoreAdjust=-999 for kubelet and containerd).
  const host = (hostPid: number, comm: string, adj: number, usage: number, unkillable = false): QosOomProcess => {
    const b = unkillable ? null : badness(usage, adj);
    return { hostPid, comm, pod: null, container: null, kind: 'host', qosClass: null, oomScoreAdj: adj, usageBytes: usage, memoryRequestBytes: 0, memoryLimitBytes: null, badnessPages: b, oomScore: procOomScore(b, totalPages), exceedsLimit: false, cgroupPath: hostPid === 1 ? '/init.scope' : `/system.slice/${comm}.service` };
  };
  processes.push(host(1, 'systemd', 0, 12 * 2 ** 20, true), host(612, 'containerd', KUBELET_OOM_SCORE_ADJ, 60 * 2 ** 20), host(640, 'kubelet', KUBELET_OOM_SCORE_ADJ, 120 * 2 ** 20));

  (docs as Pod[]).forEach((raw) => {
    const { pod, defaulted } = setDefaultsPodResources(raw);
    const qos = getPodQOS(pod);
    const uid = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    const podRow: QosOomPod = { name: pod.metadata!.name!, qosClass: qos, defaulted, cgroupPath: kubepodsPath(qos, uid), containers: [] };
    if (defaulted.length) notes.push(`${podRow.name}: the apiserver defaulted ${defaulted.join(', ')} from the limits`);
    const all: [Container & { usage?: string | number }, QosOomProcess['kind']][] = [
      ...(pod.spec!.initContainers ?? []).map((c): [Container, QosOomProcess['kind']] => [c, isRestartableInitContainer(c) ? 'sidecar' : 'init-completed']),
      ...pod.spec!.containers!.map((c): [Container, QosOomProcess['kind']] => [c, 'container']),
    ];
    for (const [c, kind] of all) {
      const adj = getContainerOOMScoreAdjust(pod, c, capacity);
      const req = bytesOf(c.resources?.requests?.memory) ?? 0;
      const lim = bytesOf(c.resources?.limits?.memory);
      const usage = bytesOf(c.usage) ?? (req || DEFAULT_USAGE_BYTES);
      if (kind === 'init-completed') {
        podRow.containers.push({ name: c.name!, kind, oomScoreAdj: adj, hostPid: null });
        continue;
      }
      const hostPid = nextPid++;
      const b = badness(usage, adj);
      const cgroupPath = kubepodsPath(qos, uid, hex(64));
      processes.push({ hostPid, comm: c.name!, pod: podRow.name, container: c.name!, kind, qosClass: qos, oomScoreAdj: adj, usageBytes: usage, memoryRequestBytes: req, memoryLimitBytes: lim, badnessPages: b, oomScore: procOomScore(b, totalPages), exceedsLimit: lim !== null && usage > lim, cgroupPath });
      podRow.containers.push({ name: c.name!, kind, oomScoreAdj: adj, hostPid });
      nextPid += prng.intBetween(0, 40);
    }
    pods.push(podRow);
  });

  const cgroupOomKills = processes.filter((p) => p.exceedsLimit).map((p) => ({ hostPid: p.hostPid, pod: p.pod!, container: p.container!, usageBytes: p.usageBytes, memoryLimitBytes: p.memoryLimitBytes! }));
  for (const k of cgroupOomKills) notes.push(`${k.pod}/${k.container} wants ${k.usageBytes} bytes but its memory.max is ${k.memoryLimitBytes}: its own cgroup OOM-kills it first`);
  const sumUsage = processes.filter((p) => !p.exceedsLimit).reduce((n, p) => n + p.usageBytes, 0);
  notes.push(sumUsage > capacity
    ? `the processes want ${sumUsage} bytes on a ${capacity}-byte node: the node-wide OOM killer must act (before that the kubelet would try evicting pods at memory.available < 100Mi)`
    : `the processes use ${sumUsage} of ${capacity} bytes: no node-wide OOM yet; the order below is who would go first if it came to that`);
  const candidates: OomCandidate[] = processes.filter((p) => !p.exceedsLimit).map((p) => {
    const pages = Math.ceil(p.usageBytes / PAGE_SIZE);
    return { hostPid: p.hostPid, oomScoreAdj: p.oomScoreAdj, mm: { rssPages: pages, swapPages: 0, pgtablesBytes: Math.ceil(pages / 512) * PAGE_SIZE }, unkillable: p.hostPid === 1 };
  });
  const order = killOrder(candidates, totalPages).map((c, i) => {
    const p = processes.find((x) => x.hostPid === c.hostPid)!;
    return { rank: i + 1, hostPid: p.hostPid, comm: p.comm, pod: p.pod, container: p.container, oomScore: p.oomScore, badnessPages: p.badnessPages! };
  });
  return ok({ memoryCapacityBytes: capacity, totalPages, pods, processes, killOrder: order, cgroupOomKills, notes });
}
