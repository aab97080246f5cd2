// THE image-reference grammar (distribution/reference), its one digest form, and the helpers that split
// and join references. Everything that reads or writes `[host[:port]/]path[:tag][@digest]` uses this.
import { z } from 'zod';

// Docker's own grammar, for references read from Dockerfiles (FROM lines, named contexts).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$/;
const ANY_DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

// The plain subset accelbase accepts from its own files and flags: nothing a shell or Dockerfile reads specially.
const HOST = '[a-z0-9.-]+(?::[0-9]{1,5})?';
const COMPONENT = '[a-z0-9]+(?:[._-][a-z0-9]+)*';
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}';

/** The one digest form accelbase records: `sha256:` and 64 lower-case hex digits. */
export const DIGEST_RE = new RegExp(`^${DIGEST}$`);
export const isDigest = (value: unknown): value is string => typeof value === 'string' && DIGEST_RE.test(value);
export const Digest = z.string().regex(DIGEST_RE, { message: 'not a digest (sha256:<64 hex>)' });

export const TAG_RE = new RegExp(`^${TAG}$`);
/** `[host[:port]/]path`: a repository, or a namespace images are named under. */
export const REPOSITORY_RE = new RegExp(`^(?:${HOST}\\/)?${COMPONENT}(?:\\/${COMPONENT})*$`);
/** `[host[:port]/]path[:tag][@sha256:...]`. */
export const IMAGE_REFERENCE_RE = new RegExp(
  `^(?:${HOST}\\/)?${COMPONENT}(?:\\/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`,
);

export interface Reference {
  /** Registry host[:port], when the first component names one. */
  domain?: string;
  /** Repository path below the domain. */
  path: string;
  tag?: string;
  digest?: string;
}

/** Split a reference by docker's grammar; null when it is not one. */
export function parseReference(ref: string): Reference | null {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!ANY_DIGEST.test(digest)) return null;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return null;
  }
  let domain: string | undefined;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (isDomain(first)) {
      domain = first;
      path = rest.slice(slash + 1);
      if (!DOMAIN.test(domain)) return null;
    }
  }
  if (!path?.split('/').every((c) => PATH_COMPONENT.test(c))) return null;
  return { domain, path, tag, digest };
}

/** Docker's rule: the first component is a registry when it has a dot or a port, is localhost, or has capitals. */
const isDomain = (first: string) => /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;

/** `repo[:tag][@digest]` -> its parts (tag and digest undefined when absent), without validating. */
export function splitTag(ref: string): { repository: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  const named = at < 0 ? ref : ref.slice(0, at);
  const digest = at < 0 ? undefined : ref.slice(at + 1);
  const colon = named.lastIndexOf(':');
  const parts =
    colon > named.lastIndexOf('/')
      ? { repository: named.slice(0, colon), tag: named.slice(colon + 1) }
      : { repository: named };
  return digest === undefined ? parts : { ...parts, digest };
}

/** The last path component: `127.0.0.1:5000/acceleratorbase/opencl-pocl` -> `opencl-pocl`. */
export const shortName = (repository: string): string => repository.slice(repository.lastIndexOf('/') + 1);

/** Everything above the last component: the namespace a repository sits in. */
export const namespaceOf = (repository: string): string =>
  repository.slice(0, Math.max(0, repository.lastIndexOf('/')));

/** `repository@digest`: the one way a pushed image is addressed. */
export const byDigest = (repository: string, digest: string): string => `${repository}@${digest}`;

/** The OCI 1.1 referrers tag schema's tag for a subject digest: `sha256:abc...` -> `sha256-abc...`. */
export const referrersTag = (digest: string): string => digest.replace(':', '-');

/**
 * The name BuildKit looks a named context up by for `FROM <ref>`:
 * `strings.TrimSuffix(reference.FamiliarString(ParseNormalizedNamed(ref)), ":latest")`.
 * Returns null when `ref` is not a valid image reference.
 */
export function contextKey(ref: string): string | null {
  const r = parseReference(ref);
  if (!r) return null;
  let domain = r.domain === 'index.docker.io' ? 'docker.io' : r.domain;
  let name: string;
  if (domain === undefined || domain === 'docker.io') {
    const remainder = r.path.startsWith('library/') ? r.path.slice('library/'.length) : undefined;
    name = remainder !== undefined && !remainder.includes('/') ? remainder : r.path;
    domain = undefined;
  } else name = `${domain}/${r.path}`;
  const familiar = name + (r.tag ? `:${r.tag}` : '') + (r.digest ? `@${r.digest}` : '');
  return familiar.endsWith(':latest') ? familiar.slice(0, -':latest'.length) : familiar;
}
