/**
 * The thin driver around one Raft state machine: Tick / Step / Propose in,
 * Ready out, Advance to acknowledge. Upstream: etcd-io/raft `rawnode.go`
 * (main at 058a1540) and `node.go`'s Ready contract, synchronous-storage mode:
 *
 *   rd = ready()
 *   persist rd.snapshot, rd.entries, rd.hardState   (the WAL)
 *   send rd.messages                                  (only after persisting)
 *   apply rd.committedEntries                         (the state machine)
 *   advance(rd)
 *
 * Responses addressed to the member itself (the leader's ack of its own
 * entries, a candidate's own vote) are stepped on advance(), i.e. only once
 * what they vouch for is durable.
 */
import type { Raft, StepResult } from './raft.ts';
import { hardStateEqual, newMessage } from './types.ts';
import type { Entry, HardState, Message, Snapshot, StateType } from './types.ts';

export interface SoftState {
  readonly lead: number;
  readonly raftState: StateType;
}

/** Work for the application, batched as data (node.go Ready). */
export interface Ready {
  /** Set when the leader or role changed. */
  readonly softState: SoftState | null;
  /** Set when term, vote or commit changed: must be persisted before sending messages. */
  readonly hardState: HardState | null;
  /** Entries to append to the WAL before sending messages. */
  readonly entries: readonly Entry[];
  /** A snapshot to install (persist and load into the state machine). */
  readonly snapshot: Snapshot | null;
  /** Entries committed by a quorum, to apply in order. */
  readonly committedEntries: readonly Entry[];
  /** Messages to send once the above are persisted. */
  readonly messages: readonly Message[];
  /** Whether the write must be synced (entries, term or vote changed). */
  readonly mustSync: boolean;
}

export class RawNode {
  readonly raft: Raft;
  #prevSoftSt: SoftState;
  #prevHardSt: HardState;
  #stepsOnAdvance: Message[] = [];
  /** What the last accepted Ready made durable / applied, acknowledged on advance(). */
  #pendingStable: { index: number; term: number } | null = null;
  #pendingSnap: Snapshot | null = null;
  #pendingApplied = 0;

  constructor(raft: Raft) {
    this.raft = raft;
    this.#prevSoftSt = { lead: raft.lead, raftState: raft.state };
    this.#prevHardSt = raft.hardState();
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (testing / scripted use). */
  campaign(): StepResult {
    return this.raft.step(newMessage('MsgHup'));
  }

  propose(data: string): StepResult {
    return this.raft.step(newMessage('MsgProp', { from: this.raft.id, entries: [{ index: 0, term: 0, data }] }));
  }

  step(m: Message): StepResult {
    return this.raft.step(m);
  }

  hasReady(): boolean {
    const r = this.raft;
    if (r.msgs.length > 0 || r.msgsAfterAppend.length > 0) return true;
    if (r.lead !== this.#prevSoftSt.lead || r.state !== this.#prevSoftSt.raftState) return true;
    const p = this.#prevHardSt;
    if (r.term !== p.term || r.vote !== p.vote || r.raftLog.committed !== p.commit) return true;
    if (r.raftLog.hasNextUnstableSnapshot()) return true;
    if (r.raftLog.hasNextUnstableEnts()) return true;
    return r.raftLog.hasNextCommittedEnts(true);
  }

  /** Collects the outstanding work and marks it handed out; pass it back to advance(). */
  ready(): Ready {
    const r = this.raft;
    const softSt: SoftState = { lead: r.lead, raftState: r.state };
    const softChanged = softSt.lead !== this.#prevSoftSt.lead || softSt.raftState !== this.#prevSoftSt.raftState;
    const hardSt = r.hardState();
    const hardChanged = !hardStateEqual(hardSt, this.#prevHardSt);
    const entries = r.raftLog.nextUnstableEnts();
    const messages = r.msgs;
    for (const m of r.msgsAfterAppend) {
      if (m.to !== r.id) messages.push(m);
      else this.#stepsOnAdvance.push(m);
    }
    const rd: Ready = {
      softState: softChanged ? softSt : null,
      hardState: hardChanged ? hardSt : null,
      entries,
      snapshot: r.raftLog.nextUnstableSnapshot(),
      committedEntries: r.raftLog.nextCommittedEnts(true),
      messages,
      mustSync: entries.length > 0 || hardSt.term !== this.#prevHardSt.term || hardSt.vote !== this.#prevHardSt.vote,
    };
    // acceptReady
    if (softChanged) this.#prevSoftSt = softSt;
    if (hardChanged) this.#prevHardSt = hardSt;
    this.#pendingStable = r.raftLog.hasNextOrInProgressUnstableEnts() ? { index: r.raftLog.lastIndex(), term: r.raftLog.lastTerm() } : null;
    this.#pendingSnap = rd.snapshot;
    r.msgs = [];
    r.msgsAfterAppend = [];
    r.raftLog.acceptUnstable();
    const ce = rd.committedEntries;
    this.#pendingApplied = ce.length > 0 ? ce[ce.length - 1]!.index : 0;
    if (ce.length > 0) r.raftLog.acceptApplying(this.#pendingApplied);
    return rd;
  }

  /** The application persisted, sent and applied the last Ready. */
  advance(): void {
    const r = this.raft;
    const steps = this.#stepsOnAdvance;
    this.#stepsOnAdvance = [];
    for (const m of steps) r.step(m);
    if (this.#pendingStable) r.raftLog.stableTo(this.#pendingStable.index, this.#pendingStable.term);
    if (this.#pendingSnap) r.appliedSnap(this.#pendingSnap);
    if (this.#pendingApplied > 0) r.appliedTo(this.#pendingApplied);
    this.#pendingStable = null;
    this.#pendingSnap = null;
    this.#pendingApplied = 0;
  }
}
