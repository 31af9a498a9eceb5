/**
 * What the registry does to an object around validation
 * (k8s.io/apiserver/pkg/registry/rest/create.go BeforeCreate, update.go
 * BeforeUpdate, and each resource's strategy.go, v1.34): fill in uid,
 * creationTimestamp and a generated name; reset status on create (a Pod
 * starts Pending with its QoS class, pkg/registry/core/pod/strategy.go);
 * bump metadata.generation when a workload's spec changes.
 */
import type { Prng } from '../../core/prng.ts';
import { isObject, clone, type KObject } from './object.ts';
import { randomSuffix } from './admission/interfaces.ts';
import { milli } from './admission/quantities.ts';

type Rec = Record<string, unknown>;

/** RFC 3339 time of `seconds` after 2025-01-01T00:00:00Z (the sim's epoch; no Date). */
export function formatTimestamp(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  let days = Math.floor(s / 86400) + 20089; // days from 1970-01-01 to 2025-01-01
  const rem = s % 86400;
  // civil_from_days (Howard Hinnant)
  days += 719468;
  const era = Math.floor(days / 146097);
  const doe = days - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${y}-${p2(m)}-${p2(d)}T${p2(Math.floor(rem / 3600))}:${p2(Math.floor((rem % 3600) / 60))}:${p2(rem % 60)}Z`;
}

/** A UUID-shaped uid from the seeded stream (version-4 layout). */
export function newUid(prng: Prng): string {
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const a = hex(prng.nextUint32()), b = hex(prng.nextUint32()), c = hex(prng.nextUint32()), d = hex(prng.nextUint32());
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${((parseInt(c[0]!, 16) & 3) | 8).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** pkg/apis/core/helper/qos GetPodQOS (v1.34), from the pod's containers. */
export function podQOSClass(pod: KObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = (pod.spec ?? {}) as Rec;
  const containers = [...((spec.containers ?? []) as Rec[]), ...((spec.initContainers ?? []) as Rec[])];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const res = (c.resources ?? {}) as Rec;
    const req = (res.requests ?? {}) as Rec;
    const lim = (res.limits ?? {}) as Rec;
    for (const r of ['cpu', 'memory']) {
      if ((milli(req[r]) ?? 0n) > 0n || (milli(lim[r]) ?? 0n) > 0n) anySet = true;
      const l = milli(lim[r]);
      const q = milli(req[r]) ?? l;
      if (l === undefined || l === 0n || q !== l) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'];

/** BeforeCreate + PrepareForCreate. */
export function prepareForCreate(obj: KObject, ctx: { prng: Prng; nowSeconds: number; namespace?: string }): void {
  const meta = (obj.metadata ??= {});
  if (ctx.namespace) meta.namespace = ctx.namespace;
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix(ctx.prng)}`;
  meta.uid = newUid(ctx.prng);
  meta.creationTimestamp = formatTimestamp(ctx.nowSeconds);
  delete meta.deletionTimestamp;
  if (WORKLOAD_KINDS.includes(obj.kind ?? '')) {
    meta.generation = 1;
    obj.status = {};
  }
  if (obj.kind === 'Pod') obj.status = { phase: 'Pending', qosClass: podQOSClass(obj) };
  if (obj.kind === 'Namespace') obj.status = { phase: 'Active' };
  if (obj.kind === 'Namespace') meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name ?? '' };
}

/** BeforeUpdate + PrepareForUpdate: keep immutable metadata, keep status on a main-resource update, bump generation. */
export function prepareForUpdate(obj: KObject, old: KObject, subresource: string): void {
  const meta = (obj.metadata ??= {});
  const oldMeta = old.metadata ?? {};
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  meta.name = oldMeta.name;
  meta.namespace = oldMeta.namespace;
  if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  if (subresource === 'status') {
    obj.spec = clone(old.spec);
    meta.labels = oldMeta.labels;
    meta.annotations = oldMeta.annotations;
  } else if (old.status !== undefined) {
    obj.status = clone(old.status);
  }
  if (oldMeta.generation !== undefined) {
    const specChanged = subresource === '' && JSON.stringify(obj.spec) !== JSON.stringify(old.spec);
    meta.generation = oldMeta.generation + (specChanged ? 1 : 0);
  }
  if (obj.kind === 'Namespace') meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name ?? '' };
}

export const isWorkload = (o: KObject): boolean => WORKLOAD_KINDS.includes(o.kind ?? '') && isObject(o.spec);
