// Debian's release calendar: distro-info-data's debian.csv, taken from the signed archive like any
// other package. The suite's Release signature is checked (keyring), the Packages index against the
// Release, and the .deb against the index's SHA256 and Size; only then is the CSV read out of it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrityError, MissingSuiteError, UserError } from '../../errors.js';
import { run } from '../../exec.js';
import { sha256Hex } from '../../lib/fs.js';
import { download, httpError, type FetchImpl } from '../../lib/http.js';
import type { DebPackageRecord } from './deb822.js';
import { fetchPackagesIndexes } from './packages-index.js';
import { DEFAULT_TIMEOUT_MS, fetchRelease } from './release.js';
import { updateSources } from './suites.js';
import { compareDebVersions } from '../../versioning/debian.js';

export const DISTRO_INFO_PACKAGE = 'distro-info-data';
const CSV_PATH = 'usr/share/distro-info/debian.csv';

/** One row of debian.csv: the dates Debian publishes for a release. */
export interface DebianReleaseDates {
  codename: string;
  version?: string;
  release?: string;
  /** End of regular security support. */
  eol?: string;
  /** End of LTS. */
  eolLts?: string;
  /** End of Extended LTS (paid, outside Debian's archive). */
  eolElts?: string;
}

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** Parse debian.csv (`version,codename,series,created,release,eol,eol-lts,eol-elts`), keyed by series. */
export function parseDebianCsv(text: string, source: string): Map<string, DebianReleaseDates> {
  const [head, ...rows] = text.split('\n').filter((l) => l.trim() !== '');
  const columns = (head ?? '').split(',').map((c) => c.trim());
  const col = (name: string) => columns.indexOf(name);
  if (col('series') < 0 || col('eol') < 0) throw new UserError(`${source}: not debian.csv (no series or eol column)`);
  const out = new Map<string, DebianReleaseDates>();
  for (const row of rows) {
    const cells = row.split(',').map((c) => c.trim());
    const get = (name: string) => {
      const v = col(name) >= 0 ? cells[col(name)] : undefined;
      return v && DATE.test(v) ? v : undefined;
    };
    const series = cells[col('series')];
    if (!series) continue;
    out.set(series, {
      codename: series,
      version: cells[col('version')] || undefined,
      release: get('release'),
      eol: get('eol'),
      eolLts: get('eol-lts'),
      eolElts: get('eol-elts'),
    });
  }
  return out;
}

export interface DistroInfoOptions {
  mirror: string;
  securityMirror?: string;
  keyring?: string;
  /** The distribution whose suites (`<dist>`, `-updates`, `-security`) the package is read from. */
  dist: string;
  /** Any architecture the suites serve: the package is `Architecture: all`. */
  arch: string;
  cacheDir?: string;
  fetchImpl?: FetchImpl;
}

export interface DistroInfo {
  /** `<version> (<suite>)` of the package read. */
  from: string;
  releases: Map<string, DebianReleaseDates>;
}

/** The newest distro-info-data across the distribution's suites, with the mirror it is served from. */
async function newestRecord(
  o: DistroInfoOptions,
): Promise<{ record: DebPackageRecord; mirror: string; suite: string }> {
  let best: { record: DebPackageRecord; mirror: string; suite: string } | undefined;
  for (const s of updateSources(o.mirror, o.dist, o.securityMirror)) {
    let indexes: Awaited<ReturnType<typeof fetchPackagesIndexes>>;
    try {
      const release = await fetchRelease({
        mirror: s.mirror,
        suite: s.suite,
        keyring: o.keyring,
        fetchImpl: o.fetchImpl,
      });
      if (!release.components.includes('main') && release.components.length) continue;
      indexes = await fetchPackagesIndexes({
        mirror: s.mirror,
        suite: s.suite,
        release,
        components: ['main'],
        arch: o.arch,
        keyring: o.keyring,
        cacheDir: o.cacheDir,
        fetchImpl: o.fetchImpl,
        fields: ['Filename', 'SHA256', 'Size'],
      });
    } catch (e) {
      if (s.suite === o.dist || !(e instanceof MissingSuiteError)) throw e;
      continue;
    }
    for (const index of indexes)
      for (const record of index.packages)
        if (
          record.Package === DISTRO_INFO_PACKAGE &&
          (!best || compareDebVersions(record.Version, best.record.Version) > 0)
        )
          best = { record, mirror: s.mirror, suite: s.suite };
  }
  if (!best) throw new UserError(`${DISTRO_INFO_PACKAGE} is not in ${o.dist} (main) on ${o.mirror}`);
  return best;
}

/** Read debian.csv out of the newest distro-info-data of `dist`, every step verified. */
export async function fetchDistroInfo(o: DistroInfoOptions): Promise<DistroInfo> {
  const { record, mirror, suite } = await newestRecord(o);
  const { Filename: file, SHA256: sha256, Size: size } = record;
  if (!file || !sha256 || !size || file.includes('..'))
    throw new UserError(
      `${DISTRO_INFO_PACKAGE} ${record.Version} in ${suite}: index record lacks Filename, SHA256 or Size`,
    );
  const url = `${mirror.replace(/\/+$/, '')}/${file}`;
  const got = await download(url, o.fetchImpl ?? fetch, DEFAULT_TIMEOUT_MS);
  if (!got.ok) throw httpError(url, got);
  if (sha256Hex(got.body) !== sha256 || got.body.length !== Number(size))
    throw new IntegrityError(`${url}: sha256 or size differs from the signed index (${sha256}, ${size} bytes)`);
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-distro-info-'));
  try {
    const deb = join(dir, 'package.deb');
    writeFileSync(deb, got.body);
    await run('dpkg-deb', ['--extract', deb, join(dir, 'root')]);
    const source = `${DISTRO_INFO_PACKAGE} ${record.Version}:/${CSV_PATH}`;
    let text: string;
    try {
      text = readFileSync(join(dir, 'root', CSV_PATH), 'utf8');
    } catch {
      throw new UserError(`${source}: not in the package`);
    }
    return { from: `${record.Version} (${suite})`, releases: parseDebianCsv(text, source) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
