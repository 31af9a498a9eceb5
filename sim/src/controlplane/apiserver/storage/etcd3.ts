/**
 * The apiserver's etcd3 storage (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go,
 * v1.34): every write is a txn guarded by the key's mod_revision, which is
 * how Kubernetes gets optimistic concurrency from etcd:
 *   Create:  If(mod_revision(key) == 0) Then(put) Else()        → AlreadyExists
 *   Update:  If(mod_revision(key) == rv) Then(put) Else(get)    → Conflict
 *   Delete:  If(mod_revision(key) == rv) Then(delete) Else(get)
 */
import type { KvClient } from '../../etcd/mvcc/client.ts';
import type { KeyValue } from '../../etcd/mvcc/kv.ts';
import type { KObject } from '../object.ts';
import { decode, encode } from './codec.ts';

export type StorageResult =
  | { ok: true; obj: KObject; revision: number }
  | { ok: false; reason: 'exists' | 'notFound' | 'conflict'; current?: KObject }
  | { ok: false; reason: 'timeout' | 'tooLarge' | 'compacted'; message: string };

export class Etcd3Storage {
  readonly client: KvClient;

  constructor(client: KvClient) {
    this.client = client;
  }

  get(key: string): { obj?: KObject; revision: number } {
    const r = this.client.range({ op: 'range', key });
    if (r.op !== 'range') return { revision: this.client.currentRevision };
    return { obj: r.kvs[0] ? decode(r.kvs[0]) : undefined, revision: r.header.revision };
  }

  /** Range over a prefix, at `revision` (0 → now); `compacted` when that revision is gone. */
  list(prefix: string, revision = 0): { items: KObject[]; revision: number } | { error: 'compacted' | 'future' } {
    const r = this.client.range({ op: 'range', key: prefix, prefix: true, revision });
    if (r.op === 'error') return { error: r.error.includes('compacted') ? 'compacted' : 'future' };
    return { items: r.kvs.map(decode), revision: revision || r.header.revision };
  }

  create(key: string, obj: KObject): StorageResult {
    return this.#txn(key, 0, { op: 'put', key, value: encode(obj) }, 'exists');
  }

  /** Writes `obj` if the key is still at `expectedModRevision`. */
  update(key: string, expectedModRevision: number, obj: KObject): StorageResult {
    return this.#txn(key, expectedModRevision, { op: 'put', key, value: encode(obj) }, 'conflict');
  }

  delete(key: string, expectedModRevision: number): StorageResult {
    return this.#txn(key, expectedModRevision, { op: 'delete', key, prevKv: true }, 'conflict');
  }

  #txn(key: string, modRevision: number, then: { op: 'put'; key: string; value: string } | { op: 'delete'; key: string; prevKv: boolean }, onFail: 'exists' | 'conflict'): StorageResult {
    const r = this.client.apply({
      op: 'txn',
      compare: [{ key, target: 'MOD', result: 'EQUAL', value: modRevision }],
      success: [then],
      failure: [{ op: 'range', key }],
    });
    if (r.op === 'timeout') return { ok: false, reason: 'timeout', message: r.error };
    if (r.op === 'error') return { ok: false, reason: 'tooLarge', message: r.error };
    if (r.op !== 'txn') return { ok: false, reason: 'timeout', message: `unexpected response ${r.op}` };
    if (!r.succeeded) {
      const got = r.responses[0];
      const kv: KeyValue | undefined = got && got.op === 'range' ? got.kvs[0] : undefined;
      if (!kv) return { ok: false, reason: 'notFound' };
      return { ok: false, reason: onFail, current: decode(kv) };
    }
    const res = r.responses[0];
    if (res?.op === 'delete') {
      const prev = res.prevKvs[0];
      if (!prev) return { ok: false, reason: 'notFound' };
      const obj = JSON.parse(prev.value) as KObject;
      obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(r.header.revision) };
      return { ok: true, obj, revision: r.header.revision };
    }
    const obj = JSON.parse((then as { value: string }).value) as KObject;
    obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(r.header.revision) };
    return { ok: true, obj, revision: r.header.revision };
  }
}
