import { ApiServer, type ApiServerOptions } from '../../src/controlplane/apiserver/apiserver.ts';
import type { Credentials } from '../../src/controlplane/apiserver/authn/authenticate.ts';
import type { KObject } from '../../src/controlplane/apiserver/object.ts';

export const cert = (cn: string, o: string[] = [], issuer = 'kubernetes-ca'): Credentials => ({ type: 'x509', commonName: cn, organizations: o, issuer });

export const pod = (name: string, extra: Record<string, unknown> = {}, ns?: string): KObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, ...(ns ? { namespace: ns } : {}) },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra },
});

export function cluster(objects: KObject[] = [], options: ApiServerOptions = {}): ApiServer {
  const api = new ApiServer({ seed: 7, staticTokens: [{ token: 'bob-token', user: 'bob', uid: '2', groups: ['ops'] }], ...options });
  for (const o of objects) {
    const r = api.handle({ verb: 'create', body: o });
    if (r.code !== 201) throw new Error(`setup ${o.kind} ${o.metadata?.name}: ${r.code} ${r.message}`);
  }
  return api;
}

export const rbacV1 = 'rbac.authorization.k8s.io/v1';

export const podWriterInDefault: KObject[] = [
  { apiVersion: rbacV1, kind: 'Role', metadata: { name: 'pod-writer', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'update', 'delete'] }] },
  {
    apiVersion: rbacV1, kind: 'RoleBinding', metadata: { name: 'dev', namespace: 'default' },
    subjects: [{ kind: 'Group', name: 'dev', apiGroup: 'rbac.authorization.k8s.io' }],
    roleRef: { kind: 'Role', name: 'pod-writer', apiGroup: 'rbac.authorization.k8s.io' },
  },
];
