// What the Debian archive offers a distribution now: the newest version of every package across
// `<suite>`, `<suite>-updates` and `<suite>-security`, with the suite it came from.
import { join } from 'node:path';
import { fetchPackagesIndexes, type PackagesIndex } from '../datasources/debian/packages-index.js';
import { fetchRelease } from '../datasources/debian/release.js';
import { debianKeyring, debianMirror, debianSecurityMirror } from '../datasources/debian/mirror.js';
import { compareDebVersions } from '../versioning/debian.js';
import type { RunConfig } from '../config/run-config.js';
import { MissingSuiteError } from '../errors.js';
import type { ArchiveVersion, NewestLookup } from '../plan/outdated.js';
import type { Reporter } from '../reporter.js';
import { updateSources } from '../datasources/debian/suites.js';

/** Where downloaded Packages indexes are kept, under the run config's cache home (XDG_CACHE_HOME). */
export const indexCacheDir = (config: RunConfig) => join(config.cacheHome, 'accelbase', 'indexes');

/** Newest version per package name over indexes of several suites (dpkg ordering); ties keep the earlier suite. */
export function newestAcross(indexes: readonly PackagesIndex[]): Map<string, ArchiveVersion> {
  const newest = new Map<string, ArchiveVersion>();
  for (const index of indexes) {
    for (const p of index.packages) {
      const was = newest.get(p.Package);
      if (!was || compareDebVersions(p.Version, was.version) > 0)
        newest.set(p.Package, { version: p.Version, suite: index.suite });
    }
  }
  return newest;
}

export interface ArchiveOptions {
  components: readonly string[];
  mirror?: string;
  securityMirror?: string;
  keyring?: string;
  /** The mirrors and keyring the defaults come from, and the index cache. */
  config: RunConfig;
  reporter: Reporter;
}

/** One lookup per distribution and architecture, each read once. An -updates/-security suite that is not served is left out. */
export function archiveLookups(o: ArchiveOptions): (dist: string, arch: string) => Promise<NewestLookup> {
  const cache = new Map<string, Promise<NewestLookup>>();
  const mirror = o.mirror ?? debianMirror(o.config.debianMirror);
  const securityMirror = o.securityMirror ?? debianSecurityMirror(o.config.debianSecurityMirror);
  const keyring = o.keyring ?? debianKeyring(o.config.debianKeyring);
  return (dist, arch) => {
    const key = `${dist} ${arch}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        (async () => {
          const indexes: PackagesIndex[] = [];
          for (const s of updateSources(mirror, dist, securityMirror)) {
            o.reporter.step(`reading ${s.suite} ${o.components.join(',')} ${arch} Packages indexes`);
            try {
              const release = await fetchRelease({ mirror: s.mirror, suite: s.suite, keyring });
              // Suites differ in components (bullseye has no non-free-firmware): read those it has.
              const components = o.components.filter((c) => release.components.includes(c));
              indexes.push(
                ...(await fetchPackagesIndexes({
                  mirror: s.mirror,
                  suite: s.suite,
                  release,
                  components,
                  arch,
                  cacheDir: indexCacheDir(o.config),
                  fields: [],
                })),
              );
            } catch (e) {
              if (!(e instanceof MissingSuiteError) || s.suite === dist) throw e;
              o.reporter.info(`${s.suite}: ${e.message.split('\n')[0]} (left out)`);
            }
          }
          const newest = newestAcross(indexes);
          return (name: string) => newest.get(name);
        })(),
      );
    }
    return cache.get(key)!;
  };
}
