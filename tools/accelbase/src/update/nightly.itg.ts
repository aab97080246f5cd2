// Engine tier: the nightly flow end to end against the local registry. Versions come from a fixture
// Debian archive on 127.0.0.1; images build from the real mirror. Night 1 builds, smoke-tests and
// publishes; night 2 (nothing changed) rebuilds and pushes nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { engineUp } from '../build/engine.js';
import { run } from '../exec.js';
import { getManifest, listTags } from '../registry/client.js';
import { archive, closeServers, type Archive } from './test-archive.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
const REGISTRY = '127.0.0.1:5000/nightly';
const catalog = `version: 1
registry: { namespace: acceleratorbase }
defaultDistribution: bookworm
distributions: { bookworm: { version: "12", python: "3.11" } }
minideb:
  distributions: [bookworm]
  platforms: [linux/amd64]
  smoke: { command: [sh, -c, dpkg --print-architecture], expect: "^{arch}$" }
sources:
  debian: { type: debian, components: [main] }
accelerators:
  opencl:
    description: OpenCL through PoCL
    variants:
      pocl:
        base: minideb:bookworm
        runtime: pocl-opencl-icd
        # The fixture archive also holds backports the real mirror's main suite lacks: ranges keep them out.
        packages: [{ name: pocl-opencl-icd, version: "<6" }, { name: clinfo, version: "<3.0.25" }]
        smoke: { command: [clinfo, -l], expect: "Device #0" }
`;

let ws = '';
let fixtures: Archive;
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: ws, encoding: 'utf8' });
const accelbase = (args: string[], env: Record<string, string> = {}) => run('node', [bin, ...args, '--catalog', join(ws, 'catalog.yaml')], { cwd: ws, env, allowFailure: true, timeoutMs: 40 * 60_000 });

beforeAll(async () => {
  await engineUp();
  fixtures = await archive();
  ws = mkdtempSync(join(tmpdir(), 'accelbase-nightly-'));
  writeFileSync(join(ws, 'catalog.yaml'), catalog);
  mkdirSync(join(ws, 'generators'));
  for (const d of ['templates', 'device-queries']) cpSync(join(repoRoot, 'generators', d), join(ws, 'generators', d), { recursive: true });
  writeFileSync(join(ws, '.gitignore'), '.accelbase/\n');
  expect((await accelbase(['render'])).exitCode).toBe(0);
  // The root filesystem comes from the real mirror, before the fixture archive stands in for it.
  const rootfs = await accelbase(['rootfs', '--suite', 'bookworm', '--arch', 'amd64']);
  expect(rootfs.exitCode, rootfs.stderr).toBe(0);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: ws });
  git('add', '-A');
  git('commit', '-q', '-m', 'catalog');
});
afterAll(async () => {
  await closeServers();
  rmSync(ws, { recursive: true, force: true });
});

test('night 1: versions resolved from the archive, everything built, smoke-tested and published', async () => {
  const r = await accelbase(['nightly', '--registry', REGISTRY, '--json'], { ACCELBASE_DEBIAN_MIRROR: fixtures.url });
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  const night = JSON.parse(r.stdout);
  expect(night).toMatchObject({ lockChanged: true, built: ['minideb-bookworm', 'opencl-pocl'], published: 2 });
  const lock = readFileSync(join(ws, 'catalog.lock.yaml'), 'utf8');
  expect(lock).toContain('pocl-opencl-icd: 3.1-3+deb12u1'); // the newest below 6 in the fixture archive
  const tags = await listTags(`${REGISTRY}/opencl-pocl`);
  expect(tags).toEqual(expect.arrayContaining(['latest', 'bookworm', '3.1-bookworm']));
  const published = (await getManifest(`${REGISTRY}/opencl-pocl`, '3.1-bookworm')).digest!;
  expect(lock).toContain(`digest: ${published}`);
  git('add', '-A');
  git('commit', '-q', '-m', 'nightly: lock and publish record');
});

test('night 2, nothing changed: nothing rebuilt, nothing pushed', async () => {
  const before = await listTags(`${REGISTRY}/opencl-pocl`);
  const r = await accelbase(['nightly', '--registry', REGISTRY, '--json'], { ACCELBASE_DEBIAN_MIRROR: fixtures.url });
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ lockChanged: false, wanted: [], built: [], published: 0 });
  expect(await listTags(`${REGISTRY}/opencl-pocl`)).toEqual(before);
  expect(git('status', '--porcelain')).toBe('');
});
