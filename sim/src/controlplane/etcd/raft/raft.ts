/**
 * The Raft state machine of one member: pure, no I/O, no clock. Time enters
 * only through tick(), everything else through step(message); what it wants
 * done (send, persist, apply) accumulates in `msgs` / `msgsAfterAppend` / the
 * log's unstable part and is handed out by RawNode.ready().
 *
 * Upstream: etcd-io/raft `raft.go` (main at 00db8d31): Step, stepLeader,
 * stepCandidate, stepFollower, campaign/poll, handleAppendEntries,
 * handleSnapshot/restore, maybeSendAppend/maybeSendSnapshot, tickElection /
 * tickHeartbeat, PreVote and CheckQuorum. Left out: membership changes,
 * ReadIndex, leadership transfer, learners, async storage writes.
 *
 * Raft paper (Ongaro & Ousterhout 2014) sections are cited where a rule comes from.
 */
import { invariant } from '../../../core/invariant.ts';
import type { Prng } from '../../../core/prng.ts';
import { RaftLog } from './log.ts';
import type { MemoryStorage } from './storage.ts';
import { Progress } from './progress.ts';
import { committedIndex, voteResult } from './quorum.ts';
import type { VoteResult } from './quorum.ts';
import { NONE, newMessage, voteRespMsgType } from './types.ts';
import type { Entry, HardState, Message, MessageType, Snapshot, StateType } from './types.ts';

export interface RaftConfig {
  /** This member's id (>= 1). */
  id: number;
  /** Ids of all voters, this member included. */
  voters: readonly number[];
  /** Ticks without hearing from a leader before campaigning; the actual timeout is drawn from [electionTicks, 2*electionTicks). */
  electionTicks: number;
  /** Ticks between a leader's heartbeats; must be < electionTicks. */
  heartbeatTicks: number;
  storage: MemoryStorage;
  /** Last index already applied to the state machine (set on restart). */
  applied?: number;
  /** Upper bound on the bytes of entries in one MsgApp (at least one entry is always sent). */
  maxSizePerMsgBytes: number;
  /** Upper bound on unacknowledged MsgApps per follower in StateReplicate. */
  maxInflightMsgs: number;
  checkQuorum: boolean;
  preVote: boolean;
  /** This member's own random stream (for the randomized election timeout). */
  prng: Prng;
}

export type StepResult = 'ok' | 'ErrProposalDropped';

type CampaignType = 'CampaignPreElection' | 'CampaignElection';

export class Raft {
  readonly id: number;
  term = 0;
  vote = NONE;
  readonly raftLog: RaftLog;
  readonly voters: readonly number[];
  /** Leader only: one Progress per voter (this member included). */
  readonly prs = new Map<number, Progress>();
  /** Votes received in the current (pre-)campaign. */
  readonly votes = new Map<number, boolean>();
  state: StateType = 'follower';
  /** Messages to send now. */
  msgs: Message[] = [];
  /** Messages to send only once the current unstable state is durable (acks, votes). */
  msgsAfterAppend: Message[] = [];
  /** The leader this member knows of in its term, NONE if none. */
  lead = NONE;

  /** Ticks since the last election timeout (or, as a follower, since hearing from the leader). */
  electionElapsed = 0;
  /** Leader only: ticks since the last heartbeat broadcast. */
  heartbeatElapsed = 0;
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  readonly heartbeatTimeout: number;
  readonly electionTimeout: number;
  /** In [electionTimeout, 2*electionTimeout - 1]; redrawn whenever the term or role resets. */
  randomizedElectionTimeout = 0;
  readonly maxMsgSizeBytes: number;
  readonly maxInflightMsgs: number;
  readonly #prng: Prng;

  constructor(c: RaftConfig) {
    invariant(c.id >= 1, 'cannot use none as id');
    invariant(c.heartbeatTicks > 0, 'heartbeat tick must be greater than 0');
    invariant(c.electionTicks > c.heartbeatTicks, 'election tick must be greater than heartbeat tick');
    invariant(c.maxInflightMsgs > 0, 'max inflight messages must be greater than 0');
    this.id = c.id;
    this.voters = [...c.voters].sort((a, b) => a - b);
    this.raftLog = new RaftLog(c.storage);
    this.electionTimeout = c.electionTicks;
    this.heartbeatTimeout = c.heartbeatTicks;
    this.checkQuorum = c.checkQuorum;
    this.preVote = c.preVote;
    this.maxMsgSizeBytes = c.maxSizePerMsgBytes;
    this.maxInflightMsgs = c.maxInflightMsgs;
    this.#prng = c.prng;
    for (const v of this.voters) this.prs.set(v, new Progress(1, c.maxInflightMsgs));
    const { hardState } = c.storage.initialState();
    if (hardState.term !== 0 || hardState.vote !== 0 || hardState.commit !== 0) this.loadState(hardState);
    if (c.applied && c.applied > 0) this.raftLog.appliedTo(c.applied);
    this.becomeFollower(this.term, NONE);
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.raftLog.committed };
  }

  // --- sending -------------------------------------------------------------

  /**
   * Queues a message. Responses that vouch for durable state (MsgAppResp,
   * MsgVoteResp, MsgPreVoteResp) wait in msgsAfterAppend until the entries /
   * vote they depend on are persisted (Raft thesis §3.8).
   */
  send(m: Message): void {
    if (m.from === NONE) m.from = this.id;
    if (m.type === 'MsgVote' || m.type === 'MsgVoteResp' || m.type === 'MsgPreVote' || m.type === 'MsgPreVoteResp') {
      if (!(m.term !== 0)) invariant(false, `term should be set when sending ${m.type}`);
    } else {
      if (!(m.term === 0)) invariant(false, `term should not be set when sending ${m.type} (was ${m.term})`);
      if (m.type !== 'MsgProp') m.term = this.term;
    }
    if (m.type === 'MsgAppResp' || m.type === 'MsgVoteResp' || m.type === 'MsgPreVoteResp') {
      this.msgsAfterAppend.push(m);
    } else {
      if (!(m.to !== this.id)) invariant(false, `message should not be self-addressed when sending ${m.type}`);
      this.msgs.push(m);
    }
  }

  /** Sends entries from pr.next (or an empty MsgApp carrying the commit index). */
  sendAppend(to: number): void {
    this.maybeSendAppend(to, true);
  }

  /**
   * Sends a MsgApp to `to` unless its progress is paused. Falls back to a
   * snapshot when the entries it needs were compacted away.
   */
  maybeSendAppend(to: number, sendIfEmpty: boolean): boolean {
    const pr = this.prs.get(to)!;
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.raftLog.term(prevIndex);
    if (prevTerm < 0) return this.maybeSendSnapshot(to, pr);
    let ents: Entry[] | null = [];
    // A throttled StateReplicate sends only empty MsgApps, to keep a probe going.
    if (pr.state !== 'StateReplicate' || !pr.inflights.full()) {
      ents = this.raftLog.entries(pr.next, this.maxMsgSizeBytes);
    }
    if (ents !== null && ents.length === 0 && !sendIfEmpty) return false;
    if (ents === null) return this.maybeSendSnapshot(to, pr);
    this.send(newMessage('MsgApp', { to, index: prevIndex, logTerm: prevTerm, entries: ents, commit: this.raftLog.committed }));
    pr.sentEntries(ents.length);
    pr.sentCommit(this.raftLog.committed);
    return true;
  }

  /** Sends the latest snapshot to a follower that fell behind the compacted log. */
  maybeSendSnapshot(to: number, pr: Progress): boolean {
    if (!pr.recentActive) return false;
    const snapshot = this.raftLog.snapshot();
    invariant(snapshot.metadata.index > 0, 'need non-empty snapshot');
    pr.becomeSnapshot(snapshot.metadata.index);
    this.send(newMessage('MsgSnap', { to, snapshot }));
    return true;
  }

  /** Heartbeat with commit = min(match, committed): never tell a follower to commit what it may not hold. */
  sendHeartbeat(to: number): void {
    const pr = this.prs.get(to)!;
    const commit = Math.min(pr.match, this.raftLog.committed);
    this.send(newMessage('MsgHeartbeat', { to, commit }));
    pr.sentCommit(commit);
  }

  bcastAppend(): void {
    for (const id of this.voters) if (id !== this.id) this.sendAppend(id);
  }

  bcastHeartbeat(): void {
    for (const id of this.voters) if (id !== this.id) this.sendHeartbeat(id);
  }

  // --- log bookkeeping -------------------------------------------------------

  appliedTo(index: number): void {
    this.raftLog.appliedTo(Math.max(index, this.raftLog.applied));
  }

  appliedSnap(snap: Snapshot): void {
    this.raftLog.stableSnapTo(snap.metadata.index);
    this.appliedTo(snap.metadata.index);
  }

  /** Leader: advance commit to what a majority holds, if that entry is from this term. */
  maybeCommit(): boolean {
    const mci = committedIndex(this.voters, (id) => this.prs.get(id)!.match);
    return this.raftLog.maybeCommit(mci, this.term);
  }

  reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.votes.clear();
    const last = this.raftLog.lastIndex();
    for (const id of this.voters) {
      const pr = new Progress(last + 1, this.maxInflightMsgs);
      if (id === this.id) pr.match = last;
      this.prs.set(id, pr);
    }
  }

  /** Leader: stamp entries with the term and next indexes, append, and self-ack once durable. */
  appendEntry(es: readonly { data: string | null }[]): boolean {
    const li = this.raftLog.lastIndex();
    const stamped: Entry[] = new Array(es.length);
    for (let i = 0; i < es.length; i++) stamped[i] = { index: li + 1 + i, term: this.term, data: es[i]!.data };
    const last = this.raftLog.append(stamped);
    this.send(newMessage('MsgAppResp', { to: this.id, index: last }));
    return true;
  }

  // --- time ------------------------------------------------------------------

  /** One tick of logical time: followers and candidates count toward an election, leaders toward a heartbeat. */
  tick(): void {
    if (this.state === 'leader') this.tickHeartbeat();
    else this.tickElection();
  }

  tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.pastElectionTimeout()) {
      this.electionElapsed = 0;
      this.step(newMessage('MsgHup', { from: this.id }));
    }
  }

  tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum) this.step(newMessage('MsgCheckQuorum', { from: this.id }));
    }
    if (this.state !== 'leader') return;
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      this.step(newMessage('MsgBeat', { from: this.id }));
    }
  }

  // --- role changes ----------------------------------------------------------

  becomeFollower(term: number, lead: number): void {
    this.reset(term);
    this.lead = lead;
    this.state = 'follower';
  }

  becomeCandidate(): void {
    invariant(this.state !== 'leader', 'invalid transition [leader -> candidate]');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.state = 'candidate';
  }

  /** PreVote (thesis §9.6): ask whether we could win before bumping the term. Term and vote are unchanged. */
  becomePreCandidate(): void {
    invariant(this.state !== 'leader', 'invalid transition [leader -> pre-candidate]');
    this.votes.clear();
    this.lead = NONE;
    this.state = 'pre-candidate';
  }

  /** A new leader appends an empty entry of its term so earlier entries can commit (§5.4.2, §8). */
  becomeLeader(): void {
    invariant(this.state !== 'follower', 'invalid transition [follower -> leader]');
    this.reset(this.term);
    this.lead = this.id;
    this.state = 'leader';
    const pr = this.prs.get(this.id)!;
    pr.becomeReplicate();
    pr.recentActive = true;
    this.appendEntry([{ data: null }]);
  }

  hup(t: CampaignType): void {
    if (this.state === 'leader') return;
    if (!this.promotable()) return;
    this.campaign(t);
  }

  campaign(t: CampaignType): void {
    let term: number;
    let voteMsg: MessageType;
    if (t === 'CampaignPreElection') {
      this.becomePreCandidate();
      voteMsg = 'MsgPreVote';
      // PreVote asks for the next term without incrementing our own.
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteMsg = 'MsgVote';
      term = this.term;
    }
    const lastIndex = this.raftLog.lastIndex();
    const lastTerm = this.raftLog.lastTerm();
    for (const id of this.voters) {
      if (id === this.id) {
        // Our own vote counts once it is durable: a self-addressed response.
        this.send(newMessage(voteRespMsgType(voteMsg), { to: id, term }));
        continue;
      }
      this.send(newMessage(voteMsg, { to: id, term, index: lastIndex, logTerm: lastTerm }));
    }
  }

  poll(id: number, v: boolean): VoteResult {
    if (!this.votes.has(id)) this.votes.set(id, v);
    return voteResult(this.voters, this.votes);
  }

  // --- the one way in --------------------------------------------------------

  /** Advances the state machine by one message (network or local). */
  step(m: Message): StepResult {
    if (m.term === 0) {
      // local message
    } else if (m.term > this.term) {
      if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
        // CheckQuorum lease: a member that heard from a leader within the
        // election timeout ignores vote requests (thesis §4.2.3).
        const inLease = this.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout;
        if (inLease) return 'ok';
      }
      if (m.type === 'MsgPreVote') {
        // Never change our term in response to a PreVote.
      } else if (m.type === 'MsgPreVoteResp' && !m.reject) {
        // We asked for a future term; a granted pre-vote carries that term.
      } else if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')) {
        // A stale leader: answer with our term so it steps down (it may be
        // cut off from the rest, or we may have advanced our term while
        // partitioned away).
        this.send(newMessage('MsgAppResp', { to: m.from }));
      } else if (m.type === 'MsgPreVote') {
        this.send(newMessage('MsgPreVoteResp', { to: m.from, term: this.term, reject: true }));
      }
      // ignore other cases
      return 'ok';
    }

    switch (m.type) {
      case 'MsgHup':
        this.hup(this.preVote ? 'CampaignPreElection' : 'CampaignElection');
        return 'ok';
      case 'MsgVote':
      case 'MsgPreVote': {
        // We can vote if this repeats our vote, if we have not voted and know
        // no leader in this term, or if it is a PreVote for a future term...
        const canVote =
          this.vote === m.from ||
          (this.vote === NONE && this.lead === NONE) ||
          (m.type === 'MsgPreVote' && m.term > this.term);
        // ...and the candidate's log is at least as up to date as ours (§5.4.1).
        if (canVote && this.raftLog.isUpToDate(m.index, m.logTerm)) {
          // Reply with the message's term, not ours (a pre-vote is for a future term).
          this.send(newMessage(voteRespMsgType(m.type), { to: m.from, term: m.term }));
          if (m.type === 'MsgVote') {
            this.electionElapsed = 0;
            this.vote = m.from;
          }
        } else {
          this.send(newMessage(voteRespMsgType(m.type), { to: m.from, term: this.term, reject: true }));
        }
        return 'ok';
      }
      default:
        switch (this.state) {
          case 'leader':
            return this.stepLeader(m);
          case 'candidate':
          case 'pre-candidate':
            return this.stepCandidate(m);
          case 'follower':
            return this.stepFollower(m);
        }
    }
  }

  stepLeader(m: Message): StepResult {
    switch (m.type) {
      case 'MsgBeat':
        this.bcastHeartbeat();
        return 'ok';
      case 'MsgCheckQuorum': {
        if (!this.quorumActive()) this.becomeFollower(this.term, NONE);
        // Everyone but us must prove activity again before the next check.
        for (const [id, pr] of this.prs) if (id !== this.id) pr.recentActive = false;
        return 'ok';
      }
      case 'MsgProp':
        if (!(m.entries.length > 0)) invariant(false, `${this.id} stepped empty MsgProp`);
        this.appendEntry(m.entries);
        this.bcastAppend();
        return 'ok';
    }

    const pr = this.prs.get(m.from);
    if (pr === undefined) return 'ok';
    switch (m.type) {
      case 'MsgAppResp':
        pr.recentActive = true;
        if (m.reject) {
          // The follower's hint: probe at the last index where our logs may
          // match, skipping every index whose term cannot match (etcd's
          // findConflictByTerm on both sides).
          let nextProbeIdx = m.rejectHint;
          if (m.logTerm > 0) nextProbeIdx = this.raftLog.findConflictByTerm(m.rejectHint, m.logTerm)[0];
          if (pr.maybeDecrTo(m.index, nextProbeIdx)) {
            if (pr.state === 'StateReplicate') pr.becomeProbe();
            this.sendAppend(m.from);
          }
        } else if (pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === 'StateProbe')) {
          if (pr.state === 'StateProbe') {
            pr.becomeReplicate();
          } else if (pr.state === 'StateSnapshot' && pr.match + 1 >= this.raftLog.firstIndex()) {
            // The snapshot reconnected the follower to our log.
            pr.becomeProbe();
            pr.becomeReplicate();
          } else if (pr.state === 'StateReplicate') {
            pr.inflights.freeLE(m.index);
          }
          if (this.maybeCommit()) {
            this.bcastAppend();
          } else if (this.id !== m.from && pr.canBumpCommit(this.raftLog.committed)) {
            this.sendAppend(m.from);
          }
          // Flow control may now allow several size-limited MsgApps at once.
          if (this.id !== m.from) {
            while (this.maybeSendAppend(m.from, false)) {
              // keep sending
            }
          }
        }
        return 'ok';
      case 'MsgHeartbeatResp':
        pr.recentActive = true;
        pr.msgAppProbesPaused = false;
        if (pr.match < this.raftLog.lastIndex() || pr.state === 'StateProbe') this.sendAppend(m.from);
        return 'ok';
      case 'MsgSnapStatus':
        if (pr.state !== 'StateSnapshot') return 'ok';
        if (m.reject) pr.pendingSnapshot = 0;
        pr.becomeProbe();
        // Wait for the follower's MsgAppResp (or a heartbeat interval on failure).
        pr.msgAppProbesPaused = true;
        return 'ok';
    }
    return 'ok';
  }

  stepCandidate(m: Message): StepResult {
    // Only count responses for the kind of campaign we are running.
    const myVoteRespType: MessageType = this.state === 'pre-candidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
    switch (m.type) {
      case 'MsgProp':
        return 'ErrProposalDropped';
      case 'MsgApp':
        this.becomeFollower(m.term, m.from); // always m.term == this.term
        this.handleAppendEntries(m);
        return 'ok';
      case 'MsgHeartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return 'ok';
      case 'MsgSnap':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return 'ok';
      case myVoteRespType: {
        const res = this.poll(m.from, !m.reject);
        if (res === 'VoteWon') {
          if (this.state === 'pre-candidate') {
            this.campaign('CampaignElection');
          } else {
            this.becomeLeader();
            this.bcastAppend();
          }
        } else if (res === 'VoteLost') {
          // A pre-vote response carries a future term; keep our own.
          this.becomeFollower(this.term, NONE);
        }
        return 'ok';
      }
    }
    return 'ok';
  }

  stepFollower(m: Message): StepResult {
    switch (m.type) {
      case 'MsgProp':
        if (this.lead === NONE) return 'ErrProposalDropped';
        this.send(newMessage('MsgProp', { to: this.lead, from: m.from, entries: m.entries }));
        return 'ok';
      case 'MsgApp':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppendEntries(m);
        return 'ok';
      case 'MsgHeartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return 'ok';
      case 'MsgSnap':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        return 'ok';
    }
    return 'ok';
  }

  /**
   * AppendEntries on the follower (§5.3): accept if our log holds the
   * leader's (prev index, prev term), else reject with a hint — the largest
   * (index, term) of ours with term <= the leader's prev term.
   */
  handleAppendEntries(m: Message): void {
    if (m.index < this.raftLog.committed) {
      this.send(newMessage('MsgAppResp', { to: m.from, index: this.raftLog.committed }));
      return;
    }
    const mlastIndex = this.raftLog.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (mlastIndex >= 0) {
      this.send(newMessage('MsgAppResp', { to: m.from, index: mlastIndex }));
      return;
    }
    const [hintIndex, hintTerm] = this.raftLog.findConflictByTerm(Math.min(m.index, this.raftLog.lastIndex()), m.logTerm);
    this.send(newMessage('MsgAppResp', { to: m.from, index: m.index, reject: true, rejectHint: hintIndex, logTerm: hintTerm }));
  }

  handleHeartbeat(m: Message): void {
    this.raftLog.commitTo(m.commit);
    this.send(newMessage('MsgHeartbeatResp', { to: m.from }));
  }

  handleSnapshot(m: Message): void {
    const s = m.snapshot;
    if (s !== null && this.restore(s)) {
      this.send(newMessage('MsgAppResp', { to: m.from, index: this.raftLog.lastIndex() }));
    } else {
      this.send(newMessage('MsgAppResp', { to: m.from, index: this.raftLog.committed }));
    }
  }

  /** Installs a snapshot newer than our commit index; false if it is stale or we already hold its last entry. */
  restore(s: Snapshot): boolean {
    if (s.metadata.index <= this.raftLog.committed) return false;
    if (this.state !== 'follower') {
      this.becomeFollower(this.term + 1, NONE);
      return false;
    }
    if (!s.metadata.confState.voters.includes(this.id)) return false;
    if (this.raftLog.matchTerm(s.metadata.index, s.metadata.term)) {
      // We already hold the entry: just fast-forward the commit index.
      this.raftLog.commitTo(s.metadata.index);
      return false;
    }
    this.raftLog.restore(s);
    for (const id of this.voters) this.prs.set(id, new Progress(this.raftLog.lastIndex() + 1, this.maxInflightMsgs));
    return true;
  }

  /** A member may campaign unless it is still installing a snapshot. */
  promotable(): boolean {
    return this.prs.has(this.id) && !this.raftLog.hasNextOrInProgressSnapshot();
  }

  /** CheckQuorum: did a majority (counting ourselves) show activity since the last check? */
  quorumActive(): boolean {
    const votes = new Map<number, boolean>();
    for (const id of this.voters) votes.set(id, id === this.id || this.prs.get(id)!.recentActive);
    return voteResult(this.voters, votes) === 'VoteWon';
  }

  loadState(state: HardState): void {
    invariant(
      state.commit >= this.raftLog.committed && state.commit <= this.raftLog.lastIndex(),
      `${this.id} state.commit ${state.commit} is out of range [${this.raftLog.committed}, ${this.raftLog.lastIndex()}]`,
    );
    this.raftLog.committed = state.commit;
    this.term = state.term;
    this.vote = state.vote;
  }

  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + this.#prng.intBetween(0, this.electionTimeout);
  }
}
