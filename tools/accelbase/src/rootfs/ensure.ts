// The root filesystem tarballs a workspace needs, built where they are missing: for `accelbase rootfs`
// and for builds of minideb images.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { archOf } from '../catalog/platform.js';
import { info } from '../log.js';
import { buildRootfs, type RootfsResult } from './bootstrap.js';
import { rootfsTarball } from './paths.js';

export type SuiteRootfs = { suite: string; arch: string } & RootfsResult;

/** Build every suite x arch tarball into the workspace at `root`. */
export async function rootfsForSuites(root: string, suites: readonly string[], arches: readonly string[]): Promise<SuiteRootfs[]> {
  const out: SuiteRootfs[] = [];
  for (const suite of suites) {
    for (const arch of arches) {
      const outFile = join(root, rootfsTarball(suite, arch));
      info(`rootfs ${suite} ${arch} -> ${outFile}`);
      out.push({ suite, arch, ...(await buildRootfs({ suite, arch, outFile })) });
    }
  }
  return out;
}

/** Bootstrap the tarballs a minideb build of `dist` needs for `platforms` that are not there yet. */
export async function ensureRootfs(root: string, dist: string, platforms: readonly string[]): Promise<void> {
  const missing = platforms.map(archOf).filter((a) => !existsSync(join(root, rootfsTarball(dist, a))));
  if (missing.length) await rootfsForSuites(root, [dist], missing);
}
