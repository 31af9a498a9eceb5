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

/** A stable map key for the backend (like etcd's 17-byte `main_sub` bolt key). */
export function revKey(r: Revision): string {
  return `${r.main}_${r.sub}`;
}
