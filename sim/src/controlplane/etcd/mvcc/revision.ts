/**
 * An etcd revision: `main` is the store-wide counter bumped once per write
 * transaction; `sub` orders the changes inside that transaction.
 * Follows etcd-io/etcd server/storage/mvcc/revision.go (main, v3.6).
 */
export interface Revision {
  /** The store revision of the write transaction (≥ 1). */
  main: number;
  /** Index of the change inside the transaction (0, 1, 2, ...). */
  sub: number;
}

export function revGreaterThan(a: Revision, b: Revision): boolean {
  return a.main > b.main || (a.main === b.main && a.sub > b.sub);
}

/** Sub revisions per main revision the backend key can hold (2^21; a txn changes far fewer keys). */
export const MAX_SUB_REVISIONS = 2 ** 21;

/**
 * A numeric backend key ordered like etcd's 17-byte `main_sub` bolt key:
 * main × 2^21 + sub, exact for main < 2^32.
 */
export function revKey(r: Revision): number {
  return r.main * MAX_SUB_REVISIONS + r.sub;
}
