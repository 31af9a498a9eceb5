/**
 * RaftCluster's public contract: construction limits, propose results,
 * crash/restart keeping the WAL, partitions, determinism, apply hooks.
 */
import { describe, expect, it } from 'vitest';
import { RaftCluster, RaftInvariantChecker, InvariantError } from '../../src/index.ts';
import type { ApplyEvent } from '../../src/index.ts';

function elect(c: RaftCluster, maxTicks = 500): number {
  for (let t = 0; t < maxTicks && c.leader() === null; t++) c.tick(1);
  const l = c.leader();
  expect(l).not.toBeNull();
  return l!;
}

describe('RaftCluster construction', () => {
  it('numbers members 1..N, all followers at term 0 with empty logs', () => {
    const c = new RaftCluster({ members: 5, seed: 1 });
    expect(c.memberCount).toBe(5);
    for (let id = 1; id <= 5; id++) expect(c.status(id)).toMatchObject({ id, role: 'follower', term: 0, commitIndex: 0, log: [], crashed: false });
    expect(c.leader()).toBeNull();
  });

  it('rejects out-of-range options as values with RaftCluster.create, and throws from the constructor', () => {
    const r = RaftCluster.create({ members: 8, seed: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.path).toBe('members');
    expect(RaftCluster.create({ members: 3, seed: 1, electionTicks: 2, heartbeatTicks: 2 }).ok).toBe(false);
    expect(RaftCluster.create({ members: 3, seed: 1, dropRate: 2 }).ok).toBe(false);
    expect(() => new RaftCluster({ members: 0, seed: 1 })).toThrow(InvariantError);
  });
});

describe('RaftCluster.propose', () => {
  it('says why it was not accepted, and never throws', () => {
    const c = new RaftCluster({ members: 3, seed: 2 });
    expect(c.propose('x')).toMatchObject({ accepted: false, reason: 'no-leader' });
    const l = elect(c);
    const follower = l === 1 ? 2 : 1;
    c.tick(3);
    expect(c.propose('x', { to: follower })).toMatchObject({ accepted: false, reason: 'not-leader', leader: l });
    c.crash(follower);
    expect(c.propose('x', { to: follower })).toMatchObject({ accepted: false, reason: 'crashed' });
    const ok = c.propose('hello');
    expect(ok).toMatchObject({ accepted: true, leader: l });
    if (ok.accepted) {
      c.tick(5);
      const s = c.status(l);
      expect(s.commitIndex).toBeGreaterThanOrEqual(ok.index);
      expect(s.log.find((e) => e.index === ok.index)).toEqual({ index: ok.index, term: ok.term, data: 'hello' });
    }
  });

  it('commits and applies on every member in the same order', () => {
    const c = new RaftCluster({ members: 3, seed: 3 });
    elect(c);
    for (let i = 0; i < 10; i++) c.propose(`v${i}`);
    c.tick(10);
    const applied = [1, 2, 3].map((id) => c.applied(id).map((e) => e.data).filter((d) => d !== null));
    expect(applied[0]).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    expect(applied[1]).toEqual(applied[0]);
    expect(applied[2]).toEqual(applied[0]);
  });

  it('a leader cut off from the majority accepts a proposal but cannot commit it', () => {
    const c = new RaftCluster({ members: 5, seed: 4 });
    const l = elect(c);
    c.tick(5);
    const others = [1, 2, 3, 4, 5].filter((id) => id !== l);
    c.partition([[l, others[0]!], others.slice(1)]);
    const r = c.propose('doomed');
    expect(r.accepted).toBe(true);
    c.tick(5);
    if (r.accepted) expect(c.status(l).commitIndex).toBeLessThan(r.index);
  });
});

describe('crash and restart', () => {
  it('a restarted member keeps term, vote, log and commit from its WAL but loses its role', () => {
    const c = new RaftCluster({ members: 3, seed: 5 });
    const l = elect(c);
    c.propose('a');
    c.propose('b');
    c.tick(5);
    const before = c.status(l);
    expect(c.crash(l).ok).toBe(true);
    expect(c.crash(l).ok).toBe(false); // already crashed
    const crashed = c.status(l);
    expect(crashed).toMatchObject({ crashed: true, role: 'follower', term: before.term, log: before.log });
    expect(c.restart(l).ok).toBe(true);
    const after = c.status(l);
    expect(after).toMatchObject({ crashed: false, role: 'follower', term: before.term, vote: before.vote, log: before.log, commitIndex: before.commitIndex });
    expect(c.applied(l)).toHaveLength(before.appliedIndex);
  });

  it('returns errors for unknown members instead of throwing', () => {
    const c = new RaftCluster({ members: 3, seed: 6 });
    expect(c.crash(4)).toMatchObject({ ok: false });
    expect(c.restart(0)).toMatchObject({ ok: false });
    expect(c.partition([[1, 2], [2, 3]])).toMatchObject({ ok: false });
    expect(c.partition([[1, 9]])).toMatchObject({ ok: false });
  });

  it('a member that fell behind the compacted log catches up by snapshot', () => {
    const c = new RaftCluster({ members: 3, seed: 7, snapshotCount: 10, snapshotCatchUpEntries: 2 });
    const l = elect(c);
    const lagging = l === 3 ? 2 : 3;
    c.crash(lagging);
    for (let i = 0; i < 40; i++) c.propose(`w${i}`);
    c.tick(10);
    expect(c.status(l).snapshotIndex).toBeGreaterThan(c.status(lagging).lastIndex);
    const traces: string[] = [];
    c.onTrace((t) => traces.push(t.kind));
    c.restart(lagging);
    c.tick(30);
    expect(traces).toContain('snapshot-sent');
    expect(traces).toContain('snapshot-installed');
    expect(c.status(lagging).commitIndex).toBe(c.status(l).commitIndex);
    expect(c.applied(lagging)).toEqual(c.applied(l));
  });
});

describe('PreVote and CheckQuorum', () => {
  it('with PreVote a partitioned follower does not inflate its term; without it, it does', () => {
    for (const preVote of [true, false]) {
      const c = new RaftCluster({ members: 3, seed: 8, preVote });
      const l = elect(c);
      c.tick(3);
      const f = l === 1 ? 2 : 1;
      const term = c.status(f).term;
      c.partition([[f]]);
      c.tick(200);
      if (preVote) expect(c.status(f).term).toBe(term);
      else expect(c.status(f).term).toBeGreaterThan(term + 3);
    }
  });

  it('with CheckQuorum an isolated leader steps down within two election timeouts; without it, it stays leader', () => {
    for (const checkQuorum of [true, false]) {
      const c = new RaftCluster({ members: 3, seed: 9, checkQuorum });
      const l = elect(c);
      c.partition([[l]]);
      c.tick(2 * c.electionTicks + 1);
      expect(c.status(l).role === 'leader').toBe(!checkQuorum);
    }
  });
});

describe('determinism and hooks', () => {
  it('same seed, same run; different seed, different run', () => {
    const trace = (seed: number) => {
      const c = new RaftCluster({ members: 5, seed, dropRate: 0.05, duplicateRate: 0.05, delayTicks: [0, 3] });
      const out: string[] = [];
      for (let t = 0; t < 300; t++) {
        c.tick(1);
        if (t % 20 === 0) c.propose(`t${t}`);
        if (t === 100) c.crash(c.leader() ?? 1);
        out.push([1, 2, 3, 4, 5].map((id) => { const s = c.status(id); return `${s.role[0]}${s.term}.${s.commitIndex}`; }).join(','));
      }
      return out;
    };
    expect(trace(11)).toEqual(trace(11));
    expect(trace(11)).not.toEqual(trace(12));
  });

  it('onApply reports every applied entry, per member, in index order', () => {
    const c = new RaftCluster({ members: 3, seed: 10 });
    const seen = new Map<number, number[]>();
    const off = c.onApply((e: ApplyEvent) => {
      if (e.kind !== 'entries') return;
      const xs = seen.get(e.member) ?? [];
      xs.push(...e.entries.map((x) => x.index));
      seen.set(e.member, xs);
    });
    elect(c);
    for (let i = 0; i < 5; i++) c.propose(`k${i}`);
    c.tick(10);
    off();
    for (const id of [1, 2, 3]) expect(seen.get(id)).toEqual(c.applied(id).map((e) => e.index));
  });

  it('the invariant checker stays quiet on a healthy run and sees the leaders per term', () => {
    const c = new RaftCluster({ members: 3, seed: 12 });
    const ch = new RaftInvariantChecker(c);
    for (let t = 0; t < 200; t++) {
      c.tick(1);
      if (t === 100) c.crash(c.leader() ?? 1);
      ch.observe();
    }
    expect(ch.violations).toEqual([]);
    expect(ch.leadersByTerm().size).toBeGreaterThanOrEqual(2);
  });
});
