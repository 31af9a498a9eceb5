// Status codes and messages of each pipeline stage, with the message shapes of
// k8s.io/apimachinery/pkg/api/errors/errors.go and the plugins' own texts (v1.34).
import { describe, expect, it } from 'vitest';
import { cert, cluster, pod, podWriterInDefault, rbacV1 } from './helpers.ts';
import type { KObject } from '../../src/controlplane/apiserver/object.ts';

const alice = cert('alice', ['dev']);

describe('authentication (401)', () => {
  it('a client certificate from an unknown CA is 401 Unauthorized', () => {
    const r = cluster().handle({ verb: 'list', resource: 'pods', namespace: 'default', credentials: cert('alice', [], 'evil-ca') });
    expect([r.code, r.reason, r.message]).toEqual([401, 'Unauthorized', 'Unauthorized']);
    expect(r.steps.map((s) => s.stage)).toEqual(['authentication']);
  });

  it('an unknown bearer token is 401; a static token authenticates as its user', () => {
    const api = cluster();
    expect(api.handle({ verb: 'list', resource: 'pods', credentials: { type: 'bearer', token: 'nope' } }).code).toBe(401);
    const r = api.handle({ verb: 'list', resource: 'pods', credentials: { type: 'bearer', token: 'bob-token' } });
    expect(r.user).toEqual({ name: 'bob', uid: '2', groups: ['ops', 'system:authenticated'] });
  });

  it('a ServiceAccount token becomes system:serviceaccount:<ns>:<name> with its groups; an edited one is 401', () => {
    const api = cluster([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci-bot', namespace: 'default' } }]);
    const token = api.issueServiceAccountToken('default', 'ci-bot')!;
    const r = api.handle({ verb: 'list', resource: 'pods', namespace: 'default', credentials: { type: 'bearer', token } });
    expect(r.user?.name).toBe('system:serviceaccount:default:ci-bot');
    expect(r.user?.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    const forged = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    expect(api.handle({ verb: 'list', resource: 'pods', credentials: { type: 'bearer', token: forged } }).code).toBe(401);
    // Deleting the ServiceAccount invalidates its tokens.
    api.handle({ verb: 'delete', resource: 'serviceaccounts', namespace: 'default', name: 'ci-bot' });
    expect(api.handle({ verb: 'list', resource: 'pods', credentials: { type: 'bearer', token } }).code).toBe(401);
  });

  it('no credentials at all is the anonymous user, then forbidden by RBAC', () => {
    const r = cluster().handle({ verb: 'list', resource: 'pods', namespace: 'default', credentials: { type: 'anonymous' } });
    expect(r.code).toBe(403);
    expect(r.message).toBe('pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"');
  });
});

describe('authorization (403)', () => {
  it('uses upstream\'s forbidden sentence, qualified by group and name', () => {
    const api = cluster();
    const list = api.handle({ verb: 'list', resource: 'pods', namespace: 'default', credentials: cert('x') });
    expect(list.message).toBe('pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "default"');
    const get = api.handle({ verb: 'get', resource: 'deployments', namespace: 'default', name: 'web', credentials: cert('x') });
    expect(get.message).toBe('deployments.apps "web" is forbidden: User "x" cannot get resource "deployments" in API group "apps" in the namespace "default"');
    const nodes = api.handle({ verb: 'list', resource: 'nodes', credentials: cert('x') });
    expect(nodes.message).toBe('nodes is forbidden: User "x" cannot list resource "nodes" in API group "" at the cluster scope');
  });

  it('a RoleBinding to a missing Role appends the resolution error', () => {
    const api = cluster([{ apiVersion: rbacV1, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'default' }, subjects: [{ kind: 'User', name: 'x' }], roleRef: { kind: 'Role', name: 'ghost' } }]);
    const r = api.handle({ verb: 'list', resource: 'pods', namespace: 'default', credentials: cert('x') });
    expect(r.message).toBe('pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "default": RBAC: role.rbac.authorization.k8s.io "ghost" not found');
  });

  it('system:masters is allowed before RBAC is asked', () => {
    const r = cluster().handle({ verb: 'list', resource: 'nodes', credentials: cert('root', ['system:masters']) });
    expect(r.code).toBe(200);
    expect(r.steps[1]).toMatchObject({ stage: 'authorization', plugin: 'system:masters', outcome: 'pass' });
  });

  it('a group binding allows, and says which binding did', () => {
    const r = cluster(podWriterInDefault).handle({ verb: 'create', body: pod('nginx'), credentials: alice });
    expect(r.code).toBe(201);
    expect(r.steps[1]!.detail).toBe('RBAC: allowed by RoleBinding "dev/default" of Role "pod-writer" to Group "dev"');
  });
});

describe('defaulting and mutating admission', () => {
  it('defaults pod fields; imagePullPolicy follows the tag', () => {
    const api = cluster();
    const r = api.handle({ verb: 'create', body: { ...pod('p'), spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'nginx:latest' }, { name: 'c', image: 'nginx:1.27' }, { name: 'd', image: 'reg:5000/nginx' }] } } });
    const spec = r.object!.spec as { containers: { imagePullPolicy: string }[]; restartPolicy: string; dnsPolicy: string; terminationGracePeriodSeconds: number; serviceAccountName: string; tolerations: unknown[] };
    expect(spec.containers.map((c) => c.imagePullPolicy)).toEqual(['Always', 'Always', 'IfNotPresent', 'Always']);
    expect([spec.restartPolicy, spec.dnsPolicy, spec.terminationGracePeriodSeconds, spec.serviceAccountName]).toEqual(['Always', 'ClusterFirst', 30, 'default']);
    expect(spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(r.object!.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('DefaultTolerationSeconds keeps a pod\'s own not-ready toleration', () => {
    const r = cluster().handle({ verb: 'create', body: pod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] }) });
    const tol = (r.object!.spec as { tolerations: { key: string; tolerationSeconds: number }[] }).tolerations;
    expect(tol.map((t) => `${t.key}=${t.tolerationSeconds}`)).toEqual(['node.kubernetes.io/not-ready=10', 'node.kubernetes.io/unreachable=300']);
  });

  it('ServiceAccount admission rejects a pod naming a missing ServiceAccount (403)', () => {
    const r = cluster().handle({ verb: 'create', body: pod('p', { serviceAccountName: 'ghost' }) });
    expect(r.code).toBe(403);
    expect(r.message).toBe('pods "p" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
  });

  it('NamespaceLifecycle: a missing namespace is 404', () => {
    const r = cluster().handle({ verb: 'create', body: pod('p', {}, 'nope') });
    expect([r.code, r.message]).toEqual([404, 'namespaces "nope" not found']);
  });

  it('LimitRanger fills defaults, annotates, and enforces max', () => {
    const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'default' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' }, max: { cpu: '1' } }] } };
    const api = cluster([lr]);
    const ok = api.handle({ verb: 'create', body: pod('p') });
    expect(ok.object!.metadata!.annotations!['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu request for container app; cpu limit for container app');
    const big = api.handle({ verb: 'create', body: pod('q', { containers: [{ name: 'app', image: 'x:1', resources: { limits: { cpu: '2' } } }] }) });
    expect([big.code, big.message]).toEqual([403, 'pods "q" is forbidden: maximum cpu usage per Container is 1, but limit is 2']);
  });
});

describe('validation (422)', () => {
  it('a missing image is a Required value at its field path', () => {
    const r = cluster().handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'app' }] } } });
    expect([r.code, r.reason, r.message]).toEqual([422, 'Invalid', 'Pod "x" is invalid: spec.containers[0].image: Required value']);
    expect(r.details?.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }]);
  });

  it('several errors print as a bracketed list', () => {
    const r = cluster().handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { restartPolicy: 'Sometimes', containers: [{ name: 'app', image: 'i', ports: [{ containerPort: 70000 }] }] } } });
    expect(r.message).toBe('Pod "x" is invalid: [spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"]');
  });

  it('a bad name is a DNS-1123 subdomain error', () => {
    const r = cluster().handle({ verb: 'create', body: pod('Nginx') });
    expect(r.message).toBe('Pod "Nginx" is invalid: metadata.name: Invalid value: "Nginx": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')');
  });

  it('a Deployment whose selector does not match its template', () => {
    const r = cluster().handle({ verb: 'create', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'a', image: 'i:1' }] } } } } });
    expect(r.message).toBe('Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`');
  });

  it('a Service port out of range, and a second port without a name', () => {
    const r = cluster().handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80 }, { port: 0 }] } } });
    // targetPort defaults to port (SetDefaults_Service), so it is invalid too, as upstream reports.
    expect(r.message).toBe('Service "web" is invalid: [spec.ports[1].name: Required value, spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]');
  });

  it('an unparsable quantity is 400 at decode', () => {
    const r = cluster().handle({ verb: 'create', body: pod('p', { containers: [{ name: 'a', image: 'i:1', resources: { requests: { cpu: 'lots' } } }] }) });
    expect(r.code).toBe(400);
    expect(r.message).toContain('quantities must match the regular expression');
  });
});

describe('validating admission (403)', () => {
  it('ResourceQuota: exceeded quota with requested/used/limited', () => {
    const api = cluster([{ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'default' }, spec: { hard: { pods: '2' } } }]);
    expect(api.handle({ verb: 'create', body: pod('a') }).code).toBe(201);
    expect(api.handle({ verb: 'create', body: pod('b') }).code).toBe(201);
    const r = api.handle({ verb: 'create', body: pod('c') });
    expect([r.code, r.message]).toEqual([403, 'pods "c" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2']);
  });

  it('ResourceQuota on cpu requires every container to state it', () => {
    const api = cluster([{ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'default' }, spec: { hard: { 'requests.cpu': '1', 'limits.memory': '1Gi' } } }]);
    const r = api.handle({ verb: 'create', body: pod('a') });
    expect(r.message).toBe('pods "a" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app');
  });

  it('PodSecurity restricted: the four classic violations, in upstream order', () => {
    const api = cluster([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'secure', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'secure' } }]);
    const r = api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad-pod', namespace: 'secure' }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } });
    expect(r.code).toBe(403);
    expect(r.message).toBe('pods "bad-pod" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
    const good = api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'good', namespace: 'secure' }, spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'nginx', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    } } });
    expect(good.code).toBe(201);
  });

  it('PodSecurity baseline: host namespaces and privileged; a Deployment only warns', () => {
    const api = cluster([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'b' } }]);
    const spec = { hostNetwork: true, containers: [{ name: 'a', image: 'i:1', securityContext: { privileged: true } }] };
    const r = api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'b' }, spec } });
    expect(r.message).toBe('pods "p" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "a" must not set securityContext.privileged=true)');
    const d = api.handle({ verb: 'create', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'b' }, spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec } } } });
    expect(d.code).toBe(201);
    expect(d.warnings).toEqual(['would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "a" must not set securityContext.privileged=true)']);
  });
});

describe('storage (409) and reads', () => {
  it('create twice is 409 AlreadyExists; the etcd key is /registry/pods/<ns>/<name>', () => {
    const api = cluster();
    const first = api.handle({ verb: 'create', body: pod('nginx') });
    expect(first.etcd).toEqual({ key: '/registry/pods/default/nginx', revision: Number(first.object!.metadata!.resourceVersion), op: 'put' });
    const again = api.handle({ verb: 'create', body: pod('nginx') });
    expect([again.code, again.reason, again.message]).toEqual([409, 'AlreadyExists', 'pods "nginx" already exists']);
  });

  it('an update with a stale resourceVersion is 409 Conflict with the optimistic-lock sentence', () => {
    const api = cluster();
    const created = api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } } }).object!;
    const u1 = api.handle({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'cfg', body: { ...created, data: { a: '2' } } });
    expect(u1.code).toBe(200);
    const stale = api.handle({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'cfg', body: { ...created, data: { a: '3' } } });
    expect([stale.code, stale.reason, stale.message]).toEqual([409, 'Conflict', 'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again']);
  });

  it('deployments live under /registry/deployments and services under /registry/services/specs', () => {
    const api = cluster();
    const d = api.handle({ verb: 'create', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'i:1' }] } } } } });
    expect(d.etcd?.key).toBe('/registry/deployments/default/web');
    expect((d.object!.spec as { replicas: number }).replicas).toBe(1);
    const s = api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } } });
    expect(s.etcd?.key).toBe('/registry/services/specs/default/web');
  });

  it('GET 200 / 404, LIST with a field selector', () => {
    const api = cluster();
    api.handle({ verb: 'create', body: pod('a', { nodeName: 'n1' }) });
    api.handle({ verb: 'create', body: pod('b', { nodeName: 'n2' }) });
    expect(api.handle({ verb: 'get', resource: 'pods', namespace: 'default', name: 'a' }).code).toBe(200);
    const missing = api.handle({ verb: 'get', resource: 'pods', namespace: 'default', name: 'zz' });
    expect([missing.code, missing.message]).toEqual([404, 'pods "zz" not found']);
    const l = api.handle({ verb: 'list', resource: 'pods', namespace: 'default', fieldSelector: 'spec.nodeName=n2' });
    expect(l.items!.map((o) => o.metadata!.name)).toEqual(['b']);
  });

  it('a bound pod is deleted gracefully; an unbound one at once', () => {
    const api = cluster();
    api.handle({ verb: 'create', body: pod('bound', { nodeName: 'n1' }) });
    api.handle({ verb: 'create', body: pod('free') });
    const g = api.handle({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'bound' });
    expect(g.object!.metadata!.deletionTimestamp).toBeDefined();
    expect(api.handle({ verb: 'get', resource: 'pods', namespace: 'default', name: 'bound' }).code).toBe(200);
    api.handle({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'free' });
    expect(api.handle({ verb: 'get', resource: 'pods', namespace: 'default', name: 'free' }).code).toBe(404);
  });

  it('pods/binding sets nodeName once; a second binding is 409', () => {
    const api = cluster();
    api.handle({ verb: 'create', body: pod('p') });
    const b = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } };
    expect(api.handle({ verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'p', body: b }).code).toBe(201);
    const again = api.handle({ verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'p', body: b });
    expect([again.code, again.message]).toEqual([409, 'Operation cannot be fulfilled on pods "p": pod p is already assigned to node "n1"']);
  });
});

describe('watch (200 / 410)', () => {
  it('ADDED/MODIFIED/DELETED with resourceVersions, and BOOKMARK', () => {
    const api = cluster();
    api.handle({ verb: 'create', body: pod('a') });
    const { response, stream } = api.watch({ resource: 'pods', namespace: 'default', resourceVersion: '0', allowWatchBookmarks: true });
    expect(response.code).toBe(200);
    api.handle({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'a', body: { metadata: { labels: { x: 'y' } } } });
    api.handle({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a' });
    api.sendBookmarks();
    const events = stream!.take().map((e) => [e.type, (e.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion]);
    const base = Number(events[0]![1]);
    expect(events).toEqual([['ADDED', String(base)], ['MODIFIED', String(base + 1)], ['DELETED', String(base + 2)], ['BOOKMARK', String(base + 2)]]);
  });

  it('watching from a resourceVersion that fell out of the watch cache is 410 Gone', () => {
    const api = cluster([], { watchCacheSize: 3 });
    const first = api.handle({ verb: 'create', body: pod('p0') });
    for (let i = 1; i < 6; i++) api.handle({ verb: 'create', body: pod(`p${i}`) });
    const rv = Number(first.object!.metadata!.resourceVersion);
    const { response } = api.watch({ resource: 'pods', resourceVersion: String(rv) });
    expect([response.code, response.reason, response.message]).toEqual([410, 'Expired', `too old resource version: ${rv} (${rv + 2})`]);
    expect(api.watch({ resource: 'pods', resourceVersion: String(rv + 2) }).response.code).toBe(200);
  });

  it('an Exact list below the etcd compaction is 410', () => {
    const api = cluster();
    const a = api.handle({ verb: 'create', body: pod('a') });
    api.handle({ verb: 'create', body: pod('b') });
    api.client.apply({ op: 'compact', revision: api.client.currentRevision });
    const r = api.handle({ verb: 'list', resource: 'pods', resourceVersion: a.object!.metadata!.resourceVersion, resourceVersionMatch: 'Exact' });
    expect([r.code, r.message]).toEqual([410, 'The resourceVersion for the provided list is too old.']);
  });
});

describe('subresources and namespaces', () => {
  it('a status patch keeps the spec; a main-resource patch keeps the status', () => {
    const api = cluster();
    api.handle({ verb: 'create', body: pod('p', { nodeName: 'n1' }) });
    const s = api.handle({ verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'default', name: 'p', body: { status: { phase: 'Running' }, spec: { nodeName: 'elsewhere' } } });
    expect(s.code).toBe(200);
    expect([(s.object!.status as { phase: string }).phase, (s.object!.spec as { nodeName: string }).nodeName]).toEqual(['Running', 'n1']);
    const m = api.handle({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'p', body: { metadata: { labels: { a: 'b' } }, status: { phase: 'Failed' } } });
    expect((m.object!.status as { phase: string }).phase).toBe('Running');
  });

  it('deleting a namespace removes what is in it; the immortal ones cannot be deleted', () => {
    const api = cluster([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'tmp' } }]);
    expect(api.handle({ verb: 'delete', resource: 'namespaces', name: 'tmp' }).code).toBe(200);
    expect(api.handle({ verb: 'get', resource: 'configmaps', namespace: 'tmp', name: 'c' }).code).toBe(404);
    expect(api.handle({ verb: 'get', resource: 'namespaces', name: 'tmp' }).code).toBe(404);
    const d = api.handle({ verb: 'delete', resource: 'namespaces', name: 'default' });
    expect([d.code, d.message]).toEqual([403, 'namespaces "default" is forbidden: this namespace may not be deleted']);
  });

  it('a finalizer holds a delete until it is removed', () => {
    const api = cluster([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['example.com/keep'] } }]);
    const d = api.handle({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'c' });
    expect(d.object!.metadata!.deletionTimestamp).toBeDefined();
    expect(api.handle({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'c' }).code).toBe(200);
    api.handle({ verb: 'patch', resource: 'configmaps', namespace: 'default', name: 'c', body: { metadata: { finalizers: null } } as unknown as KObject });
    expect(api.handle({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'c' }).code).toBe(404);
  });
});
