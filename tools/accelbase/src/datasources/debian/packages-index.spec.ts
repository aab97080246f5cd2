import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { UserError } from '../../errors.js';
import { archive, closeServers, sha256, SUITE_DIR, type Archive } from '../../test/archive.js';
import { fetchPackagesIndex, fetchPackagesIndexes } from './packages-index.js';
import { resolveDebianPackage } from './resolve.js';

afterEach(closeServers);

const fetchMain = (a: Archive, extra: Partial<Parameters<typeof fetchPackagesIndex>[0]> = {}) =>
  fetchPackagesIndex({ mirror: a.url, suite: 'bookworm', component: 'main', arch: 'amd64', ...extra });

describe('fetchPackagesIndex', () => {
  test('reads InRelease, then the by-hash copy of Packages.gz, and parses it', async () => {
    const a = await archive();
    const index = await fetchMain(a);
    expect(index.url).toBe(`${a.url}/dists/bookworm/main/binary-amd64/Packages.gz`);
    expect(index).toMatchObject({ suite: 'bookworm', component: 'main', arch: 'amd64' });
    expect(index.packages).toHaveLength(12);
    expect(a.requests).toEqual([
      '/debian/dists/bookworm/InRelease',
      `/debian/dists/bookworm/main/binary-amd64/by-hash/SHA256/${index.sha256}`,
    ]);
  });

  test('falls back to the plain path when the by-hash copy is missing', async () => {
    const a = await archive({ serveByHash: false });
    const index = await fetchMain(a);
    expect(index.packages).toHaveLength(12);
    expect(a.requests.at(-1)).toBe('/debian/dists/bookworm/main/binary-amd64/Packages.gz');
  });

  test('uses the plain path directly without Acquire-By-Hash', async () => {
    const a = await archive({ acquireByHash: false });
    await fetchMain(a);
    expect(a.requests).toEqual([
      '/debian/dists/bookworm/InRelease',
      '/debian/dists/bookworm/main/binary-amd64/Packages.gz',
    ]);
  });

  test('reads an unsigned Release where there is no InRelease', async () => {
    const a = await archive({ signed: false });
    const index = await fetchMain(a);
    expect(index.packages).toHaveLength(12);
    expect(a.requests.slice(0, 2)).toEqual(['/debian/dists/bookworm/InRelease', '/debian/dists/bookworm/Release']);
  });

  test('puts the arch in the URL (arm64)', async () => {
    const a = await archive();
    const index = await fetchMain(a, { arch: 'arm64' });
    expect(index.url).toBe(`${a.url}/dists/bookworm/main/binary-arm64/Packages.gz`);
    expect(resolveDebianPackage(index, 'clinfo')).toEqual({ version: '3.0.23.01.25-1', architecture: 'arm64' });
  });

  test('sha256 mismatch is an error naming the URL and both hashes', async () => {
    const a = await archive({ acquireByHash: false });
    const path = '/debian/dists/bookworm/main/binary-amd64/Packages.gz';
    const good = a.routes.get(path) as Buffer;
    // Same size, different content: only the hash can tell.
    const bad = Buffer.from(good);
    bad[bad.length - 5] ^= 0xff;
    a.routes.set(path, bad);
    const err = await fetchMain(a).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`${a.url}/dists/bookworm/main/binary-amd64/Packages.gz: sha256 mismatch`);
    expect((err as Error).message).toContain(sha256(good));
    expect((err as Error).message).toContain(sha256(bad));
  });

  test('an index listed in InRelease but missing on the mirror is a 404 error naming its URL', async () => {
    const a = await archive({ serveByHash: false });
    a.routes.delete('/debian/dists/bookworm/main/binary-amd64/Packages.gz');
    await expect(fetchMain(a)).rejects.toThrow(
      `${a.url}/dists/bookworm/main/binary-amd64/Packages.gz: HTTP 404 Not Found (listed in ${a.url}/dists/bookworm/InRelease)`,
    );
  });

  test('an unknown suite is a 404 error naming the InRelease URL', async () => {
    const a = await archive();
    await expect(fetchMain(a, { suite: 'duke' })).rejects.toThrow(
      `${a.url}/dists/duke/InRelease: HTTP 404, and no Release either: does this mirror serve suite 'duke'?`,
    );
  });

  test('an HTTP error other than 404 on InRelease is reported as is', async () => {
    const a = await archive();
    a.server.removeAllListeners('request');
    a.server.on('request', (_req, res) => res.writeHead(503, 'Service Unavailable').end());
    await expect(fetchMain(a)).rejects.toThrow(`${a.url}/dists/bookworm/InRelease: HTTP 503 Service Unavailable`);
  });

  test('an unreachable mirror is an error naming the URL, not a guess', async () => {
    const a = await archive();
    await new Promise((r) => a.server.close(r)); // the port is now closed
    const err = await fetchMain(a).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      new RegExp(`^cannot reach ${a.url.replace(/\./g, '\\.')}/dists/bookworm/InRelease: .*ECONNREFUSED`),
    );
  });

  test('a mirror that does not answer times out with the URL', async () => {
    const a = await archive({ acquireByHash: false });
    a.routes.set('/debian/dists/bookworm/main/binary-amd64/Packages.gz', 'hang');
    await expect(fetchMain(a, { timeoutMs: 300 })).rejects.toThrow(
      `timed out after 0.3s fetching ${a.url}/dists/bookworm/main/binary-amd64/Packages.gz`,
    );
  });

  test('a component the suite does not have', async () => {
    const a = await archive();
    await expect(fetchMain(a, { component: 'restricted' })).rejects.toThrow(
      `${a.url}/dists/bookworm/InRelease has no component 'restricted' (it has: main, contrib, non-free-firmware, non-free)`,
    );
  });

  test('an arch the suite does not have', async () => {
    const a = await archive();
    await expect(fetchMain(a, { arch: 'riscv64' })).rejects.toThrow(/lists no Packages index for main\/binary-riscv64/);
  });

  test('Packages.gz not published, .xz and plain Packages listed but not served: a 404 naming what was tried', async () => {
    const a = await archive({ listGz: false });
    await expect(fetchMain(a)).rejects.toThrow(
      `${a.url}/dists/bookworm/main/binary-amd64/Packages.xz: HTTP 404 Not Found (listed in ${a.url}/dists/bookworm/InRelease)`,
    );
  });

  test("only Packages.xz published (as Debian's -updates and -security suites are): read through xz", async () => {
    const a = await archive({ listGz: false, listPlain: false, acquireByHash: false, serveXz: true });
    const index = await fetchMain(a);
    expect(index.url).toBe(`${a.url}/dists/bookworm/main/binary-amd64/Packages.xz`);
    expect(index.packages).toHaveLength(12);
  });

  test('a corrupt Packages.xz whose sha256 matches is a clear decompression error', async () => {
    const a = await archive({ listGz: false, listPlain: false, acquireByHash: false, serveXz: true });
    const path = '/debian/dists/bookworm/main/binary-amd64/Packages.xz';
    const bogus = Buffer.from('not xz at all');
    a.routes.set(path, bogus);
    const inRelease = (a.routes.get('/debian/dists/bookworm/InRelease') as Buffer).toString();
    const good = /([0-9a-f]{64})\s+(\d+) main\/binary-amd64\/Packages\.xz/.exec(
      inRelease.slice(inRelease.indexOf('SHA256:')),
    )!;
    a.routes.set(
      '/debian/dists/bookworm/InRelease',
      Buffer.from(
        inRelease.replace(
          `${good[1]} ${good[2].padStart(8)} main/binary-amd64/Packages.xz`,
          `${sha256(bogus)} ${String(bogus.length).padStart(8)} main/binary-amd64/Packages.xz`,
        ),
      ),
    );
    await expect(fetchMain(a)).rejects.toThrow(
      `${a.url}/dists/bookworm/main/binary-amd64/Packages.xz: cannot decompress`,
    );
  });

  test('serves plain Packages where a repository publishes it uncompressed', async () => {
    const a = await archive({ listGz: false, acquireByHash: false });
    a.routes.set(
      '/debian/dists/bookworm/main/binary-amd64/Packages',
      readFileSync(join(SUITE_DIR, 'main/binary-amd64/Packages')),
    );
    const index = await fetchMain(a);
    expect(index.url).toBe(`${a.url}/dists/bookworm/main/binary-amd64/Packages`);
    expect(index.packages).toHaveLength(12);
  });

  test('caches by sha256: a second fetch downloads only InRelease; a corrupt cache file is replaced', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'accelbase-debian-cache-'));
    try {
      const a = await archive();
      const first = await fetchMain(a, { cacheDir });
      expect(await readdir(join(cacheDir, 'sha256'))).toEqual([first.sha256]);

      a.requests.length = 0;
      const second = await fetchMain(a, { cacheDir });
      expect(a.requests).toEqual(['/debian/dists/bookworm/InRelease']);
      expect(second.packages).toEqual(first.packages);

      await writeFile(join(cacheDir, 'sha256', first.sha256), 'garbage');
      a.requests.length = 0;
      const third = await fetchMain(a, { cacheDir });
      expect(a.requests).toHaveLength(2);
      expect(third.packages).toHaveLength(12);
      expect(sha256(readFileSync(join(cacheDir, 'sha256', first.sha256)))).toBe(first.sha256);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  test('fields option trims records', async () => {
    const a = await archive();
    const index = await fetchMain(a, { fields: ['Depends'] });
    expect(Object.keys(index.packages[0]).sort()).toEqual(['Architecture', 'Depends', 'Package', 'Version']);
  });
});

describe('fetchPackagesIndexes', () => {
  test('across components: main, contrib, non-free, non-free-firmware, reading InRelease once', async () => {
    const a = await archive();
    const indexes = await fetchPackagesIndexes({ mirror: a.url, suite: 'bookworm', arch: 'amd64' });
    expect(indexes.map((i) => i.component)).toEqual(['main', 'contrib', 'non-free', 'non-free-firmware']);
    expect(a.requests.filter((r) => r.endsWith('/InRelease'))).toHaveLength(1);
    expect(resolveDebianPackage(indexes, 'clinfo')?.version).toBe('3.0.25.02.14-1~bpo12+1');
    expect(resolveDebianPackage(indexes, 'glx-alternative-nvidia')).toEqual({
      version: '1.2.2',
      architecture: 'amd64',
    });
    expect(resolveDebianPackage(indexes, 'nvidia-opencl-icd')?.version).toBe('535.247.01-1~deb12u1');
    expect(resolveDebianPackage(indexes, 'nvidia-opencl-icd', '~535.216')?.version).toBe('535.216.01-1~deb12u1');
    // firmware-misc-nonfree moved from non-free to non-free-firmware in bookworm: newest wins.
    expect(resolveDebianPackage(indexes, 'firmware-misc-nonfree')).toEqual({
      version: '20230210-5',
      architecture: 'all',
    });
    // Only in binary-all, which this Release says need not be read.
    expect(resolveDebianPackage(indexes, 'firmware-amd-graphics')).toBeUndefined();
  });

  test('reads binary-all too when the Release does not promise arch-all packages in binary-<arch>', async () => {
    const a = await archive({ archAllInArchIndexes: false });
    const indexes = await fetchPackagesIndexes({
      mirror: a.url,
      suite: 'bookworm',
      arch: 'amd64',
      components: ['non-free-firmware'],
    });
    expect(indexes.map((i) => `${i.component}/${i.arch}`)).toEqual([
      'non-free-firmware/amd64',
      'non-free-firmware/all',
    ]);
    expect(resolveDebianPackage(indexes, 'firmware-amd-graphics')).toEqual({
      version: '20230210-5',
      architecture: 'all',
    });
  });
});

test('binary-all is read only where the Release names `all` among its architectures (as apt does)', async () => {
  const { serve, smallSuite } = await import('../../test/archive.js');
  const pkg = (arch: string) => `Package: p\nVersion: 1.0-1\nArchitecture: ${arch}\n`;
  const routes = smallSuite('/debian-security', 'bookworm-security', {
    'main/binary-amd64/Packages': pkg('amd64'),
    'main/binary-all/Packages': pkg('all'),
  });
  const s = await serve(routes);
  const mirror = s.url.replace(/\/debian$/, '/debian-security');
  const indexes = await fetchPackagesIndexes({
    mirror,
    suite: 'bookworm-security',
    components: ['main'],
    arch: 'amd64',
  });
  expect(indexes.map((i) => i.arch)).toEqual(['amd64']);
  expect(s.requests.some((r) => r.includes('binary-all'))).toBe(false);
});
