// Debian's own archive as a datasource: packages of the image's suite, from the components the
// source names, on the mirror `update` is given. Installed by apt from the image's own sources.
import { z } from 'zod';
import { info } from '../../log.js';
import { datasource, type ResolveContext } from '../types.js';
import { DEBIAN_COMPONENTS, DebPackageName } from './names.js';
import { fetchPackagesIndexes, type PackagesIndex } from './packages-index.js';
import { resolveDebianPackage } from './resolve.js';

/** Where a suite's indexes are: a Debian archive or a vendor repository in the same format. */
export interface SuiteQuery {
  mirror: string;
  suite: string;
  components: readonly string[];
  arch: string;
}

/**
 * The newest version of `name` in the suite's Packages indexes (see resolveDebianPackage). Each
 * suite, component set and arch is read once per run, however many packages and images ask.
 */
export async function newestInSuite(ctx: ResolveContext, where: SuiteQuery, name: string, range?: string): Promise<string | undefined> {
  const { mirror, suite, components, arch } = where;
  const indexes = await ctx.once<PackagesIndex[]>(`debian-indexes ${mirror} ${suite} ${components.join(',')} ${arch}`, () => {
    info(`reading ${suite} ${components.join(',')} ${arch} Packages indexes`);
    return fetchPackagesIndexes({ mirror, suite, components, arch, cacheDir: ctx.cacheDir, fetchImpl: ctx.fetchImpl, fields: [] });
  });
  return resolveDebianPackage(indexes, name, range)?.version;
}

export const debianArchive = datasource({
  schema: z.strictObject({
    type: z.literal('debian'),
    components: z.array(z.enum(DEBIAN_COMPONENTS)).min(1),
  }),
  packageName: DebPackageName,
  installer: 'apt',
  // The build reads Debian's archive through the base image's own apt sources: nothing to probe.
  buildUrls: () => [],
  resolve: (source, q, ctx) => newestInSuite(ctx, { mirror: ctx.mirror, suite: q.dist, components: source.components, arch: q.arch }, q.name, q.range),
});
