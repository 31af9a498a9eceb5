/**
 * The Raft state machine stepped by hand, one message at a time. Tables
 * follow etcd-io/raft `raft_paper_test.go` (TestVoter, TestLeaderOnlyCommitsLogFromCurrentTerm)
 * and the reject-hint examples in `raft.go` stepLeader (main at 00db8d31).
 */
import { describe, expect, it } from 'vitest';
import { MemoryStorage, Prng, Raft, RawNode, newMessage, committedIndex, voteResult, Progress, Inflights } from '../../src/index.ts';
import type { RaftEntry, RaftMessage } from '../../src/index.ts';

function ents(first: number, ...terms: number[]): RaftEntry[] {
  return terms.map((term, k) => ({ index: first + k, term, data: `e${first + k}` }));
}

function newTestRaft(id: number, voters: number[], storage = new MemoryStorage(), opts: { preVote?: boolean; checkQuorum?: boolean } = {}): Raft {
  return new Raft({
    id, voters, electionTicks: 10, heartbeatTicks: 1, storage,
    maxSizePerMsgBytes: Number.MAX_SAFE_INTEGER, maxInflightMsgs: 256,
    checkQuorum: opts.checkQuorum ?? false, preVote: opts.preVote ?? false, prng: new Prng(id),
  });
}

/** Messages to other members (sent now or after persisting); clears both queues, stepping self-addressed ones like Advance does. */
function readMessages(r: Raft): RaftMessage[] {
  const out = [...r.msgs];
  const self: RaftMessage[] = [];
  for (const m of r.msgsAfterAppend) (m.to === r.id ? self : out).push(m);
  r.msgs = [];
  r.msgsAfterAppend = [];
  for (const m of self) r.step(m);
  return out;
}

describe('TestVoter (raft_paper_test.go, Raft §5.4.1)', () => {
  const table: [RaftEntry[], number, number, boolean][] = [
    // same logterm
    [ents(1, 1), 1, 1, false],
    [ents(1, 1), 1, 2, false],
    [ents(1, 1, 1), 1, 1, true],
    // candidate higher logterm
    [ents(1, 1), 2, 1, false],
    [ents(1, 1), 2, 2, false],
    [ents(1, 1, 1), 2, 1, false],
    // voter higher logterm
    [ents(1, 2), 1, 1, true],
    [ents(1, 2), 1, 2, true],
    [ents(1, 2, 1), 1, 1, true],
  ];
  it.each(table.map((row, i) => [i, ...row] as const))('case %i', (_i, log, logTerm, index, wreject) => {
    const storage = new MemoryStorage();
    storage.append(log);
    const r = newTestRaft(1, [1, 2], storage);
    r.step(newMessage('MsgVote', { from: 2, to: 1, term: 3, logTerm, index }));
    const msgs = readMessages(r);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.type).toBe('MsgVoteResp');
    expect(msgs[0]!.reject).toBe(wreject);
    expect(r.vote).toBe(wreject ? 0 : 2);
  });
});

describe('TestLeaderOnlyCommitsLogFromCurrentTerm (raft_paper_test.go, Raft §5.4.2)', () => {
  // [acked index from member 2, wanted commit]
  const table: [number, number][] = [
    [1, 0], // do not commit log entries in previous terms
    [2, 0],
    [3, 3], // commit log in current term
  ];
  it.each(table)('ack up to %i commits %i', (index, wcommit) => {
    const storage = new MemoryStorage();
    storage.append(ents(1, 1, 2));
    storage.setHardState({ term: 2, vote: 0, commit: 0 });
    const r = newTestRaft(1, [1, 2], storage);
    // become leader at term 3
    r.becomeCandidate();
    r.becomeLeader();
    readMessages(r);
    // propose an entry in the current term
    r.step(newMessage('MsgProp', { from: 1, to: 1, entries: [{ index: 0, term: 0, data: 'x' }] }));
    readMessages(r);
    r.step(newMessage('MsgAppResp', { from: 2, to: 1, term: r.term, index }));
    expect(r.raftLog.committed).toBe(wcommit);
  });
});

describe('elections on a single state machine', () => {
  it('a lone member elects itself after its randomized timeout, in [electionTicks, 2*electionTicks)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const storage = new MemoryStorage();
      const r = new Raft({ id: 1, voters: [1], electionTicks: 10, heartbeatTicks: 1, storage, maxSizePerMsgBytes: 1 << 20, maxInflightMsgs: 8, checkQuorum: true, preVote: true, prng: new Prng(seed) });
      const node = new RawNode(r);
      let ticks = 0;
      const drain = () => {
        while (node.hasReady()) {
          const rd = node.ready();
          storage.append(rd.entries); // persist before advance: the Ready contract
          if (rd.hardState) storage.setHardState(rd.hardState);
          node.advance();
        }
      };
      while (r.state !== 'leader' && ticks < 100) {
        node.tick();
        ticks++;
        drain();
      }
      drain();
      expect(r.state).toBe('leader');
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(ticks).toBeLessThan(20);
      expect(r.term).toBe(1);
      // The new leader's empty entry commits at once (a quorum of one).
      expect(r.raftLog.committed).toBe(1);
    }
  });

  it('PreVote asks for term+1 without bumping its own term', () => {
    const r = newTestRaft(1, [1, 2, 3], new MemoryStorage(), { preVote: true });
    r.step(newMessage('MsgHup'));
    expect(r.state).toBe('pre-candidate');
    expect(r.term).toBe(0);
    const msgs = readMessages(r);
    expect(msgs.map((m) => [m.type, m.to, m.term])).toEqual([['MsgPreVote', 2, 1], ['MsgPreVote', 3, 1]]);
    // One granted pre-vote plus our own makes a majority: now the real election at term 1.
    r.step(newMessage('MsgPreVoteResp', { from: 2, to: 1, term: 1 }));
    expect(r.state).toBe('candidate');
    expect(r.term).toBe(1);
    expect(r.vote).toBe(1);
  });

  it('a rejected pre-vote majority sends the pre-candidate back to follower at its own term', () => {
    const r = newTestRaft(1, [1, 2, 3], new MemoryStorage(), { preVote: true });
    r.step(newMessage('MsgHup'));
    readMessages(r);
    r.step(newMessage('MsgPreVoteResp', { from: 2, to: 1, term: 0, reject: true }));
    r.step(newMessage('MsgPreVoteResp', { from: 3, to: 1, term: 0, reject: true }));
    expect(r.state).toBe('follower');
    expect(r.term).toBe(0);
  });

  it('CheckQuorum: a follower that heard from its leader within the election timeout ignores vote requests', () => {
    const r = newTestRaft(2, [1, 2, 3], new MemoryStorage(), { checkQuorum: true });
    r.step(newMessage('MsgHeartbeat', { from: 1, to: 2, term: 1 }));
    expect(r.lead).toBe(1);
    readMessages(r);
    r.step(newMessage('MsgVote', { from: 3, to: 2, term: 2, index: 0, logTerm: 0 }));
    expect(r.term).toBe(1); // not even the term moved
    expect(readMessages(r)).toHaveLength(0);
  });

  it('CheckQuorum: a leader that heard from nobody for an election timeout steps down', () => {
    const r = newTestRaft(1, [1, 2, 3], new MemoryStorage(), { checkQuorum: true });
    r.becomeCandidate();
    r.becomeLeader();
    for (let i = 0; i < 2 * r.electionTimeout; i++) r.tick();
    expect(r.state).toBe('follower');
    expect(r.term).toBe(1);
  });

  it('a stale leader is answered with the higher term and steps down when it hears it', () => {
    const follower = newTestRaft(2, [1, 2, 3], new MemoryStorage(), { checkQuorum: true, preVote: true });
    follower.becomeFollower(5, 3);
    follower.step(newMessage('MsgHeartbeat', { from: 1, to: 2, term: 3 }));
    const [resp] = readMessages(follower);
    expect(resp).toMatchObject({ type: 'MsgAppResp', to: 1, term: 5 });
    const old = newTestRaft(1, [1, 2, 3]);
    old.becomeFollower(3, 0);
    old.becomeCandidate();
    old.becomeLeader();
    old.step(resp!);
    expect(old.state).toBe('follower');
    expect(old.term).toBe(5);
  });
});

describe('log replication and conflict resolution', () => {
  it('follower rejects a MsgApp whose (prev index, prev term) it lacks, with the hint from findConflictByTerm', () => {
    // raft.go stepLeader comment: follower 1 3 3 4 4 5 5 5 6, leader probes at (index 8, term 3).
    const storage = new MemoryStorage();
    storage.append([1, 3, 3, 4, 4, 5, 5, 5, 6].map((term, k) => ({ index: k + 1, term, data: null })));
    const r = newTestRaft(2, [1, 2], storage);
    r.step(newMessage('MsgApp', { from: 1, to: 2, term: 7, index: 8, logTerm: 3, commit: 0 }));
    const [resp] = readMessages(r);
    expect(resp).toMatchObject({ type: 'MsgAppResp', reject: true, index: 8, rejectHint: 3, logTerm: 3 });
  });

  it('leader skips a whole divergent term per round trip (raft.go: leader 1 3 3 3 5 5 5 5 5, follower 1 1 1 1 2 2)', () => {
    const storage = new MemoryStorage();
    storage.append([1, 3, 3, 3, 5, 5, 5, 5, 5].map((term, k) => ({ index: k + 1, term, data: null })));
    storage.setHardState({ term: 5, vote: 0, commit: 0 });
    const leader = newTestRaft(1, [1, 2], storage);
    leader.becomeCandidate();
    leader.becomeLeader(); // appends index 10 at term 6
    readMessages(leader);
    const fStorage = new MemoryStorage();
    fStorage.append([1, 1, 1, 1, 2, 2].map((term, k) => ({ index: k + 1, term, data: null })));
    const follower = newTestRaft(2, [1, 2], fStorage);
    // Deliver leader <-> follower messages until quiet; count the rejections.
    let rejections = 0;
    let queue: RaftMessage[] = [newMessage('MsgHeartbeatResp', { from: 2, to: 1, term: leader.term })];
    for (let round = 0; round < 20 && queue.length > 0; round++) {
      const next: RaftMessage[] = [];
      for (const m of queue) {
        const dst = m.to === 1 ? leader : follower;
        if (m.type === 'MsgAppResp' && m.reject) rejections++;
        dst.step(m);
        next.push(...readMessages(dst));
      }
      queue = next.filter((m) => m.type !== 'MsgHeartbeat');
    }
    // First probe at 9 is rejected with hint (6, term 2); the leader jumps to index 1 (term 1 <= 2) and succeeds.
    expect(rejections).toBe(1);
    expect(follower.raftLog.allEntries().map((e) => e.term)).toEqual([1, 3, 3, 3, 5, 5, 5, 5, 5, 6]);
    expect(leader.prs.get(2)!.match).toBe(10);
    expect(leader.raftLog.committed).toBe(10);
  });

  it('a follower truncates its uncommitted divergent suffix and takes the leader entries', () => {
    const st = new MemoryStorage();
    st.append(ents(1, 1, 1, 2, 2));
    const r = newTestRaft(2, [1, 2, 3], st);
    r.step(newMessage('MsgApp', { from: 1, to: 2, term: 3, index: 2, logTerm: 1, entries: ents(3, 3), commit: 3 }));
    expect(r.raftLog.allEntries().map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 1], [3, 3]]);
    expect(r.raftLog.committed).toBe(3);
    expect(readMessages(r)[0]).toMatchObject({ type: 'MsgAppResp', reject: false, index: 3 });
  });

  it('heartbeats never move a follower commit index past what the leader knows it matched', () => {
    const r = newTestRaft(1, [1, 2]);
    r.becomeCandidate();
    r.becomeLeader();
    r.step(newMessage('MsgProp', { from: 1, entries: [{ index: 0, term: 0, data: 'a' }] }));
    readMessages(r);
    r.step(newMessage('MsgAppResp', { from: 2, to: 1, term: 1, index: 2 }));
    expect(r.raftLog.committed).toBe(2);
    r.prs.get(2)!.match = 1;
    r.step(newMessage('MsgBeat'));
    const hb = readMessages(r).find((m) => m.type === 'MsgHeartbeat')!;
    expect(hb.commit).toBe(1);
  });
});

describe('quorum (quorum/majority.go)', () => {
  it.each([
    [[1], [5], 5],
    [[1, 2, 3], [5, 3, 1], 3],
    [[1, 2, 3], [5, 0, 0], 0],
    [[1, 2, 3, 4], [4, 4, 2, 2], 2],
    [[1, 2, 3, 4, 5], [9, 8, 7, 1, 1], 7],
  ])('voters %j acked %j commits %i', (voters, acked, want) => {
    expect(committedIndex(voters, (id) => acked[voters.indexOf(id)]!)).toBe(want);
  });

  it('vote results', () => {
    const v = (pairs: [number, boolean][]) => voteResult([1, 2, 3, 4, 5], new Map(pairs));
    expect(v([[1, true], [2, true]])).toBe('VotePending');
    expect(v([[1, true], [2, true], [3, true]])).toBe('VoteWon');
    expect(v([[1, false], [2, false], [3, false]])).toBe('VoteLost');
    expect(v([[1, true], [2, false], [3, false], [4, true]])).toBe('VotePending');
  });
});

describe('Progress flow control (tracker/progress.go)', () => {
  it('replicate state pipelines up to the in-flight window, then pauses', () => {
    const pr = new Progress(1, 2);
    pr.becomeReplicate();
    pr.sentEntries(3);
    expect(pr.next).toBe(4);
    expect(pr.isPaused()).toBe(false);
    pr.sentEntries(1);
    expect(pr.inflights.full()).toBe(true);
    expect(pr.isPaused()).toBe(true);
    expect(pr.maybeUpdate(3)).toBe(true);
    pr.inflights.freeLE(3);
    expect(pr.isPaused()).toBe(false);
    expect(pr.maybeUpdate(2)).toBe(false); // stale ack
  });

  it('probe state sends one message, then waits; a rejection lowers next using the hint', () => {
    const pr = new Progress(10, 4);
    pr.match = 2;
    pr.sentEntries(1);
    expect(pr.isPaused()).toBe(true);
    expect(pr.maybeDecrTo(8, 5)).toBe(false); // not the probe we sent (next-1 = 9)
    expect(pr.maybeDecrTo(9, 5)).toBe(true);
    expect(pr.next).toBe(6);
    expect(pr.isPaused()).toBe(false);
  });

  it('snapshot state is always paused; back to probe after the snapshot index', () => {
    const pr = new Progress(3, 4);
    pr.becomeSnapshot(50);
    expect(pr.isPaused()).toBe(true);
    pr.becomeProbe();
    expect(pr.next).toBe(51);
  });

  it('inflights frees everything at or below an acked index', () => {
    const inf = new Inflights(3);
    inf.add(2);
    inf.add(5);
    inf.add(9);
    expect(inf.full()).toBe(true);
    inf.freeLE(5);
    expect(inf.count()).toBe(1);
    inf.freeLE(100);
    expect(inf.count()).toBe(0);
  });
});
