/**
 * The authentication filter: try each authenticator, first success wins; a
 * presented but invalid credential is 401; no credential at all is the
 * anonymous user (--anonymous-auth=true, the default). Every authenticated
 * user also gets `system:authenticated`. Follows
 * staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go,
 * pkg/authentication/request/x509/x509.go (CommonNameUserConversion: user =
 * CN, groups = O), pkg/authentication/token/tokenfile (static tokens),
 * pkg/serviceaccount/jwt.go + legacy/bound validation (the ServiceAccount
 * must still exist with the token's uid), and
 * pkg/authentication/request/anonymous (v1.34).
 */
import type { TokenIssuer } from './token.ts';
import type { UserInfo } from './user.ts';
import { AllAuthenticated, AllUnauthenticated, Anonymous, serviceAccountGroups, serviceAccountUsername } from './user.ts';

export type Credentials =
  | { type: 'anonymous' }
  | { type: 'x509'; commonName: string; organizations: string[]; issuer: string }
  | { type: 'bearer'; token: string };

/** A line of --token-auth-file: `token,user,uid,"group1,group2"`. */
export interface StaticToken {
  token: string;
  user: string;
  uid: string;
  groups: string[];
}

export interface AuthenticationConfig {
  /** The CA kube-apiserver trusts for client certificates (--client-ca-file). */
  clientCA: string;
  staticTokens: StaticToken[];
  anonymousAuth: boolean;
  issuer: TokenIssuer;
  /** Looks a ServiceAccount up (the apiserver's own storage); returns its uid. */
  serviceAccountUid(namespace: string, name: string): string | undefined;
}

export type AuthenticationResult =
  | { ok: true; user: UserInfo; method: string; detail: string }
  | { ok: false; detail: string };

export function authenticate(cfg: AuthenticationConfig, cred: Credentials): AuthenticationResult {
  const withAuthenticated = (u: UserInfo): UserInfo =>
    u.groups.includes(AllAuthenticated) ? u : { ...u, groups: [...u.groups, AllAuthenticated] };
  switch (cred.type) {
    case 'anonymous':
      if (!cfg.anonymousAuth) return { ok: false, detail: 'no credentials and anonymous auth is disabled' };
      return { ok: true, method: 'anonymous', user: { name: Anonymous, groups: [AllUnauthenticated] }, detail: 'no credentials: the anonymous user' };
    case 'x509': {
      if (cred.issuer !== cfg.clientCA) return { ok: false, detail: `x509: certificate signed by unknown authority (issuer "${cred.issuer}", trusted "${cfg.clientCA}")` };
      if (!cred.commonName) return { ok: false, detail: 'x509: the client certificate has no Common Name' };
      const user = withAuthenticated({ name: cred.commonName, groups: [...cred.organizations] });
      return { ok: true, method: 'x509', user, detail: `client certificate signed by ${cfg.clientCA}: CN → user, O → groups` };
    }
    case 'bearer': {
      const st = cfg.staticTokens.find((t) => t.token === cred.token);
      if (st) return { ok: true, method: 'token-file', user: withAuthenticated({ name: st.user, uid: st.uid, groups: [...st.groups] }), detail: 'bearer token found in --token-auth-file' };
      const claims = cfg.issuer.verify(cred.token);
      if ('error' in claims) return { ok: false, detail: `invalid bearer token (${claims.error})` };
      const uid = cfg.serviceAccountUid(claims.namespace, claims.serviceAccountName);
      if (uid === undefined) return { ok: false, detail: `serviceaccounts "${claims.serviceAccountName}" not found` };
      if (uid !== claims.serviceAccountUid) return { ok: false, detail: `the ServiceAccount was recreated (uid ${uid}, token for ${claims.serviceAccountUid})` };
      const user = withAuthenticated({
        name: serviceAccountUsername(claims.namespace, claims.serviceAccountName),
        uid,
        groups: serviceAccountGroups(claims.namespace),
      });
      return { ok: true, method: 'serviceaccount', user, detail: 'ServiceAccount token signed by the cluster issuer' };
    }
  }
}
