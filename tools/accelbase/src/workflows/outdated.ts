// `outdated`: for each image and platform, the installed packages (as the lock records them) that
// the archive has a newer version of, security fixes marked. `update` marks such images, and every
// image built on them, for the nightly to rebuild.
import type { Run } from '../config/run-config.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lock } from '../catalog/lock.js';
import { archOf } from '../catalog/platform.js';
import { DPKG_STATUS, installedPackages } from '../datasources/debian/dpkg-status.js';
import { tarFile } from '../lib/tar.js';
import { outdatedPackages, type NewestLookup, type OutdatedPackage } from '../plan/outdated.js';
import { baseChain, selectWithBases, type Plan, type PlannedImage } from '../plan/plan.js';
import { rootfsTarball } from '../rootfs/paths.js';
import { archiveLookups } from './archive.js';
import { readOutdatedResults, writeOutdatedResults } from './state.js';
import { mostSpecificTag, utcDate } from '../plan/tags.js';
import { readPublishedTag, readsRegistry } from './published.js';
import type { OpenWorkspace } from './workspace.js';

export interface OutdatedReport {
  image: string;
  platform: string;
  /** How many installed packages are known (0 with `known: false`: not built and recorded yet). */
  installedCount: number;
  known: boolean;
  outdated: OutdatedPackage[];
}

/** The installed set the lock records; for minideb, else the local rootfs tarball's dpkg database. */
function installedSet(
  root: string,
  lock: Lock,
  image: PlannedImage,
  platform: string,
): Record<string, string> | undefined {
  const locked = (
    lock.images[image.name]?.platforms as Record<string, { installed?: Record<string, string> }> | undefined
  )?.[platform]?.installed;
  if (locked) return locked;
  const tar = join(root, rootfsTarball(image.dist, archOf(platform)));
  if (image.kind !== 'minideb' || !existsSync(tar)) return undefined;
  const status = tarFile(readFileSync(tar), DPKG_STATUS);
  return status ? installedPackages(status.toString('utf8'), `${tar}:/${DPKG_STATUS}`) : undefined;
}

/**
 * Packages the catalog pins, in the image or its bases: held to their range on purpose, and moved by
 * `update` itself (a new pin drops the digest), so a newer version outside the range is no staleness.
 */
const pinnedNames = (plan: Plan, image: PlannedImage): Set<string> =>
  new Set(baseChain(plan, image).flatMap((i) => i.packages.map((p) => p.name)));

/** The installed set a registry publishes for an image and platform (its SBOM), where local records have none. */
export type PublishedInstalled = (image: PlannedImage, platform: string) => Promise<Record<string, string> | undefined>;

/** The registry's SBOMs of each image's most specific tag, read once per image. */
function publishedInstalled(): PublishedInstalled {
  const read = new Map<string, ReturnType<typeof readPublishedTag>>();
  return async (image, platform) => {
    const tag = mostSpecificTag(image);
    if (!read.has(image.name)) read.set(image.name, readPublishedTag(image, tag));
    return (await read.get(image.name))?.platforms[platform]?.sbom?.packages;
  };
}

export type ArchiveLookup = (dist: string, arch: string) => Promise<NewestLookup>;

export async function outdatedImages(
  root: string,
  plan: Plan,
  lock: Lock,
  lookup: ArchiveLookup,
  names: string[] = [],
  published?: PublishedInstalled,
): Promise<OutdatedReport[]> {
  const reports: OutdatedReport[] = [];
  for (const image of selectWithBases(plan, names)) {
    for (const platform of image.platforms) {
      const installed = installedSet(root, lock, image, platform) ?? (await published?.(image, platform));
      const pins = pinnedNames(plan, image);
      const outdated = installed
        ? outdatedPackages(installed, await lookup(image.dist, archOf(platform))).filter((o) => !pins.has(o.package))
        : [];
      reports.push({
        image: image.name,
        platform,
        installedCount: Object.keys(installed ?? {}).length,
        known: installed !== undefined,
        outdated,
      });
    }
  }
  return reports;
}

/** Debian components installed packages can come from: main, and whatever the catalog's debian sources add. */
export const debianComponents = (ws: OpenWorkspace): string[] => [
  ...new Set([
    'main',
    ...Object.values(ws.model.catalog.sources).flatMap((s) =>
      s.type === 'debian' ? (s as { components: string[] }).components : [],
    ),
  ]),
];

/** `outdated` over a workspace; the counts are recorded for the image matrix (`accelbase docs`), merged over earlier runs' other images. */
export async function outdatedWorkspace(
  ws: OpenWorkspace,
  names: string[],
  run: Run,
  date = utcDate(),
): Promise<OutdatedReport[]> {
  const reports = await outdatedImages(
    ws.root,
    ws.plan,
    ws.lock,
    archiveLookups({ components: debianComponents(ws), ...run }),
    names,
    readsRegistry(ws) ? publishedInstalled() : undefined,
  );
  const fresh = new Set(reports.map((r) => `${r.image} ${r.platform}`));
  const kept = (readOutdatedResults(ws.root)?.results ?? []).filter((r) => !fresh.has(`${r.image} ${r.platform}`));
  const results = [
    ...kept,
    ...reports.map((r) => ({
      image: r.image,
      platform: r.platform,
      known: r.known,
      installed: r.installedCount,
      outdated: r.outdated.length,
    })),
  ];
  writeOutdatedResults(ws.root, {
    date,
    results: results.sort((a, b) => (`${a.image} ${a.platform}` < `${b.image} ${b.platform}` ? -1 : 1)),
  });
  return reports;
}

/** Images with an outdated package, and every image built on one of them. */
export function imagesToRebuild(plan: Plan, reports: readonly OutdatedReport[]): Set<string> {
  const stale = new Set(reports.filter((r) => r.outdated.length).map((r) => r.image));
  return new Set(plan.images.filter((i) => baseChain(plan, i).some((b) => stale.has(b.name))).map((i) => i.name));
}
