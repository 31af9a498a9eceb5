/**
 * RaftCluster: N etcd members (1..7) running the pure Raft state machine over
 * a simulated, seeded network. It is the application loop etcd's server runs
 * around raft (etcdserver/raft.go `raftNode.start`, and contrib/raftexample
 * `serveChannels`): tick, step incoming messages, and for every Ready persist
 * to the WAL, send, apply, snapshot + compact, advance.
 *
 * Everything is deterministic from `seed`: one Prng forks a stream per member
 * (randomized election timeouts) and one for the network.
 *
 * Crash/restart: a crashed member keeps only its MemoryStorage (hard state,
 * log, snapshot — the WAL and snap files) and its applied state machine (etcd
 * keeps the backend in bbolt with a consistent index, so it does not re-apply
 * on restart). Role, leader, progress and vote tallies are lost; the commit
 * index restarts from the persisted HardState.
 */
import { Prng } from '../../core/prng.ts';
import { InvariantError, invariant } from '../../core/invariant.ts';
import { fail, ok, simError } from '../../core/result.ts';
import type { Result, SimError } from '../../core/result.ts';
import { MemoryStorage } from './raft/storage.ts';
import { Raft } from './raft/raft.ts';
import { RawNode } from './raft/rawnode.ts';
import { DEFAULT_NETWORK_OPTIONS, SimNetwork } from './raft/network.ts';
import type { NetworkOptions } from './raft/network.ts';
import { newMessage } from './raft/types.ts';
import type { Entry, Message, Snapshot, StateType } from './raft/types.ts';

export const RAFT_MAX_MEMBERS = 7;

export interface RaftClusterOptions {
  /** Number of members, 1..7; ids are 1..members. */
  members: number;
  /** Seed for every random choice (election timeouts, network). */
  seed: number;
  /** Default 10 (etcd's --election-timeout 1000ms over a 100ms heartbeat). */
  electionTicks?: number;
  /** Default 1. Must be < electionTicks. */
  heartbeatTicks?: number;
  /** Default true, as etcd's server configures raft. */
  preVote?: boolean;
  /** Default true, as etcd's server configures raft. */
  checkQuorum?: boolean;
  /** Probability a message is lost, default 0. */
  dropRate?: number;
  /** Probability a message is delivered twice, default 0. */
  duplicateRate?: number;
  /** Per-message delay range in ticks [min, max], default [1, 2]. */
  delayTicks?: readonly [number, number];
  /** Take a snapshot and compact once this many entries were applied since the last one (etcd --snapshot-count). Default 100. */
  snapshotCount?: number;
  /** Entries kept behind a snapshot for slow followers (etcd SnapshotCatchUpEntries). Default 20. */
  snapshotCatchUpEntries?: number;
  /** Max bytes of entries per MsgApp (etcd: 1 MiB). */
  maxSizePerMsgBytes?: number;
  /** Max unacknowledged MsgApps per follower (etcd server: 512). */
  maxInflightMsgs?: number;
}

export interface LogEntryView {
  index: number;
  term: number;
  /** The proposed data; null for a leader's empty entry. */
  data: string | null;
}

export interface MemberStatus {
  id: number;
  role: StateType;
  term: number;
  commitIndex: number;
  /** Entries the member still holds (after compaction), in index order. */
  log: LogEntryView[];
  crashed: boolean;
  vote: number;
  /** Leader this member believes in, 0 if none. */
  lead: number;
  appliedIndex: number;
  /** Index covered by the member's latest snapshot (entries up to it were compacted). */
  snapshotIndex: number;
  lastIndex: number;
  lastTerm: number;
}

/** The per-tick numbers a timeline draws (no log copy). */
export interface MemberBrief {
  id: number;
  role: StateType;
  term: number;
  commitIndex: number;
  lastIndex: number;
  lastTerm: number;
  crashed: boolean;
  appliedIndex: number;
  snapshotIndex: number;
}

export type ProposeResult =
  | { accepted: true; leader: number; term: number; index: number }
  | { accepted: false; reason: 'no-leader' | 'not-leader' | 'crashed' | 'dropped'; leader: number | null; message: string };

/** What a member's state machine went through: new entries applied, or a snapshot loaded. */
export type ApplyEvent =
  | { member: number; kind: 'entries'; entries: readonly Entry[] }
  | { member: number; kind: 'snapshot'; index: number; term: number; entries: readonly Entry[] };

/** Cluster-level happenings a transcript may show. */
export type ClusterTrace =
  | { kind: 'snapshot-sent'; from: number; to: number; index: number; tick: number }
  | { kind: 'snapshot-installed'; member: number; index: number; tick: number }
  | { kind: 'compacted'; member: number; snapshotIndex: number; firstIndex: number; tick: number };

interface Member {
  readonly id: number;
  readonly storage: MemoryStorage;
  readonly prng: Prng;
  node: RawNode | null;
  /** The state machine: applied[i] is the entry at index i + 1. */
  applied: Entry[];
}

interface ResolvedOptions {
  members: number;
  electionTicks: number;
  heartbeatTicks: number;
  preVote: boolean;
  checkQuorum: boolean;
  snapshotCount: number;
  snapshotCatchUpEntries: number;
  maxSizePerMsgBytes: number;
  maxInflightMsgs: number;
}

function isProbability(x: unknown): boolean {
  return typeof x === 'number' && x >= 0 && x <= 1;
}

/** Checks options; errors carry the option name as `path`. */
export function validateRaftClusterOptions(o: RaftClusterOptions): SimError[] {
  const errs: SimError[] = [];
  const intIn = (name: string, v: unknown, min: number, max: number) => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      errs.push(simError('FIELD_INVALID', `${name} must be an integer in [${min}, ${max}], got ${String(v)}`, { path: name }));
    }
  };
  if (o.members === undefined) errs.push(simError('FIELD_REQUIRED', 'members is required', { path: 'members' }));
  intIn('members', o.members, 1, RAFT_MAX_MEMBERS);
  if (typeof o.seed !== 'number' || !Number.isSafeInteger(o.seed)) errs.push(simError('FIELD_INVALID', `seed must be an integer, got ${String(o.seed)}`, { path: 'seed' }));
  intIn('electionTicks', o.electionTicks, 2, 1000);
  intIn('heartbeatTicks', o.heartbeatTicks, 1, 999);
  if ((o.heartbeatTicks ?? 1) >= (o.electionTicks ?? 10)) errs.push(simError('FIELD_INVALID', 'heartbeatTicks must be smaller than electionTicks', { path: 'heartbeatTicks' }));
  if (o.dropRate !== undefined && !isProbability(o.dropRate)) errs.push(simError('FIELD_INVALID', 'dropRate must be in [0, 1]', { path: 'dropRate' }));
  if (o.duplicateRate !== undefined && !isProbability(o.duplicateRate)) errs.push(simError('FIELD_INVALID', 'duplicateRate must be in [0, 1]', { path: 'duplicateRate' }));
  if (o.delayTicks !== undefined) {
    const d = o.delayTicks;
    if (!Array.isArray(d) || d.length !== 2 || !d.every((x) => Number.isSafeInteger(x) && x >= 0 && x <= 1000) || d[0] > d[1]) {
      errs.push(simError('FIELD_INVALID', 'delayTicks must be [min, max] with 0 <= min <= max <= 1000', { path: 'delayTicks' }));
    }
  }
  intIn('snapshotCount', o.snapshotCount, 1, 1_000_000_000);
  intIn('snapshotCatchUpEntries', o.snapshotCatchUpEntries, 0, 1_000_000_000);
  intIn('maxSizePerMsgBytes', o.maxSizePerMsgBytes, 1, Number.MAX_SAFE_INTEGER);
  intIn('maxInflightMsgs', o.maxInflightMsgs, 1, 1_000_000);
  return errs;
}

export class RaftCluster {
  readonly #o: ResolvedOptions;
  readonly #members: Member[] = [];
  readonly #network: SimNetwork;
  readonly #voters: number[];
  #nowTicks = 0;
  /** pending[id]: member id stepped messages whose Ready is not handled yet. */
  readonly #pending: boolean[] = [];
  readonly #applyListeners = new Set<(e: ApplyEvent) => void>();
  readonly #traceListeners = new Set<(t: ClusterTrace) => void>();

  /** Validates first; use this when options come from user input. */
  static create(options: RaftClusterOptions): Result<RaftCluster> {
    const errs = validateRaftClusterOptions(options);
    return errs.length > 0 ? fail(errs) : ok(new RaftCluster(options));
  }

  /** Throws InvariantError on invalid options (see RaftCluster.create for a Result). */
  constructor(options: RaftClusterOptions) {
    const errs = validateRaftClusterOptions(options);
    if (errs.length > 0) throw new InvariantError(`invalid RaftCluster options: ${errs.map((e) => e.message).join('; ')}`);
    this.#o = {
      members: options.members,
      electionTicks: options.electionTicks ?? 10,
      heartbeatTicks: options.heartbeatTicks ?? 1,
      preVote: options.preVote ?? true,
      checkQuorum: options.checkQuorum ?? true,
      snapshotCount: options.snapshotCount ?? 100,
      snapshotCatchUpEntries: options.snapshotCatchUpEntries ?? 20,
      maxSizePerMsgBytes: options.maxSizePerMsgBytes ?? 1024 * 1024,
      maxInflightMsgs: options.maxInflightMsgs ?? 512,
    };
    const root = new Prng(options.seed);
    this.#voters = Array.from({ length: this.#o.members }, (_, i) => i + 1);
    for (const id of this.#voters) {
      const m: Member = { id, storage: new MemoryStorage(), prng: root.fork(), node: null, applied: [] };
      this.#members.push(m);
    }
    this.#network = new SimNetwork(this.#o.members, root.fork(), {
      dropRate: options.dropRate ?? DEFAULT_NETWORK_OPTIONS.dropRate,
      duplicateRate: options.duplicateRate ?? DEFAULT_NETWORK_OPTIONS.duplicateRate,
      delayTicks: options.delayTicks ?? DEFAULT_NETWORK_OPTIONS.delayTicks,
    });
    for (const m of this.#members) this.#boot(m);
  }

  get memberCount(): number {
    return this.#o.members;
  }

  get nowTicks(): number {
    return this.#nowTicks;
  }

  get electionTicks(): number {
    return this.#o.electionTicks;
  }

  /** Messages currently travelling through the network. */
  get inFlight(): number {
    return this.#network.inFlight;
  }

  get networkOptions(): NetworkOptions {
    return this.#network.options;
  }

  networkStats(): { sent: number; dropped: number; duplicated: number } {
    return { sent: this.#network.sent, dropped: this.#network.dropped, duplicated: this.#network.duplicated };
  }

  /** Changes drop/duplicate/delay from now on (already scheduled messages keep their delay). */
  setNetwork(options: Partial<NetworkOptions>): Result<NetworkOptions> {
    const next: NetworkOptions = { ...this.#network.options, ...options };
    const errs = validateRaftClusterOptions({ members: 1, seed: 0, dropRate: next.dropRate, duplicateRate: next.duplicateRate, delayTicks: next.delayTicks });
    if (errs.length > 0) return fail(errs);
    this.#network.setOptions(next);
    return ok(next);
  }

  /** Subscribes to state-machine applications on every member; returns an unsubscribe function. */
  onApply(listener: (e: ApplyEvent) => void): () => void {
    this.#applyListeners.add(listener);
    return () => this.#applyListeners.delete(listener);
  }

  onTrace(listener: (t: ClusterTrace) => void): () => void {
    this.#traceListeners.add(listener);
    return () => this.#traceListeners.delete(listener);
  }

  // --- time --------------------------------------------------------------------

  /**
   * Advances `n` ticks: every live member ticks, then the messages due this
   * tick are delivered. Proposals made since the last tick are handled (one
   * Ready per member) first.
   */
  tick(n = 1): void {
    if (!(Number.isSafeInteger(n) && n >= 0)) invariant(false, `tick count must be a non-negative integer, got ${n}`);
    const flush = () => this.#flush();
    for (let k = 0; k < n; k++) {
      this.#flush();
      this.#nowTicks++;
      for (const m of this.#members) {
        if (m.node === null) continue;
        m.node.tick();
        this.#processReady(m);
      }
      this.#network.deliverDue(this.#nowTicks, (msg) => this.#deliver(msg), flush);
    }
  }

  // --- client ------------------------------------------------------------------

  /**
   * Proposes `data` to the current leader (or to member `to`). Accepted means
   * appended to that leader's log — not yet committed. Never throws.
   */
  propose(data: string, options: { to?: number } = {}): ProposeResult {
    let target: Member | undefined;
    if (options.to !== undefined) {
      target = this.#members[options.to - 1];
      if (target === undefined) return { accepted: false, reason: 'not-leader', leader: this.leader(), message: `member ${options.to} does not exist` };
      if (target.node === null) return { accepted: false, reason: 'crashed', leader: null, message: `member ${target.id} is crashed` };
      const r = target.node.raft;
      if (r.state !== 'leader') {
        const hint = r.lead === 0 ? null : r.lead;
        return hint === null
          ? { accepted: false, reason: 'no-leader', leader: null, message: `member ${target.id} knows no leader in term ${r.term}` }
          : { accepted: false, reason: 'not-leader', leader: hint, message: `member ${target.id} is not the leader; member ${hint} is` };
      }
    } else {
      const id = this.leader();
      if (id === null) return { accepted: false, reason: 'no-leader', leader: null, message: 'no member is leader' };
      target = this.#members[id - 1]!;
    }
    const node = target.node!;
    const res = node.propose(String(data));
    if (res !== 'ok') return { accepted: false, reason: 'dropped', leader: target.id, message: `member ${target.id} dropped the proposal` };
    const index = node.raft.raftLog.lastIndex();
    const term = node.raft.term;
    // Like etcd's node loop, proposals stepped before the next Ready share it:
    // the entry is persisted and sent when the cluster next ticks.
    this.#pending[target.id] = true;
    return { accepted: true, leader: target.id, term, index };
  }

  // --- faults ------------------------------------------------------------------

  /**
   * Splits the network into groups of member ids; messages between groups are
   * lost (including ones already in flight). Members listed in no group form
   * one more group together.
   */
  partition(groups: readonly (readonly number[])[]): Result<number[][]> {
    const seen = new Set<number>();
    for (const g of groups) {
      for (const id of g) {
        if (!this.#validId(id)) return fail(simError('BAD_MEMBER', `no member ${String(id)} (members are 1..${this.#o.members})`));
        if (seen.has(id)) return fail(simError('BAD_PARTITION', `member ${id} appears in two groups`));
        seen.add(id);
      }
    }
    this.#network.partition(groups);
    return ok(this.#network.groups());
  }

  heal(): void {
    this.#network.heal();
  }

  /** Current partition groups (one group when healed). */
  groups(): number[][] {
    return this.#network.groups();
  }

  /** Stops member `id`: its volatile state is lost, its storage (WAL, snapshot) and applied state kept. */
  crash(id: number): Result<void> {
    if (!this.#validId(id)) return fail(simError('BAD_MEMBER', `no member ${String(id)} (members are 1..${this.#o.members})`));
    const m = this.#members[id - 1]!;
    if (m.node === null) return fail(simError('ALREADY_CRASHED', `member ${id} is already crashed`));
    m.node = null;
    return ok(undefined);
  }

  /** Starts member `id` again from its storage (a running member is rebooted: crash then restart). */
  restart(id: number): Result<void> {
    if (!this.#validId(id)) return fail(simError('BAD_MEMBER', `no member ${String(id)} (members are 1..${this.#o.members})`));
    const m = this.#members[id - 1]!;
    m.node = null;
    this.#boot(m);
    return ok(undefined);
  }

  // --- observation -------------------------------------------------------------

  /** The live leader with the highest term, or null if there is none (or two share that term). */
  leader(): number | null {
    let best: number | null = null;
    let bestTerm = -1;
    let tie = false;
    for (const m of this.#members) {
      const r = m.node?.raft;
      if (!r || r.state !== 'leader') continue;
      if (r.term > bestTerm) {
        best = m.id;
        bestTerm = r.term;
        tie = false;
      } else if (r.term === bestTerm) {
        tie = true;
      }
    }
    return tie ? null : best;
  }

  isCrashed(id: number): boolean {
    this.#mustBeMember(id);
    return this.#members[id - 1]!.node === null;
  }

  /** A member's state; a crashed member shows what its storage holds (role follower). */
  status(id: number): MemberStatus {
    this.#mustBeMember(id);
    const m = this.#members[id - 1]!;
    const snapshotIndex = m.storage.snapshot().metadata.index;
    if (m.node === null) {
      const hs = m.storage.hardState;
      const lastIndex = m.storage.lastIndex();
      return {
        id, role: 'follower', term: hs.term, commitIndex: hs.commit, log: viewLog(m.storage.allEntries()), crashed: true,
        vote: hs.vote, lead: 0, appliedIndex: m.applied.length, snapshotIndex, lastIndex, lastTerm: Math.max(0, m.storage.term(lastIndex)),
      };
    }
    const r = m.node.raft;
    return {
      id, role: r.state, term: r.term, commitIndex: r.raftLog.committed, log: viewLog(r.raftLog.allEntries()), crashed: false,
      vote: r.vote, lead: r.lead, appliedIndex: m.applied.length, snapshotIndex, lastIndex: r.raftLog.lastIndex(), lastTerm: r.raftLog.lastTerm(),
    };
  }

  /** A cheap summary for per-tick timelines (no log copy). */
  brief(id: number): MemberBrief {
    this.#mustBeMember(id);
    const m = this.#members[id - 1]!;
    const r = m.node?.raft;
    const appliedIndex = m.applied.length;
    const snapshotIndex = m.storage.snapshot().metadata.index;
    if (!r) {
      const li = m.storage.lastIndex();
      return { id, role: 'follower', term: m.storage.hardState.term, commitIndex: m.storage.hardState.commit, lastIndex: li, lastTerm: Math.max(0, m.storage.term(li)), crashed: true, appliedIndex, snapshotIndex };
    }
    return { id, role: r.state, term: r.term, commitIndex: r.raftLog.committed, lastIndex: r.raftLog.lastIndex(), lastTerm: r.raftLog.lastTerm(), crashed: false, appliedIndex, snapshotIndex };
  }

  /** Entries applied to member `id`'s state machine with index >= fromIndex, in order. */
  applied(id: number, fromIndex = 1): Entry[] {
    this.#mustBeMember(id);
    return this.#members[id - 1]!.applied.slice(Math.max(0, fromIndex - 1));
  }

  /** The entry member `id` applied at `index`, if it has applied that far. */
  appliedAt(id: number, index: number): Entry | undefined {
    this.#mustBeMember(id);
    return index >= 1 ? this.#members[id - 1]!.applied[index - 1] : undefined;
  }

  // --- internals ---------------------------------------------------------------

  #validId(id: unknown): id is number {
    return typeof id === 'number' && Number.isSafeInteger(id) && id >= 1 && id <= this.#o.members;
  }

  #mustBeMember(id: number): void {
    if (!(this.#validId(id))) invariant(false, `no member ${String(id)} (members are 1..${this.#o.members})`);
  }

  #boot(m: Member): void {
    const raft = new Raft({
      id: m.id,
      voters: this.#voters,
      electionTicks: this.#o.electionTicks,
      heartbeatTicks: this.#o.heartbeatTicks,
      storage: m.storage,
      applied: m.applied.length,
      maxSizePerMsgBytes: this.#o.maxSizePerMsgBytes,
      maxInflightMsgs: this.#o.maxInflightMsgs,
      checkQuorum: this.#o.checkQuorum,
      preVote: this.#o.preVote,
      prng: m.prng,
    });
    m.node = new RawNode(raft);
  }

  #deliver(msg: Message): void {
    const to = this.#members[msg.to - 1];
    const lost = to === undefined || to.node === null || !this.#network.connected(msg.from, msg.to);
    if (msg.type === 'MsgSnap') {
      // etcd's snapshot sender reports the outcome back to raft (ReportSnapshot).
      if (!lost) this.#step(to!, msg);
      const from = this.#members[msg.from - 1];
      if (from?.node) this.#step(from, newMessage('MsgSnapStatus', { from: msg.to, to: msg.from, reject: lost }));
      return;
    }
    if (!lost) this.#step(to!, msg);
  }

  /** Steps a message; the member's Ready is handled at the next flush. */
  #step(m: Member, msg: Message): void {
    m.node!.step(msg);
    this.#pending[m.id] = true;
  }

  /** Handles the Ready of every member that stepped messages since the last flush, in id order. */
  #flush(): void {
    for (const m of this.#members) {
      if (!this.#pending[m.id]) continue;
      this.#pending[m.id] = false;
      if (m.node !== null) this.#processReady(m);
    }
  }

  /** The application loop for one member: drain every Ready. */
  #processReady(m: Member): void {
    const node = m.node!;
    while (node.hasReady()) {
      const rd = node.ready();
      if (rd.snapshot !== null) {
        m.storage.applySnapshot(rd.snapshot);
        this.#restoreStateMachine(m, rd.snapshot);
      }
      if (rd.entries.length > 0) m.storage.append(rd.entries);
      if (rd.hardState !== null) m.storage.setHardState(rd.hardState);
      let snapFailures: number[] | null = null;
      for (const msg of rd.messages) {
        if (msg.type === 'MsgSnap') this.#trace({ kind: 'snapshot-sent', from: m.id, to: msg.to, index: msg.snapshot!.metadata.index, tick: this.#nowTicks });
        if (this.#network.send(msg, this.#nowTicks) === 0 && msg.type === 'MsgSnap') (snapFailures ??= []).push(msg.to);
      }
      if (rd.committedEntries.length > 0) this.#apply(m, rd.committedEntries);
      node.advance();
      this.#maybeSnapshot(m);
      // The transport could not send a snapshot: report it (etcd's ReportSnapshot(id, SnapshotFailure)).
      if (snapFailures !== null) for (const to of snapFailures) node.step(newMessage('MsgSnapStatus', { from: to, to: m.id, reject: true }));
    }
  }

  #apply(m: Member, ents: readonly Entry[]): void {
    const applied = m.applied;
    for (const e of ents) {
      if (!(e.index === applied.length + 1)) invariant(false, `member ${m.id} applies index ${e.index} after ${applied.length}`);
      applied.push(e);
    }
    if (this.#applyListeners.size > 0) for (const l of this.#applyListeners) l({ member: m.id, kind: 'entries', entries: ents });
  }

  #restoreStateMachine(m: Member, snap: Snapshot): void {
    const index = snap.metadata.index;
    m.applied = snap.data.applied.slice(0, index);
    if (!(m.applied.length === index)) invariant(false, `snapshot at ${index} carries only ${m.applied.length} applied entries`);
    this.#trace({ kind: 'snapshot-installed', member: m.id, index, tick: this.#nowTicks });
    if (this.#applyListeners.size > 0) for (const l of this.#applyListeners) l({ member: m.id, kind: 'snapshot', index, term: snap.metadata.term, entries: m.applied });
  }

  /** etcd's triggerSnapshot: after snapshotCount applied entries, snapshot and compact, keeping catch-up entries. */
  #maybeSnapshot(m: Member): void {
    const appliedIndex = m.applied.length;
    const snapIndex = m.storage.snapshot().metadata.index;
    if (appliedIndex - snapIndex < this.#o.snapshotCount) return;
    m.storage.createSnapshot(appliedIndex, { voters: this.#voters }, { applied: m.applied });
    const compactIndex = appliedIndex - this.#o.snapshotCatchUpEntries;
    if (compactIndex > 0 && m.storage.compact(compactIndex)) {
      this.#trace({ kind: 'compacted', member: m.id, snapshotIndex: appliedIndex, firstIndex: m.storage.firstIndex(), tick: this.#nowTicks });
    }
  }

  #trace(t: ClusterTrace): void {
    if (this.#traceListeners.size > 0) for (const l of this.#traceListeners) l(t);
  }
}

function viewLog(ents: readonly Entry[]): LogEntryView[] {
  return ents.map((e) => ({ index: e.index, term: e.term, data: e.data }));
}
