// Revisions, ranges at a revision, txn compare-and-swap and compaction, after
// etcd-io/etcd server/storage/mvcc/kvstore_test.go and
// tests/integration/v3_grpc_test.go (main, v3.6).
import { describe, expect, it } from 'vitest';
import { KvStore } from '../../src/controlplane/etcd/mvcc/kvstore.ts';
import { ErrCompacted, ErrFutureRev, ErrRequestTooLarge, MAX_REQUEST_BYTES } from '../../src/controlplane/etcd/mvcc/errors.ts';

const put = (key: string, value: string) => ({ op: 'put' as const, key, value });

describe('KvStore revisions', () => {
  it('bumps the main revision once per write and tracks create/mod/version', () => {
    const s = new KvStore();
    expect(s.apply(put('/registry/pods/default/a', 'v1')).header.revision).toBe(1);
    expect(s.apply(put('/registry/pods/default/b', 'v1')).header.revision).toBe(2);
    expect(s.apply(put('/registry/pods/default/a', 'v2')).header.revision).toBe(3);
    const r = s.range({ op: 'range', key: '/registry/pods/default/a' });
    expect(r.op).toBe('range');
    if (r.op !== 'range') return;
    expect(r.kvs[0]).toMatchObject({ createRevision: 1, modRevision: 3, version: 2, value: 'v2' });
  });

  it('deleting a missing key does not consume a revision', () => {
    const s = new KvStore();
    s.apply(put('a', '1'));
    const d = s.apply({ op: 'delete', key: 'b' });
    expect(d).toMatchObject({ op: 'delete', deleted: 0, header: { revision: 1 } });
    expect(s.currentRevision).toBe(1);
  });

  it('reads the past at a revision, and a recreated key starts a new generation', () => {
    const s = new KvStore();
    s.apply(put('k', 'a')); // 1
    s.apply({ op: 'delete', key: 'k' }); // 2
    s.apply(put('k', 'b')); // 3
    const at1 = s.range({ op: 'range', key: 'k', revision: 1 });
    const at2 = s.range({ op: 'range', key: 'k', revision: 2 });
    const now = s.range({ op: 'range', key: 'k' });
    expect(at1.op === 'range' && at1.kvs[0]?.value).toBe('a');
    expect(at2.op === 'range' && at2.count).toBe(0);
    expect(now.op === 'range' && now.kvs[0]).toMatchObject({ value: 'b', createRevision: 3, version: 1 });
  });

  it('ranges a prefix in key order with limit and count', () => {
    const s = new KvStore();
    for (const n of ['c', 'a', 'b']) s.apply(put(`/registry/pods/default/${n}`, n));
    s.apply(put('/registry/pods/kube-system/x', 'x'));
    s.apply(put('/registry/podtemplates/default/t', 't'));
    const r = s.range({ op: 'range', key: '/registry/pods/default/', prefix: true, limit: 2 });
    expect(r.op === 'range' && r.kvs.map((kv) => kv.value)).toEqual(['a', 'b']);
    expect(r.op === 'range' && [r.count, r.more]).toEqual([3, true]);
    const all = s.range({ op: 'range', key: '/registry/pods/', prefix: true, countOnly: true });
    expect(all.op === 'range' && all.count).toBe(4);
  });

  it('txn: compare mod_revision then put (optimistic concurrency as the apiserver uses it)', () => {
    const s = new KvStore();
    s.apply(put('k', 'v1')); // 1
    const cas = (rev: number, value: string) => s.apply({
      op: 'txn',
      compare: [{ key: 'k', target: 'MOD', result: 'EQUAL', value: rev }],
      success: [put('k', value)],
      failure: [{ op: 'range', key: 'k' }],
    });
    const ok = cas(1, 'v2');
    expect(ok).toMatchObject({ op: 'txn', succeeded: true, header: { revision: 2 } });
    const stale = cas(1, 'v3');
    expect(stale).toMatchObject({ op: 'txn', succeeded: false, header: { revision: 2 } });
    expect(stale.op === 'txn' && stale.responses[0]).toMatchObject({ op: 'range', kvs: [{ value: 'v2', modRevision: 2 }] });
    // create-if-absent: mod_revision == 0
    const create = s.apply({ op: 'txn', compare: [{ key: 'new', target: 'MOD', result: 'EQUAL', value: 0 }], success: [put('new', 'x')], failure: [] });
    expect(create.op === 'txn' && create.succeeded).toBe(true);
    // VALUE compare on a missing key is false
    const v = s.apply({ op: 'txn', compare: [{ key: 'nope', target: 'VALUE', result: 'NOT_EQUAL', value: 'x' }], success: [], failure: [] });
    expect(v.op === 'txn' && v.succeeded).toBe(false);
  });

  it('a txn writing several keys uses one main revision with increasing sub revisions', () => {
    const s = new KvStore();
    const seen: string[] = [];
    s.onCommit((rev, events) => seen.push(`${rev}:${events.map((e) => `${e.type} ${e.kv.key}`).join(',')}`));
    s.apply({ op: 'txn', compare: [], success: [put('a', '1'), put('b', '1'), { op: 'delete', key: 'a' }], failure: [] });
    expect(s.currentRevision).toBe(1);
    expect(seen).toEqual(['1:PUT a,PUT b,DELETE a']);
  });

  it('compaction: reads below it fail with ErrCompacted, above current with ErrFutureRev', () => {
    const s = new KvStore();
    for (let i = 1; i <= 6; i++) s.apply(put('k', `v${i}`));
    expect(s.apply({ op: 'compact', revision: 4 })).toMatchObject({ op: 'compact' });
    expect(s.range({ op: 'range', key: 'k', revision: 3 })).toMatchObject({ op: 'error', error: ErrCompacted });
    expect(s.range({ op: 'range', key: 'k', revision: 4 })).toMatchObject({ op: 'range', kvs: [{ value: 'v4' }] });
    expect(s.range({ op: 'range', key: 'k', revision: 9 })).toMatchObject({ op: 'error', error: ErrFutureRev });
    expect(s.apply({ op: 'compact', revision: 4 })).toMatchObject({ op: 'error', error: ErrCompacted });
    expect(s.apply({ op: 'compact', revision: 7 })).toMatchObject({ op: 'error', error: ErrFutureRev });
    expect(s.storedRevisions).toBe(3); // v4, v5, v6
  });

  it('compaction removes a deleted key entirely once past its tombstone', () => {
    const s = new KvStore();
    s.apply(put('gone', '1'));
    s.apply({ op: 'delete', key: 'gone' });
    s.apply(put('other', '1'));
    s.apply({ op: 'compact', revision: 3 });
    expect(s.storedRevisions).toBe(1);
    const r = s.range({ op: 'range', key: '', rangeEnd: '\0' });
    expect(r.op === 'range' && r.kvs.map((kv) => kv.key)).toEqual(['other']);
  });

  it('refuses a put over --max-request-bytes without applying anything', () => {
    const s = new KvStore();
    const r = s.apply({ op: 'txn', compare: [], success: [put('a', '1'), put('b', 'x'.repeat(MAX_REQUEST_BYTES))], failure: [] });
    expect(r).toMatchObject({ op: 'error', error: ErrRequestTooLarge });
    expect(s.currentRevision).toBe(0);
  });
});

describe('KvStore limits', () => {
  it('refuses a txn over --max-txn-ops (128)', async () => {
    const { ErrTooManyOps } = await import('../../src/controlplane/etcd/mvcc/errors.ts');
    const s = new KvStore();
    const ops = Array.from({ length: 129 }, (_, i) => put(`k${i}`, 'v'));
    expect(s.apply({ op: 'txn', compare: [], success: ops, failure: [] })).toMatchObject({ op: 'error', error: ErrTooManyOps });
    expect(s.apply({ op: 'txn', compare: [], success: ops.slice(0, 128), failure: [] })).toMatchObject({ op: 'txn', succeeded: true, header: { revision: 1 } });
  });
});
