/**
 * ResourceQuota (plugin/pkg/admission/resourcequota/controller.go and
 * pkg/quota/v1/evaluator/core/pods.go, v1.34), the last validating plugin:
 * the request's usage plus what the namespace already uses must stay within
 * every quota's `hard`, else 403 `exceeded quota: <name>, requested: ...,
 * used: ..., limited: ...`; a quota on cpu/memory requires every container
 * to state it ("must specify ..."). The sim computes `used` from stored
 * objects, which is what the quota controller keeps in status.used.
 */
import { isObject, type KObject } from '../object.ts';
import { admissionForbidden, type AdmissionAttributes, type AdmissionContext, type ValidatingPlugin } from './interfaces.ts';
import { formatMilli, isByteResource, milli } from './quantities.ts';

type Rec = Record<string, unknown>;
type Usage = Map<string, bigint>;

const COMPUTE = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];
const CORE_COUNTS: Record<string, string> = {
  pods: 'pods', services: 'services', configmaps: 'configmaps', secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims', resourcequotas: 'resourcequotas',
};

function sumContainers(pod: KObject, field: 'requests' | 'limits', resource: string): bigint {
  const spec = (pod.spec ?? {}) as Rec;
  const get = (c: Rec) => milli(((c.resources as Rec | undefined)?.[field] as Rec | undefined)?.[resource]) ?? 0n;
  const containers = (Array.isArray(spec.containers) ? spec.containers : []) as Rec[];
  const inits = (Array.isArray(spec.initContainers) ? spec.initContainers : []) as Rec[];
  const sum = containers.reduce((s, c) => s + get(c), 0n);
  const maxInit = inits.reduce((m, c) => (get(c) > m ? get(c) : m), 0n);
  return sum > maxInit ? sum : maxInit;
}

const terminal = (pod: KObject) => ['Succeeded', 'Failed'].includes(String((pod.status as Rec | undefined)?.phase));

/** What one object counts against a quota (milli-units; a count of 1 is 1000n). */
export function usageOf(resource: string, group: string, obj: KObject): Usage {
  const u: Usage = new Map();
  const countName = group ? `count/${resource}.${group}` : `count/${resource}`;
  if (resource === 'pods' && terminal(obj)) return u;
  u.set(countName, 1000n);
  if (CORE_COUNTS[resource] && !group) u.set(CORE_COUNTS[resource], 1000n);
  if (resource === 'pods') {
    for (const r of ['cpu', 'memory']) {
      const req = sumContainers(obj, 'requests', r);
      const lim = sumContainers(obj, 'limits', r);
      u.set(r, req);
      u.set(`requests.${r}`, req);
      u.set(`limits.${r}`, lim);
    }
  }
  if (resource === 'services' && !group) {
    const spec = (obj.spec ?? {}) as Rec;
    const ports = (Array.isArray(spec.ports) ? spec.ports.length : 0) * 1000;
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') u.set('services.nodeports', BigInt(ports));
    if (spec.type === 'LoadBalancer') u.set('services.loadbalancers', 1000n);
  }
  return u;
}

function prettyPrint(u: Usage, names: string[]): string {
  return [...names].sort().map((n) => `${n}=${formatMilli(u.get(n) ?? 0n, isByteResource(n))}`).join(',');
}

function missingConstraints(pod: KObject, hard: string[]): string | undefined {
  const required = hard.filter((h) => COMPUTE.includes(h));
  if (!required.length) return undefined;
  const spec = (pod.spec ?? {}) as Rec;
  const missing = new Map<string, string[]>();
  for (const c of (Array.isArray(spec.containers) ? spec.containers : []) as Rec[]) {
    const res = (c.resources ?? {}) as Rec;
    for (const r of required) {
      const [field, name] = r.includes('.') ? (r.split('.') as [string, string]) : ['requests', r];
      const has = ((res[field] as Rec | undefined)?.[name]) !== undefined;
      if (!has) missing.set(r, [...(missing.get(r) ?? []), String(c.name)]);
    }
  }
  if (!missing.size) return undefined;
  return `must specify ${[...missing.keys()].sort().map((r) => `${r} for: ${missing.get(r)!.sort().join(',')}`).join('; ')}`;
}

function evaluate(a: AdmissionAttributes, ctx: AdmissionContext) {
  const quotas = ctx.list('resourcequotas', a.namespace);
  const notes: string[] = [];
  for (const q of quotas) {
    const hardList = ((q.spec as Rec | undefined)?.hard ?? {}) as Record<string, string | number>;
    const hardNames = Object.keys(hardList);
    const requested = usageOf(a.info.resource, a.info.group, a.object);
    const tracked = hardNames.filter((n) => requested.has(n) && requested.get(n)! > 0n);
    if (a.info.kind === 'Pod') {
      const missing = missingConstraints(a.object, hardNames);
      if (missing) return admissionForbidden(a, `failed quota: ${q.metadata?.name}: ${missing}`);
    }
    if (!tracked.length) continue;
    const used: Usage = new Map();
    for (const obj of ctx.list(a.info.resource, a.namespace)) {
      for (const [k, v] of usageOf(a.info.resource, a.info.group, obj)) used.set(k, (used.get(k) ?? 0n) + v);
    }
    const hard: Usage = new Map(hardNames.map((n) => [n, milli(hardList[n]) ?? 0n]));
    const exceeded = tracked.filter((n) => (used.get(n) ?? 0n) + requested.get(n)! > hard.get(n)!);
    if (exceeded.length) {
      return admissionForbidden(a, `exceeded quota: ${q.metadata?.name}, requested: ${prettyPrint(requested, exceeded)}, used: ${prettyPrint(used, exceeded)}, limited: ${prettyPrint(hard, exceeded)}`);
    }
    notes.push(`${q.metadata?.name}: ${tracked.map((n) => `${n} ${formatMilli((used.get(n) ?? 0n) + requested.get(n)!, isByteResource(n))}/${hardList[n]}`).join(', ')}`);
  }
  return { allowed: true as const, note: notes.length ? notes.join('; ') : quotas.length ? 'no quota tracks this object' : 'no ResourceQuota in the namespace' };
}

export const ResourceQuota: ValidatingPlugin = {
  name: 'ResourceQuota',
  handles: (a) => a.operation === 'CREATE' && a.subresource === '' && a.info.namespaced,
  validate: evaluate,
};
