// The compute tier's test images: images/<project>/test.Dockerfile and the `<image>-test` bake target,
// rendered from the fixture catalog with a fixture probe (never the shipped catalog or probes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixtureText } from '../catalog/fixtures/load.js';
import { parseCatalog, parseLock } from '../catalog/load.js';
import { planImages } from '../plan/plan.js';
import { testTarget, testTargetOf } from './bake-file.js';
import { diskReader, renderAll } from './render.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const PROBE = 'generators/compute-probes/fixture-vadd/test.Dockerfile.eta';
// The templates from this checkout; the probe from this folder's fixtures.
const read = (p: string) =>
  p === PROBE
    ? readFileSync(
        join(import.meta.dirname, 'fixtures', 'compute-probes', 'fixture-vadd', 'test.Dockerfile.eta'),
        'utf8',
      )
    : diskReader(repoRoot)(p);

const COMPUTE = '          compute: { probe: fixture-vadd, expect: "compute ok", noDevice: "no device" }\n';
const withCompute = fixtureText.replace('          expect: "Device #0"\n', `          expect: "Device #0"\n${COMPUTE}`);

function rendered(text: string) {
  const { model } = parseCatalog('catalog.yaml', text, new Set(['onnxruntime.py']), new Set(['fixture-vadd']));
  const lock = parseLock(
    'catalog.lock.yaml',
    readFileSync(join(repoRoot, 'tools/accelbase/src/catalog/fixtures/catalog.lock.yaml'), 'utf8'),
    model,
  );
  const plan = planImages(model, lock);
  return { plan, model, files: renderAll(repoRoot, plan, model.catalog, read) };
}

const before = rendered(fixtureText);
const after = rendered(withCompute);

describe('an image with a compute probe', () => {
  test('gets images/<project>/test.Dockerfile: the probe FROM the image under test (file snapshot)', async () => {
    expect(withCompute).not.toBe(fixtureText);
    await expect(after.files.get('images/opencl-pocl/test.Dockerfile')).toMatchFileSnapshot(
      './__snapshots__/opencl-pocl.test.Dockerfile',
    );
  });

  test('its own Dockerfile, and every other file but its image.json and the bake file, stay byte for byte', () => {
    const changed = [...after.files.keys()].filter((p) => before.files.get(p) !== after.files.get(p)).sort();
    expect(changed).toEqual([
      'docker-bake.json',
      'images/opencl-pocl/image.json',
      'images/opencl-pocl/test.Dockerfile',
    ]);
    expect(after.files.get('images/opencl-pocl/Dockerfile')).toBe(before.files.get('images/opencl-pocl/Dockerfile'));
  });

  test('gets a bake target <image>-test in no group, FROM its own target, tagged under a repository of its own', () => {
    const bake = JSON.parse(after.files.get('docker-bake.json')!);
    const target = bake.target[testTargetOf('opencl-pocl')];
    expect(target).toEqual({
      context: 'generators/compute-probes/fixture-vadd',
      dockerfile: '../../../images/opencl-pocl/test.Dockerfile',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['${REGISTRY}/opencl-pocl-test:trixie'],
      labels: { 'io.accelbase.test-of': 'opencl-pocl' },
      args: { IMAGE_UNDER_TEST: 'example/opencl-pocl:trixie' },
      contexts: { 'example/opencl-pocl:trixie': 'target:opencl-pocl' },
    });
    const grouped = Object.values(bake.group as Record<string, { targets: string[] }>).flatMap((g) => g.targets);
    expect(grouped).not.toContain('opencl-pocl-test');
    // Never under the image's own tags.
    const own = bake.target['opencl-pocl'].tags as string[];
    expect(target.tags.some((t: string) => own.includes(t))).toBe(false);
  });

  test('images without one get no test image', () => {
    const tests = [...after.files.keys()].filter((p) => p.endsWith('test.Dockerfile'));
    expect(tests).toEqual(['images/opencl-pocl/test.Dockerfile']);
    const pocl = after.plan.images.find((i) => i.name === 'opencl-pocl')!;
    expect(testTarget(pocl, 'fixture-vadd', 'elsewhere').args).toEqual({
      IMAGE_UNDER_TEST: 'elsewhere/opencl-pocl:trixie',
    });
  });
});
