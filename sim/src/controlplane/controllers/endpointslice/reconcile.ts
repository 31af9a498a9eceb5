/**
 * The EndpointSlice controller's core, reduced to one IPv4 slice per Service:
 * the Pods the Service's selector matches that have an IP become endpoints
 * with conditions ready = the Pod's Ready condition (or
 * spec.publishNotReadyAddresses), serving = ready, terminating = deletion
 * pending; ports come from the Service's targetPort.
 * Upstream: pkg/controller/endpointslice/endpointslice_controller.go and
 * staging/src/k8s.io/endpointslice/utils.go podToEndpoint (v1.34). Not
 * modelled: the 100-endpoints-per-slice split, IPv6, topology hints.
 */
import type { Pod } from '../../../api/objects.ts';

export interface ServiceLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { selector?: Record<string, string>; ports?: { name?: string; port?: number; targetPort?: number | string; protocol?: string }[]; publishNotReadyAddresses?: boolean };
}

export function desiredEndpointSlice(svc: ServiceLike, pods: Pod[], sliceName: string): Record<string, unknown> {
  const name = svc.metadata?.name ?? '';
  const ns = svc.metadata?.namespace ?? 'default';
  const sel = svc.spec?.selector ?? {};
  const keys = Object.keys(sel);
  const endpoints = pods
    .filter((p) => (p.metadata?.namespace ?? 'default') === ns && keys.length > 0 && keys.every((k) => p.metadata?.labels?.[k] === sel[k]) && p.status?.podIP)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .map((p) => {
      const podReady = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      const terminating = !!p.metadata?.deletionTimestamp;
      const ready = (svc.spec?.publishNotReadyAddresses ?? false) || (podReady && !terminating);
      return {
        addresses: [p.status!.podIP!],
        conditions: { ready, serving: podReady, terminating },
        nodeName: p.spec?.nodeName,
        targetRef: { kind: 'Pod', namespace: ns, name: p.metadata?.name },
      };
    });
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: sliceName, namespace: ns, labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    ports: (svc.spec?.ports ?? []).map((pt) => ({ ...(pt.name ? { name: pt.name } : {}), port: typeof pt.targetPort === 'number' ? pt.targetPort : pt.port, protocol: pt.protocol ?? 'TCP' })),
    endpoints,
  };
}
