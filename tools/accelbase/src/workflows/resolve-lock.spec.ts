import { afterEach, expect, test } from 'vitest';
import { parseCatalog, parseLock } from '../catalog/load.js';
import { emptyLock } from '../catalog/lock.js';
import { serializeLock } from '../catalog/lock.js';
import { updateLock } from './resolve-lock.js';
import { archive, closeServers, serve, smallSuite } from '../test/archive.js';

afterEach(closeServers);

// A catalog on bookworm whose packages exist in the fixture archive served on 127.0.0.1.
const catalogText = (extra = '') => `version: 1
registry: { namespace: t }
defaultDistribution: bookworm
distributions: { bookworm: { version: "12", python: "3.11" } }
minideb: { distributions: [bookworm], platforms: [linux/amd64, linux/arm64], smoke: { command: ["true"], expect: "." } }
sources:
  debian: { type: debian, components: [main] }
  nonfree: { type: debian, components: [non-free] }
  gone: { type: pip, index: "https://127.0.0.1:1/simple" }
accelerators:
  opencl:
    description: x
    variants:
      pocl:
        base: minideb:bookworm
        runtime: pocl-opencl-icd
        packages: [{ name: pocl-opencl-icd, version: "<6" }, clinfo]
        smoke: { command: [clinfo], expect: "." }
      nvidia:
        base: minideb:bookworm
        platforms: [linux/amd64]
        runtime: nvidia-opencl-icd
        packages: [{ name: nvidia-opencl-icd, source: nonfree }${extra}]
        smoke: { command: [clinfo], expect: "." }
`;

test('Debian packages resolve across <suite>, -updates and -security: a security fix is pinned to, not away from', async () => {
  const a = await archive();
  const fix = (arch: string) =>
    `Package: pocl-opencl-icd\nVersion: 3.1-3+deb12u2\nArchitecture: ${arch}\n\nPackage: unrelated\nVersion: 1.0-1\nArchitecture: ${arch}\n`;
  const security = await serve(
    smallSuite('/debian-security', 'bookworm-security', {
      'main/binary-amd64/Packages': fix('amd64'),
      'main/binary-arm64/Packages': fix('arm64'),
    }),
  );
  const { model } = parseCatalog('catalog.yaml', catalogText(), new Set());
  const { lock, unresolved } = await updateLock(model, emptyLock(), {
    mirror: a.url,
    securityMirror: security.url.replace(/\/debian$/, '/debian-security'),
    today: '2026-11-28',
  });
  expect(unresolved).toEqual([]);
  expect(lock.images['opencl-pocl'].platforms['linux/amd64']?.packages['pocl-opencl-icd']).toBe('3.1-3+deb12u2');
  expect(lock.images['opencl-pocl'].platforms['linux/arm64']?.packages['pocl-opencl-icd']).toBe('3.1-3+deb12u2');
  // -updates is not served by this archive: left out, not an error.
  expect(a.requests).toContain('/debian/dists/bookworm-updates/InRelease');
});

test('resolves the newest allowed version per platform from real-format Packages indexes', async () => {
  const a = await archive();
  const { model } = parseCatalog('catalog.yaml', catalogText(), new Set());
  const { lock, changes, unresolved } = await updateLock(model, emptyLock(), { mirror: a.url, today: '2026-11-28' });
  expect(unresolved).toEqual([]);
  expect(lock.images['opencl-pocl']).toEqual({
    updated: '2026-11-28',
    platforms: {
      // 6.0-6~bpo12+1 is newer but outside "<6"; +deb12u1 sorts after 3.1-3 by dpkg ordering.
      'linux/amd64': { packages: { 'pocl-opencl-icd': '3.1-3+deb12u1', clinfo: '3.0.25.02.14-1~bpo12+1' } },
      'linux/arm64': { packages: { 'pocl-opencl-icd': '3.1-3+deb12u1', clinfo: '3.0.23.01.25-1' } },
    },
  });
  expect(lock.images['opencl-nvidia'].platforms['linux/amd64']).toEqual({
    packages: { 'nvidia-opencl-icd': '535.247.01-1~deb12u1' },
  });
  expect(changes).toHaveLength(5);
  expect(changes[0]).toEqual({
    image: 'opencl-pocl',
    platform: 'linux/amd64',
    package: 'pocl-opencl-icd',
    to: '3.1-3+deb12u1',
  });

  // The written lock reads back, and a second run changes nothing (a quiet night).
  const again = parseLock('catalog.lock.yaml', serializeLock(lock), model);
  expect(again).toEqual(lock);
  const second = await updateLock(model, again, { mirror: a.url, today: '2026-11-29' });
  expect(second.changes).toEqual([]);
  expect(second.lock).toEqual(lock);
});

test('an unreachable source is reported, and what was locked before is kept, never guessed', async () => {
  const a = await archive();
  const { model } = parseCatalog('catalog.yaml', catalogText(', { name: numpy, source: gone }'), new Set());
  const previous = emptyLock();
  previous.images['opencl-nvidia'] = {
    updated: '2026-01-01',
    platforms: { 'linux/amd64': { packages: { 'nvidia-opencl-icd': '535.247.01-1~deb12u1', numpy: '1.26.4' } } },
  };
  const { lock, unresolved } = await updateLock(model, previous, { mirror: a.url, today: '2026-11-28' });
  expect(unresolved).toHaveLength(1);
  expect(unresolved[0]).toMatchObject({ image: 'opencl-nvidia', package: 'numpy', source: 'gone' });
  expect(unresolved[0].reason).toMatch(/^cannot reach https:\/\/127\.0\.0\.1:1\/pypi\/numpy\/json/);
  expect(lock.images['opencl-nvidia']).toEqual(previous.images['opencl-nvidia']);
});

test('a package missing from the index is unresolved with the reason', async () => {
  const a = await archive();
  const { model } = parseCatalog(
    'catalog.yaml',
    catalogText().replace('clinfo]', 'clinfo, no-such-package]'),
    new Set(),
  );
  const { unresolved } = await updateLock(model, emptyLock(), { mirror: a.url, today: '2026-11-28' });
  expect(unresolved.map((u) => `${u.platform} ${u.package}: ${u.reason}`)).toEqual([
    'linux/amd64 no-such-package: no version in debian',
    'linux/arm64 no-such-package: no version in debian',
  ]);
});

test('a bug is not reported as an unresolved package: anything but a source error propagates', async () => {
  const { model } = parseCatalog('catalog.yaml', catalogText(), new Set());
  // Not a Response: reading it is a TypeError inside the download, which no source may swallow.
  const fetchImpl = (async () => ({})) as unknown as typeof fetch;
  await expect(
    updateLock(model, emptyLock(), { mirror: 'http://127.0.0.1:1/debian', today: '2026-11-28', fetchImpl }),
  ).rejects.toThrow(TypeError);
});
