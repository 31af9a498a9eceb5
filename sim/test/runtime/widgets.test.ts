import { describe, expect, it } from 'vitest';
import { DEFAULT_CRI_SEQUENCE, runCriSequence } from '../../src/runtime/widgets/cri-sequence.ts';
import { DEFAULT_IMAGE_PULL, runImagePull } from '../../src/runtime/widgets/image-pull.ts';
import { DEFAULT_SHIM_RESTART, runShimRestart } from '../../src/runtime/widgets/shim-restart.ts';

describe('runCriSequence', () => {
  it('the default pod: sandbox first, then pull/create/start per container, all ok', () => {
    const r = runCriSequence(DEFAULT_CRI_SEQUENCE, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.calls.filter((_, i) => r.value.phases[i] === 'start').map((c) => c.method)).toEqual(['RunPodSandbox', 'PullImage', 'CreateContainer', 'StartContainer', 'PullImage', 'CreateContainer', 'StartContainer']);
    expect(r.value.pod.qos).toBe('Burstable');
    expect(r.value.containers.map((c) => c.name)).toEqual(['pause', 'nginx', 'redis']);
    const [pause, nginx] = r.value.containers;
    const net = (v: typeof pause) => v!.process.host.namespaces.find((n) => n.kind === 'net')!.id;
    expect(net(nginx)).toBe(net(pause));
    expect(nginx!.process.host.cgroup).toContain(r.value.pod.cgroupParent);
    // The redis pull reuses the base layer nginx brought.
    const redisPull = r.value.calls[4]!;
    expect(redisPull.below.some((b) => b.text.includes('already in the content store'))).toBe(true);
    expect(r.value.calls[0]!.below.some((b) => b.layer === 'runc' && b.text.includes('pivot_root'))).toBe(true);
  });

  it('Guaranteed pods go directly under kubepods.slice; shareProcessNamespace joins the pause pid namespace', () => {
    const yaml = `kind: Pod
metadata: { name: g }
spec:
  shareProcessNamespace: true
  containers:
    - name: app
      image: nginx:1.27
      resources: { limits: { cpu: "1", memory: 1Gi } }
`;
    const r = runCriSequence(yaml, { seed: 2 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.pod.qos).toBe('Guaranteed');
    expect(r.value.pod.cgroupParent).toMatch(/^\/kubepods\.slice\/kubepods-pod[0-9a-f_]+\.slice$/);
    const pid = (i: number) => r.value.containers[i]!.process.host.namespaces.find((n) => n.kind === 'pid')!.id;
    expect(pid(1)).toBe(pid(0));
    expect(r.value.containers[1]!.process.inside.pid).toBeGreaterThan(1);
  });

  it('an unknown image fails PullImage and leaves the other containers running', () => {
    const r = runCriSequence(DEFAULT_CRI_SEQUENCE.replace('redis:7', 'redis:0.0'), { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const failed = r.value.calls.find((c) => !c.ok)!;
    expect(failed.method).toBe('PullImage');
    expect(r.value.containers.map((c) => c.name)).toEqual(['pause', 'nginx']);
  });

  it('manifest errors are located', () => {
    const r = runCriSequence('kind: Pod\nmetadata: { name: x }\nspec:\n  containers:\n    - name: a\n', { seed: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ path: 'spec.containers[0]', line: 5 });
  });

  it('different seeds give different ids but the same structure', () => {
    for (const seed of [1, 2, 3, 42, 1000]) {
      const r = runCriSequence(DEFAULT_CRI_SEQUENCE, { seed });
      expect(r.ok, `seed ${seed}`).toBe(true);
      if (r.ok) expect(r.value.containers.every((c) => c.process.host.ppid === r.value.containers[0]!.process.host.ppid), `seed ${seed}`).toBe(true);
    }
  });
});

describe('runImagePull', () => {
  it('default: redis reuses the base; the repeated pull downloads nothing', () => {
    const r = runImagePull(DEFAULT_IMAGE_PULL, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const [nginx, redis, again] = r.value.pulls;
    expect(nginx!.reusedBytes).toBe(0);
    expect(redis!.layers[0]!.download).toBe('exists');
    expect(redis!.reusedBytes).toBe(redis!.layers[0]!.size);
    expect(again!.downloadedBytes).toBe(0);
    expect(r.value.totals.contentStoreBytes).toBe(r.value.totals.downloadedBytes);
    expect(nginx!.containerMount).toMatch(/^mount -t overlay overlay -o workdir=.*,upperdir=.*,lowerdir=.*:.*,index=off /);
  });

  it('platform switch changes the manifest, not the index', () => {
    const a = runImagePull('pull nginx:1.27', { seed: 1 });
    const b = runImagePull('platform linux/arm64\npull nginx:1.27', { seed: 1 });
    if (!a.ok || !b.ok) throw new Error('pull');
    expect(b.value.pulls[0]!.indexDigest).toBe(a.value.pulls[0]!.indexDigest);
    expect(b.value.pulls[0]!.manifestDigest).not.toBe(a.value.pulls[0]!.manifestDigest);
  });

  it('errors carry line and column', () => {
    const r = runImagePull('pull nginx:1.27\n  fetch redis:7\npull nginx:9', { seed: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 2, column: 3 });
    const r2 = runImagePull('pull nginx:1.27\npull nginx:9', { seed: 1 });
    if (!r2.ok) expect(r2.errors[0]).toMatchObject({ line: 2, column: 6 });
    else throw new Error('expected failure');
  });
});

describe('runShimRestart', () => {
  it('default story: containers survive, list fails while down, the crash is recovered', () => {
    const r = runShimRestart(DEFAULT_SHIM_RESTART, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const steps = r.value.steps;
    const byCmd = (c: string) => steps.filter((s) => s.command === c);
    const [listBefore, listDown, listAfter] = byCmd('list');
    expect(listBefore!.ok).toBe(true);
    expect(listDown!.ok).toBe(false);
    const stop = byCmd('stop containerd')[0]!;
    expect(stop.containerdPid).toBeNull();
    // Every container process is still there with the same parent while containerd is down.
    const pidsBefore = listBefore!.containers!.map((c) => c.pid);
    for (const pid of pidsBefore) expect(stop.processes.find((p) => p.pid === pid)?.role).toMatch(/^container /);
    expect(listAfter!.containers!.find((c) => c.name === 'nginx')).toMatchObject({ state: 'CONTAINER_RUNNING', pid: pidsBefore[0] });
    expect(listAfter!.containers!.find((c) => c.name === 'redis')).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 1 });
    expect(byCmd('start containerd')[0]!.notes.some((n) => n.includes('replays /tasks/exit'))).toBe(true);
  });

  it('rejects unknown commands and containers with locations', () => {
    const r = runShimRestart('pod web nginx:1.27\nexit mysql 1', { seed: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 'UNKNOWN_CONTAINER', line: 2, column: 1 });
  });
});

describe('runCriSequence: status and teardown (kuberuntime_manager.go killPodWithSyncResult, kuberuntime_gc.go)', () => {
  it('relist, then stop containers, stop the sandbox, remove containers, remove the sandbox', () => {
    const r = runCriSequence(DEFAULT_CRI_SEQUENCE, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const after = r.value.calls.filter((_, i) => r.value.phases[i] !== 'start').map((c) => c.method);
    expect(after).toEqual(['ListContainers', 'ContainerStatus', 'ContainerStatus', 'StopContainer', 'StopContainer', 'StopPodSandbox', 'RemoveContainer', 'RemoveContainer', 'RemovePodSandbox']);
    expect(r.value.calls.every((c) => c.ok)).toBe(true);
    expect(r.value.stopTimeoutSeconds).toBe(30);
    expect(r.value.calls.find((c) => c.method === 'StopContainer')!.request).toContain('timeout: 30');
  });

  it('terminationGracePeriodSeconds sets the StopContainer timeout, never below 2 s', () => {
    for (const [grace, want] of [[45, 45], [1, 2], [0, 2]] as const) {
      const yaml = DEFAULT_CRI_SEQUENCE.replace('spec:\n', `spec:\n  terminationGracePeriodSeconds: ${grace}\n`);
      const r = runCriSequence(yaml, { seed: 1 });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      expect(r.value.stopTimeoutSeconds).toBe(want);
      expect(r.value.calls.find((c) => c.method === 'StopContainer')!.request).toContain(`timeout: ${want}`);
    }
    const bad = runCriSequence(DEFAULT_CRI_SEQUENCE.replace('spec:\n', 'spec:\n  terminationGracePeriodSeconds: -5\n'), { seed: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]!.line).toBe(7);
  });
});

describe('runCriSequence: hostNetwork (containerd sandbox_run_linux.go: network NODE drops the net and uts namespaces)', () => {
  it('no CNI, the pod stays in the node network and UTS namespaces, ipc is still the pod\'s own', () => {
    const r = runCriSequence(DEFAULT_CRI_SEQUENCE.replace('spec:\n', 'spec:\n  hostNetwork: true\n'), { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.calls[0]!.below.some((b) => b.layer === 'cni')).toBe(false);
    for (const c of r.value.containers) {
      const origin = (kind: string) => c.process.host.namespaces.find((n) => n.kind === kind)!.origin;
      expect(origin('net')).toBe('host');
      expect(origin('uts')).toBe('host');
      expect(origin('ipc')).toBe(c.role === 'sandbox' ? 'new' : 'joined');
    }
  });
});

describe('runShimRestart: an exit while containerd runs is seen at once (containerd internal/cri/server/events.go)', () => {
  it('list right after the exit shows CONTAINER_EXITED with the status', () => {
    const text = 'pod web nginx:1.27 redis:7\nexit redis 3\nlist\n';
    const r = runShimRestart(text, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const last = r.value.steps[r.value.steps.length - 1]!;
    const redis = last.containers!.find((c) => c.name === 'redis')!;
    expect(redis.state).toBe('CONTAINER_EXITED');
    expect(redis.exitCode).toBe(3);
    expect(redis.pod).toBe('web');
  });

  it('two pods get two shims, and list names each container\'s own pod', () => {
    const r = runShimRestart('pod db redis:7\npod web nginx:1.27\nlist\n', { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const last = r.value.steps[r.value.steps.length - 1]!;
    expect(last.shims.length).toBe(2);
    expect(last.containers!.map((c) => `${c.pod}/${c.name}`).sort()).toEqual(['db/redis', 'web/nginx']);
  });
});
