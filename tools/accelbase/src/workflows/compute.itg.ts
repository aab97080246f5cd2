// Engine tier: smoke's compute tier on the images that can compute here. opencl-pocl (a vector add
// through the ICD), vulkan-lavapipe (a compute shader) and onnxruntime-cpu (its query's inference)
// pass both tiers on both platforms (arm64 under qemu), with the computed results in --json; an
// image whose probe adds wrongly on purpose (a fixture probe: opencl-vadd with its kernel's `+` made
// `-`) is failed, never no-device. The namespace is fixed and the clone's HEAD is this checkout's, so
// a second run on the same commit builds the same digests and its test images come from the build
// cache (the cold and warm times are in docs/operators.md).
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { engineUp } from '../engine/engine.js';
import { cloneRepo, shareRootfs, workspaceCli } from '../test/clone.js';
import { envConfig, itgRegistry } from '../test/run-config.js';

const REGISTRY = itgRegistry('itgcompute');
const IMAGES = ['opencl-pocl', 'vulkan-lavapipe', 'onnxruntime-cpu'];
const BROKEN = 'broken-vadd';

// Appended to the clone's catalog: built FROM opencl-pocl with nothing added, so only its probe differs.
const BROKEN_ACCELERATOR = `
  broken:
    description: OpenCL whose compute probe adds wrongly, on purpose
    variants:
      vadd:
        base: opencl-pocl
        plainBase: true # only its probe differs: nothing to install
        platforms: [linux/amd64]
        smoke:
          command: [clinfo, -l]
          expect: "Device #0"
          compute: { probe: opencl-vadd-broken, expect: "compute ok", noDevice: "no OpenCL device" }
`;

let dir = '';
const accelbase = workspaceCli(() => dir);

beforeAll(async () => {
  await engineUp(envConfig());
  dir = cloneRepo('accelbase-compute-');
  shareRootfs(dir, 'trixie', ['amd64', 'arm64']);
  appendFileSync(join(dir, 'catalog.yaml'), BROKEN_ACCELERATOR);
  const probes = join(dir, 'generators', 'compute-probes');
  cpSync(join(probes, 'opencl-vadd'), join(probes, 'opencl-vadd-broken'), { recursive: true });
  const dockerfile = join(probes, 'opencl-vadd-broken', 'test.Dockerfile.eta');
  expect(readFileSync(dockerfile, 'utf8')).toContain(' -O2 -Wall ');
  writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace(' -O2 -Wall ', ` -DKERNEL_OP='"-"' -O2 -Wall `));
  const r = await accelbase('render');
  expect(r.exitCode, r.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Tier {
  outcome: string;
  detail: string;
  output?: string;
}
interface Result {
  image: string;
  platform: string;
  ref: string;
  outcome: string;
  detail: string;
  tiers: { query: Tier; compute: Tier };
}

test('both tiers pass on both platforms with the computed results; a probe that adds wrongly is failed', async () => {
  const started = performance.now();
  const build = await accelbase('build', ...IMAGES, BROKEN, '--push', '--registry', REGISTRY, '--json');
  expect(build.exitCode, build.stderr.slice(-3000)).toBe(0);
  const built = JSON.parse(build.stdout).results as { image: string; digest?: string }[];
  const smoke = await accelbase('smoke', ...IMAGES, BROKEN, '--registry', REGISTRY, '--json');
  console.log(`compute.itg: build + smoke took ${((performance.now() - started) / 1000).toFixed(0)}s`);
  expect(smoke.exitCode, smoke.stderr.slice(-3000)).toBe(1);
  const results = JSON.parse(smoke.stdout).results as Result[];
  const byKey = new Map(results.map((r) => [`${r.image} ${r.platform}`, r]));

  for (const image of IMAGES)
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const r = byKey.get(`${image} ${platform}`)!;
      expect(r, `${image} ${platform}`).toBeDefined();
      expect([r.outcome, r.tiers.query.outcome, r.tiers.compute.outcome], `${image} ${platform}: ${r.detail}`).toEqual([
        'passed',
        'passed',
        'passed',
      ]);
      // The image smoked is the one the build pushed: the test image is built FROM it, never instead of it.
      expect(r.ref.endsWith(built.find((b) => b.image === image)!.digest!)).toBe(true);
    }
  // The computed results: 4096 sums a[i] + b[i] = 3i, checked element by element.
  for (const image of ['opencl-pocl', 'vulkan-lavapipe'])
    for (const platform of ['linux/amd64', 'linux/arm64'])
      expect(byKey.get(`${image} ${platform}`)!.tiers.compute.output).toContain(
        'c[0..3] = 0 3 6 9, checksum 25159680 (expected 25159680)',
      );
  const ort = byKey.get('onnxruntime-cpu linux/arm64')!;
  // Its result line (onnx's schema warnings on stderr fill the output's tail).
  expect(ort.tiers.query.detail).toMatch(/^inference ok on CPUExecutionProvider: \[.*2\.0.*4\.0.*\]$/);
  expect(ort.tiers.compute.detail).toMatch(/^the device query computes and checks its result/);

  const broken = byKey.get(`${BROKEN} linux/amd64`)!;
  expect([broken.outcome, broken.tiers.query.outcome, broken.tiers.compute.outcome]).toEqual([
    'failed',
    'passed',
    'failed',
  ]);
  expect(broken.tiers.compute.detail).toMatch(
    /^wrong result: 4095 of 4096 elements differ \(first c\[1\] = -1, expected 3\)$/,
  );
});
