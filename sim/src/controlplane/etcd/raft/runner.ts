/**
 * The Raft widget's runner: plays a scenario script (see script.ts) on a
 * RaftCluster and returns a plain, JSON-serialisable view — one frame per
 * command, a per-tick timeline (downsampled to at most 500 samples), the
 * final logs, notable events in words, and the safety checker's verdict.
 * Same text + same seed = same view, so a widget can rewind by replaying.
 *
 * Backs the textbook's etcd section (Raft: leader election, log replication,
 * partitions, snapshots).
 */
import { ok } from '../../../core/result.ts';
import type { Result } from '../../../core/result.ts';
import { RaftCluster } from '../cluster.ts';
import type { ClusterTrace, LogEntryView, MemberBrief } from '../cluster.ts';
import { RaftInvariantChecker } from './invariants.ts';
import type { RaftViolation } from './invariants.ts';
import { parseRaftScript } from './script.ts';
import type { LocatedCommand, MemberRef } from './script.ts';
import type { StateType } from './types.ts';

export const RAFT_TIMELINE_MAX_SAMPLES = 500;
export const RAFT_EVENTS_MAX = 2000;
/** Final logs show at most this many entries per member (the newest). */
export const RAFT_FINAL_LOG_MAX_ENTRIES = 200;

/** The story the textbook tells first: elect, write, lose the leader, elect again, catch up. */
export const DEFAULT_RAFT_SCRIPT = `# A 3-member etcd cluster. Time is counted in ticks:
# a follower that hears nothing for 10-19 ticks starts an election.
members 3 electionTicks=10 heartbeatTicks=1 snapshotCount=20 catchUpEntries=5

# Nobody leads yet: wait for a randomized election timeout to fire
# and for one member to collect a majority of votes.
tick until leader

# Writes go to the leader, which replicates them; a majority (2 of 3) commits.
propose /registry/pods/default/web=v1
propose /registry/pods/default/db=v1
tick 5

# The leader crashes. Its followers stop hearing heartbeats...
crash leader
# ...and one of them wins an election in a higher term.
tick until leader

# Two members are enough to keep committing.
propose /registry/pods/default/web=v2
propose-many 30 event
tick 10

# The old leader comes back from its WAL. It learns the new term; its log
# was compacted away on the others, so the leader sends it a snapshot.
restart all
tick 30

# Cut the leader off: it can no longer commit, and CheckQuorum makes it step down.
partition leader
propose lost-write
tick 40
heal
tick 30
`;

/** One member at one instant: role, term, commit index, last log index/term, crashed flag. */
export type MemberSample = MemberBrief;

export interface RaftFrame {
  /** 1-based script line of the command. */
  line: number;
  command: string;
  /** Cluster time after the command. */
  tick: number;
  leader: number | null;
  members: MemberSample[];
  inFlight: number;
  /** Network groups after the command (one group when healed). */
  partition: number[][];
  /** What the command did, e.g. "crashed member 2", "proposal rejected: no leader". */
  outcome: string;
}

export interface RaftTickSample {
  tick: number;
  members: MemberSample[];
  inFlight: number;
}

export type RaftEventKind =
  | 'became-leader'
  | 'stepped-down'
  | 'campaign'
  | 'pre-campaign'
  | 'committed'
  | 'overwritten'
  | 'crash'
  | 'restart'
  | 'partition'
  | 'heal'
  | 'network'
  | 'proposal-rejected'
  | 'snapshot-sent'
  | 'snapshot-installed'
  | 'compacted'
  | 'violation';

export interface RaftEvent {
  tick: number;
  /** Script line that was running when it happened. */
  line: number;
  kind: RaftEventKind;
  member?: number;
  term?: number;
  index?: number;
  /** Last index of a range (several entries committed together). */
  toIndex?: number;
  text: string;
}

export interface RaftFinalLog {
  id: number;
  crashed: boolean;
  commitIndex: number;
  snapshotIndex: number;
  entries: LogEntryView[];
  /** Older entries still held but not shown (beyond RAFT_FINAL_LOG_MAX_ENTRIES). */
  omitted: number;
}

export interface RaftRunView {
  seed: number;
  members: number;
  electionTicks: number;
  heartbeatTicks: number;
  totalTicks: number;
  frames: RaftFrame[];
  /** Per-tick samples; every `tickStride`-th tick when the run is long. */
  timeline: RaftTickSample[];
  tickStride: number;
  events: RaftEvent[];
  eventsTruncated: boolean;
  finalLogs: RaftFinalLog[];
  leadersByTerm: { term: number; leader: number }[];
  /** Safety violations found by the invariant checker (empty when Raft held up). */
  violations: RaftViolation[];
}

interface TrackedProposal {
  index: number;
  term: number;
  data: string;
  leader: number;
  line: number;
}

/** Parses and runs `text`; errors (with line/column) if the script is invalid. */
export function runRaftScript(text: string, options: { seed: number }): Result<RaftRunView> {
  const parsed = parseRaftScript(text);
  if (!parsed.ok) return parsed;
  const script = parsed.value;
  const seed = Number.isSafeInteger(options.seed) ? options.seed : 1;
  const cluster = new RaftCluster({ members: script.members, seed, ...script.options });
  const n = script.members;
  const checker = new RaftInvariantChecker(cluster);
  let tickStride = 1;

  const frames: RaftFrame[] = [];
  const timeline: RaftTickSample[] = [];
  const events: RaftEvent[] = [];
  let eventsTruncated = false;
  let line = 1;
  const emit = (e: Omit<RaftEvent, 'tick' | 'line'>) => {
    if (events.length >= RAFT_EVENTS_MAX) {
      eventsTruncated = true;
      return;
    }
    events.push({ tick: cluster.nowTicks, line, ...e });
  };
  cluster.onTrace((t: ClusterTrace) => {
    if (t.kind === 'snapshot-sent') emit({ kind: 'snapshot-sent', member: t.from, index: t.index, text: `member ${t.from} sent a snapshot up to index ${t.index} to member ${t.to}` });
    else if (t.kind === 'snapshot-installed') emit({ kind: 'snapshot-installed', member: t.member, index: t.index, text: `member ${t.member} installed a snapshot up to index ${t.index}` });
    else emit({ kind: 'compacted', member: t.member, index: t.snapshotIndex, text: `member ${t.member} took a snapshot at index ${t.snapshotIndex} and compacted its log (now starts at ${t.firstIndex})` });
  });

  const sample = (): MemberSample[] => {
    const out: MemberSample[] = [];
    for (let id = 1; id <= n; id++) out.push(cluster.brief(id));
    return out;
  };
  let prev = sample();
  const proposals: TrackedProposal[] = [];
  /** Smallest index among `proposals` (MAX when none): skip the scan until commit reaches it. */
  let minPendingIndex = Number.MAX_SAFE_INTEGER;
  let violationsSeen = 0;

  /** Diffs the cluster against the last observation and turns changes into events. */
  const observe = () => {
    const cur = sample();
    for (let i = 0; i < n; i++) {
      const a = prev[i]!;
      const b = cur[i]!;
      if (b.crashed) continue;
      if (b.role === 'leader' && (a.role !== 'leader' || a.term !== b.term)) emit({ kind: 'became-leader', member: b.id, term: b.term, text: `term ${b.term}: member ${b.id} became leader` });
      else if (a.role === 'leader' && !a.crashed && b.role !== 'leader') emit({ kind: 'stepped-down', member: b.id, term: b.term, text: `member ${b.id} stepped down (term ${b.term})` });
      if (b.role === 'candidate' && (a.role !== 'candidate' || a.term !== b.term)) emit({ kind: 'campaign', member: b.id, term: b.term, text: `member ${b.id} started an election for term ${b.term}` });
      if (b.role === 'pre-candidate' && a.role !== 'pre-candidate') emit({ kind: 'pre-campaign', member: b.id, term: b.term, text: `member ${b.id} asked for pre-votes for term ${b.term + 1} (its own term stays ${b.term})` });
    }
    // Proposals: committed as proposed, or overwritten by another leader's entry.
    let maxCommit = 0;
    for (const s of cur) maxCommit = Math.max(maxCommit, s.commitIndex);
    if (maxCommit >= minPendingIndex) {
      minPendingIndex = Number.MAX_SAFE_INTEGER;
      let kept = 0;
      const committed: TrackedProposal[] = [];
      for (const p of proposals) {
        const e = p.index <= maxCommit ? committedEntryAt(cluster, n, p.index) : undefined;
        if (e === undefined) {
          // not committed yet, or committed but not applied anywhere yet
          proposals[kept++] = p;
        } else if (e.term === p.term && e.data === p.data) {
          committed.push(p);
        } else {
          emit({ kind: 'overwritten', member: p.leader, term: p.term, index: p.index, text: `index ${p.index} ${JSON.stringify(p.data)} from term ${p.term} was never committed: the entry committed there is ${e.data === null ? 'an empty entry' : JSON.stringify(e.data)} of term ${e.term}` });
        }
      }
      proposals.length = kept;
      emitCommitted(committed);
    }
    if (minPendingIndex === Number.MAX_SAFE_INTEGER) for (const p of proposals) minPendingIndex = Math.min(minPendingIndex, p.index);
    checker.observe(cur);
    while (violationsSeen < checker.violations.length) {
      const v = checker.violations[violationsSeen++]!;
      emit({ kind: 'violation', text: `${v.property}: ${v.message}` });
    }
    prev = cur;
    return cur;
  };

  /** One event per run of consecutive indexes committed together in one term. */
  const emitCommitted = (ps: TrackedProposal[]) => {
    ps.sort((a, b) => a.index - b.index);
    for (let i = 0; i < ps.length; ) {
      let j = i + 1;
      while (j < ps.length && ps[j]!.index === ps[j - 1]!.index + 1 && ps[j]!.term === ps[i]!.term) j++;
      const first = ps[i]!;
      const last = ps[j - 1]!;
      const text = j - i === 1
        ? `index ${first.index} ${JSON.stringify(first.data)} committed (term ${first.term})`
        : `indexes ${first.index}-${last.index} committed (term ${first.term}): ${JSON.stringify(first.data)} … ${JSON.stringify(last.data)}`;
      emit({ kind: 'committed', member: first.leader, term: first.term, index: first.index, ...(j - i > 1 ? { toIndex: last.index } : {}), text });
      i = j;
    }
  };

  const step = () => {
    cluster.tick(1);
    const cur = observe();
    if (cluster.nowTicks % tickStride !== 0) return;
    timeline.push({ tick: cluster.nowTicks, members: cur, inFlight: cluster.inFlight });
    if (timeline.length > RAFT_TIMELINE_MAX_SAMPLES) {
      // Keep every other sample and sample half as often from now on.
      tickStride *= 2;
      const kept = timeline.filter((x) => x.tick % tickStride === 0);
      timeline.length = 0;
      timeline.push(...kept);
    }
  };

  const resolve = (ref: MemberRef): number | null => (ref === 'leader' ? cluster.leader() : ref);

  for (const cmd of script.commands) {
    line = cmd.line;
    let outcome = '';
    switch (cmd.op) {
      case 'members':
        outcome = `${n} members, electionTicks ${cluster.electionTicks}`;
        break;
      case 'tick':
        for (let t = 0; t < cmd.ticks; t++) step();
        outcome = `now at tick ${cluster.nowTicks}`;
        break;
      case 'tick-until-leader': {
        const start = cluster.nowTicks;
        while (cluster.leader() === null && cluster.nowTicks - start < cmd.maxTicks) step();
        const l = cluster.leader();
        outcome = l === null ? `no leader after ${cmd.maxTicks} ticks` : `member ${l} leads term ${cluster.status(l).term} (waited ${cluster.nowTicks - start} ticks)`;
        break;
      }
      case 'propose':
        outcome = propose(cmd.data);
        break;
      case 'propose-many': {
        let accepted = 0;
        for (let k = 1; k <= cmd.count; k++) if (propose(`${cmd.prefix}-${k}`).startsWith('accepted')) accepted++;
        outcome = `${accepted} of ${cmd.count} proposals accepted`;
        break;
      }
      case 'crash': {
        const id = resolve(cmd.target);
        if (id === null) outcome = 'no leader to crash';
        else {
          const r = cluster.crash(id);
          outcome = r.ok ? `crashed member ${id}` : r.errors[0]!.message;
          if (r.ok) emit({ kind: 'crash', member: id, text: `member ${id} crashed (keeps its WAL: term, vote, log, snapshot)` });
        }
        break;
      }
      case 'restart': {
        const ids = cmd.target === 'all' ? range(n).filter((id) => cluster.isCrashed(id)) : [cmd.target];
        for (const id of ids) {
          cluster.restart(id);
          emit({ kind: 'restart', member: id, term: cluster.status(id).term, text: `member ${id} restarted from its WAL at term ${cluster.status(id).term}` });
        }
        outcome = ids.length === 0 ? 'no crashed member to restart' : `restarted member${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`;
        break;
      }
      case 'partition': {
        const groups: number[][] = [];
        let missing = false;
        for (const g of cmd.groups) {
          const ids: number[] = [];
          for (const ref of g) {
            const id = resolve(ref);
            if (id === null) missing = true;
            else ids.push(id);
          }
          groups.push(ids);
        }
        if (missing) {
          outcome = 'no leader: partition not applied';
          break;
        }
        const r = cluster.partition(groups);
        if (r.ok) {
          outcome = `network split into ${r.value.map((g) => `{${g.join(',')}}`).join(' ')}`;
          emit({ kind: 'partition', text: outcome });
        } else outcome = r.errors[0]!.message;
        break;
      }
      case 'heal':
        cluster.heal();
        outcome = 'network healed';
        emit({ kind: 'heal', text: outcome });
        break;
      case 'network': {
        const r = cluster.setNetwork(cmd.options);
        outcome = r.ok ? `network: dropRate ${r.value.dropRate}, duplicateRate ${r.value.duplicateRate}, delay ${r.value.delayTicks[0]}-${r.value.delayTicks[1]} ticks` : r.errors[0]!.message;
        if (r.ok) emit({ kind: 'network', text: outcome });
        break;
      }
      case 'status':
        outcome = `leader ${cluster.leader() ?? 'none'}`;
        break;
    }
    const cur = observe();
    frames.push(frame(cmd, cluster, cur, outcome));
  }

  function propose(data: string): string {
    const r = cluster.propose(data);
    if (r.accepted) {
      proposals.push({ index: r.index, term: r.term, data, leader: r.leader, line });
      minPendingIndex = Math.min(minPendingIndex, r.index);
      return `accepted by leader ${r.leader} at index ${r.index} (term ${r.term})`;
    }
    emit({ kind: 'proposal-rejected', text: `proposal ${JSON.stringify(data)} rejected: ${r.message}` });
    return `rejected: ${r.message}`;
  }

  const finalLogs: RaftFinalLog[] = range(n).map((id) => {
    const s = cluster.status(id);
    const omitted = Math.max(0, s.log.length - RAFT_FINAL_LOG_MAX_ENTRIES);
    return { id, crashed: s.crashed, commitIndex: s.commitIndex, snapshotIndex: s.snapshotIndex, entries: s.log.slice(omitted), omitted };
  });
  const leadersByTerm = [...checker.leadersByTerm()].sort((a, b) => a[0] - b[0]).map(([term, leader]) => ({ term, leader }));

  return ok({
    seed,
    members: n,
    electionTicks: cluster.electionTicks,
    heartbeatTicks: script.options.heartbeatTicks ?? 1,
    totalTicks: cluster.nowTicks,
    frames,
    timeline,
    tickStride,
    events,
    eventsTruncated,
    finalLogs,
    leadersByTerm,
    violations: checker.violations,
  });
}

function frame(cmd: LocatedCommand, c: RaftCluster, members: MemberSample[], outcome: string): RaftFrame {
  return { line: cmd.line, command: cmd.text, tick: c.nowTicks, leader: c.leader(), members, inFlight: c.inFlight, partition: c.groups(), outcome };
}

/** The entry at `index` on any member that has applied it (applied entries are committed). */
function committedEntryAt(c: RaftCluster, n: number, index: number): LogEntryView | undefined {
  for (let id = 1; id <= n; id++) {
    const e = c.appliedAt(id, index);
    if (e) return e;
  }
  return undefined;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
