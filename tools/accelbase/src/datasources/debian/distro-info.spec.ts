import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { IntegrityError } from '../../errors.js';
import { deb, signedArchiveRoutes } from '../../test/apt-archive.js';
import { closeServers, serve } from '../../test/archive.js';
import { makeSigningKey, type SigningKey } from '../../test/signing.js';
import { fetchDistroInfo, parseDebianCsv } from './distro-info.js';

// debian.csv as distro-info-data 0.66 ships it (an excerpt: its columns, and rows with and without dates).
const CSV = `version,codename,series,created,release,eol,eol-lts,eol-elts
11,Bullseye,bullseye,2019-07-06,2021-08-14,2024-08-14,2026-08-31,2031-06-30
12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-07-11,2028-06-30,2033-06-30
13,Trixie,trixie,2023-06-10,2025-08-09,2028-08-09,2030-06-30,2035-06-30
14,Forky,forky,2025-08-09
,Sid,sid,1993-08-16
`;

describe('debian.csv', () => {
  test.each([
    [
      'bullseye',
      { version: '11', release: '2021-08-14', eol: '2024-08-14', eolLts: '2026-08-31', eolElts: '2031-06-30' },
    ],
    ['forky', { version: '14', release: undefined, eol: undefined, eolLts: undefined }],
    ['sid', { version: undefined, eol: undefined }],
  ])('%s', (series, expected) => {
    expect(parseDebianCsv(CSV, 'debian.csv').get(series)).toMatchObject({ codename: series, ...expected });
  });

  test('a file without its columns is refused, naming it', () => {
    expect(() => parseDebianCsv('a,b\n1,2\n', 'x.deb:/debian.csv')).toThrow(
      'x.deb:/debian.csv: not debian.csv (no series or eol column)',
    );
  });
});

describe('distro-info-data from a signed archive (a local one on 127.0.0.1)', () => {
  let work: string;
  let key: SigningKey;
  const pkg = (version: string, csv: string) =>
    deb(
      join(work, version),
      {
        Package: 'distro-info-data',
        Version: version,
        Architecture: 'all',
        Maintainer: 'accelbase tests <tests@example.invalid>',
        Description: 'information about the distributions releases (data files)',
      },
      { 'usr/share/distro-info/debian.csv': [0o644, csv] },
    );
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'accelbase-distro-info-'));
    key = makeSigningKey('distro-info test archive');
  });
  afterEach(closeServers);
  afterAll(() => {
    key.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  test('the newest version is read, verified, and its debian.csv parsed', async () => {
    const routes = signedArchiveRoutes([pkg('0.60', 'version,codename,series,eol\n'), pkg('0.66', CSV)], key, [
      'amd64',
    ]);
    const a = await serve(routes);
    const info = await fetchDistroInfo({ mirror: a.url, keyring: key.keyring, dist: 'stable', arch: 'amd64' });
    expect(info.from).toBe('0.66 (stable)');
    expect(info.releases.get('bullseye')?.eolLts).toBe('2026-08-31');
    expect(a.requests).toContain('/debian/pool/main/distro-info-data_0.66_all.deb');
    expect(a.requests).not.toContain('/debian/pool/main/distro-info-data_0.60_all.deb');
  });

  test('a package that differs from its signed index is refused', async () => {
    const routes = signedArchiveRoutes([pkg('0.66', CSV)], key, ['amd64']);
    const path = '/debian/pool/main/distro-info-data_0.66_all.deb';
    const tampered = Buffer.from(routes.get(path)!);
    tampered[tampered.length - 1] ^= 1;
    routes.set(path, tampered);
    const a = await serve(routes);
    await expect(
      fetchDistroInfo({ mirror: a.url, keyring: key.keyring, dist: 'stable', arch: 'amd64' }),
    ).rejects.toThrow(IntegrityError);
  });

  test('an index signed by another key is refused before any package is read', async () => {
    const stranger = makeSigningKey('not the archive');
    try {
      const a = await serve(signedArchiveRoutes([pkg('0.66', CSV)], stranger, ['amd64']));
      await expect(
        fetchDistroInfo({ mirror: a.url, keyring: key.keyring, dist: 'stable', arch: 'amd64' }),
      ).rejects.toThrow(/InRelease: signed by key [0-9A-F]{16}, which is not in /);
      expect(a.requests.some((r) => r.includes('/pool/'))).toBe(false);
    } finally {
      stranger.dispose();
    }
  });

  test('an archive without the package says so', async () => {
    const a = await serve(signedArchiveRoutes([], key, ['amd64']));
    await expect(
      fetchDistroInfo({ mirror: a.url, keyring: key.keyring, dist: 'stable', arch: 'amd64' }),
    ).rejects.toThrow(`distro-info-data is not in stable (main) on ${a.url}`);
  });
});
