// Debian's own archive as a datasource: packages of the image's suite, from the components the
// source names, on the mirror `update` is given. Installed by apt from the image's own sources.
import { info } from '../../log.js';
import { MissingSuiteError } from '../../errors.js';
import type { Datasource, PackageQuery, ResolveContext } from '../types.js';
import { fetchPackagesIndexes, type PackagesIndex } from './packages-index.js';
import { fetchRelease } from './release.js';
import { resolveDebianPackage } from './resolve.js';
import { updateSources } from './suites.js';

/** Where a suite's indexes are: a Debian archive or a vendor repository in the same format. */
export interface SuiteQuery {
  mirror: string;
  suite: string;
  components: readonly string[];
  arch: string;
  /** Verify the suite's Release against this keyring. */
  keyring?: string;
}

/**
 * The newest version of `name` in the suite's Packages indexes (see resolveDebianPackage). Each
 * suite, component set and arch is read once per run, however many packages and images ask.
 */
export async function newestInSuite(
  ctx: ResolveContext,
  where: SuiteQuery,
  name: string,
  range?: string,
): Promise<string | undefined> {
  return resolveDebianPackage(await suiteIndexes(ctx, where), name, range)?.version;
}

/**
 * A suite's indexes, read once per run. `onlyListed`: of `components`, read those the suite has (an
 * -updates or -security suite may lack one the suite itself has).
 */
function suiteIndexes(
  ctx: ResolveContext,
  { mirror, suite, components, arch, keyring }: SuiteQuery,
  onlyListed = false,
): Promise<PackagesIndex[]> {
  return ctx.once<PackagesIndex[]>(`debian-indexes ${mirror} ${suite} ${components.join(',')} ${arch}`, async () => {
    info(`reading ${suite} ${components.join(',')} ${arch} Packages indexes`);
    const release = await fetchRelease({ mirror, suite, keyring, fetchImpl: ctx.fetchImpl });
    const wanted = onlyListed ? components.filter((c) => release.components.includes(c)) : components;
    return fetchPackagesIndexes({
      mirror,
      suite,
      release,
      components: wanted,
      arch,
      keyring,
      cacheDir: ctx.cacheDir,
      fetchImpl: ctx.fetchImpl,
      fields: [],
    });
  });
}

/**
 * Debian's own packages resolve across `<suite>`, `<suite>-updates` and `<suite>-security`, newest by
 * dpkg ordering, so a security fix is pinned to, never away from. The suite itself must answer; an
 * -updates or -security suite the archive does not serve at all is left out.
 */
async function newestInDistribution(
  ctx: ResolveContext,
  components: readonly string[],
  q: PackageQuery,
): Promise<string | undefined> {
  const indexes: PackagesIndex[] = [];
  for (const s of updateSources(ctx.mirror, q.dist, ctx.securityMirror)) {
    try {
      indexes.push(
        ...(await suiteIndexes(
          ctx,
          { mirror: s.mirror, suite: s.suite, components, arch: q.arch, keyring: ctx.debianKeyring },
          s.suite !== q.dist,
        )),
      );
    } catch (e) {
      // Only a suite the archive does not serve is left out; anything else about it is an answer.
      if (s.suite === q.dist || !(e instanceof MissingSuiteError)) throw e;
    }
  }
  return resolveDebianPackage(indexes, q.name, q.range)?.version;
}

export const debianArchive: Datasource<'debian'> = {
  resolve: (source, q, ctx) => newestInDistribution(ctx, source.components, q),
};
