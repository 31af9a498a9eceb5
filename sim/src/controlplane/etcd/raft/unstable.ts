/**
 * Entries and a snapshot not yet written to Storage (the WAL). Upstream:
 * etcd-io/raft `log_unstable.go` (main at 0ab30fd0). They are handed out in a
 * Ready, and removed once the application reports them persisted (stableTo).
 *
 * Invariant: entries[i] has index offset + i; offset <= offsetInProgress.
 */
import { invariant } from '../../../core/invariant.ts';
import type { Entry, Snapshot } from './types.ts';

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

export class Unstable {
  snapshot: Snapshot | null = null;
  entries: Entry[] = [];
  offset: number;
  snapshotInProgress = false;
  /** entries before this index have been handed out in a Ready already. */
  offsetInProgress: number;

  constructor(offset: number) {
    this.offset = offset;
    this.offsetInProgress = offset;
  }

  maybeFirstIndex(): number | undefined {
    return this.snapshot ? this.snapshot.metadata.index + 1 : undefined;
  }

  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    if (this.snapshot) return this.snapshot.metadata.index;
    return undefined;
  }

  /** Term of entry i if the unstable part knows it, else undefined. */
  maybeTerm(i: number): number | undefined {
    if (i < this.offset) {
      if (this.snapshot && this.snapshot.metadata.index === i) return this.snapshot.metadata.term;
      return undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || i > last) return undefined;
    return this.entries[i - this.offset]!.term;
  }

  nextEntries(): readonly Entry[] {
    const inProgress = this.offsetInProgress - this.offset;
    if (this.entries.length === inProgress) return NO_ENTRIES;
    return this.entries.slice(inProgress);
  }

  nextSnapshot(): Snapshot | null {
    if (!this.snapshot || this.snapshotInProgress) return null;
    return this.snapshot;
  }

  acceptInProgress(): void {
    if (this.entries.length > 0) this.offsetInProgress = this.entries[this.entries.length - 1]!.index + 1;
    if (this.snapshot) this.snapshotInProgress = true;
  }

  /** Entries up to (index, term) are now durable; drop them (ignored if the entry was replaced since). */
  stableTo(index: number, term: number): void {
    const gt = this.maybeTerm(index);
    if (gt === undefined || index < this.offset || gt !== term) return;
    const num = index + 1 - this.offset;
    this.entries = num >= this.entries.length ? [] : this.entries.slice(num);
    this.offset = index + 1;
    this.offsetInProgress = Math.max(this.offsetInProgress, this.offset);
  }

  stableSnapTo(i: number): void {
    if (this.snapshot && this.snapshot.metadata.index === i) {
      this.snapshot = null;
      this.snapshotInProgress = false;
    }
  }

  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1;
    this.offsetInProgress = this.offset;
    this.entries = [];
    this.snapshot = s;
    this.snapshotInProgress = false;
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    const fromIndex = ents[0]!.index;
    if (fromIndex === this.offset + this.entries.length) {
      for (const e of ents) this.entries.push(e);
    } else if (fromIndex <= this.offset) {
      // The log is truncated before our unstable part: replace it wholesale.
      this.entries = ents.slice();
      this.offset = fromIndex;
      this.offsetInProgress = this.offset;
    } else {
      // Keep [offset, fromIndex) and append after it.
      const keep = this.slice(this.offset, fromIndex);
      for (const e of ents) keep.push(e);
      this.entries = keep;
      this.offsetInProgress = Math.min(this.offsetInProgress, fromIndex);
    }
  }

  /** Entries [lo, hi); the whole range must be in the unstable part. */
  slice(lo: number, hi: number): Entry[] {
    if (!(lo <= hi && lo >= this.offset && hi <= this.offset + this.entries.length)) invariant(false, `unstable.slice[${lo},${hi}) out of bound [${this.offset},${this.offset + this.entries.length}]`);
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
