// How each source type finds a package's newest version, Renovate-style: one implementation per type,
// registered in ./index.ts. The type's pure facts (settings, package-name grammar, installer, what a
// build fetches) are catalog/source-types.ts; nothing else in accelbase switches on the type.
import type { SourceOf, SourceType } from '../catalog/source-types.js';
import type { FetchImpl } from '../lib/http.js';

/** One package to resolve, for one image and platform. */
export interface PackageQuery {
  name: string;
  /** The catalog's semver range; undefined: any version. */
  range?: string;
  /** The image's Debian suite. */
  dist: string;
  /** Debian architecture name (`amd64`, `arm64`). */
  arch: string;
}

/** What resolving needs besides the source; one per `update` run, shared by every package. */
export interface ResolveContext {
  /** Root of the Debian archive (`debian` sources). */
  mirror: string;
  /** Root of Debian's security archive, where `<suite>-security` lives; undefined: none known. */
  securityMirror?: string;
  /** Debian's archive keyring: every Debian Release is verified against it; undefined: not verified (tests only). */
  debianKeyring?: string;
  /** Keep downloaded indexes here between runs. */
  cacheDir?: string;
  fetchImpl?: FetchImpl;
  /** Tests point npm at a local registry; otherwise npm's own configuration decides. */
  npmRegistry?: string;
  /** Per-run memo: the first call for `key` loads; later calls share its promise, rejected or not. */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export interface Datasource<T extends SourceType = SourceType> {
  /**
   * The newest version of the package that satisfies the range; undefined when none does. A source
   * that cannot answer (unreachable, HTTP error, broken index) throws a UserError; anything else is a bug.
   */
  resolve(source: SourceOf<T>, query: PackageQuery, ctx: ResolveContext): Promise<string | undefined>;
}
