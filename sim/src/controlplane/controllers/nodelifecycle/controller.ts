/**
 * The node lifecycle controller's health monitor, pure and tick-driven.
 * Upstream: pkg/controller/nodelifecycle/node_lifecycle_controller.go (v1.34):
 * `monitorNodeHealth` (every node-monitor-period), `tryUpdateNodeHealth`
 * (probeTimestamp moves when the NodeStatus heartbeat or the Lease renewTime
 * changes; after node-monitor-grace-period without either, every condition
 * becomes Unknown, reason NodeStatusUnknown), `processTaintBaseEviction`,
 * `ComputeZoneState`, `doNoScheduleTaintingPass`, `doNoExecuteTaintingPass`
 * (a rate-limited queue: --node-eviction-rate 0.1/s in a Normal zone, no
 * NoExecute tainting at all when every node is down: FullDisruption).
 */
import {
  LARGE_CLUSTER_SIZE_THRESHOLD, NODE_EVICTION_RATE_PER_SECOND, TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, UNHEALTHY_ZONE_THRESHOLD,
} from './defaults.ts';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface NodeTaint {
  key: string;
  effect: 'NoSchedule' | 'NoExecute';
  timeAddedMs?: number;
}

/** What the apiserver holds for one node (the fields this controller reads and writes). */
export interface NodeRecord {
  name: string;
  ready: ConditionStatus;
  readyReason: string;
  /** NodeStatus heartbeat: Ready condition lastHeartbeatTime. */
  lastHeartbeatMs: number;
  /** kube-node-lease/<node> spec.renewTime. */
  leaseRenewMs: number;
  taints: NodeTaint[];
}

export interface NodeHealth {
  probeMs: number;
  seenHeartbeatMs: number;
  seenLeaseRenewMs: number;
}

export interface NodeLifecycleEvent {
  timeMs: number;
  node: string;
  kind: 'NodeNotReady' | 'NodeReady' | 'TaintAdded' | 'TaintRemoved' | 'MarkPodsNotReady' | 'ZoneState';
  message: string;
}

export interface NodeLifecycleConfig {
  nodeMonitorGracePeriodMs: number;
}

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Upstream ComputeZoneState. */
export function computeZoneState(readyStatuses: ConditionStatus[]): ZoneState {
  const ready = readyStatuses.filter((s) => s === 'True').length;
  const notReady = readyStatuses.length - ready;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (notReady + ready) >= UNHEALTHY_ZONE_THRESHOLD) return 'PartialDisruption';
  return 'Normal';
}

export class NodeLifecycleController {
  readonly health = new Map<string, NodeHealth>();
  /** Nodes waiting for a NoExecute taint (zoneNoExecuteTainter), in FIFO order. */
  #queue: { node: string; key: string }[] = [];
  /** Token bucket for the tainter: QPS = --node-eviction-rate, burst 1. */
  #tokens = 1;
  #lastRefillMs = 0;
  zoneState: ZoneState = 'Normal';

  readonly config: NodeLifecycleConfig;

  constructor(config: NodeLifecycleConfig) {
    this.config = config;
  }

  /** One monitorNodeHealth pass at `nowMs`; mutates node records, returns events. */
  monitorNodeHealth(nodes: NodeRecord[], nowMs: number): NodeLifecycleEvent[] {
    const events: NodeLifecycleEvent[] = [];
    for (const node of nodes) {
      let h = this.health.get(node.name);
      if (!h) {
        h = { probeMs: nowMs, seenHeartbeatMs: node.lastHeartbeatMs, seenLeaseRenewMs: node.leaseRenewMs };
        this.health.set(node.name, h);
      }
      if (node.lastHeartbeatMs !== h.seenHeartbeatMs) {
        h.seenHeartbeatMs = node.lastHeartbeatMs;
        h.probeMs = nowMs;
      }
      if (node.leaseRenewMs !== h.seenLeaseRenewMs) {
        h.seenLeaseRenewMs = node.leaseRenewMs;
        h.probeMs = nowMs;
      }
      if (nowMs > h.probeMs + this.config.nodeMonitorGracePeriodMs && node.ready !== 'Unknown') {
        const was = node.ready;
        node.ready = 'Unknown';
        node.readyReason = 'NodeStatusUnknown';
        events.push({ timeMs: nowMs, node: node.name, kind: 'NodeNotReady', message: `Ready ${was} → Unknown (NodeStatusUnknown: Kubelet stopped posting node status.) — no heartbeat for more than ${this.config.nodeMonitorGracePeriodMs / 1000}s` });
        events.push({ timeMs: nowMs, node: node.name, kind: 'MarkPodsNotReady', message: 'pods on the node marked Ready=False; endpoints drop them' });
      }
      // doNoScheduleTaintingPass: mirror the Ready condition as a NoSchedule taint right away.
      const noScheduleKey = node.ready === 'Unknown' ? TAINT_NODE_UNREACHABLE : node.ready === 'False' ? TAINT_NODE_NOT_READY : undefined;
      events.push(...this.#reconcileTaint(node, 'NoSchedule', noScheduleKey, nowMs));
    }

    this.zoneState = computeZoneState(nodes.map((n) => n.ready));
    for (const node of nodes) {
      // processTaintBaseEviction
      if (node.ready === 'True') {
        this.#queue = this.#queue.filter((q) => q.node !== node.name);
        events.push(...this.#reconcileTaint(node, 'NoExecute', undefined, nowMs));
      } else {
        const key = node.ready === 'Unknown' ? TAINT_NODE_UNREACHABLE : TAINT_NODE_NOT_READY;
        const other = key === TAINT_NODE_UNREACHABLE ? TAINT_NODE_NOT_READY : TAINT_NODE_UNREACHABLE;
        if (node.taints.some((t) => t.effect === 'NoExecute' && t.key === other)) {
          events.push(...this.#reconcileTaint(node, 'NoExecute', key, nowMs)); // swap straight away
        } else if (!node.taints.some((t) => t.effect === 'NoExecute' && t.key === key) && !this.#queue.some((q) => q.node === node.name)) {
          this.#queue.push({ node: node.name, key });
        }
      }
    }
    if (this.zoneState === 'FullDisruption') {
      // Every node is down: assume the control plane lost the network, not the nodes. Stop tainting, remove NoExecute taints.
      this.#queue = [];
      for (const node of nodes) events.push(...this.#reconcileTaint(node, 'NoExecute', undefined, nowMs));
    }
    return events;
  }

  /** One doNoExecuteTaintingPass: pop queued nodes while the rate limiter allows. */
  doNoExecuteTaintingPass(nodes: NodeRecord[], nowMs: number): NodeLifecycleEvent[] {
    const qps = this.zoneState === 'Normal' ? NODE_EVICTION_RATE_PER_SECOND : nodes.length > LARGE_CLUSTER_SIZE_THRESHOLD ? 0.01 : 0;
    this.#tokens = Math.min(1, this.#tokens + ((nowMs - this.#lastRefillMs) / 1000) * qps);
    this.#lastRefillMs = nowMs;
    const events: NodeLifecycleEvent[] = [];
    while (this.#queue.length && this.#tokens >= 1) {
      const { node: name, key } = this.#queue.shift()!;
      const node = nodes.find((n) => n.name === name);
      if (!node || node.ready === 'True') continue;
      this.#tokens -= 1;
      events.push(...this.#reconcileTaint(node, 'NoExecute', key, nowMs));
    }
    return events;
  }

  #reconcileTaint(node: NodeRecord, effect: NodeTaint['effect'], key: string | undefined, nowMs: number): NodeLifecycleEvent[] {
    const events: NodeLifecycleEvent[] = [];
    const ours = [TAINT_NODE_UNREACHABLE, TAINT_NODE_NOT_READY];
    for (const t of node.taints.filter((t) => t.effect === effect && ours.includes(t.key) && t.key !== key)) {
      events.push({ timeMs: nowMs, node: node.name, kind: 'TaintRemoved', message: `${t.key}:${effect}` });
    }
    node.taints = node.taints.filter((t) => !(t.effect === effect && ours.includes(t.key) && t.key !== key));
    if (key && !node.taints.some((t) => t.effect === effect && t.key === key)) {
      node.taints.push({ key, effect, ...(effect === 'NoExecute' ? { timeAddedMs: nowMs } : {}) });
      events.push({ timeMs: nowMs, node: node.name, kind: 'TaintAdded', message: `${key}:${effect}` });
    }
    return events;
  }
}
