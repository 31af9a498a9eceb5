/**
 * A member's durable state: the WAL (hard state + log entries) and the latest
 * snapshot. Upstream: etcd-io/raft `storage.go` MemoryStorage (main); etcd's
 * server keeps the same content in `wal/` and `snap/` files and mirrors it in
 * a MemoryStorage. In the sim it is simply the part of a member that survives
 * `crash()`.
 *
 * Layout (as upstream): ents[0] is a dummy entry standing for the snapshot
 * (its index and term are the snapshot's), real entries follow it, so
 * firstIndex = ents[0].index + 1 and lastIndex = ents[0].index + ents.length - 1.
 */
import { invariant } from '../../../core/invariant.ts';
import { EMPTY_HARD_STATE, EMPTY_SNAPSHOT, entryEncodingSize } from './types.ts';
import type { ConfState, Entry, HardState, Snapshot, SnapshotData } from './types.ts';

/** storage.go ErrCompacted / ErrUnavailable as sentinel terms (never valid terms). */
export const TERM_COMPACTED = -1;
export const TERM_UNAVAILABLE = -2;

export class MemoryStorage {
  hardState: HardState = EMPTY_HARD_STATE;
  #snapshot: Snapshot = EMPTY_SNAPSHOT;
  #ents: Entry[] = [{ index: 0, term: 0, data: null }];

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.hardState, confState: this.#snapshot.metadata.confState };
  }

  setHardState(hs: HardState): void {
    this.hardState = hs;
  }

  firstIndex(): number {
    return this.#ents[0]!.index + 1;
  }

  lastIndex(): number {
    return this.#ents[0]!.index + this.#ents.length - 1;
  }

  /** Term of entry i: valid for [firstIndex-1, lastIndex], else a TERM_* sentinel. */
  term(i: number): number {
    const offset = this.#ents[0]!.index;
    if (i < offset) return TERM_COMPACTED;
    if (i - offset >= this.#ents.length) return TERM_UNAVAILABLE;
    return this.#ents[i - offset]!.term;
  }

  /**
   * Entries [lo, hi), at most maxSizeBytes in total but always at least one.
   * Returns null when lo has been compacted away. hi must be <= lastIndex + 1.
   */
  entries(lo: number, hi: number, maxSizeBytes: number): Entry[] | null {
    const offset = this.#ents[0]!.index;
    if (lo <= offset) return null;
    if (!(hi <= this.lastIndex() + 1)) invariant(false, `entries' hi(${hi}) is out of bound lastindex(${this.lastIndex()})`);
    return limitSize(this.#ents.slice(lo - offset, hi - offset), maxSizeBytes);
  }

  snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** Replaces everything with the snapshot (a follower catching up). False if it is older than ours. */
  applySnapshot(snap: Snapshot): boolean {
    if (this.#snapshot.metadata.index >= snap.metadata.index) return false;
    this.#snapshot = snap;
    this.#ents = [{ index: snap.metadata.index, term: snap.metadata.term, data: null }];
    return true;
  }

  /** Records a snapshot of the state machine at applied index i (<= lastIndex). */
  createSnapshot(i: number, confState: ConfState, data: SnapshotData): Snapshot | null {
    if (i <= this.#snapshot.metadata.index) return null;
    if (!(i <= this.lastIndex())) invariant(false, `snapshot ${i} is out of bound lastindex(${this.lastIndex()})`);
    const offset = this.#ents[0]!.index;
    this.#snapshot = { metadata: { index: i, term: this.#ents[i - offset]!.term, confState }, data };
    return this.#snapshot;
  }

  /** Discards entries before compactIndex (compactIndex itself becomes the dummy). */
  compact(compactIndex: number): boolean {
    const offset = this.#ents[0]!.index;
    if (compactIndex <= offset) return false;
    if (!(compactIndex <= this.lastIndex())) invariant(false, `compact ${compactIndex} is out of bound lastindex(${this.lastIndex()})`);
    const i = compactIndex - offset;
    const kept = this.#ents.slice(i);
    kept[0] = { index: this.#ents[i]!.index, term: this.#ents[i]!.term, data: null };
    this.#ents = kept;
    return true;
  }

  /**
   * Appends entries, first truncating any existing suffix they overwrite (a
   * follower's divergent tail). Entries must be contiguous with the log.
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const last = entries[0]!.index + entries.length - 1;
    if (last < first) return; // all already compacted
    let from = 0;
    if (first > entries[0]!.index) from = first - entries[0]!.index;
    const start = entries[from]!.index;
    const offset = start - this.#ents[0]!.index;
    if (!(offset <= this.#ents.length)) invariant(false, `missing log entry [last: ${this.lastIndex()}, append at: ${start}]`);
    if (offset < this.#ents.length) this.#ents.length = offset;
    for (let k = from; k < entries.length; k++) this.#ents.push(entries[k]!);
  }

  /** Entries currently held, firstIndex..lastIndex (a copy). */
  allEntries(): Entry[] {
    return this.#ents.slice(1);
  }
}

/** At most maxSizeBytes of entries, but never fewer than one (raft util.go limitSize). */
export function limitSize(ents: Entry[], maxSizeBytes: number): Entry[] {
  if (ents.length <= 1) return ents;
  let size = entryEncodingSize(ents[0]!);
  let limit = 1;
  for (; limit < ents.length; limit++) {
    size += entryEncodingSize(ents[limit]!);
    if (size > maxSizeBytes) break;
  }
  if (limit < ents.length) ents.length = limit;
  return ents;
}
