/**
 * containerd-shim-runc-v2: one long-lived process per pod (containerd groups a
 * pod's containers into its sandbox's shim by the `io.kubernetes.cri.sandbox-id`
 * annotation). It runs runc, becomes the parent of every container process,
 * holds their stdio, records their exit status and answers containerd's ttrpc
 * Task API (Create, Start, Kill, Wait, State, Delete).
 *
 * Why containers survive a containerd restart:
 *  - `containerd-shim-runc-v2 start` re-executes itself as a daemon and exits,
 *    so the daemon's parent is init (pid 1), not containerd;
 *  - the daemon sets PR_SET_CHILD_SUBREAPER, so when `runc create` exits the
 *    container's init is re-parented to the shim (not to pid 1), and the shim
 *    can wait4() it and keep its exit status;
 *  - containerd.service uses KillMode=process, so systemd stops only containerd;
 *  - the shim writes its ttrpc address to `<bundle>/bootstrap.json`, which a
 *    restarted containerd reads to reconnect.
 * Upstream: containerd v2.1 cmd/containerd-shim-runc-v2/manager/manager_linux.go
 * (StartShim, grouping by sandbox id, newCommand), pkg/shim/shim.go (run,
 * SetSubreaper), pkg/shim/util.go (SocketAddress = /run/containerd/s/<sha256>),
 * cmd/containerd-shim-runc-v2/task/service.go, containerd.service (KillMode=process).
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';
import { sha256Hex } from '../../core/sha256.ts';
import type { KernelPort, MountEntry } from '../kernel-port.ts';
import type { Runc, ErrorAt } from '../runc/runc.ts';
import type { RuncStep } from '../runc/steps.ts';
import type { ValidatedSpec } from '../oci/validate.ts';

export const TASK_ROOT = '/run/containerd/io.containerd.runtime.v2.task';

export type TaskStatus = 'created' | 'running' | 'stopped';

export interface ShimTask {
  id: string;
  bundle: string;
  pid: number;
  status: TaskStatus;
  exitStatus?: number;
  exitedAtTick?: number;
  /** Lines the container wrote, held by the shim until containerd reads them (the CRI log fifo). */
  stdout: string[];
}

export interface ShimLogLine {
  text: string;
  source: string;
}

export class Shim {
  readonly pid: number;
  readonly address: string;
  readonly tasks = new Map<string, ShimTask>();
  /** Exit events not yet delivered because containerd was not connected (replayed on reconnect). */
  readonly pendingExits: { id: string; pid: number; exitStatus: number }[] = [];
  readonly log: ShimLogLine[] = [];
  connected = true;

  readonly kernel: KernelPort;
  readonly runc: Runc;
  readonly groupId: string;
  readonly namespace: string;

  constructor(kernel: KernelPort, runc: Runc, containerdPid: number, groupId: string, namespace = 'k8s.io', containerdAddress = '/run/containerd/containerd.sock') {
    this.kernel = kernel;
    this.runc = runc;
    this.groupId = groupId;
    this.namespace = namespace;
    const k = kernel;
    const starter = k.clone(containerdPid, { comm: 'containerd-shim' });
    k.execve(starter, ['/usr/bin/containerd-shim-runc-v2', '-namespace', namespace, '-id', groupId, '-address', containerdAddress, 'start']);
    this.pid = k.clone(starter, { comm: 'containerd-shim' });
    k.execve(this.pid, ['/usr/bin/containerd-shim-runc-v2', '-namespace', namespace, '-id', groupId, '-address', containerdAddress]);
    this.address = `unix:///run/containerd/s/${sha256Hex(`${containerdAddress}/${namespace}/${groupId}`)}`;
    k.exit(starter, 0);
    k.reap(starter);
    k.setChildSubreaper(this.pid);
    this.log.push(
      { text: `containerd-shim-runc-v2 … start → daemon pid ${this.pid}; the "start" process exits, so the daemon's parent is pid ${k.process(this.pid)!.ppid} (init), not containerd`, source: 'manager_linux.go StartShim' },
      { text: `prctl(PR_SET_CHILD_SUBREAPER, 1) in pid ${this.pid}`, source: 'pkg/shim/shim.go run → reaper.SetSubreaper(1)' },
      { text: `listen ${this.address} (ttrpc); address written to ${TASK_ROOT}/${namespace}/${groupId}/bootstrap.json`, source: 'pkg/shim/util.go SocketAddress; WriteBootstrap' },
    );
  }

  bundleOf(id: string): string {
    return `${TASK_ROOT}/${this.namespace}/${id}`;
  }

  /** Task.Create: mount the rootfs at `<bundle>/rootfs`, then `runc create`. */
  create(id: string, rootfsMounts: MountEntry[], spec: ValidatedSpec, errorAt: ErrorAt): Result<{ task: ShimTask; steps: RuncStep[] }> {
    const bundle = this.bundleOf(id);
    for (const m of rootfsMounts) {
      const r = this.kernel.mount(this.pid, { ...m, target: `${bundle}/rootfs` });
      if (!r.ok) return r;
    }
    const c = this.runc.create(this.pid, id, bundle, spec, errorAt);
    if (!c.ok) return c;
    const task: ShimTask = { id, bundle, pid: c.value.initPid, status: 'created', stdout: [] };
    this.tasks.set(id, task);
    return ok({ task, steps: c.value.steps });
  }

  start(id: string): Result<RuncStep[]> {
    const t = this.tasks.get(id);
    if (!t) return fail(simError('NOT_FOUND', `task ${id} not found`));
    const r = this.runc.start(this.pid, id);
    if (!r.ok) return r;
    t.status = 'running';
    return r;
  }

  /** The container's init wrote a line (kept by the shim's io copy). */
  write(id: string, line: string): void {
    this.tasks.get(id)?.stdout.push(line);
  }

  /**
   * The shim is the parent: SIGCHLD → wait4() → exit status kept in the task.
   * If containerd is not connected the /tasks/exit event waits in `pendingExits`.
   */
  #reapExit(t: ShimTask, exitStatus: number, nowTick: number): void {
    this.kernel.reap(t.pid);
    t.status = 'stopped';
    t.exitStatus = exitStatus;
    t.exitedAtTick = nowTick;
    if (!this.connected) this.pendingExits.push({ id: t.id, pid: t.pid, exitStatus });
  }

  /** Task.Kill via `runc kill`; the process dies and the shim reaps it. */
  kill(id: string, signal: 'SIGTERM' | 'SIGKILL' | 'SIGQUIT', nowTick: number, gracefulExitStatus = 0): Result<ShimTask> {
    const t = this.tasks.get(id);
    if (!t) return fail(simError('NOT_FOUND', `task ${id} not found`));
    if (t.status === 'stopped') return ok(t);
    const status = signal === 'SIGKILL' ? 137 : gracefulExitStatus;
    this.runc.exited(id, status);
    this.#reapExit(t, status, nowTick);
    return ok(t);
  }

  /** The container's program exits by itself with `status` (a crash, or a finished job). */
  processExited(id: string, status: number, nowTick: number): Result<ShimTask> {
    const t = this.tasks.get(id);
    if (!t || t.status !== 'running') return fail(simError('FAILED_PRECONDITION', `task ${id} is not running`));
    this.runc.exited(id, status);
    this.#reapExit(t, status, nowTick);
    return ok(t);
  }

  /** Task.Delete: `runc delete`, unmount the rootfs; the task is forgotten. */
  delete(id: string): Result<ShimTask> {
    const t = this.tasks.get(id);
    if (!t) return fail(simError('NOT_FOUND', `task ${id} not found`));
    if (t.status !== 'stopped') return fail(simError('FAILED_PRECONDITION', `cannot delete a ${t.status} task`));
    const r = this.runc.delete(id);
    if (!r.ok) return r;
    // mount.UnmountAll(<bundle>/rootfs) (containerd v2 cmd/containerd-shim-runc-v2/runc/container.go).
    while (this.kernel.mounts(this.pid).some((m) => m.target === `${t.bundle}/rootfs`)) {
      if (!this.kernel.umount(this.pid, `${t.bundle}/rootfs`).ok) break;
    }
    this.tasks.delete(id);
    return ok(t);
  }

  /** The shim exits once its last task is deleted (Shutdown). */
  shutdownIfEmpty(): boolean {
    if (this.tasks.size > 0) return false;
    this.kernel.exit(this.pid, 0);
    this.kernel.reap(this.pid);
    return true;
  }
}
