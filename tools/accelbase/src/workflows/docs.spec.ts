// docs with a registry (the pure part): a matrix cell with nothing recorded here takes the registry's
// facts; unknown stays unknown; local records and retired releases are left as they are.
import { describe, expect, test } from 'vitest';
import type { PlatformFacts } from '../render/facts.js';
import { publishedCell } from './docs.js';
import type { PublishedImage } from './published.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const unbuilt: PlatformFacts = {
  status: 'not-built',
  statusText: 'not built yet',
  built: null,
  size: null,
  packageCount: null,
  outdatedCount: null,
  sbom: null,
};
const published: PublishedImage = {
  repository: 'r/opencl-pocl',
  reference: '6.0-trixie',
  digest: D('1'),
  platforms: {
    'linux/amd64': {
      digest: D('2'),
      size: 5000,
      labels: {},
      facts: { created: '2026-12-07T00:00:00Z' },
      sbom: { artifact: D('3'), packageCount: 120, packages: {} },
      smoke: { outcome: 'failed', tiers: { query: { outcome: 'passed' }, compute: { outcome: 'failed' } } },
    },
    'linux/arm64': { digest: D('4'), size: 7000, labels: {}, facts: {} },
  },
};

describe('docs --registry cell', () => {
  test.each([
    [
      'published, smoke attested',
      'linux/amd64',
      {
        status: 'failed',
        statusText: 'failed (query passed, compute failed)',
        built: { date: '2026-12-07', digest: D('1'), from: 'registry' },
        size: { bytes: 5000, from: 'registry' },
        packageCount: 120,
      },
    ],
    [
      'published, never smoke-tested, no SBOM',
      'linux/arm64',
      {
        status: 'not-tested',
        statusText: 'not tested',
        built: { date: null, digest: D('1'), from: 'registry' },
        size: { bytes: 7000, from: 'registry' },
        packageCount: null,
      },
    ],
  ])('%s', (_, platform, wanted) => {
    expect(publishedCell(unbuilt, published, platform, false)).toEqual({ ...unbuilt, ...wanted });
  });

  test('not in the registry: unknown, not "not built"', () => {
    expect(publishedCell(unbuilt, undefined, 'linux/amd64', false).statusText).toBe('unknown (not in the registry)');
    expect(publishedCell(unbuilt, { ...published, platforms: {} }, 'linux/amd64', false).statusText).toBe(
      'unknown (not in the registry)',
    );
  });

  test.each([
    [
      'a local build',
      { ...unbuilt, status: 'passed', built: { date: '2026-12-08', digest: D('9'), from: 'build' } },
      published,
      false,
    ],
    ['a failed local build, not published', { ...unbuilt, statusText: 'not built: build failed' }, undefined, false],
    ['a retired release', { ...unbuilt, status: 'retired', statusText: 'retired' }, published, true],
  ] as const)('%s is left as recorded', (_, cell, p, retired) => {
    const c = cell as PlatformFacts;
    expect(publishedCell(c, p, 'linux/amd64', retired)).toBe(c);
  });
});
