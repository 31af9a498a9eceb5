/**
 * RBAC authorization. Follows kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go
 * (RuleAllows, the visitor that stops at the first allowing rule),
 * pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches,
 * ResourceMatches with `*` and a star-slash-subresource wildcard, ResourceNameMatches) and
 * pkg/registry/rbac/validation/rule.go (VisitRulesFor: ClusterRoleBindings
 * first, then the RoleBindings of the request's namespace; appliesToUser;
 * the "allowed by" descriptions), v1.34.
 */
import type { UserInfo } from '../authn/user.ts';
import { serviceAccountUsername } from '../authn/user.ts';

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind?: 'User' | 'Group' | 'ServiceAccount' | string;
  name?: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind?: 'Role' | 'ClusterRole' | string;
  name?: string;
}

export interface RoleLike {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  rules?: PolicyRule[];
}

export interface BindingLike {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  subjects?: Subject[];
  roleRef?: RoleRef;
}

/** authorizer.Attributes for a resource request. `name` is empty for create and list. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace: string;
  name: string;
}

/** The RBAC objects the authorizer reads (from the apiserver's informers in the real one). */
export interface RbacSource {
  roles(namespace: string): RoleLike[];
  clusterRoles(): RoleLike[];
  roleBindings(namespace: string): BindingLike[];
  clusterRoleBindings(): BindingLike[];
}

export const verbMatches = (rule: PolicyRule, verb: string): boolean => (rule.verbs ?? []).some((v) => v === '*' || v === verb);

export const apiGroupMatches = (rule: PolicyRule, group: string): boolean => (rule.apiGroups ?? []).some((g) => g === '*' || g === group);

export function resourceMatches(rule: PolicyRule, combinedResource: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combinedResource) return true;
    if (!subresource) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export const resourceNameMatches = (rule: PolicyRule, name: string): boolean =>
  !rule.resourceNames?.length || rule.resourceNames.includes(name);

export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return verbMatches(rule, a.verb) && apiGroupMatches(rule, a.apiGroup)
    && resourceMatches(rule, combined, a.subresource ?? '') && resourceNameMatches(rule, a.name);
}

export function appliesToUser(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name ?? '');
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return !!ns && !!subject.name && user.name === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
}

export interface RbacDecision {
  allowed: boolean;
  /** `RBAC: allowed by RoleBinding "dev-pods/default" of Role "pod-writer" to Group "dev"`, or the resolution errors. */
  reason: string;
  /** Every binding that applied to the user, what it granted, and whether a rule matched (for the widget). */
  considered: { binding: string; role: string; matched: boolean }[];
}

/** RBACAuthorizer.Authorize: allow on the first matching rule; otherwise no opinion (→ 403). */
export function authorizeRbac(src: RbacSource, a: Attributes): RbacDecision {
  const considered: RbacDecision['considered'] = [];
  const errors: string[] = [];
  const tryBinding = (b: BindingLike, namespace: string, describe: (s: Subject) => string): string | undefined => {
    const subject = (b.subjects ?? []).find((s) => appliesToUser(a.user, s, namespace));
    if (!subject) return undefined;
    const ref = b.roleRef ?? {};
    const rules = resolveRole(src, ref, namespace);
    const bindingName = b.kind === 'ClusterRoleBinding' || !namespace ? `ClusterRoleBinding "${b.metadata?.name}"` : `RoleBinding "${b.metadata?.name}/${namespace}"`;
    if (typeof rules === 'string') {
      errors.push(rules);
      considered.push({ binding: bindingName, role: `${ref.kind} "${ref.name}"`, matched: false });
      return undefined;
    }
    const matched = rules.some((r) => ruleAllows(a, r));
    considered.push({ binding: bindingName, role: `${ref.kind} "${ref.name}"`, matched });
    return matched ? describe(subject) : undefined;
  };
  for (const b of src.clusterRoleBindings()) {
    const allowedBy = tryBinding(b, '', (s) =>
      `ClusterRoleBinding "${b.metadata?.name}" of ${b.roleRef?.kind} "${b.roleRef?.name}" to ${describeSubject(s, '')}`);
    if (allowedBy) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}`, considered };
  }
  if (a.namespace) {
    for (const b of src.roleBindings(a.namespace)) {
      const allowedBy = tryBinding(b, a.namespace, (s) =>
        `RoleBinding "${b.metadata?.name}/${a.namespace}" of ${b.roleRef?.kind} "${b.roleRef?.name}" to ${describeSubject(s, a.namespace)}`);
      if (allowedBy) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}`, considered };
    }
  }
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : '', considered };
}

/** The rules a roleRef points at, or the lookup error text upstream reports. */
function resolveRole(src: RbacSource, ref: RoleRef, namespace: string): PolicyRule[] | string {
  if (ref.kind === 'ClusterRole') {
    const role = src.clusterRoles().find((r) => r.metadata?.name === ref.name);
    return role ? role.rules ?? [] : `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`;
  }
  if (ref.kind === 'Role' && namespace) {
    const role = src.roles(namespace).find((r) => r.metadata?.name === ref.name);
    return role ? role.rules ?? [] : `role.rbac.authorization.k8s.io "${ref.name}" not found`;
  }
  return `unknown roleRef kind "${ref.kind}"`;
}

function aggregate(errs: string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/**
 * responsewriters.forbiddenMessage (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go, v1.34):
 * `User "alice" cannot list resource "pods" in API group "" in the namespace "default"`.
 */
export function forbiddenMessage(a: Attributes): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (a.namespace) return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" in the namespace "${a.namespace}"`;
  return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" at the cluster scope`;
}
