// The widget runners: the default story, each edit a reader is invited to
// try in the default texts, and located input errors.
import { describe, expect, it } from 'vitest';
import { runApiRequest } from '../../src/controlplane/apiserver/widget/run-api-request.ts';
import { runWatchScript } from '../../src/controlplane/apiserver/widget/run-watch-script.ts';
import { DEFAULT_API_REQUEST, DEFAULT_MANIFEST, DEFAULT_RBAC, DEFAULT_WATCH_SCRIPT } from '../../src/controlplane/apiserver/widget/defaults.ts';

const run = (over: Partial<{ request: string; rbac: string; manifest: string }> = {}, seed = 1) =>
  runApiRequest({ request: DEFAULT_API_REQUEST, rbac: DEFAULT_RBAC, manifest: DEFAULT_MANIFEST, ...over }, { seed });

describe('runApiRequest', () => {
  it('the default story: alice creates nginx in web → 201 and /registry/pods/web/nginx', () => {
    const r = run();
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const v = r.value;
    expect(v.response.statusLine).toBe('HTTP/1.1 201 Created');
    expect(v.etcd?.key).toBe('/registry/pods/web/nginx');
    expect(v.etcd?.value).toContain('"image":"nginx:1.27"');
    expect(v.stages.map((s) => `${s.stage}${s.plugin ? `/${s.plugin}` : ''}:${s.outcome}`)).toEqual([
      'authentication/x509:pass', 'authorization/RBAC:pass', 'decode:pass', 'defaulting:pass',
      'mutating-admission/NamespaceLifecycle:pass', 'mutating-admission/LimitRanger:pass', 'mutating-admission/ServiceAccount:pass',
      'mutating-admission/DefaultTolerationSeconds:pass', 'validation/BeforeCreate:pass', 'validation:pass',
      'validating-admission/LimitRanger:pass', 'validating-admission/PodSecurity:pass', 'validating-admission/ResourceQuota:pass', 'storage:pass',
    ]);
    const paths = v.mutations.map((m) => m.path);
    for (const p of ['spec.containers[0].imagePullPolicy', 'spec.serviceAccountName', 'spec.tolerations', 'spec.containers[0].resources', 'metadata.uid']) expect(paths).toContain(p);
    expect(v.warnings[0]).toMatch(/^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    expect(v.setup.every((s) => s.code === 201)).toBe(true);
  });

  it('is deterministic for a seed', () => {
    expect(JSON.stringify(run({}, 5))).toBe(JSON.stringify(run({}, 5)));
  });

  it('a user without a binding → 403 with the RBAC sentence', () => {
    const r = run({ request: 'user: carol\nverb: create\nnamespace: web\n' });
    expect(r.ok && [r.value.response.code, r.value.response.message]).toEqual([403, 'pods is forbidden: User "carol" cannot create resource "pods" in API group "" in the namespace "web"']);
  });

  it('a forged token → 401; a ServiceAccount token → the SA identity', () => {
    expect(run({ request: 'token: forged\nverb: get\nnamespace: web\n' }).ok && run({ request: 'token: forged\nverb: get\nnamespace: web\n' })).toMatchObject({ value: { response: { code: 401 } } });
    const sa = run({ request: 'serviceAccount: web/default\nverb: list\nnamespace: web\n' });
    expect(sa.ok && [sa.value.request.user, sa.value.response.code]).toEqual(['system:serviceaccount:web:default', 403]);
  });

  it('a missing image → 422 with the cause located in the manifest', () => {
    const manifest = DEFAULT_MANIFEST.replace('    image: nginx:1.27\n', '');
    const r = run({ manifest });
    if (!r.ok) throw new Error('unexpected input error');
    expect(r.value.response.message).toBe('Pod "nginx" is invalid: spec.containers[0].image: Required value');
    // The image line is gone; the nearest existing parent is the container at line 9.
    expect(r.value.response.causes[0]).toMatchObject({ field: 'spec.containers[0].image', line: 9 });
  });

  it('hostNetwork → 403 PodSecurity baseline; a 2-CPU limit → 403 LimitRanger', () => {
    const host = run({ manifest: DEFAULT_MANIFEST.replace('spec:\n', 'spec:\n  hostNetwork: true\n') });
    expect(host.ok && host.value.response.message).toBe('pods "nginx" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)');
    const cpu = run({ manifest: DEFAULT_MANIFEST.replace('    ports:\n', '    resources: {limits: {cpu: "2"}}\n    ports:\n') });
    expect(cpu.ok && cpu.value.response.message).toBe('pods "nginx" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  });

  it('the same Pod already in the cluster → 409 AlreadyExists', () => {
    const rbac = `${DEFAULT_RBAC}---\napiVersion: v1\nkind: Pod\nmetadata: {name: nginx, namespace: web}\nspec:\n  containers: [{name: nginx, image: nginx:1.26}]\n`;
    const r = run({ rbac });
    expect(r.ok && [r.value.response.code, r.value.response.message]).toEqual([409, 'pods "nginx" already exists']);
  });

  it('YAML errors carry line/column and which input; unknown request fields their path', () => {
    const bad = run({ manifest: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ code: 'YAML_SYNTAX', path: 'manifest' });
    if (!bad.ok) expect(bad.errors[0]!.line).toBeGreaterThan(0);
    const field = run({ request: 'user: alice\nverbb: create\n' });
    expect(field.ok).toBe(false);
    if (!field.ok) expect(field.errors[0]).toMatchObject({ path: 'request/verbb', line: 2, column: 8 });
  });
});

describe('runWatchScript', () => {
  it('the default script: ADDED/MODIFIED/DELETED, a filtered ADDED, BOOKMARK, etcd cancel on compaction, 410', () => {
    const r = runWatchScript(DEFAULT_WATCH_SCRIPT, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const ev = (w: string) => r.value.events.filter((e) => e.watcher === w).map((e) => `${e.type} ${e.name}`.trim());
    expect(ev('all')).toEqual(['ADDED web-1', 'ADDED web-2', 'MODIFIED web-1', 'MODIFIED web-1', 'DELETED web-2', 'ADDED web-3', 'ADDED web-4', 'ADDED web-5']);
    expect(ev('kubelet')).toEqual(['ADDED web-1', 'MODIFIED web-1', 'BOOKMARK']);
    expect(ev('old')[0]).toBe('ERROR');
    expect(r.value.events.find((e) => e.watcher === 'old')!.detail).toContain('mvcc: required revision has been compacted');
    expect(r.value.events.find((e) => e.watcher === 'late')!.detail).toMatch(/^410 too old resource version: 15 \(\d+\)$/);
    const allRvs = r.value.events.filter((e) => e.watcher === 'all').map((e) => Number(e.resourceVersion));
    expect(allRvs.slice(2)).toEqual([...allRvs.slice(2)].sort((a, b) => a - b));
  });

  it('points at the line and column of a bad command or argument', () => {
    const r = runWatchScript('create pod a image=x:1\nwatch pods frm 3\n', { seed: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 2, column: 12 });
    const u = runWatchScript('explode\n', { seed: 1 });
    if (!u.ok) expect(u.errors[0]).toMatchObject({ line: 1, column: 1, message: 'unknown command "explode"' });
  });

  it('refuses absurd scripts fast', () => {
    const r = runWatchScript('bookmark\n'.repeat(1000), { seed: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe('LIMIT_EXCEEDED');
  });
});
