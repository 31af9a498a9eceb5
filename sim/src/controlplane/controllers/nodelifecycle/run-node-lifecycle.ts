/**
 * Widget runner: a node stops heartbeating → Ready becomes Unknown → taints →
 * its pods are evicted. One tick = 1 s of virtual time; kubelets renew their
 * Lease every 10 s (each at a seeded offset), the node lifecycle controller
 * runs every 5 s, the taint eviction controller every second.
 *
 * Script (one command per line, `#` comments; times like `10s`, `2m`, `400`):
 *   nodes 3                     create node-1..node-3 (limit 50)
 *   pods-per-node 2             pods placed on each node (default 2, limit 20)
 *   toleration 300s             the pods' tolerationSeconds for not-ready/unreachable
 *                               (default 300, what DefaultTolerationSeconds adds; `none` = forever)
 *   grace-period 50s            --node-monitor-grace-period (default 50 s, v1.32+; 40 s before)
 *   stop-heartbeat node-2 at 10s    the kubelet stops renewing its lease and posting status
 *   resume-heartbeat node-2 at 200s
 *   not-ready node-3 at 20s     the kubelet keeps posting, but Ready=False (e.g. runtime down)
 *   ready node-3 at 90s
 *   run 400s                    simulate until then (limit 3600 s)
 */
import { fail, ok, simError, type Result, type SimError } from '../../../core/result.ts';
import { Prng } from '../../../core/prng.ts';
import {
  DEFAULT_TOLERATION_SECONDS, NODE_LEASE_DURATION_SECONDS, NODE_LEASE_RENEW_INTERVAL_MS, NODE_MONITOR_GRACE_PERIOD_MS,
  NODE_MONITOR_PERIOD_MS, NODE_STATUS_REPORT_FREQUENCY_MS, NODE_STATUS_UPDATE_FREQUENCY_MS, TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE,
} from './defaults.ts';
import { NodeLifecycleController, type ConditionStatus, type NodeLifecycleEvent, type NodeRecord } from './controller.ts';
import { TaintEvictionController, type EvictablePod } from './taint-eviction.ts';

export const NODE_LIFECYCLE_MAX_NODES = 50;
export const NODE_LIFECYCLE_MAX_SECONDS = 3600;
const MAX_POINTS = 500;

export const DEFAULT_NODE_LIFECYCLE_SCRIPT = `# Three nodes, two pods each. node-2's kubelet dies at 10 s.
nodes 3
pods-per-node 2
stop-heartbeat node-2 at 10s
run 400s
`;

type ScriptEvent = { atMs: number; line: number; kind: 'stop' | 'resume' | 'not-ready' | 'ready'; node: string };

interface Script {
  nodes: number;
  podsPerNode: number;
  tolerationSeconds: number | null;
  gracePeriodMs: number;
  runMs: number;
  events: ScriptEvent[];
}

function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s);
  if (!m) return undefined;
  const v = Number(m[1]);
  return Math.round(m[2] === 'ms' ? v : m[2] === 'm' ? v * 60_000 : v * 1000);
}

export function parseNodeLifecycleScript(text: string): Result<Script> {
  const script: Script = { nodes: 3, podsPerNode: 2, tolerationSeconds: DEFAULT_TOLERATION_SECONDS, gracePeriodMs: NODE_MONITOR_GRACE_PERIOD_MS, runMs: 400_000, events: [] };
  const errors: SimError[] = [];
  const lines = text.split('\n');
  if (lines.length > 1000) return fail(simError('LIMIT_EXCEEDED', 'script longer than 1000 lines', { line: 1001, column: 1 }));
  lines.forEach((raw, i) => {
    const line = i + 1;
    const body = raw.replace(/#.*/, '').trim();
    if (!body) return;
    const col = raw.indexOf(body) + 1;
    const err = (msg: string, code = 'SCRIPT_INVALID') => errors.push(simError(code, msg, { line, column: col }));
    const w = body.split(/\s+/);
    const count = (max: number): number | undefined => {
      const n = Number(w[1]);
      if (w.length !== 2 || !Number.isInteger(n) || n < 1) return err(`${w[0]} takes a positive integer`), undefined;
      if (n > max) return err(`${w[0]} ${n} exceeds the limit of ${max}`, 'LIMIT_EXCEEDED'), undefined;
      return n;
    };
    switch (w[0]) {
      case 'nodes': { const n = count(NODE_LIFECYCLE_MAX_NODES); if (n) script.nodes = n; break; }
      case 'pods-per-node': { const n = count(20); if (n) script.podsPerNode = n; break; }
      case 'toleration': {
        if (w[1] === 'none') script.tolerationSeconds = null;
        else { const d = w.length === 2 ? parseDuration(w[1]!) : undefined; if (d === undefined) err('toleration takes a duration like 300s, or none'); else script.tolerationSeconds = Math.floor(d / 1000); }
        break;
      }
      case 'grace-period': { const d = w.length === 2 ? parseDuration(w[1]!) : undefined; if (d === undefined || d <= 0) err('grace-period takes a duration like 50s'); else script.gracePeriodMs = d; break; }
      case 'run': {
        const d = w.length === 2 ? parseDuration(w[1]!) : undefined;
        if (d === undefined) err('run takes a duration like 400s');
        else if (d > NODE_LIFECYCLE_MAX_SECONDS * 1000) err(`run ${w[1]} exceeds the limit of ${NODE_LIFECYCLE_MAX_SECONDS}s`, 'LIMIT_EXCEEDED');
        else script.runMs = d;
        break;
      }
      case 'stop-heartbeat': case 'resume-heartbeat': case 'not-ready': case 'ready': {
        const at = w.length === 4 && w[2] === 'at' ? parseDuration(w[3]!) : undefined;
        if (at === undefined) { err(`usage: ${w[0]} <node> at <time>`); break; }
        const kind = w[0] === 'stop-heartbeat' ? 'stop' : w[0] === 'resume-heartbeat' ? 'resume' : w[0];
        script.events.push({ atMs: at, line, kind: kind as ScriptEvent['kind'], node: w[1]! });
        break;
      }
      default: err(`unknown command "${w[0]}" (expected nodes, pods-per-node, toleration, grace-period, stop-heartbeat, resume-heartbeat, not-ready, ready, run)`);
    }
  });
  for (const e of script.events) {
    const m = /^node-(\d+)$/.exec(e.node);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > script.nodes) errors.push(simError('SCRIPT_INVALID', `no node named ${e.node} (nodes are node-1..node-${script.nodes})`, { line: e.line, column: 1 }));
  }
  if (errors.length) return fail(errors);
  script.events.sort((a, b) => a.atMs - b.atMs);
  return ok(script);
}

export interface NodeLifecyclePoint {
  timeSeconds: number;
  nodes: { name: string; ready: ConditionStatus; taints: string[]; leaseAgeSeconds: number; pods: number }[];
}

export interface NodeLifecycleView {
  settings: {
    nodeMonitorGracePeriodSeconds: number;
    nodeMonitorPeriodSeconds: number;
    leaseDurationSeconds: number;
    leaseRenewIntervalSeconds: number;
    tolerationSeconds: number | null;
  };
  timeline: NodeLifecyclePoint[];
  events: { timeSeconds: number; node: string; kind: string; message: string; pod?: string }[];
  evictions: { pod: string; node: string; timeSeconds: number }[];
}

interface Kubelet {
  alive: boolean;
  ready: boolean;
  offsetMs: number;
  lastPostedMs: number;
  lastPostedReady: ConditionStatus;
}

export function runNodeLifecycle(scriptText: string, options: { seed: number }): Result<NodeLifecycleView> {
  const parsed = parseNodeLifecycleScript(scriptText);
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  const prng = new Prng(options.seed);
  const nodes: NodeRecord[] = [];
  const kubelets = new Map<string, Kubelet>();
  const pods: EvictablePod[] = [];
  for (let i = 1; i <= s.nodes; i++) {
    const name = `node-${i}`;
    nodes.push({ name, ready: 'True', readyReason: 'KubeletReady', lastHeartbeatMs: 0, leaseRenewMs: 0, taints: [] });
    kubelets.set(name, { alive: true, ready: true, offsetMs: prng.intBetween(0, 10) * 1000, lastPostedMs: 0, lastPostedReady: 'True' });
    for (let j = 1; j <= s.podsPerNode; j++) {
      const tol = s.tolerationSeconds === null ? {} : { tolerationSeconds: s.tolerationSeconds };
      pods.push({
        name: `web-${i}-${j}`, nodeName: name, deleted: false,
        tolerations: [
          { key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', ...tol },
          { key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', ...tol },
        ],
      });
    }
  }
  const nlc = new NodeLifecycleController({ nodeMonitorGracePeriodMs: s.gracePeriodMs });
  const tec = new TaintEvictionController();
  const events: NodeLifecycleView['events'] = [];
  const evictions: NodeLifecycleView['evictions'] = [];
  const timeline: NodeLifecyclePoint[] = [];
  const push = (evs: NodeLifecycleEvent[]) => events.push(...evs.map((e) => ({ timeSeconds: e.timeMs / 1000, node: e.node, kind: e.kind, message: e.message })));
  const scripted = [...s.events];

  for (let now = 0; now <= s.runMs; now += 1000) {
    while (scripted.length && scripted[0]!.atMs <= now) {
      const e = scripted.shift()!;
      const k = kubelets.get(e.node)!;
      if (e.kind === 'stop') k.alive = false;
      else if (e.kind === 'resume') k.alive = true;
      else k.ready = e.kind === 'ready';
      events.push({ timeSeconds: now / 1000, node: e.node, kind: 'Script', message: { stop: 'kubelet stops: no lease renewals, no status posts', resume: 'kubelet is back', 'not-ready': 'kubelet reports Ready=False', ready: 'kubelet reports Ready=True' }[e.kind] });
    }
    // Kubelets: renew the Lease every 10 s; post NodeStatus every 10 s if it changed (or every 5 min).
    for (const node of nodes) {
      const k = kubelets.get(node.name)!;
      if (!k.alive) continue;
      if ((now - k.offsetMs) % NODE_LEASE_RENEW_INTERVAL_MS === 0 && now >= k.offsetMs) node.leaseRenewMs = now;
      const want: ConditionStatus = k.ready ? 'True' : 'False';
      const changed = node.ready !== want;
      if ((now - k.offsetMs) % NODE_STATUS_UPDATE_FREQUENCY_MS === 0 && (changed || now - k.lastPostedMs >= NODE_STATUS_REPORT_FREQUENCY_MS)) {
        if (changed) events.push({ timeSeconds: now / 1000, node: node.name, kind: want === 'True' ? 'NodeReady' : 'NodeNotReady', message: `kubelet posts Ready=${want}` });
        node.ready = want;
        node.readyReason = want === 'True' ? 'KubeletReady' : 'KubeletNotReady';
        node.lastHeartbeatMs = now;
        k.lastPostedMs = now;
      }
    }
    if (now % NODE_MONITOR_PERIOD_MS === 0) push(nlc.monitorNodeHealth(nodes, now));
    push(nlc.doNoExecuteTaintingPass(nodes, now));
    const taints = new Map(nodes.map((n) => [n.name, n.taints]));
    for (const name of tec.reconcile(pods, taints, now)) {
      const pod = pods.find((p) => p.name === name)!;
      pod.deleted = true;
      evictions.push({ pod: name, node: pod.nodeName, timeSeconds: now / 1000 });
      events.push({ timeSeconds: now / 1000, node: pod.nodeName, kind: 'TaintManagerEviction', pod: name, message: `Marking for deletion Pod default/${name} (tolerationSeconds elapsed)` });
    }
    timeline.push({
      timeSeconds: now / 1000,
      nodes: nodes.map((n) => ({
        name: n.name, ready: n.ready, taints: n.taints.map((t) => `${t.key}:${t.effect}`),
        leaseAgeSeconds: (now - n.leaseRenewMs) / 1000, pods: pods.filter((p) => p.nodeName === n.name && !p.deleted).length,
      })),
    });
  }
  const sampled = timeline.length <= MAX_POINTS ? timeline : Array.from({ length: MAX_POINTS }, (_, i) => timeline[Math.round((i * (timeline.length - 1)) / (MAX_POINTS - 1))]!);
  return ok({
    settings: {
      nodeMonitorGracePeriodSeconds: s.gracePeriodMs / 1000, nodeMonitorPeriodSeconds: NODE_MONITOR_PERIOD_MS / 1000,
      leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, leaseRenewIntervalSeconds: NODE_LEASE_RENEW_INTERVAL_MS / 1000, tolerationSeconds: s.tolerationSeconds,
    },
    timeline: sampled,
    events: events.slice(0, 500),
    evictions,
  });
}
