/**
 * The one place that wires the layers together and advances time (STYLE:
 * src/world.ts). One scenario, end to end, every hop through the component
 * that owns it upstream:
 *
 *   kubectl apply Deployment + Service ─▶ kube-apiserver (etcd: a 3-member
 *   Raft cluster under a ReplicatedStore)
 *   ─▶ Deployment controller (informers → syncDeployment) creates a ReplicaSet
 *   ─▶ ReplicaSet controller (manageReplicas) creates Pods
 *   ─▶ kube-scheduler (Scheduler, fed by informers) picks nodes; the binding
 *      is POSTed to pods/binding
 *   ─▶ the kubelet on each node (node/kubelet) sees the Pod through its
 *      spec.nodeName watch and starts it through containerd's CRI (Layer 2),
 *      CNI assigning the Pod IP; probes make it Ready; status goes back
 *   ─▶ EndpointSlice controller lists the ready Pod IPs for the Service
 *   ─▶ kube-proxy turns Service + EndpointSlices into iptables rules
 *   ─▶ a packet to the ClusterIP is DNATed to a running Pod's IP.
 *
 * Time: one world step is one second (the kubelet's tick); Raft ticks happen
 * inside the ReplicatedStore while a write waits for its commit; controllers
 * get nowMs = step × 1000. Everything random comes from one seeded Prng.
 * kube-proxy is used only through its public functions
 * (parseServicesAndEndpoints → loadKubeProxyRules, i.e. iptables-restore
 * --noflush), and the client's SYN is executed by Layer 1's NetfilterHost.
 */
import type { Node, Pod } from './api/objects.ts';
import { parseYaml } from './api/yaml.ts';
import { Clock } from './core/clock.ts';
import { Prng } from './core/prng.ts';
import { sha256Hex } from './core/sha256.ts';
import { ApiServer } from './controlplane/apiserver/apiserver.ts';
import type { KObject } from './controlplane/apiserver/object.ts';
import { RaftCluster } from './controlplane/etcd/cluster.ts';
import { ReplicatedStore } from './controlplane/etcd/mvcc/replicated-store.ts';
import { Informer } from './controlplane/informers/informer.ts';
import { metaNamespaceKey } from './controlplane/informers/indexer.ts';
import { syncDeployment, type DeploymentStore, type NameSource } from './controlplane/controllers/deployment/controller.ts';
import { calculateReplicaSetStatus, manageReplicas } from './controlplane/controllers/replicaset.ts';
import type { SimDeployment, SimPod, SimReplicaSet } from './controlplane/controllers/types.ts';
import { emptyDeploymentStatus } from './controlplane/controllers/types.ts';
import { desiredEndpointSlice, type ServiceLike } from './controlplane/controllers/endpointslice/reconcile.ts';
import { Scheduler } from './controlplane/scheduler/scheduler.ts';
import { Containerd } from './runtime/cri/containerd.ts';
import { LinuxKernel } from './runtime/kernel-adapter.ts';
import { Kubelet } from './node/kubelet/kubelet.ts';
import { emptyBehaviour } from './node/kubelet/behaviour.ts';
import { parseServicesAndEndpoints } from './node/kube-proxy/model.ts';
import { buildNatTable, type NatTable } from './node/kube-proxy/iptables.ts';
import { loadKubeProxyRules, kubeProxyNetfilterHost } from './node/kube-proxy/netfilter.ts';
import type { Ruleset } from './kernel/netfilter/types.ts';
import { parseIpv4, formatIpv4 } from './kernel/net/ipv4.ts';

export const WORLD_MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports: [{ containerPort: 8080 }]
          resources:
            requests: { cpu: 100m, memory: 64Mi }
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
            periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: ClusterIP
  clusterIP: 10.96.0.10
  selector: { app: web }
  ports:
    - name: http
      port: 80
      targetPort: 8080
      protocol: TCP
`;

/** What Layer 1's netfilter did to the client's SYN. */
export interface WorldNatVerdict {
  dnatTo?: string;
  serviceChain?: string;
  endpointChain?: string;
  masquerade: boolean;
  outcome?: string;
  /** The trace steps' texts, as the packet tracer shows them. */
  trace: string[];
}

export interface WorldOptions {
  seed: number;
  nodes?: number;
  /** Seconds to run before sending the packet (default 60). */
  runS?: number;
}

export interface WorldRun {
  /** One line per hop, in time order: "[t=12s] kubelet/node-1: ...". */
  transcript: string[];
  raftLeader: number | null;
  pods: { name: string; node: string; podIP: string; ready: boolean; owner: string }[];
  endpointSlice: { addresses: string[]; ready: boolean[] };
  iptablesRules: number;
  packet: { srcIP: string; dstIP: string; dstPort: number; verdict: WorldNatVerdict };
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function simPodOf(p: Pod): SimPod {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const owner = p.metadata?.ownerReferences?.find((o) => o.controller)?.name ?? '';
  const restarts = ((p.status as { containerStatuses?: { restartCount?: number }[] } | undefined)?.containerStatuses ?? []).map((c) => c.restartCount ?? 0);
  return {
    name: p.metadata?.name ?? '', uid: p.metadata?.uid ?? '', owner, nodeName: p.spec?.nodeName ?? '',
    phase: p.status?.phase ?? 'Pending', ready, readySinceMs: ready ? 0 : null, creationMs: 0, restartCount: Math.max(0, ...restarts),
    deletionMs: p.metadata?.deletionTimestamp ? 0 : null,
  };
}

export function runWorld(options: WorldOptions): WorldRun {
  const prng = new Prng(options.seed);
  const clock = new Clock();
  const transcript: string[] = [];
  const log = (who: string, what: string) => transcript.push(`[t=${clock.nowTicks}s] ${who}: ${what}`);

  // --- etcd: three Raft members; the apiserver talks to member 1 through a ReplicatedStore.
  const raft = new RaftCluster({ members: 3, seed: prng.nextUint32() });
  for (let i = 0; i < 300 && raft.leader() === null; i++) raft.tick(1);
  log('etcd', `3-member Raft cluster elected member ${raft.leader()} as leader`);
  const store = new ReplicatedStore(raft, { servingMember: 1 });
  const api = new ApiServer({ store, seed: prng.nextUint32(), nowSeconds: () => clock.nowTicks });

  // --- nodes: a kubelet + containerd each, with its own /24 of the pod CIDR.
  const nodeCount = options.nodes ?? 2;
  const kubelets: Kubelet[] = [];
  for (let i = 1; i <= nodeCount; i++) {
    const name = `node-${i}`;
    const runtime = new Containerd(new LinuxKernel({ hostname: name, firstFreeHostPid: 1200 }), clock, prng.fork(), { platform: { os: 'linux', architecture: 'amd64' }, cgroupDriver: 'systemd', podSubnet: `10.244.${i}` });
    const k = new Kubelet({
      nodeName: name, api, runtime, clock, prng: prng.fork(), nodeIP: `192.168.0.${10 + i}`, podCIDR: `10.244.${i}.0/24`,
      resources: { capacity: { cpu: '2', memory: '4Gi', pods: 110 }, kubeReserved: { cpu: '100m', memory: '256Mi' }, systemReserved: { cpu: '100m', memory: '256Mi' } },
      behaviourFor: () => ({ ...emptyBehaviour(), startupS: new Map([['nginx', 3]]) }),
    });
    k.start();
    kubelets.push(k);
  }

  // --- kubectl apply
  const parsed = parseYaml(WORLD_MANIFESTS);
  if (!parsed.ok) throw new Error('world manifests do not parse');
  for (const doc of parsed.value.docs) {
    const res = api.handle({ verb: 'create', body: doc as KObject });
    const etcdNote = res.etcd ? ` → etcd ${res.etcd.key} at revision ${res.etcd.revision} (committed by Raft)` : '';
    log('kubectl', `create ${(doc as { kind: string }).kind} web → ${res.code}${etcdNote}`);
  }

  // --- kube-controller-manager and kube-scheduler informers (shared, cluster-wide)
  const inf = (resource: string) => { const i = new Informer(api, { resource }); i.run(clock.nowTicks); return i; };
  const deployments = inf('deployments');
  const replicasets = inf('replicasets');
  const pods = inf('pods');
  const nodes = inf('nodes');
  const services = inf('services');
  const slices = inf('endpointslices');

  const names: NameSource = {
    templateHash: (image) => {
      const hex = sha256Hex(image);
      let s = '';
      for (let i = 0; i < 10; i++) s += SAFE_ALPHABET[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % SAFE_ALPHABET.length];
      return s;
    },
    uid: () => `rs-uid-${prng.nextUint32().toString(16)}`,
  };
  const stores = new Map<string, DeploymentStore>();
  const scheduler = new Scheduler({ seed: prng.nextUint32(), clock });
  const seenBySched = new Set<string>();
  let bindingsSeen = 0;
  const sliceNames = new Map<string, string>();
  let natTable: NatTable | undefined;
  let ruleset: Ruleset | undefined;
  let lastSliceText = '';

  const deploymentController = () => {
    for (const obj of deployments.list()) {
      const d = obj as KObject & { spec: { replicas?: number; template: { metadata?: { labels?: Record<string, string> }; spec: { containers: { image: string }[] } }; selector: unknown; minReadySeconds?: number } };
      const key = metaNamespaceKey(obj);
      let st = stores.get(key);
      const record: SimDeployment = {
        name: obj.metadata?.name ?? '', generation: obj.metadata?.generation ?? 1, replicas: d.spec.replicas ?? 1,
        strategy: { type: 'RollingUpdate' }, template: { image: d.spec.template.spec.containers[0]!.image }, minReadySeconds: d.spec.minReadySeconds ?? 0,
        revisionHistoryLimit: 10, progressDeadlineSeconds: 600, paused: false, annotations: {}, status: st?.deployment.status ?? emptyDeploymentStatus(),
      };
      if (!st) { st = { deployment: record, replicaSets: [], pods: [] }; stores.set(key, st); } else st.deployment = record;
      st.pods = pods.list().map((p) => simPodOf(p as Pod)).filter((p) => st!.replicaSets.some((rs) => rs.name === p.owner));
      for (const rs of st.replicaSets) rs.status = calculateReplicaSetStatus(st.pods.filter((p) => p.owner === rs.name), 0, clock.nowTicks * 1000);
      const before = new Map(st.replicaSets.map((rs) => [rs.name, rs.replicas]));
      for (const e of syncDeployment(st, clock.nowTicks * 1000, names)) log('deployment-controller', `${e.reason}: ${e.message}`);
      for (const rs of st.replicaSets) {
        if (!before.has(rs.name)) {
          const body = {
            apiVersion: 'apps/v1', kind: 'ReplicaSet',
            metadata: { name: rs.name, namespace: obj.metadata?.namespace, labels: { ...(d.spec.template.metadata?.labels ?? {}), 'pod-template-hash': rs.templateHash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: obj.metadata?.name, uid: obj.metadata?.uid, controller: true }] },
            spec: { replicas: rs.replicas, selector: { matchLabels: { ...(d.spec.selector as { matchLabels?: Record<string, string> }).matchLabels, 'pod-template-hash': rs.templateHash } }, template: { ...d.spec.template, metadata: { labels: { ...(d.spec.template.metadata?.labels ?? {}), 'pod-template-hash': rs.templateHash } } } },
          };
          const res = api.handle({ verb: 'create', body: body as KObject });
          log('deployment-controller', `POST ReplicaSet ${rs.name} replicas=${rs.replicas} → ${res.code}`);
        } else if (before.get(rs.name) !== rs.replicas) {
          const res = api.handle({ verb: 'patch', resource: 'replicasets', namespace: obj.metadata?.namespace, name: rs.name, body: { spec: { replicas: rs.replicas } } as KObject });
          log('deployment-controller', `PATCH ReplicaSet ${rs.name} replicas=${rs.replicas} → ${res.code}`);
        }
      }
    }
  };

  const replicaSetController = () => {
    for (const obj of replicasets.list()) {
      const rsObj = obj as KObject & { spec: { replicas?: number; template: { metadata?: { labels?: Record<string, string> }; spec: object } } };
      const rs: SimReplicaSet = { name: obj.metadata?.name ?? '', uid: obj.metadata?.uid ?? '', creationMs: 0, replicas: rsObj.spec.replicas ?? 1, template: { image: '' }, templateHash: '', annotations: {}, status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 } };
      const all = pods.list().map((p) => simPodOf(p as Pod));
      const owned = all.filter((p) => p.owner === rs.name);
      const action = manageReplicas(rs, owned, all, clock.nowTicks * 1000);
      if (action.kind === 'create') {
        for (let i = 0; i < action.count; i++) {
          const body = {
            apiVersion: 'v1', kind: 'Pod',
            metadata: { generateName: `${rs.name}-`, namespace: obj.metadata?.namespace, labels: rsObj.spec.template.metadata?.labels ?? {}, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.name, uid: rs.uid, controller: true }] },
            spec: rsObj.spec.template.spec,
          };
          const res = api.handle({ verb: 'create', resource: 'pods', namespace: obj.metadata?.namespace, body: body as KObject });
          log('replicaset-controller', `POST Pod ${res.object?.metadata?.name ?? '?'} (owner ReplicaSet ${rs.name}) → ${res.code}`);
        }
      } else if (action.kind === 'delete') {
        for (const n of action.pods) api.handle({ verb: 'delete', resource: 'pods', namespace: obj.metadata?.namespace, name: n });
      }
    }
  };

  const schedulerLoop = () => {
    for (const n of nodes.list()) {
      const key = `node/${n.metadata?.name}`;
      if (!seenBySched.has(key)) { scheduler.upsertNode(n as Node); seenBySched.add(key); }
    }
    for (const p of pods.list()) {
      const key = metaNamespaceKey(p);
      if (seenBySched.has(key) || (p as Pod).spec?.nodeName) continue;
      seenBySched.add(key);
      scheduler.addPod(p as Pod);
    }
    scheduler.runUntilIdle();
    for (const b of scheduler.bindings.slice(bindingsSeen)) {
      const res = api.handle({ verb: 'create', resource: 'pods', subresource: 'binding', namespace: b.namespace, name: b.podName, body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: b.podName, namespace: b.namespace }, target: { kind: 'Node', name: b.nodeName } } as KObject });
      log('kube-scheduler', `bind ${b.namespace}/${b.podName} → ${b.nodeName}: POST pods/binding → ${res.code}`);
    }
    bindingsSeen = scheduler.bindings.length;
  };

  const endpointSliceController = () => {
    for (const svc of services.list()) {
      const key = metaNamespaceKey(svc);
      let name = sliceNames.get(key);
      if (!name) { name = `${svc.metadata?.name}-${Array.from({ length: 5 }, () => SAFE_ALPHABET[prng.intBetween(0, SAFE_ALPHABET.length)]).join('')}`; sliceNames.set(key, name); }
      const want = desiredEndpointSlice(svc as ServiceLike, pods.list() as Pod[], name);
      const have = slices.get(`${svc.metadata?.namespace}/${name}`) as (KObject & { endpoints?: unknown }) | undefined;
      if (have && JSON.stringify(have.endpoints ?? []) === JSON.stringify(want.endpoints)) continue;
      const res = api.handle({ verb: 'apply', resource: 'endpointslices', namespace: svc.metadata?.namespace, name, body: want as KObject });
      const eps = (want.endpoints as { addresses: string[]; conditions: { ready: boolean } }[]).map((e) => `${e.addresses[0]}${e.conditions.ready ? '' : ' (not ready)'}`);
      log('endpointslice-controller', `${have ? 'update' : 'create'} EndpointSlice ${name}: [${eps.join(', ')}] → ${res.code}`);
    }
  };

  const kubeProxy = () => {
    const text = [...services.list(), ...slices.list()].map((o) => JSON.stringify(o)).join('\n---\n');
    if (text === lastSliceText) return;
    lastSliceText = text;
    const ports = parseServicesAndEndpoints(text);
    if (!ports.ok) { log('kube-proxy', `cannot read Services/EndpointSlices: ${ports.errors[0]?.message}`); return; }
    natTable = buildNatTable(ports.value, { clusterCIDR: '10.244.0.0/16' });
    // iptables-restore --noflush into node-1's netfilter (Layer 1 executes the rules).
    const loaded = loadKubeProxyRules(ports.value, { clusterCIDR: '10.244.0.0/16' });
    if (!loaded.ok) { log('kube-proxy', `iptables-restore failed: ${loaded.errors[0]?.message}`); return; }
    ruleset = loaded.value.ruleset;
    const eps = ports.value.flatMap((sp) => sp.endpoints.map((e) => `${e.ip}:${e.port}`));
    log('kube-proxy', `iptables-restore: ${natTable.rules.length} nat rules; ${ports.value.map((sp) => `${sp.clusterIP}:${sp.port}`).join(', ')} → [${eps.join(', ')}]`);
  };

  // --- run
  const runS = options.runS ?? 60;
  const seenEvents = kubelets.map(() => 0);
  while (clock.nowTicks < runS) {
    for (const i of [deployments, replicasets, pods, nodes, services, slices]) i.sync(clock.nowTicks);
    deploymentController();
    replicasets.sync(clock.nowTicks);
    replicaSetController();
    pods.sync(clock.nowTicks);
    schedulerLoop();
    kubelets.forEach((k, i) => {
      k.tick();
      for (const e of k.events.slice(seenEvents[i])) {
        if (e.kind === 'probe' && e.ok) continue;
        if (e.kind === 'cri' && !['RunPodSandbox', 'StartContainer'].includes(e.tag ?? '')) continue;
        transcript.push(`[t=${e.t}s] kubelet/${k.nodeName}: ${e.pod ? `${e.pod} ` : ''}${e.text.length > 160 ? `${e.text.slice(0, 157)}…` : e.text}`);
      }
      seenEvents[i] = k.events.length;
    });
    pods.sync(clock.nowTicks);
    slices.sync(clock.nowTicks);
    endpointSliceController();
    slices.sync(clock.nowTicks);
    kubeProxy();
    clock.advance(1);
  }

  // --- a packet from a client on node-1 to the Service's ClusterIP
  const packet = { srcIP: '10.244.1.200', dstIP: '10.96.0.10', dstPort: 80, protocol: 'tcp' as const };
  // The SYN enters node-1 from the pod bridge and is executed by Layer 1's netfilter model.
  let verdict: WorldNatVerdict = { masquerade: false, trace: [] };
  if (ruleset) {
    const nf = kubeProxyNetfilterHost(ruleset, prng.intBetween(1, 0x7fffffff));
    nf.nowMs = clock.nowTicks * 1000;
    const t = nf.send({ proto: 'tcp', src: parseIpv4(packet.srcIP)!, sport: 40000, dst: parseIpv4(packet.dstIP)!, dport: packet.dstPort, inIface: 'cni0', mark: 0 }, { record: true });
    const trace = t.steps.map((st) => st.text);
    const jumps = t.steps.flatMap((st) => (st.kind === 'jump' ? [st.to] : []));
    const endpointChain = jumps.find((c) => c.startsWith('KUBE-SEP-'));
    const serviceChain = jumps.find((c) => c.startsWith('KUBE-SVC-'));
    const dnatTo = t.packetOut.dst !== parseIpv4(packet.dstIP) ? `${formatIpv4(t.packetOut.dst)}:${t.packetOut.dport}` : undefined;
    const masquerade = t.steps.some((st) => st.kind === 'nat' && st.manip === 'SNAT');
    verdict = { masquerade, trace, outcome: t.outcome, ...(dnatTo ? { dnatTo } : {}), ...(endpointChain ? { endpointChain } : {}), ...(serviceChain ? { serviceChain } : {}) };
  }
  log('kernel (netfilter nat)', `${packet.srcIP} → ${packet.dstIP}:${packet.dstPort} ${verdict.dnatTo ? `DNAT to ${verdict.dnatTo} via ${verdict.endpointChain}` : 'no DNAT'}`);

  const podList = (pods.list() as Pod[]).map((p) => ({
    name: p.metadata?.name ?? '', node: p.spec?.nodeName ?? '', podIP: p.status?.podIP ?? '', ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    owner: p.metadata?.ownerReferences?.[0]?.name ?? '',
  }));
  const slice = slices.list()[0] as (KObject & { endpoints?: { addresses: string[]; conditions: { ready: boolean } }[] }) | undefined;
  // Kubelets on different nodes interleave within a second (a pull on one node moves the shared clock); order by time, stably.
  const at = (l: string) => Number(/^\[t=(\d+)s\]/.exec(l)?.[1] ?? 0);
  transcript.sort((a, b) => at(a) - at(b));
  return {
    transcript, raftLeader: raft.leader(), pods: podList,
    endpointSlice: { addresses: (slice?.endpoints ?? []).map((e) => e.addresses[0]!), ready: (slice?.endpoints ?? []).map((e) => e.conditions.ready) },
    iptablesRules: natTable?.rules.length ?? 0,
    packet: { ...packet, verdict },
  };
}
