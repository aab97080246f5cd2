// A suite's Release file (InRelease, or Release where a repository has none): what it lists and
// the sha256 every index it lists must have.
//
// Trust: the InRelease OpenPGP signature is NOT verified. The sha256 check only proves each index is
// the one this InRelease describes (no truncated download, no mirror caught mid-sync); authenticity
// rests on the transport to the mirror. Pins chosen here are installed later by apt inside the image
// build, which does verify signatures: a forged index can only steer a pin to a version that apt
// must then find in the signed archive (or fail to install).
import { IntegrityError, MissingSuiteError, UserError } from '../../errors.js';
import { verifySignature } from './signature.js';
import { download, httpError, type FetchImpl } from '../../lib/http.js';
import { clearsignedBody, field, parseDeb822 } from './deb822.js';

// An index of a whole suite is ~13 MB compressed; a slow link needs minutes, a dead one should not hang.
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

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
  /** `Date:` as seconds since the epoch (a rootfs takes its SOURCE_DATE_EPOCH from it). */
  date?: number;
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

export interface SuiteOptions {
  /** Archive root, e.g. the value of `debianMirror()`; a trailing slash is ignored. */
  mirror: string;
  suite: string;
  fetchImpl?: FetchImpl;
  /** Per download; default 5 minutes. */
  timeoutMs?: number;
  /** Verify the Release's OpenPGP signature against this keyring (absolute path); undefined: not checked. */
  keyring?: string;
}

/** `<mirror>/dists/<suite>`, the folder a suite's Release and indexes are in. */
export function suiteUrl(mirror: string, suite: string): string {
  return `${mirror.replace(/\/+$/, '')}/dists/${suite}`;
}

const releaseDate = (date: string | undefined): number | undefined => {
  const ms = date ? Date.parse(date) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
};

/** Parse the text of an InRelease (clear-signed; signature not checked) or Release file. */
export function parseRelease(text: string, url: string): DebianRelease {
  const stanzas = parseDeb822(clearsignedBody(text, url), { source: url });
  if (stanzas.length !== 1)
    throw new UserError(`${url}: expected one stanza in a Release file, found ${stanzas.length}`);
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
    date: releaseDate(field(s, 'Date')),
    // Debian's security archive says `updates/main` and lists the files under `main/`, as apt reads it.
    components: words('Components').map((c) => c.slice(c.lastIndexOf('/') + 1)),
    architectures: words('Architectures'),
    acquireByHash: field(s, 'Acquire-By-Hash')?.toLowerCase() === 'yes',
    archAllInArchIndexes: words('No-Support-for-Architecture-all').includes('Packages'),
    files,
  };
}

/** Read `dists/<suite>/InRelease`, or `dists/<suite>/Release` where a repository has no InRelease. */
export async function fetchRelease(options: SuiteOptions): Promise<DebianRelease> {
  const base = suiteUrl(options.mirror, options.suite);
  const fetchImpl = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const inRelease = `${base}/InRelease`;
  const first = await download(inRelease, fetchImpl, timeoutMs);
  if (first.ok) {
    if (options.keyring) await verifySignature(inRelease, options.keyring, first.body);
    return parseRelease(first.body.toString('utf8'), inRelease);
  }
  if (first.status !== 404) throw httpError(inRelease, first);
  const release = `${base}/Release`;
  const second = await download(release, fetchImpl, timeoutMs);
  if (second.ok) {
    if (options.keyring) {
      const signature = await download(`${release}.gpg`, fetchImpl, timeoutMs);
      if (!signature.ok)
        throw new IntegrityError(`${release}: unsigned (no InRelease, and ${release}.gpg: HTTP ${signature.status})`);
      await verifySignature(release, options.keyring, second.body, signature.body);
    }
    return parseRelease(second.body.toString('utf8'), release);
  }
  if (second.status === 404) {
    throw new MissingSuiteError(
      `${inRelease}: HTTP 404, and no Release either: does this mirror serve suite '${options.suite}'?`,
    );
  }
  throw httpError(release, second);
}
