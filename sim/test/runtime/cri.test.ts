import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/core/clock.ts';
import { Prng } from '../../src/core/prng.ts';
import { LinuxKernel } from '../../src/runtime/kernel-adapter.ts';
import { Containerd } from '../../src/runtime/cri/containerd.ts';
import { cpuWeightFromSharesRunc } from '../../src/node/kubelet/cm/cpu.ts';
import type { ContainerConfig, PodSandboxConfig } from '../../src/runtime/cri/types.ts';

const UID = '0b7c3d4e-1111-4222-8333-944455566677';
const podSlice = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice`;

function sandboxConfig(pid: 'POD' | 'CONTAINER' = 'CONTAINER'): PodSandboxConfig {
  return {
    metadata: { name: 'web', uid: UID, namespace: 'default', attempt: 0 },
    hostname: 'web',
    logDirectory: `/var/log/pods/default_web_${UID}`,
    linux: { cgroupParent: podSlice, securityContext: { namespaceOptions: { network: 'POD', pid, ipc: 'POD' } } },
  };
}

function containerConfig(name: string, image: string, pid: 'POD' | 'CONTAINER' = 'CONTAINER'): ContainerConfig {
  return {
    metadata: { name, attempt: 0 }, image: { image }, command: [], args: [], workingDir: '', envs: [], logPath: `${name}/0.log`,
    linux: { resources: { cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 256, memoryLimitInBytes: 268435456, oomScoreAdj: 968 }, securityContext: { namespaceOptions: { pid } } },
  };
}

function runPod(pidMode: 'POD' | 'CONTAINER' = 'CONTAINER') {
  const kernel = new LinuxKernel();
  const cd = new Containerd(kernel, new Clock(), new Prng(7));
  const sb = cd.RunPodSandbox(sandboxConfig(pidMode));
  if (!sb.ok) throw new Error(JSON.stringify(sb.errors));
  const ids: string[] = [];
  for (const [name, image] of [['nginx', 'nginx:1.27'], ['redis', 'redis:7']] as const) {
    expect(cd.PullImage(image).ok).toBe(true);
    const c = cd.CreateContainer(sb.value, containerConfig(name, image, pidMode));
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    expect(cd.StartContainer(c.value).ok).toBe(true);
    ids.push(c.value);
  }
  return { kernel, cd, sandboxId: sb.value, ids };
}

describe('CRI: one pod through containerd, the shim and runc', () => {
  it('records the kubelet call order', () => {
    const { cd } = runPod();
    expect(cd.calls.map((c) => c.method)).toEqual(['RunPodSandbox', 'PullImage', 'CreateContainer', 'StartContainer', 'PullImage', 'CreateContainer', 'StartContainer']);
    expect(cd.calls.every((c) => c.ok)).toBe(true);
  });

  it('app containers share the pause container net/ipc/uts namespaces but get their own pid and mount namespaces', () => {
    const { kernel, cd, sandboxId, ids } = runPod();
    const pause = kernel.process(cd.sandbox(sandboxId)!.pid)!;
    const nginx = kernel.process(cd.container(ids[0]!)!.pid)!;
    const redis = kernel.process(cd.container(ids[1]!)!.pid)!;
    for (const c of [nginx, redis]) {
      expect(c.ns.net).toBe(pause.ns.net);
      expect(c.ns.ipc).toBe(pause.ns.ipc);
      expect(c.ns.uts).toBe(pause.ns.uts);
      expect(c.ns.pid).not.toBe(pause.ns.pid);
      expect(c.ns.mnt).not.toBe(pause.ns.mnt);
      expect(kernel.pidInNamespace(c.pid, c.ns.pid)).toBe(1);
    }
    expect(nginx.hostname).toBe('web');
    expect(nginx.argv).toEqual(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
    expect(redis.argv).toEqual(['docker-entrypoint.sh', 'redis-server']);
  });

  it('shareProcessNamespace: containers join the pause pid namespace, pause is pid 1', () => {
    const { kernel, cd, sandboxId, ids } = runPod('POD');
    const pause = kernel.process(cd.sandbox(sandboxId)!.pid)!;
    const nginx = kernel.process(cd.container(ids[0]!)!.pid)!;
    expect(nginx.ns.pid).toBe(pause.ns.pid);
    expect(kernel.pidInNamespace(pause.pid, pause.ns.pid)).toBe(1);
    expect(kernel.pidInNamespace(nginx.pid, pause.ns.pid)).toBeGreaterThan(1);
  });

  it('each container is in its own systemd scope under the pod slice, with its resource files written', () => {
    const { kernel, cd, ids } = runPod();
    const c = kernel.process(cd.container(ids[0]!)!.pid)!;
    expect(c.cgroup).toBe(`${podSlice}/cri-containerd-${ids[0]}.scope`);
    expect(kernel.cgroupRead(c.cgroup, 'cpu.max')).toBe('50000 100000');
    expect(kernel.cgroupRead(c.cgroup, 'memory.max')).toBe('268435456');
    expect(kernel.cgroupRead(c.cgroup, 'cpu.weight')).toBe(String(cpuWeightFromSharesRunc(256))); // runc's mapping, as the lead's kubelet model computes it
    expect(kernel.cgroupRead(c.cgroup, 'cpu.weight')).toBe('35');
  });

  it('container processes are children of the pod shim, which is a child of init, not containerd', () => {
    const { kernel, cd, sandboxId, ids } = runPod();
    const shim = cd.shims.get(sandboxId)!;
    expect(kernel.process(shim.pid)!.ppid).toBe(1);
    expect(kernel.process(shim.pid)!.childSubreaper).toBe(true);
    for (const id of ids) expect(kernel.process(cd.container(id)!.pid)!.ppid).toBe(shim.pid);
    expect(kernel.process(cd.sandbox(sandboxId)!.pid)!.ppid).toBe(shim.pid);
  });

  it('containerd restart: containers keep running; an exit during the outage is replayed from the shim', () => {
    const { kernel, cd, sandboxId, ids } = runPod();
    const nginxPid = cd.container(ids[0]!)!.pid;
    cd.stop();
    expect(cd.ListContainers().ok).toBe(false); // the socket is gone
    expect(kernel.process(nginxPid)!.state).toBe('running');
    cd.shims.get(sandboxId)!.processExited(ids[1]!, 1, 50);
    cd.start();
    const list = cd.ListContainers();
    if (!list.ok) throw new Error('list failed');
    const byName = Object.fromEntries(list.value.map((s) => [s.metadata.name, s]));
    expect(byName.nginx!.state).toBe('CONTAINER_RUNNING');
    expect(byName.nginx!.pid).toBe(nginxPid);
    expect(byName.redis!.state).toBe('CONTAINER_EXITED');
    expect(byName.redis!.exitCode).toBe(1);
  });

  it('stop and remove a pod: cgroups, snapshots and the shim go away', () => {
    const { kernel, cd, sandboxId, ids } = runPod();
    const scope = `${podSlice}/cri-containerd-${ids[0]}.scope`;
    expect(cd.RemovePodSandbox(sandboxId).ok).toBe(false); // must be stopped first
    expect(cd.StopContainer(ids[0]!, 30).ok).toBe(true);
    const st = cd.ContainerStatus(ids[0]!);
    expect(st.ok && st.value.state).toBe('CONTAINER_EXITED');
    expect(cd.RemoveContainer(ids[0]!).ok).toBe(true);
    expect(kernel.cgroupPaths()).not.toContain(scope);
    expect(cd.StopPodSandbox(sandboxId).ok).toBe(true);
    expect(cd.RemovePodSandbox(sandboxId).ok).toBe(true);
    const shimPid = [...cd.shims.values()].length;
    expect(shimPid).toBe(0);
    expect(cd.snapshotter.walk().every((s) => s.kind === 'committed')).toBe(true);
  });
});
