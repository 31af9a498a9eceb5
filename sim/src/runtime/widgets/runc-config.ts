/**
 * Widget runner: edit a container's `config.json` and watch runc execute it —
 * every step in order (bootstrap, clone/unshare/setns, cgroup, mounts,
 * pivot_root, hostname, rlimits, capabilities, exec fifo, execve) and the
 * resulting process from the host and from inside. Backs Layer 2 "OCI runtime
 * spec and what runc does".
 *
 * The node is already running pod `web`: its pause container (host pid
 * `RUNC_WIDGET_PAUSE_PID`) holds the pod's network, ipc and uts namespaces, and
 * the nginx:1.27 image is unpacked and mounted at the bundle's `rootfs`. The
 * container id is `RUNC_WIDGET_CONTAINER_ID`; `root.path` "rootfs" resolves
 * against the bundle `/run/containerd/io.containerd.runtime.v2.task/k8s.io/<id>`.
 * runc runs with the systemd cgroup driver (as containerd's `SystemdCgroup = true`)
 * unless `options.cgroupDriver` says `cgroupfs`.
 */
import { fail, ok, type Result, type SimError } from '../../core/result.ts';
import { Clock } from '../../core/clock.ts';
import { Prng } from '../../core/prng.ts';
import { LinuxKernel } from '../kernel-adapter.ts';
import { snapshot } from '../../kernel/namespaces/view.ts';
import { Containerd } from '../cri/containerd.ts';
import { parseLocatedJson } from '../oci/json-located.ts';
import { validateSpec } from '../oci/validate.ts';
import { NS_KIND_OF } from '../oci/spec.ts';
import type { CgroupDriver } from '../runc/cgroups-path.ts';
import type { RuncStep } from '../runc/steps.ts';
import type { NsKind } from '../kernel-port.ts';
import { cgroupParentFor, planPod } from './pod-to-cri.ts';
import { processView, type ProcessView } from './process-view.ts';

export const RUNC_WIDGET_POD_UID = 'b5d3a1f0-7c2e-4d9a-8e1f-2a3b4c5d6e7f';
export const RUNC_WIDGET_CONTAINER_ID = '7d1c4a9e5b3f2a8c6e0d4b1a9f7c3e5d2b8a6c4e0f1d3b5a7c9e2f4a6b8d0c1e';
/** Host pid the widget's pause container always gets (the node's pid counter starts at 1200). */
export const RUNC_WIDGET_PAUSE_PID = 1206;

const P = RUNC_WIDGET_PAUSE_PID;
const CAPS = '"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"';

export const DEFAULT_RUNC_CONFIG = `{
  "ociVersion": "1.2.1",
  "process": {
    "user": { "uid": 0, "gid": 0 },
    "args": ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION=1.27.3"],
    "cwd": "/",
    "capabilities": {
      "bounding": [${CAPS}],
      "effective": [${CAPS}],
      "permitted": [${CAPS}]
    },
    "rlimits": [{ "type": "RLIMIT_NOFILE", "soft": 1048576, "hard": 1048576 }],
    "noNewPrivileges": false,
    "oomScoreAdj": 984
  },
  "root": { "path": "rootfs" },
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"] },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"] },
    { "destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"] },
    { "destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"] }
  ],
  "linux": {
    "namespaces": [
      { "type": "pid" },
      { "type": "ipc", "path": "/proc/${P}/ns/ipc" },
      { "type": "uts", "path": "/proc/${P}/ns/uts" },
      { "type": "mount" },
      { "type": "network", "path": "/proc/${P}/ns/net" },
      { "type": "cgroup" }
    ],
    "cgroupsPath": "kubepods-burstable-pod${RUNC_WIDGET_POD_UID.replaceAll('-', '_')}.slice:cri-containerd:${RUNC_WIDGET_CONTAINER_ID}",
    "resources": {
      "memory": { "limit": 268435456 },
      "cpu": { "shares": 256, "quota": 50000, "period": 100000 }
    }
  }
}
`;

export interface RuncConfigView {
  steps: RuncStep[];
  warnings: SimError[];
  bundle: string;
  rootfsMount: string;
  cgroup: { path: string; files: { file: string; value: string }[] };
  process: ProcessView;
  pause: { pid: number; namespaces: Record<NsKind, string> };
  /** The same processes as Layer 1's kernel model lists them (namespace inodes per /proc/<pid>/ns file, cgroup path). */
  layer1: Layer1Row[];
}

export interface Layer1Row {
  role: 'shim' | 'pause' | 'container';
  hostPid: number;
  comm: string;
  /** getpid() inside the process's own pid namespace. */
  getpid: number;
  ns: Record<NsKind, number>;
  cgroup: string;
}

const POD = `apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  containers:
    - name: nginx
      image: nginx:1.27
      resources: { requests: { cpu: 250m, memory: 128Mi }, limits: { cpu: 500m, memory: 256Mi } }
`;

export function runRuncConfig(configJson: string, options: { seed: number; cgroupDriver?: CgroupDriver }): Result<RuncConfigView> {
  const doc = parseLocatedJson(configJson);
  if (!doc.ok) return doc;
  const driver = options.cgroupDriver ?? 'systemd';
  const kernel = new LinuxKernel({ hostname: 'node-1', firstFreeHostPid: 1200 });
  const cd = new Containerd(kernel, new Clock(), new Prng(options.seed), { platform: { os: 'linux', architecture: 'amd64' }, cgroupDriver: driver });
  const plan = planPod(POD, RUNC_WIDGET_POD_UID);
  if (!plan.ok) return plan;
  if (driver === 'cgroupfs') plan.value.sandbox.linux.cgroupParent = cgroupParentFor('Burstable', RUNC_WIDGET_POD_UID).replace(/kubepods-burstable-pod/, 'pod').replace(/\.slice/g, '').replace('kubepods-burstable', 'burstable');
  const sb = cd.RunPodSandbox(plan.value.sandbox);
  if (!sb.ok) return fail(sb.errors);
  const pause = kernel.process(cd.sandbox(sb.value)!.pid)!;
  const img = cd.images.pull('nginx:1.27', new Prng(options.seed + 1));
  if (!img.ok) return img;
  const id = RUNC_WIDGET_CONTAINER_ID;
  const shim = cd.shims.get(sb.value)!;
  const bundle = shim.bundleOf(id);
  const mounts = cd.snapshotter.prepare(id, img.value.topChainId);
  if (!mounts.ok) return mounts;
  const m = mounts.value[0]!;
  kernel.mount(shim.pid, { target: `${bundle}/rootfs`, fstype: m.type, source: m.source, options: m.options });
  const validated = validateSpec(doc.value, { bundle, cgroupDriver: driver, rootExists: (p) => kernel.mounts(shim.pid).some((mm) => mm.target === p) });
  if (validated.errors.length) return fail(validated.errors);
  const created = cd.runc.create(shim.pid, id, bundle, validated, doc.value.errorAt);
  if (!created.ok) return fail(created.errors);
  const started = cd.runc.start(shim.pid, id);
  if (!started.ok) return fail(started.errors);
  const c = created.value;
  const newKinds = new Set<NsKind>((validated.spec.linux?.namespaces ?? []).filter((n) => !n.path).map((n) => NS_KIND_OF[n.type]));
  const files = ['cgroup.procs', 'cpu.weight', 'cpu.max', 'memory.max', 'memory.low', 'memory.swap.max', 'pids.max']
    .map((file) => ({ file, value: kernel.cgroupRead(c.cgroupPath, file) }))
    .filter((f): f is { file: string; value: string } => f.value !== undefined && f.value !== '');
  const snap = snapshot(kernel.linux, c.initPid);
  const layer1 = ([['shim', shim.pid], ['pause', pause.pid], ['container', c.initPid]] as const).flatMap(([role, pid]) => {
    const row = snap.processes.find((r) => r.hostPid === pid);
    return row ? [{ role, hostPid: pid, comm: row.comm, getpid: row.getpid, ns: row.ns, cgroup: kernel.linux.task(pid)!.cgroupPath }] : [];
  });
  return ok({
    layer1,
    steps: c.steps,
    warnings: validated.warnings,
    bundle,
    rootfsMount: `mount -t ${m.type} ${m.source} -o ${m.options.join(',')} ${bundle}/rootfs`,
    cgroup: { path: `/sys/fs/cgroup${c.cgroupPath}`, files },
    process: processView(kernel, c.initPid, kernel.runningPids(), newKinds)!,
    pause: { pid: pause.pid, namespaces: pause.ns },
  });
}
