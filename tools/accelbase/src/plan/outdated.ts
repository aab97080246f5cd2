// Which installed packages have a newer version in the archive, and which of those are security
// fixes: the question behind `accelbase outdated`, `show` and the nightly. Pure.
import { compareDebVersions } from '../versioning/debian.js';

/** The newest version of a package the archive offers, and the suite it is in (`bookworm-security`). */
export interface ArchiveVersion {
  version: string;
  suite: string;
}

export type NewestLookup = (name: string) => ArchiveVersion | undefined;

export interface OutdatedPackage {
  package: string;
  installed: string;
  newest: string;
  suite: string;
  security: boolean;
}

/** Debian's security fixes are published only in `<suite>-security`. */
export const isSecuritySuite = (suite: string) => suite.endsWith('-security');

/** Installed packages with a strictly newer version in the archive, by name. */
export function outdatedPackages(installed: Readonly<Record<string, string>>, newest: NewestLookup): OutdatedPackage[] {
  const out: OutdatedPackage[] = [];
  for (const [name, version] of Object.entries(installed)) {
    const offer = newest(name);
    if (offer && compareDebVersions(offer.version, version) > 0) {
      out.push({
        package: name,
        installed: version,
        newest: offer.version,
        suite: offer.suite,
        security: isSecuritySuite(offer.suite),
      });
    }
  }
  return out.sort((a, b) => (a.package < b.package ? -1 : 1));
}
