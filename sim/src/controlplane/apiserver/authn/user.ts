/**
 * user.Info as authenticators produce it. Names follow
 * k8s.io/apiserver/pkg/authentication/user/user.go (v1.34).
 */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

export const SystemPrivilegedGroup = 'system:masters';
export const AllAuthenticated = 'system:authenticated';
export const AllUnauthenticated = 'system:unauthenticated';
export const Anonymous = 'system:anonymous';

/** `system:serviceaccount:<ns>:<name>` (k8s.io/apiserver/pkg/authentication/serviceaccount/util.go). */
export const serviceAccountUsername = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;

/** The groups every ServiceAccount user gets: `system:serviceaccounts` and `system:serviceaccounts:<ns>`. */
export const serviceAccountGroups = (namespace: string): string[] => ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];

/** Splits `system:serviceaccount:<ns>:<name>`; undefined for other users. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  const prefix = 'system:serviceaccount:';
  if (!username.startsWith(prefix)) return undefined;
  const parts = username.slice(prefix.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}
