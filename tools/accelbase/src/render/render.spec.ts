import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixtureLock, fixtureModel } from '../catalog/fixtures/load.js';
import { loadCatalog, workspaceFor } from '../catalog/load.js';
import { planImages } from '../plan/plan.js';
import { pep440, renderAll, tidy } from './render.js';
import { diffRendered } from './write.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const model = fixtureModel;
const lock = fixtureLock;
const files = renderAll(repoRoot, planImages(model, lock), model.catalog);

describe('rendered Dockerfiles (file snapshots a reviewer reads)', () => {
  test.each(['minideb', 'opencl-pocl', 'opencl-app', 'vendor-std'])('%s', async (project) => {
    await expect(files.get(`images/${project}/Dockerfile`)).toMatchFileSnapshot(
      `./__snapshots__/${project}.Dockerfile`,
    );
  });
});

test('locked versions are pinned; unlocked pip and npm packages keep their range', () => {
  expect(files.get('images/opencl-pocl/Dockerfile')).toContain(
    'RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \\\n    install_packages pocl-opencl-icd=6.0-6 \\\n      clinfo=3.0.25.02.14-1\n',
  );
  const app = files.get('images/opencl-app/Dockerfile')!;
  expect(app).toContain("'numpy>=1.26.0,<3.0.0'");
  expect(app).toContain("npm install --global --omit=dev 'onnxruntime-node@^1.20.0'");
  expect(app).toContain(
    'ADD --checksum=sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 https://example.org/models/model.onnx /opt/models/model.onnx',
  );
  expect(app).toContain("RUN sed -i -E 's/^(deb .*) main$/\\1 main non-free/' /etc/apt/sources.list");
});

test('every rendered Dockerfile takes its base through ARG BASE_IMAGE', () => {
  for (const [path, text] of files) {
    if (!path.endsWith('Dockerfile') || path.includes('minideb')) continue;
    expect(text).toMatch(/^ARG BASE_IMAGE=\S+$/m);
    // Every stage starts from the base; the image is the last one (a vendor key has a stage of its own).
    const froms = text.split('\n').filter((l) => l.startsWith('FROM '));
    expect(
      froms.slice(0, -1).every((l) => /^FROM \$\{BASE_IMAGE\} AS key-[a-z0-9-]+$/.test(l)),
      froms.join('\n'),
    ).toBe(true);
    expect(froms.at(-1)).toBe('FROM ${BASE_IMAGE}');
  }
});

test('a vendor repository key is fetched and checked in its own stage: no curl, gnupg or key file in the image', () => {
  const vendor = [...files].filter(([path, text]) => path.endsWith('Dockerfile') && text.includes('AS key-'));
  expect(vendor.length).toBeGreaterThan(0);
  for (const [path, text] of vendor) {
    const image = text.slice(text.lastIndexOf('\nFROM '));
    expect(image, path).not.toMatch(/\b(?:curl|gnupg|gpg --|GNUPGHOME)\b|\.key\b/);
    expect(image, path).toMatch(/^COPY --from=key-[a-z0-9-]+ \/accelbase-[a-z0-9-]+\.gpg \/usr\/share\/keyrings\//m);
    // The key stage names the source and both fingerprints when the key is not the pinned one.
    expect(text, path).toMatch(/the key at \S+ has fingerprint \$\{found:-\(none\) \}not the pinned [0-9A-F]{40}/);
  }
});

test('the device-query script and image.json travel with the image', () => {
  expect(files.get('images/opencl-app/onnxruntime.py')).toBe(
    readFileSync(join(repoRoot, 'generators', 'device-queries', 'onnxruntime.py'), 'utf8'),
  );
  const json = JSON.parse(files.get('images/opencl-app/image.json')!);
  expect(json).toMatchObject({
    name: 'opencl-app',
    dependsOn: ['opencl-pocl'],
    images: [{ name: 'opencl-app', platforms: ['linux/amd64'] }],
  });
  expect(JSON.parse(files.get('images/minideb/image.json')!).images.map((i: { name: string }) => i.name)).toEqual([
    'minideb-trixie',
    'minideb-bullseye',
  ]);
});

test('the committed images/ and docker-bake.json match a fresh render of catalog.yaml', () => {
  const loaded = loadCatalog(workspaceFor(join(repoRoot, 'catalog.yaml')));
  const fresh = renderAll(repoRoot, planImages(loaded.model, loaded.lock), loaded.model.catalog);
  expect(diffRendered(repoRoot, fresh)).toEqual({ changed: [], added: [], stale: [] });
});

test.each([
  ['>=1.20 <2', '>=1.20.0,<2.0.0'],
  ['^1.2.3', '>=1.2.3,<2.0.0'],
  ['1.2.3', '==1.2.3'],
  ['*', ''],
])('pep440(%s) = %s', (range, expected) => {
  expect(pep440(range)).toBe(expected);
});

test('tidy keeps single blank lines and one final newline', () => {
  expect(tidy('a  \n\n\n\nb\n\n')).toBe('a\n\nb\n');
});
