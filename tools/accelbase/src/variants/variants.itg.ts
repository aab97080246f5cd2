// Engine tier: the OpenCL example's two variants (PoCL and lavapipe bases), amd64 + arm64, pushed to
// the local registry, tags listed back, and each variant run on each platform.
import { envConfig } from '../test/run-config.js';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { dockerBinary, engineEnv } from '../engine/client.js';
import { engineUp } from '../engine/engine.js';
import { run } from '../exec.js';
import { getManifest, indexPlatforms, listTags } from '../oci/registry.js';

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
