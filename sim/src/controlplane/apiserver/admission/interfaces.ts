/**
 * Admission plugin interfaces after k8s.io/apiserver/pkg/admission/interfaces.go
 * (v1.34): mutating plugins (`Admit`) may change the object; validating
 * plugins (`Validate`) only accept or reject. A rejection is a Status value,
 * usually admission.NewForbidden → 403 `<resource> "<name>" is forbidden: <reason>`.
 */
import type { Prng } from '../../../core/prng.ts';
import type { UserInfo } from '../authn/user.ts';
import type { KObject } from '../object.ts';
import type { ResourceInfo } from '../resources.ts';
import { groupResource } from '../resources.ts';
import { newForbidden, type Status } from '../status.ts';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  operation: Operation;
  info: ResourceInfo;
  namespace: string;
  name: string;
  subresource: string;
  object: KObject;
  oldObject?: KObject;
  user: UserInfo;
}

/** Read access to cluster state (the real plugins use informers/listers). */
export interface AdmissionContext {
  get(resource: string, namespace: string, name: string): KObject | undefined;
  list(resource: string, namespace?: string): KObject[];
  prng: Prng;
}

export type AdmissionOutcome =
  | { allowed: true; note?: string; warnings?: string[] }
  | { allowed: false; status: Status };

export interface MutatingPlugin {
  readonly name: string;
  handles(a: AdmissionAttributes): boolean;
  admit(a: AdmissionAttributes, ctx: AdmissionContext): AdmissionOutcome;
}

export interface ValidatingPlugin {
  readonly name: string;
  handles(a: AdmissionAttributes): boolean;
  validate(a: AdmissionAttributes, ctx: AdmissionContext): AdmissionOutcome;
}

/** admission.NewForbidden: the object's name (or generateName) and the reason. */
export function admissionForbidden(a: AdmissionAttributes, reason: string): AdmissionOutcome {
  const name = a.name || a.object.metadata?.name || a.object.metadata?.generateName || '';
  return { allowed: false, status: newForbidden(groupResource(a.info), name, reason) };
}

export const isPodCreate = (a: AdmissionAttributes): boolean => a.info.kind === 'Pod' && a.operation === 'CREATE' && a.subresource === '';

/** utilrand.String: lowercase consonants and digits without vowels or look-alikes (k8s.io/apimachinery/pkg/util/rand). */
export function randomSuffix(prng: Prng, length = 5): string {
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < length; i++) s += alphanums[prng.intBetween(0, alphanums.length)];
  return s;
}
