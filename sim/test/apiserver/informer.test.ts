// Informers converge to the store (client-go tools/cache reflector/DeltaFIFO
// semantics): after random creates/updates/deletes, watch timeouts and 410
// relists, the local cache equals a fresh LIST, and the handler events replay
// to the same state. Property test over many seeds; a failure names its seed.
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/core/prng.ts';
import { Informer, type DeletedFinalStateUnknown } from '../../src/controlplane/informers/informer.ts';
import { metaNamespaceKey } from '../../src/controlplane/informers/indexer.ts';
import type { KObject } from '../../src/controlplane/apiserver/object.ts';
import { cluster, pod } from './helpers.ts';

describe('Informer', () => {
  it('lists, watches, and calls handlers; the kubelet-style field selector sees a pod arrive when bound', () => {
    const api = cluster();
    api.handle({ verb: 'create', body: pod('a') });
    const inf = new Informer(api, { resource: 'pods', fieldSelector: 'spec.nodeName=worker-1' });
    const seen: string[] = [];
    inf.on({ onAdd: (o) => seen.push(`add ${o.metadata?.name}`), onUpdate: (_o, n) => seen.push(`update ${n.metadata?.name}`), onDelete: (o) => seen.push(`delete ${(o as KObject).metadata?.name}`) });
    expect(inf.run().code).toBe(200);
    expect(inf.hasSynced()).toBe(true);
    expect(inf.list()).toEqual([]);
    api.handle({ verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'a', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { name: 'worker-1' } } });
    inf.sync();
    expect(inf.get('default/a')?.spec).toMatchObject({ nodeName: 'worker-1' });
    api.handle({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a', gracePeriodSeconds: 0 });
    inf.sync();
    expect(seen).toEqual(['add a', 'delete a']);
  });

  it('a forbidden LIST leaves the informer unsynced', () => {
    const api = cluster();
    const inf = new Informer(api, { resource: 'pods', credentials: { type: 'x509', commonName: 'nobody', organizations: [], issuer: 'kubernetes-ca' } });
    expect(inf.run().code).toBe(403);
    expect(inf.hasSynced()).toBe(false);
  });

  it('re-watching after a timeout from a resourceVersion the cache dropped relists (410 → list)', () => {
    const api = cluster([], { watchCacheSize: 2 });
    const inf = new Informer(api, { resource: 'configmaps', watchTimeoutTicks: 10, allowWatchBookmarks: false });
    inf.run(0);
    inf.stop(); // the connection dropped; the informer will re-watch from its last resourceVersion
    for (let i = 0; i < 5; i++) api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } } });
    inf.sync(1);
    expect(inf.log.some((e) => e.kind === 'relist')).toBe(true);
    expect(inf.list().map((o) => o.metadata?.name)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
  });

  it('resync re-delivers every cached object as an update', () => {
    const api = cluster();
    api.handle({ verb: 'create', body: pod('a') });
    const inf = new Informer(api, { resource: 'pods', resyncPeriodTicks: 30 });
    let updates = 0;
    inf.on({ onUpdate: (o, n) => { if (o === n) updates++; } });
    inf.run(0);
    inf.sync(29);
    expect(updates).toBe(0);
    inf.sync(30);
    expect(updates).toBe(1);
  });

  it('property: the cache converges to the store after random ops, timeouts and 410 relists', () => {
    let relists = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const prng = new Prng(seed);
      const api = cluster([], { watchCacheSize: prng.intBetween(2, 8), seed });
      const inf = new Informer(api, { resource: 'configmaps', watchTimeoutTicks: prng.intBetween(3, 12), allowWatchBookmarks: prng.chance(0.5) });
      const shadow = new Map<string, KObject>();
      inf.on({
        onAdd: (o) => shadow.set(metaNamespaceKey(o), o),
        onUpdate: (_o, n) => shadow.set(metaNamespaceKey(n), n),
        onDelete: (o) => shadow.delete('key' in o ? (o as DeletedFinalStateUnknown).key : metaNamespaceKey(o as KObject)),
      });
      inf.run(0);
      for (let t = 1; t <= 80; t++) {
        const name = `c${prng.intBetween(0, 6)}`;
        const ns = prng.chance(0.3) ? 'kube-system' : 'default';
        const r = prng.nextFloat();
        if (r < 0.4) api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { t: String(t) } } });
        else if (r < 0.75) api.handle({ verb: 'patch', resource: 'configmaps', namespace: ns, name, body: { data: { t: String(t) } } });
        else api.handle({ verb: 'delete', resource: 'configmaps', namespace: ns, name });
        if (prng.chance(0.1)) api.sendBookmarks();
        if (prng.chance(0.15)) inf.stop();
        if (prng.chance(0.4)) inf.sync(t);
      }
      inf.sync(1000);
      const truth = api.handle({ verb: 'list', resource: 'configmaps' }).items!.map((o) => `${metaNamespaceKey(o)}@${o.metadata?.resourceVersion}`);
      const cached = inf.list().map((o) => `${metaNamespaceKey(o)}@${o.metadata?.resourceVersion}`);
      if (JSON.stringify(cached) !== JSON.stringify(truth)) throw new Error(`seed ${seed}: informer cache ${cached} != store ${truth}`);
      const replayed = [...shadow.values()].map((o) => `${metaNamespaceKey(o)}@${o.metadata?.resourceVersion}`).sort();
      if (JSON.stringify(replayed) !== JSON.stringify([...truth].sort())) throw new Error(`seed ${seed}: handler events replay to ${replayed}, store has ${truth}`);
      relists += inf.log.filter((e) => e.kind === 'relist').length;
    }
    expect(relists).toBeGreaterThan(10); // the 410 path was exercised, not just the happy one
  });
});
