// What an SBOM states about one image on one platform, gathered from recorded facts only: the
// lock's installed set (or the last push's, before it is published), the locked pip/npm packages,
// the base chain and the digests. Pure: the documents (spdx.ts, cyclonedx.ts) are built from this.
import type { Catalog } from '../catalog/schema.js';
import type { Platform } from '../catalog/grammar.js';
import type { Lock } from '../catalog/lock.js';
import { UserError } from '../errors.js';
import { ownValue } from '../lib/own.js';
import { baseChain, type Plan, type PlannedImage } from '../plan/plan.js';

export interface SbomBase {
  name: string;
  repository: string;
  /** The reference the image is built FROM (the catalog's tag). */
  ref: string;
  /** Its image (index) digest, where recorded. */
  digest?: string;
}

export interface SbomInput {
  image: string;
  repository: string;
  tag: string;
  platform: Platform;
  dist: string;
  /** Debian major release of the distribution (catalog `distributions.<dist>.version`). */
  debianMajor: string;
  /** Image (index) digest, where recorded. */
  digest?: string;
  /** YYYY-MM-DD: the day the facts are from (the lock's `updated`, else the build's date). */
  date: string;
  tool: { name: string; version: string };
  /** Installed Debian packages, name -> version, and where that set was read. */
  debs: Record<string, string>;
  installedFrom: 'lock' | 'build' | 'registry';
  pip: { name: string; version: string }[];
  npm: { name: string; version: string }[];
  /** Nearest base first, down to minideb. */
  bases: SbomBase[];
}

/** What the last `build --push` recorded for an image (a slice of workflows/state.ts's BuildResult). */
export interface PushedFacts {
  repository: string;
  digest?: string;
  installed?: Record<string, Record<string, string>>;
}

export interface SbomFacts {
  plan: Plan;
  catalog: Pick<Catalog, 'distributions'>;
  lock: Lock;
  /** The last build's results by image name, and its date (YYYYMMDD). */
  pushed: (image: string) => PushedFacts | undefined;
  buildDate?: string;
  tool: { name: string; version: string };
  /** `build --push` describes what it just pushed: the push's installed set and digests come before the lock's. */
  preferPushed?: boolean;
}

const isoDate = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

/** The platform an SBOM is for: the one asked, or the image's only one. */
export function sbomPlatform(image: PlannedImage, asked: readonly Platform[]): Platform {
  if (asked.length > 1)
    throw new UserError(
      `one SBOM is for one platform: give one --platform (${image.name} has ${image.platforms.join(', ')})`,
      2,
    );
  if (asked.length === 1) {
    if (!image.platforms.includes(asked[0]))
      throw new UserError(`${image.name} is not built for ${asked[0]} (it is for ${image.platforms.join(', ')})`);
    return asked[0];
  }
  if (image.platforms.length === 1) return image.platforms[0];
  throw new UserError(`${image.name} is built for ${image.platforms.join(' and ')}: name one with --platform`, 2);
}

/** The facts for one image and platform; a clear error where no installed set was ever recorded (nothing is guessed). */
export function sbomInput(image: PlannedImage, tag: string, platform: Platform, facts: SbomFacts): SbomInput {
  const locked = ownValue(facts.lock.images, image.name);
  const lockedPlatform = locked?.platforms[platform];
  const pushed = facts.pushed(image.name);
  const pushedHere = pushed && pushed.repository === image.repository ? pushed : undefined;
  const fromBuild = pushedHere?.installed ? ownValue(pushedHere.installed, platform) : undefined;
  const fromPush = fromBuild && (facts.preferPushed || !lockedPlatform?.installed);
  const debs = fromPush ? fromBuild : lockedPlatform?.installed;
  if (!debs) {
    throw new UserError(
      `${image.name} (${platform}): no installed package set is recorded (catalog.lock.yaml images.${image.name}.platforms.${platform}.installed is absent, and the last build pushed none): run \`accelbase build ${image.name} --push\` (and \`accelbase publish\` to lock it)`,
    );
  }
  const date = fromPush && facts.buildDate ? isoDate(facts.buildDate) : locked?.updated;
  if (!date) throw new UserError(`${image.name}: neither the lock nor the last build records a date for the SBOM`);
  const debianMajor = ownValue(facts.catalog.distributions, image.dist)?.version;
  if (!debianMajor)
    throw new UserError(`${image.name}: distribution ${image.dist} has no Debian version in the catalog`);
  const lockedOf = (type: string) =>
    image.packages
      .filter((p) => p.sourceType === type && p.locked[platform])
      .map((p) => ({ name: p.name, version: p.locked[platform]! }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const chain = baseChain(facts.plan, image);
  const bases: SbomBase[] = chain.slice(1).map((base, i) => {
    const basePushed = facts.pushed(base.name);
    const pushedDigest = basePushed?.repository === base.repository ? basePushed.digest : undefined;
    const lockedDigest =
      (i === 0 ? lockedPlatform?.baseDigest : undefined) ??
      ownValue(facts.lock.images, base.name)?.platforms[platform]?.digest;
    const digest = fromPush ? (pushedDigest ?? lockedDigest) : (lockedDigest ?? pushedDigest);
    return { name: base.name, repository: base.repository, ref: chain[i].base!.ref, ...(digest ? { digest } : {}) };
  });
  const digest = fromPush ? pushedHere?.digest : (lockedPlatform?.digest ?? pushedHere?.digest);
  return {
    image: image.name,
    repository: image.repository,
    tag,
    platform,
    dist: image.dist,
    debianMajor,
    ...(digest ? { digest } : {}),
    date,
    tool: facts.tool,
    debs,
    installedFrom: fromPush ? 'build' : 'lock',
    pip: lockedOf('pip'),
    npm: lockedOf('npm'),
    bases,
  };
}
