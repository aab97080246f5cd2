// Engine tier: the whole catalog as a new user builds it, for linux/amd64 (both platforms are the
// bench's `catalog` section: arm64 under qemu is most of an hour more). Every image whose sources are
// reachable from here is built, pushed and smoke-tested, and must come out passed or no-device; the
// ones whose sources this machine cannot reach (Coral's apt repository, PyPI) say so and are skipped.
// No registry cache: this test is about what gets built. ACCELBASE_ITG_CATALOG=0 leaves it out of a
// local run; CI runs it.
import { envConfig } from '../test/run-config.js';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { run } from '../exec.js';
import { engineUp } from '../engine/engine.js';
import {
  WHOLE_CATALOG as EXPECTED,
  reachableImages,
  removePulledImages,
  selectedImages,
  wholeCatalogSkipped,
} from '../test/whole-catalog.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
const REGISTRY = `127.0.0.1:5000/catalog${Date.now().toString(36)}`;
const accelbase = (...args: string[]) =>
  run('node', [bin, ...args], { cwd: repoRoot, allowFailure: true, timeoutMs: 60 * 60_000 });

beforeAll(async () => {
  await engineUp(envConfig());
});

// smoke pulled every image into the engine (cuda-devel alone unpacks to gigabytes): give the disk back.
afterAll(() => removePulledImages(REGISTRY));

interface Result {
  image: string;
  status: string;
  reason?: string;
  digest?: string;
  durationS: number;
}

test.skipIf(wholeCatalogSkipped)(
  'every reachable image builds for amd64 and passes smoke or finds no device; the rest name their unreachable source',
  async () => {
    const build = await accelbase(
      'build',
      '--platform',
      'linux/amd64',
      '--push',
      '--keep-going',
      '--cache',
      'none',
      '--registry',
      REGISTRY,
      '--json',
    );
    expect(build.exitCode, build.stderr.slice(-4000)).toBe(0);
    const results = JSON.parse(build.stdout).results as Result[];
    expect(results.map((r) => r.image).sort()).toEqual(selectedImages().sort());
    for (const r of results) {
      const want = EXPECTED[r.image];
      if (want.build === 'built') {
        expect(['built', 'cached'], `${r.image}: ${r.reason ?? ''}`).toContain(r.status);
        expect(r.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      } else {
        expect(r.status).toBe('skipped');
        expect(r.reason, r.image).toMatch(/unreachable source/);
      }
    }
    // The figures a note reports: each image's build time here.
    console.log(results.map((r) => `${r.image}: ${r.status} ${r.durationS.toFixed(1)} s`).join('\n'));

    const reachable = reachableImages();
    const smoke = await accelbase('smoke', ...reachable, '--platform', 'linux/amd64', '--registry', REGISTRY, '--json');
    expect(smoke.exitCode, smoke.stderr.slice(-4000)).toBe(0);
    const outcomes = JSON.parse(smoke.stdout).results as {
      image: string;
      platform: string;
      outcome: string;
      detail: string;
    }[];
    expect(Object.fromEntries(outcomes.map((s) => [s.image, s.outcome]))).toEqual(
      Object.fromEntries(reachable.map((name) => [name, EXPECTED[name].smoke])),
    );
    expect(outcomes.every((s) => s.platform === 'linux/amd64')).toBe(true);
  },
  80 * 60_000,
);
