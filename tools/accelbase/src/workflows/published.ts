// What the registry says of a published image, with no local state: the index digest and, per
// platform, the manifest digest, compressed size, config labels, the SBOM referrer's installed
// packages and the smoke referrer's outcome. The parsing is pure (exported for its tests); the reader
// only fetches.
import { UserError } from '../errors.js';
import type { Descriptor } from '../oci/media-types.js';
import {
  compressedSize,
  getBlob,
  getManifest,
  type ImageIndex,
  type ImageManifest,
  listReferrers,
  listTags,
  manifestDigest,
  splitRepository,
} from '../oci/registry.js';
import { IN_TOTO_MEDIA_TYPE, type PublishedSmoke, smokeOfStatement } from '../smoke/attestation.js';
import { SPDX_MEDIA_TYPE, spdxInstalled } from '../sbom/spdx.js';
import { newestBuildTag } from '../plan/tags.js';
import type { PlannedImage } from '../plan/plan.js';
import type { OpenWorkspace } from './workspace.js';

/** Whether this run names a registry host to read (`--registry HOST[:PORT]/NAMESPACE`, or ACCELBASE_REGISTRY). */
export function readsRegistry(ws: OpenWorkspace): boolean {
  if (ws.options.registry === undefined) return false;
  try {
    splitRepository(`${ws.plan.namespace}/x`);
    return true;
  } catch {
    return false;
  }
}

/** The labels app authors ask about, read from an image config's labels. */
export interface LabelFacts {
  revision?: string;
  created?: string;
  version?: string;
  supportEnd?: string;
}

export interface PublishedPlatform {
  /** The platform's image manifest. */
  digest: string;
  /** Compressed size in bytes (the sum of its layers: what a pull downloads). */
  size: number;
  labels: Record<string, string>;
  facts: LabelFacts;
  /** The SPDX SBOM referrer's installed packages (name -> version); absent where none is attached. */
  sbom?: { artifact: string; packageCount: number; packages: Record<string, string> };
  /** The newest smoke outcome attached to this manifest; absent where it was never smoke-tested with --registry. */
  smoke?: PublishedSmoke;
}

export interface PublishedImage {
  repository: string;
  reference: string;
  /** The index (or single manifest) digest the reference names. */
  digest: string;
  platforms: Record<string, PublishedPlatform>;
}

const pick = (labels: Record<string, string>, ...keys: string[]) => keys.map((k) => labels[k]).find(Boolean);

/** The facts among an image config's labels. Pure. */
export function labelFacts(labels: Record<string, string>): LabelFacts {
  const facts: LabelFacts = {
    revision: pick(labels, 'org.opencontainers.image.revision'),
    created: pick(labels, 'org.opencontainers.image.created'),
    version: pick(labels, 'org.opencontainers.image.version', 'io.accelbase.runtime-version'),
    supportEnd: pick(labels, 'io.accelbase.support-end'),
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v)) as LabelFacts;
}

/** An image config's labels (`config.Labels`; absent: none). Pure. */
export const configLabels = (config: unknown): Record<string, string> =>
  (config as { config?: { Labels?: Record<string, string> | null } } | null)?.config?.Labels ?? {};

/** The newest referrer of one artifact type (by its created annotation, then digest). Pure. */
export function newestReferrer(index: ImageIndex, artifactType: string): Descriptor | undefined {
  const created = (d: { annotations?: Record<string, string> }) =>
    d.annotations?.['org.opencontainers.image.created'] ?? '';
  return (index.manifests ?? [])
    .filter((m) => m.artifactType === artifactType)
    .sort((a, b) => (created(a) + a.digest < created(b) + b.digest ? -1 : 1))
    .pop() as Descriptor | undefined;
}

/** The first layer's bytes of an artifact manifest, as JSON. */
async function artifactJson(repository: string, artifact: string): Promise<unknown> {
  const { body } = await getManifest(repository, artifact);
  const layer = (body as ImageManifest).layers?.[0];
  if (!layer) throw new UserError(`${repository}@${artifact}: the artifact has no layer`);
  try {
    return JSON.parse((await getBlob(repository, layer.digest)).toString('utf8')) as unknown;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${repository}@${layer.digest}: not JSON: ${(e as Error).message}`);
  }
}

async function publishedPlatform(repository: string, digest: string, manifest: ImageManifest) {
  const config = manifest.config
    ? (JSON.parse((await getBlob(repository, manifest.config.digest)).toString('utf8')) as unknown)
    : {};
  const labels = configLabels(config);
  const referrers = (await listReferrers(repository, digest)).index;
  const sbomRef = newestReferrer(referrers, SPDX_MEDIA_TYPE);
  const smokeRef = newestReferrer(referrers, IN_TOTO_MEDIA_TYPE);
  const packages = sbomRef ? spdxInstalled(await artifactJson(repository, sbomRef.digest)) : undefined;
  const smoke = smokeRef ? smokeOfStatement(await artifactJson(repository, smokeRef.digest)) : undefined;
  const out: PublishedPlatform = { digest, size: compressedSize(manifest), labels, facts: labelFacts(labels) };
  if (sbomRef && packages)
    out.sbom = { artifact: sbomRef.digest, packageCount: Object.keys(packages).length, packages };
  if (smoke) out.smoke = smoke;
  return { config, out };
}

/**
 * The published facts of `repository:reference` (a tag or digest); undefined where the registry does
 * not have it. An unreachable registry is a UserError: "not there" and "could not look" differ.
 */
export async function readPublished(repository: string, reference: string): Promise<PublishedImage | undefined> {
  const digest = await manifestDigest(repository, reference);
  if (!digest) return undefined;
  const { body } = await getManifest(repository, reference);
  const platforms: Record<string, PublishedPlatform> = {};
  if ((body as ImageManifest).layers) {
    // A single-platform push: the platform is the config's.
    const { config, out } = await publishedPlatform(repository, digest, body as ImageManifest);
    const c = config as { os?: string; architecture?: string };
    platforms[`${c.os ?? 'linux'}/${c.architecture ?? 'unknown'}`] = out;
  } else {
    for (const m of body.manifests ?? []) {
      if (!m.platform || m.platform.os === 'unknown') continue;
      const manifest = (await getManifest(repository, m.digest)).body as ImageManifest;
      platforms[`${m.platform.os}/${m.platform.architecture}`] = (
        await publishedPlatform(repository, m.digest, manifest)
      ).out;
    }
  }
  return { repository, reference, digest, platforms };
}

/**
 * The published facts of a catalog tag of `image`: the tag itself once `publish` moved it, else the
 * image's newest dated build tag (`build --push` pushes only those).
 */
export async function readPublishedTag(
  image: Pick<PlannedImage, 'repository' | 'version' | 'dist'>,
  tag: string,
): Promise<PublishedImage | undefined> {
  const floating = await readPublished(image.repository, tag);
  if (floating) return floating;
  const newest = newestBuildTag(await listTags(image.repository), image);
  return newest ? readPublished(image.repository, newest) : undefined;
}
