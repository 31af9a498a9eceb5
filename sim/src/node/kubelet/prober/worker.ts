/**
 * One probe worker per (container, probe type), as pkg/kubelet/prober/worker.go
 * (kubernetes master / v1.34):
 *  - the worker starts when the pod is added to the probe manager; if the
 *    kubelet started less than one period ago it first sleeps a random part
 *    of the period (here: from the seeded PRNG), then probes every periodSeconds;
 *  - doProbe skips while the container is not running, while
 *    time since start < initialDelaySeconds, and — startup gating — liveness
 *    and readiness skip until the container has "started" (startup probe
 *    succeeded, or no startup probe); the startup probe stops once it succeeded;
 *  - a new container ID resets the result to the initial value (liveness:
 *    Success, readiness: Failure, startup: Unknown) and lifts "on hold";
 *  - a result only changes after failureThreshold consecutive failures or
 *    successThreshold consecutive successes; a liveness/startup Failure puts
 *    the worker on hold until the container is replaced.
 * Probe outcomes (pkg/probe/http/http.go, tcp/tcp.go, exec/exec.go):
 * HTTP 200 ≤ code < 400 is success; TCP succeeds when connect() does; exec
 * succeeds on exit 0; exceeding timeoutSeconds is a failure.
 */
import type { Container, Probe } from '../../../api/objects.ts';
import { probeWithDefaults, type ProbeDefaults } from '../defaults.ts';
import { observeExec, observeHttp, observeTcp, type Behaviour } from '../behaviour.ts';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

export const INITIAL_RESULT: Record<ProbeType, ProbeResult> = { liveness: 'Success', readiness: 'Failure', startup: 'Unknown' };

export interface ProbeOutcome {
  result: 'Success' | 'Failure';
  output: string;
}

function resolvePort(port: number | string | undefined, c: Container): number {
  if (typeof port === 'number') return port;
  const named = c.ports?.find((p) => p.name === port);
  if (named?.containerPort) return named.containerPort;
  const n = Number(port);
  return Number.isFinite(n) ? n : 0;
}

/** Runs one probe against the scripted program. */
export function runProbe(probe: Probe, spec: ProbeDefaults, c: Container, podIP: string, b: Behaviour, now: number, startedAt: number): ProbeOutcome {
  const name = c.name ?? '';
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, c);
    const path = probe.httpGet.path ?? '/';
    const url = `http://${podIP}:${port}${path}`;
    const tcp = observeTcp(b, name, port, now, startedAt);
    const o = observeHttp(b, name, path, now, startedAt);
    if (tcp.refused || o.refused) return { result: 'Failure', output: `Get "${url}": dial tcp ${podIP}:${port}: connect: connection refused` };
    if (o.delayS >= spec.timeoutSeconds) return { result: 'Failure', output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
    if (o.code >= 200 && o.code < 400) return { result: 'Success', output: `HTTP ${o.code}` };
    return { result: 'Failure', output: `HTTP probe failed with statuscode: ${o.code}` };
  }
  if (probe.tcpSocket || probe.grpc) {
    const port = probe.tcpSocket ? resolvePort(probe.tcpSocket.port, c) : probe.grpc!.port ?? 0;
    const o = observeTcp(b, name, port, now, startedAt);
    if (o.refused) return { result: 'Failure', output: `dial tcp ${podIP}:${port}: connect: connection refused` };
    return { result: 'Success', output: probe.grpc ? 'status: SERVING' : `connected to ${podIP}:${port}` };
  }
  const cmd = (probe.exec?.command ?? []).join(' ');
  const o = observeExec(b, name, cmd, now, startedAt);
  if (o.delayS >= spec.timeoutSeconds) return { result: 'Failure', output: `command "${cmd}" timed out` };
  if (o.code === 0) return { result: 'Success', output: `"${cmd}" exited 0` };
  return { result: 'Failure', output: `command "${cmd}" exited with ${o.code}` };
}

export interface ContainerView {
  id: string;
  running: boolean;
  startedAt: number;
  /** Whether the startup probe has succeeded (true when there is none). */
  started: boolean;
  terminated: boolean;
}

export interface ProbeStep {
  kind: 'skipped' | 'probed' | 'changed';
  outcome?: ProbeOutcome;
  result: ProbeResult;
  reason?: string;
}

export class ProbeWorker {
  readonly type: ProbeType;
  readonly container: Container;
  readonly probe: Probe;
  readonly spec: ProbeDefaults;
  nextAt: number;
  containerId = '';
  onHold = false;
  result: ProbeResult;
  #lastResult: ProbeResult | undefined;
  #resultRun = 0;

  constructor(type: ProbeType, container: Container, probe: Probe, firstAt: number) {
    this.type = type;
    this.container = container;
    this.probe = probe;
    this.spec = probeWithDefaults(probe);
    this.nextAt = firstAt;
    this.result = INITIAL_RESULT[type];
  }

  /** doProbe: returns what happened; `changed` when the result the kubelet acts on flipped. */
  doProbe(c: ContainerView | undefined, podIP: string, b: Behaviour, now: number): ProbeStep {
    this.nextAt = now + this.spec.periodSeconds;
    if (!c) return { kind: 'skipped', result: this.result, reason: 'no container yet' };
    if (c.id !== this.containerId) {
      this.containerId = c.id;
      this.result = INITIAL_RESULT[this.type];
      this.#lastResult = undefined;
      this.#resultRun = 0;
      this.onHold = false;
    }
    if (this.onHold) return { kind: 'skipped', result: this.result, reason: 'on hold until the container is replaced' };
    if (!c.running) {
      const before = this.result;
      this.result = 'Failure';
      return { kind: before !== 'Failure' && this.type === 'readiness' ? 'changed' : 'skipped', result: this.result, reason: 'container not running' };
    }
    if (now - c.startedAt < this.spec.initialDelaySeconds) return { kind: 'skipped', result: this.result, reason: `initialDelaySeconds ${this.spec.initialDelaySeconds}` };
    if (c.started && this.type === 'startup') return { kind: 'skipped', result: this.result, reason: 'already started' };
    if (!c.started && this.type !== 'startup') return { kind: 'skipped', result: this.result, reason: 'waiting for the startup probe' };
    const outcome = runProbe(this.probe, this.spec, this.container, podIP, b, now, c.startedAt);
    if (this.#lastResult === outcome.result) this.#resultRun++;
    else {
      this.#lastResult = outcome.result;
      this.#resultRun = 1;
    }
    if ((outcome.result === 'Failure' && this.#resultRun < this.spec.failureThreshold) || (outcome.result === 'Success' && this.#resultRun < this.spec.successThreshold)) {
      return { kind: 'probed', outcome, result: this.result };
    }
    const before = this.result;
    this.result = outcome.result;
    if (outcome.result === 'Failure' && this.type !== 'readiness') {
      this.onHold = true;
      this.#resultRun = 0;
    }
    return { kind: before !== this.result ? 'changed' : 'probed', outcome, result: this.result };
  }
}
