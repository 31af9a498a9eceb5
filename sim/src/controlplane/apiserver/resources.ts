/**
 * The resources this apiserver serves and where each lives in etcd. Key
 * prefixes are the real ones from kube-apiserver's storage factory
 * (pkg/kubeapiserver/default_storage_factory_builder.go and each
 * pkg/registry/<group>/<resource>/storage/storage.go, v1.34): nodes live
 * under `/registry/minions`, services under `/registry/services/specs`.
 */
import type { GroupResource } from './status.ts';

export interface ResourceInfo {
  /** Plural lowercase name as URLs and RBAC rules use it: `pods`. */
  resource: string;
  kind: string;
  group: string;
  version: string;
  namespaced: boolean;
  /** etcd key prefix without the trailing slash. */
  etcdPrefix: string;
}

const r = (resource: string, kind: string, group: string, namespaced: boolean, etcdPrefix = `/registry/${resource}`): ResourceInfo =>
  ({ resource, kind, group, version: 'v1', namespaced, etcdPrefix });

export const RESOURCES: readonly ResourceInfo[] = [
  r('pods', 'Pod', '', true),
  r('services', 'Service', '', true, '/registry/services/specs'),
  r('endpoints', 'Endpoints', '', true, '/registry/services/endpoints'),
  r('configmaps', 'ConfigMap', '', true),
  r('secrets', 'Secret', '', true),
  r('serviceaccounts', 'ServiceAccount', '', true),
  r('namespaces', 'Namespace', '', false),
  r('nodes', 'Node', '', false, '/registry/minions'),
  r('resourcequotas', 'ResourceQuota', '', true),
  r('limitranges', 'LimitRange', '', true),
  r('events', 'Event', '', true),
  r('persistentvolumeclaims', 'PersistentVolumeClaim', '', true),
  r('deployments', 'Deployment', 'apps', true),
  r('replicasets', 'ReplicaSet', 'apps', true),
  r('statefulsets', 'StatefulSet', 'apps', true),
  r('daemonsets', 'DaemonSet', 'apps', true),
  r('jobs', 'Job', 'batch', true),
  r('leases', 'Lease', 'coordination.k8s.io', true),
  r('endpointslices', 'EndpointSlice', 'discovery.k8s.io', true),
  r('roles', 'Role', 'rbac.authorization.k8s.io', true),
  r('rolebindings', 'RoleBinding', 'rbac.authorization.k8s.io', true),
  r('clusterroles', 'ClusterRole', 'rbac.authorization.k8s.io', false),
  r('clusterrolebindings', 'ClusterRoleBinding', 'rbac.authorization.k8s.io', false),
  r('priorityclasses', 'PriorityClass', 'scheduling.k8s.io', false),
];

export function resourceByName(resource: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => x.resource === resource);
}

/** By `kind` and the group of `apiVersion` (`apps/v1` → apps, `v1` → core). */
export function resourceForKind(apiVersion: string | undefined, kind: string | undefined): ResourceInfo | undefined {
  const group = apiVersion && apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  return RESOURCES.find((x) => x.kind === kind && x.group === group);
}

export const apiVersionOf = (info: ResourceInfo): string => (info.group ? `${info.group}/${info.version}` : info.version);

export const groupResource = (info: ResourceInfo): GroupResource => ({ group: info.group, resource: info.resource });

/** `/registry/pods/default/nginx`, `/registry/namespaces/default`. */
export function etcdKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `${info.etcdPrefix}/${namespace}/${name}` : `${info.etcdPrefix}/${name}`;
}

/** The prefix a LIST or WATCH ranges over: all namespaces, or one. */
export function etcdListPrefix(info: ResourceInfo, namespace: string | undefined): string {
  return info.namespaced && namespace ? `${info.etcdPrefix}/${namespace}/` : `${info.etcdPrefix}/`;
}
