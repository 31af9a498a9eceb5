/**
 * Raft's safety properties as observers (STYLE habit 5, after TigerBeetle's
 * src/testing/ checkers): they read only what RaftCluster shows publicly
 * (status, applied) after each step of a run and never touch the model.
 *
 * The properties are those of the Raft paper, Figure 3:
 *  - Election Safety: at most one leader can be elected in a given term.
 *  - Log Matching: if two logs contain an entry with the same index and term,
 *    the logs are identical in all entries up through that index.
 *  - Leader Completeness: if an entry is committed in a term, it is present
 *    in the logs of the leaders of all higher terms.
 *  - State Machine Safety: if a server has applied an entry at an index, no
 *    other server ever applies a different entry at that index.
 * plus two bookkeeping ones: a member's term and commit index never go back
 * (both are in the persisted HardState, so not even across a restart).
 */
import type { Entry, StateType } from './types.ts';

/** What the checkers need from a cluster (RaftCluster satisfies it). */
export interface RaftObservable {
  readonly memberCount: number;
  readonly nowTicks: number;
  status(id: number): {
    role: StateType;
    term: number;
    commitIndex: number;
    crashed: boolean;
    lastIndex: number;
    appliedIndex: number;
    log: readonly { index: number; term: number; data: string | null }[];
  };
  applied(id: number, fromIndex?: number): readonly Entry[];
  /** A cheap summary; when no member's summary changed, the checks are skipped. */
  brief?(id: number): RaftBrief;
}

/** The numbers whose change means there may be something new to check. */
export interface RaftBrief {
  role: StateType;
  term: number;
  commitIndex: number;
  lastIndex: number;
  lastTerm: number;
  crashed: boolean;
  appliedIndex: number;
  snapshotIndex: number;
}

function sameBrief(a: RaftBrief, b: RaftBrief): boolean {
  return (
    a.role === b.role && a.term === b.term && a.commitIndex === b.commitIndex && a.lastIndex === b.lastIndex &&
    a.lastTerm === b.lastTerm && a.crashed === b.crashed && a.appliedIndex === b.appliedIndex && a.snapshotIndex === b.snapshotIndex
  );
}

export type RaftProperty =
  | 'election-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'term-regression'
  | 'commit-regression';

export interface RaftViolation {
  property: RaftProperty;
  tick: number;
  message: string;
}

interface CommittedRecord {
  term: number;
  data: string | null;
  /** An upper bound on the term in which the entry was committed. */
  commitTerm: number;
}

export class RaftInvariantChecker {
  readonly violations: RaftViolation[] = [];
  readonly #c: RaftObservable;
  /** term -> the member seen leading it. */
  readonly #leaders = new Map<number, number>();
  readonly #lastTerm: number[] = [];
  readonly #lastCommit: number[] = [];
  /** index -> the entry some member showed as committed. */
  readonly #committed = new Map<number, CommittedRecord>();
  /** commitTerm -> highest index recorded committed with that commitTerm. */
  readonly #maxCommittedByTerm = new Map<number, number>();
  /** index - 1 -> the first entry any member applied there. */
  readonly #applied: Entry[] = [];
  /** Per member: applied entries below this index were already checked. */
  readonly #appliedCursor: number[] = [];
  #lastBriefs: readonly RaftBrief[] | null = null;

  constructor(cluster: RaftObservable) {
    this.#c = cluster;
    for (let id = 0; id <= cluster.memberCount; id++) {
      this.#lastTerm.push(0);
      this.#lastCommit.push(0);
      this.#appliedCursor.push(1);
    }
  }

  get ok(): boolean {
    return this.violations.length === 0;
  }

  /** Leaders seen so far, by term. */
  leadersByTerm(): ReadonlyMap<number, number> {
    return this.#leaders;
  }

  /**
   * Checks every property against the cluster as it is now; returns the new
   * violations. `briefs` (one per member, ids 1..n in order) may be passed
   * when the caller already sampled them this tick.
   */
  observe(briefs?: readonly RaftBrief[]): RaftViolation[] {
    const before = this.violations.length;
    const n = this.#c.memberCount;
    const brief = this.#c.brief?.bind(this.#c);
    if (briefs === undefined && brief) {
      const bs: RaftBrief[] = [];
      for (let id = 1; id <= n; id++) bs.push(brief(id));
      briefs = bs;
    }
    if (briefs !== undefined) {
      // Nothing observable changed since the last call: nothing new to check.
      const last = this.#lastBriefs;
      if (last !== null && last.length === briefs.length && briefs.every((b, i) => sameBrief(b, last[i]!))) return [];
      this.#lastBriefs = briefs;
    }
    const statuses = [];
    for (let id = 1; id <= n; id++) statuses.push({ id, ...this.#c.status(id) });

    for (const s of statuses) {
      // Election safety.
      if (!s.crashed && s.role === 'leader') {
        const prev = this.#leaders.get(s.term);
        if (prev === undefined) this.#leaders.set(s.term, s.id);
        else if (prev !== s.id) this.#fail('election-safety', `members ${prev} and ${s.id} were both leader in term ${s.term}`);
      }
      // Monotonic term and commit.
      if (s.term < this.#lastTerm[s.id]!) this.#fail('term-regression', `member ${s.id} went from term ${this.#lastTerm[s.id]} back to ${s.term}`);
      if (s.commitIndex < this.#lastCommit[s.id]!) this.#fail('commit-regression', `member ${s.id} commit index went from ${this.#lastCommit[s.id]} back to ${s.commitIndex}`);
      this.#lastTerm[s.id] = Math.max(this.#lastTerm[s.id]!, s.term);
      this.#lastCommit[s.id] = Math.max(this.#lastCommit[s.id]!, s.commitIndex);
      // Record committed entries the member still holds.
      for (const e of s.log) {
        if (e.index > s.commitIndex) break;
        this.#recordCommitted(s.id, e, s.term);
      }
    }

    // Log matching, pairwise.
    for (let a = 0; a < statuses.length; a++) {
      for (let b = a + 1; b < statuses.length; b++) this.#checkLogMatching(statuses[a]!, statuses[b]!);
    }

    // Leader completeness.
    for (const s of statuses) {
      if (s.crashed || s.role !== 'leader') continue;
      let mustHold = 0;
      for (const [commitTerm, idx] of this.#maxCommittedByTerm) if (commitTerm < s.term && idx > mustHold) mustHold = idx;
      if (s.lastIndex < mustHold) {
        this.#fail('leader-completeness', `leader ${s.id} of term ${s.term} ends at index ${s.lastIndex} but index ${mustHold} was committed in an earlier term`);
      }
      for (const e of s.log) {
        const c = this.#committed.get(e.index);
        if (c && c.commitTerm < s.term && (c.term !== e.term || c.data !== e.data)) {
          this.#fail('leader-completeness', `leader ${s.id} of term ${s.term} holds ${fmt(e)} at index ${e.index} where ${fmt(c)} was committed`);
        }
      }
    }

    // State machine safety.
    for (const s of statuses) {
      const from = this.#appliedCursor[s.id]!;
      if (s.appliedIndex < from) continue;
      const ents = this.#c.applied(s.id, from);
      for (const e of ents) {
        const prior = this.#applied[e.index - 1];
        if (prior === undefined) {
          if (e.index - 1 === this.#applied.length) this.#applied.push(e);
        } else if (prior.term !== e.term || prior.data !== e.data) {
          this.#fail('state-machine-safety', `member ${s.id} applied ${fmt(e)} at index ${e.index}, another member applied ${fmt(prior)}`);
        }
        const c = this.#committed.get(e.index);
        if (c && (c.term !== e.term || c.data !== e.data)) {
          this.#fail('state-machine-safety', `member ${s.id} applied ${fmt(e)} at index ${e.index} but ${fmt(c)} was committed there`);
        }
      }
      this.#appliedCursor[s.id] = s.appliedIndex + 1;
    }
    return this.violations.slice(before);
  }

  #recordCommitted(id: number, e: { index: number; term: number; data: string | null }, memberTerm: number): void {
    const c = this.#committed.get(e.index);
    if (c === undefined) {
      this.#committed.set(e.index, { term: e.term, data: e.data, commitTerm: memberTerm });
      this.#bumpMax(memberTerm, e.index);
      return;
    }
    if (c.term !== e.term || c.data !== e.data) {
      this.#fail('state-machine-safety', `member ${id} shows ${fmt(e)} committed at index ${e.index}, previously ${fmt(c)} was committed there`);
      return;
    }
    if (memberTerm < c.commitTerm) {
      c.commitTerm = memberTerm;
      this.#bumpMax(memberTerm, e.index);
    }
  }

  #bumpMax(commitTerm: number, index: number): void {
    if ((this.#maxCommittedByTerm.get(commitTerm) ?? 0) < index) this.#maxCommittedByTerm.set(commitTerm, index);
  }

  #checkLogMatching(
    a: { id: number; log: readonly { index: number; term: number; data: string | null }[] },
    b: { id: number; log: readonly { index: number; term: number; data: string | null }[] },
  ): void {
    if (a.log.length === 0 || b.log.length === 0) return;
    const aFirst = a.log[0]!.index;
    const bFirst = b.log[0]!.index;
    const lo = Math.max(aFirst, bFirst);
    const hi = Math.min(a.log[a.log.length - 1]!.index, b.log[b.log.length - 1]!.index);
    // The highest index where both hold an entry of the same term...
    let top = -1;
    for (let i = hi; i >= lo; i--) {
      if (a.log[i - aFirst]!.term === b.log[i - bFirst]!.term) {
        top = i;
        break;
      }
    }
    // ...makes every entry up to it identical.
    for (let i = lo; i <= top; i++) {
      const ea = a.log[i - aFirst]!;
      const eb = b.log[i - bFirst]!;
      if (ea.term !== eb.term || ea.data !== eb.data) {
        this.#fail('log-matching', `members ${a.id} and ${b.id} agree on index ${top} (term ${a.log[top - aFirst]!.term}) but differ at index ${i}: ${fmt(ea)} vs ${fmt(eb)}`);
        return;
      }
    }
  }

  #fail(property: RaftProperty, message: string): void {
    this.violations.push({ property, tick: this.#c.nowTicks, message });
  }
}

function fmt(e: { term: number; data: string | null }): string {
  return `(term ${e.term}, ${e.data === null ? 'empty' : JSON.stringify(e.data)})`;
}
