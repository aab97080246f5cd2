// SBOMs attached to pushed images: for each platform manifest, an OCI 1.1 artifact manifest whose
// `subject` is that manifest (artifactType application/spdx+json, the SPDX document its one layer),
// pushed through the registry API. Where the registry has no referrers API (Debian's
// docker-registry 2.8), the referrers tag schema is kept too: the tag `sha256-<hex>` holds an OCI
// index of the subject's referrers, which `oras discover` reads.
// `attachReferrer` is the same for any artifact: `smoke` attaches its test-result statements with it.
import type { Platform } from '../catalog/grammar.js';
import { sha256Hex } from '../lib/fs.js';
import { referrersTag } from '../oci/reference.js';
import { type Descriptor, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST } from '../oci/media-types.js';
import { listReferrers, platformDescriptors, pushBlob, putManifest, type ImageIndex } from '../oci/registry.js';
import { sbomDocument } from './format.js';
import type { SbomInput } from './input.js';
import { SPDX_MEDIA_TYPE } from './spdx.js';

/** The OCI 1.1 empty descriptor's blob: `{}`. */
export const EMPTY_CONFIG = { mediaType: OCI_EMPTY, bytes: new TextEncoder().encode('{}') };

export interface AttachedSbom {
  /** The platform manifest the SBOM refers to. */
  subject: string;
  /** The artifact manifest's digest. */
  artifact: string;
  /** The SPDX document's blob digest. */
  document: string;
  /** How a client finds it: the registry's referrers API, or the referrers tag this run updated. */
  via: 'api' | 'tag';
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** An OCI 1.1 artifact manifest of one blob about `subject`. Pure; deterministic. */
export function artifactManifest(
  subject: Descriptor,
  artifactType: string,
  blob: { digest: string; size: number },
  title: string,
  annotations: Record<string, string>,
) {
  return {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: {
      mediaType: EMPTY_CONFIG.mediaType,
      digest: `sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a`,
      size: 2,
      data: 'e30=',
    },
    layers: [
      {
        mediaType: artifactType,
        digest: blob.digest,
        size: blob.size,
        annotations: { 'org.opencontainers.image.title': title },
      },
    ],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
}

/** The artifact manifest for one SBOM document blob. Pure; deterministic (the created date is the facts' date). */
export const sbomArtifactManifest = (
  subject: Descriptor,
  document: { digest: string; size: number },
  created: string,
  title: string,
) =>
  artifactManifest(subject, SPDX_MEDIA_TYPE, document, title, {
    'org.opencontainers.image.created': `${created}T00:00:00Z`,
  });

/** The referrers index with `entry` in it once (an entry of the same digest is replaced), sorted by digest. Pure. */
export function withReferrer(index: ImageIndex, entry: Descriptor): ImageIndex {
  const manifests = [...(index.manifests ?? []).filter((m) => m.digest !== entry.digest), entry].sort((a, b) =>
    a.digest < b.digest ? -1 : 1,
  );
  return { schemaVersion: 2, mediaType: OCI_INDEX, manifests };
}

/**
 * Push one artifact (a blob of `artifactType`) about one subject manifest, and record it where
 * clients look for referrers.
 */
export async function attachReferrer(
  repository: string,
  subject: Descriptor,
  artifactType: string,
  bytes: Uint8Array,
  title: string,
  annotations: Record<string, string>,
): Promise<AttachedSbom> {
  const blob = await pushBlob(repository, bytes);
  await pushBlob(repository, EMPTY_CONFIG.bytes);
  const body = json(artifactManifest(subject, artifactType, blob, title, annotations));
  const artifact = await putManifest(repository, `sha256:${sha256Hex(body)}`, OCI_MANIFEST, body);
  const entry: Descriptor = { ...artifact, artifactType, annotations };
  const existing = await listReferrers(repository, subject.digest);
  if (existing.via === 'api')
    return { subject: subject.digest, artifact: artifact.digest, document: blob.digest, via: 'api' };
  await putManifest(repository, referrersTag(subject.digest), OCI_INDEX, json(withReferrer(existing.index, entry)));
  return { subject: subject.digest, artifact: artifact.digest, document: blob.digest, via: 'tag' };
}

/** Push one SBOM for one subject manifest, and record it where clients look for referrers. */
export function attachSbom(repository: string, subject: Descriptor, input: SbomInput): Promise<AttachedSbom> {
  const doc = sbomDocument(input, 'spdx-json');
  return attachReferrer(
    repository,
    subject,
    SPDX_MEDIA_TYPE,
    new TextEncoder().encode(doc.text),
    `${input.image}.${input.platform.replace('/', '-')}.spdx.json`,
    { 'org.opencontainers.image.created': `${input.date}T00:00:00Z` },
  );
}

/** Every platform of a pushed image (index digest `digest`) gets its SBOM; `inputFor` gives the facts of each. */
export async function attachSboms(
  repository: string,
  digest: string,
  platforms: readonly Platform[],
  inputFor: (platform: Platform) => SbomInput,
): Promise<Record<string, AttachedSbom>> {
  const subjects = await platformDescriptors(repository, digest, platforms[0]);
  const out: Record<string, AttachedSbom> = {};
  for (const platform of platforms) {
    const subject = subjects[platform];
    if (subject) out[platform] = await attachSbom(repository, subject, inputFor(platform));
  }
  return out;
}
