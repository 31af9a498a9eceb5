/**
 * metav1.Status values with the apiserver's exact message shapes. Follows
 * k8s.io/apimachinery/pkg/api/errors/errors.go (v1.34): NewUnauthorized,
 * NewForbidden, NewInvalid, NewConflict, NewAlreadyExists, NewNotFound,
 * NewResourceExpired (410), NewTimeoutError; and the storage layer's
 * optimistic-lock text from k8s.io/apiserver/pkg/registry/generic/registry/store.go.
 */
import type { FieldError } from './validation/field.ts';
import { errorListMessage } from './validation/field.ts';

export type StatusReason =
  | '' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'Expired'
  | 'Gone' | 'BadRequest' | 'Timeout' | 'MethodNotAllowed' | 'InternalError';

export interface StatusCause {
  /** field.ErrorType as a CauseType: FieldValueRequired, FieldValueInvalid, ... */
  reason: string;
  message: string;
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

/** A metav1.Status: `code` is the HTTP status; `status` is "Success" or "Failure". */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  status: 'Success' | 'Failure';
  code: number;
  reason: StatusReason;
  message: string;
  details?: StatusDetails;
}

/** The group-qualified resource as errors print it: `pods`, `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export const qualified = (gr: GroupResource): string => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);

function failure(code: number, reason: StatusReason, message: string, details?: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, ...(details ? { details } : {}) };
}

export function success(code: number, message = ''): Status {
  return { kind: 'Status', apiVersion: 'v1', status: 'Success', code, reason: '', message };
}

export const newUnauthorized = (): Status => failure(401, 'Unauthorized', 'Unauthorized');

export function newForbidden(gr: GroupResource, name: string, err: string): Status {
  const message = name === '' ? `${qualified(gr)} is forbidden: ${err}` : `${qualified(gr)} "${name}" is forbidden: ${err}`;
  return failure(403, 'Forbidden', message, { group: gr.group, kind: gr.resource, ...(name ? { name } : {}) });
}

export function newNotFound(gr: GroupResource, name: string): Status {
  return failure(404, 'NotFound', `${qualified(gr)} "${name}" not found`, { group: gr.group, kind: gr.resource, name });
}

export function newAlreadyExists(gr: GroupResource, name: string): Status {
  return failure(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, { group: gr.group, kind: gr.resource, name });
}

/** registry/generic/registry/store.go: OptimisticLockErrorMsg. */
export const OptimisticLockErrorMsg = 'the object has been modified; please apply your changes to the latest version and try again';

export function newConflict(gr: GroupResource, name: string, err: string): Status {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${err}`, { group: gr.group, kind: gr.resource, name });
}

/** `Pod "x" is invalid: spec.containers[0].image: Required value` (a list prints as `[a, b]`). */
export function newInvalid(kind: { group: string; kind: string }, name: string, errs: FieldError[]): Status {
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  const message = errs.length ? `${qualifiedKind} "${name}" is invalid: ${errorListMessage(errs)}` : `${qualifiedKind} "${name}" is invalid`;
  return failure(422, 'Invalid', message, {
    group: kind.group, kind: kind.kind, name,
    causes: errs.map((e) => ({ reason: e.type, message: e.body, field: e.field })),
  });
}

/** 410 from the watch cache: `too old resource version: 5 (12)`. */
export const newResourceExpired = (message: string): Status => failure(410, 'Expired', message);

export const newBadRequest = (message: string): Status => failure(400, 'BadRequest', message);

export const newMethodNotSupported = (gr: GroupResource, verb: string): Status =>
  failure(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualified(gr)}"`);

/** What the apiserver answers when etcd does not commit in time (storage.ErrCodeTimeout → 504). */
export const newTimeout = (message: string): Status => failure(504, 'Timeout', message);

export const newInternalError = (err: string): Status => failure(500, 'InternalError', `Internal error occurred: ${err}`);
