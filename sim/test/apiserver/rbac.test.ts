// Tables from kubernetes plugin/pkg/auth/authorizer/rbac/rbac_test.go
// (TestAuthorizer, TestRuleMatches; v1.34), run through authorizeRbac.
import { describe, expect, it } from 'vitest';
import { authorizeRbac, ruleAllows, type Attributes, type BindingLike, type PolicyRule, type RbacSource, type RoleLike } from '../../src/controlplane/apiserver/authz/rbac.ts';

const newRule = (verbs: string, apiGroups: string, resources: string): PolicyRule =>
  ({ verbs: verbs.split(','), apiGroups: apiGroups.split(','), resources: resources.split(',') });

function subjects(list: string[]) {
  return list.map((s) => {
    const [kind, name] = s.split(':') as [string, string];
    return { kind, name };
  });
}

function source(clusterRoles: RoleLike[], roleBindings: BindingLike[], clusterRoleBindings: BindingLike[] = [], roles: RoleLike[] = []): RbacSource {
  return {
    roles: (ns) => roles.filter((r) => r.metadata?.namespace === ns),
    clusterRoles: () => clusterRoles,
    roleBindings: (ns) => roleBindings.filter((b) => b.metadata?.namespace === ns),
    clusterRoleBindings: () => clusterRoleBindings,
  };
}

/** defaultAttributes{user, groups, verb, resource, subresource, namespace, apiGroup} */
const attrs = (user: string, groups: string, verb: string, resource: string, subresource: string, namespace: string, apiGroup: string): Attributes =>
  ({ user: { name: user, groups: groups ? groups.split(',') : [] }, verb, resource, subresource, namespace, apiGroup, name: '' });

describe('TestAuthorizer', () => {
  const cases: { src: RbacSource; pass: Attributes[]; fail: Attributes[] }[] = [
    {
      src: source([{ metadata: { name: 'admin' }, rules: [newRule('*', '*', '*')] }],
        [{ metadata: { name: 'rb', namespace: 'ns1' }, roleRef: { kind: 'ClusterRole', name: 'admin' }, subjects: subjects(['User:admin', 'Group:admins']) }]),
      pass: [
        attrs('admin', '', 'get', 'Pods', '', 'ns1', ''),
        attrs('admin', '', 'watch', 'Pods', '', 'ns1', ''),
        attrs('admin', 'group1', 'watch', 'Foobar', '', 'ns1', ''),
        attrs('joe', 'admins', 'watch', 'Foobar', '', 'ns1', ''),
        attrs('joe', 'group1,admins', 'watch', 'Foobar', '', 'ns1', ''),
      ],
      fail: [
        attrs('admin', '', 'GET', 'Pods', '', 'ns2', ''),
        attrs('admin', '', 'GET', 'Nodes', '', '', ''),
        attrs('admin', 'admins', 'GET', 'Pods', '', 'ns2', ''),
        attrs('admin', 'admins', 'GET', 'Nodes', '', '', ''),
      ],
    },
    {
      // test subresource resolution
      src: source([{ metadata: { name: 'admin' }, rules: [newRule('*', '*', 'pods')] }],
        [{ metadata: { name: 'rb', namespace: 'ns1' }, roleRef: { kind: 'ClusterRole', name: 'admin' }, subjects: subjects(['User:admin', 'Group:admins']) }]),
      pass: [attrs('admin', '', 'get', 'pods', '', 'ns1', '')],
      fail: [attrs('admin', '', 'get', 'pods', 'status', 'ns1', '')],
    },
    {
      src: source([{ metadata: { name: 'admin' }, rules: [newRule('*', '*', 'pods/status')] }],
        [{ metadata: { name: 'rb', namespace: 'ns1' }, roleRef: { kind: 'ClusterRole', name: 'admin' }, subjects: subjects(['User:admin', 'Group:admins']) }]),
      pass: [attrs('admin', '', 'get', 'pods', 'status', 'ns1', '')],
      fail: [attrs('admin', '', 'get', 'pods', '', 'ns1', '')],
    },
  ];
  cases.forEach((c, i) => {
    it(`case ${i}`, () => {
      for (const a of c.pass) expect(authorizeRbac(c.src, a).allowed, `incorrectly restricted ${JSON.stringify(a)}`).toBe(true);
      for (const a of c.fail) expect(authorizeRbac(c.src, a).allowed, `incorrectly passed ${JSON.stringify(a)}`).toBe(false);
    });
  });
});

describe('TestRuleMatches', () => {
  const req = (verb: string, group: string, resource: string, subresource = ''): Attributes =>
    ({ user: { name: 'u', groups: [] }, verb, apiGroup: group, resource, subresource, namespace: 'ns', name: '' });
  const grid = (rule: PolicyRule, expected: boolean[], sub: [string, string][] = [['', ''], ['', ''], ['', ''], ['', '']]) => {
    // verb1/verb2 × (group1,resource1) (group2,resource1) (group1,resource2) (group2,resource2)
    const combos: [string, string][] = [['group1', 'resource1'], ['group2', 'resource1'], ['group1', 'resource2'], ['group2', 'resource2']];
    const got: boolean[] = [];
    for (const verb of ['verb1', 'verb2']) combos.forEach(([g, r], k) => got.push(ruleAllows(req(verb, g, r, sub[k]![1]), rule)));
    expect(got).toEqual(expected);
  };
  it('star verb, exact match other', () => grid({ verbs: ['*'], apiGroups: ['group1'], resources: ['resource1'] }, [true, false, false, false, true, false, false, false]));
  it('star group, exact match other', () => grid({ verbs: ['verb1'], apiGroups: ['*'], resources: ['resource1'] }, [true, true, false, false, false, false, false, false]));
  it('star resource, exact match other', () => grid({ verbs: ['verb1'], apiGroups: ['group1'], resources: ['*'] }, [true, false, true, false, false, false, false, false]));
  it('tuple expansion', () => grid({ verbs: ['verb1', 'verb2'], apiGroups: ['group1', 'group2'], resources: ['resource1', 'resource2'] }, [true, true, true, true, true, true, true, true]));
  it('subresource expansion', () => {
    const rule = { verbs: ['*'], apiGroups: ['*'], resources: ['resource1/subresource1'] };
    expect(ruleAllows(req('verb1', 'group1', 'resource1', 'subresource1'), rule)).toBe(true);
    expect(ruleAllows(req('verb1', 'group2', 'resource1', 'subresource2'), rule)).toBe(false);
    expect(ruleAllows(req('verb1', 'group1', 'resource2', 'subresource1'), rule)).toBe(false);
  });
  it('star/subresource matches that subresource of any resource', () => {
    const rule = { verbs: ['get'], apiGroups: [''], resources: ['*/status'] };
    expect(ruleAllows(req('get', '', 'pods', 'status'), rule)).toBe(true);
    expect(ruleAllows(req('get', '', 'nodes', 'status'), rule)).toBe(true);
    expect(ruleAllows(req('get', '', 'pods', 'log'), rule)).toBe(false);
    expect(ruleAllows(req('get', '', 'pods'), rule)).toBe(false);
  });
  it('resourceNames restricts by name, so it cannot allow create or list (name is empty)', () => {
    const rule = { verbs: ['get', 'create', 'list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app-config'] };
    expect(ruleAllows({ ...req('get', '', 'configmaps'), name: 'app-config' }, rule)).toBe(true);
    expect(ruleAllows({ ...req('get', '', 'configmaps'), name: 'other' }, rule)).toBe(false);
    expect(ruleAllows(req('create', '', 'configmaps'), rule)).toBe(false);
    expect(ruleAllows(req('list', '', 'configmaps'), rule)).toBe(false);
  });
});

describe('subjects (pkg/registry/rbac/validation/rule.go appliesToUser)', () => {
  const role = { metadata: { name: 'r', namespace: 'team' }, rules: [newRule('list', '', 'pods')] };
  const sa = (namespace?: string): BindingLike => ({
    metadata: { name: 'b', namespace: 'team' }, roleRef: { kind: 'Role', name: 'r' },
    subjects: [{ kind: 'ServiceAccount', name: 'bot', ...(namespace ? { namespace } : {}) }],
  });
  const a = (user: string): Attributes => ({ user: { name: user, groups: [] }, verb: 'list', resource: 'pods', apiGroup: '', namespace: 'team', name: '' });
  it('a ServiceAccount subject without a namespace means the binding\'s namespace', () => {
    expect(authorizeRbac(source([], [sa()], [], [role]), a('system:serviceaccount:team:bot')).allowed).toBe(true);
    expect(authorizeRbac(source([], [sa()], [], [role]), a('system:serviceaccount:other:bot')).allowed).toBe(false);
    expect(authorizeRbac(source([], [sa('other')], [], [role]), a('system:serviceaccount:other:bot')).allowed).toBe(true);
  });
  it('names the allowing binding like upstream', () => {
    const d = authorizeRbac(source([], [sa()], [], [role]), a('system:serviceaccount:team:bot'));
    expect(d.reason).toBe('RBAC: allowed by RoleBinding "b/team" of Role "r" to ServiceAccount "bot/team"');
  });
});
