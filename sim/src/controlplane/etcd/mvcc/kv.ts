/**
 * The operations and responses of the MVCC store as plain JSON data, so a
 * committed Raft entry can carry an op and every member applies it the same
 * way. Field names follow etcd's api/etcdserverpb/rpc.proto and
 * api/mvccpb/kv.proto (main, v3.6): `create_revision` → `createRevision`, ...
 */
import type { MvccErrorText } from './errors.ts';

export interface KeyValue {
  key: string;
  /** Revision of the put that created the key's current generation. */
  createRevision: number;
  /** Revision of the last change to the key. */
  modRevision: number;
  /** Number of puts since the key was (re)created; 0 on a delete event's kv. */
  version: number;
  /** The stored bytes (the sim stores JSON text where Kubernetes stores protobuf). */
  value: string;
}

/** One row of a RangeRequest: `rangeEnd` absent → the single key; `prefix` → every key starting with `key`. */
export interface RangeRequest {
  op: 'range';
  key: string;
  rangeEnd?: string;
  prefix?: boolean;
  /** Read the store as it was at this revision (0/absent → current). */
  revision?: number;
  /** At most this many kvs (0/absent → no limit); `more` says whether some were cut. */
  limit?: number;
  countOnly?: boolean;
}

export interface PutRequest {
  op: 'put';
  key: string;
  value: string;
  prevKv?: boolean;
}

export interface DeleteRangeRequest {
  op: 'delete';
  key: string;
  rangeEnd?: string;
  prefix?: boolean;
  prevKv?: boolean;
}

/** etcdserverpb.Compare: `target` of `key` compared with `value` by `result`. */
export interface Compare {
  key: string;
  target: 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';
  result: 'EQUAL' | 'NOT_EQUAL' | 'GREATER' | 'LESS';
  value: number | string;
}

export type RequestOp = RangeRequest | PutRequest | DeleteRangeRequest;

/** All compares true → `success` ops, else `failure` ops; all in one revision. */
export interface TxnRequest {
  op: 'txn';
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface CompactionRequest {
  op: 'compact';
  revision: number;
}

/** What `apply` accepts: the writes a Raft entry carries (reads go through `range`). */
export type KvOp = PutRequest | DeleteRangeRequest | TxnRequest | CompactionRequest;

export interface ResponseHeader {
  /** The store revision after the request. */
  revision: number;
}

export interface RangeResponse {
  op: 'range';
  header: ResponseHeader;
  kvs: KeyValue[];
  count: number;
  more: boolean;
}

export interface PutResponse {
  op: 'put';
  header: ResponseHeader;
  prevKv?: KeyValue;
}

export interface DeleteRangeResponse {
  op: 'delete';
  header: ResponseHeader;
  deleted: number;
  prevKvs: KeyValue[];
}

export interface TxnResponse {
  op: 'txn';
  header: ResponseHeader;
  succeeded: boolean;
  responses: (RangeResponse | PutResponse | DeleteRangeResponse)[];
}

export interface CompactionResponse {
  op: 'compact';
  header: ResponseHeader;
}

/** An expected failure (compacted / future revision / too large), as a value. */
export interface ErrorResponse {
  op: 'error';
  header: ResponseHeader;
  error: MvccErrorText;
}

export type ApplyResponse = PutResponse | DeleteRangeResponse | TxnResponse | CompactionResponse | ErrorResponse;

/** A watch event (mvccpb.Event): PUT carries the new kv, DELETE a kv with only key and modRevision. */
export interface MvccEvent {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchResponse {
  watchId: number;
  header: ResponseHeader;
  events: MvccEvent[];
  /** Set when the watcher asked for history below the compacted revision; the watch is then canceled. */
  compactRevision?: number;
  canceled?: boolean;
  cancelReason?: string;
}

/** The smallest key greater than every key with this prefix (etcd's clientv3.GetPrefixRangeEnd). */
export function prefixEnd(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return '\0';
}
