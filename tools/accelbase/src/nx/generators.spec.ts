import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing.js';
import { beforeEach, describe, expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import { acceleratorGenerator } from './generators/accelerator/generator.js';
import { variantGenerator } from './generators/variant/generator.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
let tree: Tree;

/** An empty Nx workspace holding this repository's catalog, lock, templates and device queries. */
beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
  for (const f of ['catalog.yaml', 'catalog.lock.yaml']) tree.write(f, readFileSync(join(repoRoot, f), 'utf8'));
  const probes = readdirSync(join(repoRoot, 'generators', 'compute-probes')).map(
    (p) => `generators/compute-probes/${p}`,
  );
  for (const dir of ['generators/templates', 'generators/templates/partials', 'generators/device-queries', ...probes]) {
    for (const e of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
      if (e.isFile()) tree.write(`${dir}/${e.name}`, readFileSync(join(repoRoot, dir, e.name), 'utf8'));
    }
  }
});

const validates = (t: Tree) =>
  parseCatalog(
    'catalog.yaml',
    t.read('catalog.yaml', 'utf-8')!,
    new Set(t.children('generators/device-queries')),
    new Set(t.children('generators/compute-probes')),
  ).model;

describe('accelerator', () => {
  test('with nothing but a name: Debian source, minideb bookworm, both platforms, and it validates', async () => {
    const before = tree.read('catalog.yaml', 'utf-8')!;
    await acceleratorGenerator(tree, { name: 'intel-opencl' });
    const after = tree.read('catalog.yaml', 'utf-8')!;
    expect(after.startsWith(before.trimEnd())).toBe(true); // spliced at the end: every comment kept
    expect(after.slice(before.length - 1)).toBe(`
  intel-opencl:
    description: "intel-opencl runtime"
    variants:
      default:
        base: minideb:bookworm
        platforms: [linux/amd64, linux/arm64]
        packages: []
        smoke:
          script: intel-opencl-default.sh
          expect: "^device: "
          noDevice: "^no device"
`);
    const image = validates(tree).images.get('intel-opencl-default')!;
    expect(image).toMatchObject({
      dist: 'bookworm',
      base: 'minideb-bookworm',
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(tree.read('images/intel-opencl-default/Dockerfile', 'utf-8')).toContain(
      'ARG BASE_IMAGE=acceleratorbase/minideb:bookworm',
    );
    expect(JSON.parse(tree.read('docker-bake.json', 'utf-8')!).target['intel-opencl-default']).toBeDefined();
  });

  test('the device-query stub fails until it is written', async () => {
    await acceleratorGenerator(tree, {
      name: 'intel-opencl',
      packages: 'intel-opencl-icd,clinfo',
      platforms: 'linux/amd64',
      deviceProfile: 'dri',
    });
    const stub = tree.read('generators/device-queries/intel-opencl-default.sh', 'utf-8')!;
    expect(stub).toMatch(/\nexit 1\n$/);
    expect(stub).not.toMatch(/^device: /m);
    const image = validates(tree).images.get('intel-opencl-default')!;
    expect(image).toMatchObject({ runtime: 'intel-opencl-icd', device: 'dri', platforms: ['linux/amd64'] });
    expect(tree.read('images/intel-opencl-default/Dockerfile', 'utf-8')).toContain(
      'RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \\\n    install_packages intel-opencl-icd \\\n      clinfo',
    );
  });

  test('packages from another source type', async () => {
    await acceleratorGenerator(tree, {
      name: 'tflite',
      packages: 'tflite-runtime',
      source: 'pip',
      base: 'minideb:trixie',
    });
    expect(tree.read('catalog.yaml', 'utf-8')).toContain('packages: [{ name: tflite-runtime, source: pypi }]');
    expect(validates(tree).images.get('tflite-default')!.packages[0]).toMatchObject({
      source: 'pypi',
      sourceType: 'pip',
    });
  });

  test.each([
    [{ name: 'Bad_Name' }, /accelerator "Bad_Name" is not a valid name/],
    [{ name: 'opencl' }, /accelerator "opencl" is already in catalog.yaml: use `nx g variant opencl NAME`/],
    [{ name: 'x', source: 'npm' }, /no source of type "npm" in catalog.yaml/],
    [
      { name: 'x', base: 'minideb:sid' },
      /the new entry does not validate:\ncatalog.yaml:\d+:\d+ accelerators.x.variants.default.base: minideb is not built for distribution "sid"/,
    ],
    [{ name: 'x', platforms: 'linux/riscv64' }, /"linux\/riscv64" is not one of linux\/amd64, linux\/arm64/],
  ])('%j is refused and nothing is written', async (options, message) => {
    await expect(acceleratorGenerator(tree, options)).rejects.toThrow(message);
    expect(tree.read('catalog.yaml', 'utf-8')).toBe(readFileSync(join(repoRoot, 'catalog.yaml'), 'utf8'));
    expect(tree.exists('images/x-default/Dockerfile')).toBe(false);
  });
});

describe('variant', () => {
  test('a third EdgeTPU clock setting', async () => {
    await variantGenerator(tree, {
      accelerator: 'edgetpu',
      name: 'eco',
      packages: 'libedgetpu1-std',
      source: 'coral',
      base: 'minideb:bullseye',
      deviceProfile: 'usb',
    });
    const text = tree.read('catalog.yaml', 'utf-8')!;
    expect(text).toContain('      eco:\n        base: minideb:bullseye\n');
    const image = validates(tree).images.get('edgetpu-eco')!;
    expect(image).toMatchObject({ dist: 'bullseye', device: 'usb', runtime: 'libedgetpu1-std' });
    expect(tree.exists('images/edgetpu-eco/Dockerfile')).toBe(true);
  });

  test.each([
    [{ accelerator: 'nope', name: 'x' }, /no accelerator "nope"/],
    [{ accelerator: 'edgetpu', name: 'max' }, /already has a variant "max"/],
  ])('%j is refused', async (options, message) => {
    await expect(variantGenerator(tree, options)).rejects.toThrow(message);
  });
});
