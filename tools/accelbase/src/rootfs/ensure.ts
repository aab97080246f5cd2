// The root filesystem tarballs a workspace needs, built where they are missing: for `accelbase rootfs`
// and for builds of minideb images.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { archOf } from '../catalog/platform.js';
import { info } from '../log.js';
import { buildRootfs, type RootfsResult } from './bootstrap.js';
import { writeAtomic } from '../lib/fs.js';
import { rootfsFacts, rootfsTarball } from './paths.js';

export type SuiteRootfs = { suite: string; arch: string } & RootfsResult;

/** Build every suite x arch tarball into the workspace at `root`. */
export async function rootfsForSuites(root: string, suites: readonly string[], arches: readonly string[]): Promise<SuiteRootfs[]> {
  const out: SuiteRootfs[] = [];
  for (const suite of suites) {
    for (const arch of arches) {
      const outFile = join(root, rootfsTarball(suite, arch));
      info(`rootfs ${suite} ${arch} -> ${outFile}`);
      const result = await buildRootfs({ suite, arch, outFile });
      writeAtomic(join(root, rootfsFacts(suite, arch)), `${JSON.stringify({ sha256: result.sha256, sourceDateEpoch: result.sourceDateEpoch })}\n`);
      out.push({ suite, arch, ...result });
    }
  }
  return out;
}

/** Bootstrap the tarballs a minideb build of `dist` needs for `platforms` that are not there yet. */
export async function ensureRootfs(root: string, dist: string, platforms: readonly string[]): Promise<void> {
  const missing = platforms.map(archOf).filter((a) => !existsSync(join(root, rootfsTarball(dist, a))));
  if (missing.length) await rootfsForSuites(root, [dist], missing);
}

/** The SOURCE_DATE_EPOCH a workspace tarball was built with, when it matches the tarball's sha256. */
export function tarballEpoch(root: string, dist: string, arch: string, sha256: string): number | undefined {
  try {
    const facts = JSON.parse(readFileSync(join(root, rootfsFacts(dist, arch)), 'utf8')) as { sha256?: unknown; sourceDateEpoch?: unknown };
    return facts.sha256 === sha256 && typeof facts.sourceDateEpoch === 'number' ? facts.sourceDateEpoch : undefined;
  } catch {
    return undefined;
  }
}
