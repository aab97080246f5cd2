// Engine tier: two engine instances stand in for two native runners. A builds minideb trixie + PoCL
// for linux/amd64 by digest, B for linux/arm64; merge makes the indexes under the build tags and smoke
// passes on both platforms; a third, fresh instance rebuilds everything from the registry cache alone.
// Bad merges (a missing platform, parts from two commits) fail and move no tag.
import { envConfig, engineAt } from '../test/run-config.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { engineDown, engineUp } from '../engine/engine.js';
import { instanceHome } from '../config/engine-instance.js';
import { run } from '../exec.js';
import { getManifest, indexPlatforms, listTags } from '../oci/registry.js';
import { BuildPartsFile } from './state.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
const id = Date.now().toString(36);
const REGISTRY = `127.0.0.1:5000/scaleout-itg${id}`;
// Short names: the instance folder holds the exec root's sockets.
const A = `so-a-${id}`;
const B = `so-b-${id}`;
const C = `so-c-${id}`;
const DATE = '20261202';
const scratch = mkdtempSync(join(tmpdir(), 'accelbase-split-'));
const partsOf = (name: string) => join(scratch, `${name}.json`);

const accelbase = async (instance: string, ...args: string[]) => {
  const start = performance.now();
  const r = await run('node', [bin, ...args, '--registry', REGISTRY], {
    cwd: repoRoot,
    allowFailure: true,
    timeoutMs: 40 * 60_000,
    env: { ACCELBASE_INSTANCE: instance },
  });
  return { ...r, seconds: (performance.now() - start) / 1000 };
};
const split = (instance: string, platform: string, results: string) =>
  accelbase(
    instance,
    'build',
    'opencl-pocl',
    '--platform',
    platform,
    '--push-by-digest',
    '--results',
    results,
    '--date',
    DATE,
    '--json',
  );
const readParts = (file: string) => BuildPartsFile.parse(JSON.parse(readFileSync(file, 'utf8')));
const buildTagsIn = async (repo: string) =>
  (await listTags(`${REGISTRY}/${repo}`)).filter((t) => !t.startsWith('cache-'));

const timings: Record<string, number> = {};

beforeAll(async () => {
  await engineUp(engineAt(envConfig().engineBaseHome));
  for (const name of [A, B, C]) await engineUp(engineAt(instanceHome(envConfig().engineBaseHome, name)));
});

afterAll(async () => {
  for (const name of [A, B, C]) {
    await engineDown(instanceHome(envConfig().engineBaseHome, name));
    // Only the instance folders this test made: each one's data root, exec root and builders.
    rmSync(instanceHome(envConfig().engineBaseHome, name), { recursive: true, force: true });
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log(`split build timings (s): ${JSON.stringify(timings)}`);
});

describe('split build on two instances, merged by digest', () => {
  test('A pushes linux/amd64 parts by digest, no tags', async () => {
    const r = await split(A, 'linux/amd64', partsOf('amd64'));
    timings.amd64 = r.seconds;
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const parts = readParts(partsOf('amd64'));
    expect(parts.parts.map((p) => `${p.image} ${p.platform} ${p.status}`)).toEqual([
      'minideb-trixie linux/amd64 built',
      'opencl-pocl linux/amd64 built',
    ]);
    // The base is resolved by the digest this run pushed.
    expect(parts.parts[1].baseDigest).toBe(parts.parts[0].digest);
    expect(await buildTagsIn('opencl-pocl')).toEqual([]);
    const m = await getManifest(`${REGISTRY}/opencl-pocl`, parts.parts[1].digest);
    expect(m.body.mediaType).toMatch(/manifest/);
  });

  test('B pushes linux/arm64 parts by digest', async () => {
    const r = await split(B, 'linux/arm64', partsOf('arm64'));
    timings.arm64 = r.seconds;
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    expect(readParts(partsOf('arm64')).parts.map((p) => p.platform)).toEqual(['linux/arm64', 'linux/arm64']);
  });

  test('a merge missing a platform, or of parts from two commits, fails and moves no tag', async () => {
    const missing = await accelbase(A, 'merge', partsOf('amd64'));
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('merge: nothing pushed:');
    expect(missing.stderr).toContain('opencl-pocl: no part for linux/arm64');
    const other = readParts(partsOf('arm64'));
    writeFileSync(partsOf('other'), JSON.stringify({ ...other, revision: 'f'.repeat(40) }));
    const commits = await accelbase(A, 'merge', partsOf('amd64'), partsOf('other'));
    expect(commits.exitCode).toBe(1);
    expect(commits.stderr).toMatch(/parts from 2 commits: .*amd64\.json \([0-9a-f]{7}\), .*other\.json \(fffffff\)/);
    expect(await buildTagsIn('minideb')).toEqual([]);
    expect(await buildTagsIn('opencl-pocl')).toEqual([]);
  });

  test('merge: the build tags resolve to an index of both parts; --json is build --json', async () => {
    const start = performance.now();
    const r = await accelbase(A, 'merge', partsOf('amd64'), partsOf('arm64'), '--json');
    timings.merge = (performance.now() - start) / 1000;
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const results = JSON.parse(r.stdout).results as {
      image: string;
      platforms: string[];
      tags: string[];
      digest: string;
      status: string;
    }[];
    expect(results.map((x) => `${x.image} ${x.platforms.join(',')}`)).toEqual([
      'minideb-trixie linux/amd64,linux/arm64',
      'opencl-pocl linux/amd64,linux/arm64',
    ]);
    const parts = [...readParts(partsOf('amd64')).parts, ...readParts(partsOf('arm64')).parts];
    for (const x of results) {
      expect(x.tags.length).toBe(2);
      for (const tag of x.tags) {
        const index = await getManifest(tag.slice(0, tag.lastIndexOf(':')), tag.slice(tag.lastIndexOf(':') + 1));
        expect(index.digest).toBe(x.digest);
        expect(indexPlatforms(index.body)).toEqual(['linux/amd64', 'linux/arm64']);
        expect((index.body.manifests ?? []).map((m) => m.digest).sort()).toEqual(
          parts
            .filter((p) => p.image === x.image)
            .map((p) => p.digest)
            .sort(),
        );
      }
    }
    expect(existsSync(join(repoRoot, '.accelbase', 'build', 'results.json'))).toBe(true);
  });

  test('smoke passes on both platforms, from the merged results', async () => {
    const r = await accelbase(A, 'smoke', 'minideb-trixie', 'opencl-pocl', '--json');
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const smoke = JSON.parse(r.stdout).results as { image: string; platform: string; outcome: string }[];
    expect(smoke.map((s) => `${s.image} ${s.platform} ${s.outcome}`)).toEqual([
      'minideb-trixie linux/amd64 passed',
      'minideb-trixie linux/arm64 passed',
      'opencl-pocl linux/amd64 passed',
      'opencl-pocl linux/arm64 passed',
    ]);
  });
});

describe('a fresh instance', () => {
  test.each(['linux/amd64', 'linux/arm64'])(
    'rebuilds %s from the registry cache alone: every step cached, the same digests',
    async (platform) => {
      const arch = platform.slice(6);
      const r = await split(C, platform, partsOf(`fresh-${arch}`));
      timings[`fresh-${arch}`] = r.seconds;
      expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
      const fresh = readParts(partsOf(`fresh-${arch}`)).parts;
      // On failure, the progress says which step BuildKit did not report from the cache.
      expect(
        fresh.map((p) => `${p.image} ${p.status}`),
        r.stderr
          .split('\n')
          .filter((l) => /^#\d+ (\[|sha256:|CACHED|DONE|\d+\.\d+ )/.test(l))
          .join('\n')
          .slice(-6000),
      ).toEqual(['minideb-trixie cached', 'opencl-pocl cached']);
      expect(fresh.map((p) => p.digest)).toEqual(readParts(partsOf(arch)).parts.map((p) => p.digest));
    },
  );
});

describe('the same commit built on one engine for both platforms', () => {
  test('has the very per-platform manifests the split build merged (and comes from the split cache)', async () => {
    const r = await accelbase(C, 'build', 'opencl-pocl', '--push', '--date', '20261203', '--json');
    timings.oneEngineCached = r.seconds;
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    const results = JSON.parse(r.stdout).results as {
      image: string;
      repository: string;
      digest: string;
      status: string;
    }[];
    expect(results.map((x) => `${x.image} ${x.status}`)).toEqual(['minideb-trixie cached', 'opencl-pocl cached']);
    const parts = [...readParts(partsOf('amd64')).parts, ...readParts(partsOf('arm64')).parts];
    for (const x of results) {
      const index = await getManifest(x.repository, x.digest);
      const byPlatform = Object.fromEntries(
        (index.body.manifests ?? []).map((m) => [`${m.platform!.os}/${m.platform!.architecture}`, m.digest]),
      );
      expect(byPlatform).toEqual(
        Object.fromEntries(parts.filter((p) => p.image === x.image).map((p) => [p.platform, p.digest])),
      );
    }
  });
});
