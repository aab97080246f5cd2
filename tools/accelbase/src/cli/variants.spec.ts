import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { frozenCatalogRoot } from '../test/frozen-catalog.js';
import { main } from './main.js';

// Bad variants input is refused before any engine is asked to build or push anything: these run
// without an engine, so reaching the build would fail with "no build engine answers" instead.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'accelbase-variants-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM acceleratorbase/opencl-pocl:trixie AS app\nCMD ["clinfo"]\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function variants(yaml: string, dockerfile?: string) {
  writeFileSync(join(dir, 'variants.yaml'), yaml);
  if (dockerfile !== undefined) writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  let stderr = '';
  const code = await main(
    ['variants', join(dir, 'variants.yaml'), '--catalog', join(frozenCatalogRoot, 'catalog.yaml'), '--push'],
    () => undefined,
    (t) => void (stderr += t),
  );
  return { code, stderr: stderr.replaceAll(`${dir}/`, '').replaceAll(dir.replace(/^\//, ''), '') };
}

const file = (variant: string, source = 'source: { context: . }') =>
  `${source}\ntarget: { image: 127.0.0.1:5000/t/app }\nvariants:\n${variant}`;

test.each([
  [
    'an unknown base',
    file('  - { tag: a, base: opencl-pokl }\n'),
    undefined,
    /variants\.yaml:4:21 variants\.0\.base: unknown base "opencl-pokl": not a catalog image \(did you mean "opencl-pocl"\?\)/,
  ],
  [
    'a platform the base lacks',
    file('  - { tag: a, base: onnxruntime-gpu, platforms: [linux/arm64] }\n'),
    undefined,
    /variants\.yaml:4:49 variants\.0\.platforms: base "onnxruntime-gpu" has no linux\/arm64 image/,
  ],
  [
    'a Dockerfile with no FROM',
    file('  - { tag: a, base: opencl-pocl }\n'),
    'RUN echo hi\n',
    /Dockerfile:1:1 the Dockerfile has no FROM instruction/,
  ],
  [
    'a stage that does not exist',
    file('  - { tag: a, base: opencl-pocl }\n', 'source: { context: ., stage: nope }'),
    undefined,
    /Dockerfile:1:1 stage "nope" does not exist; the Dockerfile has stages: 0 \(app\)/,
  ],
  [
    'a git URL that cannot be cloned',
    file('  - { tag: a, base: opencl-pocl }\n', 'source: { git: { url: "file:///nonexistent/repo.git" } }'),
    undefined,
    /variants\.yaml:1:23 source\.git\.url: cannot clone file:\/\/\/nonexistent\/repo\.git at HEAD: fatal: '\/nonexistent\/repo\.git' does not appear to be a git repository/,
  ],
])('%s: a positioned error, nothing built or pushed', async (_name, yaml, dockerfile, message) => {
  const r = await variants(yaml, dockerfile);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/no build engine|buildx/);
});
