import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { loadCatalog, workspaceFor } from '../catalog/load.js';
import { planImages } from '../plan/plan.js';
import { renderAll } from '../render/render.js';
import { frozenCatalogRoot } from '../test/frozen-catalog.js';
import { createNodesV2 } from './plugin.js';

// The image.json files of the frozen November 2026 catalog, rendered into a scratch workspace: the
// shipped images/ folder changes with every accelerator a maintainer adds.
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const workspace = mkdtempSync(join(tmpdir(), 'accelbase-plugin-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const frozen = loadCatalog(workspaceFor(join(frozenCatalogRoot, 'catalog.yaml')));
const files = [...renderAll(repoRoot, planImages(frozen.model, frozen.lock), frozen.model.catalog)]
  .filter(([path]) => /^images\/[^/]+\/image\.json$/.test(path))
  .map(([path, content]) => {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), content);
    return path;
  });

test('one Nx project per rendered image folder, with edges to its bases', async () => {
  const [pattern, createNodes] = createNodesV2;
  expect(pattern).toBe('images/*/image.json');
  const results = await createNodes(files, undefined, { workspaceRoot: workspace });
  const projects = Object.fromEntries(results.flatMap(([, r]) => Object.values(r.projects)).map((p) => [p.name, p]));
  expect(Object.keys(projects).sort()).toEqual(files.map((f) => f.split('/')[1]).sort());
  expect(projects.minideb.implicitDependencies).toEqual([]);
  expect(projects['opencl-pocl'].implicitDependencies).toEqual(['minideb']);
  expect(projects['onnxruntime-gpu'].implicitDependencies).toEqual(['cuda-runtime']);
  expect(projects['opencl-pocl'].root).toBe('images/opencl-pocl');
  expect(projects['opencl-pocl'].targets.render.options).toEqual({
    command: 'accelbase render',
    cwd: '{workspaceRoot}',
  });
  expect(projects['opencl-pocl'].targets.build).toMatchObject({
    options: { command: 'accelbase build opencl-pocl' },
    configurations: { push: { command: 'accelbase build opencl-pocl --push' } },
    dependsOn: ['^build'],
  });
  expect(projects.minideb.targets.smoke.options.command).toBe(
    'accelbase smoke minideb-trixie minideb-bookworm minideb-bullseye',
  );
});
