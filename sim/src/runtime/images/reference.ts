/**
 * Image references as the kubelet and containerd normalise them:
 * `nginx:1.27` → `docker.io/library/nginx:1.27`; no tag → `:latest`;
 * a first component with a dot, a colon or `localhost` is a registry host.
 * Upstream: distribution/reference v0.6 `normalize.go` (ParseNormalizedNamed,
 * defaultDomain "docker.io", officialRepoPrefix "library/"), `regexp.go`.
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';
import { DIGEST_PATTERN } from './digest.ts';

export interface ImageRef {
  domain: string;
  /** Repository path without the domain, e.g. `library/nginx`. */
  path: string;
  tag?: string;
  digest?: string;
  /** The fully qualified string, e.g. `docker.io/library/nginx:1.27`. */
  full: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export function parseReference(input: string): Result<ImageRef> {
  const s = input.trim();
  if (s === '') return fail(simError('REFERENCE_INVALID', 'empty image reference'));
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_PATTERN.test(digest)) return fail(simError('REFERENCE_INVALID', `invalid digest "${digest}": expected sha256:<64 hex>`));
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return fail(simError('REFERENCE_INVALID', `invalid tag "${tag}"`));
  }
  let domain = 'docker.io';
  let path = rest;
  const first = rest.split('/')[0]!;
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first;
    path = rest.slice(first.length + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  for (const c of path.split('/')) {
    if (!COMPONENT.test(c)) return fail(simError('REFERENCE_INVALID', `invalid reference format: repository name "${path}" must be lowercase letters, digits and separators`));
  }
  if (!tag && !digest) tag = 'latest';
  const full = `${domain}/${path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return ok({ domain, path, tag, digest, full });
}
