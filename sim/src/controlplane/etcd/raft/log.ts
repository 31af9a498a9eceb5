/**
 * The Raft log as one member sees it: stable entries in Storage, unstable
 * ones not yet persisted, and the committed / applying / applied cursors.
 * Upstream: etcd-io/raft `log.go` (main at 0b198cf1; maybeAppend/findConflict/
 * findConflictByTerm/isUpToDate/maybeCommit).
 *
 * Invariants: applied <= applying <= committed <= lastIndex; committed never
 * decreases; an entry at or below committed is never overwritten.
 */
import { invariant } from '../../../core/invariant.ts';
import { limitSize, TERM_COMPACTED, TERM_UNAVAILABLE } from './storage.ts';
import type { MemoryStorage } from './storage.ts';
import { Unstable } from './unstable.ts';
import type { Entry, Snapshot } from './types.ts';

export const NO_LIMIT = Number.MAX_SAFE_INTEGER;
const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

export class RaftLog {
  readonly storage: MemoryStorage;
  readonly unstable: Unstable;
  /** Highest index known to be stored on a quorum. */
  committed: number;
  /** Highest index handed to the application for applying. */
  applying: number;
  /** Highest index the application reported applied. */
  applied: number;

  constructor(storage: MemoryStorage) {
    this.storage = storage;
    const firstIndex = storage.firstIndex();
    this.unstable = new Unstable(storage.lastIndex() + 1);
    // Committed and applied start at the last compaction (the snapshot).
    this.committed = firstIndex - 1;
    this.applying = firstIndex - 1;
    this.applied = firstIndex - 1;
  }

  /**
   * The follower side of AppendEntries: if our log has (prevIndex, prevTerm),
   * drop any conflicting suffix, append what is new, and commit up to
   * min(commit, last new index). Returns the last new index, or -1 on a
   * mismatch (the leader must probe further back).
   */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, ents: readonly Entry[]): number {
    if (!this.matchTerm(prevIndex, prevTerm)) return -1;
    const lastNewIndex = prevIndex + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      if (!(ci > this.committed)) invariant(false, `entry ${ci} conflict with committed entry [committed(${this.committed})]`);
      const offset = prevIndex + 1;
      this.append(ci - offset === 0 ? ents : ents.slice(ci - offset));
    }
    this.commitTo(Math.min(commit, lastNewIndex));
    return lastNewIndex;
  }

  /** Appends (truncating an uncommitted suffix if needed); returns the new last index. */
  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    if (!(after >= this.committed)) invariant(false, `after(${after}) is out of range [committed(${this.committed})]`);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /**
   * Index of the first entry in `ents` that is new or conflicts (same index,
   * different term) with ours; 0 if we already hold all of them.
   */
  findConflict(ents: readonly Entry[]): number {
    for (const ne of ents) {
      if (!this.matchTerm(ne.index, ne.term)) return ne.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term` (or unknown), and
   * its term (0 if unknown): where our log may still match a log whose entry
   * at `index` has term `term`. Lets a leader skip a whole divergent term per
   * round trip instead of one entry (etcd's reject hint).
   */
  findConflictByTerm(index: number, term: number): [number, number] {
    for (; index > 0; index--) {
      const ourTerm = this.term(index);
      if (ourTerm < 0) return [index, 0];
      if (ourTerm <= term) return [index, ourTerm];
    }
    return [0, 0];
  }

  nextUnstableEnts(): readonly Entry[] {
    return this.unstable.nextEntries();
  }

  hasNextUnstableEnts(): boolean {
    return this.unstable.offsetInProgress - this.unstable.offset < this.unstable.entries.length;
  }

  hasNextOrInProgressUnstableEnts(): boolean {
    return this.unstable.entries.length > 0;
  }

  /** Committed entries not yet handed out for applying. */
  nextCommittedEnts(allowUnstable: boolean): readonly Entry[] {
    if (this.hasNextOrInProgressSnapshot()) return NO_ENTRIES;
    const lo = this.applying + 1;
    const hi = this.maxAppliableIndex(allowUnstable) + 1;
    if (lo >= hi) return NO_ENTRIES;
    const ents = this.slice(lo, hi, NO_LIMIT);
    if (!(ents !== null)) invariant(false, `unexpected compaction when getting unapplied entries [${lo}, ${hi})`);
    return ents;
  }

  hasNextCommittedEnts(allowUnstable: boolean): boolean {
    if (this.hasNextOrInProgressSnapshot()) return false;
    return this.applying + 1 < this.maxAppliableIndex(allowUnstable) + 1;
  }

  maxAppliableIndex(allowUnstable: boolean): number {
    return allowUnstable ? this.committed : Math.min(this.committed, this.unstable.offset - 1);
  }

  nextUnstableSnapshot(): Snapshot | null {
    return this.unstable.nextSnapshot();
  }

  hasNextUnstableSnapshot(): boolean {
    return this.unstable.nextSnapshot() !== null;
  }

  hasNextOrInProgressSnapshot(): boolean {
    return this.unstable.snapshot !== null;
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  commitTo(tocommit: number): void {
    if (this.committed < tocommit) {
      if (!(this.lastIndex() >= tocommit)) invariant(false, `tocommit(${tocommit}) is out of range [lastIndex(${this.lastIndex()})]. Was the raft log corrupted, truncated, or lost?`);
      this.committed = tocommit;
    }
  }

  appliedTo(i: number): void {
    if (!(this.committed >= i && i >= this.applied)) invariant(false, `applied(${i}) is out of range [prevApplied(${this.applied}), committed(${this.committed})]`);
    this.applied = i;
    this.applying = Math.max(this.applying, i);
  }

  acceptApplying(i: number): void {
    if (!(this.committed >= i)) invariant(false, `applying(${i}) is out of range [prevApplying(${this.applying}), committed(${this.committed})]`);
    this.applying = i;
  }

  stableTo(index: number, term: number): void {
    this.unstable.stableTo(index, term);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  acceptUnstable(): void {
    this.unstable.acceptInProgress();
  }

  lastTerm(): number {
    const t = this.term(this.lastIndex());
    if (!(t >= 0)) invariant(false, `unexpected error when getting the last term (${t})`);
    return t;
  }

  /**
   * Term of entry i, valid for [firstIndex-1, lastIndex] (the entry just
   * before firstIndex is compacted but its term is kept for matching);
   * TERM_COMPACTED / TERM_UNAVAILABLE outside.
   */
  term(i: number): number {
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    if (i + 1 < this.firstIndex()) return TERM_COMPACTED;
    if (i > this.lastIndex()) return TERM_UNAVAILABLE;
    return this.storage.term(i);
  }

  /** Entries from i to the end, at most maxSizeBytes (at least one); null if i was compacted. */
  entries(i: number, maxSizeBytes: number): Entry[] | null {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxSizeBytes);
  }

  allEntries(): Entry[] {
    return this.entries(this.firstIndex(), NO_LIMIT) ?? [];
  }

  /**
   * Whether a log ending at (lasti, term) is at least as up to date as ours:
   * a later last term wins; with equal last terms the longer log wins
   * (Raft §5.4.1, the election restriction).
   */
  isUpToDate(lasti: number, term: number): boolean {
    const lastTerm = this.lastTerm();
    return term > lastTerm || (term === lastTerm && lasti >= this.lastIndex());
  }

  matchTerm(i: number, term: number): boolean {
    const t = this.term(i);
    return t >= 0 && t === term;
  }

  /**
   * Commits up to maxIndex only if that entry is from `term`, the leader's
   * current term: a leader never commits an older term's entry by counting
   * replicas (Raft §5.4.2); older entries commit indirectly.
   */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && term !== 0 && Math.max(0, this.term(maxIndex)) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  restore(s: Snapshot): void {
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /** Entries [lo, hi), size-limited; null if lo is compacted. */
  slice(lo: number, hi: number, maxSizeBytes: number): Entry[] | null {
    if (lo < this.firstIndex()) return null;
    if (!(lo <= hi && hi <= this.lastIndex() + 1)) invariant(false, `slice[${lo},${hi}) out of bound [${this.firstIndex()},${this.lastIndex()}]`);
    if (lo === hi) return [];
    const offset = this.unstable.offset;
    if (lo >= offset) return limitSize(this.unstable.slice(lo, hi), maxSizeBytes);
    const cut = Math.min(hi, offset);
    const stable = this.storage.entries(lo, cut, maxSizeBytes);
    if (stable === null) return null;
    if (hi <= offset || stable.length < cut - lo) return stable;
    const rest = this.unstable.slice(offset, hi);
    for (const e of rest) stable.push(e);
    return limitSize(stable, maxSizeBytes);
  }
}

export { TERM_COMPACTED, TERM_UNAVAILABLE };
