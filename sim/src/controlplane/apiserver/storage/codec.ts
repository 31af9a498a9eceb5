/**
 * What goes into etcd and comes back. Kubernetes stores protobuf with a
 * `k8s\0` prefix; the sim stores JSON text so a reader can see it. The
 * resourceVersion is never stored: it is the kv's mod_revision, set on the
 * way out (storage/etcd3 APIObjectVersioner, v1.34).
 */
import type { KeyValue } from '../../etcd/mvcc/kv.ts';
import { clone, type KObject } from '../object.ts';

export function encode(obj: KObject): string {
  const copy = clone(obj);
  if (copy.metadata) delete copy.metadata.resourceVersion;
  return JSON.stringify(copy);
}

export function decode(kv: KeyValue): KObject {
  const obj = JSON.parse(kv.value) as KObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
  return obj;
}

/** A deleted object as watchers see it: the last state, at the deletion revision. */
export function decodeDeleted(prev: KeyValue, deletedAtRevision: number): KObject {
  const obj = JSON.parse(prev.value) as KObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(deletedAtRevision) };
  return obj;
}
