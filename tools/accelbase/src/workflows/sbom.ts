// `sbom`: the SBOM of one image and platform from recorded facts (the lock, the last push), as
// SPDX 2.3 or CycloneDX 1.5 JSON; written atomically to a file when one is named. Prints nothing.
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Reporter } from '../reporter.js';
import { splitTag } from '../oci/reference.js';
import { compressedSize, platformManifest } from '../oci/registry.js';
import type { Platform } from '../catalog/grammar.js';
import { readJsonFile, writeAtomic } from '../lib/fs.js';
import { packageVersion } from '../lib/version.js';
import { resolveImage } from '../pick/resolve.js';
import { attachSboms } from '../sbom/attach.js';
import { sbomDocument, type SbomFormat } from '../sbom/format.js';
import { sbomInput, sbomPlatform, type SbomFacts, type SbomInput } from '../sbom/input.js';
import { BuildResultsFile, buildResultsFile, type BuildResult } from './state.js';
import type { PlannedImage } from '../plan/plan.js';
import { type PublishedImage, readPublishedTag, readsRegistry } from './published.js';
import type { OpenWorkspace } from './workspace.js';

export interface SbomRequest {
  ref: string;
  platforms: Platform[];
  format: SbomFormat;
  /** Where to write it (relative to the current directory); the result carries the text either way. */
  output?: string;
}

export interface SbomResult {
  image: string;
  repository: string;
  tag: string;
  platform: Platform;
  format: SbomFormat;
  mediaType: string;
  /** How many packages the document lists. */
  packageCount: number;
  installedFrom: SbomInput['installedFrom'];
  digest: string | null;
  file: string | null;
  text: string;
}

/** The facts every SBOM of this workspace is built from: plan, catalog, lock and the last build's results. */
export function sbomFacts(ws: OpenWorkspace): SbomFacts {
  const build = readJsonFile(buildResultsFile(ws.root), BuildResultsFile);
  return {
    plan: ws.plan,
    catalog: ws.model.catalog,
    lock: ws.lock,
    pushed: (image) => (build?.output === 'push' ? build.results.find((r) => r.image === image) : undefined),
    buildDate: build?.output === 'push' ? build.date : undefined,
    tool: { name: 'accelbase', version: packageVersion() },
  };
}

/**
 * The facts of an image the registry publishes under `tag`: its SBOM referrer's installed set and
 * index digest, dated by its created label (local records know nothing of it).
 */
export function publishedSbomInput(
  local: SbomFacts,
  image: PlannedImage,
  tag: string,
  platform: Platform,
  published: PublishedImage | undefined,
): SbomInput {
  const ref = `${image.repository}:${tag}`;
  if (!published) throw new UserError(`${ref} (${platform}): unknown (not in the registry, nor recorded here)`);
  const p = published.platforms[platform];
  if (!p) throw new UserError(`${ref}@${published.digest} has no ${platform} image in the registry`);
  const packages = p.sbom?.packages;
  if (!packages)
    throw new UserError(`${ref}@${published.digest} (${platform}): the registry has no SBOM attached to it`);
  const facts: SbomFacts = {
    ...local,
    pushed: (name) =>
      name === image.name
        ? { repository: image.repository, digest: published.digest, installed: { [platform]: packages } }
        : local.pushed(name),
    buildDate: p.facts.created?.slice(0, 10).replaceAll('-', ''),
    preferPushed: true,
  };
  return { ...sbomInput(image, tag, platform, facts), installedFrom: 'registry' };
}

export async function sbomWorkflow(ws: OpenWorkspace, r: SbomRequest): Promise<SbomResult> {
  const { image, tag } = resolveImage(ws.plan, ws.model, r.ref);
  const platform = sbomPlatform(image, r.platforms);
  const facts = sbomFacts(ws);
  let input: SbomInput;
  try {
    input = sbomInput(image, tag, platform, facts);
  } catch (e) {
    // Local records only speed things up: with a registry, what it publishes answers.
    if (!(e instanceof UserError) || !readsRegistry(ws)) throw e;
    input = publishedSbomInput(facts, image, tag, platform, await readPublishedTag(image, tag));
  }
  const doc = sbomDocument(input, r.format);
  const file = r.output ? resolve(r.output) : null;
  if (file) writeAtomic(file, doc.text);
  return {
    image: image.name,
    repository: image.repository,
    tag,
    platform,
    format: doc.format,
    mediaType: doc.mediaType,
    packageCount: doc.packages,
    installedFrom: input.installedFrom,
    digest: input.digest ?? null,
    file,
    text: doc.text,
  };
}

/**
 * For `build --push`: each platform's compressed size, read from its manifest, and its SPDX SBOM
 * (from the installed set just read back from the pushed image) attached to that manifest. A
 * registry that refuses the SBOM is a warning, not a failed build.
 */
export function afterPush(ws: OpenWorkspace, date: string, reporter: Reporter) {
  return async (
    image: PlannedImage,
    result: BuildResult,
    results: ReadonlyMap<string, BuildResult>,
  ): Promise<Pick<BuildResult, 'sizes' | 'sboms'>> => {
    const sizes: Record<string, number> = {};
    for (const p of result.platforms)
      sizes[p] = compressedSize(await platformManifest(image.repository, result.digest!, p));
    const facts: SbomFacts = {
      ...sbomFacts(ws),
      pushed: (name) => results.get(name),
      buildDate: date,
      preferPushed: true,
    };
    try {
      return {
        sizes,
        sboms: await attachSboms(image.repository, result.digest!, result.platforms as Platform[], (platform) =>
          sbomInput(image, splitTag(result.tags[0]).tag!, platform, facts),
        ),
      };
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      reporter.warn(`${image.name}: SBOM not attached: ${e.message}`);
      return { sizes };
    }
  };
}
