/**
 * Layer 2 over Layer 1: a Pod goes through the CRI calls the kubelet makes
 * (RunPodSandbox, PullImage, CreateContainer, StartContainer) on containerd →
 * shim → runc, and the result is read back from Layer 1's own views — the
 * namespace snapshot (sim/src/kernel/namespaces/view.ts) and the cgroup v2
 * tree (sim/src/kernel/cgroups/hierarchy.ts) — not from the runtime.
 * Expected cgroup values come from the kubelet's conversions
 * (sim/src/node/kubelet/cm/cpu.ts: milliCPUToShares, milliCPUToQuota,
 * pkg/kubelet/cm/helpers_linux.go v1.34) and runc's shares → weight mapping
 * (cpuWeightFromSharesRunc, opencontainers/cgroups utils.go v0.0.4); memory.max
 * is the limit rounded down to whole 4 KiB pages, as the kernel stores it
 * (mm/memcontrol.c memory_max_write: page_counter_memparse).
 * Paths: kubepodsPath (kubelet systemd driver) + cri-containerd-<id>.scope.
 */
import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/core/clock.ts';
import { Prng } from '../../src/core/prng.ts';
import { LinuxKernel } from '../../src/runtime/kernel-adapter.ts';
import { Containerd } from '../../src/runtime/cri/containerd.ts';
import { planPod, type QosClass } from '../../src/runtime/widgets/pod-to-cri.ts';
import { cpuWeightFromSharesRunc, milliCPUToQuota, milliCPUToShares, QUOTA_PERIOD_US } from '../../src/node/kubelet/cm/cpu.ts';
import { kubepodsPath } from '../../src/kernel/cgroups/hierarchy.ts';
import { snapshot } from '../../src/kernel/namespaces/view.ts';
import { INIT_INUM } from '../../src/kernel/namespaces/types.ts';

const UID = '5d0e2c7a-3b1f-4e6a-9c8d-0a1b2c3d4e5f';
const PAGE = 4096;

interface Res { cpuReq?: number; cpuLim?: number; memReq?: number; memLim?: number }

function podYaml(res: [Res, Res], share: boolean): string {
  const r = (x: Res) => {
    const req = [x.cpuReq ? `cpu: ${x.cpuReq}m` : '', x.memReq ? `memory: ${x.memReq}` : ''].filter(Boolean).join(', ');
    const lim = [x.cpuLim ? `cpu: ${x.cpuLim}m` : '', x.memLim ? `memory: ${x.memLim}` : ''].filter(Boolean).join(', ');
    return `{ ${[req ? `requests: { ${req} }` : '', lim ? `limits: { ${lim} }` : ''].filter(Boolean).join(', ')} }`;
  };
  return `apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  shareProcessNamespace: ${share}
  containers:
    - name: nginx
      image: nginx:1.27
      resources: ${r(res[0])}
    - name: redis
      image: redis:7
      resources: ${r(res[1])}
`;
}

function runPod(res: [Res, Res], share: boolean, seed = 7) {
  const plan = planPod(podYaml(res, share), UID);
  if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
  const kernel = new LinuxKernel({ hostname: 'node-1', firstFreeHostPid: 1200 });
  const cd = new Containerd(kernel, new Clock(), new Prng(seed));
  const sb = cd.RunPodSandbox(plan.value.sandbox);
  if (!sb.ok) throw new Error(JSON.stringify(sb.errors));
  const ids: string[] = [];
  for (const c of plan.value.containers) {
    expect(cd.PullImage(c.image.image).ok).toBe(true);
    const created = cd.CreateContainer(sb.value, c);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(cd.StartContainer(created.value).ok).toBe(true);
    ids.push(created.value);
  }
  return { kernel, cd, qos: plan.value.qos, sandboxId: sb.value, ids };
}

/** What the kubelet asks for and runc writes, per container. */
function expected(r: Res) {
  const cpuReq = r.cpuReq ?? r.cpuLim ?? 0;
  const memLim = r.memLim ?? 0;
  return {
    'cpu.weight': String(cpuWeightFromSharesRunc(milliCPUToShares(cpuReq))),
    'cpu.max': r.cpuLim ? `${milliCPUToQuota(r.cpuLim, QUOTA_PERIOD_US)} ${QUOTA_PERIOD_US}` : `max ${QUOTA_PERIOD_US}`,
    'memory.max': memLim ? String(Math.floor(memLim / PAGE) * PAGE) : 'max',
  };
}

const CASES: { name: string; qos: QosClass; res: [Res, Res] }[] = [
  { name: 'Burstable', qos: 'Burstable', res: [{ cpuReq: 250, cpuLim: 500, memReq: 64 * 2 ** 20, memLim: 256 * 2 ** 20 }, { cpuReq: 100, memReq: 32 * 2 ** 20 }] },
  { name: 'Guaranteed', qos: 'Guaranteed', res: [{ cpuLim: 1000, memLim: 512 * 2 ** 20 }, { cpuLim: 300, memLim: 100000001 }] },
  { name: 'BestEffort', qos: 'BestEffort', res: [{}, {}] },
];

describe('Layer 2 drives Layer 1: a two-container pod seen through Layer 1 views', () => {
  for (const share of [false, true]) {
    for (const c of CASES) {
      it(`${c.name}, shareProcessNamespace: ${share}`, () => {
        const { kernel, cd, qos, sandboxId, ids } = runPod(c.res, share);
        expect(qos).toBe(c.qos);
        const k = kernel.linux;
        const sandbox = cd.sandbox(sandboxId)!;
        const pause = k.task(sandbox.pid)!;
        const containers = ids.map((id) => k.task(cd.container(id)!.pid)!);
        const snap = snapshot(k, pause.hostPid);
        const row = (pid: number) => snap.processes.find((p) => p.hostPid === pid)!;
        const pauseRow = row(pause.hostPid);

        // The pod's network namespace is the one CNI pinned at /var/run/netns/cni-…, and pause sits in it.
        const podNet = snap.nets.find((n) => n.pinnedAt.includes(sandbox.netnsPath))!;
        expect(podNet.inum).toBe(pauseRow.ns.net);
        expect(podNet.holders).toEqual(expect.arrayContaining([pause.hostPid, ...containers.map((t) => t.hostPid)]));
        expect(pauseRow.ns.net).not.toBe(INIT_INUM.net);
        // CNI ADD (bridge) wired it in Layer 1: eth0 with the pod IP, its veth peer a port of cni0 on the host.
        const eth0 = podNet.devices.find((d) => d.name === 'eth0')!;
        expect(eth0.addresses).toEqual([`${sandbox.ip}/24`]);
        expect(eth0.peer!.netnsInum).toBe(INIT_INUM.net);
        const hostNet = snap.nets.find((n) => n.inum === INIT_INUM.net)!;
        expect(hostNet.devices.find((d) => d.name === eth0.peer!.name)!.master).toBe('cni0');
        expect(pauseRow.ns.ipc).not.toBe(INIT_INUM.ipc);

        for (const [i, t] of containers.entries()) {
          const r = row(t.hostPid);
          expect(r.comm).toBe('docker-entrypoi'); // execve: comm is the basename cut to 15 bytes (TASK_COMM_LEN)
          expect(r.ns.net).toBe(pauseRow.ns.net);
          expect(r.ns.ipc).toBe(pauseRow.ns.ipc);
          expect(r.ns.uts).toBe(pauseRow.ns.uts);
          expect(r.hostname).toBe('web');
          expect(r.ns.mnt).not.toBe(pauseRow.ns.mnt);
          expect(r.ns.mnt).not.toBe(INIT_INUM.mnt);
          // Parent: the shim (a child subreaper) after runc create exited.
          expect(k.task(r.hostPpid)!.childSubreaper).toBe(true);
          if (share) {
            expect(r.ns.pid).toBe(pauseRow.ns.pid);
            expect(r.getpid).toBeGreaterThan(1);
          } else {
            expect(r.ns.pid).not.toBe(pauseRow.ns.pid);
            expect(r.getpid).toBe(1);
            const view = snap.pidViews.find((v) => v.inum === r.ns.pid)!;
            expect(view.initHostPid).toBe(t.hostPid);
            expect(view.processes.map((p) => p.hostPid)).toEqual([t.hostPid]);
          }

          // cgroup: Layer 1's tree has the process in the container's scope with the kubelet's numbers.
          const path = kubepodsPath(c.qos, UID, ids[i]);
          expect(t.cgroupPath).toBe(path);
          const cg = kernel.cgroups.lookup(path)!;
          expect([...cg.procs]).toEqual([t.hostPid]);
          expect(kernel.cgroups.cgroupOf(t.hostPid)).toBe(cg);
          for (const [file, value] of Object.entries(expected(c.res[i]!))) {
            const read = kernel.cgroups.read(path, file);
            expect(read.ok && read.value.trim(), `${path}/${file}`).toBe(value);
          }
          // runc dropped the capability sets to containerd's defaults.
          expect(t.security.caps.bounding).not.toContain('CAP_SYS_ADMIN');
          expect(t.security.caps.effective).toEqual(t.security.caps.permitted);
          expect(t.hasCaps).toBe(false);
        }
        if (share) {
          const view = snap.pidViews.find((v) => v.inum === pauseRow.ns.pid)!;
          expect(view.initHostPid).toBe(pause.hostPid);
          expect(view.processes.map((p) => p.hostPid).sort()).toEqual([pause.hostPid, ...containers.map((t) => t.hostPid)].sort());
          expect(pauseRow.getpid).toBe(1);
        }
        // The pod slice itself holds no process (no internal processes): only its scopes do.
        const pod = kernel.cgroups.lookup(kubepodsPath(c.qos, UID))!;
        expect(pod.procs.size).toBe(0);
        expect(pod.children.size).toBe(3);
      });
    }
  }

  it('stopping a container kills its pid namespace and empties its scope; RemoveContainer removes the scope', () => {
    const { kernel, cd, ids } = runPod(CASES[0]!.res, false);
    const pid = cd.container(ids[0]!)!.pid;
    const path = kubepodsPath('Burstable', UID, ids[0]);
    expect(cd.StopContainer(ids[0]!, 0).ok).toBe(true);
    expect(kernel.linux.task(pid)).toBeUndefined();
    expect(kernel.cgroups.lookup(path)!.procs.size).toBe(0);
    const rootfs = `${cd.shims.values().next().value!.bundleOf(ids[0]!)}/rootfs`;
    expect(kernel.linux.task(1)!.ns.mnt.mounts.some((m) => m.target === rootfs)).toBe(true);
    expect(cd.RemoveContainer(ids[0]!).ok).toBe(true);
    expect(kernel.cgroups.lookup(path)).toBeUndefined();
    // Task.Delete unmounted the rootfs from the host's mount namespace.
    expect(kernel.linux.task(1)!.ns.mnt.mounts.some((m) => m.target === rootfs)).toBe(false);
  });

  it('StopPodSandbox: CNI DEL removes the veth pair and the pinned namespace; RemovePodSandbox leaves no pod cgroup process', () => {
    const { kernel, cd, sandboxId } = runPod(CASES[0]!.res, false);
    const netnsPath = cd.sandbox(sandboxId)!.netnsPath;
    expect(kernel.linux.pinned.has(netnsPath)).toBe(true);
    expect(cd.StopPodSandbox(sandboxId).ok).toBe(true);
    expect(kernel.linux.pinned.has(netnsPath)).toBe(false);
    const host = kernel.linux.task(1)!.ns.net;
    expect(host.devices.filter((d) => d.type === 'veth')).toEqual([]);
    expect(cd.StopPodSandbox(sandboxId).ok).toBe(true); // idempotent
    expect(cd.RemovePodSandbox(sandboxId).ok).toBe(true);
    const pod = kernel.cgroups.lookup(kubepodsPath('Burstable', UID));
    expect(pod ? pod.walk().reduce((n, c) => n + c.procs.size, 0) : 0).toBe(0);
  });

  it('property: over random pods, every container is pid 1 of its own namespace in its own scope (200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const p = new Prng(seed);
      const pick = (): Res => {
        const r: Res = {};
        if (p.intBetween(0, 2)) r.cpuReq = p.intBetween(1, 4000);
        if (p.intBetween(0, 2)) r.cpuLim = Math.max(r.cpuReq ?? 1, p.intBetween(1, 4000));
        if (p.intBetween(0, 2)) r.memReq = p.intBetween(1, 2 ** 30);
        if (p.intBetween(0, 2)) r.memLim = Math.max(r.memReq ?? 4096, p.intBetween(4096, 2 ** 31));
        return r;
      };
      const res: [Res, Res] = [pick(), pick()];
      const share = p.intBetween(0, 2) === 1;
      try {
        const { kernel, cd, qos, ids } = runPod(res, share, seed);
        const k = kernel.linux;
        for (const [i, id] of ids.entries()) {
          const t = k.task(cd.container(id)!.pid)!;
          if (!share) expect(k.getpid(t)).toBe(1);
          const path = kubepodsPath(qos, UID, id);
          expect(kernel.cgroups.cgroupOf(t.hostPid)?.path).toBe(path);
          for (const [file, value] of Object.entries(expected(res[i]!))) {
            const read = kernel.cgroups.read(path, file);
            expect(read.ok && read.value.trim(), `${path}/${file}`).toBe(value);
          }
        }
      } catch (e) {
        throw new Error(`seed ${seed} (${JSON.stringify(res)}, share ${share}): ${(e as Error).message}`);
      }
    }
  }, 120000);
});
