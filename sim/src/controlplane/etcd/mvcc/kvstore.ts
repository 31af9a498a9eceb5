/**
 * The MVCC key-value store as a deterministic state machine: `apply(op)` for
 * writes (what a committed Raft entry carries), `range` for reads at any
 * revision not yet compacted. Follows etcd-io/etcd server/storage/mvcc
 * kvstore.go, kvstore_txn.go, index.go (main, v3.6) and the txn compare rules
 * of server/etcdserver/txn/txn.go.
 *
 * Invariants: `currentRev` grows by exactly one per write transaction that
 * changed something; every change has a distinct (main, sub) revision;
 * `compactMainRev` ≤ `currentRev`; reads below `compactMainRev` fail with
 * ErrCompacted, above `currentRev` with ErrFutureRev.
 */
import { invariant } from '../../../core/invariant.ts';
import { ErrCompacted, ErrFutureRev, ErrRequestTooLarge, ErrTooManyOps, MAX_REQUEST_BYTES, MAX_TXN_OPS } from './errors.ts';
import { KeyIndex } from './key-index.ts';
import { prefixEnd } from './kv.ts';
import type {
  ApplyResponse, Compare, DeleteRangeRequest, DeleteRangeResponse, ErrorResponse, KeyValue, KvOp, MvccEvent,
  PutRequest, PutResponse, RangeRequest, RangeResponse, RequestOp, TxnRequest, TxnResponse,
} from './kv.ts';
import { MAX_SUB_REVISIONS, revKey, type Revision } from './revision.ts';

/** One backend row: the kv written at a revision (a tombstone for deletes). */
interface Row {
  rev: Revision;
  kv: KeyValue;
  tombstone: boolean;
}

export type CommitListener = (revision: number, events: MvccEvent[]) => void;

export class KvStore {
  #currentRev = 0;
  #compactMainRev = 0;
  /** key → history (etcd's treeIndex, a B-tree; here a map plus a sorted key list). */
  #index = new Map<string, KeyIndex>();
  #sortedKeys: string[] = [];
  /** revKey → row (etcd's bolt "key" bucket, keyed by revision). */
  #backend = new Map<number, Row>();
  /** Rows in revision order, for watchers catching up from an old revision. */
  #log: Row[] = [];
  #listeners: CommitListener[] = [];

  get currentRevision(): number {
    return this.#currentRev;
  }

  get compactRevision(): number {
    return this.#compactMainRev;
  }

  /** Called after every write transaction that changed something, with its events in sub order. */
  onCommit(listener: CommitListener): void {
    this.#listeners.push(listener);
  }

  /** Applies one write op. Deterministic: the same ops in the same order give the same store. */
  apply(op: KvOp): ApplyResponse {
    const tooLarge = checkRequestSize(op);
    if (tooLarge) return { op: 'error', header: { revision: this.#currentRev }, error: tooLarge };
    switch (op.op) {
      case 'compact':
        return this.#compact(op.revision);
      case 'txn':
        return this.#txn(op);
      case 'put':
      case 'delete':
        return this.#txn({ op: 'txn', compare: [], success: [op], failure: [] }).responses[0] as PutResponse | DeleteRangeResponse;
    }
  }

  /** Reads keys at `req.revision` (current when 0/absent). */
  range(req: RangeRequest): RangeResponse | ErrorResponse {
    const rev = req.revision && req.revision > 0 ? req.revision : this.#currentRev;
    if (rev > this.#currentRev) return { op: 'error', header: { revision: this.#currentRev }, error: ErrFutureRev };
    if (rev < this.#compactMainRev) return { op: 'error', header: { revision: this.#currentRev }, error: ErrCompacted };
    return this.#rangeAt(req, rev);
  }

  /** Changes with main revision in [fromRev, toRev], in revision order; ErrCompacted when fromRev is gone. */
  changesBetween(fromRev: number, toRev: number): { revision: number; events: MvccEvent[] }[] | typeof ErrCompacted {
    if (fromRev < this.#compactMainRev) return ErrCompacted;
    const out: { revision: number; events: MvccEvent[] }[] = [];
    let lo = 0;
    let hi = this.#log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#log[mid]!.rev.main < fromRev) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.#log.length && this.#log[i]!.rev.main <= toRev; i++) {
      const row = this.#log[i]!;
      const last = out[out.length - 1];
      const ev = this.#event(row);
      if (last && last.revision === row.rev.main) last.events.push(ev);
      else out.push({ revision: row.rev.main, events: [ev] });
    }
    return out;
  }

  #event(row: Row): MvccEvent {
    return row.tombstone ? { type: 'DELETE', kv: { ...row.kv } } : { type: 'PUT', kv: { ...row.kv } };
  }

  #rangeAt(req: Pick<RangeRequest, 'key' | 'rangeEnd' | 'prefix' | 'limit' | 'countOnly'>, rev: number): RangeResponse {
    const kvs: KeyValue[] = [];
    let count = 0;
    for (const key of this.#keysIn(req)) {
      const got = this.#index.get(key)!.get(rev);
      if (!got) continue;
      count++;
      if (req.countOnly) continue;
      if (req.limit && kvs.length >= req.limit) continue;
      const row = this.#backend.get(revKey(got.modified));
      if (!row || row.tombstone) invariant(false, `index points at missing row ${revKey(got.modified)} for ${key}`);
      kvs.push({ ...row.kv });
    }
    return { op: 'range', header: { revision: this.#currentRev }, kvs, count, more: !!req.limit && count > kvs.length };
  }

  /** Keys of the index in [key, end) in byte order (end from rangeEnd/prefix; none → just key). */
  *#keysIn(req: { key: string; rangeEnd?: string; prefix?: boolean }): Generator<string> {
    const end = req.prefix ? prefixEnd(req.key) : req.rangeEnd;
    if (end === undefined || end === '') {
      if (this.#index.has(req.key)) yield req.key;
      return;
    }
    const all = end === '\0';
    for (let i = lowerBound(this.#sortedKeys, req.key); i < this.#sortedKeys.length; i++) {
      const k = this.#sortedKeys[i]!;
      if (!all && k >= end) break;
      yield k;
    }
  }

  #txn(req: TxnRequest): TxnResponse {
    const succeeded = req.compare.every((c) => this.#compareHolds(c));
    const ops = succeeded ? req.success : req.failure;
    const main = this.#currentRev + 1;
    let sub = 0;
    const events: MvccEvent[] = [];
    const responses: TxnResponse['responses'] = [];
    for (const op of ops) {
      if (op.op === 'range') {
        // Reads inside a write txn see its own earlier writes (etcd reads at beginRev+1 once changes exist).
        responses.push(this.#rangeAt(op, sub > 0 ? main : this.#currentRev));
      } else if (op.op === 'put') {
        const r = this.#put(op, main, sub);
        sub++;
        events.push(r.event);
        responses.push(r.response);
      } else {
        const r = this.#deleteRange(op, main, sub);
        sub += r.events.length;
        events.push(...r.events);
        responses.push(r.response);
      }
    }
    if (sub > 0) this.#currentRev = main;
    for (const r of responses) r.header.revision = this.#currentRev;
    if (events.length) for (const l of this.#listeners) l(this.#currentRev, events.map((e) => ({ ...e })));
    return { op: 'txn', header: { revision: this.#currentRev }, succeeded, responses };
  }

  #put(op: PutRequest, main: number, sub: number): { event: MvccEvent; response: PutResponse } {
    let ki = this.#index.get(op.key);
    const prev = ki?.get(main);
    const prevRow = prev ? this.#backend.get(revKey(prev.modified)) : undefined;
    if (!ki) {
      ki = new KeyIndex(op.key);
      this.#index.set(op.key, ki);
      this.#sortedKeys.splice(lowerBound(this.#sortedKeys, op.key), 0, op.key);
    }
    const rev = { main, sub };
    const createRevision = prev ? prev.created.main : main;
    const version = prev ? prev.ver + 1 : 1;
    ki.put(main, sub);
    const kv: KeyValue = { key: op.key, createRevision, modRevision: main, version, value: op.value };
    this.#addRow({ rev, kv, tombstone: false });
    const response: PutResponse = { op: 'put', header: { revision: main } };
    if (op.prevKv && prevRow) response.prevKv = { ...prevRow.kv };
    return { event: { type: 'PUT', kv: { ...kv }, ...(prevRow ? { prevKv: { ...prevRow.kv } } : {}) }, response };
  }

  #deleteRange(op: DeleteRangeRequest, main: number, sub: number): { events: MvccEvent[]; response: DeleteRangeResponse } {
    const events: MvccEvent[] = [];
    const prevKvs: KeyValue[] = [];
    for (const key of [...this.#keysIn(op)]) {
      const ki = this.#index.get(key)!;
      const prev = ki.get(main);
      if (!prev) continue;
      const prevRow = this.#backend.get(revKey(prev.modified))!;
      const rev = { main, sub: sub + events.length };
      invariant(rev.sub < MAX_SUB_REVISIONS, `a txn changed more than ${MAX_SUB_REVISIONS} keys`);
      invariant(ki.tombstone(rev.main, rev.sub), `tombstone on a dead key ${key}`);
      const kv: KeyValue = { key, createRevision: 0, modRevision: main, version: 0, value: '' };
      this.#addRow({ rev, kv, tombstone: true });
      events.push({ type: 'DELETE', kv: { ...kv }, prevKv: { ...prevRow.kv } });
      prevKvs.push({ ...prevRow.kv });
    }
    return { events, response: { op: 'delete', header: { revision: main }, deleted: events.length, prevKvs: op.prevKv ? prevKvs : [] } };
  }

  #addRow(row: Row): void {
    this.#backend.set(revKey(row.rev), row);
    this.#log.push(row);
  }

  #compareHolds(c: Compare): boolean {
    const got = this.#index.get(c.key)?.get(this.#currentRev);
    const row = got ? this.#backend.get(revKey(got.modified)) : undefined;
    let actual: number | string;
    switch (c.target) {
      case 'VALUE':
        if (!row) return false; // etcd: a VALUE compare against a missing key is false
        actual = row.kv.value;
        break;
      case 'MOD':
        actual = row?.kv.modRevision ?? 0;
        break;
      case 'CREATE':
        actual = row?.kv.createRevision ?? 0;
        break;
      case 'VERSION':
        actual = row?.kv.version ?? 0;
        break;
    }
    const cmp = actual < c.value ? -1 : actual > c.value ? 1 : 0;
    switch (c.result) {
      case 'EQUAL': return cmp === 0;
      case 'NOT_EQUAL': return cmp !== 0;
      case 'GREATER': return cmp > 0;
      case 'LESS': return cmp < 0;
    }
  }

  /**
   * Compaction (kvstore.go `compact` + kvstore_compaction.go): forget every
   * revision ≤ `rev` that is superseded at `rev`. Reads and watches below it
   * then fail with ErrCompacted.
   */
  #compact(rev: number): ApplyResponse {
    const header = { revision: this.#currentRev };
    if (rev <= this.#compactMainRev) return { op: 'error', header, error: ErrCompacted };
    if (rev > this.#currentRev) return { op: 'error', header, error: ErrFutureRev };
    this.#compactMainRev = rev;
    const keep = new Set<number>();
    for (const key of [...this.#sortedKeys]) {
      const ki = this.#index.get(key)!;
      ki.compact(rev, keep, revKey);
      if (ki.isEmpty()) {
        this.#index.delete(key);
        this.#sortedKeys.splice(lowerBound(this.#sortedKeys, key), 1);
      }
    }
    this.#log = this.#log.filter((row) => {
      if (row.rev.main > rev || keep.has(revKey(row.rev))) return true;
      this.#backend.delete(revKey(row.rev));
      return false;
    });
    return { op: 'compact', header };
  }

  /** Number of backend rows (revisions still stored), to show what compaction frees. */
  get storedRevisions(): number {
    return this.#backend.size;
  }
}

/**
 * Rejects an op over etcd's limits (--max-request-bytes, --max-txn-ops)
 * before anything is applied, so a txn never half-applies.
 */
export function checkRequestSize(op: KvOp): typeof ErrRequestTooLarge | typeof ErrTooManyOps | undefined {
  if (op.op === 'txn' && (op.success.length > MAX_TXN_OPS || op.failure.length > MAX_TXN_OPS || op.compare.length > MAX_TXN_OPS)) return ErrTooManyOps;
  const ops: RequestOp[] = op.op === 'txn' ? [...op.success, ...op.failure] : op.op === 'compact' ? [] : [op];
  let bytes = 0;
  for (const o of ops) bytes += o.key.length + (o.op === 'put' ? o.value.length : 0);
  return bytes > MAX_REQUEST_BYTES ? ErrRequestTooLarge : undefined;
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
