/**
 * The leader's view of one follower: Match/Next, the flow-control state
 * (probe / replicate / snapshot) and the in-flight window. Upstream:
 * etcd-io/raft `tracker/progress.go` (main at 017bdda3) and
 * `tracker/inflights.go`.
 *
 * Invariant: 0 <= match < next.
 */

export type ProgressState = 'StateProbe' | 'StateReplicate' | 'StateSnapshot';

/**
 * A sliding window of in-flight MsgApps, each remembered by the index of its
 * last entry. Bounds the number of unacknowledged MsgApps (MaxInflightMsgs)
 * so a slow follower cannot make the leader buffer without limit.
 */
export class Inflights {
  readonly size: number;
  #indexes: number[] = [];
  #start = 0;

  constructor(size: number) {
    this.size = size;
  }

  /** Records a sent MsgApp whose last entry is `index`; indexes must increase. */
  add(index: number): void {
    this.#indexes.push(index);
  }

  /** Frees every in-flight message whose last index is <= `to` (an ack up to `to`). */
  freeLE(to: number): void {
    const xs = this.#indexes;
    let i = this.#start;
    while (i < xs.length && xs[i]! <= to) i++;
    this.#start = i;
    if (i === xs.length) {
      this.#indexes = [];
      this.#start = 0;
    } else if (i > 1024) {
      this.#indexes = xs.slice(i);
      this.#start = 0;
    }
  }

  count(): number {
    return this.#indexes.length - this.#start;
  }

  full(): boolean {
    return this.count() >= this.size;
  }

  reset(): void {
    this.#indexes = [];
    this.#start = 0;
  }
}

export class Progress {
  /** Highest index known to match the leader's log. */
  match = 0;
  /** Next index to send; entries in (match, next) are in flight. */
  next = 1;
  /** Highest commit index sent to this follower (< next). */
  pendingCommit = 0;
  state: ProgressState = 'StateProbe';
  /** In StateSnapshot: the index of the snapshot that was sent. */
  pendingSnapshot = 0;
  /** Heard from this peer since the last CheckQuorum (always true for the leader itself). */
  recentActive = false;
  /** Pauses empty "probe" MsgApps until a heartbeat response or rejection arrives. */
  msgAppProbesPaused = false;
  readonly inflights: Inflights;

  constructor(next: number, maxInflightMsgs: number) {
    this.next = next;
    this.inflights = new Inflights(maxInflightMsgs);
  }

  resetState(state: ProgressState): void {
    this.msgAppProbesPaused = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  /** Back to probing one message at a time from match+1 (or after the snapshot just sent). */
  becomeProbe(): void {
    if (this.state === 'StateSnapshot') {
      const pendingSnapshot = this.pendingSnapshot;
      this.resetState('StateProbe');
      this.next = Math.max(this.match + 1, pendingSnapshot + 1);
    } else {
      this.resetState('StateProbe');
      this.next = this.match + 1;
      this.pendingCommit = Math.min(this.pendingCommit, this.match);
    }
  }

  /** Optimistic pipelining: send entries without waiting for each ack. */
  becomeReplicate(): void {
    this.resetState('StateReplicate');
    this.next = this.match + 1;
    this.pendingCommit = Math.min(this.pendingCommit, this.match);
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState('StateSnapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  /** A MsgApp with `entries` entries starting at next has been sent. */
  sentEntries(entries: number): void {
    if (this.state === 'StateReplicate' && entries > 0) {
      this.next += entries;
      this.inflights.add(this.next - 1);
    }
    this.msgAppProbesPaused = true;
  }

  /** Sending commit index `index` could move the follower's commit forward. */
  canBumpCommit(index: number): boolean {
    return this.pendingCommit < Math.min(index, this.next - 1);
  }

  sentCommit(commit: number): void {
    this.pendingCommit = Math.min(Math.max(this.pendingCommit, commit), this.next - 1);
  }

  /** An MsgAppResp acked index n; false if it is stale. */
  maybeUpdate(n: number): boolean {
    if (n <= this.match) return false;
    this.match = n;
    this.next = Math.max(this.next, n + 1);
    return true;
  }

  /**
   * A MsgApp at `rejected` was refused; lower next using the follower's hint.
   * False when the rejection is stale (duplicated or reordered message).
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'StateReplicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      this.pendingCommit = Math.min(this.pendingCommit, this.match);
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.pendingCommit = Math.min(this.pendingCommit, this.next - 1);
    this.msgAppProbesPaused = false;
    return true;
  }

  /** Whether sending MsgApps to this follower is throttled right now. */
  isPaused(): boolean {
    switch (this.state) {
      case 'StateProbe':
        return this.msgAppProbesPaused;
      case 'StateReplicate':
        return this.msgAppProbesPaused && this.inflights.full();
      case 'StateSnapshot':
        return true;
    }
  }
}
