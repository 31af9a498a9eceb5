/**
 * A tiny, parsed (never evaluated) script describing what the program inside
 * a container does, so probes and crashes have something to observe:
 *
 *   [web]                         # following lines are about container "web"
 *   starts in 5s                  # ports and HTTP answer 5 s after each start
 *   at 60s: /healthz returns 500  # from second 60 of the run on
 *   after 30s: exit 1             # every run of the container exits 30 s after it started
 *   at 40s: /ready takes 3s       # the answer needs 3 s (a timeout if timeoutSeconds < 3)
 *   at 90s: port 8080 closed      # TCP connect refused from then on (also: open)
 *   at 10s: exec cat /tmp/healthy exits 1
 *   run 600s                      # how long to simulate (global)
 *
 * `at` is time since the start of the run (it survives restarts: a broken
 * dependency stays broken); `after` is time since the container's current
 * start (it happens again on every restart, like a bug at startup).
 * Without a [name] header a line is about the Pod's first container.
 * Defaults: every HTTP path answers 200 at once, every port accepts, every
 * exec command exits 0, the program never exits by itself.
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';

export const BEHAVIOUR_MAX_LINES = 60;
export const RUN_MAX_SECONDS = 1800;
export const RUN_DEFAULT_SECONDS = 600;

export type Effect =
  | { kind: 'http'; path: string; code: number; delayS: number }
  | { kind: 'port'; port: number; open: boolean }
  | { kind: 'exec'; command: string; exitCode: number; delayS: number }
  | { kind: 'exit'; code: number };

export interface BehaviourRule {
  container: string;
  /** `at`: seconds since the run began; `after`: seconds since this container started. */
  clock: 'at' | 'after';
  atS: number;
  effect: Effect;
  line: number;
}

export interface Behaviour {
  rules: BehaviourRule[];
  /** Per container: seconds after each start before it answers anything. */
  startupS: Map<string, number>;
  runS: number;
}

const DUR = String.raw`(\d+)\s*(ms|s|m)?`;

function seconds(n: string, unit: string | undefined): number {
  const v = Number(n);
  if (unit === 'm') return v * 60;
  if (unit === 'ms') return Math.ceil(v / 1000);
  return v;
}

export function parseBehaviour(text: string, firstContainer: string): Result<Behaviour> {
  const lines = text.split('\n');
  const errors: SimError[] = [];
  if (lines.length > BEHAVIOUR_MAX_LINES) return fail(simError('LIMIT_EXCEEDED', `at most ${BEHAVIOUR_MAX_LINES} lines`, { line: BEHAVIOUR_MAX_LINES + 1, column: 1 }));
  const rules: BehaviourRule[] = [];
  const startupS = new Map<string, number>();
  let runS = RUN_DEFAULT_SECONDS;
  let container = firstContainer;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const hash = raw.indexOf('#');
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (!body) return;
    const column = raw.indexOf(body) + 1;
    const err = (msg: string, col = column) => errors.push(simError('BEHAVIOUR_SYNTAX', msg, { line, column: col }));
    let m = /^\[([a-z0-9]([-a-z0-9]*[a-z0-9])?)\]$/.exec(body);
    if (m) {
      container = m[1]!;
      return;
    }
    m = new RegExp(`^run\\s+${DUR}$`).exec(body);
    if (m) {
      runS = seconds(m[1]!, m[2]);
      if (runS < 10 || runS > RUN_MAX_SECONDS) err(`run must be between 10s and ${RUN_MAX_SECONDS}s`);
      return;
    }
    m = new RegExp(`^starts\\s+in\\s+${DUR}$`).exec(body);
    if (m) {
      startupS.set(container, seconds(m[1]!, m[2]));
      return;
    }
    m = new RegExp(`^(at|after)\\s+${DUR}\\s*:\\s*(.+)$`).exec(body);
    if (!m) {
      err(`cannot read "${body}": expected "at 30s: …", "after 30s: …", "starts in 5s", "run 600s" or "[container]"`);
      return;
    }
    const clock = m[1] as 'at' | 'after';
    const atS = seconds(m[2]!, m[3]);
    const what = m[4]!.trim();
    const whatCol = raw.indexOf(what) + 1;
    let effect: Effect | undefined;
    let e: RegExpExecArray | null;
    if ((e = new RegExp(`^(/\\S*)\\s+returns\\s+(\\d{3})(?:\\s+after\\s+${DUR})?$`).exec(what))) {
      effect = { kind: 'http', path: e[1]!, code: Number(e[2]), delayS: e[3] ? seconds(e[3], e[4]) : 0 };
    } else if ((e = new RegExp(`^(/\\S*)\\s+takes\\s+${DUR}$`).exec(what))) {
      effect = { kind: 'http', path: e[1]!, code: 200, delayS: seconds(e[2]!, e[3]) };
    } else if ((e = /^port\s+(\d+)\s+(open|closed)$/.exec(what))) {
      effect = { kind: 'port', port: Number(e[1]), open: e[2] === 'open' };
    } else if ((e = new RegExp(`^exec\\s+(.+?)\\s+exits\\s+(\\d+)(?:\\s+after\\s+${DUR})?$`).exec(what))) {
      effect = { kind: 'exec', command: e[1]!, exitCode: Number(e[2]), delayS: e[3] ? seconds(e[3], e[4]) : 0 };
    } else if ((e = /^exit\s+(\d+)$/.exec(what))) {
      effect = { kind: 'exit', code: Number(e[1]) };
    }
    if (!effect) {
      err(`cannot read "${what}": expected "/path returns 500", "/path takes 3s", "port 8080 closed", "exec <command> exits 1" or "exit 1"`, whatCol);
      return;
    }
    if (effect.kind === 'http' && (effect.code < 100 || effect.code > 599)) err(`HTTP status ${effect.code} is not between 100 and 599`, whatCol);
    if (effect.kind === 'exit' && effect.code > 255) err('exit codes are 0–255', whatCol);
    rules.push({ container, clock, atS, effect, line });
  });
  if (errors.length) return fail(errors);
  return ok({ rules, startupS, runS });
}

/** What a probe of one kind sees at `now` from a container started at `startedAt`. */
export interface Observation {
  /** HTTP status / exec exit code / tcp ok; `refused` when nothing listens yet. */
  refused: boolean;
  code: number;
  delayS: number;
}

function active(b: Behaviour, container: string, now: number, startedAt: number): BehaviourRule[] {
  return b.rules.filter((r) => r.container === container && (r.clock === 'at' ? now >= r.atS : now - startedAt >= r.atS));
}

/** Among the rules in force, the one that took effect last wins (ties: the later line). */
function last<T extends Effect['kind']>(rules: BehaviourRule[], startedAt: number, kind: T, pred: (e: Extract<Effect, { kind: T }>) => boolean): Extract<Effect, { kind: T }> | undefined {
  let found: Extract<Effect, { kind: T }> | undefined;
  let best = -Infinity;
  for (const r of rules) {
    if (r.effect.kind !== kind) continue;
    const e = r.effect as Extract<Effect, { kind: T }>;
    if (!pred(e)) continue;
    const from = (r.clock === 'at' ? r.atS : startedAt + r.atS) * 1000 + r.line;
    if (from > best) {
      best = from;
      found = e;
    }
  }
  return found;
}

export function observeHttp(b: Behaviour, container: string, path: string, now: number, startedAt: number): Observation {
  if (now - startedAt < (b.startupS.get(container) ?? 0)) return { refused: true, code: 0, delayS: 0 };
  const e = last(active(b, container, now, startedAt), startedAt, 'http', (h) => h.path === path);
  return { refused: false, code: e?.code ?? 200, delayS: e?.delayS ?? 0 };
}

export function observeTcp(b: Behaviour, container: string, port: number, now: number, startedAt: number): Observation {
  if (now - startedAt < (b.startupS.get(container) ?? 0)) return { refused: true, code: 0, delayS: 0 };
  const e = last(active(b, container, now, startedAt), startedAt, 'port', (p) => p.port === port);
  return { refused: e ? !e.open : false, code: 0, delayS: 0 };
}

export function observeExec(b: Behaviour, container: string, command: string, now: number, startedAt: number): Observation {
  const e = last(active(b, container, now, startedAt), startedAt, 'exec', (x) => x.command === command);
  return { refused: false, code: e?.exitCode ?? 0, delayS: e?.delayS ?? 0 };
}

/** The exit the program makes by itself at `now`, if one is due (the earliest rule in force). */
export function dueExit(b: Behaviour, container: string, now: number, startedAt: number): number | undefined {
  for (const r of b.rules) {
    if (r.container !== container || r.effect.kind !== 'exit') continue;
    const due = r.clock === 'at' ? r.atS : startedAt + r.atS;
    // An `at` exit belongs to the instance running at that moment, not to one started in the same second.
    if (now >= due && (r.clock === 'after' || due > startedAt)) return r.effect.code;
  }
  return undefined;
}

export function emptyBehaviour(runS = RUN_DEFAULT_SECONDS): Behaviour {
  return { rules: [], startupS: new Map(), runS };
}
