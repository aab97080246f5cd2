import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import { emptyLock } from '../catalog/lock.js';
import { CatalogError } from '../errors.js';
import { planImages } from '../plan/plan.js';
import { appBake, catalogImageFor, resolveVariants, type ResolveOptions } from './app-bake.js';
import { ownBaseReference } from './contexts.js';
import { parseVariantsFile } from './file.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const example = (p: string) => readFileSync(join(repoRoot, 'examples', p), 'utf8');
const catalog = parseCatalog(
  'catalog.yaml',
  readFileSync(join(repoRoot, 'catalog.yaml'), 'utf8'),
  new Set(['onnxruntime.py', 'cuda.py', 'edgetpu.py']),
  new Set(['opencl-vadd', 'vulkan-compute', 'cuda-ptx']),
);
const plan = planImages(catalog.model, emptyLock(), { namespace: '127.0.0.1:5000/acceleratorbase' });
const options = (over: Partial<ResolveOptions> = {}): ResolveOptions => ({
  plan,
  catalogNamespace: 'acceleratorbase',
  platforms: [],
  publishedRef: () => undefined,
  // Mock: registries outside this machine cannot be asked here; this stands in for their answer.
  externalPlatforms: async (ref) => (ref.startsWith('ghcr.io/') ? ['linux/amd64'] : undefined),
  ...over,
});
const errors = async (p: Promise<unknown>) => ((await p.catch((e) => e)) as CatalogError).message.split('\n');

describe('both input formats give the same variants', () => {
  test('accelbase format', () => {
    const vf = parseVariantsFile('variants.yaml', example('edgetpu-devicequery/variants.yaml'));
    expect(vf.format).toBe('accelbase');
    expect(vf.source).toEqual({ kind: 'local', context: '.', dockerfile: 'Dockerfile' });
    expect(vf.variants.map((v) => [v.image, v.tag, v.base])).toEqual([
      ['127.0.0.1:5000/examples/edgetpu-devicequery', 'std', 'edgetpu-std'],
      ['127.0.0.1:5000/examples/edgetpu-devicequery', 'max', 'edgetpu-max'],
    ]);
  });
  test('SODALITE format', () => {
    const vf = parseVariantsFile('sodalite.yaml', example('edgetpu-devicequery/sodalite.yaml'));
    expect(vf.format).toBe('sodalite');
    expect(vf.source).toEqual({ kind: 'local', context: '.', dockerfile: 'Dockerfile' });
    expect(vf.variants.map((v) => [v.image, v.tag, v.base])).toEqual([
      ['127.0.0.1:5000/examples/edgetpu-devicequery', 'std', 'acceleratorbase/edgetpu-std'],
      ['127.0.0.1:5000/examples/edgetpu-devicequery', 'max', 'acceleratorbase/edgetpu-max'],
    ]);
  });
  test('SODALITE git source', () => {
    const vf = parseVariantsFile(
      's.yaml',
      'source:\n  git_repo:\n    url: https://github.example/org/app\n    version: v1.2\n    dockerfile: docker/Dockerfile\n    workdir: app\ntarget:\n  registry: { url: "http://127.0.0.1:5000" }\n  images: [{ image: org/app, tag: x, base: acceleratorbase/opencl-pocl }]\n',
    );
    expect(vf.source).toEqual({
      kind: 'git',
      url: 'https://github.example/org/app',
      ref: 'v1.2',
      subdir: 'app',
      dockerfile: 'docker/Dockerfile',
    });
  });
});

describe('bad variants files are positioned errors', () => {
  const good = 'source:\n  context: .\ntarget:\n  image: r.example/a\nvariants:\n  - tag: std\n    base: opencl-pocl\n';
  test.each([
    [
      'credentials in the file',
      good.replace('  image: r.example/a\n', '  image: r.example/a\n  password: hunter2\n'),
      'x.yaml:5:13 target.password: credentials never sit in the variants file: use docker login (the credential store) or environment variables',
    ],
    [
      'a tag with a space',
      good.replace('tag: std', "tag: 'my tag'"),
      'x.yaml:6:10 variants.0.tag: not a valid Docker tag',
    ],
    [
      'a shell in the image name',
      good.replace('image: r.example/a', 'image: "r.example/a; rm -rf /"'),
      'x.yaml:4:10 target.image: not an image reference',
    ],
    [
      'a path escaping the source',
      good.replace('context: .', 'context: ../..'),
      'x.yaml:2:12 source.context: not a relative path inside the source',
    ],
  ])('%s', (_name, text, message) => {
    expect(() => parseVariantsFile('x.yaml', text)).toThrow(CatalogError);
    try {
      parseVariantsFile('x.yaml', text);
    } catch (e) {
      expect((e as CatalogError).message.split('\n')).toContain(message);
    }
  });
});

describe('resolving bases', () => {
  test.each([
    ['opencl-pocl', 'opencl-pocl'],
    ['acceleratorbase/opencl-pocl', 'opencl-pocl'],
    ['acceleratorbase/opencl-pocl:trixie', 'opencl-pocl'],
    ['acceleratorbase/minideb:bookworm', 'minideb-bookworm'],
    ['acceleratorbase/minideb', 'minideb-trixie'],
    ['docker.io/library/debian:trixie', undefined],
  ])('%s -> %s', (base, name) => {
    expect(catalogImageFor(base, plan, 'acceleratorbase')?.name).toBe(name);
  });

  test('platforms default to the base; one the base lacks, an unknown base and unknown external platforms are errors', async () => {
    const text = (variants: string) =>
      `source: { context: . }\ntarget: { image: 127.0.0.1:5000/app }\nvariants:\n${variants}`;
    const ok = await resolveVariants(
      parseVariantsFile(
        'v.yaml',
        text('  - { tag: gpu, base: onnxruntime-gpu }\n  - { tag: ext, base: ghcr.io/org/base:1 }\n'),
      ),
      options(),
    );
    expect(ok.map((v) => [v.target, v.baseSource, v.platforms])).toEqual([
      ['app-gpu', 'target:onnxruntime-gpu', ['linux/amd64']],
      ['app-ext', 'docker-image://ghcr.io/org/base:1', ['linux/amd64']],
    ]);
    expect(
      await errors(
        resolveVariants(
          parseVariantsFile(
            'v.yaml',
            text(
              '  - { tag: gpu, base: onnxruntime-gpu, platforms: [linux/arm64] }\n  - { tag: x, base: opencl-pcl }\n  - { tag: y, base: r.example/unknown }\n',
            ),
          ),
          options(),
        ),
      ),
    ).toEqual([
      'v.yaml:4:51 variants.0.platforms: base "onnxruntime-gpu" has no linux/arm64 image (it has linux/amd64)',
      'v.yaml:5:21 variants.1.base: unknown base "opencl-pcl": not a catalog image (did you mean "opencl-pocl"?), and not an image reference with a registry path',
      'v.yaml:6:5 variants.2: platforms of base "r.example/unknown" are unknown (its registry did not answer): list them under "platforms"',
    ]);
  });

  test('a base the last build pushed is used by digest instead of rebuilding the chain', async () => {
    const vf = parseVariantsFile('v.yaml', example('opencl-devicequery/variants.yaml'));
    const resolved = await resolveVariants(
      vf,
      options({
        publishedRef: (i) =>
          i.name === 'opencl-pocl' ? `127.0.0.1:5000/acceleratorbase/opencl-pocl@sha256:${'1'.repeat(64)}` : undefined,
      }),
    );
    expect(resolved.map((v) => v.baseSource)).toEqual([
      `docker-image://127.0.0.1:5000/acceleratorbase/opencl-pocl@sha256:${'1'.repeat(64)}`,
      'target:vulkan-lavapipe',
    ]);
  });
});

describe('app bake file', () => {
  test('the example Dockerfile is used unchanged: its FROM reference becomes a named context', async () => {
    const vf = parseVariantsFile('v.yaml', example('opencl-devicequery/variants.yaml'));
    const resolved = await resolveVariants(vf, options());
    const { bake, how } = appBake(
      example('opencl-devicequery/Dockerfile'),
      { context: '/ctx', dockerfile: '/ctx/Dockerfile' },
      resolved,
    );
    expect(how).toEqual({ 'opencl-devicequery-pocl': 'named-context', 'opencl-devicequery-lavapipe': 'named-context' });
    expect(bake.target['opencl-devicequery-lavapipe']).toEqual({
      context: '/ctx',
      dockerfile: '/ctx/Dockerfile',
      contexts: { 'acceleratorbase/opencl-pocl:trixie': 'target:vulkan-lavapipe' },
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['127.0.0.1:5000/examples/opencl-devicequery:lavapipe'],
    });
  });

  test('a FROM built from ARGs cannot be a named context: the Dockerfile is rewritten inline', async () => {
    const vf = parseVariantsFile('v.yaml', example('opencl-devicequery/variants.yaml'));
    const resolved = await resolveVariants(vf, options());
    const dockerfile = 'ARG FLAVOUR=pocl\nFROM acceleratorbase/opencl-${FLAVOUR}:trixie\nCMD ["clinfo"]\n';
    const { bake, how } = appBake(dockerfile, { context: '/ctx', dockerfile: '/ctx/Dockerfile' }, resolved);
    expect(how['opencl-devicequery-pocl']).toBe('rewritten');
    const t = bake.target['opencl-devicequery-pocl'];
    expect(t['dockerfile-inline']).toBe(
      'ARG FLAVOUR=pocl\nARG BASE_IMAGE=acceleratorbase/opencl-${FLAVOUR}:trixie\nFROM ${BASE_IMAGE}\nCMD ["clinfo"]\n',
    );
    expect(t.args).toEqual({ BASE_IMAGE: 'accelbase-variant-base/opencl-devicequery-pocl' });
    expect(t.contexts).toEqual({ 'accelbase-variant-base/opencl-devicequery-pocl': 'target:opencl-pocl' });
  });
});

describe("a variant without base builds on the Dockerfile's own FROM, not rewritten", () => {
  const text =
    'source:\n  dockerfile: { url: Dockerfile }\ntarget:\n  registry: { url: "http://127.0.0.1:5000" }\n  images:\n    - { image: app-authors/dq, tag: std }\n    - { image: app-authors/dq, tag: max, base: acceleratorbase/edgetpu-max }\n';
  test.each([
    // A catalog image as the own FROM: the catalog's build under that same name, the Dockerfile as it is.
    [
      'FROM acceleratorbase/edgetpu-std\nCMD ["true"]\n',
      'target:edgetpu-std',
      'named-context',
      { 'acceleratorbase/edgetpu-std': 'target:edgetpu-std' },
      'acceleratorbase/edgetpu-std',
    ],
    // Anything else: no overload at all.
    ['FROM ghcr.io/org/base:1\nCMD ["true"]\n', undefined, 'own-from', {}, 'ghcr.io/org/base:1'],
  ])('%s', async (dockerfile, baseSource, how, contexts, key) => {
    const vf = parseVariantsFile('s.yaml', text);
    const resolved = await resolveVariants(vf, options({ ownBase: ownBaseReference(dockerfile) }));
    expect(resolved[0].baseSource).toBe(baseSource);
    const app = appBake(dockerfile, { context: '/ctx', dockerfile: '/ctx/Dockerfile' }, resolved);
    expect(app.how['dq-std']).toBe(how);
    expect(app.bake.target['dq-std'].contexts).toEqual(contexts);
    expect(app.bake.target['dq-std'].dockerfile).toBe('/ctx/Dockerfile');
    expect(app.bake.target['dq-max'].contexts).toEqual({ [key]: 'target:edgetpu-max' });
  });

  test('an own FROM built from ARGs with no platforms listed is a positioned error', async () => {
    const vf = parseVariantsFile('s.yaml', text);
    const own = ownBaseReference('ARG B=x/y\nFROM ${B}\n');
    expect(own).toBeUndefined();
    expect(await errors(resolveVariants(vf, options({ ownBase: own })))).toContain(
      's.yaml:6:7 target.images.0: platforms of base "the Dockerfile\'s own FROM" are unknown (its registry did not answer): list them under "platforms"',
    );
  });
});
