// `accelbase docs` through main(): a throwaway workspace on the frozen November catalog and the results a
// build, smoke and outdated run leave in .accelbase/; the matrix and SBOMs written into --output.
// The registry named (127.0.0.1:1, nothing listens) does not answer: sizes come from the results.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { builtOpenclPocl } from '../test/docs-facts.js';
import { fixtureWorkspace } from '../test/fixture-workspace.js';
import { main } from './main.js';

const NS = '127.0.0.1:1/night';
const D = (c: string) => `sha256:${c.repeat(64)}`;
let ws: string;

const write = (path: string, value: unknown) => {
  mkdirSync(join(ws, path, '..'), { recursive: true });
  writeFileSync(join(ws, path), JSON.stringify(value));
};

beforeEach(() => {
  ws = fixtureWorkspace('accelbase-docs-');
  write('.accelbase/build/results.json', {
    date: '20261202',
    output: 'push',
    results: [
      builtOpenclPocl(NS),
      {
        image: 'edgetpu-std',
        repository: `${NS}/edgetpu-std`,
        platforms: ['linux/amd64', 'linux/arm64'],
        status: 'skipped',
        reason: 'unreachable source https://packages.cloud.google.com/apt (ENOTFOUND)',
        tags: [],
        durationS: 0,
      },
    ],
  });
  write('.accelbase/smoke/results.json', {
    results: [
      {
        image: 'opencl-pocl',
        platform: 'linux/amd64',
        ref: `${NS}/opencl-pocl@${D('2')}`,
        outcome: 'passed',
        detail: 'Device #0',
        durationS: 1,
        exitCode: 0,
      },
    ],
  });
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

test('docs --output DIR --json: the matrix with facts, an SBOM per platform with an installed set', async () => {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['--catalog', join(ws, 'catalog.yaml'), '--registry', NS, 'docs', '--output', join(ws, 'site'), '--json'],
    (t) => void (stdout += t),
    (t) => void (stderr += t),
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const result = JSON.parse(stdout);
  expect(result.files).toEqual(
    ['README.md', 'index.html', 'sbom/opencl-pocl.amd64.spdx.json', 'sbom/opencl-pocl.arm64.spdx.json'].map((f) =>
      join(ws, 'site', f),
    ),
  );
  expect(result.facts['opencl-pocl']['linux/amd64']).toMatchObject({
    status: 'passed',
    size: { bytes: 71_000_000, from: 'results' },
    packageCount: 1,
    outdatedCount: null,
    sbom: 'sbom/opencl-pocl.amd64.spdx.json',
  });
  expect(result.facts['opencl-pocl']['linux/arm64'].status).toBe('not-tested');
  expect(result.facts['edgetpu-std']['linux/amd64'].statusText).toBe(
    'not built: unreachable source https://packages.cloud.google.com/apt (ENOTFOUND)',
  );
  const md = readFileSync(join(ws, 'site', 'README.md'), 'utf8');
  expect(md).toContain('| [`opencl-pocl`](../images/opencl-pocl/Dockerfile) |');
  expect(md).toContain(
    '| `opencl-pocl` | amd64 | passed | 2026-12-02 | `sha256:222222222222` | 71.0 MB (recorded) | 1 | not checked | [SBOM](sbom/opencl-pocl.amd64.spdx.json) |',
  );
  expect(JSON.parse(readFileSync(join(ws, 'site', 'sbom', 'opencl-pocl.arm64.spdx.json'), 'utf8')).spdxVersion).toBe(
    'SPDX-2.3',
  );
  // The committed matrix is render's: docs never writes there.
  expect(existsSync(join(ws, 'images', 'index.html'))).toBe(false);
});
