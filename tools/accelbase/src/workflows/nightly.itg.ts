// Engine tier: the nightly flow end to end against the local registry. Versions come from a fixture
// Debian archive on 127.0.0.1, signed with a key made for the run (its keyring stands in for Debian's,
// and it stands in for the security archive too); images build from the real mirror. Night 1 builds, smoke-tests and
// publishes; night 2 (nothing changed) rebuilds and pushes nothing.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { engineUp } from '../engine/engine.js';
import { getManifest, listTags } from '../oci/registry.js';
import { createNightlyWorkspace, type NightlyWorkspace } from '../test/nightly-workspace.js';
import { archive, closeServers, type Archive } from '../test/archive.js';
import { makeSigningKey, type SigningKey } from '../test/signing.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const REGISTRY = '127.0.0.1:5000/nightly';

let ws: NightlyWorkspace;
let fixtures: Archive;
let key: SigningKey;
const archiveEnv = () => ({ ACCELBASE_DEBIAN_MIRROR: fixtures.url, ACCELBASE_DEBIAN_SECURITY_MIRROR: fixtures.url, ACCELBASE_DEBIAN_KEYRING: key.keyring });

beforeAll(async () => {
  await engineUp();
  // The root filesystem comes from the real mirror, before the fixture archive stands in for it.
  ws = await createNightlyWorkspace(repoRoot);
  key = makeSigningKey();
  fixtures = await archive({ key });
});
afterAll(async () => {
  await closeServers();
  key.dispose();
  rmSync(ws.dir, { recursive: true, force: true });
});

test('night 1: versions resolved from the archive, everything built, smoke-tested and published', async () => {
  const r = await ws.accelbase(['nightly', '--registry', REGISTRY, '--json'], archiveEnv());
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  const night = JSON.parse(r.stdout);
  expect(night).toMatchObject({ lockChanged: true, built: ['minideb-bookworm', 'opencl-pocl'], published: 2 });
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
