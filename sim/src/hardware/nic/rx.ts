/**
 * The receive path of a multi-queue NIC, packet by packet (Layer 0 "NIC").
 * 1 tick = 1 ns.
 *
 * Packet → RSS picks an RX queue (Toeplitz hash → indirection table) → the
 * NIC DMAs it into that queue's descriptor ring (dropped when the ring is
 * full: rx_missed / rx_fifo_errors) → interrupt coalescing decides when to
 * raise the queue's IRQ (after rx-frames packets or rx-usecs after the first
 * pending one, whichever comes first) → the IRQ's CPU runs NAPI: the handler
 * masks the queue's interrupt and schedules a poll; net_rx_action() polls up
 * to 64 packets at a time, GRO merges same-flow TCP segments, the stack
 * runs once per merged packet; when a poll finds fewer than 64 packets, NAPI
 * completes and re-enables the interrupt (Documentation/networking/napi.rst).
 */
import { invariant } from '../../core/invariant.ts';
import { GRO_MAX_SIZE, NAPI_POLL_WEIGHT, NETDEV_BUDGET, NETDEV_BUDGET_USECS, RX_COSTS_NS } from './costs.ts';

export interface RxConfig {
  cpus: number;
  queues: number;
  ringSize: number;
  rxUsecs: number;
  rxFrames: number;
  gro: boolean;
  rxChecksum: boolean;
  /** Queue → CPU (IRQ affinity). */
  queueCpu: number[];
}

export interface RxPacket {
  arrivalNs: number;
  queue: number;
  flow: number;
  bytes: number;
  /** TCP segments can be merged by GRO. */
  tcp: boolean;
  vxlan: boolean;
  /** The NIC verified the (inner) checksum. */
  checksumVerified: boolean;
}

export interface RxResult {
  interrupts: number;
  drops: number;
  delivered: number;
  polls: number;
  timeSqueezes: number;
  /** Packets handed to the stack after GRO. */
  stackPackets: number;
  latencyNs: Float64Array;
  perQueue: { packets: number; drops: number; interrupts: number }[];
  perCpu: { busyNs: number; interrupts: number; packets: number; timeSqueezes: number }[];
  endNs: number;
}

interface QueueState {
  ring: number[];
  head: number;
  irqEnabled: boolean;
  framesPending: number;
  timerAtNs: number;
  napiScheduled: boolean;
}

interface CpuState {
  pollList: number[];
  readyAtNs: number;
  polling: boolean;
  budgetLeft: number;
  softirqStartNs: number;
  /** Queue and packet count of the poll in progress. */
  lastQueue: number;
  lastCount: number;
}

/** Simulates `packets` (sorted by arrival) through the RX path. */
export function simulateRx(cfg: RxConfig, packets: readonly RxPacket[]): RxResult {
  const qs: QueueState[] = Array.from({ length: cfg.queues }, () => ({ ring: [], head: 0, irqEnabled: true, framesPending: 0, timerAtNs: Infinity, napiScheduled: false }));
  const cs: CpuState[] = Array.from({ length: cfg.cpus }, () => ({ pollList: [], readyAtNs: Infinity, polling: false, budgetLeft: NETDEV_BUDGET, softirqStartNs: 0, lastQueue: -1, lastCount: 0 }));
  const res: RxResult = {
    interrupts: 0, drops: 0, delivered: 0, polls: 0, timeSqueezes: 0, stackPackets: 0,
    latencyNs: new Float64Array(packets.length).fill(-1),
    perQueue: qs.map(() => ({ packets: 0, drops: 0, interrupts: 0 })),
    perCpu: cs.map(() => ({ busyNs: 0, interrupts: 0, packets: 0, timeSqueezes: 0 })),
    endNs: 0,
  };

  const ringLen = (q: QueueState) => q.ring.length - q.head;

  const fireIrq = (qi: number, t: number) => {
    const q = qs[qi]!;
    q.irqEnabled = false;
    q.framesPending = 0;
    q.timerAtNs = Infinity;
    res.interrupts++;
    res.perQueue[qi]!.interrupts++;
    const ci = cfg.queueCpu[qi]!;
    const c = cs[ci]!;
    res.perCpu[ci]!.interrupts++;
    res.perCpu[ci]!.busyNs += RX_COSTS_NS.irq;
    if (!q.napiScheduled) {
      q.napiScheduled = true;
      c.pollList.push(qi);
    }
    if (c.polling) {
      c.readyAtNs += RX_COSTS_NS.irq; // the hard IRQ interrupts the running softirq
    } else {
      c.polling = true;
      c.readyAtNs = t + RX_COSTS_NS.irq;
      c.budgetLeft = NETDEV_BUDGET;
      c.softirqStartNs = t;
      c.lastQueue = -1;
    }
  };

  /** Interrupt moderation after new frames or after NAPI re-enabled the IRQ. */
  const coalesce = (qi: number, t: number, newFrames: number) => {
    const q = qs[qi]!;
    if (!q.irqEnabled || ringLen(q) === 0) return;
    if (q.framesPending === 0) q.timerAtNs = t + cfg.rxUsecs * 1000;
    q.framesPending += newFrames;
    if (cfg.rxUsecs === 0 || (cfg.rxFrames > 0 && q.framesPending >= cfg.rxFrames)) fireIrq(qi, t);
  };

  /** One napi->poll() of the next queue on `ci`'s poll list at time t; returns its cost. */
  const poll = (ci: number, t: number): void => {
    const c = cs[ci]!;
    const qi = c.pollList.shift()!;
    const q = qs[qi]!;
    const n = Math.min(NAPI_POLL_WEIGHT, ringLen(q));
    let cost = 0;
    // GRO: per flow, merge consecutive TCP segments up to 64 KiB within this poll.
    const groBytes = new Map<number, number>();
    for (let k = 0; k < n; k++) {
      const pi = q.ring[q.head + k]!;
      const p = packets[pi]!;
      cost += RX_COSTS_NS.driverPerPacket;
      if (!p.checksumVerified) cost += p.bytes * RX_COSTS_NS.checksumPerByte;
      if (p.vxlan) cost += RX_COSTS_NS.vxlanDecap;
      if (cfg.gro && p.tcp) {
        cost += RX_COSTS_NS.groPerSegment;
        const held = groBytes.get(p.flow);
        if (held !== undefined && held + p.bytes <= GRO_MAX_SIZE) {
          groBytes.set(p.flow, held + p.bytes);
          continue;
        }
        groBytes.set(p.flow, p.bytes);
      }
      cost += RX_COSTS_NS.stackPerPacket;
      res.stackPackets++;
    }
    cost = Math.round(cost);
    const done = t + cost;
    for (let k = 0; k < n; k++) {
      const pi = q.ring[q.head + k]!;
      res.latencyNs[pi] = done - packets[pi]!.arrivalNs;
    }
    q.head += n;
    if (q.head > 4096 && q.head * 2 > q.ring.length) {
      q.ring = q.ring.slice(q.head);
      q.head = 0;
    }
    res.delivered += n;
    res.polls++;
    res.perCpu[ci]!.busyNs += cost;
    res.perCpu[ci]!.packets += n;
    c.budgetLeft -= n;
    c.lastQueue = qi;
    c.lastCount = n;
    c.readyAtNs = done;
  };

  /** At the end of a poll: complete NAPI or requeue, account the softirq budget, start the next poll. */
  const afterPoll = (ci: number, t: number) => {
    const c = cs[ci]!;
    if (c.lastQueue >= 0) {
      const qi = c.lastQueue;
      const q = qs[qi]!;
      if (c.lastCount < NAPI_POLL_WEIGHT) {
        // napi_complete_done(): leave polling mode and unmask the queue's IRQ.
        q.napiScheduled = false;
        q.irqEnabled = true;
        coalesce(qi, t, ringLen(q));
      } else c.pollList.push(qi);
      c.lastQueue = -1;
    }
    if (c.budgetLeft <= 0 || t - c.softirqStartNs >= NETDEV_BUDGET_USECS * 1000) {
      res.timeSqueezes++;
      res.perCpu[ci]!.timeSqueezes++;
      c.budgetLeft = NETDEV_BUDGET; // ksoftirqd picks up where the softirq stopped
      c.softirqStartNs = t;
    }
    if (c.pollList.length > 0) poll(ci, t);
    else {
      c.polling = false;
      c.readyAtNs = Infinity;
    }
  };

  let next = 0;
  for (;;) {
    const tArr = next < packets.length ? packets[next]!.arrivalNs : Infinity;
    let tTimer = Infinity;
    let qTimer = -1;
    for (let i = 0; i < qs.length; i++) if (qs[i]!.timerAtNs < tTimer) {
      tTimer = qs[i]!.timerAtNs;
      qTimer = i;
    }
    let tCpu = Infinity;
    let cNext = -1;
    for (let i = 0; i < cs.length; i++) if (cs[i]!.readyAtNs < tCpu) {
      tCpu = cs[i]!.readyAtNs;
      cNext = i;
    }
    const t = Math.min(tArr, tTimer, tCpu);
    if (t === Infinity) break;
    res.endNs = Math.max(res.endNs, t);
    if (tCpu === t) afterPoll(cNext, t);
    else if (tTimer === t) {
      const q = qs[qTimer]!;
      q.timerAtNs = Infinity;
      if (q.irqEnabled && ringLen(q) > 0) fireIrq(qTimer, t);
    } else {
      const pi = next++;
      const p = packets[pi]!;
      const q = qs[p.queue]!;
      invariant(p.queue >= 0 && p.queue < qs.length, `packet on missing queue ${p.queue}`);
      res.perQueue[p.queue]!.packets++;
      if (ringLen(q) >= cfg.ringSize) {
        res.drops++;
        res.perQueue[p.queue]!.drops++;
      } else {
        q.ring.push(pi);
        coalesce(p.queue, t, 1);
      }
    }
  }
  return res;
}
