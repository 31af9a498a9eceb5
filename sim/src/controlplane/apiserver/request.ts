/**
 * A request to the simulated kube-apiserver and the answer it gives: the
 * answer is a metav1.Status (`code`, `status`, `reason`, `message`) plus the
 * trace of every pipeline stage it went through, for the widget
 * (k8s.io/apiserver/pkg/endpoints: filters → handlers → registry → storage).
 */
import type { UserInfo } from './authn/user.ts';
import type { Credentials } from './authn/authenticate.ts';
import type { FieldChange, KObject } from './object.ts';
import type { StatusDetails, StatusReason } from './status.ts';

/**
 * `update` is PUT (optimistic concurrency when the body carries a
 * resourceVersion); `patch` is a JSON merge patch; `apply` is server-side
 * apply (a PATCH: RBAC checks `patch`; creates the object if missing).
 * kubectl's client-side apply of a new object is a plain `create`.
 */
export type Verb = 'create' | 'get' | 'list' | 'watch' | 'update' | 'patch' | 'apply' | 'delete';

export interface ApiRequest {
  verb: Verb;
  /** Plural resource (`pods`); inferred from `body.kind` when absent. */
  resource?: string;
  /** `status` (status updates) or `binding` (the scheduler binding a pod). */
  subresource?: string;
  namespace?: string;
  name?: string;
  body?: KObject;
  /** Omitted → the apiserver's own loopback identity (`system:apiserver`, group system:masters). */
  credentials?: Credentials;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  fieldSelector?: string;
  labelSelector?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** DELETE: seconds of grace (pods default to spec.terminationGracePeriodSeconds). */
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export type Stage =
  | 'authentication' | 'authorization' | 'decode' | 'defaulting' | 'mutating-admission'
  | 'validation' | 'validating-admission' | 'storage' | 'watch-cache';

export interface PipelineStep {
  stage: Stage;
  /** The admission plugin / authenticator / authorizer that acted. */
  plugin?: string;
  outcome: 'pass' | 'fail' | 'skip';
  detail: string;
  /** Fields this step changed (defaulting and mutating admission). */
  changes?: FieldChange[];
}

export interface ApiResponse {
  /** HTTP status code (201 Created, 403 Forbidden, ...). */
  code: number;
  status: 'Success' | 'Failure';
  reason: StatusReason;
  message: string;
  details?: StatusDetails;
  steps: PipelineStep[];
  object?: KObject;
  items?: KObject[];
  /** The list's resourceVersion (LIST) or the object's. */
  resourceVersion?: string;
  /** HTTP Warning headers (PodSecurity warn mode, ...). */
  warnings?: string[];
  /** Where the write landed in etcd. */
  etcd?: { key: string; revision: number; op: 'put' | 'delete' };
  user?: UserInfo;
}
