/**
 * What a fresh cluster already holds before anyone calls the API: the
 * system namespaces (pkg/controlplane/controller/systemnamespaces), their
 * "default" ServiceAccounts (the serviceaccounts controller), and the
 * bootstrap RBAC policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go,
 * v1.34) — cluster-admin bound to the group system:masters, and the
 * user-facing roles admin/edit/view, shortened to the rules the book uses.
 */
import type { KObject } from './object.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const rbacV1 = 'rbac.authorization.k8s.io/v1';
const readVerbs = ['get', 'list', 'watch'];
const writeVerbs = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const coreWorkload = ['pods', 'pods/log', 'pods/exec', 'services', 'endpoints', 'configmaps', 'secrets', 'persistentvolumeclaims', 'serviceaccounts'];
const appsWorkload = ['deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'daemonsets'];

export function bootstrapObjects(): KObject[] {
  const out: KObject[] = [];
  for (const ns of SYSTEM_NAMESPACES) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  for (const ns of SYSTEM_NAMESPACES) {
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
  }
  out.push(
    { apiVersion: rbacV1, kind: 'ClusterRole', metadata: { name: 'cluster-admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] },
    {
      apiVersion: rbacV1, kind: 'ClusterRole', metadata: { name: 'admin' }, rules: [
        { apiGroups: [''], resources: coreWorkload, verbs: [...readVerbs, ...writeVerbs] },
        { apiGroups: ['apps'], resources: appsWorkload, verbs: [...readVerbs, ...writeVerbs] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...readVerbs, ...writeVerbs] },
        { apiGroups: [''], resources: ['resourcequotas', 'limitranges', 'events', 'namespaces'], verbs: readVerbs },
      ],
    },
    {
      apiVersion: rbacV1, kind: 'ClusterRole', metadata: { name: 'edit' }, rules: [
        { apiGroups: [''], resources: coreWorkload, verbs: [...readVerbs, ...writeVerbs] },
        { apiGroups: ['apps'], resources: appsWorkload, verbs: [...readVerbs, ...writeVerbs] },
        { apiGroups: [''], resources: ['resourcequotas', 'limitranges', 'events', 'namespaces'], verbs: readVerbs },
      ],
    },
    {
      apiVersion: rbacV1, kind: 'ClusterRole', metadata: { name: 'view' }, rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts', 'resourcequotas', 'limitranges', 'events', 'namespaces'], verbs: readVerbs },
        { apiGroups: ['apps'], resources: appsWorkload, verbs: readVerbs },
      ],
    },
    {
      apiVersion: rbacV1, kind: 'ClusterRoleBinding', metadata: { name: 'cluster-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
    },
  );
  return out;
}
