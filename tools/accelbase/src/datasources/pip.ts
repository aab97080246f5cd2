// PyPI (or any index with the JSON API) as a version data source.
import semver from 'semver';
import { UserError } from '../errors.js';
import type { FetchImpl } from './debian/datasource.js';

/** `https://pypi.org/simple` -> `https://pypi.org/pypi/<name>/json` (the warehouse JSON API). */
export function pipJsonUrl(index: string, name: string): string {
  return `${index.replace(/\/+$/, '').replace(/\/simple$/, '')}/pypi/${encodeURIComponent(name)}/json`;
}

/** Newest non-yanked, non-pre-release version whose files exist and that satisfies `range`. */
export async function resolvePipPackage(index: string, name: string, range: string | undefined, fetchImpl: FetchImpl = fetch): Promise<string | undefined> {
  const url = pipJsonUrl(index, name);
  let body: { releases?: Record<string, { yanked?: boolean }[]> };
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new UserError(`${url}: HTTP ${res.status}`);
    body = (await res.json()) as typeof body;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot reach ${url}: ${(e as Error).message}`);
  }
  const candidates = Object.entries(body.releases ?? {})
    .filter(([, files]) => files.length > 0 && files.some((f) => !f.yanked))
    .map(([v]) => ({ v, sem: semver.coerce(v) }))
    .filter((c): c is { v: string; sem: semver.SemVer } => c.sem !== null && /^[0-9]+(\.[0-9]+)*$/.test(c.v))
    .filter((c) => range === undefined || semver.satisfies(c.sem, range))
    .sort((a, b) => semver.compare(b.sem, a.sem));
  return candidates[0]?.v;
}
