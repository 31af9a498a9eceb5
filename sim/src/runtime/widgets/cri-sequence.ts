/**
 * Widget runner: the CRI calls the kubelet makes to start one Pod, in order —
 * RunPodSandbox, then per container PullImage, CreateContainer, StartContainer —
 * each with what happened below it (images, snapshots, CNI, shim, runc,
 * kernel). Backs Layer 2 "containerd / CRI-O architecture" and "Pod sandbox
 * and the pause container". Input: a Pod manifest (YAML).
 * The kubelet's order follows kubernetes v1.34 pkg/kubelet/kuberuntime/
 * kuberuntime_manager.go SyncPod (createPodSandbox, then startContainer:
 * EnsureImageExists → CreateContainer → StartContainer per container).
 *
 * After the start the run goes on, as the kubelet does for the same pod:
 *  - `status`: the PLEG relist / GetPodStatus — ListContainers filtered by
 *    the sandbox, then ContainerStatus per container;
 *  - `teardown`: the pod is deleted — killPodWithSyncResult stops every
 *    container (StopContainer with the grace period:
 *    spec.terminationGracePeriodSeconds, at least minimumGracePeriodInSeconds
 *    = 2, kuberuntime_container.go killContainer), then StopPodSandbox; the
 *    container and sandbox garbage collector later calls RemoveContainer and
 *    RemovePodSandbox (kuberuntime_gc.go).
 * The `containers` and `processes` views are taken right after the start.
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { Clock } from '../../core/clock.ts';
import { Prng } from '../../core/prng.ts';
import { LinuxKernel } from '../kernel-adapter.ts';
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

export type CriPhase = 'start' | 'status' | 'teardown';

/** kuberuntime_container.go: "always give containers a minimal shutdown window to avoid unnecessary SIGKILLs". */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

export interface CriSequenceView {
  pod: { name: string; namespace: string; uid: string; qos: QosClass; cgroupParent: string; podIP: string };
  /** The CRI calls in order; a widget steps through them. */
  calls: CriCall[];
  /** The phase of each call, index for index with `calls`. */
  phases: CriPhase[];
  /** The timeout the kubelet passes to StopContainer, in seconds. */
  stopTimeoutSeconds: number;
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
  const kernel = new LinuxKernel({ hostname: 'node-1', firstFreeHostPid: 1200 });
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
  const startCalls = cd.calls.length;
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
  const processes = live.map((pid) => kernel.process(pid)!).map((p) => ({ pid: p.pid, ppid: p.ppid, comm: p.comm, cgroup: p.cgroup }));

  // status: what the kubelet's PLEG relist asks.
  cd.ListContainers({ podSandboxId: sb.value });
  for (const id of ids) cd.ContainerStatus(id);
  const statusCalls = cd.calls.length;
  // teardown: the pod is deleted.
  const stopTimeoutSeconds = Math.max(MINIMUM_GRACE_PERIOD_SECONDS, plan.value.terminationGracePeriodSeconds);
  for (const id of ids) cd.StopContainer(id, stopTimeoutSeconds);
  cd.StopPodSandbox(sb.value);
  for (const id of ids) cd.RemoveContainer(id);
  cd.RemovePodSandbox(sb.value);
  const phases: CriPhase[] = cd.calls.map((_, i) => (i < startCalls ? 'start' : i < statusCalls ? 'status' : 'teardown'));

  return ok({
    pod: { name: plan.value.name, namespace: plan.value.namespace, uid, qos: plan.value.qos, cgroupParent: plan.value.sandbox.linux.cgroupParent, podIP: sandbox.ip },
    calls: cd.calls,
    phases,
    stopTimeoutSeconds,
    containers: views,
    processes,
  });
}
