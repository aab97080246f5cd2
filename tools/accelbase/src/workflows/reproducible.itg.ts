// Engine tier: same inputs, same digest. minideb trixie + opencl-pocl for linux/amd64, built twice
// without cache, each time on a fresh engine instance (its own empty data root), pushed under two
// namespaces: every index and platform manifest digest is the same. Then `verify` rebuilds opencl-pocl
// from the commit in its labels, on the default engine, and says identical.
// amd64 only in CI: two cold arm64 builds under qemu cost about 13 of CI's 90 minutes (measured:
// 540 s per two-platform cold build against about 130 s for amd64); the bench builds both platforms.
import { envConfig, engineAt } from '../test/run-config.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engineDown, engineUp } from '../engine/engine.js';
import { instanceHome } from '../config/engine-instance.js';
import { run } from '../exec.js';
import { platformDescriptors, platformManifest } from '../oci/registry.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
const RUN = Date.now().toString(36);
const NAMESPACES = [`127.0.0.1:5000/itgrepro${RUN}a`, `127.0.0.1:5000/itgrepro${RUN}b`];
const INSTANCES = ['itg-repro-a', 'itg-repro-b'];

const accelbase = (...args: string[]) =>
  run('node', [bin, ...args], { cwd: repoRoot, allowFailure: true, timeoutMs: 40 * 60_000 });

interface Result {
  image: string;
  status: string;
  digest: string;
  tags: string[];
}

/** The image manifest for linux/amd64 under a digest, with its config and layers. */
async function amd64Image(repository: string, digest: string) {
  const image = await platformManifest(repository, digest, 'linux/amd64');
  return {
    descriptor: (await platformDescriptors(repository, digest, 'linux/amd64'))['linux/amd64'],
    config: image.config?.digest,
    layers: image.layers?.map((l) => l.digest),
  };
}

beforeAll(async () => {
  await engineUp(envConfig());
});

afterAll(async () => {
  for (const name of INSTANCES) {
    const home = instanceHome(envConfig().engineBaseHome, name);
    await engineDown(home).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }
});

describe('reproducible images: two cold builds on two fresh engines (linux/amd64)', () => {
  const builds: Result[][] = [];

  test.each([0, 1])('cold build %i: a fresh instance, --no-cache, linux/amd64', async (i) => {
    const home = instanceHome(envConfig().engineBaseHome, INSTANCES[i]);
    rmSync(home, { recursive: true, force: true }); // an empty data root
    await engineUp(engineAt(home));
    const r = await accelbase(
      'build',
      'opencl-pocl',
      '--platform',
      'linux/amd64',
      '--no-cache',
      '--push',
      '--registry',
      NAMESPACES[i],
      '--instance',
      INSTANCES[i],
      '--json',
    );
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const results = JSON.parse(r.stdout).results as Result[];
    expect(results.map((x) => `${x.image} ${x.status}`)).toEqual(['minideb-trixie built', 'opencl-pocl built']);
    builds[i] = results;
    // The instance is done: stop it, so nothing it holds can serve the next build.
    await engineDown(home);
  });

  test('the same manifest digest, config and layers, for minideb and for the derived image', async () => {
    const [a, b] = builds;
    expect(b.map((x) => x.digest)).toEqual(a.map((x) => x.digest));
    for (const [k, x] of a.entries()) {
      const repo = (ns: string) => `${ns}/${x.image === 'minideb-trixie' ? 'minideb' : x.image}`;
      const image = await amd64Image(repo(NAMESPACES[0]), x.digest);
      expect(image.layers?.length).toBeGreaterThan(0);
      expect(await amd64Image(repo(NAMESPACES[1]), b[k].digest)).toEqual(image);
    }
  });

  test('verify opencl-pocl:<build tag> rebuilds it from its commit and says identical (amd64)', async () => {
    const sha = builds[0]
      .find((x) => x.image === 'opencl-pocl')!
      .tags.map((t) => t.split(':').pop()!)
      .find((t) => t.startsWith('sha-'))!;
    const r = await accelbase(
      'verify',
      `opencl-pocl:${sha}`,
      '--platform',
      'linux/amd64',
      '--registry',
      NAMESPACES[0],
      '--json',
    );
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const outcome = JSON.parse(r.stdout) as {
      identical: boolean;
      platforms: { platform: string; identical: boolean }[];
      durationS: number;
    };
    expect(outcome.identical).toBe(true);
    expect(outcome.platforms.map((p) => `${p.platform} ${p.identical}`)).toEqual(['linux/amd64 true']);
    console.log(`verify opencl-pocl: ${outcome.durationS.toFixed(0)} s`);
  });
});
