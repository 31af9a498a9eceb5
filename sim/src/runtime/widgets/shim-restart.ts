/**
 * Widget runner: restart containerd while a pod's containers keep running.
 * Backs Layer 2 "The shim". Input, one command per line (`#` comments):
 *   pod <name> <image> [<image> …]   start a pod through CRI (containers named after the images)
 *   stop containerd                   systemctl stop containerd (KillMode=process)
 *   start containerd                  systemctl start containerd: recover from meta.db and the shims
 *   exit <container> <status>         the container's program exits by itself (e.g. a crash)
 *   list                              crictl ps -a: the CRI view (fails while containerd is down)
 *   tick <n>                          let n ticks pass
 * Each command yields a snapshot of the process tree and of what each shim holds.
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { Clock } from '../../core/clock.ts';
import { Prng } from '../../core/prng.ts';
import { LinuxKernel } from '../kernel-adapter.ts';
import { Containerd } from '../cri/containerd.ts';
import { parseReference } from '../images/reference.ts';
import { planPod } from './pod-to-cri.ts';

export const DEFAULT_SHIM_RESTART = `# nginx と redis の Pod を起動する
pod web nginx:1.27 redis:7
list
# containerd を止める（shim とコンテナは止まらない）
stop containerd
list
# containerd がいない間に redis が終了する
exit redis 1
tick 30
# containerd を再起動すると、shim から状態を取り戻す
start containerd
list
`;

export const SHIM_RESTART_LIMITS = { lines: 60, pods: 3, tickMax: 100000 } as const;

export interface ShimRestartProcess {
  pid: number;
  ppid: number;
  comm: string;
  role: string;
}

export interface ShimRestartStep {
  line: number;
  command: string;
  ok: boolean;
  notes: string[];
  containerdPid: number | null;
  processes: ShimRestartProcess[];
  /** What `crictl ps -a` printed, when the command was `list` and containerd answered. */
  containers?: { name: string; pod: string; state: string; pid: number; exitCode: number }[];
  shims: { pid: number; pod: string; tasks: { name: string; pid: number; status: string; exitStatus?: number }[] }[];
}

export interface ShimRestartView {
  steps: ShimRestartStep[];
}

export function runShimRestart(text: string, options: { seed: number }): Result<ShimRestartView> {
  const lines = text.split('\n');
  if (lines.length > SHIM_RESTART_LIMITS.lines) return fail(simError('LIMIT_EXCEEDED', `at most ${SHIM_RESTART_LIMITS.lines} lines`, { line: SHIM_RESTART_LIMITS.lines + 1, column: 1 }));
  const prng = new Prng(options.seed);
  const kernel = new LinuxKernel({ hostname: 'node-1', firstFreeHostPid: 1200 });
  const clock = new Clock();
  const cd = new Containerd(kernel, clock, prng.fork());
  const names = new Map<string, { id: string; pod: string; sandboxId: string }>();
  const podNames = new Map<string, string>();
  const steps: ShimRestartStep[] = [];
  const errors: SimError[] = [];

  const snapshot = (line: number, command: string, okFlag: boolean, notes: string[], containers?: ShimRestartStep['containers']): ShimRestartStep => {
    const roleOf = (pid: number, comm: string): string => {
      if (cd.running && pid === cd.pid) return 'containerd';
      for (const [sid, s] of cd.shims) {
        if (s.pid === pid) return `shim of pod ${podNames.get(sid)}`;
        for (const [tid, t] of s.tasks) if (t.pid === pid) return tid === sid ? `pause (${podNames.get(sid)})` : `container ${[...names].find(([, v]) => v.id === tid)?.[0]}`;
      }
      return pid === 1 ? 'init' : comm;
    };
    return {
      line, command, ok: okFlag, notes, containerdPid: cd.running ? cd.pid : null,
      processes: kernel.runningPids().map((pid) => kernel.process(pid)!).map((p) => ({ pid: p.pid, ppid: p.ppid, comm: p.comm, role: roleOf(p.pid, p.comm) })),
      ...(containers ? { containers } : {}),
      shims: [...cd.shims].map(([sid, s]) => ({
        pid: s.pid, pod: podNames.get(sid) ?? sid,
        tasks: [...s.tasks].map(([tid, t]) => ({ name: tid === sid ? 'pause' : [...names].find(([, v]) => v.id === tid)?.[0] ?? tid, pid: t.pid, status: t.status, exitStatus: t.exitStatus })),
      })),
    };
  };

  lines.forEach((raw, i) => {
    if (errors.length) return;
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const at = { line: i + 1, column: raw.indexOf(line) + 1 };
    const words = line.split(/\s+/);
    const [cmd, arg] = words;
    const notes: string[] = [];
    if (cmd === 'pod') {
      const images = words.slice(2);
      if (!arg || !images.length) return void errors.push(simError('SYNTAX', 'usage: pod <name> <image> [<image> …]', at));
      if (podNames.size >= SHIM_RESTART_LIMITS.pods) return void errors.push(simError('LIMIT_EXCEEDED', `at most ${SHIM_RESTART_LIMITS.pods} pods`, at));
      if (!cd.running) return void steps.push(snapshot(at.line, line, false, ['RunPodSandbox: connection refused — containerd is stopped']));
      const containerNames: string[] = [];
      for (const img of images) {
        const ref = parseReference(img);
        if (!ref.ok) return void errors.push({ ...ref.errors[0]!, ...at, column: at.column + raw.slice(at.column - 1).indexOf(img) });
        containerNames.push(ref.value.path.split('/').pop()!);
      }
      const yaml = `kind: Pod\nmetadata: { name: ${arg} }\nspec:\n  containers:\n${images.map((img, j) => `    - { name: ${containerNames[j]}, image: "${img}" }`).join('\n')}\n`;
      const uid = `${prng.nextUint32().toString(16).padStart(8, '0')}-0000-4000-8000-${prng.nextUint32().toString(16).padStart(12, '0')}`;
      const plan = planPod(yaml, uid);
      if (!plan.ok) return void errors.push(simError('SYNTAX', plan.errors[0]!.message, at));
      const sb = cd.RunPodSandbox(plan.value.sandbox);
      if (!sb.ok) return void steps.push(snapshot(at.line, line, false, sb.errors.map((e) => e.message)));
      podNames.set(sb.value, arg);
      notes.push(`RunPodSandbox → pause pid ${cd.sandbox(sb.value)!.pid}, shim pid ${cd.shims.get(sb.value)!.pid}`);
      for (const c of plan.value.containers) {
        const pulled = cd.PullImage(c.image.image);
        if (!pulled.ok) return void errors.push({ ...pulled.errors[0]!, ...at });
        const created = cd.CreateContainer(sb.value, c);
        if (!created.ok || !cd.StartContainer(created.value).ok) return void errors.push(simError('CRI_ERROR', `could not start ${c.metadata.name}`, at));
        names.set(c.metadata.name, { id: created.value, pod: arg, sandboxId: sb.value });
        notes.push(`${c.metadata.name}: pid ${cd.container(created.value)!.pid}, parent ${kernel.process(cd.container(created.value)!.pid)!.ppid} (the shim)`);
      }
      steps.push(snapshot(at.line, line, true, notes));
    } else if (cmd === 'stop' && arg === 'containerd' && words.length === 2) {
      if (!cd.running) return void steps.push(snapshot(at.line, line, false, ['containerd is already stopped']));
      steps.push(snapshot(at.line, line, true, cd.stop()));
    } else if (cmd === 'start' && arg === 'containerd' && words.length === 2) {
      if (cd.running) return void steps.push(snapshot(at.line, line, false, ['containerd is already running']));
      steps.push(snapshot(at.line, line, true, cd.start()));
    } else if (cmd === 'exit' && words.length === 3) {
      const c = names.get(arg!);
      const status = Number(words[2]);
      if (!c) return void errors.push(simError('UNKNOWN_CONTAINER', `no container named "${arg}" (known: ${[...names.keys()].join(', ') || 'none'})`, at));
      if (!Number.isInteger(status) || status < 0 || status > 255) return void errors.push(simError('SYNTAX', 'exit status must be an integer 0–255', at));
      const pid = cd.shims.get(c.sandboxId)?.tasks.get(c.id)?.pid;
      const r = cd.shims.get(c.sandboxId)!.processExited(c.id, status, clock.nowTicks);
      if (!r.ok) return void steps.push(snapshot(at.line, line, false, r.errors.map((e) => e.message)));
      notes.push(`${arg} (pid ${pid}) exits with status ${status}; its parent, the shim, gets SIGCHLD, calls wait4() and keeps the status`);
      if (cd.handleTaskExit(c.id)) notes.push(`the shim publishes /tasks/exit to containerd; the CRI plugin marks ${arg} CONTAINER_EXITED (exit code ${status})`);
      else notes.push('containerd is down: the /tasks/exit event waits in the shim');
      steps.push(snapshot(at.line, line, true, notes));
    } else if (cmd === 'list' && words.length === 1) {
      const r = cd.ListContainers();
      if (!r.ok) return void steps.push(snapshot(at.line, line, false, [`crictl ps -a: ${r.errors[0]!.message}`]));
      const containers = r.value.map((s) => ({ name: s.metadata.name, pod: podNames.get(s.podSandboxId) ?? '', state: s.state, pid: s.pid, exitCode: s.exitCode }));
      steps.push(snapshot(at.line, line, true, [`ListContainers → ${containers.length} container(s)`], containers));
    } else if (cmd === 'tick' && words.length === 2) {
      const n = Number(arg);
      if (!Number.isInteger(n) || n < 0 || n > SHIM_RESTART_LIMITS.tickMax) return void errors.push(simError('SYNTAX', `tick takes an integer 0–${SHIM_RESTART_LIMITS.tickMax}`, at));
      clock.advance(n);
      steps.push(snapshot(at.line, line, true, [`${n} ticks pass`]));
    } else {
      errors.push(simError('SYNTAX', `unknown command "${line}" (pod, stop containerd, start containerd, exit, list, tick)`, at));
    }
  });
  if (errors.length) return fail(errors);
  return ok({ steps });
}
