// Package URLs (purl) for what an SBOM lists: Debian packages, PyPI and npm packages, and OCI
// images. Pure. Each part is percent-encoded as the purl specification asks (`:` in a Debian epoch
// is %3A, `+` is %2B); qualifiers are sorted by key.
import { archOf } from '../catalog/platform.js';

/** Percent-encode everything but the unreserved characters (RFC 3986: A-Z a-z 0-9 - . _ ~). */
export const purlEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A qualifier value: encoded, but `/` and `:` kept (repository_url=127.0.0.1:5000/ns/name, as the spec's own examples write it). */
const qualifierValue = (s: string): string => purlEncode(s).replace(/%2F/g, '/').replace(/%3A/g, ':');

function qualifiers(q: Record<string, string | undefined>): string {
  const entries = Object.entries(q)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? `?${entries.map(([k, v]) => `${k}=${qualifierValue(v)}`).join('&')}` : '';
}

/** `pkg:deb/debian/<name>@<version>?arch=<arch>&distro=debian-<N>`; `debianMajor` is the catalog's `distributions.<dist>.version`. */
export function debPurl(name: string, version: string, platform: string, debianMajor: string): string {
  return `pkg:deb/debian/${purlEncode(name)}@${purlEncode(version)}${qualifiers({ arch: archOf(platform), distro: `debian-${debianMajor}` })}`;
}

/** PyPI names are normalized as the purl spec asks: lower case, `_` and `.` runs as `-`. */
export const pypiName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

export const pypiPurl = (name: string, version: string): string =>
  `pkg:pypi/${purlEncode(pypiName(name))}@${purlEncode(version)}`;

/** `@scope/name` -> `pkg:npm/%40scope/name@v`. */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const path =
    slash > 0 ? `${purlEncode(name.slice(0, slash))}/${purlEncode(name.slice(slash + 1))}` : purlEncode(name);
  return `pkg:npm/${path}@${purlEncode(version)}`;
}

/** `pkg:oci/<name>@sha256%3A...?arch=..&repository_url=<repository>&tag=..` (the version is the digest; none without one). */
export function ociPurl(
  repository: string,
  digest: string | undefined,
  opts: { platform?: string; tag?: string } = {},
): string {
  const name = repository.slice(repository.lastIndexOf('/') + 1);
  return `pkg:oci/${purlEncode(name)}${digest ? `@${purlEncode(digest)}` : ''}${qualifiers({ arch: opts.platform ? archOf(opts.platform) : undefined, repository_url: repository, tag: opts.tag })}`;
}
