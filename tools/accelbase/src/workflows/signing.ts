// Signing what `build --push` and `merge` push: the signer opened before anything is baked or pushed
// (a key that cannot be used stops the run there), and each index signed with its SPDX SBOMs (one per
// platform) and its SLSA provenance attested on it. Without ACCELBASE_SIGNING_KEY nothing is signed,
// and the run says so once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Run } from '../config/run-config.js';
import { archOf } from '../catalog/platform.js';
import { rootfsFacts } from '../rootfs/paths.js';
import type { Platform } from '../catalog/grammar.js';
import { sha256File } from '../lib/fs.js';
import { packageVersion } from '../lib/version.js';
import type { PlannedImage } from '../plan/plan.js';
import { mostSpecificTag } from '../plan/tags.js';
import { sbomDocument } from '../sbom/format.js';
import { sbomInput, type SbomFacts } from '../sbom/input.js';
import { PREDICATE_TYPES, type Predicate } from '../sign/predicates.js';
import { provenancePredicate } from '../sign/provenance.js';
import { openSigning, signAndAttest, type SignOutcome, type SigningSession } from '../sign/sign.js';
import { signerOf } from '../sign/signer.js';
import type { BuildResult } from './state.js';
import type { OpenWorkspace } from './workspace.js';

/** The run's signer, ready (cosign found, key usable), or undefined after saying once that nothing is signed. */
export async function openRunSigning(run: Run): Promise<SigningSession | undefined> {
  const signer = signerOf(run.config.signingKey);
  if (!signer) {
    run.reporter.info('signing: ACCELBASE_SIGNING_KEY is not set: the pushed indexes are not signed');
    return undefined;
  }
  const session = await openSigning(signer, run.config.engineHome);
  run.reporter.info(`signing: pushed indexes are signed by ${session.by}`);
  return session;
}

/** What the index's provenance and SBOMs are built from, besides the image and its result. */
export interface SigningFacts {
  ws: OpenWorkspace;
  /** The commit built; undefined outside a git checkout. */
  revision?: string;
  /** The build's date (YYYYMMDD), used for the SBOM only where the lock records none. */
  date: string;
  /** `sha256:<hex>` of catalog.lock.yaml. */
  lockHash: string;
  builder?: string;
  sbomFacts: SbomFacts;
}

/** The sha256 of each platform's minideb root filesystem tarball, as its facts file records it; none where absent. */
function rootfsOf(root: string, dist: string, platforms: readonly string[]): { platform: string; sha256: string }[] {
  return platforms.flatMap((platform) => {
    try {
      const facts = JSON.parse(readFileSync(join(root, rootfsFacts(dist, archOf(platform))), 'utf8')) as {
        sha256?: unknown;
      };
      return typeof facts.sha256 === 'string' ? [{ platform, sha256: facts.sha256 }] : [];
    } catch {
      return [];
    }
  });
}

/**
 * One SPDX SBOM predicate per platform and the provenance, all independent of the day: the SBOM names
 * the image's most specific floating tag and the lock's date, so a digest signed again gains nothing.
 */
export async function indexPredicates(
  image: PlannedImage,
  result: BuildResult,
  results: ReadonlyMap<string, BuildResult>,
  f: SigningFacts,
): Promise<Predicate[]> {
  const lockDate = f.ws.lock.images[image.name]?.updated?.replaceAll('-', '');
  const facts: SbomFacts = {
    ...f.sbomFacts,
    pushed: (name) => results.get(name),
    buildDate: lockDate ?? f.date,
    preferPushed: true,
  };
  const sboms = (result.platforms as Platform[]).map((platform) => ({
    ...PREDICATE_TYPES.spdx,
    label: platform,
    predicate: JSON.parse(sbomDocument(sbomInput(image, mostSpecificTag(image), platform, facts), 'spdx-json').text),
  }));
  const base = image.base ? results.get(image.base.name) : undefined;
  const provenance = provenancePredicate({
    target: image.name,
    repository: image.repository,
    platforms: result.platforms,
    revision: f.revision,
    catalog: `sha256:${await sha256File(f.ws.ws.catalogFile)}`,
    lock: f.lockHash,
    bases:
      base?.digest && image.base ? [{ image: image.base.name, repository: base.repository, digest: base.digest }] : [],
    rootfs: image.kind === 'minideb' ? rootfsOf(f.ws.root, image.dist, result.platforms) : undefined,
    accelbase: packageVersion(),
    builder: f.builder,
  });
  return [...sboms, provenance];
}

/** Sign one pushed index and attest its predicates; the outcome goes into its build result. */
export async function signIndex(
  session: SigningSession,
  image: PlannedImage,
  result: BuildResult,
  results: ReadonlyMap<string, BuildResult>,
  f: SigningFacts,
): Promise<SignOutcome> {
  return signAndAttest(session, image.repository, result.digest!, await indexPredicates(image, result, results, f));
}

type AfterPush = (
  image: PlannedImage,
  result: BuildResult,
  results: ReadonlyMap<string, BuildResult>,
) => Promise<Pick<BuildResult, 'sizes' | 'sboms' | 'signed'>>;

/** An open signer and the facts its predicates are written from. */
export interface RunSigning {
  session: SigningSession;
  facts: SigningFacts;
}

/** `build --push`'s step after each push, then the index signed (when a signer is open). */
export const signedAfterPush =
  (inner: AfterPush, signing: RunSigning | undefined): AfterPush =>
  async (image, result, results) => {
    const got = await inner(image, result, results);
    if (!signing) return got;
    return { ...got, signed: await signIndex(signing.session, image, { ...result, ...got }, results, signing.facts) };
  };

/** `build --push`'s step for an index reused as unchanged: signed too (nothing is added where it already is). */
export const signedAfterReuse =
  (signing: RunSigning) =>
  async (
    image: PlannedImage,
    result: BuildResult,
    results: ReadonlyMap<string, BuildResult>,
  ): Promise<Pick<BuildResult, 'signed'>> => ({
    signed: await signIndex(signing.session, image, result, results, signing.facts),
  });
