// The "done" condition: a manifest applied through the apiserver lands
// in the Raft-replicated store on every member and reaches a watcher. Uses
// the real RaftCluster (sim/src/controlplane/etcd/cluster.ts).
import { describe, expect, it } from 'vitest';
import { RaftCluster } from '../../src/controlplane/etcd/cluster.ts';
import { ReplicatedStore } from '../../src/controlplane/etcd/mvcc/replicated-store.ts';
import { ApiServer } from '../../src/controlplane/apiserver/apiserver.ts';
import { Informer } from '../../src/controlplane/informers/informer.ts';
import { Prng } from '../../src/core/prng.ts';

function electedCluster(seed: number, members = 3): RaftCluster {
  const c = new RaftCluster({ members, seed });
  for (let i = 0; i < 200 && c.leader() === null; i++) c.tick(1);
  if (c.leader() === null) throw new Error(`seed ${seed}: no leader after 200 ticks`);
  return c;
}

const manifest = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'nginx', namespace: 'default' },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
};

describe('ReplicatedStore under the apiserver', () => {
  it('a Pod created through the apiserver is in every member\'s store at the same revision and reaches a watcher', () => {
    const raft = electedCluster(3);
    const store = new ReplicatedStore(raft, { servingMember: 2 });
    const api = new ApiServer({ store, seed: 1 });
    const { stream } = api.watch({ resource: 'pods', namespace: 'default', resourceVersion: '0' });
    const r = api.handle({ verb: 'create', body: manifest });
    expect(r.code).toBe(201);
    expect(r.etcd?.key).toBe('/registry/pods/default/nginx');
    raft.tick(20); // let followers learn the new commit index
    for (const id of [1, 2, 3]) {
      const got = store.member(id).range({ op: 'range', key: '/registry/pods/default/nginx' });
      expect(got.op === 'range' && got.kvs[0]?.modRevision, `member ${id}`).toBe(r.etcd!.revision);
      expect(store.member(id).currentRevision).toBe(store.member(2).currentRevision);
    }
    const events = stream!.take();
    expect(events.map((e) => `${e.type} ${(e.object as typeof manifest).metadata.name}`)).toEqual(['ADDED nginx']);
  });

  it('a write while the cluster has no quorum times out (504); after healing it commits', () => {
    const raft = electedCluster(11, 5);
    const store = new ReplicatedStore(raft, { requestTimeoutTicks: 30 });
    const api = new ApiServer({ store, seed: 1 });
    const leader = raft.leader()!;
    const down = [1, 2, 3, 4, 5].filter((id) => id !== leader).slice(0, 3); // 2 of 5 left: no quorum
    for (const id of down) expect(raft.crash(id).ok).toBe(true);
    const r = api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } });
    expect([r.code, r.reason]).toEqual([504, 'Timeout']);
    for (const id of down) raft.restart(id);
    raft.tick(50);
    const again = api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' } } });
    expect(again.code).toBe(201);
  });

  it('property: members apply the same ops to the same revisions; an informer on the apiserver converges', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const prng = new Prng(seed);
      const raft = electedCluster(seed);
      const store = new ReplicatedStore(raft, { servingMember: prng.intBetween(1, 4) });
      const api = new ApiServer({ store, seed });
      const inf = new Informer(api, { resource: 'configmaps', namespace: 'default' });
      inf.run();
      for (let i = 0; i < 25; i++) {
        const name = `c${prng.intBetween(0, 4)}`;
        if (prng.chance(0.7)) api.handle({ verb: 'apply', resource: 'configmaps', namespace: 'default', name, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } } });
        else api.handle({ verb: 'delete', resource: 'configmaps', namespace: 'default', name });
        if (prng.chance(0.2)) { const f = prng.intBetween(1, 4); raft.crash(f); raft.tick(prng.intBetween(1, 15)); raft.restart(f); }
        inf.sync();
      }
      raft.tick(100);
      inf.sync();
      const dump = (id: number) => {
        const r = store.member(id).range({ op: 'range', key: '/registry/', prefix: true });
        return r.op === 'range' ? r.kvs.map((kv) => `${kv.key}@${kv.modRevision}`).join(',') : 'error';
      };
      for (const id of [1, 2, 3]) if (dump(id) !== dump(1)) throw new Error(`seed ${seed}: member ${id} diverged from member 1`);
      const truth = api.handle({ verb: 'list', resource: 'configmaps', namespace: 'default' }).items!.map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`);
      const cached = inf.list().map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`);
      if (JSON.stringify(truth) !== JSON.stringify(cached)) throw new Error(`seed ${seed}: informer ${cached} != store ${truth}`);
    }
  });
});
