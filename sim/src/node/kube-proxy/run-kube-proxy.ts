/**
 * Widget runner: Services + EndpointSlices → the rules kube-proxy writes and
 * where 10,000 simulated connections land.
 *
 * Input: multi-document YAML of `kind: Service` and `kind: EndpointSlice`
 * (see model.ts for the fields read). Options: `mode` iptables (default) |
 * ipvs | nftables; `connections` (default 10,000, limit 100,000); `clients`
 * distinct client pod IPs the connections come from (default 100); `target`
 * the servicePortName to connect to (default: the first one); `ipvsScheduler`
 * rr (default) | lc | sh.
 *
 * Connections arrive every 10 ms of virtual time and last 0.5–5 s (which only
 * matters for IPVS lc and for affinity timeouts).
 */
import { Prng } from '../../core/prng.ts';
import { fail, ok, simError, type Result } from '../../core/result.ts';
import { evaluateNat, type NatState } from './evaluate.ts';
import { buildNatTable, renderIptablesRestore, renderIptablesSave } from './iptables.ts';
import { buildVirtualServers, ipvsSchedule, renderIpvsadm, type IpvsScheduler } from './ipvs.ts';
import { parseServicesAndEndpoints, type ServicePortInfo } from './model.ts';
import { renderNftables } from './nftables.ts';
import { computeProbability } from './probability.ts';

export const KUBE_PROXY_MAX_CONNECTIONS = 100_000;
const CLUSTER_CIDR = '10.244.0.0/16';
const NODE_IPS = ['192.168.0.10'];

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
  /** The rules in the mode's own notation: iptables-save, ipvsadm -Ln, or nft add commands. */
  rules: string;
  /** iptables mode: the iptables-restore input kube-proxy wrote (probabilities as computeProbability gives them). */
  iptablesRestore?: string;
  distribution: {
    target: string;
    connections: number;
    counts: { endpoint: string; count: number; share: number; expectedShare: number }[];
    /** Pearson χ² against the uniform split (df = endpoints − 1); ≈ df when uniform. */
    chiSquare: number;
  };
  /** The rules the first connection matched (iptables mode). */
  firstConnectionTrace: string[];
}

function randomClient(prng: Prng): string {
  return `10.244.${prng.intBetween(0, 256)}.${prng.intBetween(1, 255)}`;
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

  const prng = new Prng(options.seed);
  const clientPrng = prng.fork();
  const clients = Array.from({ length: Math.max(1, Math.min(options.clients ?? 100, 10_000)) }, () => randomClient(clientPrng));
  const counts = new Map(target.endpoints.map((e) => [e.endpoint, 0]));
  const table = buildNatTable(ports, { clusterCIDR: CLUSTER_CIDR });
  let firstTrace: string[] = [];
  let rules: string;

  if (mode === 'iptables') {
    rules = renderIptablesSave(table);
    const state: NatState = { recent: new Map(), nowMs: 0 };
    for (let i = 0; i < connections; i++) {
      state.nowMs = i * 10;
      const src = clients[prng.intBetween(0, clients.length)]!;
      const v = evaluateNat(table, { srcIP: src, dstIP: target.clusterIP, dstPort: target.port, protocol: target.protocol }, 'PREROUTING', prng, state, new Set(NODE_IPS), i === 0);
      if (i === 0) firstTrace = v.trace;
      if (v.dnatTo) counts.set(v.dnatTo, (counts.get(v.dnatTo) ?? 0) + 1);
    }
  } else if (mode === 'ipvs') {
    const servers = buildVirtualServers(ports, options.ipvsScheduler ?? 'rr', NODE_IPS);
    const vs = servers.find((s) => s.address === `${target.clusterIP}:${target.port}`)!;
    const ends: { atMs: number; rs: number }[] = [];
    const persistence = new Map<string, { rs: number; untilMs: number }>();
    for (let i = 0; i < connections; i++) {
      const now = i * 10;
      for (let k = ends.length - 1; k >= 0; k--) if (ends[k]!.atMs <= now) { const rs = vs.realServers[ends[k]!.rs]!; rs.activeConns--; rs.inactConns++; ends.splice(k, 1); }
      const src = clients[prng.intBetween(0, clients.length)]!;
      let idx: number;
      const sticky = vs.persistentSeconds ? persistence.get(src) : undefined;
      if (sticky && sticky.untilMs >= now) idx = sticky.rs;
      else idx = ipvsSchedule(vs, src);
      if (idx < 0) continue;
      if (vs.persistentSeconds) persistence.set(src, { rs: idx, untilMs: now + vs.persistentSeconds * 1000 });
      vs.realServers[idx]!.activeConns++;
      ends.push({ atMs: now + prng.intBetween(500, 5001), rs: idx });
      const ep = vs.realServers[idx]!.address;
      counts.set(ep, (counts.get(ep) ?? 0) + 1);
    }
    rules = renderIpvsadm(servers);
  } else {
    rules = renderNftables(ports, CLUSTER_CIDR);
    const affinity = new Map<string, { ep: number; untilMs: number }>();
    for (let i = 0; i < connections; i++) {
      const now = i * 10;
      const n = target.endpoints.length;
      if (!n) break;
      const src = clients[prng.intBetween(0, clients.length)]!;
      const sticky = target.sessionAffinity === 'ClientIP' ? affinity.get(src) : undefined;
      const idx = sticky && sticky.untilMs >= now ? sticky.ep : prng.intBetween(0, n); // numgen random mod n
      if (target.sessionAffinity === 'ClientIP') affinity.set(src, { ep: idx, untilMs: now + target.stickyMaxAgeSeconds * 1000 });
      const ep = target.endpoints[idx]!.endpoint;
      counts.set(ep, (counts.get(ep) ?? 0) + 1);
    }
  }

  const n = target.endpoints.length;
  const expected = n ? connections / n : 0;
  const countList = target.endpoints.map((e) => {
    const count = counts.get(e.endpoint) ?? 0;
    return { endpoint: e.endpoint, count, share: count / connections, expectedShare: n ? 1 / n : 0 };
  });
  const chiSquare = n ? countList.reduce((s, c) => s + (c.count - expected) ** 2 / expected, 0) : 0;
  return ok({
    mode,
    servicePorts: ports.map((sp) => ({
      servicePortName: sp.servicePortName, clusterIP: sp.clusterIP, port: sp.port, nodePort: sp.nodePort, sessionAffinity: sp.sessionAffinity, chain: sp.chainName,
      endpoints: sp.endpoints.map((e, i) => ({ endpoint: e.endpoint, chain: e.chainName, probability: i < sp.endpoints.length - 1 ? computeProbability(sp.endpoints.length - i) : null })),
    })),
    rules,
    ...(mode === 'iptables' ? { iptablesRestore: renderIptablesRestore(table) } : {}),
    distribution: { target: `${target.clusterIP}:${target.port}`, connections, counts: countList, chiSquare },
    firstConnectionTrace: firstTrace,
  });
}
