/**
 * A random fault schedule for RaftCluster (STYLE habit 5, after TigerBeetle's
 * VOPR): crashes, restarts, partitions, heals and proposals interleaved with
 * time, drawn from a seeded Prng so a failing run is reproduced by its seed.
 * The schedule is data; `applyFault` plays one step against a cluster.
 */
import type { Prng } from '../../../core/prng.ts';

export type FaultAction =
  | { kind: 'tick'; ticks: number }
  | { kind: 'propose'; data: string }
  | { kind: 'crash'; id: number }
  | { kind: 'restart'; id: number }
  | { kind: 'partition'; groups: number[][] }
  | { kind: 'heal' };

/** The cluster operations a schedule uses (RaftCluster satisfies it). */
export interface FaultTarget {
  tick(n: number): void;
  propose(data: string): unknown;
  crash(id: number): unknown;
  restart(id: number): unknown;
  partition(groups: number[][]): unknown;
  heal(): void;
}

export interface FaultScheduleOptions {
  members: number;
  /** Number of actions to draw. */
  steps: number;
  /** Longest single tick action. */
  maxTicksPerStep: number;
}

/** Draws a schedule; proposals are named p<step> so every one is distinct. */
export function randomFaultSchedule(prng: Prng, o: FaultScheduleOptions): FaultAction[] {
  const out: FaultAction[] = [];
  for (let step = 0; step < o.steps; step++) {
    const r = prng.nextFloat();
    if (r < 0.4) out.push({ kind: 'tick', ticks: prng.intBetween(1, o.maxTicksPerStep + 1) });
    else if (r < 0.7) out.push({ kind: 'propose', data: `p${step}` });
    else if (r < 0.8) out.push({ kind: 'crash', id: prng.intBetween(1, o.members + 1) });
    else if (r < 0.88) out.push({ kind: 'restart', id: prng.intBetween(1, o.members + 1) });
    else if (r < 0.95) out.push({ kind: 'partition', groups: randomGroups(prng, o.members) });
    else out.push({ kind: 'heal' });
  }
  return out;
}

/** Splits 1..members into two or three random groups. */
function randomGroups(prng: Prng, members: number): number[][] {
  const k = members >= 3 && prng.chance(0.3) ? 3 : 2;
  const groups: number[][] = Array.from({ length: k }, () => []);
  for (let id = 1; id <= members; id++) groups[prng.intBetween(0, k)]!.push(id);
  return groups.filter((g) => g.length > 0);
}

export function applyFault(target: FaultTarget, a: FaultAction): void {
  switch (a.kind) {
    case 'tick':
      target.tick(a.ticks);
      return;
    case 'propose':
      target.propose(a.data);
      return;
    case 'crash':
      target.crash(a.id);
      return;
    case 'restart':
      target.restart(a.id);
      return;
    case 'partition':
      target.partition(a.groups);
      return;
    case 'heal':
      target.heal();
      return;
  }
}

export function describeFault(a: FaultAction): string {
  switch (a.kind) {
    case 'tick':
      return `tick ${a.ticks}`;
    case 'propose':
      return `propose ${a.data}`;
    case 'crash':
      return `crash ${a.id}`;
    case 'restart':
      return `restart ${a.id}`;
    case 'partition':
      return `partition ${a.groups.map((g) => g.join(' ')).join(' | ')}`;
    case 'heal':
      return 'heal';
  }
}
