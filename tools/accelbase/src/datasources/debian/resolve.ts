// Picking a package version from Packages indexes: newest by dpkg ordering, optionally within a
// semver range applied to the upstream version.
import semver from 'semver';
import { UserError } from '../../errors.js';
import type { DebPackageRecord } from './deb822.js';
import type { PackagesIndex } from './packages-index.js';
import { compareDebVersions, parseDebVersion } from '../../versioning/debian.js';

/**
 * The semver the `range` argument of resolveDebianPackage is matched against: drop the epoch and the
 * Debian revision, then `semver.coerce` the upstream version, which takes its first 1-3 numeric
 * parts and ignores the rest. Examples: `1.21.0+dfsg-1` -> 1.21.0, `2:1.2.3-4` -> 1.2.3,
 * `3.0.23.01.25-1` -> 3.0.23, `6.0-6` -> 6.0.0; leading zeros are dropped first, as dpkg ignores them
 * (`535.247.01-1` -> 535.247.1, where plain semver.coerce gives null). Consequences: pre-releases coerce
 * to their final version (`1.0~rc1-1` -> 1.0.0, so `>=1.0.0` admits it; dpkg ordering still ranks
 * it below `1.0-1`), snapshot versions like `0.0~git20240830.fa1c679` coerce to 0.0.0, and a version
 * with no digits at all yields null (matches no range).
 */
export function debUpstreamSemver(version: string): semver.SemVer | null {
  let upstream: string;
  try {
    upstream = parseDebVersion(version).upstream;
  } catch {
    return null;
  }
  // semver.coerce returns null for `535.247.01` (a zero-padded part is not semver); dpkg compares
  // digit runs as numbers, so dropping leading zeros keeps the meaning.
  return semver.coerce(upstream.replace(/\d+/g, (run) => run.replace(/^0+(?=\d)/, '')));
}

export interface ResolvedDebianPackage {
  version: string;
  /** The record's Architecture: the index's arch, or `all`. */
  architecture: string;
}

// Built on first lookup; an index is ~70k records and is typically queried for several names.
const byNameCache = new WeakMap<PackagesIndex, Map<string, DebPackageRecord[]>>();

function byName(index: PackagesIndex): Map<string, DebPackageRecord[]> {
  let map = byNameCache.get(index);
  if (!map) {
    map = new Map();
    for (const p of index.packages) {
      const list = map.get(p.Package);
      if (list) list.push(p);
      else map.set(p.Package, [p]);
    }
    byNameCache.set(index, map);
  }
  return map;
}

/**
 * The newest version (dpkg ordering) of binary package `name` across `indexes` (any mix of
 * components; `Architecture: all` records count like arch-specific ones), optionally only among
 * versions whose coerced upstream version satisfies the semver `range` (see debUpstreamSemver).
 * undefined when no version qualifies; an invalid range is a UserError.
 */
export function resolveDebianPackage(
  indexes: PackagesIndex | readonly PackagesIndex[],
  name: string,
  range?: string,
): ResolvedDebianPackage | undefined {
  if (range !== undefined && semver.validRange(range) === null) {
    throw new UserError(`invalid semver range '${range}' for Debian package ${name}`);
  }
  let best: DebPackageRecord | undefined;
  const list: readonly PackagesIndex[] = Array.isArray(indexes) ? indexes : [indexes as PackagesIndex];
  for (const index of list) {
    for (const record of byName(index).get(name) ?? []) {
      if (range !== undefined) {
        const v = debUpstreamSemver(record.Version);
        if (!v || !semver.satisfies(v, range)) continue;
      }
      if (!best || compareDebVersions(record.Version, best.Version) > 0) best = record;
    }
  }
  return best && { version: best.Version, architecture: best.Architecture };
}
