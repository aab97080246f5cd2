// SBOM documents from recorded facts: purls, the SPDX 2.3 document validated against the vendored
// SPDX 2.3 JSON schema (subset, see schema/), CycloneDX 1.5 structure, determinism, and the clear
// error where no installed set was recorded.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { loadCatalog, workspaceFor } from '../catalog/load.js';
import type { Lock } from '../catalog/lock.js';
import { installedPackages } from '../datasources/debian/dpkg-status.js';
import { planImages, type Plan } from '../plan/plan.js';
import { cyclonedxBom } from './cyclonedx.js';
import { sbomDocument } from './format.js';
import { sbomInput, sbomPlatform, type SbomFacts, type SbomInput } from './input.js';
import { debPurl, npmPurl, ociPurl, pypiPurl } from './purl.js';
import { spdxDocument } from './spdx.js';
import { frozenCatalogRoot } from '../test/frozen-catalog.js';

const spdxSchema = z.fromJSONSchema(
  JSON.parse(readFileSync(join(import.meta.dirname, 'schema', 'spdx-2.3.subset.schema.json'), 'utf8')),
);

const D = (n: string) => `sha256:${n.repeat(64).slice(0, 64)}`;
/** A small installed set as dpkg records it: an epoch, a `+` in a name, `~` in a version. */
const INSTALLED = {
  libc6: '2.41-12',
  'libstdc++6': '14.2.0-19',
  'ocl-icd-libopencl1': '2.3.3-1',
  'pocl-opencl-icd': '6.0-6',
  'python3-numpy': '1:2.2.4+ds-1',
  clinfo: '3.0.25.02.14-1',
  tzdata: '2025b~rc1-1',
};

// The frozen November 2026 catalog and lock: the snapshots never follow the shipped ones.
const loaded = loadCatalog(workspaceFor(join(frozenCatalogRoot, 'catalog.yaml')));
function factsWith(
  lock: Lock,
  pushed: SbomFacts['pushed'] = () => undefined,
  buildDate?: string,
): { plan: Plan; facts: SbomFacts } {
  const plan = planImages(loaded.model, lock, { namespace: '127.0.0.1:5000/acceleratorbase' });
  return {
    plan,
    facts: {
      plan,
      catalog: loaded.model.catalog,
      lock,
      pushed,
      buildDate,
      tool: { name: 'accelbase', version: '0.0.0-test' },
    },
  };
}
const lockWith = (image: string, platforms: Record<string, object>): Lock => ({
  ...loaded.lock,
  images: {
    ...loaded.lock.images,
    [image]: {
      updated: '2026-11-28',
      platforms: {
        ...loaded.lock.images[image]?.platforms,
        ...Object.fromEntries(
          Object.entries(platforms).map(([p, v]) => [
            p,
            { ...loaded.lock.images[image]?.platforms[p as 'linux/amd64'], ...v },
          ]),
        ),
      },
    },
  },
});

function inputFor(
  image: string,
  platform: 'linux/amd64' | 'linux/arm64',
  lock: Lock,
  pushed?: SbomFacts['pushed'],
  buildDate?: string,
): SbomInput {
  const { plan, facts } = factsWith(lock, pushed, buildDate);
  const planned = plan.images.find((i) => i.name === image)!;
  return sbomInput(planned, planned.tags[planned.tags.length - 1], platform, facts);
}

const poclLock = lockWith('opencl-pocl', {
  'linux/amd64': { installed: INSTALLED, digest: D('a'), baseDigest: D('b') },
  'linux/arm64': { installed: INSTALLED, digest: D('a'), baseDigest: D('b') },
});
const pocl = inputFor('opencl-pocl', 'linux/arm64', poclLock);

describe('purls', () => {
  test.each([
    [
      'deb with an epoch',
      debPurl('python3-numpy', '1:2.2.4+ds-1', 'linux/amd64', '13'),
      'pkg:deb/debian/python3-numpy@1%3A2.2.4%2Bds-1?arch=amd64&distro=debian-13',
    ],
    [
      'deb with + in the name',
      debPurl('libstdc++6', '14.2.0-19', 'linux/arm64', '12'),
      'pkg:deb/debian/libstdc%2B%2B6@14.2.0-19?arch=arm64&distro=debian-12',
    ],
    [
      'deb with ~',
      debPurl('tzdata', '2025b~rc1-1', 'linux/amd64', '11'),
      'pkg:deb/debian/tzdata@2025b~rc1-1?arch=amd64&distro=debian-11',
    ],
    ['pypi, normalized', pypiPurl('Onnx_Runtime.GPU', '1.22.0'), 'pkg:pypi/onnx-runtime-gpu@1.22.0'],
    ['npm', npmPurl('left-pad', '1.3.0'), 'pkg:npm/left-pad@1.3.0'],
    ['npm, scoped', npmPurl('@types/node', '20.19.43'), 'pkg:npm/%40types/node@20.19.43'],
    [
      'oci',
      ociPurl('127.0.0.1:5000/acceleratorbase/opencl-pocl', D('a'), { platform: 'linux/arm64', tag: '6.0-trixie' }),
      `pkg:oci/opencl-pocl@sha256%3A${'a'.repeat(64)}?arch=arm64&repository_url=127.0.0.1:5000/acceleratorbase/opencl-pocl&tag=6.0-trixie`,
    ],
    ['oci without a digest', ociPurl('r.example/ns/x', undefined), 'pkg:oci/x?repository_url=r.example/ns/x'],
  ])('%s', (_, purl, expected) => expect(purl).toBe(expected));
});

describe('facts', () => {
  test('the lock installed set, the Debian major from the catalog, the base chain with digests', () => {
    expect(pocl.installedFrom).toBe('lock');
    expect(pocl.debianMajor).toBe('13');
    expect(pocl.digest).toBe(D('a'));
    expect(pocl.date).toBe('2026-11-28');
    expect(pocl.bases).toEqual([
      {
        name: 'minideb-trixie',
        repository: '127.0.0.1:5000/acceleratorbase/minideb',
        ref: 'acceleratorbase/minideb:trixie',
        digest: D('b'),
      },
    ]);
  });

  test('before publish: the last push answers, dated by that build', () => {
    const input = inputFor(
      'opencl-pocl',
      'linux/amd64',
      loaded.lock,
      (i) =>
        i === 'opencl-pocl'
          ? {
              repository: '127.0.0.1:5000/acceleratorbase/opencl-pocl',
              digest: D('c'),
              installed: { 'linux/amd64': { libc6: '2.41-12' } },
            }
          : undefined,
      '20261201',
    );
    expect(input).toMatchObject({
      installedFrom: 'build',
      digest: D('c'),
      date: '2026-12-01',
      debs: { libc6: '2.41-12' },
    });
  });

  test('build --push describes what it pushed: the push before an older locked set', () => {
    const pushed: SbomFacts['pushed'] = (i) =>
      i === 'opencl-pocl'
        ? {
            repository: '127.0.0.1:5000/acceleratorbase/opencl-pocl',
            digest: D('c'),
            installed: { 'linux/arm64': { libc6: '2.41-13' } },
          }
        : i === 'minideb-trixie'
          ? { repository: '127.0.0.1:5000/acceleratorbase/minideb', digest: D('e') }
          : undefined;
    const { plan, facts } = factsWith(poclLock, pushed, '20261202');
    const image = plan.images.find((i) => i.name === 'opencl-pocl')!;
    expect(sbomInput(image, '6.0-trixie', 'linux/arm64', facts)).toMatchObject({
      installedFrom: 'lock',
      digest: D('a'),
      bases: [{ digest: D('b') }],
    });
    expect(sbomInput(image, '6.0-trixie', 'linux/arm64', { ...facts, preferPushed: true })).toMatchObject({
      installedFrom: 'build',
      debs: { libc6: '2.41-13' },
      digest: D('c'),
      date: '2026-12-02',
      bases: [{ digest: D('e') }],
    });
  });

  test('pip packages where the image has them', () => {
    const lock = lockWith('onnxruntime-gpu', {
      'linux/amd64': {
        installed: INSTALLED,
        packages: {
          ...loaded.lock.images['onnxruntime-gpu'].platforms['linux/amd64']!.packages,
          'onnxruntime-gpu': '1.22.0',
          onnx: '1.17.0',
        },
      },
    });
    const input = inputFor('onnxruntime-gpu', 'linux/amd64', lock);
    expect(input.pip).toEqual([
      { name: 'onnx', version: '1.17.0' },
      { name: 'onnxruntime-gpu', version: '1.22.0' },
    ]);
    expect(input.bases.map((b) => b.name)).toEqual(['cuda-runtime', 'minideb-trixie']);
    expect(spdxSchema.safeParse(spdxDocument(input)).success).toBe(true);
  });

  test.each([
    [
      'nothing recorded',
      () => inputFor('opencl-pocl', 'linux/amd64', loaded.lock),
      /opencl-pocl \(linux\/amd64\): no installed package set is recorded \(catalog\.lock\.yaml images\.opencl-pocl\.platforms\.linux\/amd64\.installed is absent/,
    ],
    [
      'a push to another registry',
      () =>
        inputFor(
          'opencl-pocl',
          'linux/amd64',
          loaded.lock,
          () => ({ repository: 'elsewhere:5000/x/opencl-pocl', installed: { 'linux/amd64': { libc6: '1' } } }),
          '20261201',
        ),
      /no installed package set is recorded/,
    ],
  ])('%s: a clear error, nothing invented', (_, run, message) => expect(run).toThrow(message));

  test.each([
    [[], /built for linux\/amd64 and linux\/arm64: name one with --platform/],
    [['linux/amd64', 'linux/arm64'], /give one --platform/],
  ] as const)('platform %j', (asked, message) => {
    const image = factsWith(loaded.lock).plan.images.find((i) => i.name === 'opencl-pocl')!;
    expect(() => sbomPlatform(image, asked)).toThrow(message);
  });
});

describe('SPDX 2.3', () => {
  test('the document validates against the SPDX 2.3 JSON schema, and matches its snapshot', async () => {
    const doc = spdxDocument(pocl);
    const result = spdxSchema.safeParse(doc);
    expect(result.success, result.error?.message).toBe(true);
    await expect(sbomDocument(pocl, 'spdx-json').text).toMatchFileSnapshot('__snapshots__/opencl-pocl.arm64.spdx.json');
  });

  test('ids are unique and every relationship names a package of the document', () => {
    const doc = spdxDocument({ ...pocl, debs: { ...pocl.debs, 'libstdc--6': '1' } });
    const ids = doc.packages.map((p) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of doc.relationships) expect([...ids, 'SPDXRef-DOCUMENT']).toContain(r.relatedSpdxElement);
    expect(doc.relationships.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(
      Object.keys(pocl.debs).length + 1,
    );
    expect(doc.relationships).toContainEqual({
      spdxElementId: 'SPDXRef-image',
      relationshipType: 'DESCENDANT_OF',
      relatedSpdxElement: 'SPDXRef-base-minideb-trixie',
    });
  });

  test('deterministic: the same facts give the same bytes; other facts another namespace', () => {
    expect(sbomDocument(pocl, 'spdx-json').text).toBe(sbomDocument(structuredClone(pocl), 'spdx-json').text);
    expect(spdxDocument({ ...pocl, debs: { libc6: '2.41-13' } }).documentNamespace).not.toBe(
      spdxDocument(pocl).documentNamespace,
    );
    expect(spdxDocument(pocl).creationInfo.created).toBe('2026-11-28T00:00:00Z');
  });

  test.each([
    ['an unknown top-level field', (d: Record<string, unknown>) => ({ ...d, files: [] })],
    ['another SPDX version', (d: Record<string, unknown>) => ({ ...d, spdxVersion: 'SPDX-2.2' })],
    [
      'a package without downloadLocation',
      (d: Record<string, unknown>) => ({ ...d, packages: [{ SPDXID: 'SPDXRef-x', name: 'x' }] }),
    ],
    [
      'an SPDXID with a +',
      (d: Record<string, unknown>) => ({
        ...d,
        packages: [{ SPDXID: 'SPDXRef-libstdc++6', name: 'x', downloadLocation: 'NOASSERTION' }],
      }),
    ],
    [
      'an unknown relationship',
      (d: Record<string, unknown>) => ({
        ...d,
        relationships: [
          { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'HAS', relatedSpdxElement: 'SPDXRef-image' },
        ],
      }),
    ],
    [
      'a created date without a time',
      (d: Record<string, unknown>) => ({
        ...d,
        creationInfo: { created: '2026-11-28', creators: ['Tool: accelbase-1'] },
      }),
    ],
  ])('the schema refuses %s', (_, mutate) => {
    expect(spdxSchema.safeParse(mutate(spdxDocument(pocl) as unknown as Record<string, unknown>)).success).toBe(false);
  });

  test.skipIf(!existsSync('/var/lib/dpkg/status'))("a real installed set (this host's dpkg database) validates", () => {
    const debs = installedPackages(readFileSync('/var/lib/dpkg/status', 'utf8'));
    expect(Object.keys(debs).length).toBeGreaterThan(50);
    const result = spdxSchema.safeParse(spdxDocument({ ...pocl, debs }));
    expect(result.success, result.error?.message).toBe(true);
  });
});

describe('CycloneDX 1.5', () => {
  const bom = cyclonedxBom({ ...pocl, npm: [{ name: '@types/node', version: '20.19.43' }] });

  test('structure: format, version, serial number, image component with its ancestors, one library per package', async () => {
    expect(bom).toMatchObject({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      metadata: {
        timestamp: '2026-11-28T00:00:00Z',
        component: { type: 'container', name: '127.0.0.1:5000/acceleratorbase/opencl-pocl' },
      },
    });
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bom.metadata.component.pedigree?.ancestors.map((a) => a.name)).toEqual([
      '127.0.0.1:5000/acceleratorbase/minideb',
    ]);
    expect(bom.components).toHaveLength(Object.keys(pocl.debs).length + 1);
    const refs = bom.components.map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    for (const c of bom.components)
      expect(c).toMatchObject({
        type: 'library',
        purl: c['bom-ref'],
        name: expect.any(String),
        version: expect.any(String),
      });
    expect(bom.dependencies).toEqual([{ ref: bom.metadata.component['bom-ref'], dependsOn: refs }]);
    expect(bom.components.at(-1)?.purl).toBe('pkg:npm/%40types/node@20.19.43');
    await expect(sbomDocument(pocl, 'cyclonedx-json').text).toMatchFileSnapshot(
      '__snapshots__/opencl-pocl.arm64.cdx.json',
    );
  });

  test('deterministic serial number', () => {
    expect(cyclonedxBom(pocl).serialNumber).toBe(cyclonedxBom(structuredClone(pocl)).serialNumber);
    expect(cyclonedxBom({ ...pocl, debs: {} }).serialNumber).not.toBe(cyclonedxBom(pocl).serialNumber);
  });
});
