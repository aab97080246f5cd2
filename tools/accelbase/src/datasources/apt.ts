// A vendor apt repository (its own URL, suite and signing key) as a datasource: Debian's archive
// format, so its indexes are read like Debian's.
import { z } from 'zod';
import { GpgFingerprint, Identifier, RepositoryUrl } from '../lib/grammar.js';
import { newestInSuite } from './debian/datasource.js';
import { pinnedKeyring } from './pinned-key.js';
import { DebianArchitecture, DebPackageName } from './debian/names.js';
import { datasource } from './types.js';

export const aptRepository = datasource({
  schema: z.strictObject({
    type: z.literal('apt'),
    url: RepositoryUrl,
    suite: Identifier,
    components: z.array(Identifier).min(1),
    key: z
      .strictObject({ url: RepositoryUrl, fingerprint: GpgFingerprint })
      .describe('signed-by key, pinned by fingerprint'),
    architectures: z.array(DebianArchitecture).min(1).describe('architectures the repository builds for'),
  }),
  packageName: DebPackageName,
  installer: 'apt',
  architectures: (source) => source.architectures,
  // The build downloads the signing key and runs apt-get update against the suite.
  buildUrls: (source) => [source.key.url, `${source.url}/dists/${source.suite}/InRelease`],
  // Its Release is verified against the pinned key (fetched once per run, fingerprint checked).
  resolve: async (source, q, ctx) => {
    const keyring = await ctx.once(`pinned-key ${source.key.url} ${source.key.fingerprint}`, () =>
      pinnedKeyring(source.key.url, source.key.fingerprint, { fetchImpl: ctx.fetchImpl }),
    );
    return newestInSuite(
      ctx,
      { mirror: source.url, suite: source.suite, components: source.components, arch: q.arch, keyring },
      q.name,
      q.range,
    );
  },
});
