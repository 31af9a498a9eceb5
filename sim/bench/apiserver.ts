/**
 * MVCC and apiserver throughput, in memory:
 *   mvcc: N puts/s        — KvStore.apply of 100,000 txn puts (the apiserver's
 *                           create txn shape) over 1,000 keys
 *   mvcc-watch: N events/s — the same with 10 prefix watchers attached
 *   apiserver: N creates/s — 5,000 ConfigMap creates through the whole
 *                           pipeline (authn, RBAC, admission, validation, etcd, watch cache)
 *
 * Run: node --experimental-strip-types sim/bench/apiserver.ts
 */
import { ApiServer, KvStore, WatchableStore } from '../src/index.ts';

declare const console: { log(...args: unknown[]): void };
declare const performance: { now(): number };

function mvccPuts(n: number): number {
  const s = new KvStore();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const key = `/registry/configmaps/default/c${i % 1000}`;
    s.apply({ op: 'txn', compare: [{ key, target: 'MOD', result: 'GREATER', value: -1 }], success: [{ op: 'put', key, value: `{"i":${i}}` }], failure: [] });
  }
  return n / ((performance.now() - t0) / 1000);
}

function mvccWatched(n: number): number {
  const s = new WatchableStore();
  let events = 0;
  for (let w = 0; w < 10; w++) s.watch({ key: '/registry/configmaps/', prefix: true }, (r) => { events += r.events.length; });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) s.apply({ op: 'put', key: `/registry/configmaps/default/c${i % 1000}`, value: String(i) });
  return events / ((performance.now() - t0) / 1000);
}

function apiCreates(n: number): number {
  const api = new ApiServer({ seed: 1 });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default' }, data: { i: String(i) } } });
    if (r.code !== 201) throw new Error(`create ${i}: ${r.code} ${r.message}`);
  }
  return n / ((performance.now() - t0) / 1000);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`mvcc: ${fmt(mvccPuts(100_000))} puts/s`);
console.log(`mvcc-watch: ${fmt(mvccWatched(100_000))} events/s`);
console.log(`apiserver: ${fmt(apiCreates(5_000))} creates/s`);
