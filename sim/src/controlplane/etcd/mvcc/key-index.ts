/**
 * The history of one key as generations of revisions, each ended by a
 * tombstone (a delete). Follows etcd-io/etcd server/storage/mvcc/key_index.go
 * (main, v3.6): `put`, `tombstone`, `get(atRev)`, `since(rev)`, `compact(atRev)`.
 *
 * Invariants: the last generation is the live one (empty after a delete);
 * revisions inside a generation strictly increase; every non-last generation
 * ends with its tombstone revision.
 */
import { invariant } from '../../../core/invariant.ts';
import { revGreaterThan, type Revision } from './revision.ts';

export interface Generation {
  /** Number of puts in this generation (the key's `version` after the last one). */
  ver: number;
  /** Revision of the put that started the generation (the key's create_revision). */
  created: Revision;
  revs: Revision[];
}

const emptyGeneration = (): Generation => ({ ver: 0, created: { main: 0, sub: 0 }, revs: [] });

export class KeyIndex {
  readonly key: string;
  modified: Revision = { main: 0, sub: 0 };
  generations: Generation[] = [emptyGeneration()];

  constructor(key: string) {
    this.key = key;
  }

  isEmpty(): boolean {
    return this.generations.length === 1 && this.generations[0]!.revs.length === 0;
  }

  put(main: number, sub: number): void {
    const rev = { main, sub };
    if (!revGreaterThan(rev, this.modified)) invariant(false, `put ${main}_${sub} not after ${this.modified.main}_${this.modified.sub} on ${this.key}`);
    const g = this.generations[this.generations.length - 1]!;
    if (g.revs.length === 0) g.created = rev;
    g.revs.push(rev);
    g.ver++;
    this.modified = rev;
  }

  /** Records a delete; false (etcd's ErrRevisionNotFound) when the key is not live. */
  tombstone(main: number, sub: number): boolean {
    if (this.generations[this.generations.length - 1]!.revs.length === 0) return false;
    this.put(main, sub);
    this.generations.push(emptyGeneration());
    return true;
  }

  /** The revision visible at `atRev`, with create revision and version; undefined when the key did not exist then. */
  get(atRev: number): { modified: Revision; created: Revision; ver: number } | undefined {
    const g = this.findGeneration(atRev);
    if (!g) return undefined;
    const n = findRevisionIndex(g, atRev);
    if (n === -1) return undefined;
    return { modified: g.revs[n]!, created: g.created, ver: g.ver - (g.revs.length - n - 1) };
  }

  /** Revisions with main ≥ rev, keeping only the highest sub per main (what a watcher may see). */
  since(rev: number): Revision[] {
    const out: Revision[] = [];
    let last = 0;
    for (const g of this.generations) {
      for (const r of g.revs) {
        if (r.main < rev) continue;
        if (r.main === last) out[out.length - 1] = r;
        else out.push(r);
        last = r.main;
      }
    }
    return out;
  }

  /**
   * Drops revisions ≤ atRev except the largest one in the generation that
   * contains atRev, adding every kept revision to `available` (whose
   * backend rows survive compaction).
   */
  compact(atRev: number, available: Set<number>, keyOf: (r: Revision) => number): void {
    let genIdx = 0;
    let g = this.generations[0]!;
    while (genIdx < this.generations.length - 1) {
      const tomb = g.revs[g.revs.length - 1]!.main;
      if (tomb >= atRev) break;
      genIdx++;
      g = this.generations[genIdx]!;
    }
    const revIndex = findRevisionIndex(g, atRev);
    if (revIndex !== -1) available.add(keyOf(g.revs[revIndex]!));
    if (g.revs.length > 0 && revIndex !== -1) g.revs = g.revs.slice(revIndex);
    this.generations = this.generations.slice(genIdx);
  }

  private findGeneration(rev: number): Generation | undefined {
    const lastg = this.generations.length - 1;
    for (let cg = lastg; cg >= 0; cg--) {
      const g = this.generations[cg]!;
      if (g.revs.length === 0) continue;
      if (cg !== lastg && g.revs[g.revs.length - 1]!.main <= rev) return undefined;
      if (g.revs[0]!.main <= rev) return g;
    }
    return undefined;
  }
}

/** Index of the last revision with main ≤ atRev, or -1 (binary search, revs ascending). */
function findRevisionIndex(g: Generation, atRev: number): number {
  let lo = 0;
  let hi = g.revs.length - 1;
  let result = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (g.revs[mid]!.main <= atRev) {
      result = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return result;
}
