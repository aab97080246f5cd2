// `accelbase sbom` end to end through main(): a throwaway workspace with the real catalog, a lock
// holding an installed set, and the last build's results; written atomically with --output.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { frozenCatalogRoot } from '../test/frozen-catalog.js';
import { main } from './main.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
let ws: string;

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'accelbase-sbom-'));
  // The frozen November 2026 catalog and lock, never the shipped ones a maintainer's change moves.
  cpSync(join(frozenCatalogRoot, 'catalog.yaml'), join(ws, 'catalog.yaml'));
  cpSync(join(frozenCatalogRoot, 'generators'), join(ws, 'generators'), { recursive: true });
  const lock = parse(readFileSync(join(frozenCatalogRoot, 'catalog.lock.yaml'), 'utf8'));
  lock.images['opencl-pocl'].platforms['linux/amd64'].installed = {
    clinfo: '3.0.25.02.14-1',
    libc6: '2.41-12',
    'pocl-opencl-icd': '6.0-6',
  };
  lock.images['opencl-pocl'].platforms['linux/amd64'].digest = D('a');
  writeFileSync(join(ws, 'catalog.lock.yaml'), stringify(lock));
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

describe('sbom', () => {
  test('SPDX on stdout by default, from the lock', async () => {
    const r = await cli('sbom', 'opencl-pocl', '--platform', 'linux/amd64');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout);
    expect(doc.spdxVersion).toBe('SPDX-2.3');
    expect(doc.packages.map((p: { name: string }) => p.name)).toEqual([
      'acceleratorbase/opencl-pocl',
      'acceleratorbase/minideb',
      'clinfo',
      'libc6',
      'pocl-opencl-icd',
    ]);
  });

  test('--format cyclonedx-json --output FILE --json: the file written whole, a summary printed', async () => {
    const file = join(ws, 'out', 'pocl.cdx.json');
    const r = await cli(
      'sbom',
      'acceleratorbase/opencl-pocl:6.0-trixie',
      '--platform',
      'linux/amd64',
      '--format',
      'cyclonedx-json',
      '--output',
      file,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      image: 'opencl-pocl',
      repository: 'acceleratorbase/opencl-pocl',
      tag: '6.0-trixie',
      platform: 'linux/amd64',
      format: 'cyclonedx-json',
      mediaType: 'application/vnd.cyclonedx+json',
      packageCount: 3,
      installedFrom: 'lock',
      digest: D('a'),
      file,
    });
    expect(JSON.parse(readFileSync(file, 'utf8')).bomFormat).toBe('CycloneDX');
    expect(readdirSync(join(ws, 'out'))).toEqual(['pocl.cdx.json']);
  });

  test.each([
    [
      ['sbom', 'opencl-pocl', '--platform', 'linux/arm64'],
      1,
      'opencl-pocl (linux/arm64): no installed package set is recorded',
    ],
    [['sbom', 'opencl-pocl'], 2, 'name one with --platform'],
    [
      ['sbom', 'opencl-pocl', '--platform', 'linux/amd64', '--format', 'xml'],
      2,
      '--format xml: expected spdx-json or cyclonedx-json',
    ],
    [['sbom'], 2, 'usage: accelbase sbom IMAGE[:TAG]'],
    [['sbom', 'opencl-pcol', '--platform', 'linux/amd64'], 1, 'did you mean'],
  ])('%j: exit %i, one clear line', async (args, code, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});
