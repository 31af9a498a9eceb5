/**
 * One recorded step of runc: who did what, in which order, and which upstream
 * function it mirrors. The runc widget renders these as a transcript; tests
 * assert their order.
 */

/** The processes runc runs as (their comm as `ps` shows it) — names from runc's nsexec.c and main.go. */
export type RuncActor = 'runc create' | 'runc:[0:PARENT]' | 'runc:[1:CHILD]' | 'runc:[2:INIT]' | 'runc start' | 'runc kill' | 'runc delete' | 'kernel';

export interface RuncStep {
  /** 1-based position in the transcript. */
  seq: number;
  actor: RuncActor;
  /** Host pid of the actor. */
  pid: number;
  /** The system call or operation, e.g. `unshare`, `setns`, `pivot_root`, `execve`. */
  call: string;
  /** Arguments and effect in one line, e.g. `CLONE_NEWNS|CLONE_NEWPID`. */
  detail: string;
  /** Upstream file and function this step mirrors, e.g. `libcontainer/nsenter/nsexec.c join_namespaces`. */
  source: string;
  /** Phase: `runc create` does everything up to the exec fifo; `runc start` releases it. */
  phase: 'create' | 'start' | 'kill' | 'delete';
}

export class StepLog {
  readonly steps: RuncStep[] = [];
  phase: RuncStep['phase'];
  constructor(phase: RuncStep['phase']) {
    this.phase = phase;
  }

  add(actor: RuncActor, pid: number, call: string, detail: string, source: string): void {
    this.steps.push({ seq: this.steps.length + 1, actor, pid, call, detail, source, phase: this.phase });
  }
}
