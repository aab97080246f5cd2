// A vendor apt repository (its own URL, suite and signing key) as a datasource: Debian's archive
// format, so its indexes are read like Debian's.
import { z } from 'zod';
import { GpgFingerprint, HttpsUrl, Identifier } from '../lib/grammar.js';
import { newestInSuite } from './debian/datasource.js';
import { DebianArchitecture, DebPackageName } from './debian/names.js';
import { datasource } from './types.js';

export const aptRepository = datasource({
  schema: z.strictObject({
    type: z.literal('apt'),
    url: HttpsUrl,
    suite: Identifier,
    components: z.array(Identifier).min(1),
    key: z.strictObject({ url: HttpsUrl, fingerprint: GpgFingerprint }).describe('signed-by key, pinned by fingerprint'),
    architectures: z.array(DebianArchitecture).min(1).describe('architectures the repository builds for'),
  }),
  packageName: DebPackageName,
  installer: 'apt',
  architectures: (source) => source.architectures,
  // The build downloads the signing key and runs apt-get update against the suite.
  buildUrls: (source) => [source.key.url, `${source.url}/dists/${source.suite}/InRelease`],
  resolve: (source, q, ctx) => newestInSuite(ctx, { mirror: source.url, suite: source.suite, components: source.components, arch: q.arch }, q.name, q.range),
});
