/**
 * The checkers must catch what they claim to: each property is broken on a
 * hand-made fake cluster and the checker has to name it.
 */
import { describe, expect, it } from 'vitest';
import { RaftInvariantChecker } from '../../src/index.ts';
import type { RaftEntry, RaftObservable, RaftRole } from '../../src/index.ts';

interface FakeMember {
  role: RaftRole;
  term: number;
  commitIndex: number;
  crashed?: boolean;
  log: RaftEntry[];
  applied?: RaftEntry[];
}

function fake(members: FakeMember[]): RaftObservable & { members: FakeMember[] } {
  return {
    members,
    get memberCount() { return members.length; },
    nowTicks: 0,
    status(id: number) {
      const m = members[id - 1]!;
      const last = m.log[m.log.length - 1];
      return { role: m.role, term: m.term, commitIndex: m.commitIndex, crashed: m.crashed ?? false, lastIndex: last?.index ?? 0, appliedIndex: m.applied?.length ?? 0, log: m.log };
    },
    applied(id: number, from = 1) {
      return (members[id - 1]!.applied ?? []).slice(from - 1);
    },
  };
}

const e = (index: number, term: number, data: string | null = `d${index}.${term}`): RaftEntry => ({ index, term, data });

describe('RaftInvariantChecker', () => {
  it('passes a consistent cluster', () => {
    const log = [e(1, 1), e(2, 1)];
    const c = fake([
      { role: 'leader', term: 1, commitIndex: 2, log, applied: log },
      { role: 'follower', term: 1, commitIndex: 1, log, applied: log.slice(0, 1) },
    ]);
    const ch = new RaftInvariantChecker(c);
    expect(ch.observe()).toEqual([]);
    expect(ch.ok).toBe(true);
  });

  it('election safety: two leaders in one term', () => {
    const c = fake([
      { role: 'leader', term: 2, commitIndex: 0, log: [] },
      { role: 'leader', term: 2, commitIndex: 0, log: [] },
    ]);
    expect(new RaftInvariantChecker(c).observe().map((v) => v.property)).toContain('election-safety');
  });

  it('election safety across time: a second leader for an old term later', () => {
    const c = fake([
      { role: 'leader', term: 2, commitIndex: 0, log: [] },
      { role: 'follower', term: 2, commitIndex: 0, log: [] },
    ]);
    const ch = new RaftInvariantChecker(c);
    ch.observe();
    c.members[0]!.role = 'follower';
    c.members[1]!.role = 'leader';
    expect(ch.observe().map((v) => v.property)).toEqual(['election-safety']);
  });

  it('log matching: same (index, term) but different history', () => {
    const c = fake([
      { role: 'follower', term: 3, commitIndex: 0, log: [e(1, 1, 'a'), e(2, 2)] },
      { role: 'follower', term: 3, commitIndex: 0, log: [e(1, 1, 'b'), e(2, 2)] },
    ]);
    expect(new RaftInvariantChecker(c).observe().map((v) => v.property)).toContain('log-matching');
  });

  it('leader completeness: a later leader missing a committed entry', () => {
    const c = fake([
      { role: 'leader', term: 1, commitIndex: 2, log: [e(1, 1), e(2, 1)] },
      { role: 'follower', term: 1, commitIndex: 2, log: [e(1, 1), e(2, 1)] },
      { role: 'follower', term: 1, commitIndex: 0, log: [e(1, 1)] },
    ]);
    const ch = new RaftInvariantChecker(c);
    expect(ch.observe()).toEqual([]);
    c.members[0]!.role = 'follower';
    c.members[2]! .role = 'leader';
    c.members[2]!.term = 2;
    expect(ch.observe().map((v) => v.property)).toContain('leader-completeness');
  });

  it('state machine safety: two members apply different entries at one index', () => {
    const c = fake([
      { role: 'follower', term: 1, commitIndex: 1, log: [], applied: [e(1, 1, 'x')] },
      { role: 'follower', term: 1, commitIndex: 1, log: [], applied: [e(1, 1, 'y')] },
    ]);
    expect(new RaftInvariantChecker(c).observe().map((v) => v.property)).toContain('state-machine-safety');
  });

  it('a committed entry that changes later is caught', () => {
    const c = fake([{ role: 'follower', term: 1, commitIndex: 1, log: [e(1, 1, 'x')] }]);
    const ch = new RaftInvariantChecker(c);
    ch.observe();
    c.members[0]!.log = [e(1, 2, 'z')];
    c.members[0]!.term = 2;
    expect(ch.observe().map((v) => v.property)).toContain('state-machine-safety');
  });

  it('term and commit index never go back', () => {
    const c = fake([{ role: 'follower', term: 3, commitIndex: 2, log: [e(1, 1), e(2, 1)] }]);
    const ch = new RaftInvariantChecker(c);
    ch.observe();
    c.members[0]!.term = 2;
    c.members[0]!.commitIndex = 1;
    expect(ch.observe().map((v) => v.property).sort()).toEqual(['commit-regression', 'term-regression']);
  });
});
