// Debian archive as a version data source: read a suite's InRelease, download the Packages indexes
// it lists, check them against its SHA256 lines, and pick package versions by dpkg ordering.
//
// Trust: the InRelease OpenPGP signature is NOT verified. The sha256 check only proves each index is
// the one this InRelease describes (no truncated download, no mirror caught mid-sync); authenticity
// rests on the transport to the mirror. Pins chosen here are installed later by apt inside the image
// build, which does verify signatures: a forged index can only steer a pin to a version that apt
// must then find in the signed archive (or fail to install).
//
// Compression: Packages.gz is used because Node's zlib reads gzip. Node has no xz decoder and this
// package takes no dependency for one, so a suite publishing only Packages.xz is reported as such.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import semver from 'semver';
import { UserError } from '../../errors.js';
import { sha256Hex } from '../../lib/fs.js';
import { clearsignedBody, field, parseDeb822, parsePackages, type DebPackageRecord } from './deb822.js';
import { compareDebVersions, debUpstreamSemver } from './version.js';

const gunzipAsync = promisify(gunzip);
// The default 16 KiB output chunks cost ~40% more time on a 56 MB index than 1 MiB ones.
const GUNZIP_CHUNK = 1 << 20;

/** Every component of Debian's main archive since bookworm. */
export const DEBIAN_COMPONENTS = ['main', 'contrib', 'non-free', 'non-free-firmware'] as const;

// An index of a whole suite is ~13 MB compressed; a slow link needs minutes, a dead one should not hang.
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export type FetchImpl = typeof fetch;

export interface ReleaseFileEntry {
  /** Relative to `dists/<suite>/`, e.g. `main/binary-amd64/Packages.gz`. */
  path: string;
  size: number;
  sha256: string;
}

export interface DebianRelease {
  /** The URL it was read from (InRelease, or Release where there is no InRelease). */
  url: string;
  suite?: string;
  codename?: string;
  components: string[];
  architectures: string[];
  /** `Acquire-By-Hash: yes`: indexes are also served under `by-hash/SHA256/<sha256>`. */
  acquireByHash: boolean;
  /**
   * `No-Support-for-Architecture-all: Packages`: `Architecture: all` packages are listed in every
   * `binary-<arch>/Packages`, so `binary-all` need not be read (Debian's archive says this).
   */
  archAllInArchIndexes: boolean;
  /** SHA256 section, by path. */
  files: Map<string, ReleaseFileEntry>;
}

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

interface CommonOptions {
  /** Archive root, e.g. the value of `debianMirror()`; a trailing slash is ignored. */
  mirror: string;
  suite: string;
  fetchImpl?: FetchImpl;
  /** Per download; default 5 minutes. */
  timeoutMs?: number;
}

export interface FetchPackagesIndexOptions extends CommonOptions {
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

function trimMirror(mirror: string): string {
  return mirror.replace(/\/+$/, '');
}

function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND) in `cause`.
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return err.message;
}

type Download = { ok: true; body: Buffer } | { ok: false; status: number; statusText: string };

async function download(url: string, fetchImpl: FetchImpl, timeoutMs: number): Promise<Download> {
  let res: Response;
  try {
    res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    if (err instanceof Error && err.name === 'TimeoutError') {
      throw new UserError(`timed out after ${timeoutMs / 1000}s fetching ${url}`);
    }
    throw new UserError(`cannot reach ${url}: ${describeCause(err)}`);
  }
  if (!res.ok) {
    // Drain so the connection can be reused; the body of an error page is of no interest.
    await res.arrayBuffer().catch(() => undefined);
    return { ok: false, status: res.status, statusText: res.statusText };
  }
  try {
    return { ok: true, body: Buffer.from(await res.arrayBuffer()) };
  } catch (err) {
    throw new UserError(`download of ${url} failed: ${describeCause(err)}`);
  }
}

function httpError(url: string, d: { status: number; statusText: string }, hint = ''): UserError {
  return new UserError(`${url}: HTTP ${d.status}${d.statusText ? ` ${d.statusText}` : ''}${hint}`);
}

/** Parse the text of an InRelease (clear-signed; signature not checked) or Release file. */
export function parseRelease(text: string, url: string): DebianRelease {
  const stanzas = parseDeb822(clearsignedBody(text, url), { source: url });
  if (stanzas.length !== 1) throw new UserError(`${url}: expected one stanza in a Release file, found ${stanzas.length}`);
  const s = stanzas[0];
  const words = (name: string) => (field(s, name) ?? '').split(/\s+/).filter(Boolean);
  const files = new Map<string, ReleaseFileEntry>();
  const section = field(s, 'SHA256');
  if (!section) throw new UserError(`${url}: no SHA256 section, so downloaded indexes cannot be checked`);
  for (const line of section.split('\n')) {
    if (!line.trim()) continue;
    const m = /^\s*([0-9a-fA-F]{64})\s+(\d+)\s+(\S+)\s*$/.exec(line);
    if (!m) throw new UserError(`${url}: malformed SHA256 line ${JSON.stringify(line)}`);
    files.set(m[3], { path: m[3], size: Number(m[2]), sha256: m[1].toLowerCase() });
  }
  return {
    url,
    suite: field(s, 'Suite'),
    codename: field(s, 'Codename'),
    components: words('Components'),
    architectures: words('Architectures'),
    acquireByHash: field(s, 'Acquire-By-Hash')?.toLowerCase() === 'yes',
    archAllInArchIndexes: words('No-Support-for-Architecture-all').includes('Packages'),
    files,
  };
}

/** Read `dists/<suite>/InRelease`, or `dists/<suite>/Release` where a repository has no InRelease. */
export async function fetchRelease(options: CommonOptions): Promise<DebianRelease> {
  const base = `${trimMirror(options.mirror)}/dists/${options.suite}`;
  const fetchImpl = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const inRelease = `${base}/InRelease`;
  const first = await download(inRelease, fetchImpl, timeoutMs);
  if (first.ok) return parseRelease(first.body.toString('utf8'), inRelease);
  if (first.status !== 404) throw httpError(inRelease, first);
  const release = `${base}/Release`;
  const second = await download(release, fetchImpl, timeoutMs);
  if (second.ok) return parseRelease(second.body.toString('utf8'), release);
  if (second.status === 404) {
    throw new UserError(`${inRelease}: HTTP 404, and no Release either: does this mirror serve suite '${options.suite}'?`);
  }
  throw httpError(release, second);
}

// Best first. `Packages` (uncompressed) is usually listed but not served by Debian mirrors; it is
// still tried before giving up because some repositories do serve it.
const INDEX_NAMES = ['Packages.gz', 'Packages'] as const;

const UNSUPPORTED_NOTE = 'accelbase reads only Packages.gz and plain Packages (Node has no xz/bzip2 decoder and no dependency is taken for one)';

/** The listed indexes we can read, best first; a UserError when there are none. */
function usableIndexes(release: DebianRelease, component: string, arch: string): ReleaseFileEntry[] {
  const dir = `${component}/binary-${arch}`;
  if (release.components.length && !release.components.includes(component)) {
    throw new UserError(`${release.url} has no component '${component}' (it has: ${release.components.join(', ')})`);
  }
  const usable = INDEX_NAMES.flatMap((name) => release.files.get(`${dir}/${name}`) ?? []);
  if (usable.length) return usable;
  const others = otherIndexes(release, dir);
  if (others.length) throw new UserError(`${release.url} lists only ${others.join(', ')} for ${dir}; ${UNSUPPORTED_NOTE}`);
  throw new UserError(
    `${release.url} lists no Packages index for ${dir} (architectures: ${release.architectures.join(', ') || 'not stated'})`,
  );
}

function otherIndexes(release: DebianRelease, dir: string): string[] {
  const usable = new Set(INDEX_NAMES.map((n) => `${dir}/${n}`));
  return [...release.files.keys()].filter((p) => p.startsWith(`${dir}/Packages.`) && !usable.has(p));
}

function cachePath(cacheDir: string, sha256: string): string {
  return join(cacheDir, 'sha256', sha256);
}

async function readCached(cacheDir: string | undefined, entry: ReleaseFileEntry): Promise<Buffer | undefined> {
  if (!cacheDir) return undefined;
  const path = cachePath(cacheDir, entry.sha256);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    return undefined;
  }
  // Re-hash: a cache file cut short by a crash or edited by hand must not be trusted by its name.
  if (data.length === entry.size && sha256Hex(data) === entry.sha256) return data;
  await rm(path, { force: true });
  return undefined;
}

async function writeCached(cacheDir: string | undefined, entry: ReleaseFileEntry, data: Buffer): Promise<void> {
  if (!cacheDir) return;
  const path = cachePath(cacheDir, entry.sha256);
  await mkdir(join(cacheDir, 'sha256'), { recursive: true });
  // Write then rename, so a concurrent reader never sees half a file.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
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
  const cached = await readCached(options.cacheDir, entry);
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
    throw new UserError(
      `${canonical}: sha256 mismatch: ${release.url} lists ${entry.sha256} (${entry.size} bytes), downloaded ${got} (${last.body.length} bytes); the mirror may be mid-sync, try again later`,
    );
  }
  await writeCached(options.cacheDir, entry, last.body);
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
  const mirror = trimMirror(options.mirror);
  const base = `${mirror}/dists/${suite}`;
  const release = options.release ?? (await fetchRelease({ ...options, mirror }));

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
  let text: string;
  try {
    text = entry.path.endsWith('.gz') ? (await gunzipAsync(data, { chunkSize: GUNZIP_CHUNK })).toString('utf8') : data.toString('utf8');
  } catch (err) {
    throw new UserError(`${url}: cannot decompress: ${describeCause(err)}`);
  }
  const packages = parsePackages(text, { source: url, fields: options.fields });
  return { url, suite, component, arch, sha256: entry.sha256, packages };
}

/**
 * Indexes of several components (default: all of DEBIAN_COMPONENTS) for one suite and arch, reading
 * the Release once. Where the Release does not promise that `Architecture: all` packages appear in
 * the per-arch indexes (no `No-Support-for-Architecture-all: Packages`), each component's
 * `binary-all` index is read too when listed, as apt does.
 */
export async function fetchPackagesIndexes(options: FetchPackagesIndexesOptions): Promise<PackagesIndex[]> {
  const mirror = trimMirror(options.mirror);
  const release = options.release ?? (await fetchRelease({ ...options, mirror }));
  const components = options.components ?? DEBIAN_COMPONENTS;
  const jobs: { component: string; arch: string }[] = [];
  for (const component of components) {
    jobs.push({ component, arch: options.arch });
    const hasAll = INDEX_NAMES.some((n) => release.files.has(`${component}/binary-all/${n}`));
    if (!release.archAllInArchIndexes && options.arch !== 'all' && hasAll) jobs.push({ component, arch: 'all' });
  }
  return Promise.all(jobs.map((j) => fetchPackagesIndex({ ...options, ...j, mirror, release })));
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
