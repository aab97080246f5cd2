import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createNodesV2 } from './plugin.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const files = readdirSync(join(repoRoot, 'images'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `images/${d.name}/image.json`);

test('one Nx project per rendered image folder, with edges to its bases', async () => {
  const [pattern, createNodes] = createNodesV2;
  expect(pattern).toBe('images/*/image.json');
  const results = await createNodes(files, undefined, { workspaceRoot: repoRoot });
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
