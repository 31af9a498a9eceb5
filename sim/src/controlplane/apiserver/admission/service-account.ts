/**
 * ServiceAccount admission (plugin/pkg/admission/serviceaccount/admission.go,
 * v1.34): default `spec.serviceAccountName` to "default", require the
 * ServiceAccount to exist, and mount a projected token volume
 * `kube-api-access-<5 random>` at /var/run/secrets/kubernetes.io/serviceaccount
 * (bound token, kube-root-ca.crt, namespace) unless automount is off.
 */
import { isObject } from '../object.ts';
import { admissionForbidden, isPodCreate, randomSuffix, type MutatingPlugin } from './interfaces.ts';

export const DefaultServiceAccountName = 'default';
export const DefaultAPITokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

type Rec = Record<string, unknown>;

export const ServiceAccount: MutatingPlugin = {
  name: 'ServiceAccount',
  handles: isPodCreate,
  admit(a, ctx) {
    const pod = a.object;
    if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return { allowed: true, note: 'mirror pod: left alone' };
    const spec = (isObject(pod.spec) ? pod.spec : (pod.spec = {})) as Rec;
    if (!spec.serviceAccountName) spec.serviceAccountName = DefaultServiceAccountName;
    const saName = String(spec.serviceAccountName);
    const sa = ctx.get('serviceaccounts', a.namespace, saName);
    if (!sa) return admissionForbidden(a, `error looking up service account ${a.namespace}/${saName}: serviceaccount "${saName}" not found`);
    const automount = spec.automountServiceAccountToken ?? (sa as Rec).automountServiceAccountToken ?? true;
    if (automount === false) return { allowed: true, note: `serviceAccountName=${saName}; automount disabled` };
    const containers = [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), ...(Array.isArray(spec.containers) ? spec.containers : [])] as Rec[];
    const hasMount = containers.some((c) => Array.isArray(c.volumeMounts) && (c.volumeMounts as Rec[]).some((m) => m.mountPath === DefaultAPITokenMountPath));
    if (hasMount) return { allowed: true, note: `serviceAccountName=${saName}; token already mounted` };
    const volumeName = `kube-api-access-${randomSuffix(ctx.prng)}`;
    const volumes = (Array.isArray(spec.volumes) ? spec.volumes : (spec.volumes = [])) as Rec[];
    volumes.push({
      name: volumeName,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    for (const c of containers) {
      const mounts = (Array.isArray(c.volumeMounts) ? c.volumeMounts : (c.volumeMounts = [])) as Rec[];
      mounts.push({ name: volumeName, readOnly: true, mountPath: DefaultAPITokenMountPath });
    }
    return { allowed: true, note: `serviceAccountName=${saName}; mounted token volume ${volumeName}` };
  },
};
