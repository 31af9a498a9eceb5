/**
 * Widget runner: Services + EndpointSlices → the rules kube-proxy writes and
 * where 10,000 simulated connections land (chapter: Layer 3, kube-proxy).
 *
 * Input: multi-document YAML of `kind: Service` and `kind: EndpointSlice`
 * (see model.ts for the fields read). Options: `mode` iptables (default) |
 * ipvs | nftables; `connections` (default 10,000, limit 50,000); `clients`
 * distinct client pod IPs the connections come from (default 100); `target`
 * the servicePortName to connect to (default: the first one with endpoints);
 * `ipvsScheduler` rr (default) | lc | sh; `compare` also runs every other
 * mode on the same connections.
 *
 * iptables mode is not evaluated here: the generated rules are loaded with
 * `iptables-restore --noflush` into the Layer 1 netfilter model and every
 * connection's first packet (a SYN from a client pod on node-1, arriving on
 * cni0) is sent through `NetfilterHost` — PREROUTING, routing, FORWARD,
 * POSTROUTING, conntrack — and counted by its destination after DNAT.
 *
 * Connections arrive every 10 ms of virtual time and last 0.5–5 s (which only
 * matters for IPVS lc and for affinity timeouts). Each uses a fresh source
 * port (1024 + i), so every one is a NEW conntrack entry.
 */
import { Prng } from '../../core/prng.ts';
import { fail, ok, simError, type Result } from '../../core/result.ts';
import { formatIpv4, parseIpv4 } from '../../kernel/net/ipv4.ts';
import type { Packet } from '../../kernel/net/packet.ts';
import { formatIptablesSave } from '../../kernel/netfilter/save.ts';
import type { Outcome } from '../../kernel/netfilter/trace.ts';
import type { TraceStep } from '../../kernel/netfilter/traceTypes.ts';
import { buildVirtualServers, ipvsSchedule, renderIpvsadm, type IpvsScheduler } from './ipvs.ts';
import { parseServicesAndEndpoints, type ServicePortInfo } from './model.ts';
import { KUBE_PROXY_CLUSTER_CIDR, KUBE_PROXY_NODE_IP, kubeProxyNetfilterHost, loadKubeProxyRules } from './netfilter.ts';
import { renderNftables } from './nftables.ts';
import { computeProbability } from './probability.ts';

/** Each connection needs its own source port (1024–65535) to be a new conntrack entry. */
export const KUBE_PROXY_MAX_CONNECTIONS = 50_000;
const NODE_IPS = [KUBE_PROXY_NODE_IP];

export const DEFAULT_KUBE_PROXY_YAML = `apiVersion: v1
kind: Service
metadata:
  name: nginx
  namespace: default
spec:
  type: ClusterIP
  clusterIP: 10.96.0.10
  selector:
    app: nginx
  ports:
    - name: http
      port: 80
      targetPort: 8080
      protocol: TCP
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: nginx-abc12
  namespace: default
  labels:
    kubernetes.io/service-name: nginx
addressType: IPv4
ports:
  - name: http
    port: 8080
    protocol: TCP
endpoints:
  - addresses: ["10.244.1.5"]
    conditions: { ready: true }
    nodeName: node-1
  - addresses: ["10.244.2.7"]
    conditions: { ready: true }
    nodeName: node-2
  - addresses: ["10.244.3.9"]
    conditions: { ready: true }
    nodeName: node-3
`;

export type KubeProxyMode = 'iptables' | 'ipvs' | 'nftables';

export interface KubeProxyOptions {
  seed: number;
  mode?: KubeProxyMode;
  connections?: number;
  clients?: number;
  target?: string;
  ipvsScheduler?: IpvsScheduler;
  /** Also run the other data planes (iptables, IPVS rr/lc/sh, nftables) on the same input. */
  compare?: boolean;
}

export interface EndpointCount {
  endpoint: string;
  count: number;
  share: number;
  expectedShare: number;
}

export interface Distribution {
  target: string;
  connections: number;
  counts: EndpointCount[];
  /** Connections that reached no endpoint (no DNAT, dropped, or no endpoints). */
  unmatched: number;
  /** Pearson χ² against the uniform split (df = endpoints − 1); ≈ df when uniform. */
  chiSquare: number;
}

export interface KubeProxyView {
  mode: KubeProxyMode;
  servicePorts: {
    servicePortName: string;
    clusterIP: string;
    port: number;
    nodePort: number;
    sessionAffinity: 'None' | 'ClientIP';
    chain: string;
    endpoints: { endpoint: string; chain: string; probability: string | null }[];
  }[];
  /** The rules in the mode's own notation: iptables-save (printed by the netfilter model), ipvsadm -Ln, or nft add commands. */
  rules: string;
  /** The iptables-restore --noflush input kube-proxy wrote (probabilities as computeProbability gives them). */
  iptablesRestore: string;
  distribution: Distribution;
  /** iptables mode: the first connection's SYN as NetfilterHost traced it. */
  firstConnection?: { packetIn: string; packetOut: string; outcome: Outcome; steps: TraceStep[] };
  /** The `-A …` rules the first connection matched (iptables mode). */
  firstConnectionTrace: string[];
  /** With `compare`: the same connections under each data plane. */
  comparison?: { label: string; mode: KubeProxyMode; scheduler?: IpvsScheduler; distribution: Distribution; rules: string }[];
}

interface Workload {
  ports: ServicePortInfo[];
  target: ServicePortInfo;
  clients: string[];
  connections: number;
  seed: number;
}

function randomClient(prng: Prng): string {
  return `10.244.${prng.intBetween(0, 256)}.${prng.intBetween(1, 255)}`;
}

function summarize(w: Workload, counts: Map<string, number>): Distribution {
  const { target, connections } = w;
  const n = target.endpoints.length;
  const expected = n ? connections / n : 0;
  let reached = 0;
  const countList = target.endpoints.map((e) => {
    const count = counts.get(e.endpoint) ?? 0;
    reached += count;
    return { endpoint: e.endpoint, count, share: count / connections, expectedShare: n ? 1 / n : 0 };
  });
  const chiSquare = n ? countList.reduce((s, c) => s + (c.count - expected) ** 2 / expected, 0) : 0;
  return { target: `${target.clusterIP}:${target.port}`, connections, counts: countList, unmatched: connections - reached, chiSquare };
}

/** iptables mode: every connection executed by the netfilter model. */
function runIptables(w: Workload, ruleset: Parameters<typeof kubeProxyNetfilterHost>[0]): { distribution: Distribution; first?: KubeProxyView['firstConnection']; firstMatched: string[] } {
  const prng = new Prng(w.seed);
  const clientPrng = prng.fork();
  const nf = kubeProxyNetfilterHost(ruleset, w.seed);
  const clientIps = w.clients.map((c) => parseIpv4(c)!);
  // Keyed by ip·2¹⁶ + port (exact in a double) so the 10,000-packet loop builds no strings.
  const byDst = new Map<number, number>();
  const dst = parseIpv4(w.target.clusterIP)!;
  let first: KubeProxyView['firstConnection'];
  let firstMatched: string[] = [];
  for (let i = 0; i < w.connections; i++) {
    nf.nowMs = i * 10;
    const src = clientIps[clientPrng.intBetween(0, clientIps.length)]!;
    const syn: Packet = { proto: w.target.protocol, src, sport: 1024 + i, dst, dport: w.target.port, inIface: 'cni0', mark: 0 };
    const t = nf.send(syn, { record: i === 0 });
    if (i === 0) {
      first = { packetIn: t.packetIn, packetOut: `${formatIpv4(t.packetOut.dst)}:${t.packetOut.dport}`, outcome: t.outcome, steps: t.steps };
      firstMatched = t.steps.flatMap((s) => (s.kind === 'rule' && s.matched ? [s.rule] : []));
    }
    if (t.outcome === 'dropped' || t.outcome === 'rejected' || t.outcome === 'unroutable') continue;
    if (t.packetOut.dst === dst) continue; // not DNATed
    const key = t.packetOut.dst * 65536 + t.packetOut.dport;
    byDst.set(key, (byDst.get(key) ?? 0) + 1);
  }
  const counts = new Map<string, number>();
  for (const [key, n] of byDst) counts.set(`${formatIpv4(Math.floor(key / 65536))}:${key % 65536}`, n);
  return { distribution: summarize(w, counts), ...(first ? { first } : {}), firstMatched };
}

function runIpvs(w: Workload, scheduler: IpvsScheduler): { distribution: Distribution; rules: string } {
  const prng = new Prng(w.seed);
  const clientPrng = prng.fork();
  const counts = new Map<string, number>();
  const servers = buildVirtualServers(w.ports, scheduler, NODE_IPS);
  const vs = servers.find((s) => s.address === `${w.target.clusterIP}:${w.target.port}`)!;
  const ends: { atMs: number; rs: number }[] = [];
  const persistence = new Map<string, { rs: number; untilMs: number }>();
  for (let i = 0; i < w.connections; i++) {
    const now = i * 10;
    for (let k = ends.length - 1; k >= 0; k--) {
      if (ends[k]!.atMs > now) continue;
      const rs = vs.realServers[ends[k]!.rs]!;
      rs.activeConns--;
      rs.inactConns++;
      ends.splice(k, 1);
    }
    const src = w.clients[clientPrng.intBetween(0, w.clients.length)]!;
    const sticky = vs.persistentSeconds ? persistence.get(src) : undefined;
    const idx = sticky && sticky.untilMs >= now ? sticky.rs : ipvsSchedule(vs, src);
    if (idx < 0) continue;
    if (vs.persistentSeconds) persistence.set(src, { rs: idx, untilMs: now + vs.persistentSeconds * 1000 });
    vs.realServers[idx]!.activeConns++;
    ends.push({ atMs: now + prng.intBetween(500, 5001), rs: idx });
    const ep = vs.realServers[idx]!.address;
    counts.set(ep, (counts.get(ep) ?? 0) + 1);
  }
  return { distribution: summarize(w, counts), rules: renderIpvsadm(servers) };
}

function runNftables(w: Workload): { distribution: Distribution; rules: string } {
  const prng = new Prng(w.seed);
  const clientPrng = prng.fork();
  const counts = new Map<string, number>();
  const { target } = w;
  const affinity = new Map<string, { ep: number; untilMs: number }>();
  const n = target.endpoints.length;
  for (let i = 0; i < w.connections && n; i++) {
    const now = i * 10;
    const src = w.clients[clientPrng.intBetween(0, w.clients.length)]!;
    const sticky = target.sessionAffinity === 'ClientIP' ? affinity.get(src) : undefined;
    const idx = sticky && sticky.untilMs >= now ? sticky.ep : prng.intBetween(0, n); // numgen random mod n
    if (target.sessionAffinity === 'ClientIP') affinity.set(src, { ep: idx, untilMs: now + target.stickyMaxAgeSeconds * 1000 });
    const ep = target.endpoints[idx]!.endpoint;
    counts.set(ep, (counts.get(ep) ?? 0) + 1);
  }
  return { distribution: summarize(w, counts), rules: renderNftables(w.ports, KUBE_PROXY_CLUSTER_CIDR) };
}

export function runKubeProxy(serviceAndEndpointsYaml: string, options: KubeProxyOptions): Result<KubeProxyView> {
  const parsed = parseServicesAndEndpoints(serviceAndEndpointsYaml);
  if (!parsed.ok) return parsed;
  const ports = parsed.value;
  const mode = options.mode ?? 'iptables';
  const connections = options.connections ?? 10_000;
  if (!Number.isInteger(connections) || connections < 1 || connections > KUBE_PROXY_MAX_CONNECTIONS) {
    return fail(simError('LIMIT_EXCEEDED', `connections must be 1..${KUBE_PROXY_MAX_CONNECTIONS}`));
  }
  if (!ports.length) return fail(simError('FIELD_REQUIRED', 'no Service in the input', { line: 1, column: 1 }));
  const target: ServicePortInfo | undefined = options.target ? ports.find((p) => p.servicePortName === options.target) : ports.find((p) => p.endpoints.length) ?? ports[0];
  if (!target) return fail(simError('FIELD_INVALID', `no service port named ${options.target}`));

  const clientPrng = new Prng(options.seed).fork();
  const clients = Array.from({ length: Math.max(1, Math.min(options.clients ?? 100, 10_000)) }, () => randomClient(clientPrng));
  const w: Workload = { ports, target, clients, connections, seed: options.seed };
  const loaded = loadKubeProxyRules(ports, { clusterCIDR: KUBE_PROXY_CLUSTER_CIDR });
  // The generator only writes what the netfilter model accepts; a failure here is a bug.
  if (!loaded.ok) return fail(loaded.errors.map((e) => ({ ...e, message: `kube-proxy wrote rules the netfilter model rejected: ${e.message}` })));
  const iptablesSave = formatIptablesSave(loaded.value.ruleset);

  const runMode = (m: KubeProxyMode, scheduler: IpvsScheduler) => {
    if (m === 'iptables') {
      const r = runIptables(w, loaded.value.ruleset);
      return { distribution: r.distribution, rules: iptablesSave, first: r.first, firstMatched: r.firstMatched };
    }
    return { ...(m === 'ipvs' ? runIpvs(w, scheduler) : runNftables(w)), first: undefined, firstMatched: [] as string[] };
  };
  const main = runMode(mode, options.ipvsScheduler ?? 'rr');
  const view: KubeProxyView = {
    mode,
    servicePorts: ports.map((sp) => ({
      servicePortName: sp.servicePortName, clusterIP: sp.clusterIP, port: sp.port, nodePort: sp.nodePort, sessionAffinity: sp.sessionAffinity, chain: sp.chainName,
      endpoints: sp.endpoints.map((e, i) => ({ endpoint: e.endpoint, chain: e.chainName, probability: i < sp.endpoints.length - 1 ? computeProbability(sp.endpoints.length - i) : null })),
    })),
    rules: main.rules,
    iptablesRestore: loaded.value.restoreText,
    distribution: main.distribution,
    ...(main.first ? { firstConnection: main.first } : {}),
    firstConnectionTrace: main.firstMatched,
  };
  if (options.compare) {
    const planes: { label: string; mode: KubeProxyMode; scheduler?: IpvsScheduler }[] = [
      { label: 'iptables', mode: 'iptables' },
      { label: 'IPVS rr', mode: 'ipvs', scheduler: 'rr' },
      { label: 'IPVS lc', mode: 'ipvs', scheduler: 'lc' },
      { label: 'IPVS sh', mode: 'ipvs', scheduler: 'sh' },
      { label: 'nftables', mode: 'nftables' },
    ];
    view.comparison = planes.map((p) => {
      const same = p.mode === mode && (p.mode !== 'ipvs' || p.scheduler === (options.ipvsScheduler ?? 'rr'));
      const r = same ? main : runMode(p.mode, p.scheduler ?? 'rr');
      return { ...p, distribution: r.distribution, rules: r.rules };
    });
  }
  return ok(view);
}
