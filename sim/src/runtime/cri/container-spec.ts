/**
 * The OCI runtime specs containerd's CRI plugin generates: one for the pod's
 * sandbox (pause) container, one per application container.
 *
 * Sandbox: new pid/ipc/uts/mount namespaces, the network namespace given by
 * path (the CNI netns), hostname, read-only rootfs, cpu shares 2,
 * oom_score_adj -998, `/pause` as user 65535.
 * Container: joins the sandbox's net, ipc and uts namespaces through
 * `/proc/<pause pid>/ns/…`; a new pid namespace unless the pod shares its
 * process namespace (then `/proc/<pause pid>/ns/pid`); new mount and (cgroup v2)
 * cgroup namespaces; cgroupsPath `<pod slice>:cri-containerd:<id>` under the
 * systemd driver, `<cgroup parent>/<id>` under cgroupfs.
 * Upstream: containerd v2.1 internal/cri/server/podsandbox/sandbox_run_linux.go
 * (sandboxContainerSpec), internal/cri/server/container_create_linux.go
 * (containerSpec, cgroupns on unified hierarchy), internal/cri/opts/spec_linux.go
 * (WithPodNamespaces, GetNetworkNamespace = /proc/%v/ns/net),
 * internal/cri/server/helpers_linux.go (getCgroupsPath), pkg/oci/spec.go and
 * mounts.go (default mounts, masked and read-only paths, default capabilities),
 * internal/cri/config (DefaultSandboxImage registry.k8s.io/pause:3.10.1 in 2.1+).
 */
import type { RuntimeSpec, SpecMount, SpecNamespace } from '../oci/spec.ts';
import { CONTAINERD_DEFAULT_CAPS } from '../oci/capabilities.ts';
import type { ImageConfig } from '../images/media-types.ts';
import type { ContainerConfig, PodSandboxConfig } from './types.ts';

export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10.1';
export const DEFAULT_SANDBOX_CPU_SHARES = 2;
export const DEFAULT_SANDBOX_OOM_ADJ = -998;
export const SANDBOX_ROOT = '/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes';
export const SANDBOX_STATE_ROOT = '/run/containerd/io.containerd.grpc.v1.cri/sandboxes';

/** getCgroupsPath: a `.slice` parent selects the systemd form `slice:cri-containerd:id`. */
export function getCgroupsPath(cgroupParent: string, id: string): string {
  const base = cgroupParent.split('/').filter(Boolean).pop() ?? '';
  if (base.endsWith('.slice')) return `${base}:cri-containerd:${id}`;
  return `${cgroupParent.replace(/\/$/, '')}/${id}`;
}

const MASKED = ['/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/sys/devices/virtual/powercap', '/proc/scsi'];
const READONLY = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

function defaultMounts(): SpecMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ];
}

const caps = () => ({ bounding: [...CONTAINERD_DEFAULT_CAPS], effective: [...CONTAINERD_DEFAULT_CAPS], permitted: [...CONTAINERD_DEFAULT_CAPS] });

export function sandboxSpec(id: string, config: PodSandboxConfig, image: ImageConfig, netnsPath: string): RuntimeSpec {
  const ns = config.linux.securityContext.namespaceOptions;
  const namespaces: SpecNamespace[] = [];
  if (ns.pid !== 'NODE') namespaces.push({ type: 'pid' });
  if (ns.ipc !== 'NODE') namespaces.push({ type: 'ipc' });
  if (ns.network !== 'NODE') namespaces.push({ type: 'uts' });
  namespaces.push({ type: 'mount' });
  if (ns.network !== 'NODE') namespaces.push({ type: 'network', path: netnsPath });
  const [uid, gid] = (image.config.User ?? '0:0').split(':').map(Number);
  return {
    ociVersion: '1.2.1',
    process: {
      user: { uid: uid ?? 0, gid: gid ?? 0, additionalGids: [gid ?? 0] },
      args: [...(image.config.Entrypoint ?? []), ...(image.config.Cmd ?? [])],
      env: image.config.Env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      cwd: '/',
      capabilities: caps(),
      noNewPrivileges: true,
      oomScoreAdj: DEFAULT_SANDBOX_OOM_ADJ,
    },
    root: { path: 'rootfs', readonly: true },
    // Without a private UTS namespace (hostNetwork) there is no hostname to set: runc refuses one.
    ...(ns.network !== 'NODE' ? { hostname: config.hostname } : {}),
    mounts: [
      ...defaultMounts(),
      { destination: '/dev/shm', type: 'bind', source: `${SANDBOX_STATE_ROOT}/${id}/shm`, options: ['rbind', 'ro', 'nosuid', 'nodev', 'noexec'] },
      { destination: '/etc/resolv.conf', type: 'bind', source: `${SANDBOX_ROOT}/${id}/resolv.conf`, options: ['rbind', 'ro', 'nosuid', 'nodev', 'noexec'] },
    ],
    linux: {
      namespaces,
      cgroupsPath: getCgroupsPath(config.linux.cgroupParent, id),
      resources: { cpu: { shares: DEFAULT_SANDBOX_CPU_SHARES } },
      maskedPaths: MASKED,
      readonlyPaths: READONLY,
    },
    annotations: {
      'io.kubernetes.cri.container-type': 'sandbox',
      'io.kubernetes.cri.sandbox-id': id,
      'io.kubernetes.cri.sandbox-name': config.metadata.name,
      'io.kubernetes.cri.sandbox-namespace': config.metadata.namespace,
      'io.kubernetes.cri.sandbox-uid': config.metadata.uid,
      'io.kubernetes.cri.image-name': SANDBOX_IMAGE,
    },
  };
}

/** The process args: CRI command replaces the image Entrypoint, CRI args replace Cmd (kuberuntime + containerd WithProcessArgs). */
export function processArgs(config: ContainerConfig, image: ImageConfig): string[] {
  if (config.command.length) return [...config.command, ...config.args];
  return [...(image.config.Entrypoint ?? []), ...(config.args.length ? config.args : image.config.Cmd ?? [])];
}

export function containerSpec(id: string, config: ContainerConfig, image: ImageConfig, sandboxId: string, sandboxConfig: PodSandboxConfig, sandboxPid: number): RuntimeSpec {
  const nsOpts = config.linux.securityContext.namespaceOptions;
  const namespaces: SpecNamespace[] = [
    { type: 'pid', ...(nsOpts.pid === 'POD' ? { path: `/proc/${sandboxPid}/ns/pid` } : {}) },
    { type: 'ipc', path: `/proc/${sandboxPid}/ns/ipc` },
    { type: 'uts', path: `/proc/${sandboxPid}/ns/uts` },
    { type: 'mount' },
    { type: 'network', path: `/proc/${sandboxPid}/ns/net` },
    { type: 'cgroup' },
  ];
  if (nsOpts.pid === 'NODE') namespaces.shift();
  const r = config.linux.resources;
  const env = [...(image.config.Env ?? []), ...config.envs.map((e) => `${e.key}=${e.value}`)];
  const [imgUid, imgGid] = (image.config.User ?? '0:0').split(':').map((x) => Number(x) || 0);
  const uid = config.linux.securityContext.runAsUser ?? imgUid ?? 0;
  return {
    ociVersion: '1.2.1',
    process: {
      user: { uid, gid: imgGid ?? 0, additionalGids: [imgGid ?? 0] },
      args: processArgs(config, image),
      env,
      cwd: config.workingDir || image.config.WorkingDir || '/',
      capabilities: caps(),
      noNewPrivileges: config.linux.securityContext.noNewPrivs ?? false,
      oomScoreAdj: r.oomScoreAdj,
    },
    root: { path: 'rootfs' },
    mounts: [
      ...defaultMounts(),
      { destination: '/etc/hosts', type: 'bind', source: `${SANDBOX_ROOT}/${sandboxId}/hosts`, options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/dev/termination-log', type: 'bind', source: `/var/lib/kubelet/pods/${sandboxConfig.metadata.uid}/containers/${config.metadata.name}/${id.slice(0, 8)}`, options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/etc/hostname', type: 'bind', source: `${SANDBOX_ROOT}/${sandboxId}/hostname`, options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/etc/resolv.conf', type: 'bind', source: `${SANDBOX_ROOT}/${sandboxId}/resolv.conf`, options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/dev/shm', type: 'bind', source: `${SANDBOX_STATE_ROOT}/${sandboxId}/shm`, options: ['rbind', 'rprivate', 'rw'] },
    ],
    linux: {
      namespaces,
      cgroupsPath: getCgroupsPath(sandboxConfig.linux.cgroupParent, id),
      resources: {
        cpu: { shares: r.cpuShares, ...(r.cpuQuota > 0 ? { quota: r.cpuQuota, period: r.cpuPeriod } : {}) },
        ...(r.memoryLimitInBytes > 0 ? { memory: { limit: r.memoryLimitInBytes } } : {}),
      },
      maskedPaths: MASKED,
      readonlyPaths: READONLY,
    },
    annotations: {
      'io.kubernetes.cri.container-type': 'container',
      'io.kubernetes.cri.container-name': config.metadata.name,
      'io.kubernetes.cri.sandbox-id': sandboxId,
      'io.kubernetes.cri.image-name': config.image.image,
    },
  };
}
