// Engine tier: SBOMs attached to both platform manifests of an image in the local registry
// (Debian's docker-registry 2.8, which has no referrers API), then found the way `oras discover`
// finds them: GET /v2/<name>/referrers/<digest> (404 here), then the referrers tag
// `sha256-<hex>`, each artifact's subject and its SPDX blob. The image is a tiny one assembled
// through the registry API (a layer and a config per platform, an index), so nothing is built.
import { silentReporter } from '../reporter.js';
import { envConfig } from '../test/run-config.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, expect, test } from 'vitest';
import { z } from 'zod';
import { engineUp } from '../engine/engine.js';
import { run } from '../exec.js';
import { sha256Hex } from '../lib/fs.js';
import { referrersTag } from '../oci/reference.js';
import { type Descriptor, OCI_INDEX, OCI_MANIFEST } from '../oci/media-types.js';
import { getBlob, getManifest, pushBlob, putManifest, splitRepository } from '../oci/registry.js';
import { afterPush } from '../workflows/sbom.js';
import type { BuildResult } from '../workflows/state.js';
import { openWorkspace } from '../workflows/workspace.js';
import { attachSboms } from './attach.js';
import type { SbomInput } from './input.js';
import { SPDX_MEDIA_TYPE } from './spdx.js';

const REPO = '127.0.0.1:5000/sbom-itg/tiny';
const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
const spdxSchema = z.fromJSONSchema(
  JSON.parse(readFileSync(join(import.meta.dirname, 'schema', 'spdx-2.3.subset.schema.json'), 'utf8')),
);
/** Debian's oras (trixie and later; not in bookworm): ACCELBASE_ORAS names the binary, else /usr/bin/oras. */
const ORAS = process.env.ACCELBASE_ORAS ?? '/usr/bin/oras';
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** One platform's image: a gzipped layer (not a real tar: the registry never looks inside), its config, its manifest. */
async function platformImage(
  repo: string,
  arch: string,
): Promise<Descriptor & { platform: { os: string; architecture: string } }> {
  const layerRaw = new TextEncoder().encode(`accelbase sbom itg ${arch}\n`);
  const layer = await pushBlob(repo, gzipSync(layerRaw, { level: 9 }));
  const config = await pushBlob(
    repo,
    bytes({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha256Hex(layerRaw)}`] } }),
  );
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  };
  const body = bytes(manifest);
  const d = await putManifest(repo, `sha256:${sha256Hex(body)}`, OCI_MANIFEST, body);
  return { ...d, platform: { os: 'linux', architecture: arch } };
}

/** The tiny two-platform image under `repo:tag`: its index digest and each platform's manifest digest. */
async function tinyImage(
  repo: string,
  tag: string,
): Promise<{ index: string; subjects: Record<string, string>; sizes: Record<string, number> }> {
  const manifests = [];
  const subjects: Record<string, string> = {};
  const sizes: Record<string, number> = {};
  for (const p of PLATFORMS) {
    const m = await platformImage(repo, p.split('/')[1]);
    subjects[p] = m.digest;
    sizes[p] = gzipSync(new TextEncoder().encode(`accelbase sbom itg ${p.split('/')[1]}\n`), { level: 9 }).length;
    manifests.push(m);
  }
  return {
    index: (await putManifest(repo, tag, OCI_INDEX, bytes({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })))
      .digest,
    subjects,
    sizes,
  };
}

const input = (platform: (typeof PLATFORMS)[number]): SbomInput => ({
  image: 'tiny',
  repository: REPO,
  tag: 'itg',
  platform,
  dist: 'trixie',
  debianMajor: '13',
  date: '2026-12-02',
  tool: { name: 'accelbase', version: 'itg' },
  debs: { libc6: '2.41-12', 'libstdc++6': '14.2.0-19' },
  installedFrom: 'build',
  pip: [],
  npm: [],
  bases: [],
});

let index = '';
const subjects: Record<string, string> = {};

beforeAll(async () => {
  await engineUp(envConfig());
  const tiny = await tinyImage(REPO, 'itg');
  index = tiny.index;
  Object.assign(subjects, tiny.subjects);
}, 300_000);

test('both platforms get an SBOM whose subject is their manifest, listed the way oras discover lists it', async () => {
  const attached = await attachSboms(REPO, index, [...PLATFORMS], input);
  expect(Object.keys(attached)).toEqual([...PLATFORMS]);
  const { base, name } = splitRepository(REPO);
  for (const p of PLATFORMS) {
    expect(attached[p]).toMatchObject({ subject: subjects[p], via: 'tag' });
    // oras asks the referrers API first; docker-registry 2.8 has none.
    expect((await fetch(`${base}/v2/${name}/referrers/${subjects[p]}`)).status).toBe(404);
    // ...then the referrers tag: an OCI index naming the artifact, its artifactType and annotations.
    const referrers = await getManifest(REPO, referrersTag(subjects[p]));
    expect(referrers.body.mediaType).toBe(OCI_INDEX);
    expect(referrers.body.manifests).toEqual([
      expect.objectContaining({ mediaType: OCI_MANIFEST, digest: attached[p].artifact, artifactType: SPDX_MEDIA_TYPE }),
    ]);
    const artifact = (await getManifest(REPO, attached[p].artifact)).body as unknown as {
      artifactType: string;
      subject: Descriptor;
      layers: Descriptor[];
    };
    expect(artifact.artifactType).toBe(SPDX_MEDIA_TYPE);
    expect(artifact.subject.digest).toBe(subjects[p]);
    const doc = JSON.parse((await getBlob(REPO, artifact.layers[0].digest)).toString('utf8'));
    expect(spdxSchema.safeParse(doc).success).toBe(true);
    expect(doc.name).toBe(`${REPO}:itg ${p}`);
  }
});

test('attaching again (a rebuild with the same facts) keeps one referrer per subject', async () => {
  const again = await attachSboms(REPO, index, [...PLATFORMS], input);
  for (const p of PLATFORMS)
    expect((await getManifest(REPO, referrersTag(subjects[p]))).body.manifests?.map((m) => m.digest)).toEqual([
      again[p].artifact,
    ]);
});

test.skipIf(!existsSync(ORAS))(
  'oras discover lists the SBOM of each platform (Debian oras, where installed)',
  async () => {
    const attached = await attachSboms(REPO, index, [...PLATFORMS], input);
    for (const p of PLATFORMS) {
      const out = await run(ORAS, [
        'discover',
        '--plain-http',
        '--artifact-type',
        SPDX_MEDIA_TYPE,
        '--platform',
        p,
        '-o',
        'json',
        `${REPO}:itg`,
      ]);
      const listed = (JSON.parse(out.stdout) as { manifests: { digest: string; artifactType: string }[] }).manifests;
      expect(listed).toEqual([
        expect.objectContaining({ digest: attached[p].artifact, artifactType: SPDX_MEDIA_TYPE }),
      ]);
    }
  },
);

test("build --push's hook (afterPush) on a pushed image of the catalog: sizes recorded, both SBOMs attached from the push's installed set", async () => {
  const ws = openWorkspace({
    catalog: join(import.meta.dirname, '..', '..', '..', '..', 'catalog.yaml'),
    registry: '127.0.0.1:5000/sbom-itg',
  });
  const image = ws.plan.images.find((i) => i.name === 'opencl-pocl')!;
  const tiny = await tinyImage(image.repository, '6.0-trixie-20261202');
  const result: BuildResult = {
    image: image.name,
    repository: image.repository,
    platforms: [...PLATFORMS],
    status: 'built',
    digest: tiny.index,
    tags: [`${image.repository}:6.0-trixie-20261202`],
    durationS: 1,
    installed: { 'linux/amd64': { libc6: '2.41-12' }, 'linux/arm64': { libc6: '2.41-12', 'pocl-opencl-icd': '6.0-6' } },
  };
  const facts = await afterPush(ws, '20261202', silentReporter)(image, result, new Map([[image.name, result]]));
  expect(facts.sizes).toEqual(tiny.sizes);
  for (const p of PLATFORMS) {
    expect(facts.sboms?.[p]).toMatchObject({ subject: tiny.subjects[p], via: 'tag' });
    const artifact = (await getManifest(image.repository, facts.sboms![p].artifact)).body as unknown as {
      layers: Descriptor[];
    };
    const doc = JSON.parse((await getBlob(image.repository, artifact.layers[0].digest)).toString('utf8'));
    expect(doc.creationInfo.created).toBe('2026-12-02T00:00:00Z');
    expect(
      doc.packages
        .filter((x: { SPDXID: string }) => x.SPDXID.startsWith('SPDXRef-deb-'))
        .map((x: { name: string }) => x.name),
    ).toEqual(Object.keys(result.installed![p]));
    expect(
      (await getManifest(image.repository, referrersTag(tiny.subjects[p]))).body.manifests?.map((m) => m.digest),
    ).toContain(facts.sboms![p].artifact);
  }
});
