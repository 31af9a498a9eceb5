// The Layer 3 "done" condition, end to end: a manifest applied through the
// apiserver (authenticated as alice, authorized by RBAC, admitted, validated)
// lands in the Raft-replicated store and reaches a watcher that was opened
// BEFORE the apply, as an ADDED event whose resourceVersion is the revision
// the write was committed at. Real RaftCluster (sim/src/controlplane/etcd/
// cluster.ts), ReplicatedStore and the widget's default texts (the same
// objects the kube-apiserver section of the book shows).
// Upstream: kubectl apply of a new object is a POST (create) —
// staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go (v1.34); the watch event
// carries the object's resourceVersion = etcd mod_revision —
// staging/src/k8s.io/apiserver/pkg/storage/etcd3/watcher.go.
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/api/yaml.ts';
import { RaftCluster } from '../../src/controlplane/etcd/cluster.ts';
import { ReplicatedStore } from '../../src/controlplane/etcd/mvcc/replicated-store.ts';
import { ApiServer } from '../../src/controlplane/apiserver/apiserver.ts';
import type { KObject } from '../../src/controlplane/apiserver/object.ts';
import { DEFAULT_MANIFEST, DEFAULT_RBAC } from '../../src/controlplane/apiserver/widget/defaults.ts';
import { cert } from './helpers.ts';

function electedCluster(seed: number, members: number): RaftCluster {
  const c = new RaftCluster({ members, seed });
  for (let i = 0; i < 300 && c.leader() === null; i++) c.tick(1);
  if (c.leader() === null) throw new Error(`seed ${seed}: no leader after 300 ticks`);
  return c;
}

function docs(text: string): KObject[] {
  const r = parseYaml(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value.docs.filter((d): d is KObject => !!d && typeof d === 'object');
}

/** The admin's objects (Namespace web, Role, RoleBinding, LimitRange, ResourceQuota) plus web's default ServiceAccount. */
function setUp(api: ApiServer): void {
  for (const o of docs(DEFAULT_RBAC)) {
    const r = api.handle({ verb: 'create', body: o });
    if (r.code !== 201) throw new Error(`setup ${o.kind}: ${r.code} ${r.message}`);
    if (o.kind === 'Namespace') api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'web' } } });
  }
}

const alice = cert('alice', ['dev']);
/** The widget's manifest, sent to namespace web (kubectl -n web). */
const nginx = (): KObject => { const o = docs(DEFAULT_MANIFEST)[0]!; return { ...o, metadata: { ...o.metadata, namespace: 'web' } }; };

describe('kubectl apply → kube-apiserver → etcd (Raft) → watch', () => {
  it('a watch opened before the apply receives ADDED with the committed resourceVersion; every member holds the same key at that revision', () => {
    for (const [seed, members] of [[1, 3], [2, 3], [5, 5], [9, 5]] as const) {
      const raft = electedCluster(seed, members);
      const store = new ReplicatedStore(raft, { servingMember: 1 });
      const api = new ApiServer({ store, seed });
      setUp(api);

      // e.g. the kubelet or a controller: a WATCH as alice, opened first.
      const { response, stream } = api.watch({ resource: 'pods', namespace: 'web', resourceVersion: String(store.currentRevision), credentials: alice });
      expect(response.code, `seed ${seed}`).toBe(200);
      const before = raft.status(raft.leader()!).commitIndex;

      const r = api.handle({ verb: 'create', body: nginx(), credentials: alice });
      expect([r.code, r.etcd?.key], `seed ${seed}`).toEqual([201, '/registry/pods/web/nginx']);
      const rev = r.etcd!.revision;
      expect(r.object?.metadata?.resourceVersion).toBe(String(rev));

      // The write went through Raft: a new entry carrying the put was committed.
      const leader = raft.leader()!;
      const st = raft.status(leader);
      expect(st.commitIndex, `seed ${seed}`).toBeGreaterThan(before);
      const entry = st.log.find((e) => e.index > before && e.data?.includes('/registry/pods/web/nginx'));
      expect(entry, `seed ${seed}: the put is a Raft entry`).toBeDefined();
      expect(entry!.index).toBeLessThanOrEqual(st.commitIndex);

      // The watcher opened before the apply sees exactly one ADDED at the committed revision.
      const events = stream!.take();
      expect(events.map((e) => [e.type, (e.object as KObject).metadata?.name, (e.object as KObject).metadata?.resourceVersion]), `seed ${seed}`)
        .toEqual([['ADDED', 'nginx', String(rev)]]);
      // What the watcher got is what admission stored (defaults, ServiceAccount, 300 s tolerations).
      const got = events[0]!.object as KObject & { spec: { serviceAccountName?: string; tolerations?: unknown[] } };
      expect(got.spec.serviceAccountName).toBe('default');
      expect(got.spec.tolerations).toHaveLength(2);

      // Followers learn the commit index with the next heartbeat; then every member applied it.
      raft.tick(20);
      for (let id = 1; id <= members; id++) {
        const kv = store.member(id).range({ op: 'range', key: '/registry/pods/web/nginx' });
        expect(kv.op === 'range' && kv.kvs[0]?.modRevision, `seed ${seed} member ${id}`).toBe(rev);
      }
    }
  }, 30_000); // four Raft clusters; generous because CI machines are shared

  it('without the RoleBinding the same apply is a 403 and nothing is proposed to Raft; the watcher sees nothing', () => {
    const raft = electedCluster(3, 3);
    const store = new ReplicatedStore(raft);
    const api = new ApiServer({ store, seed: 3 });
    setUp(api);
    api.handle({ verb: 'delete', resource: 'rolebindings', namespace: 'web', name: 'dev-pod-writers' });
    const { stream } = api.watch({ resource: 'pods', namespace: 'web', resourceVersion: String(store.currentRevision) });
    const commitBefore = raft.status(raft.leader()!).commitIndex;
    const r = api.handle({ verb: 'create', body: nginx(), credentials: alice });
    expect([r.code, r.message]).toEqual([403, 'pods is forbidden: User "alice" cannot create resource "pods" in API group "" in the namespace "web"']);
    expect(r.etcd).toBeUndefined();
    raft.tick(5);
    expect(raft.status(raft.leader()!).commitIndex - commitBefore).toBeLessThanOrEqual(0);
    expect(stream!.take()).toEqual([]);
  });

  it('a second apply (server-side apply, a PATCH) reaches the same watcher as MODIFIED at a higher revision', () => {
    const raft = electedCluster(4, 3);
    const store = new ReplicatedStore(raft, { servingMember: 2 });
    const api = new ApiServer({ store, seed: 4 });
    setUp(api);
    // pod-writer does not include patch: add it, as an admin would.
    api.handle({ verb: 'delete', resource: 'roles', namespace: 'web', name: 'pod-writer' });
    api.handle({ verb: 'create', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-writer', namespace: 'web' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'patch'] }] } });
    const { stream } = api.watch({ resource: 'pods', namespace: 'web', resourceVersion: String(store.currentRevision) });
    const first = api.handle({ verb: 'create', body: nginx(), credentials: alice });
    const second = api.handle({ verb: 'apply', resource: 'pods', namespace: 'web', name: 'nginx', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nginx', labels: { app: 'nginx', tier: 'web' } } }, credentials: alice });
    expect([first.code, second.code]).toEqual([201, 200]);
    expect(second.etcd!.revision).toBeGreaterThan(first.etcd!.revision);
    expect(stream!.take().map((e) => `${e.type} ${(e.object as KObject).metadata?.resourceVersion}`))
      .toEqual([`ADDED ${first.etcd!.revision}`, `MODIFIED ${second.etcd!.revision}`]);
  });
});
