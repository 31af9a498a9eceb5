/**
 * Widget runner: the CRI calls the kubelet makes to start one Pod, in order —
 * RunPodSandbox, then per container PullImage, CreateContainer, StartContainer —
 * each with what happened below it (images, snapshots, CNI, shim, runc,
 * kernel). Backs Layer 2 "containerd / CRI-O architecture" and "Pod sandbox
 * and the pause container". Input: a Pod manifest (YAML).
 * The kubelet's order follows kubernetes v1.34 pkg/kubelet/kuberuntime/
 * kuberuntime_manager.go SyncPod (createPodSandbox, then startContainer:
 * EnsureImageExists → CreateContainer → StartContainer per container).
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { Clock } from '../../core/clock.ts';
import { Prng } from '../../core/prng.ts';
import { MemoryKernel } from '../memory-kernel.ts';
import { Containerd } from '../cri/containerd.ts';
import type { CriCall } from '../cri/types.ts';
import type { NsKind } from '../kernel-port.ts';
import { planPod, type QosClass } from './pod-to-cri.ts';
import { processView, type ProcessView } from './process-view.ts';

export const DEFAULT_CRI_SEQUENCE = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
spec:
  containers:
    - name: nginx
      image: nginx:1.27
      resources:
        requests: { cpu: 250m, memory: 128Mi }
        limits: { cpu: 500m, memory: 256Mi }
    - name: redis
      image: redis:7
      resources:
        requests: { cpu: 100m, memory: 64Mi }
`;

export interface CriContainerView {
  name: string;
  role: 'sandbox' | 'container';
  id: string;
  image: string;
  snapshotId: number;
  rootfsMount: string;
  process: ProcessView;
}

export interface CriSequenceView {
  pod: { name: string; namespace: string; uid: string; qos: QosClass; cgroupParent: string; podIP: string };
  /** The CRI calls in order; a widget steps through them. */
  calls: CriCall[];
  /** Final state: the pause container first, then the app containers. */
  containers: CriContainerView[];
  /** Every process on the node after the pod started: the process tree as `ps -ef --forest` would list it. */
  processes: { pid: number; ppid: number; comm: string; cgroup: string }[];
}

export function runCriSequence(podYaml: string, options: { seed: number }): Result<CriSequenceView> {
  const prng = new Prng(options.seed);
  const hex = () => prng.nextUint32().toString(16).padStart(8, '0');
  const a = hex();
  const b = hex();
  const uid = `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${hex().slice(1, 4)}-${hex()}${hex().slice(0, 4)}`;
  const plan = planPod(podYaml, uid);
  if (!plan.ok) return plan;
  const kernel = new MemoryKernel('node-1', 1200);
  const cd = new Containerd(kernel, new Clock(), prng.fork());
  const sb = cd.RunPodSandbox(plan.value.sandbox);
  if (!sb.ok) return fail(sb.errors);
  const ids: string[] = [];
  for (const c of plan.value.containers) {
    const pulled = cd.PullImage(c.image.image);
    if (!pulled.ok) continue;
    const created = cd.CreateContainer(sb.value, c);
    if (!created.ok) continue;
    if (cd.StartContainer(created.value).ok) ids.push(created.value);
  }
  const live = kernel.runningPids();
  const sandbox = cd.sandbox(sb.value)!;
  const views: CriContainerView[] = [];
  const snapshotOf = (id: string) => {
    const s = cd.snapshotter.stat(id)!;
    const m = cd.snapshotter.mountsOf(s)[0]!;
    return { snapshotId: s.id, rootfsMount: `${m.type} ${m.options.join(',')}` };
  };
  const sandboxNew = new Set<NsKind>(['pid', 'ipc', 'uts', 'mnt', 'net']);
  views.push({ name: 'pause', role: 'sandbox', id: sb.value, image: 'registry.k8s.io/pause:3.10.1', ...snapshotOf(sb.value), process: processView(kernel, sandbox.pid, live, sandboxNew)! });
  for (const id of ids) {
    const c = cd.container(id)!;
    const newKinds = new Set<NsKind>(c.spec.linux!.namespaces!.filter((n) => !n.path).map((n) => ({ pid: 'pid', mount: 'mnt', cgroup: 'cgroup', network: 'net', ipc: 'ipc', uts: 'uts', user: 'user', time: 'time' } as const)[n.type]));
    views.push({ name: c.config.metadata.name, role: 'container', id, image: c.image.name, ...snapshotOf(id), process: processView(kernel, c.pid, live, newKinds)! });
  }
  return ok({
    pod: { name: plan.value.name, namespace: plan.value.namespace, uid, qos: plan.value.qos, cgroupParent: plan.value.sandbox.linux.cgroupParent, podIP: sandbox.ip },
    calls: cd.calls,
    containers: views,
    processes: live.map((pid) => kernel.process(pid)!).map((p) => ({ pid: p.pid, ppid: p.ppid, comm: p.comm, cgroup: p.cgroup })),
  });
}
