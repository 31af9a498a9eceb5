/**
 * Widget runner for "a kubectl request through kube-apiserver" (Layer 3,
 * kube-apiserver section). The student edits three texts:
 *
 *   request   who calls and what they ask (YAML):
 *               user: alice          # client certificate CN (shorthand)
 *               groups: [dev]        # ... and its O values
 *               verb: create         # create | apply | update | get | list | delete | watch
 *               namespace: default
 *             or instead of user/groups:
 *               clientCertificate: {CN: alice, O: [dev], issuer: kubernetes-ca}
 *               token: <a static token, e.g. bob-token>
 *               serviceAccount: default/ci-bot   # a token the cluster issued to it
 *               anonymous: true
 *             optional: name, resource, resourceVersion (update), dryRun
 *   rbac      cluster objects created first by an admin (multi-document YAML):
 *             Roles, RoleBindings, ClusterRoles, Namespaces (with Pod Security
 *             labels), ServiceAccounts, ResourceQuotas, LimitRanges, Pods...
 *   manifest  the object sent (one YAML document).
 *
 * The view lists every pipeline stage with pass/fail, what defaulting and
 * admission changed (a field diff), the HTTP status line and message, and
 * the etcd key and revision written. Input errors carry line/column and a
 * path `<input>/<field path>` (e.g. `manifest/spec.containers[0].image`).
 */
import { parseYaml, type LocatedYaml } from '../../../api/yaml.ts';
import { fail, ok, simError, type Result, type SimError } from '../../../core/result.ts';
import { ApiServer } from '../apiserver.ts';
import type { Credentials, StaticToken } from '../authn/authenticate.ts';
import { diffFields, isObject, type FieldChange, type KObject } from '../object.ts';
import type { ApiRequest, PipelineStep, Verb } from '../request.ts';
import { resourceByName, resourceForKind } from '../resources.ts';

export interface ApiRequestInput {
  request: string;
  rbac: string;
  manifest: string;
}

export interface PipelineView {
  request: { verb: Verb; resource: string; namespace: string; name: string; user: string; groups: string[] };
  /** Objects from the rbac text, created by an admin before the request. */
  setup: { kind: string; name: string; code: number; message: string; etcdKey?: string; revision?: number }[];
  stages: PipelineStep[];
  /** Every field the apiserver set or changed between the manifest sent and the object stored. */
  mutations: FieldChange[];
  response: {
    code: number;
    statusLine: string;
    status: 'Success' | 'Failure';
    reason: string;
    message: string;
    /** 422 field errors, located in the manifest. */
    causes: { field: string; message: string; line?: number; column?: number }[];
  };
  warnings: string[];
  etcd?: { key: string; revision: number; op: 'put' | 'delete'; value?: string };
  object?: KObject;
  items?: string[];
}

/** The static token file of the widget's cluster (--token-auth-file). */
export const WIDGET_STATIC_TOKENS: StaticToken[] = [
  { token: 'bob-token', user: 'bob', uid: '1002', groups: ['ops'] },
  { token: 'ci-token', user: 'ci', uid: '1003', groups: ['ci'] },
];

const VERBS: Verb[] = ['create', 'apply', 'update', 'patch', 'get', 'list', 'delete', 'watch'];

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 422: 'Unprocessable Entity', 500: 'Internal Server Error', 504: 'Gateway Timeout',
};

export const statusLine = (code: number): string => `HTTP/1.1 ${code} ${STATUS_TEXT[code] ?? ''}`.trim();

function prefixed(errors: SimError[], input: string): SimError[] {
  return errors.map((e) => ({ ...e, path: e.path ? `${input}/${e.path}` : input }));
}

function parse(text: string, input: string): Result<LocatedYaml> {
  const r = parseYaml(text);
  return r.ok ? r : fail(prefixed(r.errors, input));
}

interface ParsedRequest {
  verb: Verb;
  namespace?: string;
  name?: string;
  resource?: string;
  resourceVersion?: string;
  dryRun: boolean;
  credentials: Credentials | { type: 'serviceAccount'; namespace: string; name: string };
}

function parseRequest(y: LocatedYaml): Result<ParsedRequest> {
  const doc = y.docs[0];
  const err = (path: string, msg: string) => fail<ParsedRequest>({ ...y.errorAt(path, 'REQUEST_FIELD', msg), path: `request/${path}` });
  if (!isObject(doc)) return fail(simError('REQUEST_FIELD', 'the request must be a YAML mapping (user:, verb:, namespace:)', { line: 1, column: 1, path: 'request' }));
  const known = ['user', 'groups', 'verb', 'namespace', 'name', 'resource', 'resourceVersion', 'dryRun', 'token', 'serviceAccount', 'clientCertificate', 'anonymous'];
  for (const k of Object.keys(doc)) if (!known.includes(k)) return err(k, `unknown field "${k}" (known: ${known.join(', ')})`);
  const verb = String(doc.verb ?? 'create') as Verb;
  if (!VERBS.includes(verb)) return err('verb', `unknown verb "${verb}"; one of ${VERBS.join(', ')}`);
  let credentials: ParsedRequest['credentials'];
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);
  if (doc.token !== undefined) credentials = { type: 'bearer', token: String(doc.token) };
  else if (doc.serviceAccount !== undefined) {
    const [ns, name] = String(doc.serviceAccount).includes('/') ? String(doc.serviceAccount).split('/') : ['default', String(doc.serviceAccount)];
    if (!ns || !name) return err('serviceAccount', 'write serviceAccount as <namespace>/<name>');
    credentials = { type: 'serviceAccount', namespace: ns, name };
  } else if (isObject(doc.clientCertificate)) {
    const c = doc.clientCertificate;
    credentials = { type: 'x509', commonName: str(c.CN) ?? '', organizations: list(c.O), issuer: str(c.issuer) ?? 'kubernetes-ca' };
  } else if (doc.user !== undefined) {
    credentials = { type: 'x509', commonName: String(doc.user), organizations: list(doc.groups), issuer: 'kubernetes-ca' };
  } else if (doc.anonymous === true) credentials = { type: 'anonymous' };
  else return err('user', 'say who calls: user:, token:, serviceAccount:, clientCertificate: or anonymous: true');
  if (doc.resource !== undefined && !resourceByName(String(doc.resource))) return err('resource', `unknown resource "${doc.resource}"`);
  return ok({
    verb,
    ...(str(doc.namespace) !== undefined ? { namespace: str(doc.namespace)! } : {}),
    ...(str(doc.name) !== undefined ? { name: str(doc.name)! } : {}),
    ...(str(doc.resource) !== undefined ? { resource: str(doc.resource)! } : {}),
    ...(str(doc.resourceVersion) !== undefined ? { resourceVersion: str(doc.resourceVersion)! } : {}),
    dryRun: doc.dryRun === true,
    credentials,
  });
}

/** Runs the request through a fresh cluster built from `rbac`; see the file comment for the input format. */
export function runApiRequest(input: ApiRequestInput, options: { seed: number }): Result<PipelineView> {
  const req = parse(input.request, 'request');
  const cluster = parse(input.rbac, 'rbac');
  const manifest = parse(input.manifest, 'manifest');
  const errs = [req, cluster, manifest].flatMap((r) => (r.ok ? [] : r.errors));
  if (errs.length || !req.ok || !cluster.ok || !manifest.ok) return fail(errs);
  const pr = parseRequest(req.value);
  if (!pr.ok) return pr;
  const p = pr.value;

  const api = new ApiServer({ seed: options.seed, staticTokens: WIDGET_STATIC_TOKENS });
  const setup: PipelineView['setup'] = [];
  const setupErrors: SimError[] = [];
  cluster.value.docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    if (!isObject(doc) || !resourceForKind(String(doc.apiVersion ?? ''), String(doc.kind ?? ''))) {
      setupErrors.push({ ...cluster.value.errorAt('kind', 'UNKNOWN_KIND', `document ${i + 1}: unknown apiVersion/kind ${String((doc as KObject)?.apiVersion)}/${String((doc as KObject)?.kind)}`, i), path: `rbac#${i + 1}/kind` });
      return;
    }
    const res = api.handle({ verb: 'create', body: doc as KObject });
    setup.push({
      kind: String(doc.kind), name: String((doc as KObject).metadata?.name ?? ''), code: res.code, message: res.message,
      ...(res.etcd ? { etcdKey: res.etcd.key, revision: res.etcd.revision } : {}),
    });
    if (doc.kind === 'Namespace' && res.code === 201) {
      // The serviceaccounts controller gives every new namespace its "default" ServiceAccount.
      api.handle({ verb: 'create', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: String((doc as KObject).metadata?.name) } } });
    }
  });
  if (setupErrors.length) return fail(setupErrors);

  let credentials: Credentials;
  if (p.credentials.type === 'serviceAccount') {
    const token = api.issueServiceAccountToken(p.credentials.namespace, p.credentials.name);
    credentials = { type: 'bearer', token: token ?? `unknown-serviceaccount-${p.credentials.namespace}-${p.credentials.name}` };
  } else credentials = p.credentials;

  const body = manifest.value.docs[0] as KObject | undefined;
  if (body !== undefined && !isObject(body)) return fail(simError('MANIFEST', 'the manifest must be a YAML mapping', { line: 1, column: 1, path: 'manifest' }));
  const info = p.resource ? resourceByName(p.resource) : resourceForKind(body?.apiVersion, body?.kind);
  if (!info) return fail({ ...manifest.value.errorAt('kind', 'UNKNOWN_KIND', `unknown apiVersion/kind ${String(body?.apiVersion)}/${String(body?.kind)}`), path: 'manifest/kind' });
  const namespace = info.namespaced ? (p.namespace ?? body?.metadata?.namespace ?? 'default') : '';
  const name = p.name ?? body?.metadata?.name ?? '';
  const sendBody = ['create', 'apply', 'update', 'patch'].includes(p.verb);
  const request: ApiRequest = {
    verb: p.verb, resource: info.resource, credentials,
    ...(info.namespaced ? { namespace } : {}),
    ...(p.verb !== 'create' && p.verb !== 'list' && p.verb !== 'watch' ? { name } : {}),
    ...(sendBody && body ? { body: p.resourceVersion ? { ...body, metadata: { ...body.metadata, resourceVersion: p.resourceVersion } } : body } : {}),
    ...(p.resourceVersion && !sendBody ? { resourceVersion: p.resourceVersion } : {}),
    dryRun: p.dryRun,
  };
  const res = p.verb === 'watch' ? api.watch(request).response : api.handle(request);
  const causes = (res.details?.causes ?? []).map((c) => {
    const at = manifest.value.locate(c.field);
    return { field: c.field, message: c.message, ...(at ? { line: at.line, column: at.column } : {}) };
  });
  const stored = res.object;
  const mutations = stored && body && sendBody
    ? diffFields(body, stored).filter((c) => !c.path.startsWith('metadata.resourceVersion'))
    : [];
  const etcdValue = res.etcd?.op === 'put' ? api.client.range({ op: 'range', key: res.etcd.key }) : undefined;
  return ok({
    request: { verb: p.verb, resource: info.resource, namespace, name, user: res.user?.name ?? '', groups: res.user?.groups ?? [] },
    setup,
    stages: res.steps,
    mutations,
    response: { code: res.code, statusLine: statusLine(res.code), status: res.status, reason: res.reason, message: res.message, causes },
    warnings: res.warnings ?? [],
    ...(res.etcd ? { etcd: { ...res.etcd, ...(etcdValue?.op === 'range' && etcdValue.kvs[0] ? { value: etcdValue.kvs[0].value } : {}) } } : {}),
    ...(stored ? { object: stored } : {}),
    ...(res.items ? { items: res.items.map((o) => `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`) } : {}),
  });
}
