// show with a registry (pure parts): what it publishes fills in what local records lack, and an image
// the registry does not have is unknown, never "not built". Published facts as published.ts reads them.
import { describe, expect, test } from 'vitest';
import { loaded, plan } from '../pick/fixtures/catalog.js';
import { formatShow, showImage } from '../pick/show.js';
import type { PublishedImage } from './published.js';
import { withPublished } from './show.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const published: PublishedImage = {
  repository: 'acceleratorbase/edgetpu-max',
  reference: 'bullseye-20261207',
  digest: D('1'),
  platforms: {
    'linux/amd64': {
      digest: D('2'),
      size: 31_457_280,
      labels: {},
      facts: { created: '2026-12-07T00:00:00Z', revision: 'ccb5c1e0d4a7c1b9', supportEnd: '2026-08-31' },
      sbom: { artifact: D('3'), packageCount: 2, packages: { libc6: '2.31-13', tzdata: '2024a-0' } },
      smoke: { outcome: 'no-device', tiers: { query: { outcome: 'no-device' }, compute: { outcome: 'none' } } },
    },
    'linux/arm64': { digest: D('4'), size: 1_048_576, labels: {}, facts: {} },
  },
};

describe('show --registry', () => {
  const local = showImage(plan, loaded.model, 'edgetpu-max');

  test('the SBOM answers installed, the smoke attestation answers tested, where nothing is recorded here', () => {
    const d = withPublished(local, published);
    expect(d.installed).toEqual({ 'linux/amd64': { libc6: '2.31-13', tzdata: '2024a-0' }, 'linux/arm64': null });
    expect(d.tested).toEqual([
      {
        platform: 'linux/amd64',
        outcome: 'no-device',
        tiers: { query: { outcome: 'no-device' }, compute: { outcome: 'none' } },
      },
    ]);
    expect(d.published).toEqual({
      ref: 'acceleratorbase/edgetpu-max:bullseye-20261207',
      digest: D('1'),
      platforms: {
        'linux/amd64': {
          digest: D('2'),
          size: 31_457_280,
          created: '2026-12-07T00:00:00Z',
          revision: 'ccb5c1e0d4a7c1b9',
          supportEnd: '2026-08-31',
          packageCount: 2,
          smoke: 'no-device (query no-device, compute none)',
        },
        'linux/arm64': { digest: D('4'), size: 1_048_576, packageCount: null, smoke: null },
      },
    });
    const text = formatShow(d);
    expect(text).toContain('linux/amd64 2 packages; linux/arm64 unknown (no SBOM in the registry)');
    expect(text).toContain(`  published:   acceleratorbase/edgetpu-max:bullseye-20261207@${D('1')}\n`);
    expect(text).toContain(
      `    linux/amd64  ${D('2')}  30.0 MiB, created 2026-12-07T00:00:00Z, revision ccb5c1e0d4a7, support until 2026-08-31; 2 packages (SBOM); smoke no-device (query no-device, compute none)\n`,
    );
    expect(text).toContain(`    linux/arm64  ${D('4')}  1.0 MiB; no SBOM; smoke unknown (none attached)\n`);
  });

  test('not in the registry: unknown, and said so', () => {
    const d = withPublished(local, undefined);
    expect(d.published).toEqual({ ref: 'acceleratorbase/edgetpu-max:bullseye', digest: null, platforms: {} });
    expect(d.tested).toBeUndefined();
    const text = formatShow(d);
    expect(text).toContain('linux/amd64 unknown (not in the registry); linux/arm64 unknown (not in the registry)');
    expect(text).toContain('  published:   unknown (not in the registry: acceleratorbase/edgetpu-max:bullseye)\n');
    expect(text).not.toContain('not built');
  });

  test("local records come first: this workspace's smoke run is not replaced", () => {
    const tested = [{ platform: 'linux/amd64', outcome: 'passed' }];
    expect(withPublished({ ...local, tested }, published).tested).toBe(tested);
  });
});
