/**
 * An MVCC store replicated by Raft, as etcd's server wires them
 * (server/etcdserver/server.go: a write is proposed, and applied by every
 * member to its own backend when committed — apply.go / applyEntryNormal).
 * Each member has its own WatchableStore; ops travel as JSON entry data
 * `{"id": n, "op": {...}}`, so all members apply the same ops in log order
 * and reach the same revisions. The apiserver talks to one member
 * (`servingMember`, like its --etcd-servers endpoint): reads and watches are
 * served from that member's store, and a write returns once that member has
 * applied it, or times out with "etcdserver: request timed out".
 */
import type { ApplyEvent } from '../cluster.ts';
import { ErrTimeout, type KvClient, type TimeoutResponse } from './client.ts';
import type { ApplyResponse, ErrorResponse, KvOp, RangeRequest, RangeResponse } from './kv.ts';
import { WatchableStore, type WatchListener, type WatchRequest } from './watchable-store.ts';

/** The part of RaftCluster this store uses. */
export interface RaftLike {
  readonly memberCount: number;
  propose(data: string): { accepted: boolean };
  tick(n?: number): void;
  onApply(listener: (e: ApplyEvent) => void): () => void;
}

export interface ReplicatedStoreOptions {
  /** The member the apiserver reads from and waits on (default 1). */
  servingMember?: number;
  /**
   * How long a write may wait before timing out. Default 70 ticks: etcd's
   * ReqTimeout is 5 s + 2 × election timeout (1 s) = 7 s, at one 100 ms
   * heartbeat tick per tick.
   */
  requestTimeoutTicks?: number;
}

interface Envelope {
  id: number;
  op: KvOp;
}

export class ReplicatedStore implements KvClient {
  readonly #raft: RaftLike;
  readonly #members: WatchableStore[] = [];
  /** Entries each member has applied (its consistent index). */
  readonly #appliedIndex: number[] = [];
  readonly #serving: number;
  readonly #timeoutTicks: number;
  #nextId = 1;
  readonly #responses = new Map<number, ApplyResponse>();

  constructor(raft: RaftLike, options: ReplicatedStoreOptions = {}) {
    this.#raft = raft;
    this.#serving = options.servingMember ?? 1;
    this.#timeoutTicks = options.requestTimeoutTicks ?? 70;
    for (let i = 0; i < raft.memberCount; i++) {
      this.#members.push(new WatchableStore());
      this.#appliedIndex.push(0);
    }
    raft.onApply((e) => this.#onApply(e));
  }

  /** The store of member `id` (1-based), to compare members' applied state. */
  member(id: number): WatchableStore {
    return this.#members[id - 1]!;
  }

  get servingMember(): number {
    return this.#serving;
  }

  get currentRevision(): number {
    return this.member(this.#serving).currentRevision;
  }

  get compactRevision(): number {
    return this.member(this.#serving).compactRevision;
  }

  /** Proposes the op and ticks the cluster until the serving member has applied it. */
  apply(op: KvOp): ApplyResponse | TimeoutResponse {
    const id = this.#nextId++;
    const data = JSON.stringify({ id, op } satisfies Envelope);
    let waited = 0;
    let proposed = false;
    while (waited <= this.#timeoutTicks) {
      if (!proposed) proposed = this.#raft.propose(data).accepted;
      const done = this.#responses.get(id);
      if (done) {
        this.#responses.delete(id);
        return done;
      }
      this.#raft.tick(1);
      waited++;
    }
    return { op: 'timeout', error: ErrTimeout, waitedTicks: waited };
  }

  range(req: RangeRequest): RangeResponse | ErrorResponse {
    return this.member(this.#serving).range(req);
  }

  watch(req: WatchRequest, listener: WatchListener): number {
    return this.member(this.#serving).watch(req, listener);
  }

  cancel(watchId: number): boolean {
    return this.member(this.#serving).cancel(watchId);
  }

  #onApply(e: ApplyEvent): void {
    const idx = e.member - 1;
    const entries = e.kind === 'entries' ? e.entries : e.entries.slice(this.#appliedIndex[idx]);
    for (const entry of entries) {
      if (entry.index <= this.#appliedIndex[idx]!) continue;
      this.#appliedIndex[idx] = entry.index;
      if (entry.data === null || entry.data === '') continue;
      let env: Envelope;
      try {
        env = JSON.parse(entry.data) as Envelope;
      } catch {
        continue; // not an MVCC op (someone else proposed raw data): etcd would reject it at apply
      }
      if (!env || typeof env.id !== 'number' || !env.op) continue;
      const res = this.#members[idx]!.apply(env.op);
      if (e.member === this.#serving) this.#responses.set(env.id, res);
    }
  }
}
