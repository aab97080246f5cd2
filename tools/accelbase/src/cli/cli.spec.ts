import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { run } from '../exec.js';
import { frozenCatalogRoot } from '../test/frozen-catalog.js';
import { main } from './main.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const bin = join(repoRoot, 'tools', 'accelbase', 'bin', 'accelbase.js');
let ws: string;

/**
 * A throwaway workspace: the frozen November 2026 catalog and its device queries (never the shipped
 * catalog, which a maintainer's new accelerator changes), this checkout's templates, nothing rendered yet.
 */
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'accelbase-cli-'));
  cpSync(join(frozenCatalogRoot, 'catalog.yaml'), join(ws, 'catalog.yaml'));
  cpSync(join(repoRoot, 'generators'), join(ws, 'generators'), {
    recursive: true,
    filter: (src) => src !== join(repoRoot, 'generators', 'device-queries'),
  });
  cpSync(join(frozenCatalogRoot, 'generators'), join(ws, 'generators'), { recursive: true });
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['--catalog', join(ws, 'catalog.yaml'), ...args],
    (t) => void (stdout += t),
    (t) => void (stderr += t),
  );
  return { code, stdout, stderr };
}

describe('render', () => {
  test('writes images/ and the bake file, then --check passes', async () => {
    expect((await cli('render', '--check')).code).toBe(1);
    const first = await cli('render');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('wrote images/opencl-pocl/Dockerfile');
    expect((await cli('render', '--check')).code).toBe(0);
    expect((await cli('render')).stdout).toMatch(/^up to date/);
  });

  test('--check names every drifted, missing and stale file', async () => {
    await cli('render');
    writeFileSync(join(ws, 'images', 'opencl-pocl', 'Dockerfile'), 'FROM hand-edited\n');
    rmSync(join(ws, 'docker-bake.json'));
    writeFileSync(join(ws, 'images', 'opencl-pocl', 'leftover.txt'), 'x');
    const r = await cli('render', '--check');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('  changed: images/opencl-pocl/Dockerfile');
    expect(r.stderr).toContain('  missing: docker-bake.json');
    expect(r.stderr).toContain('  stale:   images/opencl-pocl/leftover.txt');
    const json = await cli('render', '--check', '--json');
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      changed: ['images/opencl-pocl/Dockerfile'],
      added: ['docker-bake.json'],
      stale: ['images/opencl-pocl/leftover.txt'],
    });
  });

  test('a bad catalog writes nothing and names file:line:col', async () => {
    const good = readFileSync(join(ws, 'catalog.yaml'), 'utf8');
    writeFileSync(
      join(ws, 'catalog.yaml'),
      good.replace('packages: [pocl-opencl-icd, clinfo]', 'packages: [pocl-opencl-icd, "clinfo\\nRUN curl x | sh"]'),
    );
    const r = await cli('render');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /catalog\.yaml:\d+:\d+ accelerators\.opencl\.variants\.pocl\.packages\.1: "clinfo\nRUN curl x \| sh" is not a valid debian package name\n1 error\n$/,
    );
    expect(() => readFileSync(join(ws, 'docker-bake.json'))).toThrow();
  });
});

describe('plan, ls, validate', () => {
  test('plan --json lists images in build order with bases, platforms and tags', async () => {
    const r = await cli('plan', '--json', '--registry', '127.0.0.1:5000/acceleratorbase');
    const plan = JSON.parse(r.stdout);
    const names: string[] = plan.images.map((i: { name: string }) => i.name);
    expect(names.slice(0, 3)).toEqual(['minideb-trixie', 'minideb-bookworm', 'minideb-bullseye']);
    expect(names.indexOf('cuda-runtime')).toBeLessThan(names.indexOf('onnxruntime-gpu'));
    const gpu = plan.images.find((i: { name: string }) => i.name === 'onnxruntime-gpu');
    expect(gpu).toMatchObject({
      repository: '127.0.0.1:5000/acceleratorbase/onnxruntime-gpu',
      base: { name: 'cuda-runtime', ref: 'acceleratorbase/cuda-runtime:trixie' },
      platforms: ['linux/amd64'],
      device: 'nvidia',
    });
  });

  test('ls prints one line per image: name, arches, repository and floating tags', async () => {
    // Whatever the catalog holds: each planned image, in plan order, and nothing else.
    const planned = JSON.parse((await cli('plan', '--json')).stdout).images as {
      name: string;
      platforms: string[];
      repository: string;
      tags: string[];
    }[];
    const lines = (await cli('ls')).stdout.trim().split('\n');
    expect(lines).toHaveLength(planned.length);
    planned.forEach((image, i) => {
      const arches = image.platforms.map((p) => p.replace('linux/', '')).join(',');
      expect(lines[i].split(/\s+/)).toEqual([image.name, arches, `${image.repository}:${image.tags.join(',')}`]);
    });
  });

  test('validate --json', async () => {
    const r = await cli('validate', '--json');
    // Images as every command lists them: objects, here each planned image's name and project.
    const planned = JSON.parse((await cli('plan', '--json')).stdout).images as { name: string; project: string }[];
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      images: planned.map(({ name, project }) => ({ name, project })),
    });
  });

  test('a bad --registry is a clear error', async () => {
    const r = await cli('plan', '--registry', 'Bad Registry');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^accelbase: --registry "Bad Registry" is not a registry namespace/);
  });
});

test('the installed binary: usage errors exit 2, user errors exit 1, never a stack trace', async () => {
  const unknown = await run('node', [bin, 'frobnicate'], { allowFailure: true, cwd: ws });
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toMatch(/^accelbase: unknown command "frobnicate"/);
  writeFileSync(join(ws, 'catalog.yaml'), 'version: 2\n');
  const bad = await run('node', [bin, 'validate'], { allowFailure: true, cwd: ws });
  expect(bad.exitCode).toBe(1);
  expect(bad.stderr).toContain('catalog.yaml:1:10 version: expected 1, not 2');
  expect(bad.stderr).toContain('catalog.yaml:1:1 minideb: missing required field "minideb"');
  expect(bad.stderr).not.toMatch(/\n\s+at /);
  const missing = await run('node', [bin, 'validate', '--catalog', 'nope.yaml'], { allowFailure: true, cwd: ws });
  expect(missing).toMatchObject({
    exitCode: 1,
    stdout: '',
    stderr: `accelbase: cannot read catalog ${join(ws, 'nope.yaml')}`,
  });
});
