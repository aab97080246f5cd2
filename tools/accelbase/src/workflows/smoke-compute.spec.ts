// The compute tier's pure parts: how a test image is baked FROM the exact image under test, and the
// tiers of images whose query computes or that have no compute tier (no engine is needed for those).
import { describe, expect, test } from 'vitest';
import { fixtureLock, fixtureModel } from '../catalog/fixtures/load.js';
import { planImages } from '../plan/plan.js';
import type { TierResult } from '../smoke/outcome.js';
import { computeTier, testImageBake, testImageName, type TestImageBuilds } from './smoke-compute.js';

const plan = planImages(fixtureModel, fixtureLock, { namespace: '127.0.0.1:5000/ci' });
const pocl = plan.images.find((i) => i.name === 'opencl-pocl')!;
const ref = `127.0.0.1:5000/ci/opencl-pocl@sha256:${'a'.repeat(64)}`;

describe('testImageBake', () => {
  test('one platform, FROM the image under test by digest, loaded under its own name, with the engine setup', () => {
    const args = testImageBake(
      pocl,
      'linux/arm64',
      ref,
      testImageName('opencl-pocl', 'linux/arm64'),
      { hostNetworkFile: '/w/.accelbase/smoke/host-network.json', proxyArgs: { http_proxy: 'http://127.0.0.1:3142' } },
      '/w',
      'example',
    );
    expect(args).toEqual([
      'buildx',
      'bake',
      '--file',
      '/w/docker-bake.json',
      '--file',
      '/w/.accelbase/smoke/host-network.json',
      '--allow',
      'network.host',
      '--progress',
      'rawjson',
      '--set',
      'opencl-pocl-test.platform=linux/arm64',
      '--set',
      'opencl-pocl-test.tags=accelbase-test/opencl-pocl:arm64',
      '--set',
      'opencl-pocl-test.args.http_proxy=http://127.0.0.1:3142',
      '--set',
      'opencl-pocl-test.output=type=docker',
      '--set',
      `opencl-pocl-test.contexts.example/opencl-pocl:trixie=docker-image://${ref}`,
      'opencl-pocl-test',
    ]);
  });
});

describe('computeTier without a probe', () => {
  const query: TierResult = { outcome: 'passed', detail: 'inference ok on CPUExecutionProvider: [2.0, 4.0]' };
  // Never asked: neither branch builds or runs anything.
  const noBuilds: TestImageBuilds = {
    root: '/nowhere',
    namespace: 'x',
    catalogNamespace: 'x',
    setup: () => Promise.reject(new Error('no engine in a unit test')),
  };
  const engine = { docker: '/nonexistent/docker', env: {} };
  const container = { name: 'c', platform: 'linux/amd64' };

  test('an image with no compute tier says the query is its only tier', async () => {
    const t = await computeTier(engine, pocl, 'linux/amd64', ref, query, container, noBuilds);
    expect(t).toEqual({ outcome: 'none', detail: "no compute tier: the device query is opencl's only tier" });
  });

  test.each(['passed', 'no-device', 'failed'] as const)(
    "a query that computes: its outcome (%s) is the compute tier's",
    async (outcome) => {
      const computing = { ...pocl, smoke: { ...pocl.smoke, compute: { query: true as const, timeout: 300 } } };
      const t = await computeTier(engine, computing, 'linux/amd64', ref, { ...query, outcome }, container, noBuilds);
      expect(t.outcome).toBe(outcome);
      expect(t.detail).toBe(
        `the device query computes and checks its result, so its outcome is the compute tier's: ${query.detail}`,
      );
    },
  );
});
