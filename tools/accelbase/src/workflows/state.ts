// State one command leaves for the next (build -> smoke -> publish, variants): schema-checked JSON
// under .accelbase/, and the one answer to "what did the last build push for this image?".
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { readJsonFile, writeAtomic } from '../lib/fs.js';
import { byDigest, Digest } from '../oci/reference.js';
import type { PlannedImage } from '../plan/plan.js';
import { SmokeResult } from '../smoke/outcome.js';

export const BuildStatus = z.enum(['built', 'cached', 'skipped', 'failed']);
export type BuildStatus = z.infer<typeof BuildStatus>;

export const BuildResult = z.object({
  image: z.string(),
  repository: z.string(),
  platforms: z.array(z.string()),
  status: BuildStatus,
  reason: z.string().optional(),
  digest: Digest.optional(),
  tags: z.array(z.string()),
  durationS: z.number(),
  /** After a push: every installed package per platform, read from the pushed image's dpkg database. */
  installed: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  /** After a push: per platform, the SBOM attached as an OCI referrer of its manifest (sbom/attach.ts). */
  /** After a push: per platform, the compressed size in bytes (the sum of its manifest's layer sizes). */
  sizes: z.record(z.string(), z.number().int().nonnegative()).optional(),
  sboms: z
    .record(z.string(), z.object({ subject: Digest, artifact: Digest, document: Digest, via: z.enum(['api', 'tag']) }))
    .optional(),
  /** After a signed push: who signed the index, and which signature and attestations were added or already there. */
  signed: z.object({ by: z.string(), added: z.array(z.string()), present: z.array(z.string()) }).optional(),
});
export type BuildResult = z.infer<typeof BuildResult>;

export const BuildResultsFile = z.object({ date: z.string(), output: z.string(), results: z.array(BuildResult) });

/** One image pushed by digest for one platform: what `merge` puts in the index. */
export const BuildPart = z.object({
  image: z.string(),
  repository: z.string(),
  platform: z.string(),
  /** The platform's image manifest as pushed (no tag). */
  digest: Digest,
  /** The base's part this image was built on (the same run pushed it); absent for minideb. */
  baseDigest: Digest.optional(),
  status: z.enum(['built', 'cached']),
  durationS: z.number(),
  installed: z.record(z.string(), z.string()).optional(),
});
export type BuildPart = z.infer<typeof BuildPart>;

/** `build --push-by-digest --results FILE`: one runner's parts, meant to be a CI artifact. */
export const BuildPartsFile = z.object({
  version: z.literal(1),
  platform: z.string(),
  revision: z.string().regex(/^[0-9a-f]{7,64}$/),
  /** sha256 of catalog.lock.yaml as the build read it. */
  lockHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  /** YYYYMMDD: the dated build tag `merge` pushes. */
  date: z.string().regex(/^[0-9]{8}$/),
  parts: z.array(BuildPart),
});
export type BuildPartsFile = z.infer<typeof BuildPartsFile>;

/** Where a split build's parts go without --results: one file per platform. */
export const partsFile = (root: string, platform: string) =>
  join(root, '.accelbase', 'build', `parts-${platform.replace(/\//g, '-')}.json`);
export const writePartsFile = (file: string, value: BuildPartsFile) =>
  writeAtomic(file, `${JSON.stringify(BuildPartsFile.parse(value), null, 2)}\n`);
/** A parts file named on the command line: it must exist. */
export function readPartsFile(file: string): BuildPartsFile {
  const value = readJsonFile(file, BuildPartsFile);
  if (!value)
    throw new UserError(
      `${file}: no such results file (\`accelbase build --push-by-digest --results ${file}\` writes it)`,
      2,
    );
  return value;
}

export const SmokeResultsFile = z.object({ results: z.array(SmokeResult) });

/** Where the last build's digests are kept, for `smoke`, `publish` and `variants`. */
export const buildResultsFile = (root: string) => join(root, '.accelbase', 'build', 'results.json');
/** The last smoke run's outcomes, for `publish`. */
export const smokeResultsFile = (root: string) => join(root, '.accelbase', 'smoke', 'results.json');

export const readBuildResults = (root: string): BuildResult[] =>
  readJsonFile(buildResultsFile(root), BuildResultsFile)?.results ?? [];
export type { SmokeResult };

export const readSmokeResults = (root: string): SmokeResult[] =>
  readJsonFile(smokeResultsFile(root), SmokeResultsFile)?.results ?? [];

export const writeBuildResults = (root: string, value: z.infer<typeof BuildResultsFile>) =>
  writeAtomic(buildResultsFile(root), `${JSON.stringify(value, null, 2)}\n`);
export const writeSmokeResults = (root: string, results: SmokeResult[]) =>
  writeAtomic(smokeResultsFile(root), `${JSON.stringify({ results }, null, 2)}\n`);

/** What the last `outdated` found, per image and platform (counts only): the matrix's "outdated" column. */
export const OutdatedResultsFile = z.object({
  date: z.string(),
  results: z.array(
    z.object({
      image: z.string(),
      platform: z.string(),
      known: z.boolean(),
      installed: z.number(),
      outdated: z.number(),
    }),
  ),
});
export type OutdatedResults = z.infer<typeof OutdatedResultsFile>;
export const outdatedResultsFile = (root: string) => join(root, '.accelbase', 'outdated', 'results.json');
export const readOutdatedResults = (root: string): OutdatedResults | undefined =>
  readJsonFile(outdatedResultsFile(root), OutdatedResultsFile);
export const writeOutdatedResults = (root: string, value: OutdatedResults) =>
  writeAtomic(outdatedResultsFile(root), `${JSON.stringify(value, null, 2)}\n`);

/** The index digest the last build pushed (or loaded) for this image under its current repository. */
export function lastPushedDigest(
  results: readonly BuildResult[],
  image: Pick<PlannedImage, 'name' | 'repository'>,
): string | undefined {
  const r = results.find((b) => b.image === image.name);
  return r?.digest && r.repository === image.repository ? r.digest : undefined;
}

/** `repository@digest` of that build: what smoke, publish and variants address. */
export function lastPushed(
  results: readonly BuildResult[],
  image: Pick<PlannedImage, 'name' | 'repository'>,
): string | undefined {
  const digest = lastPushedDigest(results, image);
  return digest ? byDigest(image.repository, digest) : undefined;
}
