/**
 * The data Raft members exchange and persist: entries, hard state, snapshots
 * and messages. Upstream: etcd-io/raft `raftpb/raft.proto` (main, read at
 * raft.go 00db8d31) — names kept (MsgApp, MsgAppResp, HardState, ...).
 *
 * Everything here is plain data. A Raft member never mutates a message or an
 * entry it received: entries are shared between logs and in-flight messages,
 * so they are treated as immutable once created.
 */

/**
 * One log entry. `data` is opaque to Raft (etcd puts a serialized request
 * here); `null` marks the empty entry a new leader appends for its own term
 * (raft.go becomeLeader: "emptyEnt := pb.Entry{Data: nil}").
 */
export interface Entry {
  readonly index: number;
  readonly term: number;
  readonly data: string | null;
}

/** What must survive a crash besides the log (raft.proto HardState). */
export interface HardState {
  /** Latest term this member has seen; never decreases. */
  readonly term: number;
  /** Member voted for in `term`, 0 (None) if it has not voted. */
  readonly vote: number;
  /** Highest index known committed; never decreases. */
  readonly commit: number;
}

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: 0, commit: 0 };

/** The voters of the group. Membership changes are not modelled: fixed 1..N. */
export interface ConfState {
  readonly voters: readonly number[];
}

export interface SnapshotMetadata {
  /** Index of the last entry the snapshot covers. */
  readonly index: number;
  readonly term: number;
  readonly confState: ConfState;
}

/**
 * A snapshot of the state machine at `metadata.index`. The sim's state
 * machine is the ordered list of applied entries, so `data` refers to that
 * list; only its first `metadata.index` items belong to the snapshot (the
 * array is append-only and may have grown since, which keeps taking a
 * snapshot O(1)).
 */
export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  readonly data: SnapshotData;
}

export interface SnapshotData {
  /** applied[i] is the entry at index i + 1; read only [0, metadata.index). */
  readonly applied: readonly Entry[];
}

export const EMPTY_SNAPSHOT: Snapshot = {
  metadata: { index: 0, term: 0, confState: { voters: [] } },
  data: { applied: [] },
};

/** raft.proto MessageType (the subset a fixed-membership group uses). */
export type MessageType =
  | 'MsgHup' // local: start an election
  | 'MsgBeat' // local: leader should broadcast heartbeats
  | 'MsgProp' // a client proposal
  | 'MsgApp' // AppendEntries
  | 'MsgAppResp'
  | 'MsgVote' // RequestVote
  | 'MsgVoteResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp'
  | 'MsgSnap' // InstallSnapshot
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgSnapStatus' // local: the transport reports whether a MsgSnap got through
  | 'MsgCheckQuorum'; // local: leader checks it heard from a quorum

/**
 * One Raft message. All fields are always present (zero when unused) so every
 * message has the same shape. `term` is 0 for local messages and proposals.
 */
export interface Message {
  type: MessageType;
  to: number;
  from: number;
  term: number;
  /** MsgApp: term of the entry at `index` (prev log term); votes: candidate's last term; reject: hint term. */
  logTerm: number;
  /** MsgApp: prev log index; MsgAppResp: acked/rejected index; votes: candidate's last index. */
  index: number;
  entries: readonly Entry[];
  commit: number;
  snapshot: Snapshot | null;
  reject: boolean;
  /** MsgAppResp reject: the follower's guess of the last index where the logs match. */
  rejectHint: number;
}

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/** A message with every unused field zeroed. */
export function newMessage(type: MessageType, fields: Partial<Message> = {}): Message {
  return {
    type,
    to: fields.to ?? 0,
    from: fields.from ?? 0,
    term: fields.term ?? 0,
    logTerm: fields.logTerm ?? 0,
    index: fields.index ?? 0,
    entries: fields.entries ?? NO_ENTRIES,
    commit: fields.commit ?? 0,
    snapshot: fields.snapshot ?? null,
    reject: fields.reject ?? false,
    rejectHint: fields.rejectHint ?? 0,
  };
}

/** raft.go StateType, with the spelling the textbook shows. */
export type StateType = 'follower' | 'candidate' | 'pre-candidate' | 'leader';

/** raft.go None: "a placeholder node ID used when there is no leader". */
export const NONE = 0;

export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === 0 && hs.commit === 0;
}

export function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/** Approximate encoded size of an entry in bytes (payload plus a fixed header), for MaxSizePerMsg. */
export function entryEncodingSize(e: Entry): number {
  return (e.data === null ? 0 : e.data.length) + 16;
}

/** Response message type for a vote request (raft/util.go voteRespMsgType). */
export function voteRespMsgType(t: MessageType): MessageType {
  return t === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp';
}
