/**
 * NamespaceLifecycle (plugin/pkg/admission/namespace/lifecycle/admission.go,
 * v1.34): no new objects in a namespace that does not exist (404) or is
 * terminating (403); the immortal namespaces cannot be deleted.
 */
import { newNotFound } from '../status.ts';
import { admissionForbidden, type MutatingPlugin } from './interfaces.ts';

const IMMORTAL = ['default', 'kube-system', 'kube-public'];

export const NamespaceLifecycle: MutatingPlugin = {
  name: 'NamespaceLifecycle',
  handles: () => true,
  admit(a, ctx) {
    if (a.info.kind === 'Namespace') {
      if (a.operation === 'DELETE' && IMMORTAL.includes(a.name)) return admissionForbidden(a, 'this namespace may not be deleted');
      return { allowed: true };
    }
    if (!a.info.namespaced) return { allowed: true };
    const ns = ctx.get('namespaces', '', a.namespace);
    if (!ns) return { allowed: false, status: newNotFound({ group: '', resource: 'namespaces' }, a.namespace) };
    const phase = (ns.status as { phase?: string } | undefined)?.phase;
    if (a.operation === 'CREATE' && (phase === 'Terminating' || ns.metadata?.deletionTimestamp)) {
      return admissionForbidden(a, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
    }
    return { allowed: true, note: `namespace "${a.namespace}" exists` };
  },
};
