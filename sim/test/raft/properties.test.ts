/**
 * Property tests over hundreds of seeds (STYLE habit 5): random crash /
 * restart / partition / heal / propose schedules with message loss,
 * duplication and reordering, the safety checkers observing every tick, then
 * heal + restart everyone and require a commit within 50 election timeouts.
 * A failure prints the seed and the schedule to replay it.
 */
import { describe, expect, it } from 'vitest';
import { explain, runRandomSchedule } from './harness.ts';

describe('Raft safety and liveness under random faults', () => {
  it('holds for 240 seeds with 1..7 members', () => {
    const failures: string[] = [];
    let committedRuns = 0;
    for (let seed = 1; seed <= 240; seed++) {
      const o = runRandomSchedule(seed);
      if (o.violations.length > 0) failures.push(explain(o));
      if (o.ticksToCommit === null) failures.push(`seed ${seed}: no commit within ${o.commitBudgetTicks} ticks after heal + restart`);
      else committedRuns++;
    }
    expect(failures, failures.slice(0, 3).join('\n\n')).toEqual([]);
    expect(committedRuns).toBe(240);
  }, 60_000);

  it('holds for 60 longer runs of 5 members with heavy loss and duplication', () => {
    const failures: string[] = [];
    for (let seed = 1001; seed <= 1060; seed++) {
      const o = runRandomSchedule(seed, { members: 5, dropRate: 0.3, duplicateRate: 0.2, delayTicks: [0, 5] }, 250);
      if (o.violations.length > 0) failures.push(explain(o));
      if (o.ticksToCommit === null) failures.push(`seed ${seed}: no commit within ${o.commitBudgetTicks} ticks after heal + restart`);
    }
    expect(failures, failures.slice(0, 3).join('\n\n')).toEqual([]);
  }, 60_000);

  it('the runs actually exercise elections, crashes and commits', () => {
    let leaders = 0;
    let crashes = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const o = runRandomSchedule(seed, { members: 3 });
      leaders += o.leadersByTerm.size;
      crashes += o.schedule.filter((a) => a.kind === 'crash').length;
    }
    expect(leaders).toBeGreaterThan(40);
    expect(crashes).toBeGreaterThan(100);
  });
});
