// Engine tier: the accelerator generator for real, on a temporary clone of this repository: the
// result validates, renders cleanly, and its Debian-sourced image builds.
import { envConfig } from '../test/run-config.js';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { engineUp } from '../engine/engine.js';
import { run } from '../exec.js';
import { cloneRepo, repoRoot } from '../test/clone.js';

let clone = '';

beforeAll(async () => {
  await engineUp(envConfig());
  clone = cloneRepo('accelbase-generator-');
});
afterAll(() => rmSync(clone, { recursive: true, force: true }));

test('nx g accelerator, then validate, render --check and build', async () => {
  const cli = (...args: string[]) =>
    run('node', [join(clone, 'tools', 'accelbase', 'bin', 'accelbase.js'), ...args], {
      cwd: clone,
      allowFailure: true,
      timeoutMs: 30 * 60_000,
    });
  // Whatever the catalog holds: one image more than before, on minideb of its default distribution.
  const imagesBefore: { name: string }[] = JSON.parse((await cli('validate', '--json')).stdout).images;
  const { defaultDistribution } = parse(readFileSync(join(clone, 'catalog.yaml'), 'utf8'));
  const nx = join(repoRoot, 'node_modules', '.bin', 'nx');
  const env = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  const gen = await run(
    nx,
    [
      'g',
      'accelerator',
      'opencl-loader',
      '--packages=ocl-icd-libopencl1,clinfo',
      '--platforms=linux/amd64',
      '--no-interactive',
    ],
    { cwd: clone, env, allowFailure: true, timeoutMs: 300_000 },
  );
  expect(gen.exitCode, gen.stdout + gen.stderr).toBe(0);
  // Nx colours its output under CI=true.
  expect(gen.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toContain('CREATE images/opencl-loader-default/Dockerfile');
  const after = JSON.parse((await cli('validate', '--json')).stdout);
  expect(after.ok).toBe(true);
  expect(after.images).toHaveLength(imagesBefore.length + 1);
  expect(after.images).toEqual(
    expect.arrayContaining([...imagesBefore, { name: 'opencl-loader-default', project: 'opencl-loader-default' }]),
  );
  expect((await cli('render', '--check')).exitCode).toBe(0);
  const build = await cli('build', 'opencl-loader-default', '--registry', '127.0.0.1:5000/generated', '--json');
  expect(build.exitCode, build.stderr.slice(-3000)).toBe(0);
  expect(
    JSON.parse(build.stdout).results.map((r: { image: string; status: string }) => `${r.image} ${r.status}`),
  ).toEqual([
    expect.stringMatching(new RegExp(`^minideb-${defaultDistribution} (built|cached)$`)),
    expect.stringMatching(/^opencl-loader-default (built|cached)$/),
  ]);
  // The stub device query fails until a maintainer writes it: never a silent pass.
  const smokeLike = await run('sh', [join(clone, 'generators', 'device-queries', 'opencl-loader-default.sh')], {
    allowFailure: true,
  });
  expect(smokeLike.exitCode).toBe(1);
  expect(smokeLike.stderr).toMatch(/^edit generators\/device-queries\/opencl-loader-default\.sh: /);
});
