// Engine tier: the nightly flow end to end against the local registry. Versions come from a fixture
// Debian archive on 127.0.0.1, signed with a key made for the run (its keyring stands in for Debian's,
// and it stands in for the security archive too); images build from the real mirror. Night 1 builds, smoke-tests and
// publishes; night 2 (nothing changed) rebuilds and pushes nothing. Nights 3 and 4 use the real mirror and a local
// archive in place of Debian's security archive: a newer libc6 published there rebuilds minideb and the image on it,
// and the night after rebuilds nothing.
import { envConfig } from '../test/run-config.js';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { engineUp } from '../engine/engine.js';
import { getManifest, listTags } from '../oci/registry.js';
import { createNightlyWorkspace, type NightlyWorkspace } from '../test/nightly-workspace.js';
import { archive, closeServers, type Archive } from '../test/archive.js';
import { makeSigningKey, type SigningKey } from '../test/signing.js';
import { fetchRealDebs, securityArchive, withVersion, type SecurityArchive } from '../test/security-archive.js';
import { Lock } from '../catalog/lock.js';
import { parse } from 'yaml';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const REGISTRY = '127.0.0.1:5000/nightly';

let ws: NightlyWorkspace;
let fixtures: Archive;
let key: SigningKey;
let security: SecurityArchive | undefined;
const archiveEnv = () => ({
  ACCELBASE_DEBIAN_MIRROR: fixtures.url,
  ACCELBASE_DEBIAN_SECURITY_MIRROR: fixtures.url,
  ACCELBASE_DEBIAN_KEYRING: key.keyring,
});

beforeAll(async () => {
  await engineUp(envConfig());
  // The root filesystem comes from the real mirror, before the fixture archive stands in for it.
  ws = await createNightlyWorkspace(repoRoot);
  key = makeSigningKey();
  fixtures = await archive({ key });
});
afterAll(async () => {
  await closeServers();
  security?.dispose();
  key.dispose();
  rmSync(ws.dir, { recursive: true, force: true });
});

test('night 1: versions resolved from the archive, everything built, smoke-tested and published', async () => {
  const r = await ws.accelbase(['nightly', '--registry', REGISTRY, '--json'], archiveEnv());
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  const night = JSON.parse(r.stdout);
  expect(night).toMatchObject({
    lockChanged: true,
    built: [{ name: 'minideb-bookworm' }, { name: 'opencl-pocl' }],
    published: 2,
  });
  const lock = readFileSync(join(ws.dir, 'catalog.lock.yaml'), 'utf8');
  expect(lock).toContain('pocl-opencl-icd: 3.1-3+deb12u1'); // the newest below 6 in the fixture archive
  const tags = await listTags(`${REGISTRY}/opencl-pocl`);
  expect(tags).toEqual(expect.arrayContaining(['latest', 'bookworm', '3.1-bookworm']));
  const published = (await getManifest(`${REGISTRY}/opencl-pocl`, '3.1-bookworm')).digest!;
  expect(lock).toContain(`digest: ${published}`);
  ws.git('add', '-A');
  ws.git('commit', '-q', '-m', 'nightly: lock and publish record');
});

test('night 2, nothing changed: nothing rebuilt, nothing pushed', async () => {
  const before = await listTags(`${REGISTRY}/opencl-pocl`);
  const r = await ws.accelbase(['nightly', '--registry', REGISTRY, '--json'], archiveEnv());
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ lockChanged: false, wanted: [], built: [], published: 0 });
  expect(await listTags(`${REGISTRY}/opencl-pocl`)).toEqual(before);
  expect(ws.git('status', '--porcelain')).toBe('');
});

const installed = (image: string) =>
  Lock.parse(parse(readFileSync(join(ws.dir, 'catalog.lock.yaml'), 'utf8'))).images[image]?.platforms['linux/amd64']
    ?.installed ?? {};
const installedLibc6 = (image: string) => installed(image).libc6;

test('night 3, a newer libc6 in the (local) security archive: minideb and the image on it rebuilt, the changelog says so', async () => {
  security = await securityArchive({ suite: 'bookworm', arch: 'amd64', key });
  const env = { ACCELBASE_DEBIAN_SECURITY_MIRROR: security.url, ACCELBASE_DEBIAN_KEYRING: security.keyring };
  const old = installedLibc6('minideb-bookworm')!;
  expect(old).toBeTruthy();
  expect(installedLibc6('opencl-pocl')).toBe(old);
  // Nothing published yet: the stand-in serves what the real security archive has, so nothing is outdated.
  const quiet = await ws.accelbase(['outdated', 'minideb-bookworm', '--json'], env);
  expect(quiet.exitCode, quiet.stderr.slice(-2000)).toBe(0);
  const newer = `${old}.1`;
  // A glibc security release: every glibc binary the images install moves together (they depend on each other at the exact version).
  const debs = await fetchRealDebs({
    suite: 'bookworm',
    arch: 'amd64',
    source: 'glibc',
    version: old,
    among: Object.keys(installed('opencl-pocl')),
  });
  const published = debs.map((deb) => security!.publish(withVersion(deb, newer)));
  expect(published).toContainEqual({ name: 'libc6', version: newer });
  const outdated = await ws.accelbase(['outdated', '--json'], env);
  expect(outdated.exitCode).toBe(1);
  expect(JSON.parse(outdated.stdout).images).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        image: 'minideb-bookworm',
        outdated: expect.arrayContaining([
          expect.objectContaining({ package: 'libc6', installed: old, newest: newer, security: true }),
        ]),
      }),
    ]),
  );

  const changelog = join(ws.dir, '.accelbase', 'changelog.md');
  const r = await ws.accelbase(['nightly', '--registry', REGISTRY, '--json', '--changelog', changelog], env);
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    built: [{ name: 'minideb-bookworm' }, { name: 'opencl-pocl' }],
    published: 2,
  });
  expect(installedLibc6('minideb-bookworm')).toBe(newer);
  expect(installedLibc6('opencl-pocl')).toBe(newer);
  const text = readFileSync(changelog, 'utf8');
  for (const image of ['minideb-bookworm', 'opencl-pocl']) {
    const section = text.split('\n## ').find((s) => s.startsWith(`${image} (linux/amd64)`));
    expect(section, text).toContain(`- libc6 ${old} -> ${newer} (security)`);
  }
  expect((await ws.accelbase(['outdated', '--json'], env)).exitCode).toBe(0);
  ws.git('add', '-A');
  ws.git('commit', '-q', '-m', 'nightly: libc6 security update');
});

test('night 4, after the security rebuild: nothing rebuilt, nothing pushed', async () => {
  const env = { ACCELBASE_DEBIAN_SECURITY_MIRROR: security!.url, ACCELBASE_DEBIAN_KEYRING: security!.keyring };
  const r = await ws.accelbase(['nightly', '--registry', REGISTRY, '--json'], env);
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ lockChanged: false, wanted: [], built: [], published: 0 });
  expect(ws.git('status', '--porcelain')).toBe('');
});
