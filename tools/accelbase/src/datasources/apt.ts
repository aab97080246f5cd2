// A vendor apt repository (its own URL, suite and signing key) as a datasource: Debian's archive
// format, so its indexes are read like Debian's.
import { newestInSuite } from './debian/datasource.js';
import { pinnedKeyring } from './pinned-key.js';
import type { Datasource } from './types.js';

export const aptRepository: Datasource<'apt'> = {
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
};
