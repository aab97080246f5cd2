import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing.js';
import { beforeEach, describe, expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import { run } from '../exec.js';
import { frozenCatalogRoot } from '../test/frozen-catalog.js';
import { acceleratorGenerator } from './generators/accelerator/generator.js';
import { variantGenerator } from './generators/variant/generator.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const frozenCatalog = readFileSync(join(frozenCatalogRoot, 'catalog.yaml'), 'utf8');
let tree: Tree;

/** Files of `dir` under `root`, written into the tree at `dir`. */
function copyInto(root: string, dir: string): void {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (e.isFile()) tree.write(`${dir}/${e.name}`, readFileSync(join(root, dir, e.name), 'utf8'));
  }
}

/**
 * An empty Nx workspace holding the frozen November 2026 catalog, its lock and device queries (never
 * the shipped catalog, which new accelerators change), and this checkout's templates.
 */
beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
  tree.write('catalog.yaml', frozenCatalog);
  tree.write('catalog.lock.yaml', readFileSync(join(frozenCatalogRoot, 'catalog.lock.yaml'), 'utf8'));
  for (const dir of ['generators/templates', 'generators/templates/partials']) copyInto(repoRoot, dir);
  copyInto(frozenCatalogRoot, 'generators/device-queries');
});

const validates = (t: Tree) =>
  parseCatalog(
    'catalog.yaml',
    t.read('catalog.yaml', 'utf-8')!,
    new Set(t.children('generators/device-queries')),
    new Set(t.children('generators/compute-probes')),
  ).model;
const editCatalog = (from: string, to: string) => {
  const text = tree.read('catalog.yaml', 'utf-8')!;
  expect(text).toContain(from);
  tree.write('catalog.yaml', text.replace(from, to));
};

describe('accelerator', () => {
  test('with a name and packages: Debian source, minideb on the default distribution, the base platforms', async () => {
    await acceleratorGenerator(tree, { name: 'intel-opencl', packages: 'intel-opencl-icd,clinfo' });
    const after = tree.read('catalog.yaml', 'utf-8')!;
    expect(after.startsWith(frozenCatalog.trimEnd())).toBe(true); // spliced at the end: every comment kept
    expect(after.slice(frozenCatalog.length - 1)).toBe(`
  intel-opencl:
    description: "intel-opencl runtime"
    variants:
      default:
        base: minideb:trixie
        runtime: intel-opencl-icd
        packages: [intel-opencl-icd, clinfo]
        smoke:
          script: intel-opencl-default.sh
          expect: "^device: "
          noDevice: "^no device"
`);
    expect(validates(tree).images.get('intel-opencl-default')).toMatchObject({
      dist: 'trixie',
      base: 'minideb-trixie',
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(tree.read('images/intel-opencl-default/Dockerfile', 'utf-8')).toContain(
      'ARG BASE_IMAGE=acceleratorbase/minideb:trixie',
    );
    expect(JSON.parse(tree.read('docker-bake.json', 'utf-8')!).target['intel-opencl-default']).toBeDefined();
  });

  test.each([
    ['defaultDistribution: trixie', 'defaultDistribution: bookworm', 'bookworm', ['linux/amd64', 'linux/arm64']],
    [
      '  platforms: [linux/amd64, linux/arm64]\n  smoke:',
      '  platforms: [linux/amd64]\n  smoke:',
      'trixie',
      ['linux/amd64'],
    ],
  ])('its defaults follow the catalog: %j -> %j gives %s on %j', async (from, to, dist, platforms) => {
    editCatalog(from, to);
    await acceleratorGenerator(tree, { name: 'armnn', packages: 'libarmnn33t64' });
    expect(tree.read('catalog.yaml', 'utf-8')).toContain(
      `      default:\n        base: minideb:${dist}\n        runtime:`,
    );
    expect(validates(tree).images.get('armnn-default')).toMatchObject({ dist, platforms });
  });

  test('the device-query stub exits non-zero, naming the file to edit, until it is written', async () => {
    await acceleratorGenerator(tree, {
      name: 'intel-opencl',
      packages: 'intel-opencl-icd,clinfo',
      platforms: 'linux/amd64',
      deviceProfile: 'dri',
    });
    const stub = tree.read('generators/device-queries/intel-opencl-default.sh', 'utf-8')!;
    const ran = await run('sh', ['-c', stub], { allowFailure: true });
    expect(ran).toMatchObject({ exitCode: 1, stdout: '' });
    expect(ran.stderr).toMatch(/^edit generators\/device-queries\/intel-opencl-default\.sh: /);
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
    [
      { name: 'armnn' },
      /^armnn-default would install no packages: name them with --packages=NAME\[,NAME\.\.\.\] \(the first names the image's runtime version\)$/,
    ],
    [{ name: 'armnn', packages: ' , ' }, /armnn-default would install no packages/],
    [
      { name: 'opencl', packages: 'x' },
      /accelerator "opencl" is already in catalog.yaml: use `nx g variant opencl NAME`/,
    ],
    [{ name: 'x', packages: 'x', source: 'npm' }, /no source of type "npm" in catalog.yaml/],
    [
      { name: 'x', packages: 'x', base: 'minideb:sid' },
      /the new entry does not validate:\ncatalog.yaml:\d+:\d+ accelerators.x.variants.default.base: minideb is not built for distribution "sid"/,
    ],
    [
      { name: 'x', packages: 'x', platforms: 'linux/riscv64' },
      /"linux\/riscv64" is not one of linux\/amd64, linux\/arm64/,
    ],
  ])('%j is refused and nothing is written', async (options, message) => {
    await expect(acceleratorGenerator(tree, options)).rejects.toThrow(message);
    expect(tree.read('catalog.yaml', 'utf-8')).toBe(frozenCatalog);
    expect(tree.children('images')).toEqual([]);
    expect(tree.children('generators/device-queries')).toEqual(
      readdirSync(join(frozenCatalogRoot, 'generators/device-queries')),
    );
  });
});

describe('variant', () => {
  test("a third EdgeTPU clock setting: base from the accelerator's defaults", async () => {
    await variantGenerator(tree, {
      accelerator: 'edgetpu',
      name: 'eco',
      packages: 'libedgetpu1-std',
      source: 'coral',
      deviceProfile: 'usb',
    });
    const text = tree.read('catalog.yaml', 'utf-8')!;
    expect(text).toContain('      eco:\n        runtime: libedgetpu1-std\n');
    const image = validates(tree).images.get('edgetpu-eco')!;
    expect(image).toMatchObject({ dist: 'bullseye', device: 'usb', runtime: 'libedgetpu1-std' });
    expect(tree.exists('images/edgetpu-eco/Dockerfile')).toBe(true);
  });

  test.each([
    [{ accelerator: 'nope', name: 'x' }, /no accelerator "nope"/],
    [{ accelerator: 'edgetpu', name: 'max', packages: 'x' }, /already has a variant "max"/],
    [{ accelerator: 'edgetpu', name: 'eco' }, /edgetpu-eco would install no packages/],
  ])('%j is refused', async (options, message) => {
    await expect(variantGenerator(tree, options)).rejects.toThrow(message);
    expect(tree.read('catalog.yaml', 'utf-8')).toBe(frozenCatalog);
  });
});
