/**
 * Scripted scenarios in the style of etcd-io/raft `testdata/*.txt`
 * (checkquorum.txt, prevote.txt, slow_follower_after_compaction.txt): each
 * script is run by runRaftScript and the resulting view is checked. Member
 * ids depend on the seed, so the scripts say `leader` and the assertions
 * read ids from the frames.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RAFT_SCRIPT, runRaftScript } from '../../src/index.ts';
import type { RaftRunView, RaftFrame } from '../../src/index.ts';

function run(script: string, seed = 1): RaftRunView {
  const r = runRaftScript(script, { seed });
  if (!r.ok) throw new Error(r.errors.map((e) => `line ${e.line}:${e.column} ${e.message}`).join('\n'));
  expect(r.value.violations).toEqual([]);
  return r.value;
}

/** The frame of the first command whose text starts with `prefix` (after `from`). */
function frameOf(v: RaftRunView, prefix: string, from = 0): RaftFrame {
  const f = v.frames.slice(from).find((x) => x.command.startsWith(prefix));
  expect(f, `no frame for "${prefix}"`).toBeDefined();
  return f!;
}

const dataOf = (v: RaftRunView, id: number) => v.finalLogs[id - 1]!.entries.map((e) => e.data).filter((d) => d !== null);

describe('scenario: elect', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: one leader, everyone in its term, its empty entry committed', (seed) => {
    const v = run(`members 3\ntick until leader\ntick 10\n`, seed);
    const last = v.frames[v.frames.length - 1]!;
    expect(last.leader).not.toBeNull();
    const leaders = last.members.filter((m) => m.role === 'leader');
    expect(leaders).toHaveLength(1);
    for (const m of last.members) {
      expect(m.term).toBe(leaders[0]!.term);
      expect(m.commitIndex).toBeGreaterThanOrEqual(1);
    }
    expect(v.events.some((e) => e.kind === 'became-leader' && e.member === last.leader)).toBe(true);
  });
});

describe('scenario: replicate', () => {
  it('entries proposed to the leader reach every log, commit and apply in order', () => {
    const v = run(`members 3\ntick until leader\npropose a\npropose b\npropose c\ntick 10\n`);
    for (const id of [1, 2, 3]) expect(dataOf(v, id)).toEqual(['a', 'b', 'c']);
    const commits = v.frames[v.frames.length - 1]!.members.map((m) => m.commitIndex);
    expect(new Set(commits).size).toBe(1);
    // Committed together in one term: one event for the run of indexes.
    const committed = v.events.filter((e) => e.kind === 'committed');
    expect(committed).toHaveLength(1);
    expect(committed[0]!.toIndex! - committed[0]!.index!).toBe(2);
    expect(committed[0]!.text).toMatch(/"a" … "c"/);
  });
});

const PARTITION_LEADER = `members 5
tick until leader
propose before
tick 5
partition leader
propose doomed
tick 60
status
`;

describe('scenario: partition the leader', () => {
  it.each([1, 2, 3])('seed %i: the old leader cannot commit; the majority elects a new leader with a higher term', (seed) => {
    const v = run(PARTITION_LEADER, seed);
    const cut = frameOf(v, 'partition');
    const old = cut.leader!;
    const oldTerm = cut.members[old - 1]!.term;
    const end = frameOf(v, 'status');
    expect(end.leader).not.toBeNull();
    expect(end.leader).not.toBe(old);
    expect(end.members[end.leader! - 1]!.term).toBeGreaterThan(oldTerm);
    // The doomed entry sits in the old leader's log, never committed.
    const doomed = frameOf(v, 'propose doomed');
    expect(doomed.outcome).toContain(`accepted by leader ${old}`);
    const doomedIndex = Number(/index (\d+)/.exec(doomed.outcome)![1]);
    expect(end.members[old - 1]!.commitIndex).toBeLessThan(doomedIndex);
    expect(v.events.some((e) => e.kind === 'committed' && e.text.includes('doomed'))).toBe(false);
    // CheckQuorum: the isolated leader stepped down on its own, without hearing the new term.
    expect(v.events.some((e) => e.kind === 'stepped-down' && e.member === old && e.term === oldTerm)).toBe(true);
    expect(end.members[old - 1]!.role).not.toBe('leader');
    expect(end.members[old - 1]!.term).toBe(oldTerm); // PreVote kept its term from growing
  });
});

describe('scenario: heal', () => {
  it.each([1, 2, 3])('seed %i: the old leader follows the new term and its uncommitted entry is overwritten', (seed) => {
    const v = run(PARTITION_LEADER + 'heal\npropose after\ntick 30\n', seed);
    const old = frameOf(v, 'partition').leader!;
    const end = v.frames[v.frames.length - 1]!;
    expect(end.members[old - 1]!.role).toBe('follower');
    expect(end.members[old - 1]!.term).toBe(end.members[end.leader! - 1]!.term);
    expect(dataOf(v, old)).not.toContain('doomed');
    expect(v.events.some((e) => e.kind === 'overwritten' && e.text.includes('"doomed"'))).toBe(true);
    for (const id of [1, 2, 3, 4, 5]) expect(v.finalLogs[id - 1]!.entries).toEqual(v.finalLogs[0]!.entries);
  });
});

describe('scenario: conflicting logs resolved', () => {
  const BEFORE_HEAL = `members 3
tick until leader
tick 3
partition leader
propose x1
propose x2
propose x3
tick 50
propose y1
propose y2
tick 5
`;
  it.each([1, 2, 3, 4])('seed %i: divergent suffixes exist, then the new leader overwrites the old one', (seed) => {
    const before = run(BEFORE_HEAL, seed);
    const old = frameOf(before, 'partition').leader!;
    const neu = before.frames[before.frames.length - 1]!.leader!;
    expect(neu).not.toBe(old);
    const oldLog = before.finalLogs[old - 1]!.entries;
    const newLog = before.finalLogs[neu - 1]!.entries;
    const x1 = oldLog.find((e) => e.data === 'x1')!;
    const clash = newLog.find((e) => e.index === x1.index)!;
    expect(clash.term).toBeGreaterThan(x1.term); // same index, different term: a conflict
    const after = run(BEFORE_HEAL + 'heal\ntick 30\n', seed);
    for (const id of [1, 2, 3]) {
      expect(dataOf(after, id)).toEqual(expect.arrayContaining(['y1', 'y2']));
      expect(dataOf(after, id).filter((d) => d.startsWith('x'))).toEqual([]);
      expect(after.finalLogs[id - 1]!.entries).toEqual(after.finalLogs[neu - 1]!.entries);
    }
    expect(after.events.filter((e) => e.kind === 'overwritten')).toHaveLength(3);
  });
});

describe('scenario: snapshot catch-up of a lagging member', () => {
  it.each([1, 2, 3])('seed %i: a restarted member behind the compacted log installs a snapshot', (seed) => {
    const v = run(`members 3 snapshotCount=10 catchUpEntries=2
tick until leader
tick 3
crash leader
tick until leader
propose-many 30 w
tick 10
restart all
tick 30
`, seed);
    const lagging = frameOf(v, 'crash').members.find((m) => m.crashed)!.id;
    expect(v.events.some((e) => e.kind === 'compacted')).toBe(true);
    expect(v.events.some((e) => e.kind === 'snapshot-sent')).toBe(true);
    expect(v.events.some((e) => e.kind === 'snapshot-installed' && e.member === lagging)).toBe(true);
    const end = v.frames[v.frames.length - 1]!;
    expect(end.members[lagging - 1]!.commitIndex).toBe(end.members[end.leader! - 1]!.commitIndex);
    const mine = v.finalLogs[lagging - 1]!;
    const leaders = v.finalLogs[end.leader! - 1]!.entries;
    expect(mine.snapshotIndex).toBeGreaterThanOrEqual(leaders[0]!.index - 1);
    // What the lagging member holds after its snapshot is the tail of the leader's log.
    expect(leaders.slice(leaders.length - mine.entries.length)).toEqual(mine.entries);
  });
});

describe('scenario: a minority cannot elect a leader', () => {
  it('two of five members never get a leader; the other three do', () => {
    const v = run(`members 5\npartition 1 2 | 3 4 5\ntick 300\n`);
    const end = v.frames[v.frames.length - 1]!;
    expect(end.leader).not.toBeNull();
    expect([3, 4, 5]).toContain(end.leader);
    expect(end.members[0]!.role).not.toBe('leader');
    expect(end.members[1]!.role).not.toBe('leader');
    // PreVote: the minority never even raises its term.
    expect(end.members[0]!.term).toBe(0);
  });
});

describe('DEFAULT_RAFT_SCRIPT tells its story for any seed', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('seed %i', (seed) => {
    const v = run(DEFAULT_RAFT_SCRIPT, seed);
    const crash = frameOf(v, 'crash leader');
    const crashed = crash.members.find((m) => m.crashed)!;
    expect(crashed).toBeDefined();
    const reElected = v.frames[v.frames.indexOf(crash) + 1]!;
    expect(reElected.leader).not.toBeNull();
    expect(reElected.members[reElected.leader! - 1]!.term).toBeGreaterThan(crashed.term);
    expect(v.events.some((e) => e.kind === 'snapshot-installed' && e.member === crashed.id)).toBe(true);
    expect(v.events.some((e) => e.kind === 'overwritten' && e.text.includes('lost-write'))).toBe(true);
    expect(v.leadersByTerm.length).toBeGreaterThanOrEqual(3);
    const end = v.frames[v.frames.length - 1]!;
    expect(new Set(end.members.map((m) => m.commitIndex)).size).toBe(1);
  });
});
