/**
 * What the apiserver needs from etcd: writes as ops, reads, and watches.
 * A local WatchableStore satisfies it directly; a ReplicatedStore routes
 * writes through Raft and may answer with a timeout instead.
 */
import type { ApplyResponse, ErrorResponse, KvOp, RangeRequest, RangeResponse } from './kv.ts';
import type { WatchListener, WatchRequest } from './watchable-store.ts';

/** etcd's ErrTimeout text, answered when a proposal is not applied in time. */
export const ErrTimeout = 'etcdserver: request timed out';

export interface TimeoutResponse {
  op: 'timeout';
  error: typeof ErrTimeout;
  /** Ticks the client waited. */
  waitedTicks: number;
}

export interface KvClient {
  apply(op: KvOp): ApplyResponse | TimeoutResponse;
  range(req: RangeRequest): RangeResponse | ErrorResponse;
  watch(req: WatchRequest, listener: WatchListener): number;
  cancel(watchId: number): boolean;
  readonly currentRevision: number;
  readonly compactRevision: number;
}
