// Engine tier: the OpenCL example's two variants (PoCL and lavapipe bases), amd64 + arm64, pushed to
// the local registry, tags listed back, and each variant run on each platform. Then a base given by
// tag: a published one is built on by its digest, an unknown one is refused.
import { envConfig } from '../test/run-config.js';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dockerBinary, engineEnv } from '../engine/client.js';
import { engineUp } from '../engine/engine.js';
import { run } from '../exec.js';
import { getManifest, indexPlatforms, listTags, manifestDigest } from '../oci/registry.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
const IMAGE = '127.0.0.1:5000/examples/opencl-devicequery';

beforeAll(async () => {
  await engineUp(envConfig());
});

test('one Dockerfile, two bases, both platforms, pushed and listed', async () => {
  const r = await run(
    'node',
    [
      bin,
      'variants',
      'examples/opencl-devicequery/variants.yaml',
      '--push',
      '--registry',
      '127.0.0.1:5000/acceleratorbase',
      '--json',
    ],
    {
      cwd: repoRoot,
      allowFailure: true,
      timeoutMs: 30 * 60_000,
    },
  );
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(
    out.variants.map((v: { tag: string; overload: string; platforms: string[] }) => [v.tag, v.overload, v.platforms]),
  ).toEqual([
    ['pocl', 'named-context', ['linux/amd64', 'linux/arm64']],
    ['lavapipe', 'named-context', ['linux/amd64', 'linux/arm64']],
  ]);
  expect(out.tags[IMAGE]).toEqual(expect.arrayContaining(['lavapipe', 'pocl']));
  expect(await listTags(IMAGE)).toEqual(expect.arrayContaining(['lavapipe', 'pocl']));
  for (const tag of ['pocl', 'lavapipe'])
    expect(indexPlatforms((await getManifest(IMAGE, tag)).body)).toEqual(['linux/amd64', 'linux/arm64']);
});

test.each([
  ['pocl', 'linux/amd64', /OpenCL devices:\n {2}\S.*\narchitecture: amd64/],
  ['pocl', 'linux/arm64', /OpenCL devices:\n {2}\S.*\narchitecture: arm64/],
  ['lavapipe', 'linux/amd64', /Vulkan devices:\n {2}llvmpipe.*\narchitecture: amd64/],
  ['lavapipe', 'linux/arm64', /Vulkan devices:\n {2}llvmpipe.*\narchitecture: arm64/],
])('the %s variant finds its device on %s', async (tag, platform, expected) => {
  const r = await run(
    dockerBinary(envConfig().engineHome),
    ['run', '--rm', '--network', 'none', '--pull', 'always', '--platform', platform, `${IMAGE}:${tag}`],
    { env: engineEnv(envConfig()), allowFailure: true, timeoutMs: 300_000 },
  );
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.stdout).toMatch(expected);
  // Built on the variant's base, not the Dockerfile's: lavapipe's image has no OpenCL ICD.
  if (tag === 'lavapipe') expect(r.stdout).not.toContain('OpenCL devices');
});

describe('a catalog base named by tag', () => {
  // A namespace of its own per run: the registry's storage outlives runs on the same machine.
  const NS = `127.0.0.1:5000/itg-variants-${Date.now().toString(36)}`;
  // The OpenCL example's app, beside each variants file (a local context is relative to its file).
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-variants-tag-'));
  cpSync(join(repoRoot, 'examples/opencl-devicequery'), dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const variantsFile = (base: string) => {
    const file = join(dir, `${base.replace(/[^a-z0-9]+/g, '-')}.yaml`);
    writeFileSync(
      file,
      `source: { context: . }\ntarget: { image: ${NS}/app }\nvariants:\n  - tag: on-tag\n    base: ${base}\n`,
    );
    return file;
  };
  const accelbase = (...args: string[]) =>
    run('node', [bin, ...args], { cwd: repoRoot, allowFailure: true, timeoutMs: 30 * 60_000 });

  test('a tag the registry publishes is built on by its digest; the base is not rebuilt', async () => {
    const built = await accelbase('build', 'opencl-pocl', '--push', '--platform', 'linux/amd64', '--registry', NS);
    expect(built.exitCode, built.stderr.slice(-3000)).toBe(0);
    const shaTag = (await listTags(`${NS}/opencl-pocl`)).find((t) => t.startsWith('sha-'))!;
    expect(shaTag).toMatch(/^sha-[0-9a-f]{7}$/);
    const digest = await manifestDigest(`${NS}/opencl-pocl`, shaTag);
    const r = await accelbase(
      'variants',
      variantsFile(`acceleratorbase/opencl-pocl:${shaTag}`),
      '--platform',
      'linux/amd64',
      '--registry',
      NS,
      '--json',
    );
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    expect(JSON.parse(r.stdout).variants).toEqual([
      expect.objectContaining({ tag: 'on-tag', base: `docker-image://${NS}/opencl-pocl@${digest}` }),
    ]);
    // Only the app was baked, on the digest: its COPY step, and no step of the base's Dockerfile
    // (install_packages) ran or was cached.
    expect(r.stderr).toContain(`resolve ${NS}/opencl-pocl@${digest}`);
    expect(r.stderr).toContain('COPY --chmod=0755 devicequery.sh');
    expect(r.stderr).not.toContain('install_packages');
  });

  test('a tag the catalog image does not have is refused at its line, and nothing is built', async () => {
    const r = await accelbase('variants', variantsFile('acceleratorbase/opencl-pocl:bookworm'), '--registry', NS);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /:5:11 variants\.0\.base: base "acceleratorbase\/opencl-pocl:bookworm": opencl-pocl has no tag "bookworm".*\(tags: latest, trixie/,
    );
  });
});
