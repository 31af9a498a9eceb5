/**
 * The MVCC errors, with etcd's exact texts (server/storage/mvcc/kvstore.go,
 * main v3.6). They are returned as values: a compacted read is an expected
 * outcome a client handles (the apiserver turns it into 410 Gone).
 */
export const ErrCompacted = 'mvcc: required revision has been compacted';
export const ErrFutureRev = 'mvcc: required revision is a future revision';
/** etcd's --max-request-bytes default (1.5 MiB); a bigger put is refused. */
export const MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
export const ErrRequestTooLarge = 'etcdserver: request is too large';

/** etcd's --max-txn-ops default: more ops in one txn are refused. */
export const MAX_TXN_OPS = 128;
export const ErrTooManyOps = 'etcdserver: too many operations in txn request';

export type MvccErrorText = typeof ErrCompacted | typeof ErrFutureRev | typeof ErrRequestTooLarge | typeof ErrTooManyOps;
