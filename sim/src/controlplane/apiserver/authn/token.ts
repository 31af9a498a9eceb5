/**
 * ServiceAccount tokens as the sim issues them: a JWT-shaped string
 * `header.payload.signature` whose payload carries the claims of a bound
 * token (pkg/serviceaccount/claims.go, v1.34: `iss`, `sub`, and the
 * `kubernetes.io` namespace/serviceaccount claims). The signature is a keyed
 * FNV-1a hash instead of RS256: enough to make a forged or edited token fail
 * verification, with no crypto module (the sim is pure TypeScript).
 */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  namespace: string;
  serviceAccountName: string;
  serviceAccountUid: string;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url of a string's UTF-16 code units taken as bytes (ASCII JSON only). */
function b64url(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i) & 0xff;
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) & 0xff : 0;
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) & 0xff : 0;
    const n = (a << 16) | (b << 8) | c;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    if (i + 1 < text.length) out += B64[(n >> 6) & 63]!;
    if (i + 2 < text.length) out += B64[n & 63]!;
  }
  return out;
}

function unb64url(text: string): string | undefined {
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const ch of text) {
    const v = B64.indexOf(ch);
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

function fnv1a(text: string, key: number): string {
  let h = (0x811c9dc5 ^ key) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Issues and verifies tokens with one signing key (the apiserver's --service-account-signing-key-file). */
export class TokenIssuer {
  readonly #key: number;

  constructor(signingKey: number) {
    this.#key = signingKey >>> 0;
  }

  issue(namespace: string, name: string, uid: string): string {
    const header = b64url(JSON.stringify({ alg: 'RS256', kid: 'sim' }));
    const payload = b64url(JSON.stringify({
      iss: SERVICE_ACCOUNT_ISSUER,
      sub: `system:serviceaccount:${namespace}:${name}`,
      'kubernetes.io': { namespace, serviceaccount: { name, uid } },
    }));
    return `${header}.${payload}.${fnv1a(`${header}.${payload}`, this.#key)}`;
  }

  /** The claims when the token is well-formed and signed by this issuer; else a reason. */
  verify(token: string): ServiceAccountClaims | { error: string } {
    const parts = token.split('.');
    if (parts.length !== 3) return { error: 'not a JWT' };
    const [header, payload, sig] = parts as [string, string, string];
    if (fnv1a(`${header}.${payload}`, this.#key) !== sig) return { error: 'invalid signature' };
    const json = unb64url(payload);
    if (json === undefined) return { error: 'malformed payload' };
    try {
      const c = JSON.parse(json) as { iss?: string; sub?: string; 'kubernetes.io'?: { namespace?: string; serviceaccount?: { name?: string; uid?: string } } };
      const k = c['kubernetes.io'];
      if (c.iss !== SERVICE_ACCOUNT_ISSUER || !k?.namespace || !k.serviceaccount?.name) return { error: 'missing claims' };
      return { iss: c.iss, sub: c.sub ?? '', namespace: k.namespace, serviceAccountName: k.serviceaccount.name, serviceAccountUid: k.serviceaccount.uid ?? '' };
    } catch {
      return { error: 'malformed payload' };
    }
  }
}
