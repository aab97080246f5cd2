// The artifact manifest and the referrers index, as pushed by attach.ts (pure parts; the registry
// side is sbom/attach.itg.ts against docker-registry 2.8).
import { describe, expect, test } from 'vitest';
import { sha256Hex } from '../lib/fs.js';
import { OCI_INDEX, OCI_MANIFEST } from '../oci/media-types.js';
import { EMPTY_CONFIG, sbomArtifactManifest, withReferrer } from './attach.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const subject = { mediaType: OCI_MANIFEST, digest: D('a'), size: 500 };

describe('artifact manifest', () => {
  const m = sbomArtifactManifest(
    subject,
    { digest: D('d'), size: 1234 },
    '2026-12-02',
    'opencl-pocl.linux-amd64.spdx.json',
  );

  test('OCI 1.1: artifactType, the empty config, one SPDX layer, the subject', () => {
    expect(m).toEqual({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/spdx+json',
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: `sha256:${sha256Hex(EMPTY_CONFIG.bytes)}`,
        size: 2,
        data: Buffer.from(EMPTY_CONFIG.bytes).toString('base64'),
      },
      layers: [
        {
          mediaType: 'application/spdx+json',
          digest: D('d'),
          size: 1234,
          annotations: { 'org.opencontainers.image.title': 'opencl-pocl.linux-amd64.spdx.json' },
        },
      ],
      subject,
      annotations: { 'org.opencontainers.image.created': '2026-12-02T00:00:00Z' },
    });
  });
});

describe('referrers index (tag schema)', () => {
  const entry = (c: string) => ({
    mediaType: OCI_MANIFEST,
    digest: D(c),
    size: 700,
    artifactType: 'application/spdx+json',
  });
  test.each([
    ['an empty index gets the entry', { manifests: [] }, entry('b'), [D('b')]],
    ['other referrers are kept, sorted', { manifests: [entry('c')] }, entry('b'), [D('b'), D('c')]],
    ['the same artifact again is one entry', { manifests: [entry('b'), entry('c')] }, entry('b'), [D('b'), D('c')]],
  ])('%s', (_, index, add, digests) => {
    const out = withReferrer(index, add);
    expect(out.mediaType).toBe(OCI_INDEX);
    expect(out.schemaVersion).toBe(2);
    expect(out.manifests?.map((m) => m.digest)).toEqual(digests);
  });
});
