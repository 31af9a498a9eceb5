/**
 * The runnable snippet behind Layer 0 "NIC": a packet burst meets ring
 * buffers, interrupt coalescing, RSS and NAPI; the reader toggles ethtool
 * settings and sees interrupts, per-CPU softirq load, drops and latency.
 *
 * Input (YAML):
 *   cpus: 4
 *   nic:
 *     queues: 4            RX queues (ethtool -L combined), 1..64
 *     ring: 512            descriptors per RX ring (ethtool -G rx), 64..8192
 *     rx-usecs: 50         coalescing delay (ethtool -C), 0..10000
 *     rx-frames: 32        coalescing frame count, 0 = off, ≤ 4096
 *     rss: true            false = everything lands on queue 0
 *     udp-hash: sd         rx-flow-hash udp4: sd (addresses) | sdfn (+ ports)
 *     gro: true            generic receive offload
 *     rx-checksum: true    NIC verifies checksums
 *     vxlan-offload: true  NIC parses VXLAN: inner checksum and inner RSS hash
 *     sriov-vfs: 0         SR-IOV virtual functions (sriov_numvfs), 0..64
 *   burst:
 *     packets: 10000       ≤ 200,000 (≈ 0.3 s in a browser)
 *     rate-mpps: 1.0       arrival rate, 0.001..100 Mpps
 *     size: 1500           bytes per frame, 64..9000
 *     flows: 16            distinct 4-tuples, 1..4096
 *     proto: tcp           tcp | udp | vxlan (TCP inside VXLAN)
 *     vf-flows: 0          flows addressed to SR-IOV VFs (bypass the host)
 *   tx:
 *     bytes: 1MiB          a send() to show TSO/GSO segment counts
 *     mtu: 1500
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { Prng } from '../../core/prng.ts';
import { parseYaml } from '../../api/yaml.ts';
import { FieldReader, isObject, notAMapping } from '../input.ts';
import { rssHash, MICROSOFT_RSS_KEY } from './toeplitz.ts';
import { simulateRx, type RxPacket } from './rx.ts';
import { RSS_INDIR_TABLE_SIZE, VXLAN_PORT, NAPI_POLL_WEIGHT, NETDEV_BUDGET } from './costs.ts';
import { segmentation, mssForMtu, type SegmentationView } from './offloads.ts';

export const NIC_LIMITS = { packetsMax: 200_000, cpusMax: 64, queuesMax: 64, flowsMax: 4096 } as const;

export const DEFAULT_NIC_BURST = `# 4 CPU のノードに 1 Mpps のバーストが 1 万パケット (10 ms 分) 届く
cpus: 4
nic:
  queues: 4
  ring: 512
  rx-usecs: 50      # 0 にすると 1 パケットごとに割り込み
  rx-frames: 32
  rss: true         # false にすると全部 CPU 0 に集まる
  udp-hash: sd
  gro: true
  rx-checksum: true
  vxlan-offload: true
  sriov-vfs: 0
burst:
  packets: 10000
  rate-mpps: 1.0
  size: 1500
  flows: 16
  proto: tcp
tx:
  bytes: 1MiB
  mtu: 1500
`;

export interface NicView {
  interrupts: number;
  /** Interrupts per 1000 packets delivered to the host. */
  interruptsPerKPacket: number;
  drops: number;
  delivered: number;
  toVfs: number;
  polls: number;
  avgPacketsPerPoll: number;
  timeSqueezes: number;
  /** Packets after GRO / frames received. */
  groRatio: number;
  latencyUs: { mean: number; p99: number; max: number };
  durationUs: number;
  perQueue: { queue: number; cpu: number; flows: number; packets: number; drops: number; interrupts: number }[];
  perCpu: { cpu: number; softirqLoad: number; interrupts: number; packets: number; timeSqueezes: number }[];
  /** The first RSS decisions, for the "how a flow finds its CPU" table. */
  flows: { flow: number; tuple: string; hash: string; indirIndex: number; queue: number; cpu: number | null; vf: number | null }[];
  vfs: { vf: number; flows: number; packets: number }[];
  tx: SegmentationView;
  constants: { napiWeight: number; netdevBudget: number; indirTableSize: number };
}

const NIC_FIELDS = ['queues', 'ring', 'rx-usecs', 'rx-frames', 'rss', 'udp-hash', 'gro', 'rx-checksum', 'vxlan-offload', 'sriov-vfs'] as const;
const BURST_FIELDS = ['packets', 'rate-mpps', 'size', 'flows', 'proto', 'vf-flows'] as const;

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/** Runs the snippet. Backs Layer 0 "NIC" (DMA rings, coalescing, RSS, offloads, SR-IOV). */
export function runNicBurst(text: string, options: { seed?: number } = {}): Result<NicView> {
  const y = parseYaml(text);
  if (!y.ok) return y;
  const doc = y.value.docs[0] ?? {};
  if (!isObject(doc)) return fail(notAMapping('the NIC snippet'));
  const r = new FieldReader(y.value);
  r.known(doc, '', ['cpus', 'nic', 'burst', 'tx']);
  const nic = isObject(doc.nic) ? doc.nic : {};
  const burst = isObject(doc.burst) ? doc.burst : {};
  const txIn = isObject(doc.tx) ? doc.tx : {};
  r.known(nic, 'nic', NIC_FIELDS);
  r.known(burst, 'burst', BURST_FIELDS);
  r.known(txIn, 'tx', ['bytes', 'mtu']);
  const cpus = r.int(doc, 'cpus', '', 1, NIC_LIMITS.cpusMax, 4);
  const queues = r.int(nic, 'queues', 'nic', 1, NIC_LIMITS.queuesMax, 4);
  const ringSize = r.int(nic, 'ring', 'nic', 64, 8192, 512);
  const rxUsecs = r.int(nic, 'rx-usecs', 'nic', 0, 10000, 50);
  const rxFrames = r.int(nic, 'rx-frames', 'nic', 0, 4096, 32);
  const rss = r.bool(nic, 'rss', 'nic', true);
  const udpHash = r.oneOf(nic, 'udp-hash', 'nic', ['sd', 'sdfn'] as const, 'sd');
  const gro = r.bool(nic, 'gro', 'nic', true);
  const rxChecksum = r.bool(nic, 'rx-checksum', 'nic', true);
  const vxlanOffload = r.bool(nic, 'vxlan-offload', 'nic', true);
  const vfCount = r.int(nic, 'sriov-vfs', 'nic', 0, 64, 0);
  const count = r.int(burst, 'packets', 'burst', 1, NIC_LIMITS.packetsMax, 10000);
  const rateRaw = burst['rate-mpps'];
  let rateMpps = 1;
  if (rateRaw !== undefined) {
    if (typeof rateRaw !== 'number' || !(rateRaw >= 0.001 && rateRaw <= 100)) r.error('burst.rate-mpps', `rate-mpps must be a number from 0.001 to 100, got ${JSON.stringify(rateRaw)}`, 'LIMIT_EXCEEDED');
    else rateMpps = rateRaw;
  }
  const size = r.int(burst, 'size', 'burst', 64, 9000, 1500);
  const flowCount = r.int(burst, 'flows', 'burst', 1, NIC_LIMITS.flowsMax, 16);
  const proto = r.oneOf(burst, 'proto', 'burst', ['tcp', 'udp', 'vxlan'] as const, 'tcp');
  const vfFlows = r.int(burst, 'vf-flows', 'burst', 0, NIC_LIMITS.flowsMax, 0);
  const txBytes = r.size(txIn, 'bytes', 'tx', 1, 1024 ** 3, 1024 * 1024);
  const mtu = r.int(txIn, 'mtu', 'tx', 576, 9000, 1500);
  if (vfFlows > 0 && vfCount === 0) r.error('burst.vf-flows', 'vf-flows needs nic.sriov-vfs ≥ 1');
  if (vfFlows > flowCount) r.error('burst.vf-flows', `vf-flows (${vfFlows}) exceeds flows (${flowCount})`);
  if (r.errors.length) return fail(r.errors);

  const prng = new Prng(options.seed ?? 1);
  const queueCpu = Array.from({ length: queues }, (_, q) => q % cpus);
  const indir = Array.from({ length: RSS_INDIR_TABLE_SIZE }, (_, i) => i % queues); // ethtool_rxfh_indir_default
  const dst = '10.0.0.10';
  const dstPort = proto === 'udp' ? 53 : 80;
  const flowInfo: NicView['flows'] = [];
  const flowQueue: number[] = [];
  const flowVf: (number | null)[] = [];
  for (let f = 0; f < flowCount; f++) {
    const src = `10.1.${prng.intBetween(0, 256)}.${prng.intBetween(1, 255)}`;
    const srcPort = prng.intBetween(32768, 61000); // net.ipv4.ip_local_port_range default
    const vf = f < vfFlows ? f % vfCount : null;
    let tuple: string;
    let hash: number;
    if (proto === 'vxlan') {
      // Outer UDP source port from the inner flow hash (RFC 7348 §5), between two nodes.
      const inner = rssHash({ src, dst, srcPort, dstPort }, true, MICROSOFT_RSS_KEY)!;
      const outerSrcPort = 49152 + (inner % 16384);
      if (vxlanOffload) {
        tuple = `inner ${src}:${srcPort} → ${dst}:${dstPort}`;
        hash = inner;
      } else {
        const withPorts = udpHash === 'sdfn';
        tuple = `outer 192.168.0.2${withPorts ? `:${outerSrcPort}` : ''} → 192.168.0.3${withPorts ? `:${VXLAN_PORT}` : ''}`;
        hash = rssHash({ src: '192.168.0.2', dst: '192.168.0.3', srcPort: outerSrcPort, dstPort: VXLAN_PORT }, withPorts)!;
      }
    } else {
      const withPorts = proto === 'tcp' || udpHash === 'sdfn';
      tuple = withPorts ? `${src}:${srcPort} → ${dst}:${dstPort}` : `${src} → ${dst}`;
      hash = rssHash({ src, dst, srcPort, dstPort }, withPorts)!;
    }
    const indirIndex = hash % RSS_INDIR_TABLE_SIZE;
    const queue = rss ? indir[indirIndex]! : 0;
    flowQueue.push(queue);
    flowVf.push(vf);
    if (flowInfo.length < 64) flowInfo.push({ flow: f, tuple, hash: hex(hash), indirIndex, queue, cpu: vf === null ? queueCpu[queue]! : null, vf });
  }

  const gapNs = 1000 / rateMpps;
  const packets: RxPacket[] = [];
  const vfPackets = new Array<number>(vfCount).fill(0);
  const tcp = proto !== 'udp';
  const checksumVerified = rxChecksum && (proto !== 'vxlan' || vxlanOffload);
  for (let i = 0; i < count; i++) {
    const flow = prng.intBetween(0, flowCount);
    const vf = flowVf[flow]!;
    if (vf !== null) {
      vfPackets[vf]!++;
      continue;
    }
    packets.push({ arrivalNs: Math.round(i * gapNs), queue: flowQueue[flow]!, flow, bytes: size, tcp, vxlan: proto === 'vxlan', checksumVerified });
  }
  const res = simulateRx({ cpus, queues, ringSize, rxUsecs, rxFrames, gro, rxChecksum, queueCpu }, packets);
  const lat = Array.from(res.latencyNs).filter((x) => x >= 0).sort((a, b) => a - b);
  const durationNs = Math.max(1, res.endNs, packets.length ? packets[packets.length - 1]!.arrivalNs : 0);
  const flowsPerQueue = new Array<number>(queues).fill(0);
  flowQueue.forEach((q, f) => {
    if (flowVf[f] === null) flowsPerQueue[q]!++;
  });
  const vfFlowCounts = new Array<number>(vfCount).fill(0);
  flowVf.forEach((v) => {
    if (v !== null) vfFlowCounts[v]!++;
  });
  return ok({
    interrupts: res.interrupts,
    interruptsPerKPacket: res.delivered ? (res.interrupts * 1000) / res.delivered : 0,
    drops: res.drops,
    delivered: res.delivered,
    toVfs: vfPackets.reduce((a, b) => a + b, 0),
    polls: res.polls,
    avgPacketsPerPoll: res.polls ? res.delivered / res.polls : 0,
    timeSqueezes: res.timeSqueezes,
    groRatio: res.delivered ? res.stackPackets / res.delivered : 1,
    latencyUs: {
      mean: lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length / 1000 : 0,
      p99: lat.length ? lat[Math.max(0, Math.ceil(lat.length * 0.99) - 1)]! / 1000 : 0,
      max: lat.length ? lat[lat.length - 1]! / 1000 : 0,
    },
    durationUs: durationNs / 1000,
    perQueue: res.perQueue.map((q, i) => ({ queue: i, cpu: queueCpu[i]!, flows: flowsPerQueue[i]!, ...q })),
    perCpu: res.perCpu.map((c, i) => ({ cpu: i, softirqLoad: Math.min(1, c.busyNs / durationNs), interrupts: c.interrupts, packets: c.packets, timeSqueezes: c.timeSqueezes })),
    flows: flowInfo,
    vfs: vfPackets.map((packets, vf) => ({ vf, flows: vfFlowCounts[vf]!, packets })),
    tx: segmentation(txBytes, mssForMtu(mtu)),
    constants: { napiWeight: NAPI_POLL_WEIGHT, netdevBudget: NETDEV_BUDGET, indirTableSize: RSS_INDIR_TABLE_SIZE },
  });
}
