/**
 * kube-apiserver as a pipeline over an etcd store (local or Raft-replicated).
 * The order of stages is upstream's (k8s.io/apiserver v1.34):
 *   filters:  authentication (filters/authentication.go) → authorization
 *             (filters/authorization.go: system:masters, then RBAC)
 *   handler:  decode + defaulting (handlers/create.go, update.go)
 *             → mutating admission → registry BeforeCreate/Update +
 *             strategy Validate (422) → validating admission
 *             → storage (etcd3 txn; 409 AlreadyExists / Conflict)
 *   reads:    GET from etcd, LIST/WATCH from the watch cache (cacher).
 * Every request returns an ApiResponse value with the steps it took; nothing
 * here throws for a rejected request.
 */
import { Prng } from '../../core/prng.ts';
import { WatchableStore } from '../etcd/mvcc/watchable-store.ts';
import type { KvClient } from '../etcd/mvcc/client.ts';
import { authenticate, type Credentials, type StaticToken } from './authn/authenticate.ts';
import { TokenIssuer } from './authn/token.ts';
import { SystemPrivilegedGroup, type UserInfo } from './authn/user.ts';
import { authorizeRbac, forbiddenMessage, type Attributes, type BindingLike, type RbacSource, type RoleLike } from './authz/rbac.ts';
import { bootstrapObjects } from './bootstrap.ts';
import { MUTATING_PLUGINS, VALIDATING_PLUGINS } from './admission/chain.ts';
import type { AdmissionAttributes, AdmissionContext, Operation } from './admission/interfaces.ts';
import { applyDefaults } from './defaults.ts';
import { clone, diffFields, isObject, mergePatch, type KObject } from './object.ts';
import type { ApiRequest, ApiResponse, PipelineStep } from './request.ts';
import { apiVersionOf, etcdKey, etcdListPrefix, groupResource, RESOURCES, resourceByName, resourceForKind, type ResourceInfo } from './resources.ts';
import { parseFieldSelector, parseLabelSelector, type Selector } from './selectors.ts';
import { Cacher, type CacheWatcher } from './storage/cacher.ts';
import { Etcd3Storage, type StorageResult } from './storage/etcd3.ts';
import {
  newAlreadyExists, newBadRequest, newConflict, newForbidden, newInternalError, newInvalid, newMethodNotSupported,
  newNotFound, newResourceExpired, newTimeout, newUnauthorized, OptimisticLockErrorMsg, success, type Status,
} from './status.ts';
import { formatTimestamp, prepareForCreate, prepareForUpdate } from './strategy.ts';
import { validateObject } from './validation/validate.ts';
import { parseExactQuantity } from '../../api/quantity.ts';

export interface ApiServerOptions {
  /** The etcd the apiserver talks to (default: a fresh local WatchableStore). */
  store?: KvClient;
  seed?: number;
  /** Seconds since the sim epoch, for timestamps (default: always 0). */
  nowSeconds?: () => number;
  staticTokens?: StaticToken[];
  /** Name of the CA client certificates must be signed by (default "kubernetes-ca"). */
  clientCA?: string;
  anonymousAuth?: boolean;
  /** Events each resource's watch cache keeps (default 100). */
  watchCacheSize?: number;
  /** Create system namespaces, default ServiceAccounts and bootstrap RBAC (default true). */
  bootstrap?: boolean;
}

/** The identity of in-process callers (kube-apiserver's loopback client). */
export const LOOPBACK_USER: UserInfo = { name: 'system:apiserver', groups: [SystemPrivilegedGroup, 'system:authenticated'] };

/** A WATCH that was accepted: take() drains events as they arrive; stop() ends it. */
export type WatchStream = CacheWatcher;

export class ApiServer {
  readonly storage: Etcd3Storage;
  readonly #prng: Prng;
  readonly #now: () => number;
  readonly #issuer: TokenIssuer;
  readonly #staticTokens: StaticToken[];
  readonly #clientCA: string;
  readonly #anonymousAuth: boolean;
  readonly #watchCacheSize: number;
  readonly #cachers = new Map<string, Cacher>();

  constructor(options: ApiServerOptions = {}) {
    this.storage = new Etcd3Storage(options.store ?? new WatchableStore());
    this.#prng = new Prng(options.seed ?? 1);
    this.#now = options.nowSeconds ?? (() => 0);
    this.#issuer = new TokenIssuer(this.#prng.nextUint32());
    this.#staticTokens = options.staticTokens ?? [];
    this.#clientCA = options.clientCA ?? 'kubernetes-ca';
    this.#anonymousAuth = options.anonymousAuth ?? true;
    this.#watchCacheSize = options.watchCacheSize ?? 100;
    // Like kube-apiserver at startup, every resource's watch cache starts before requests are served.
    for (const info of RESOURCES) this.cacher(info);
    if (options.bootstrap ?? true) for (const obj of bootstrapObjects()) this.handle({ verb: 'create', body: obj });
  }

  get client(): KvClient {
    return this.storage.client;
  }

  /** A bearer token for a ServiceAccount (the TokenRequest API); undefined if it does not exist. */
  issueServiceAccountToken(namespace: string, name: string): string | undefined {
    const sa = this.#read('serviceaccounts', namespace, name);
    return sa ? this.#issuer.issue(namespace, name, sa.metadata?.uid ?? '') : undefined;
  }

  /** The watch cache of a resource (created on first use, like the cacher at startup). */
  cacher(info: ResourceInfo): Cacher {
    let c = this.#cachers.get(info.resource);
    if (!c) {
      c = new Cacher(this.storage.client, info, this.#watchCacheSize);
      this.#cachers.set(info.resource, c);
    }
    return c;
  }

  /** Every cacher's bookmark timer fires (upstream: about once a minute per watcher). */
  sendBookmarks(): number {
    let n = 0;
    for (const c of this.#cachers.values()) n += c.sendBookmarks();
    return n;
  }

  /** Handles one request. WATCH requests answer here too; use `watch` to get the stream. */
  handle(req: ApiRequest): ApiResponse {
    const { response, stream } = this.#serve(req);
    stream?.stop(); // a WATCH through handle() answers, then closes (use watch() to keep the stream)
    return response;
  }

  /** WATCH: the response (200, or 401/403/410/...) and, when accepted, the event stream. */
  watch(req: Omit<ApiRequest, 'verb'>): { response: ApiResponse; stream?: WatchStream } {
    return this.#serve({ ...req, verb: 'watch' });
  }

  // --- pipeline ------------------------------------------------------------

  #serve(req: ApiRequest): { response: ApiResponse; stream?: WatchStream } {
    const steps: PipelineStep[] = [];
    const info = req.resource ? resourceByName(req.resource) : resourceForKind(req.body?.apiVersion, req.body?.kind);
    if (!info) {
      const what = req.resource ?? `${req.body?.apiVersion ?? '?'}/${req.body?.kind ?? '?'}`;
      return { response: this.#fail(steps, { ...newNotFound({ group: '', resource: 'resources' }, what), message: `the server could not find the requested resource (${what})` }) };
    }
    const user = this.#authenticate(req.credentials, steps);
    if (!user) return { response: this.#fail(steps, newUnauthorized()) };
    const namespace = info.namespaced ? (req.namespace ?? req.body?.metadata?.namespace ?? 'default') : '';
    const name = req.name ?? (req.verb === 'create' ? '' : req.body?.metadata?.name ?? '');
    const verb = req.verb === 'apply' ? 'patch' : req.verb;
    const attrs: Attributes = { user, verb, apiGroup: info.group, resource: info.resource, subresource: req.subresource ?? '', namespace, name };
    const denied = this.#authorize(attrs, steps);
    if (denied) return { response: this.#fail(steps, denied, user) };

    switch (req.verb) {
      case 'get': return { response: this.#get(info, namespace, name, req, steps, user) };
      case 'list': return { response: this.#list(info, namespace, req, steps, user) };
      case 'watch': return this.#watch(info, namespace, req, steps, user);
      case 'create':
        if (req.subresource === 'binding') return { response: this.#bind(info, namespace, name, req, steps, user) };
        return { response: this.#create(info, namespace, req, steps, user) };
      case 'update':
      case 'patch':
      case 'apply':
        return { response: this.#update(info, namespace, name, req, steps, user) };
      case 'delete': return { response: this.#delete(info, namespace, name, req, steps, user) };
    }
  }

  #authenticate(cred: Credentials | undefined, steps: PipelineStep[]): UserInfo | undefined {
    if (!cred) {
      steps.push({ stage: 'authentication', plugin: 'loopback', outcome: 'pass', detail: `in-process client: user "${LOOPBACK_USER.name}", groups [${LOOPBACK_USER.groups.join(' ')}]` });
      return LOOPBACK_USER;
    }
    const r = authenticate({
      clientCA: this.#clientCA,
      staticTokens: this.#staticTokens,
      anonymousAuth: this.#anonymousAuth,
      issuer: this.#issuer,
      serviceAccountUid: (ns, n) => this.#read('serviceaccounts', ns, n)?.metadata?.uid,
    }, cred);
    if (!r.ok) {
      steps.push({ stage: 'authentication', outcome: 'fail', detail: `${r.detail} → 401 Unauthorized` });
      return undefined;
    }
    steps.push({ stage: 'authentication', plugin: r.method, outcome: 'pass', detail: `${r.detail}: user "${r.user.name}", groups [${r.user.groups.join(' ')}]` });
    return r.user;
  }

  /** undefined when allowed; else the 403 Status. */
  #authorize(a: Attributes, steps: PipelineStep[]): Status | undefined {
    if (a.user.groups.includes(SystemPrivilegedGroup)) {
      steps.push({ stage: 'authorization', plugin: 'system:masters', outcome: 'pass', detail: `group ${SystemPrivilegedGroup} is allowed everything (privileged group authorizer, before RBAC)` });
      return undefined;
    }
    const d = authorizeRbac(this.#rbacSource(), a);
    const tried = d.considered.map((c) => `${c.binding} → ${c.role}${c.matched ? ' ✓' : ' ✗'}`).join('; ');
    if (d.allowed) {
      steps.push({ stage: 'authorization', plugin: 'RBAC', outcome: 'pass', detail: d.reason });
      return undefined;
    }
    const msg = forbiddenMessage(a);
    steps.push({ stage: 'authorization', plugin: 'RBAC', outcome: 'fail', detail: `no rule allows ${a.verb} ${a.resource}${tried ? ` (bindings for this user: ${tried})` : ' (no binding names this user or its groups)'}` });
    return newForbidden(groupResource({ resource: a.resource, group: a.apiGroup } as ResourceInfo), a.name, d.reason ? `${msg}: ${d.reason}` : msg);
  }

  #rbacSource(): RbacSource {
    const all = (resource: string, ns?: string) => this.#cachedList(resource, ns);
    return {
      roles: (ns) => all('roles', ns) as RoleLike[],
      clusterRoles: () => all('clusterroles') as RoleLike[],
      roleBindings: (ns) => all('rolebindings', ns) as BindingLike[],
      clusterRoleBindings: () => all('clusterrolebindings') as BindingLike[],
    };
  }

  #cachedList(resource: string, namespace?: string): KObject[] {
    const info = resourceByName(resource)!;
    return this.cacher(info).list({ namespace, selector: () => true });
  }

  #read(resource: string, namespace: string, name: string): KObject | undefined {
    const info = resourceByName(resource)!;
    return this.storage.get(etcdKey(info, namespace, name)).obj;
  }

  #admissionContext(): AdmissionContext {
    return {
      get: (resource, ns, name) => this.#read(resource, ns, name),
      list: (resource, ns) => this.#cachedList(resource, ns),
      prng: this.#prng,
    };
  }

  #fail(steps: PipelineStep[], status: Status, user?: UserInfo, extra: Partial<ApiResponse> = {}): ApiResponse {
    return { code: status.code, status: 'Failure', reason: status.reason, message: status.message, ...(status.details ? { details: status.details } : {}), steps, ...(user ? { user } : {}), ...extra };
  }

  #ok(code: number, steps: PipelineStep[], user: UserInfo, extra: Partial<ApiResponse> = {}): ApiResponse {
    const s = success(code);
    return { code, status: s.status, reason: '', message: '', steps, user, ...extra };
  }

  // --- writes --------------------------------------------------------------

  /** Decode checks: kind/apiVersion/namespace agree with the URL; quantities parse (400 otherwise). */
  #decode(info: ResourceInfo, namespace: string, body: KObject | undefined, steps: PipelineStep[]): KObject | Status {
    if (!isObject(body)) return newBadRequest('the request body is empty');
    const obj = clone(body);
    obj.apiVersion ??= apiVersionOf(info);
    obj.kind ??= info.kind;
    if (obj.kind !== info.kind || obj.apiVersion !== apiVersionOf(info)) {
      return newBadRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(info)}) or kind ${obj.kind} is not ${info.kind}`);
    }
    const meta = (obj.metadata ??= {});
    if (info.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) return newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = namespace;
    } else delete meta.namespace; // rest.BeforeCreate clears it on cluster-scoped objects
    const badQuantity = findBadQuantity(obj);
    if (badQuantity) return newBadRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
    steps.push({ stage: 'decode', outcome: 'pass', detail: `decoded ${obj.apiVersion} ${obj.kind}` });
    const before = clone(obj);
    applyDefaults(obj);
    const changes = diffFields(before, obj);
    steps.push({ stage: 'defaulting', outcome: 'pass', detail: changes.length ? `scheme defaults set ${changes.length} field(s)` : 'nothing to default', changes });
    return obj;
  }

  #mutatingAdmission(a: AdmissionAttributes, steps: PipelineStep[]): Status | undefined {
    const ctx = this.#admissionContext();
    for (const p of MUTATING_PLUGINS) {
      if (!p.handles(a)) continue;
      const before = clone(a.object);
      const r = p.admit(a, ctx);
      const changes = diffFields(before, a.object);
      if (!r.allowed) {
        steps.push({ stage: 'mutating-admission', plugin: p.name, outcome: 'fail', detail: r.status.message });
        return r.status;
      }
      steps.push({ stage: 'mutating-admission', plugin: p.name, outcome: 'pass', detail: r.note ?? 'admitted', ...(changes.length ? { changes } : {}) });
    }
    return undefined;
  }

  #validatingAdmission(a: AdmissionAttributes, steps: PipelineStep[], warnings: string[]): Status | undefined {
    const ctx = this.#admissionContext();
    for (const p of VALIDATING_PLUGINS) {
      if (!p.handles(a)) continue;
      const r = p.validate(a, ctx);
      if (!r.allowed) {
        steps.push({ stage: 'validating-admission', plugin: p.name, outcome: 'fail', detail: r.status.message });
        return r.status;
      }
      if (r.warnings) warnings.push(...r.warnings);
      steps.push({ stage: 'validating-admission', plugin: p.name, outcome: 'pass', detail: r.note ?? 'admitted' });
    }
    return undefined;
  }

  #validate(info: ResourceInfo, obj: KObject, steps: PipelineStep[], old?: KObject): Status | undefined {
    const errs = validateObject(obj, info, old);
    if (errs.length) {
      const status = newInvalid({ group: info.group, kind: info.kind }, obj.metadata?.name ?? '', errs);
      steps.push({ stage: 'validation', outcome: 'fail', detail: status.message });
      return status;
    }
    steps.push({ stage: 'validation', outcome: 'pass', detail: `${info.kind} passes ${old ? 'ValidateUpdate' : 'Validate'}` });
    return undefined;
  }

  #storageFailure(info: ResourceInfo, name: string, r: Extract<StorageResult, { ok: false }>): Status {
    switch (r.reason) {
      case 'exists': return newAlreadyExists(groupResource(info), name);
      case 'conflict': return newConflict(groupResource(info), name, OptimisticLockErrorMsg);
      case 'notFound': return newNotFound(groupResource(info), name);
      case 'timeout': return newTimeout(`etcd did not answer in time: ${r.message}`);
      case 'tooLarge': return newInternalError(r.message);
      case 'compacted': return newResourceExpired(r.message);
    }
  }

  #create(info: ResourceInfo, namespace: string, req: ApiRequest, steps: PipelineStep[], user: UserInfo): ApiResponse {
    const decoded = this.#decode(info, namespace, req.body, steps);
    if ('code' in decoded && (decoded as Status).kind === 'Status') return this.#fail(steps, decoded as Status, user);
    const obj = decoded as KObject;
    const a: AdmissionAttributes = { operation: 'CREATE', info, namespace, name: obj.metadata?.name ?? '', subresource: '', object: obj, user };
    const mutDenied = this.#mutatingAdmission(a, steps);
    if (mutDenied) return this.#fail(steps, mutDenied, user);
    const before = clone(obj);
    prepareForCreate(obj, { prng: this.#prng, nowSeconds: this.#now(), ...(info.namespaced ? { namespace } : {}) });
    const prepared = diffFields(before, obj);
    steps.push({ stage: 'validation', plugin: 'BeforeCreate', outcome: 'pass', detail: 'registry strategy PrepareForCreate: uid, creationTimestamp, status', changes: prepared });
    const invalid = this.#validate(info, obj, steps);
    if (invalid) return this.#fail(steps, invalid, user);
    a.name = obj.metadata?.name ?? '';
    const warnings: string[] = [];
    const valDenied = this.#validatingAdmission(a, steps, warnings);
    if (valDenied) return this.#fail(steps, valDenied, user, warnings.length ? { warnings } : {});
    const key = etcdKey(info, namespace, a.name);
    if (req.dryRun) {
      steps.push({ stage: 'storage', outcome: 'skip', detail: `dry run: would write ${key}` });
      return this.#ok(201, steps, user, { object: obj, ...(warnings.length ? { warnings } : {}) });
    }
    const r = this.storage.create(key, obj);
    if (!r.ok) {
      const status = this.#storageFailure(info, a.name, r);
      steps.push({ stage: 'storage', outcome: 'fail', detail: `etcd txn If(mod_revision("${key}") == 0) failed → ${status.code} ${status.reason}` });
      return this.#fail(steps, status, user, warnings.length ? { warnings } : {});
    }
    steps.push({ stage: 'storage', outcome: 'pass', detail: `etcd txn If(mod_revision("${key}") == 0) Then(put) → revision ${r.revision}` });
    return this.#ok(201, steps, user, { object: r.obj, resourceVersion: String(r.revision), etcd: { key, revision: r.revision, op: 'put' }, ...(warnings.length ? { warnings } : {}) });
  }

  /** PUT (update), merge PATCH and apply (create-or-merge), through GuaranteedUpdate's preconditions. */
  #update(info: ResourceInfo, namespace: string, name: string, req: ApiRequest, steps: PipelineStep[], user: UserInfo): ApiResponse {
    const key = etcdKey(info, namespace, name);
    const current = this.storage.get(key).obj;
    if (!current) {
      if (req.verb === 'apply') {
        steps.push({ stage: 'storage', plugin: 'get', outcome: 'pass', detail: `${key} does not exist: apply creates it` });
        return this.#create(info, namespace, { ...req, verb: 'create' }, steps, user);
      }
      steps.push({ stage: 'storage', plugin: 'get', outcome: 'fail', detail: `${key} not found` });
      return this.#fail(steps, newNotFound(groupResource(info), name), user);
    }
    const body = req.verb === 'update' ? req.body : (mergePatch(current, stripRv(req.body)) as KObject);
    const decoded = this.#decode(info, namespace, body, steps);
    if ((decoded as Status).kind === 'Status' && 'code' in decoded) return this.#fail(steps, decoded as Status, user);
    const obj = decoded as KObject;
    const subresource = req.subresource ?? '';
    const wantRv = req.verb === 'update' ? obj.metadata?.resourceVersion : undefined;
    const currentRv = current.metadata?.resourceVersion;
    if (wantRv && wantRv !== currentRv) {
      steps.push({ stage: 'storage', plugin: 'precondition', outcome: 'fail', detail: `object says resourceVersion ${wantRv}, etcd has ${currentRv}` });
      return this.#fail(steps, newConflict(groupResource(info), name, OptimisticLockErrorMsg), user);
    }
    const a: AdmissionAttributes = { operation: 'UPDATE' as Operation, info, namespace, name, subresource, object: obj, oldObject: current, user };
    const mutDenied = subresource ? undefined : this.#mutatingAdmission(a, steps);
    if (mutDenied) return this.#fail(steps, mutDenied, user);
    const before = clone(obj);
    prepareForUpdate(obj, current, subresource);
    steps.push({ stage: 'validation', plugin: 'BeforeUpdate', outcome: 'pass', detail: subresource === 'status' ? 'status update: spec kept from the stored object' : 'registry strategy PrepareForUpdate', changes: diffFields(before, obj) });
    const invalid = this.#validate(info, obj, steps, subresource ? undefined : current);
    if (invalid) return this.#fail(steps, invalid, user);
    const warnings: string[] = [];
    const valDenied = this.#validatingAdmission(a, steps, warnings);
    if (valDenied) return this.#fail(steps, valDenied, user);
    const modRev = Number(currentRv);
    // Finalizers gone on an object being deleted: the delete completes now.
    if (obj.metadata?.deletionTimestamp && !(obj.metadata.finalizers?.length) && !(info.kind === 'Pod' && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0)) {
      const r = this.storage.delete(key, modRev);
      if (!r.ok) return this.#fail(steps, this.#storageFailure(info, name, r), user);
      steps.push({ stage: 'storage', outcome: 'pass', detail: `last finalizer removed: etcd delete ${key} → revision ${r.revision}` });
      return this.#ok(200, steps, user, { object: r.obj, etcd: { key, revision: r.revision, op: 'delete' } });
    }
    if (req.dryRun) return this.#ok(200, steps, user, { object: obj });
    const r = this.storage.update(key, modRev, obj);
    if (!r.ok) {
      const status = this.#storageFailure(info, name, r);
      steps.push({ stage: 'storage', outcome: 'fail', detail: `etcd txn If(mod_revision == ${modRev}) failed → ${status.code}` });
      return this.#fail(steps, status, user);
    }
    steps.push({ stage: 'storage', outcome: 'pass', detail: `etcd txn If(mod_revision("${key}") == ${modRev}) Then(put) → revision ${r.revision}` });
    return this.#ok(200, steps, user, { object: r.obj, resourceVersion: String(r.revision), etcd: { key, revision: r.revision, op: 'put' }, ...(warnings.length ? { warnings } : {}) });
  }

  /** pods/binding (pkg/registry/core/pod/storage/storage.go BindingREST): set spec.nodeName once. */
  #bind(info: ResourceInfo, namespace: string, name: string, req: ApiRequest, steps: PipelineStep[], user: UserInfo): ApiResponse {
    if (info.kind !== 'Pod') return this.#fail(steps, newMethodNotSupported(groupResource(info), 'binding'), user);
    const key = etcdKey(info, namespace, name);
    const current = this.storage.get(key).obj;
    if (!current) return this.#fail(steps, newNotFound(groupResource(info), name), user);
    const target = (req.body as { target?: { name?: string } } | undefined)?.target?.name;
    if (!target) return this.#fail(steps, newInvalid({ group: '', kind: 'Binding' }, name, [{ type: 'FieldValueRequired', field: 'target.name', body: 'Required value' }]), user);
    const spec = (current.spec ?? {}) as { nodeName?: string };
    if (spec.nodeName) {
      steps.push({ stage: 'storage', outcome: 'fail', detail: `already bound to ${spec.nodeName}` });
      return this.#fail(steps, newConflict(groupResource(info), name, `pod ${name} is already assigned to node "${spec.nodeName}"`), user);
    }
    const obj = clone(current);
    (obj.spec as { nodeName?: string }).nodeName = target;
    const status = (obj.status ??= {}) as { conditions?: { type: string; status: string }[] };
    status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), { type: 'PodScheduled', status: 'True' }];
    const r = this.storage.update(key, Number(current.metadata?.resourceVersion), obj);
    if (!r.ok) return this.#fail(steps, this.#storageFailure(info, name, r), user);
    steps.push({ stage: 'storage', outcome: 'pass', detail: `spec.nodeName=${target} → revision ${r.revision}` });
    return this.#ok(201, steps, user, { object: r.obj, etcd: { key, revision: r.revision, op: 'put' } });
  }

  #delete(info: ResourceInfo, namespace: string, name: string, req: ApiRequest, steps: PipelineStep[], user: UserInfo): ApiResponse {
    const key = etcdKey(info, namespace, name);
    const current = this.storage.get(key).obj;
    if (!current) return this.#fail(steps, newNotFound(groupResource(info), name), user);
    const a: AdmissionAttributes = { operation: 'DELETE', info, namespace, name, subresource: '', object: current, oldObject: current, user };
    const denied = this.#mutatingAdmission(a, steps);
    if (denied) return this.#fail(steps, denied, user);
    const modRev = Number(current.metadata?.resourceVersion);
    if (req.resourceVersion && req.resourceVersion !== current.metadata?.resourceVersion) {
      return this.#fail(steps, newConflict(groupResource(info), name, OptimisticLockErrorMsg), user);
    }
    // Graceful deletion (rest/delete.go BeforeDelete): a pod on a node gets a deletionTimestamp and the kubelet finishes it.
    const podSpec = (current.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const grace = req.gracePeriodSeconds ?? (info.kind === 'Pod' ? podSpec.terminationGracePeriodSeconds ?? 30 : 0);
    const graceful = info.kind === 'Pod' && !!podSpec.nodeName && grace > 0;
    const finalizers = current.metadata?.finalizers ?? [];
    if (graceful || finalizers.length || info.kind === 'Namespace') {
      if (current.metadata?.deletionTimestamp && !graceful && finalizers.length) {
        return this.#ok(200, steps, user, { object: current });
      }
      const obj = clone(current);
      obj.metadata!.deletionTimestamp = formatTimestamp(this.#now() + (graceful ? grace : 0));
      if (graceful) obj.metadata!.deletionGracePeriodSeconds = grace;
      if (info.kind === 'Namespace') obj.status = { phase: 'Terminating' };
      if (info.kind === 'Namespace' && !finalizers.length) return this.#deleteNamespace(info, namespace, name, obj, modRev, steps, user);
      const r = this.storage.update(key, modRev, obj);
      if (!r.ok) return this.#fail(steps, this.#storageFailure(info, name, r), user);
      const why = graceful ? `graceful deletion: deletionTimestamp set, the kubelet on ${podSpec.nodeName} stops it within ${grace}s` : `finalizers [${finalizers.join(', ')}] must be removed first`;
      steps.push({ stage: 'storage', outcome: 'pass', detail: `${why} → revision ${r.revision}` });
      return this.#ok(200, steps, user, { object: r.obj, etcd: { key, revision: r.revision, op: 'put' } });
    }
    const r = this.storage.delete(key, modRev);
    if (!r.ok) return this.#fail(steps, this.#storageFailure(info, name, r), user);
    steps.push({ stage: 'storage', outcome: 'pass', detail: `etcd txn If(mod_revision("${key}") == ${modRev}) Then(delete) → revision ${r.revision}` });
    return this.#ok(200, steps, user, { object: r.obj, etcd: { key, revision: r.revision, op: 'delete' } });
  }

  /** A namespace without finalizers: the namespace controller's work, done inline — delete its content, then it. */
  #deleteNamespace(info: ResourceInfo, _ns: string, name: string, obj: KObject, modRev: number, steps: PipelineStep[], user: UserInfo): ApiResponse {
    let deleted = 0;
    for (const [resource, c] of [...this.#cachers.entries()]) {
      if (!c.info.namespaced) continue;
      for (const o of this.#cachedList(resource, name)) {
        const k = etcdKey(c.info, name, o.metadata?.name ?? '');
        const r = this.storage.delete(k, Number(o.metadata?.resourceVersion));
        if (r.ok) deleted++;
      }
    }
    const key = etcdKey(info, '', name);
    const current = this.storage.get(key).obj;
    const r = this.storage.delete(key, Number(current?.metadata?.resourceVersion ?? modRev));
    if (!r.ok) return this.#fail(steps, this.#storageFailure(info, name, r), user);
    steps.push({ stage: 'storage', outcome: 'pass', detail: `namespace Terminating: the namespace controller deleted ${deleted} object(s) in it, then ${key} → revision ${r.revision}` });
    return this.#ok(200, steps, user, { object: { ...obj, metadata: { ...obj.metadata, resourceVersion: String(r.revision) } }, etcd: { key, revision: r.revision, op: 'delete' } });
  }

  // --- reads ---------------------------------------------------------------

  #get(info: ResourceInfo, namespace: string, name: string, req: ApiRequest, steps: PipelineStep[], user: UserInfo): ApiResponse {
    const key = etcdKey(info, namespace, name);
    if (req.resourceVersion === '0') {
      const obj = this.cacher(info).list({ namespace: namespace || undefined, selector: (o) => o.metadata?.name === name })[0];
      steps.push({ stage: 'watch-cache', outcome: obj ? 'pass' : 'fail', detail: `resourceVersion=0: served from the watch cache (may be stale)` });
      return obj ? this.#ok(200, steps, user, { object: obj }) : this.#fail(steps, newNotFound(groupResource(info), name), user);
    }
    const r = this.storage.get(key);
    steps.push({ stage: 'storage', outcome: r.obj ? 'pass' : 'fail', detail: `etcd range ${key} at revision ${r.revision}` });
    if (!r.obj) return this.#fail(steps, newNotFound(groupResource(info), name), user);
    return this.#ok(200, steps, user, { object: r.obj, resourceVersion: r.obj.metadata?.resourceVersion });
  }

  #selector(req: ApiRequest): Selector | Status {
    const f = parseFieldSelector(req.fieldSelector);
    if (!f.ok) return newBadRequest(f.errors[0]!.message);
    const l = parseLabelSelector(req.labelSelector);
    if (!l.ok) return newBadRequest(l.errors[0]!.message);
    return (o: KObject) => f.value(o) && l.value(o);
  }

  #list(info: ResourceInfo, namespace: string, req: ApiRequest, steps: PipelineStep[], user: UserInfo): ApiResponse {
    const selector = this.#selector(req);
    if (typeof selector !== 'function') return this.#fail(steps, selector, user);
    const ns = req.namespace ? namespace : undefined;
    const rv = req.resourceVersion ?? '';
    if (rv !== '' && rv !== '0' && req.resourceVersionMatch === 'Exact') {
      const r = this.storage.list(etcdListPrefix(info, ns), Number(rv));
      if ('error' in r) {
        steps.push({ stage: 'storage', outcome: 'fail', detail: `etcd range at revision ${rv}: ${r.error === 'compacted' ? 'mvcc: required revision has been compacted' : 'mvcc: required revision is a future revision'}` });
        return this.#fail(steps, r.error === 'compacted' ? newResourceExpired('The resourceVersion for the provided list is too old.') : newTimeout(`Too large resource version: ${rv}, current: ${this.storage.client.currentRevision}`), user);
      }
      const items = r.items.filter(selector);
      steps.push({ stage: 'storage', outcome: 'pass', detail: `resourceVersionMatch=Exact: etcd range ${etcdListPrefix(info, ns)} at revision ${rv} (${items.length} items)` });
      return this.#ok(200, steps, user, { items, resourceVersion: rv });
    }
    const cacher = this.cacher(info);
    let how: string;
    if (rv === '') how = `consistent read: etcd is at revision ${cacher.progressNotify()}, the watch cache has caught up`;
    // etcd's periodic progress notifications keep an idle cache's resourceVersion current; the sim applies one here.
    else if (rv === '0') how = `resourceVersion=0: any cached state, no etcd read (cache at ${cacher.progressNotify()})`;
    else {
      const want = Number(rv);
      if (want > cacher.resourceVersion && want > cacher.progressNotify()) {
        return this.#fail(steps, newTimeout(`Too large resource version: ${want}, current: ${cacher.resourceVersion}`), user);
      }
      how = `resourceVersion=${rv} (NotOlderThan): cache at ${cacher.resourceVersion}`;
    }
    const items = cacher.list({ namespace: ns, selector });
    steps.push({ stage: 'watch-cache', outcome: 'pass', detail: `${how}; ${items.length} item(s)` });
    return this.#ok(200, steps, user, { items, resourceVersion: String(cacher.resourceVersion) });
  }

  #watch(info: ResourceInfo, namespace: string, req: ApiRequest, steps: PipelineStep[], user: UserInfo): { response: ApiResponse; stream?: WatchStream } {
    const selector = this.#selector(req);
    if (typeof selector !== 'function') return { response: this.#fail(steps, selector, user) };
    const rv = req.resourceVersion ? Number(req.resourceVersion) : 0;
    if (!Number.isSafeInteger(rv) || rv < 0) return { response: this.#fail(steps, newBadRequest(`invalid resource version: ${req.resourceVersion}`), user) };
    const cacher = this.cacher(info);
    const r = cacher.watch(rv, { namespace: req.namespace ? namespace : undefined, selector }, {
      allowBookmarks: !!req.allowWatchBookmarks, sendInitialEvents: !!req.sendInitialEvents,
    });
    if ('status' in r) {
      steps.push({ stage: 'watch-cache', outcome: 'fail', detail: `${r.status.message} (the cache keeps events after revision ${cacher.oldestWatchableRv})` });
      return { response: this.#fail(steps, r.status, user) };
    }
    steps.push({ stage: 'watch-cache', outcome: 'pass', detail: rv === 0 ? `watch from the current state (${r.watcher.pending} ADDED events first)` : `watch from resourceVersion ${rv}: ${r.watcher.pending} event(s) replayed from the cache window` });
    return { response: this.#ok(200, steps, user, { resourceVersion: String(cacher.resourceVersion) }), stream: r.watcher };
  }
}

function stripRv(body: KObject | undefined): KObject | undefined {
  if (!body) return body;
  const b = clone(body);
  if (b.metadata) delete b.metadata.resourceVersion;
  return b;
}

/** The first resources.requests/limits value that does not parse as a quantity. */
function findBadQuantity(obj: KObject): string | undefined {
  const specs: unknown[] = [obj.spec, (obj.spec as { template?: { spec?: unknown } } | undefined)?.template?.spec];
  for (const spec of specs) {
    if (!isObject(spec)) continue;
    for (const list of [spec.containers, spec.initContainers]) {
      if (!Array.isArray(list)) continue;
      for (const c of list) {
        const res = isObject(c) && isObject(c.resources) ? c.resources : undefined;
        for (const part of [res?.requests, res?.limits]) {
          if (!isObject(part)) continue;
          for (const v of Object.values(part)) if (!parseExactQuantity(String(v)).ok) return String(v);
        }
      }
    }
  }
  return undefined;
}
