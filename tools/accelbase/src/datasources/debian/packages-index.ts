// A suite's Packages indexes: find them in the Release, download (or read from the cache), check
// each against its sha256 line, decompress and parse.
import { IntegrityError, UserError } from '../../errors.js';
import { sha256Hex } from '../../lib/fs.js';
import { download, httpError, type Download } from '../../lib/http.js';
import { parsePackages, type DebPackageRecord } from './deb822.js';
import { indexText, INDEX_NAMES, UNSUPPORTED_NOTE } from './decompress.js';
import { readCachedIndex, writeCachedIndex } from './index-cache.js';
import { DEBIAN_COMPONENTS } from '../../catalog/debian-names.js';
import {
  DEFAULT_TIMEOUT_MS,
  fetchRelease,
  suiteUrl,
  type DebianRelease,
  type ReleaseFileEntry,
  type SuiteOptions,
} from './release.js';

export interface PackagesIndex {
  /** The URL the index came from (or would have come from, when read from the cache). */
  url: string;
  suite: string;
  component: string;
  arch: string;
  /** Of the downloaded (compressed) file, as listed in the Release file. */
  sha256: string;
  packages: DebPackageRecord[];
}

export interface FetchPackagesIndexOptions extends SuiteOptions {
  component: string;
  arch: string;
  /** Keep downloaded indexes here, named by sha256, and reuse them while the Release lists them. */
  cacheDir?: string;
  /** A Release already fetched for this mirror and suite, to avoid reading it once per component. */
  release?: DebianRelease;
  /** Keep only these Packages fields (Package, Version, Architecture always kept); default all. */
  fields?: readonly string[];
}

export interface FetchPackagesIndexesOptions extends Omit<FetchPackagesIndexOptions, 'component'> {
  /** Default: all of DEBIAN_COMPONENTS. Each must be in the Release's Components. */
  components?: readonly string[];
}

/** The listed indexes we can read, best first; a UserError when there are none. */
function usableIndexes(release: DebianRelease, component: string, arch: string): ReleaseFileEntry[] {
  const dir = `${component}/binary-${arch}`;
  if (release.components.length && !release.components.includes(component)) {
    throw new UserError(`${release.url} has no component '${component}' (it has: ${release.components.join(', ')})`);
  }
  const usable = INDEX_NAMES.flatMap((name) => release.files.get(`${dir}/${name}`) ?? []);
  if (usable.length) return usable;
  const others = otherIndexes(release, dir);
  if (others.length)
    throw new UserError(`${release.url} lists only ${others.join(', ')} for ${dir}; ${UNSUPPORTED_NOTE}`);
  throw new UserError(
    `${release.url} lists no Packages index for ${dir} (architectures: ${release.architectures.join(', ') || 'not stated'})`,
  );
}

/** The listed forms of `dir`'s Packages index that accelbase cannot read (Packages.xz and the like). */
function otherIndexes(release: DebianRelease, dir: string): string[] {
  const usable = new Set(INDEX_NAMES.map((n) => `${dir}/${n}`));
  return [...release.files.keys()].filter((p) => p.startsWith(`${dir}/Packages.`) && !usable.has(p));
}

type HttpFailure = { url: string; status: number; statusText: string };

/**
 * One listed index file, verified against its Release entry: from the cache, else downloaded (the
 * by-hash copy first when offered) and cached. A 404 is returned, not thrown, so the caller can try
 * the next listed form.
 */
async function obtainIndexFile(
  entry: ReleaseFileEntry,
  release: DebianRelease,
  base: string,
  options: FetchPackagesIndexOptions,
): Promise<Buffer | HttpFailure> {
  const cached = await readCachedIndex(options.cacheDir, entry);
  if (cached) return cached;
  const canonical = `${base}/${entry.path}`;
  const dir = entry.path.slice(0, entry.path.lastIndexOf('/'));
  const urls = release.acquireByHash ? [`${base}/${dir}/by-hash/SHA256/${entry.sha256}`, canonical] : [canonical];
  let last: Download | undefined;
  for (const u of urls) {
    last = await download(u, options.fetchImpl ?? fetch, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (last.ok || last.status !== 404) break;
  }
  if (!last) throw new Error('unreachable: no URL to try');
  if (!last.ok) {
    if (last.status !== 404) throw httpError(canonical, last, ` (listed in ${release.url})`);
    return { url: canonical, status: last.status, statusText: last.statusText };
  }
  const got = sha256Hex(last.body);
  if (got !== entry.sha256 || last.body.length !== entry.size) {
    throw new IntegrityError(
      `${canonical}: sha256 mismatch: ${release.url} lists ${entry.sha256} (${entry.size} bytes), downloaded ${got} (${last.body.length} bytes); the mirror may be mid-sync, try again later`,
    );
  }
  writeCachedIndex(options.cacheDir, entry, last.body);
  return last.body;
}

/**
 * Download (or read from cacheDir) `dists/<suite>/<component>/binary-<arch>/Packages.gz`, check its
 * size and sha256 against the suite's InRelease, and parse it. With `Acquire-By-Hash: yes` the
 * `by-hash/SHA256/<sha256>` copy is fetched first, as apt does, because it cannot change under us
 * while the mirror syncs; the plain path is the fallback. Any failure is a UserError naming the URL.
 */
export async function fetchPackagesIndex(options: FetchPackagesIndexOptions): Promise<PackagesIndex> {
  const { suite, component, arch } = options;
  const base = suiteUrl(options.mirror, suite);
  const release = options.release ?? (await fetchRelease(options));

  let found: { entry: ReleaseFileEntry; data: Buffer } | undefined;
  let firstMissing: HttpFailure | undefined;
  for (const entry of usableIndexes(release, component, arch)) {
    const got = await obtainIndexFile(entry, release, base, options);
    if (Buffer.isBuffer(got)) {
      found = { entry, data: got };
      break;
    }
    // Debian lists plain `Packages` without serving it, so the first 404 is the one worth reporting.
    firstMissing ??= got;
  }
  if (!found) {
    const missing = firstMissing as HttpFailure;
    const others = otherIndexes(release, `${component}/binary-${arch}`);
    const hint = others.length ? `; it also lists ${others.join(', ')}, but ${UNSUPPORTED_NOTE}` : '';
    throw httpError(missing.url, missing, ` (listed in ${release.url})${hint}`);
  }

  const { entry, data } = found;
  const url = `${base}/${entry.path}`;
  const packages = parsePackages(await indexText(url, data), { source: url, fields: options.fields });
  return { url, suite, component, arch, sha256: entry.sha256, packages };
}

/**
 * Indexes of several components (default: all of DEBIAN_COMPONENTS) for one suite and arch, reading
 * the Release once. Where the Release does not promise that `Architecture: all` packages appear in
 * the per-arch indexes (no `No-Support-for-Architecture-all: Packages`), each component's
 * `binary-all` index is read too when listed, as apt does.
 */
export async function fetchPackagesIndexes(options: FetchPackagesIndexesOptions): Promise<PackagesIndex[]> {
  const release = options.release ?? (await fetchRelease(options));
  const components = options.components ?? DEBIAN_COMPONENTS;
  const jobs: { component: string; arch: string }[] = [];
  for (const component of components) {
    jobs.push({ component, arch: options.arch });
    const hasAll = INDEX_NAMES.some((n) => release.files.has(`${component}/binary-all/${n}`));
    // As apt: binary-all only where the Release names `all` among its architectures (Debian's
    // security archive lists binary-all files it does not name, and apt never reads them).
    const namesAll = release.architectures.length === 0 || release.architectures.includes('all');
    if (!release.archAllInArchIndexes && options.arch !== 'all' && hasAll && namesAll)
      jobs.push({ component, arch: 'all' });
  }
  return Promise.all(jobs.map((j) => fetchPackagesIndex({ ...options, ...j, release })));
}
