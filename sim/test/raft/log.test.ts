/**
 * RaftLog / MemoryStorage / Unstable, with tables taken from etcd-io/raft
 * `log_test.go` (main at 0794e08b): TestFindConflict, TestFindConflictByTerm,
 * TestIsUpToDate, TestAppend, TestLogMaybeAppend.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStorage, RaftLog, InvariantError } from '../../src/index.ts';
import type { RaftEntry } from '../../src/index.ts';

/** index(i).terms(t1, t2, ...) from upstream's test helpers. */
function ents(first: number, ...terms: number[]): RaftEntry[] {
  return terms.map((term, k) => ({ index: first + k, term, data: `e${first + k}.${term}` }));
}

function logWith(entries: RaftEntry[]): RaftLog {
  const l = new RaftLog(new MemoryStorage());
  l.append(entries);
  return l;
}

describe('RaftLog.findConflict (log_test.go TestFindConflict)', () => {
  const previous = ents(1, 1, 2, 3);
  const table: [RaftEntry[], number][] = [
    [[], 0],
    [ents(1, 1, 2, 3), 0],
    [ents(2, 2, 3), 0],
    [ents(3, 3), 0],
    [ents(1, 1, 2, 3, 4, 4), 4],
    [ents(2, 2, 3, 4, 5), 4],
    [ents(3, 3, 4, 4), 4],
    [ents(4, 4, 4), 4],
    [ents(1, 4, 4), 1],
    [ents(2, 1, 4, 4), 2],
    [ents(3, 1, 2, 4, 4), 3],
  ];
  it.each(table.map((row, i) => [i, ...row] as const))('case %i', (_i, given, want) => {
    expect(logWith(previous).findConflict(given)).toBe(want);
  });
});

describe('RaftLog.findConflictByTerm (log_test.go TestFindConflictByTerm)', () => {
  // [snapshot index, snapshot term, terms after it, probe index, probe term, want index]
  const table: [number, number, number[], number, number, number][] = [
    [0, 0, [2, 2, 5, 5, 5], 100, 2, 100],
    [0, 0, [2, 2, 5, 5, 5], 5, 6, 5],
    [0, 0, [2, 2, 5, 5, 5], 5, 5, 5],
    [0, 0, [2, 2, 5, 5, 5], 5, 4, 2],
    [0, 0, [2, 2, 5, 5, 5], 5, 2, 2],
    [0, 0, [2, 2, 5, 5, 5], 5, 1, 0],
    [0, 0, [2, 2, 5, 5, 5], 1, 2, 1],
    [0, 0, [2, 2, 5, 5, 5], 1, 1, 0],
    [0, 0, [2, 2, 5, 5, 5], 0, 0, 0],
    [10, 3, [3, 3, 4, 4, 4], 30, 3, 30],
    [10, 3, [3, 3, 4, 4, 4], 14, 9, 14],
    [10, 3, [3, 3, 4, 4, 4], 14, 4, 14],
    [10, 3, [3, 3, 4, 4, 4], 14, 3, 12],
    [10, 3, [3, 3, 4, 4, 4], 14, 2, 9],
    [10, 3, [3, 3, 4, 4, 4], 11, 5, 11],
    [10, 3, [3, 3, 4, 4, 4], 10, 5, 10],
    [10, 3, [3, 3, 4, 4, 4], 10, 3, 10],
    [10, 3, [3, 3, 4, 4, 4], 10, 2, 9],
    [10, 3, [3, 3, 4, 4, 4], 9, 2, 9],
    [10, 3, [3, 3, 4, 4, 4], 4, 2, 4],
    [10, 3, [3, 3, 4, 4, 4], 0, 0, 0],
  ];
  it.each(table.map((row, i) => [i, ...row] as const))('case %i', (_i, snapIndex, snapTerm, terms, index, term, want) => {
    const st = new MemoryStorage();
    st.applySnapshot({ metadata: { index: snapIndex, term: snapTerm, confState: { voters: [1] } }, data: { applied: [] } });
    const l = new RaftLog(st);
    l.append(ents(snapIndex + 1, ...terms));
    const [gotIndex, gotTerm] = l.findConflictByTerm(index, term);
    expect(gotIndex).toBe(want);
    expect(gotTerm).toBe(Math.max(0, l.term(gotIndex)));
  });
});

describe('RaftLog.isUpToDate (log_test.go TestIsUpToDate)', () => {
  const l = logWith(ents(1, 1, 2, 3));
  const last = l.lastIndex();
  const table: [number, number, boolean][] = [
    // greater term, ignore lastIndex
    [last - 1, 4, true], [last, 4, true], [last + 1, 4, true],
    // smaller term, ignore lastIndex
    [last - 1, 2, false], [last, 2, false], [last + 1, 2, false],
    // equal term, equal or larger lastIndex wins
    [last - 1, 3, false], [last, 3, true], [last + 1, 3, true],
  ];
  it.each(table)('(index %i, term %i) up to date: %s', (index, term, want) => {
    expect(l.isUpToDate(index, term)).toBe(want);
  });
});

describe('RaftLog.append over stable storage (log_test.go TestAppend)', () => {
  const table: [RaftEntry[], number, number[], number][] = [
    [[], 2, [1, 2], 3],
    [ents(3, 2), 3, [1, 2, 2], 3],
    // conflicts with index 1
    [ents(1, 2), 1, [2], 1],
    // conflicts with index 2
    [ents(2, 3, 3), 3, [1, 3, 3], 2],
  ];
  it.each(table.map((row, i) => [i, ...row] as const))('case %i', (_i, given, windex, wterms, wunstable) => {
    const storage = new MemoryStorage();
    storage.append(ents(1, 1, 2));
    const l = new RaftLog(storage);
    expect(l.append(given)).toBe(windex);
    expect(l.entries(1, Number.MAX_SAFE_INTEGER)!.map((e) => e.term)).toEqual(wterms);
    expect(l.unstable.offset).toBe(wunstable);
  });
});

describe('RaftLog.maybeAppend (log_test.go TestLogMaybeAppend)', () => {
  const lastindex = 3;
  const lastterm = 3;
  const commit = 1;
  // [prevIndex, prevTerm, committed, new entries, wlasti (-1 = rejected), wcommit, wpanic]
  const table: [number, number, number, RaftEntry[], number, number, boolean][] = [
    // not match: term is different
    [lastindex, lastterm - 1, lastindex, ents(lastindex + 1, 4), -1, commit, false],
    // not match: index out of bound
    [lastindex + 1, lastterm, lastindex, ents(lastindex + 2, 4), -1, commit, false],
    // match with the last existing entry
    [lastindex, lastterm, lastindex, [], lastindex, lastindex, false],
    [lastindex, lastterm, lastindex + 1, [], lastindex, lastindex, false],
    [lastindex, lastterm, lastindex - 1, [], lastindex, lastindex - 1, false],
    [lastindex, lastterm, 0, [], lastindex, commit, false],
    [0, 0, lastindex, [], 0, commit, false],
    [lastindex, lastterm, lastindex, ents(lastindex + 1, 4), lastindex + 1, lastindex, false],
    [lastindex, lastterm, lastindex + 1, ents(lastindex + 1, 4), lastindex + 1, lastindex + 1, false],
    [lastindex, lastterm, lastindex + 2, ents(lastindex + 1, 4), lastindex + 1, lastindex + 1, false],
    [lastindex, lastterm, lastindex + 2, ents(lastindex + 1, 4, 4), lastindex + 2, lastindex + 2, false],
    // match with the entry in the middle
    [lastindex - 1, lastterm - 1, lastindex, ents(lastindex, 4), lastindex, lastindex, false],
    [lastindex - 2, lastterm - 2, lastindex, ents(lastindex - 1, 4), lastindex - 1, lastindex - 1, false],
    // conflict with existing committed entry
    [lastindex - 3, lastterm - 3, lastindex, ents(lastindex - 2, 4), lastindex - 2, lastindex - 2, true],
    [lastindex - 2, lastterm - 2, lastindex, ents(lastindex - 1, 4, 4), lastindex, lastindex, false],
  ];
  it.each(table.map((row, i) => [i, ...row] as const))('case %i', (_i, prevIndex, prevTerm, committed, given, wlasti, wcommit, wpanic) => {
    const l = logWith(ents(1, 1, 2, 3));
    l.committed = commit;
    if (wpanic) {
      expect(() => l.maybeAppend(prevIndex, prevTerm, committed, given)).toThrow(InvariantError);
      return;
    }
    expect(l.maybeAppend(prevIndex, prevTerm, committed, given)).toBe(wlasti);
    expect(l.committed).toBe(wcommit);
    if (wlasti >= 0 && given.length > 0) {
      expect(l.slice(l.lastIndex() - given.length + 1, l.lastIndex() + 1, Number.MAX_SAFE_INTEGER)).toEqual(given);
    }
  });
});

describe('RaftLog commit rules', () => {
  it('commits by counting only an entry of the given term (Raft §5.4.2)', () => {
    const l = logWith(ents(1, 1, 2, 2));
    expect(l.maybeCommit(2, 1)).toBe(false); // entry 2 is from term 2, not 1
    expect(l.committed).toBe(0);
    expect(l.maybeCommit(2, 2)).toBe(true);
    expect(l.committed).toBe(2);
    expect(l.maybeCommit(1, 1)).toBe(false); // never decreases
    expect(l.committed).toBe(2);
  });

  it('refuses to commit past the last index', () => {
    const l = logWith(ents(1, 1));
    expect(() => l.commitTo(5)).toThrow(InvariantError);
  });
});

describe('MemoryStorage: the WAL with snapshots and compaction', () => {
  it('compacts behind a snapshot and keeps the term of the entry just before firstIndex', () => {
    const st = new MemoryStorage();
    st.append(ents(1, 1, 1, 2, 2, 3));
    expect(st.createSnapshot(4, { voters: [1] }, { applied: [] })!.metadata.term).toBe(2);
    expect(st.compact(3)).toBe(true);
    expect(st.firstIndex()).toBe(4);
    expect(st.lastIndex()).toBe(5);
    expect(st.term(3)).toBe(2); // the dummy entry keeps its term for matching
    expect(st.term(2)).toBeLessThan(0); // compacted
    expect(st.entries(3, 6, Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(st.entries(4, 6, Number.MAX_SAFE_INTEGER)!.map((e) => e.index)).toEqual([4, 5]);
    expect(st.compact(3)).toBe(false); // already compacted
  });

  it('truncates a divergent suffix on append and ignores compacted prefixes', () => {
    const st = new MemoryStorage();
    st.append(ents(1, 1, 1, 1, 1));
    st.append(ents(3, 2, 2));
    expect(st.allEntries().map((e) => e.term)).toEqual([1, 1, 2, 2]);
    st.compact(2);
    st.append(ents(1, 1, 1, 2, 2, 2));
    expect(st.allEntries().map((e) => [e.index, e.term])).toEqual([[3, 2], [4, 2], [5, 2]]);
  });

  it('limits entries by size but always returns at least one', () => {
    const st = new MemoryStorage();
    st.append(ents(1, 1, 1, 1));
    expect(st.entries(1, 4, 0)!.length).toBe(1);
    expect(st.entries(1, 4, 2 * (16 + 4))!.length).toBe(2);
  });

  it('ignores an older snapshot', () => {
    const st = new MemoryStorage();
    const snap = (index: number) => ({ metadata: { index, term: 1, confState: { voters: [1] } }, data: { applied: [] } });
    expect(st.applySnapshot(snap(5))).toBe(true);
    expect(st.applySnapshot(snap(3))).toBe(false);
    expect(st.firstIndex()).toBe(6);
  });
});
