/**
 * LimitRanger (plugin/pkg/admission/limitranger/admission.go, v1.34):
 * Admit fills in container requests/limits from a LimitRange's
 * `defaultRequest`/`default` and records what it set in the
 * `kubernetes.io/limit-ranger` annotation; Validate enforces `min`/`max`
 * ("maximum cpu usage per Container is 1, but limit is 2").
 */
import { isObject, type KObject } from '../object.ts';
import { admissionForbidden, isPodCreate, type AdmissionAttributes, type AdmissionContext, type MutatingPlugin, type ValidatingPlugin } from './interfaces.ts';
import { milli } from './quantities.ts';

type Rec = Record<string, unknown>;
type ResourceList = Record<string, string | number>;

interface LimitRangeItem {
  type?: string;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  max?: ResourceList;
  min?: ResourceList;
}

export const LimitRangerAnnotation = 'kubernetes.io/limit-ranger';

function containerItems(ctx: AdmissionContext, namespace: string): { name: string; item: LimitRangeItem }[] {
  const out: { name: string; item: LimitRangeItem }[] = [];
  for (const lr of ctx.list('limitranges', namespace)) {
    const limits = ((lr.spec as Rec | undefined)?.limits ?? []) as LimitRangeItem[];
    for (const item of limits) if (item.type === 'Container') out.push({ name: lr.metadata?.name ?? '', item });
  }
  return out;
}

function podContainers(pod: KObject): { c: Rec; prefix: string }[] {
  const spec = (pod.spec ?? {}) as Rec;
  return [
    ...((Array.isArray(spec.initContainers) ? spec.initContainers : []) as Rec[]).map((c) => ({ c, prefix: 'init container' })),
    ...((Array.isArray(spec.containers) ? spec.containers : []) as Rec[]).map((c) => ({ c, prefix: 'container' })),
  ];
}

export const LimitRangerAdmit: MutatingPlugin = {
  name: 'LimitRanger',
  handles: isPodCreate,
  admit(a, ctx) {
    const items = containerItems(ctx, a.namespace);
    if (!items.length) return { allowed: true, note: 'no LimitRange in the namespace' };
    const annotations: string[] = [];
    for (const { c, prefix } of podContainers(a.object)) {
      const res = (isObject(c.resources) ? c.resources : (c.resources = {})) as Rec;
      const limits = (isObject(res.limits) ? res.limits : {}) as ResourceList;
      const requests = (isObject(res.requests) ? res.requests : {}) as ResourceList;
      const setRequests: string[] = [];
      const setLimits: string[] = [];
      for (const { item } of items) {
        // SetDefaults_LimitRangeItem: defaultRequest falls back to default.
        const defaultRequest = { ...(item.default ?? {}), ...(item.defaultRequest ?? {}) };
        for (const [k, v] of Object.entries(item.default ?? {})) {
          if (limits[k] === undefined) { limits[k] = v; setLimits.push(k); }
        }
        for (const [k, v] of Object.entries(defaultRequest)) {
          if (requests[k] === undefined) { requests[k] = v; setRequests.push(k); }
        }
      }
      if (Object.keys(limits).length) res.limits = limits;
      if (Object.keys(requests).length) res.requests = requests;
      if (setRequests.length) annotations.push(`${setRequests.sort().join(', ')} request for ${prefix} ${String(c.name)}`);
      if (setLimits.length) annotations.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${String(c.name)}`);
    }
    if (!annotations.length) return { allowed: true, note: 'every container already sets its resources' };
    const meta = (a.object.metadata ??= {});
    meta.annotations = { ...(meta.annotations ?? {}), [LimitRangerAnnotation]: `LimitRanger plugin set: ${annotations.join('; ')}` };
    return { allowed: true, note: annotations.join('; ') };
  },
};

function validateLimits(a: AdmissionAttributes, ctx: AdmissionContext) {
  const errs: string[] = [];
  for (const { item } of containerItems(ctx, a.namespace)) {
    for (const { c } of podContainers(a.object)) {
      const res = (isObject(c.resources) ? c.resources : {}) as Rec;
      const limits = (isObject(res.limits) ? res.limits : {}) as ResourceList;
      const requests = (isObject(res.requests) ? res.requests : {}) as ResourceList;
      for (const [k, min] of Object.entries(item.min ?? {})) {
        const req = milli(requests[k]);
        if (req === undefined) errs.push(`minimum ${k} usage per Container is ${min}.  No request is specified`);
        else if (req < milli(min)!) errs.push(`minimum ${k} usage per Container is ${min}, but request is ${requests[k]}`);
      }
      for (const [k, max] of Object.entries(item.max ?? {})) {
        const lim = milli(limits[k]);
        if (lim === undefined) errs.push(`maximum ${k} usage per Container is ${max}.  No limit is specified`);
        else if (lim > milli(max)!) errs.push(`maximum ${k} usage per Container is ${max}, but limit is ${limits[k]}`);
      }
    }
  }
  return errs;
}

export const LimitRangerValidate: ValidatingPlugin = {
  name: 'LimitRanger',
  handles: (a) => a.info.kind === 'Pod' && a.operation !== 'DELETE' && a.subresource === '',
  validate(a, ctx) {
    const errs = validateLimits(a, ctx);
    if (!errs.length) return { allowed: true, note: 'within every LimitRange min/max' };
    return admissionForbidden(a, errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
  },
};
