// PyPI (or any index with the JSON API) as a datasource.
import semver from 'semver';
import { UserError } from '../errors.js';
import { download, type FetchImpl } from '../lib/http.js';
import type { Datasource } from './types.js';

/** `https://pypi.org/simple` -> `https://pypi.org/pypi/<name>/json` (the warehouse JSON API). */
export function pipJsonUrl(index: string, name: string): string {
  return `${index.replace(/\/+$/, '').replace(/\/simple$/, '')}/pypi/${encodeURIComponent(name)}/json`;
}

type Project = { releases?: Record<string, { yanked?: boolean }[]> };

async function fetchProject(url: string, fetchImpl: FetchImpl): Promise<Project> {
  const d = await download(url, fetchImpl, 30_000);
  if (!d.ok) throw new UserError(`${url}: HTTP ${d.status}`);
  try {
    return JSON.parse(d.body.toString('utf8')) as Project;
  } catch (e) {
    throw new UserError(`${url}: not a JSON answer: ${(e as Error).message}`);
  }
}

/** Newest non-yanked, non-pre-release version whose files exist and that satisfies `range`. */
export async function resolvePipPackage(
  index: string,
  name: string,
  range: string | undefined,
  fetchImpl: FetchImpl = fetch,
): Promise<string | undefined> {
  const body = await fetchProject(pipJsonUrl(index, name), fetchImpl);
  const candidates = Object.entries(body.releases ?? {})
    .filter(([, files]) => files.length > 0 && files.some((f) => !f.yanked))
    .map(([v]) => ({ v, sem: semver.coerce(v) }))
    .filter((c): c is { v: string; sem: semver.SemVer } => c.sem !== null && /^[0-9]+(\.[0-9]+)*$/.test(c.v))
    .filter((c) => range === undefined || semver.satisfies(c.sem, range))
    .sort((a, b) => semver.compare(b.sem, a.sem));
  return candidates[0]?.v;
}

export const pipIndex: Datasource<'pip'> = {
  resolve: (source, q, ctx) => resolvePipPackage(source.index, q.name, q.range, ctx.fetchImpl),
};
