/**
 * Shared driver for the Raft property tests: plays a random fault schedule
 * one tick at a time with the invariant checker observing after every step,
 * then heals, restarts everyone and measures liveness.
 */
import { Prng, RaftCluster, RaftInvariantChecker, randomFaultSchedule, applyFault, describeFault } from '../../src/index.ts';
import type { FaultAction, RaftClusterOptions, RaftViolation } from '../../src/index.ts';

export interface RunOutcome {
  seed: number;
  violations: RaftViolation[];
  schedule: FaultAction[];
  /** Ticks after heal+restart until a proposal committed on the leader, or null if it never did. */
  ticksToCommit: number | null;
  commitBudgetTicks: number;
  leadersByTerm: ReadonlyMap<number, number>;
}

export function runRandomSchedule(seed: number, overrides: Partial<RaftClusterOptions> = {}, steps = 120): RunOutcome {
  const prng = new Prng(seed ^ 0x5eed);
  const members = overrides.members ?? prng.intBetween(1, 8);
  const electionTicks = overrides.electionTicks ?? 10;
  const cluster = new RaftCluster({
    seed,
    members,
    electionTicks,
    heartbeatTicks: 1,
    dropRate: prng.chance(0.5) ? prng.nextFloat() * 0.2 : 0,
    duplicateRate: prng.chance(0.3) ? prng.nextFloat() * 0.1 : 0,
    delayTicks: prng.chance(0.5) ? [0, 3] : [1, 2],
    snapshotCount: prng.intBetween(5, 40),
    snapshotCatchUpEntries: prng.intBetween(0, 10),
    maxInflightMsgs: prng.intBetween(1, 8),
    ...overrides,
  });
  const checker = new RaftInvariantChecker(cluster);
  const schedule = randomFaultSchedule(prng, { members, steps, maxTicksPerStep: 3 * electionTicks });
  for (const a of schedule) {
    if (a.kind === 'tick') {
      for (let t = 0; t < a.ticks; t++) {
        cluster.tick(1);
        checker.observe();
      }
    } else {
      applyFault(cluster, a);
      checker.observe();
    }
  }
  // Liveness: heal, restart every member, then a leader must appear and commit.
  cluster.heal();
  cluster.setNetwork({ dropRate: 0, duplicateRate: 0 });
  for (let id = 1; id <= members; id++) cluster.restart(id);
  checker.observe();
  const commitBudgetTicks = 50 * electionTicks;
  let ticksToCommit: number | null = null;
  let pending: { leader: number; index: number } | null = null;
  for (let t = 1; t <= commitBudgetTicks; t++) {
    cluster.tick(1);
    checker.observe();
    if (pending === null || cluster.leader() !== pending.leader) {
      pending = null;
      if (cluster.leader() !== null) {
        const r = cluster.propose(`final-${seed}`);
        if (r.accepted) pending = { leader: r.leader, index: r.index };
      }
    }
    if (pending !== null && cluster.status(pending.leader).commitIndex >= pending.index) {
      ticksToCommit = t;
      break;
    }
  }
  return { seed, violations: checker.violations, schedule, ticksToCommit, commitBudgetTicks, leadersByTerm: checker.leadersByTerm() };
}

export function explain(o: RunOutcome): string {
  return `seed ${o.seed}: ${o.violations.map((v) => `[tick ${v.tick}] ${v.property}: ${v.message}`).join('; ')}\nschedule: ${o.schedule.map(describeFault).join(', ')}`;
}
