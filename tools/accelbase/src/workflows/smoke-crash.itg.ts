// Engine tier: a device query that crashes is `failed`, never `no-device`. One image, built on
// minideb trixie (amd64 only), whose query is broken on purpose the way cuda-runtime's once was: it
// imports ctypes on python3-minimal, which has none, on the very line that prints its no-device
// text, so the traceback holds that text (the classification before this test called it no-device).
// Also a base whose rootfs cannot be made at all (buster: not a suite the bootstrap knows, the way a
// suite past its support loses its files) fails alone under --keep-going with its rootfs error as the
// reason, and the rest build: before, one dist's rootfs failure stopped the whole build with no results.
import { shareRootfs, workspaceCli } from '../test/clone.js';
import { envConfig } from '../test/run-config.js';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { engineUp } from '../engine/engine.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const REGISTRY = `127.0.0.1:5000/itgcrash${Date.now().toString(36)}`;

const CATALOG = `version: 1
registry: { namespace: acceleratorbase }
defaultDistribution: trixie
distributions: { trixie: { version: "13", python: "3.13" }, buster: { version: "10", python: "3.7" } }
minideb:
  distributions: [trixie, buster]
  platforms: [linux/amd64]
  smoke: { command: [sh, -c, dpkg --print-architecture], expect: "^{arch}$" }
sources:
  debian: { type: debian, components: [main] }
accelerators:
  broken:
    description: A device query that crashes on import
    variants:
      query:
        base: minideb:trixie
        runtime: python3-minimal
        packages: [python3-minimal]
        smoke: { script: broken.py, expect: "device ok", noDevice: "no device" }
`;

const BROKEN = `#!/usr/bin/env python3
"""Broken on purpose: python3-minimal has no ctypes, so this import crashes, and the traceback
quotes this line, no-device text and all."""
print("no device:", __import__("ctypes").CDLL("libnothing.so"))
`;

let dir = '';
const accelbase = workspaceCli(() => dir);

beforeAll(async () => {
  await engineUp(envConfig());
  dir = mkdtempSync(join(tmpdir(), 'accelbase-crash-'));
  writeFileSync(join(dir, 'catalog.yaml'), CATALOG);
  mkdirSync(join(dir, 'generators', 'device-queries'), { recursive: true });
  cpSync(join(repoRoot, 'generators', 'templates'), join(dir, 'generators', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'generators', 'device-queries', 'broken.py'), BROKEN);
  shareRootfs(dir, 'trixie', ['amd64']);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  const r = await accelbase('render');
  expect(r.exitCode, r.stderr).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a query that crashes on import is failed, with the error, though its source holds the no-device text', async () => {
  const build = await accelbase('build', 'broken-query', '--push', '--registry', REGISTRY, '--json');
  expect(build.exitCode, build.stderr.slice(-3000)).toBe(0);
  const smoke = await accelbase('smoke', 'broken-query', '--registry', REGISTRY, '--json');
  expect(smoke.exitCode).toBe(1);
  const results = JSON.parse(smoke.stdout).results as {
    image: string;
    platform: string;
    outcome: string;
    detail: string;
  }[];
  expect(results.map((s) => [s.image, s.platform, s.outcome])).toEqual([['broken-query', 'linux/amd64', 'failed']]);
  expect(results[0].detail).toBe("crashed (exit code 1): ModuleNotFoundError: No module named 'ctypes'");
});

test('a base whose rootfs cannot be made fails alone with --keep-going; the rest build', async () => {
  const build = await accelbase('build', '--push', '--keep-going', '--registry', REGISTRY, '--json');
  expect(build.exitCode, build.stderr.slice(-3000)).toBe(1);
  const results = JSON.parse(build.stdout).results as { image: string; status: string; reason?: string }[];
  const byImage = Object.fromEntries(results.map((r) => [r.image, r]));
  expect(Object.keys(byImage).sort()).toEqual(['broken-query', 'minideb-buster', 'minideb-trixie']);
  expect(byImage['minideb-buster'].status).toBe('failed');
  expect(byImage['minideb-buster'].reason).toBe('rootfs: suite buster is not one of trixie, bookworm, bullseye');
  expect(['built', 'cached']).toContain(byImage['minideb-trixie'].status);
  expect(['built', 'cached']).toContain(byImage['broken-query'].status);
});
