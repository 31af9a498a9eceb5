// The keyIndex example from the doc comment of etcd-io/etcd
// server/storage/mvcc/key_index.go (main, v3.6): put(1.0); put(2.0);
// tombstone(3.0); put(4.0); tombstone(5.0), then compact(2), (4), (5), (6).
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../../src/controlplane/etcd/mvcc/key-index.ts';
import { revKey } from '../../src/controlplane/etcd/mvcc/revision.ts';

function build(): KeyIndex {
  const ki = new KeyIndex('foo');
  ki.put(1, 0);
  ki.put(2, 0);
  expect(ki.tombstone(3, 0)).toBe(true);
  ki.put(4, 0);
  expect(ki.tombstone(5, 0)).toBe(true);
  return ki;
}

const shape = (ki: KeyIndex) => ki.generations.map((g) => g.revs.map((r) => r.main));

describe('keyIndex (etcd key_index.go)', () => {
  it('splits history into generations ended by tombstones', () => {
    expect(shape(build())).toEqual([[1, 2, 3], [4, 5], []]);
  });

  it('get(atRev) sees the revision, create revision and version at that time', () => {
    const ki = build();
    expect(ki.get(2)).toEqual({ modified: { main: 2, sub: 0 }, created: { main: 1, sub: 0 }, ver: 2 });
    expect(ki.get(3)).toBeUndefined(); // deleted at 3
    expect(ki.get(4)).toEqual({ modified: { main: 4, sub: 0 }, created: { main: 4, sub: 0 }, ver: 1 });
    expect(ki.get(5)).toBeUndefined();
    expect(ki.get(0)).toBeUndefined();
  });

  it('tombstone on a dead key is refused (ErrRevisionNotFound)', () => {
    expect(build().tombstone(6, 0)).toBe(false);
  });

  const table: [number, number[][], number[]][] = [
    [2, [[2, 3], [4, 5], []], [2]],
    [4, [[4, 5], []], [4]],
    [5, [[5], []], [5]],
    [6, [[]], []],
  ];
  for (const [atRev, generations, kept] of table) {
    it(`compact(${atRev}) keeps ${JSON.stringify(generations)}`, () => {
      const ki = build();
      const available = new Set<number>();
      ki.compact(atRev, available, revKey);
      expect(shape(ki)).toEqual(generations);
      expect([...available].map((k) => Math.floor(k / 2 ** 21))).toEqual(kept);
      expect(ki.isEmpty()).toBe(atRev === 6);
    });
  }

  it('since(rev) returns one revision per main revision', () => {
    expect(build().since(2).map((r) => r.main)).toEqual([2, 3, 4, 5]);
  });
});
