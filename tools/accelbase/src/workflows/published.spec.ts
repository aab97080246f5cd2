// The pure parts of reading a published image: labels from a recorded image config, the installed
// set from a recorded SPDX SBOM, the newest referrer of a type from a recorded referrers index
// (fixtures in test/fixtures/published/ and sbom/__snapshots__/); the registry side is published.itg.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ImageIndex } from '../oci/registry.js';
import { IN_TOTO_MEDIA_TYPE } from '../smoke/attestation.js';
import { SPDX_MEDIA_TYPE } from '../sbom/spdx.js';
import { spdxInstalled } from '../sbom/spdx.js';
import { configLabels, labelFacts, newestReferrer } from './published.js';

const fixture = (path: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', path), 'utf8')) as unknown;
const config = fixture('test/fixtures/published/config.json');
const referrers = fixture('test/fixtures/published/referrers.json') as ImageIndex;
const spdx = fixture('sbom/__snapshots__/opencl-pocl.arm64.spdx.json');

describe('config labels', () => {
  test('revision, created, version and support end from a recorded config', () => {
    expect(labelFacts(configLabels(config))).toEqual({
      revision: 'ccb5c1e0d4a7c1b9e2f3a4b5c6d7e8f901234567',
      created: '2026-12-07T00:00:00Z',
      version: '6.0',
      supportEnd: '2030-06-30',
    });
  });

  test.each([
    ['no config section', {}],
    ['null labels', { config: { Labels: null } }],
    ['not an object', null],
  ])('%s: no labels, no facts', (_, value) => {
    expect(configLabels(value)).toEqual({});
    expect(labelFacts(configLabels(value))).toEqual({});
  });

  test('org.opencontainers.image.version comes before the runtime version label', () => {
    expect(
      labelFacts({ 'org.opencontainers.image.version': '6.0.1', 'io.accelbase.runtime-version': '6.0' }).version,
    ).toBe('6.0.1');
  });
});

describe('SBOM referrer', () => {
  test('the contained packages by name and version; the image and its bases are not packages', () => {
    const installed = spdxInstalled(spdx);
    expect(Object.keys(installed)).toHaveLength(7);
    expect(installed.tzdata).toBe('2025b~rc1-1');
    expect(installed).not.toHaveProperty('acceleratorbase/opencl-pocl');
  });

  test.each([
    ['no packages', {}],
    ['packages not a list', { packages: 3 }],
    ['not JSON object', null],
    ['entries that are not packages', { packages: [null, 7, { name: 3 }] }],
  ])('%s: none', (_, doc) => expect(spdxInstalled(doc)).toEqual({}));

  test('a package with broken references and no version is still named', () => {
    expect(spdxInstalled({ packages: [{ name: 'x', externalRefs: [null, { referenceLocator: 5 }] }] })).toEqual({
      x: '',
    });
  });
});

describe('newest referrer of a type', () => {
  test.each([
    [IN_TOTO_MEDIA_TYPE, `sha256:${'3'.repeat(64)}`],
    [SPDX_MEDIA_TYPE, `sha256:${'2'.repeat(64)}`],
    ['application/vnd.dev.cosign.artifact.sig.v1+json', undefined],
  ])('%s -> %s', (type, digest) => {
    expect(newestReferrer(referrers, type)?.digest).toBe(digest);
  });
});
