// The root filesystem tarballs a workspace needs, built where they are missing: for `accelbase rootfs`
// and for builds of minideb images.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { archOf } from '../catalog/platform.js';
import type { RunConfig } from '../config/run-config.js';
import { info } from '../log.js';
import { buildRootfs, type RootfsResult } from './bootstrap.js';
import { sameStat, sha256File, sha256Hex, statStamp, writeAtomic, type StatStamp } from '../lib/fs.js';
import { installPackagesScript, rootfsFacts, rootfsTarball } from './paths.js';

/** What makes a tarball from the same bootstrap: bump it when trimming or purging changes, so older tarballs are stale. */
export const ROOTFS_RECIPE = 3;

export type SuiteRootfs = { suite: string; arch: string } & RootfsResult;

/** Build every suite x arch tarball into the workspace at `root`. */
export async function rootfsForSuites(
  root: string,
  suites: readonly string[],
  arches: readonly string[],
  config: RunConfig,
): Promise<SuiteRootfs[]> {
  const out: SuiteRootfs[] = [];
  for (const suite of suites) {
    for (const arch of arches) {
      const outFile = join(root, rootfsTarball(suite, arch));
      info(`rootfs ${suite} ${arch} -> ${outFile}`);
      const result = await buildRootfs({ suite, arch, outFile, config });
      writeAtomic(
        join(root, rootfsFacts(suite, arch)),
        `${JSON.stringify({ sha256: result.sha256, sourceDateEpoch: result.sourceDateEpoch, installPackages: scriptHash(), recipe: ROOTFS_RECIPE, stat: statStamp(outFile) })}\n`,
      );
      out.push({ suite, arch, ...result });
    }
  }
  return out;
}

/**
 * Bootstrap the tarballs a minideb build of `dist` needs for `platforms` where they are missing (or
 * their facts no longer match them), and return the SOURCE_DATE_EPOCH each was built with, by arch.
 */
export async function ensureRootfs(
  root: string,
  dist: string,
  platforms: readonly string[],
  config: RunConfig,
): Promise<Record<string, number>> {
  const arches = [...new Set(platforms.map(archOf))];
  const epochs: Record<string, number> = {};
  for (const arch of arches) {
    const epoch = await tarballEpoch(root, dist, arch);
    if (epoch !== undefined) epochs[arch] = epoch;
  }
  const missing = arches.filter((a) => epochs[a] === undefined);
  if (missing.length)
    for (const r of await rootfsForSuites(root, [dist], missing, config)) epochs[r.arch] = r.sourceDateEpoch;
  return epochs;
}

/** The install_packages a tarball ships: a changed script is a stale tarball. */
const scriptHash = (): string => sha256Hex(readFileSync(installPackagesScript()));

/** The SOURCE_DATE_EPOCH a workspace tarball was built with, read from the facts beside it when they match its sha256, install_packages and recipe. */
export async function tarballEpoch(
  root: string,
  dist: string,
  arch: string,
  sha256?: string,
): Promise<number | undefined> {
  const tar = join(root, rootfsTarball(dist, arch));
  if (!existsSync(tar)) return undefined;
  try {
    const facts = JSON.parse(readFileSync(join(root, rootfsFacts(dist, arch)), 'utf8')) as {
      sha256?: unknown;
      sourceDateEpoch?: unknown;
      installPackages?: unknown;
      recipe?: unknown;
      stat?: unknown;
    };
    if (facts.installPackages !== scriptHash() || facts.recipe !== ROOTFS_RECIPE) return undefined;
    // The tarball as it was written (same size, mtime and inode) need not be read again (~130 MB per suite).
    const sha =
      sha256 ?? (sameStat(facts.stat as StatStamp | undefined, statStamp(tar)) ? facts.sha256 : await sha256File(tar));
    return facts.sha256 === sha && typeof facts.sourceDateEpoch === 'number' ? facts.sourceDateEpoch : undefined;
  } catch {
    return undefined;
  }
}
